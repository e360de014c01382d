"""The ASGI application: `create_app(settings)`, or `app_from_env()` for uvicorn workers.

Bad input never gives a 500: bodies are parsed by central.jsonbody and checked in central.ingest, their
size and time are capped by central.body (413, 408), database outages answer 503 with
Retry-After.
"""
from __future__ import annotations

import gc
import logging

import sqlalchemy as sa
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from central import __version__
from central import db, device_roles, events_api, headers, live, models
from central.body import BodyLimit
from central.settings import CentralSettings

log = logging.getLogger("central")


def _check_rollup_zone(engine: sa.Engine, zone: str) -> None:
    from central import rollups
    with engine.connect() as conn:
        counted = rollups.stored_zone(conn)
    if counted and counted != zone:
        log.warning("the stats' roll-ups were counted in %s, the site's timezone is now %s: run "
                    "`kiosk-central rollups rebuild`", counted, zone)


def create_app(settings: CentralSettings, engine: sa.Engine | None = None) -> FastAPI:
    engine = engine or db.make_engine(settings.db_url())
    db.upgrade(engine, settings.timezone)
    _check_rollup_zone(engine, settings.timezone)
    from central import accounts, audit
    from central.alerts import engine as alert_engine  # the alert loop runs in the app's lifespan
    accounts.adopt_admin(engine, settings.admin_password_hash, settings.admin_user)  # older installs' one login
    audit.purge(engine, settings.audit_days)
    app = FastAPI(title="Public-hall kiosk central service", version=__version__,
                  description="Devices post their events and read the hall's queue; staff read stats, CSV and the "
                              "dashboard, and call tickets on the desk page.",
                  docs_url=None, redoc_url=None, lifespan=alert_engine.lifespan)  # those pages load scripts from a CDN; the service is offline
    app.state.settings = settings
    app.state.engine = engine
    app.state.queue_bus = bus = live.QueueBus(engine)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes, timeout_s=settings.body_timeout_s)
    rate = device_roles.EventRate(settings.device_events_per_min)
    app.add_middleware(headers.SecurityHeaders)  # added last: outside BodyLimit, so its 413 gets them too

    @app.exception_handler(StarletteHTTPException)
    async def _http(request, exc):
        return JSONResponse({"detail": exc.detail}, exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request, exc):
        errs = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}"
                         for e in exc.errors()[:5])
        return JSONResponse({"detail": f"invalid request: {errs}"}, 422)

    @app.exception_handler(sa.exc.OperationalError)
    async def _db_down(request, exc):
        log.error("database unavailable: %s", exc.orig if hasattr(exc, "orig") else exc)
        return JSONResponse({"detail": "database unavailable, try again later"}, 503,
                            headers={"Retry-After": "5"})

    @app.exception_handler(Exception)
    async def _unexpected(request, exc):
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return JSONResponse({"detail": "internal error (logged on the server)"}, 500)

    @app.post("/api/v1/events", response_model=models.IngestResult, tags=["devices"],
              summary="Send a batch of events (idempotent on event id)",
              responses={400: {"model": models.Problem}, 401: {"model": models.Problem},
                         403: {"model": models.Problem}, 408: {"model": models.Problem},
                         413: {"model": models.Problem}, 429: {"model": models.Problem}},
              openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                  "schema": {"$ref": "#/components/schemas/EventBatch"}}}}})
    async def post_events(request: Request):
        outcome = await events_api.post_events(request, engine, settings, rate)
        if outcome.queued or outcome.helped:
            bus.changed()  # open queue streams of this process; the others via NOTIFY
        return outcome.as_dict()

    @app.get("/healthz", response_model=models.Health, tags=["service"],
             responses={503: {"model": models.Problem}})
    def healthz():
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        return {"status": "ok", "version": __version__, "database": engine.dialect.name,
                "revision": db.current_revision(engine)}

    from central import admin, dashboard, desk, desk_stats, hall, pages, stats, streams, ticket_page  # routers; app creation stays in one place
    app.include_router(stats.router)
    app.include_router(desk_stats.router)  # GET /api/v1/stats/desks
    app.include_router(dashboard.router)
    app.include_router(streams.router)  # before hall: /api/v1/queue/stream
    app.include_router(hall.router)
    app.include_router(desk.page_router)
    app.include_router(desk.router)
    app.include_router(ticket_page.router)  # public: the mobile ticket page and its JSON
    from central import phone_page  # the satisfaction question on a served ticket (issue #17)
    app.include_router(phone_page.router)
    app.include_router(admin.router)  # /admin/*: role admin
    app.include_router(admin.csv_router)
    app.include_router(pages.router)  # the staff pages' stylesheet
    from central import help_stats, host  # help calls (issue #18): /host, /api/v1/help/*, help.csv
    app.include_router(host.page_router)
    app.include_router(host.router)
    app.include_router(help_stats.router)
    from central import wait_bands  # satisfaction against the real wait (issue #17): JSON and CSV
    app.include_router(wait_bands.router)
    from central.alerts import web as alerts_web  # alerts (issue #17): /api/v1/alerts, the dashboard's forms
    app.include_router(alerts_web.router)
    app.include_router(alerts_web.page_router)
    # make EventBatch appear in components/schemas for the $ref above
    app.openapi_schema = None
    _orig = app.openapi

    def _openapi():
        if app.openapi_schema is None:
            schema = _orig()
            comps = schema.setdefault("components", {}).setdefault("schemas", {})
            for m in (models.EventBatch, models.EventIn):
                comps.setdefault(m.__name__, m.model_json_schema(ref_template="#/components/schemas/{model}"))
            app.openapi_schema = schema
        return app.openapi_schema
    app.openapi = _openapi
    return app


GC_GEN0 = 50_000  # container objects between young collections (CPython's default: 700)


def tune_gc() -> None:
    """For a serving process, after start-up. Ingest makes a few container objects per event
    (about 1,500 a batch), so with CPython's default thresholds the cyclic collector ran
    several times per batch and kept rescanning the start-up objects: about a tenth of a
    worker's CPU (bench/bench_sync.py). Those objects live as long as the process, so they
    are frozen out of collections; young ones are collected less often. Reference counting
    still frees a request's objects at once; only cyclic garbage waits a little longer."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_GEN0, 20, 10)


def app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory` workers: settings from KIOSK_CENTRAL_* variables."""
    from central import settings as s
    app = create_app(s.load())
    tune_gc()
    return app
