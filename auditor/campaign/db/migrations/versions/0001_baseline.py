"""Baseline: the campaign tables as ``campaign.db`` held them before Alembic (SQLite user_version 1).

Runs on any database without an ``alembic_version``: creates what is missing, so a new
database gets every table and an existing folder keeps its rows. A folder older than
deliveries (user_version 0) gets them here as that version's own migration did: each
stored message was one delivery.
"""

import sqlalchemy as sa
from alembic import op

from auditor.campaign.db.tables import BASELINE

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


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
