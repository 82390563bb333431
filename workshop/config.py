"""Settings read from the environment, with the embedded defaults."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Shipped data (library, scoring model, demo cohort) lives here; the default database too.
SHIPPED_DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_DATABASE_FILE = "opportunity_map.db"


def data_dir() -> Path:
    """The folder holding the default SQLite file and backups (`OPPORTUNITY_MAP_DATA_DIR`)."""
    return Path(os.environ.get("OPPORTUNITY_MAP_DATA_DIR", SHIPPED_DATA_DIR))


def database_url() -> str:
    """`DATABASE_URL` if set, else a SQLite file in the data folder."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants a driver name.
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url[len("postgres://"):]
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        return url
    return f"sqlite:///{data_dir() / DEFAULT_DATABASE_FILE}"


def public_url(seen: str | None) -> str:
    """The address phones use to reach this app (`OPPORTUNITY_MAP_PUBLIC_URL`), else the
    scheme and host the facilitator's browser used (`seen`), without a trailing slash."""
    configured = os.environ.get("OPPORTUNITY_MAP_PUBLIC_URL", "").strip()
    if configured:
        return configured.rstrip("/")
    if not seen:
        return "http://localhost:8501"
    from urllib.parse import urlsplit

    parts = urlsplit(seen)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else "http://localhost:8501"
