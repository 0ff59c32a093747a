"""Baseline: the campaign tables as ``campaign.db`` held them before Alembic (SQLite user_version 1).

Runs on any database without an ``alembic_version``: creates what is missing, so a new
database gets every table and an existing folder keeps its rows. A folder older than
deliveries (user_version 0) gets them here as that version's own migration did: each
stored message was one delivery.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Column, ForeignKey, Index, Integer, MetaData, Table, Text

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

metadata = MetaData()  # frozen here: later changes to tables.py are later revisions

meta = Table("meta", metadata, Column("key", Text, primary_key=True), Column("value", Text, nullable=False))

runs = Table(
    "runs",
    metadata,
    Column("id", Text, primary_key=True),
    Column("position", Integer, nullable=False),
    Column("status", Text, nullable=False),
    Column("run", Text, nullable=False),
    Column("store", Text, nullable=False),
    Column("persona", Text, nullable=False),
    Column("expectations", Text, nullable=False),
    Column("observed_until", Text),
)

journal_events = Table(
    "journal_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Text, ForeignKey("runs.id"), nullable=False),
    Column("at", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("event", Text, nullable=False),
    sqlite_autoincrement=True,
)
Index("journal_by_run", journal_events.c.run_id, journal_events.c.id)

messages = Table(
    "messages",
    metadata,
    Column("sha256", Text, primary_key=True),
    Column("run_id", Text),
    Column("arrived_at", Text, nullable=False),
    Column("message", Text, nullable=False),
)
Index("messages_by_run", messages.c.run_id, messages.c.arrived_at)

deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Text, primary_key=True),
    Column("sha256", Text, nullable=False),
    Column("run_id", Text),
    Column("arrived_at", Text, nullable=False),
    Column("message", Text, nullable=False),
)
Index("deliveries_by_run", deliveries.c.run_id, deliveries.c.arrived_at)
Index("deliveries_by_sha", deliveries.c.sha256)

evidence = Table(
    "evidence", metadata, Column("sha256", Text, primary_key=True), Column("evidence", Text, nullable=False)
)

findings = Table(
    "findings",
    metadata,
    Column("run_id", Text, primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("finding", Text, nullable=False),
)

BASELINE = [meta, runs, journal_events, messages, deliveries, evidence, findings]


def upgrade() -> None:
    bind = op.get_bind()
    had_messages = sa.inspect(bind).has_table("messages")
    had_deliveries = sa.inspect(bind).has_table("deliveries")
    for table in BASELINE:
        table.create(bind, checkfirst=True)
        for index in table.indexes:
            index.create(bind, checkfirst=True)
    if bind.dialect.name == "sqlite":
        version = bind.exec_driver_sql("PRAGMA user_version").scalar() or 0
        if had_messages and (version < 1 or not had_deliveries):
            bind.exec_driver_sql(
                "INSERT OR IGNORE INTO deliveries (id, sha256, run_id, arrived_at, message)"
                " SELECT 'sha:' || sha256, sha256, run_id, arrived_at, message FROM messages"
            )
        bind.exec_driver_sql("PRAGMA user_version = 1")


def downgrade() -> None:
    for table in reversed(BASELINE):
        table.drop(op.get_bind(), checkfirst=True)
