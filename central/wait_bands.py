"""Satisfaction against the real wait (issue #17, docs/insight.md): the phone answers
(central/phone_feedback.py, table phone_feedback) per wait band and per service, with the
pillar's figure for the same period beside them. Read in Python, so SQLite and PostgreSQL agree.

Bands of the real wait (first call - issue, minutes), each half-open: [0, 5), [5, 15), [15, 30)
and [30, ...). A cell with fewer than `min_answers` answers ([central.feedback]) shows its count
only: no average, no positive share, no counts per sentiment.

    GET /api/v1/stats/wait-bands       the figures as JSON (analyst)
    GET /api/v1/export/wait_bands.csv  the same as CSV (analyst; in the audit log like every export)

The period (`from`, `to`: local days in the site zone) applies to both; `device` applies only to
the pillar's figure: a phone answer has no device.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Iterator

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool

from central import aggregate, audit, stats
from central.filters import Filters
from central.insight_tables import phone_feedback as pf
from central.phone_feedback import score
from central.staff import require_role

router = APIRouter(tags=["stats"], dependencies=[Depends(require_role("analyst"))],
                   responses={400: {"description": "bad filter"}, 401: {"description": "not logged in"},
                              403: {"description": "logged in without the analyst (or admin) role"}})

# (key, from minute inclusive, to minute exclusive or None)
BANDS = (("0-5", 0.0, 5.0), ("5-15", 5.0, 15.0), ("15-30", 15.0, 30.0), ("30+", 30.0, None))


def band_of(wait_min: float | None) -> str | None:
    """The band of a real wait in minutes; None for an answer without one."""
    if wait_min is None:
        return None
    return next(key for key, _, hi in BANDS if hi is None or wait_min < hi)


def fetch(engine: sa.Engine, f: Filters) -> list:
    lo, hi = f.utc_bounds()
    q = sa.select(pf.c.service, pf.c.real_wait_min, pf.c.answer, pf.c.scale, pf.c.sentiment)
    if lo:
        q = q.where(pf.c.at >= lo)
    if hi:
        q = q.where(pf.c.at < hi)
    with engine.connect() as conn:
        return conn.execute(q).all()


def cell(rows: list, min_answers: int) -> dict:
    """Answers, and when there are at least `min_answers`: per sentiment, positive share, average."""
    n = len(rows)
    shown = n >= min_answers
    by = Counter(r.sentiment for r in rows)
    return {"answers": n, "shown": shown,
            **{k: by[k] if shown else None for k in ("positive", "neutral", "negative")},
            "positive_share": round(by["positive"] / n, 4) if shown else None,
            "average_score": round(sum(score(r.answer, r.scale) for r in rows) / n, 3) if shown else None}


def wait_band_stats(engine: sa.Engine, f: Filters, min_answers: int, pillar: dict | None = None) -> dict:
    """The phone answers of the period per band, per service and per (service, band), the phone
    total, and `pillar`: the pillar's total for the same period (aggregate.feedback_stats; given
    by the dashboard, which has it already)."""
    rows = fetch(engine, f)
    if pillar is None:
        pillar = aggregate.feedback_stats(engine, f)["total"]
    by_band, by_service, by_both = defaultdict(list), defaultdict(list), defaultdict(list)
    for r in rows:
        band = band_of(r.real_wait_min)
        by_service[r.service].append(r)
        if band is not None:
            by_band[band].append(r)
            by_both[(r.service, band)].append(r)
    return {
        "filters": {"from": f.start.isoformat() if f.start else None, "to": f.end.isoformat() if f.end else None,
                    "device": f.device, "device_applies_to": "pillar", "timezone": f.tz},
        "min_answers": min_answers,
        "bands": [{"band": k, "from_min": lo, "to_min": hi, **cell(by_band[k], min_answers)} for k, lo, hi in BANDS],
        "services": [{"service": s, **cell(by_service[s], min_answers)} for s in sorted(by_service)],
        "cells": [{"service": s, "band": k, **cell(by_both[(s, k)], min_answers)}
                  for s in sorted(by_service) for k, _, _ in BANDS if by_both[(s, k)]],
        "no_wait": sum(1 for r in rows if r.real_wait_min is None),
        "phone": cell(rows, min_answers),
        "pillar": {k: pillar[k] for k in ("answers", "positive", "neutral", "negative", "positive_share",
                                          "average_score")}}


PILLAR_DEVICE = "Only this device: the pillar's figure only (phone answers have no device)."


@router.get("/api/v1/stats/wait-bands",
            summary="Satisfaction of phone answers per real-wait band and per service, beside the pillar's")
async def wait_bands_json(request: Request, start: str | None = Query(None, alias="from", description=stats.FROM_DOC),
                          end: str | None = Query(None, alias="to", description=stats.TO_DOC),
                          device: str | None = Query(None, description=PILLAR_DEVICE)) -> dict:
    f = stats.filters(request, start, end, device)
    return await run_in_threadpool(wait_band_stats, request.app.state.engine, f,
                                   request.app.state.settings.feedback.min_answers)


CSV_HEAD = ["group", "service", "band", "answers", "positive", "neutral", "negative", "positive_share",
            "average_score"]


def csv_rows(doc: dict) -> Iterator[list]:
    """The figures as CSV lines: per band, per service, per service and band, the phone total and
    the pillar's (a figure hidden for too few answers is empty)."""
    def line(group: str, service: str, band: str, c: dict) -> list:
        figures = ["" if c.get(k) is None else c[k] for k in CSV_HEAD[4:]]
        return [group, audit._cell(service), band, c["answers"]] + figures
    yield CSV_HEAD
    for b in doc["bands"]:
        yield line("band", "", b["band"], b)
    for s in doc["services"]:
        yield line("service", s["service"], "", s)
    for c in doc["cells"]:
        yield line("service_band", c["service"], c["band"], c)
    yield line("phone", "", "", doc["phone"])
    yield line("pillar", "", "", doc["pillar"])


@router.get("/api/v1/export/wait_bands.csv", summary="Satisfaction per real-wait band and service as CSV")
def export_wait_bands(request: Request, start: str | None = Query(None, alias="from", description=stats.FROM_DOC),
                      end: str | None = Query(None, alias="to", description=stats.TO_DOC),
                      device: str | None = Query(None, description=PILLAR_DEVICE)):
    f = stats.filters(request, start, end, device)
    stats._audit_export(request, "wait_bands.csv")
    doc = wait_band_stats(request.app.state.engine, f, request.app.state.settings.feedback.min_answers)
    return stats._csv_response(csv_rows(doc), "wait_bands.csv")
