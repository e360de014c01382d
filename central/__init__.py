"""The central service: devices report their events here; the service-delivery team reads
stats, CSV exports and the dashboard. FastAPI + SQLAlchemy + Alembic; SQLite by default,
PostgreSQL by URL. Stateless: several processes may serve one PostgreSQL database."""

__version__ = "0.1.0"
