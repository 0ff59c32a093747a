"""The campaign tables as SQLAlchemy Core, mirroring what ``CampaignFolder`` has always kept in
``campaign.db``: the migrations create them and ``CampaignDatabase`` queries them.

Values stay as they were (timestamps as ISO text, models as JSON text) so a SQLite folder and a
PostgreSQL campaign hold the same strings and sort alike. ``mail_raw`` is the one addition: the
raw bytes of each message, which a folder keeps as ``mail/<sha256>.eml`` but machines sharing a
campaign have no common folder for.

The migrations keep their own frozen copies of what they create: a change here goes with a new
revision in ``migrations/versions/`` that makes it, never with an edit of an old revision.
"""

from sqlalchemy import Column, ForeignKey, Index, Integer, LargeBinary, MetaData, PrimaryKeyConstraint, Table, Text

metadata = MetaData()

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

mail_raw = Table(
    "mail_raw", metadata, Column("sha256", Text, primary_key=True), Column("raw", LargeBinary, nullable=False)
)

timed_steps = Table(  # auditor/campaign/schedule.py's table: a run's `- after:` blocks, claimed once
    "timed_steps",
    metadata,
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

# What the mailbox host and the workers kept on their own disk until revision 0004: shared, so a team
# loses none of it when a machine goes away. A folder keeps the same tables in its campaign.db.

sink_uptime = Table(  # auditor/mail/sink_state.py's intervals, and the host whose sink it was
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

imap_sync = Table(  # auditor/mail/imap_state.py's cursor: per account and folder, UIDVALIDITY and the last UID read
    "imap_sync",
    metadata,
    Column("account", Text, nullable=False),
    Column("folder", Text, nullable=False),
    Column("uidvalidity", Integer, nullable=False),
    Column("last_uid", Integer, nullable=False),
    Column("synced_at", Text, nullable=False),
    PrimaryKeyConstraint("account", "folder"),
)

imap_uids = Table(  # every UID read, so a copy or a re-sync seen by another host is not a new delivery
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

run_artifacts = Table(  # a run's screenshots, page HTML and trace (a team's; a folder keeps runs/<run-id>/)
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

SHARED_STATE = [sink_uptime, imap_sync, imap_uids, run_artifacts]

BASELINE = [meta, runs, journal_events, messages, deliveries, evidence, findings]
