"""The one-hop SQLite driver (storage/sqlite_driver.py) is the one the engines use: if an
upgrade of SQLAlchemy or aiosqlite moved what it needs, storage.db would fall back to the
stock driver quietly, and this says so loudly."""

from __future__ import annotations

from pathlib import Path

from storage import sqlite_driver
from storage.db import create_engine


def test_the_installed_libraries_fit_the_one_hop_driver() -> None:
    assert sqlite_driver.fits()


async def test_sqlite_engines_run_on_it(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'x.sqlite3'}")
    try:
        assert isinstance(engine.sync_engine.dialect.loaded_dbapi, sqlite_driver.OneHopDBAPI)
    finally:
        await engine.dispose()
