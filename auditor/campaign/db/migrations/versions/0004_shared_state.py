"""What the mailbox host and the workers kept on their own disk, in the campaign's database: the SMTP
sink's uptime (with the host it ran on), the IMAP cursor and the UIDs read, and runs' artifacts.

A folder whose sink or IMAP mailbox already made ``sink_uptime`` / ``imap_sync`` / ``imap_uids`` in its
``campaign.db`` keeps them with their rows (same columns); ``sink_uptime`` gains ``host``. A folder's
``run_artifacts`` stays empty: its artifacts are files in ``runs/<run-id>/``."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Column, Index, Integer, LargeBinary, MetaData, PrimaryKeyConstraint, Table, Text

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

metadata = MetaData()  # frozen here, as this revision made them

sink_uptime = Table(
    "sink_uptime",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sink", Text, nullable=False),
    Column("address", Text, nullable=False),
    Column("started_at", Text, nullable=False),
    Column("alive_at", Text, nullable=False),
    Column("stopped_at", Text),
    Column("ended", Text),
    Column("host", Text),
    sqlite_autoincrement=True,
)

imap_sync = Table(
    "imap_sync",
    metadata,
    Column("account", Text, nullable=False),
    Column("folder", Text, nullable=False),
    Column("uidvalidity", Integer, nullable=False),
    Column("last_uid", Integer, nullable=False),
    Column("synced_at", Text, nullable=False),
    PrimaryKeyConstraint("account", "folder"),
)

imap_uids = Table(
    "imap_uids",
    metadata,
    Column("account", Text, nullable=False),
    Column("folder", Text, nullable=False),
    Column("uidvalidity", Integer, nullable=False),
    Column("uid", Integer, nullable=False),
    Column("sha256", Text, nullable=False),
    Column("identity", Text, nullable=False),
    Column("counted", Integer, nullable=False),
    PrimaryKeyConstraint("account", "folder", "uidvalidity", "uid"),
)
Index("imap_uids_identity", imap_uids.c.account, imap_uids.c.identity)

run_artifacts = Table(
    "run_artifacts",
    metadata,
    Column("run_id", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("size", Integer, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("host", Text),
    PrimaryKeyConstraint("run_id", "name"),
)

TABLES = [sink_uptime, imap_sync, imap_uids, run_artifacts]


def upgrade() -> None:
    bind = op.get_bind()
    had_uptime = sa.inspect(bind).has_table("sink_uptime")
    for table in TABLES:
        table.create(bind, checkfirst=True)
        for index in table.indexes:
            index.create(bind, checkfirst=True)
    if had_uptime and "host" not in {c["name"] for c in sa.inspect(bind).get_columns("sink_uptime")}:
        op.add_column("sink_uptime", Column("host", Text))


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table.name)
