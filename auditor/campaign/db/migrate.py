"""Bring a campaign database to the newest schema with Alembic: the one path for SQLite and PostgreSQL.

The migrations live inside the package (``migrations/``), so a pip-installed auditor migrates
the folders and databases it opens, on open. An existing folder from before Alembic has no
``alembic_version``: the baseline revision runs on it and creates only what is missing.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event

MIGRATIONS = Path(__file__).parent / "migrations"
HEAD = "0004"  # the newest revision; tests check it is the script directory's head


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def script_head() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def upgrade(engine: Engine) -> None:
    """Upgrade the database behind ``engine`` to ``HEAD`` (a no-op when it is there)."""
    config = alembic_config()
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":  # two processes opening one campaign: one migrates
            connection.exec_driver_sql("SELECT pg_advisory_xact_lock(74811)")
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def upgrade_sqlite(path: Path) -> None:
    """Upgrade a folder's ``campaign.db``; a quick look first, since every open of a folder comes here."""
    if path.exists():
        with sqlite3.connect(path, timeout=30) as db:
            try:
                row = db.execute("SELECT version_num FROM alembic_version").fetchone()
            except sqlite3.OperationalError:
                row = None
        db.close()
        if row is not None and row[0] == HEAD:
            return
    engine = sqlite_engine(path)
    try:
        upgrade(engine)
    finally:
        engine.dispose()


def sqlite_engine(path: Path) -> Engine:
    """A SQLite engine whose transactions are real ones (the driver's own would commit before each
    CREATE): a migration is all or nothing, and one commit instead of one per table."""
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 30, "isolation_level": None})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
        dbapi_connection.execute("PRAGMA synchronous=NORMAL")

    @event.listens_for(engine, "begin")
    def _begin(connection: object) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")  # type: ignore[attr-defined]

    return engine
