"""Timed steps (``- after: 48h``) in the campaign's database, so a team's workers share one schedule.

A folder whose ``Schedule`` already made the table keeps it as it is (same columns)."""

from alembic import op
from sqlalchemy import Column, Index, Integer, MetaData, Table, Text

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

timed_steps = Table(  # frozen here, as this revision made it
    "timed_steps",
    MetaData(),
    Column("run_id", Text, primary_key=True),
    Column("block", Integer, primary_key=True),
    Column("due_at", Text, nullable=False),
    Column("steps", Text, nullable=False),
    Column("status", Text, nullable=False, server_default="scheduled"),
    Column("taken_by", Text),
    Column("taken_at", Text),
    Column("done_at", Text),
    Column("error", Text),
)
Index("timed_steps_due", timed_steps.c.status, timed_steps.c.due_at)


def upgrade() -> None:
    bind = op.get_bind()
    timed_steps.create(bind, checkfirst=True)
    for index in timed_steps.indexes:
        index.create(bind, checkfirst=True)


def downgrade() -> None:
    op.drop_table("timed_steps")
