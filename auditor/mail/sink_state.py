"""When the SMTP sink was listening, kept in the campaign's SQLite so a report can say when it was not
(a team's campaign keeps the same rows in its database: ``auditor.campaign.db.mailstate``).

A store whose mail reaches a sink that is down retries for a while and then
gives up; IMAP keeps such mail, a sink cannot. So the sink writes an interval
per start: ``started_at`` when it binds, ``alive_at`` refreshed while it runs,
``stopped_at`` on a clean stop. A crash leaves the interval open; the next
start closes it at its last ``alive_at`` and marks it ``crashed``, so "down
from when to when" is known to within one heartbeat.
"""

from __future__ import annotations

import socket
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import AwareDatetime, BaseModel, Field

HEARTBEAT_SECONDS = 15.0

SCHEMA = """
CREATE TABLE IF NOT EXISTS sink_uptime (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  sink       TEXT NOT NULL,
  address    TEXT NOT NULL,
  started_at TEXT NOT NULL,
  alive_at   TEXT NOT NULL,
  stopped_at TEXT,
  ended      TEXT,
  host       TEXT
);
"""


class UpInterval(BaseModel):
    """One stretch of listening; ``ended`` is ``stopped``, ``crashed`` or None (still up)."""

    sink: str
    address: str
    started_at: AwareDatetime
    stopped_at: AwareDatetime | None = None
    ended: str | None = None
    host: str | None = Field(default=None, description="the machine the sink ran on (None: recorded before hosts)")


class DownInterval(BaseModel):
    """A stretch with no sink listening, between two up intervals (or after the last one)."""

    since: AwareDatetime
    until: AwareDatetime | None = None
    cause: str


def _now() -> str:
    return datetime.now(UTC).isoformat()


class SinkUptime:
    """The sink's own rows; short connections, so it is safe beside the campaign's writer."""

    def __init__(self, db_path: Path, sink: str = "smtp-sink", host: str | None = None):
        self.db_path = Path(db_path)
        self.sink = sink
        self.host = host or socket.gethostname()
        self.current: int | None = None
        with self._connect() as db:
            db.executescript(SCHEMA)
            if "host" not in {row[1] for row in db.execute("PRAGMA table_info(sink_uptime)")}:
                db.execute("ALTER TABLE sink_uptime ADD COLUMN host TEXT")  # a state file from before hosts

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.db_path, timeout=30)
        db.execute("PRAGMA busy_timeout = 30000")
        return db

    def started(self, address: str, alone: bool = True) -> None:
        """Close what a crash left open (at its last heartbeat), then open this start's interval.
        ``alone``: no other sink is live on this folder (else its open interval is its own, not a crash)."""
        now = _now()
        with self._connect() as db:
            if alone:
                db.execute(
                    "UPDATE sink_uptime SET stopped_at = alive_at, ended = 'crashed'"
                    " WHERE sink = ? AND stopped_at IS NULL",
                    (self.sink,),
                )
            cur = db.execute(
                "INSERT INTO sink_uptime (sink, address, started_at, alive_at, host) VALUES (?, ?, ?, ?, ?)",
                (self.sink, address, now, now, self.host),
            )
            self.current = cur.lastrowid

    def beat(self) -> None:
        if self.current is not None:
            with self._connect() as db:
                db.execute("UPDATE sink_uptime SET alive_at = ? WHERE id = ?", (_now(), self.current))

    def stopped(self) -> None:
        if self.current is not None:
            now = _now()
            with self._connect() as db:
                db.execute(
                    "UPDATE sink_uptime SET alive_at = ?, stopped_at = ?, ended = 'stopped' WHERE id = ?",
                    (now, now, self.current),
                )
            self.current = None


def up_intervals(db: sqlite3.Connection, sink: str | None = None) -> list[UpInterval]:
    """Every recorded interval, oldest first (an empty list when no sink ever ran here)."""
    db.executescript(SCHEMA)
    where, args = (" WHERE sink = ?", (sink,)) if sink else ("", ())
    rows = db.execute(
        f"SELECT sink, address, started_at, stopped_at, ended, host FROM sink_uptime{where} ORDER BY id", args
    )
    return [interval(r) for r in rows.fetchall()]


def interval(row: Sequence[Any]) -> UpInterval:
    """One ``sink_uptime`` row (sink, address, started_at, stopped_at, ended, host) as an interval."""
    sink, address, started_at, stopped_at, ended, host = row
    return UpInterval(sink=sink, address=address, started_at=started_at, stopped_at=stopped_at, ended=ended, host=host)


def down_intervals(up: list[UpInterval], since: datetime, until: datetime) -> list[DownInterval]:
    """The gaps inside ``[since, until]`` when no sink was up: what a report should name."""
    gaps: list[DownInterval] = []
    cursor, cause = since, "the sink had not started yet"
    for interval in sorted(up, key=lambda i: i.started_at):
        if interval.started_at > cursor and cursor < until:
            gaps.append(DownInterval(since=cursor, until=min(interval.started_at, until), cause=cause))
        end = interval.stopped_at
        if end is None:
            return gaps  # still up
        cursor = max(cursor, end)
        cause = "the sink crashed" if interval.ended == "crashed" else "the sink was stopped"
    if cursor < until:
        gaps.append(DownInterval(since=cursor, until=until, cause=cause))
    return gaps
