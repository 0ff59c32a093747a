"""The mailbox host's own state in a team's database: the SMTP sink's uptime and the IMAP cursor.

A folder's mailbox keeps both in its ``campaign.db`` (``SinkUptime``, ``ImapSyncState``); a team's
mailbox host used to keep them in its working folder, so a report scored on another machine could
not say when the sink was down, and a mailbox host moved to a new machine read the whole inbox again.
These are the same classes writing the same rows through to the campaign's database (revision 0004):
write-through, not a mirror, because every beat and every cursor move is already one short
transaction, and a mirror would add a second copy that can lag behind or be lost with the machine.
"""

from __future__ import annotations

import socket
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from auditor.campaign.db import tables as t
from auditor.mail.imap_state import FolderCursor, ImapSyncState, Place, SeenRow
from auditor.mail.sink_state import HEARTBEAT_SECONDS, SinkUptime, UpInterval, interval

STALE_AFTER = timedelta(seconds=3 * HEARTBEAT_SECONDS)  # no beat this long: that sink's process is gone


def _upsert(engine: Engine) -> Any:
    return postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert


def _now() -> datetime:
    return datetime.now(UTC)


class SharedSinkUptime(SinkUptime):
    """``SinkUptime`` whose intervals go to the campaign's database, each marked with its host.

    Only one process hosts a campaign's mailbox, but it may move: a start closes as ``crashed`` (at its
    last beat) an interval left open by this host (when ``alone``, as for a folder) or by any host whose
    beats stopped ``stale_after`` ago (three heartbeats); each beat does the same for other hosts, so a
    machine that died while another took over does not look up forever."""

    def __init__(
        self, engine: Engine, sink: str = "smtp-sink", host: str | None = None, stale_after: timedelta = STALE_AFTER
    ):
        self.engine = engine
        self.sink = sink
        self.host = host or socket.gethostname()
        self.stale_after = stale_after
        self.current: int | None = None

    def _close_crashed(self, conn: Any, alone: bool) -> None:
        cutoff = _now() - self.stale_after
        rows = conn.execute(
            select(t.sink_uptime.c.id, t.sink_uptime.c.host, t.sink_uptime.c.alive_at).where(
                t.sink_uptime.c.sink == self.sink, t.sink_uptime.c.stopped_at.is_(None)
            )
        )
        for row_id, host, alive_at in list(rows):
            if row_id == self.current:
                continue
            if (alone and host == self.host) or datetime.fromisoformat(alive_at) < cutoff:
                conn.execute(
                    update(t.sink_uptime)
                    .where(t.sink_uptime.c.id == row_id)
                    .values(stopped_at=alive_at, ended="crashed")
                )

    def started(self, address: str, alone: bool = True) -> None:
        now = _now().isoformat()
        with self.engine.begin() as conn:
            self._close_crashed(conn, alone)
            row = {"sink": self.sink, "address": address, "started_at": now, "alive_at": now, "host": self.host}
            self.current = conn.execute(insert(t.sink_uptime).values(row).returning(t.sink_uptime.c.id)).scalar_one()

    def beat(self) -> None:
        if self.current is not None:
            with self.engine.begin() as conn:
                conn.execute(
                    update(t.sink_uptime).where(t.sink_uptime.c.id == self.current).values(alive_at=_now().isoformat())
                )
                self._close_crashed(conn, alone=False)

    def stopped(self) -> None:
        if self.current is not None:
            now = _now().isoformat()
            with self.engine.begin() as conn:
                conn.execute(
                    update(t.sink_uptime)
                    .where(t.sink_uptime.c.id == self.current)
                    .values(alive_at=now, stopped_at=now, ended="stopped")
                )
            self.current = None


def shared_up_intervals(engine: Engine) -> list[UpInterval]:
    """Every interval any host's sink recorded for this campaign, oldest first."""
    c = t.sink_uptime.c
    query = select(c.sink, c.address, c.started_at, c.stopped_at, c.ended, c.host).order_by(c.started_at, c.id)
    with engine.connect() as conn:
        return [interval(row) for row in conn.execute(query)]


class SharedImapState(ImapSyncState):
    """``ImapSyncState`` in the campaign's database: the cursor (UIDVALIDITY, last UID per folder) and the
    UIDs read, so a mailbox host on a new machine goes on where the last one stopped instead of reading
    the whole inbox again (and a copy it finds is recognised as one, not counted as a new delivery)."""

    def __init__(self, engine: Engine, account: str):
        self.engine = engine
        self.account = account

    def cursor(self, folder: str) -> FolderCursor | None:
        c = t.imap_sync.c
        query = select(c.uidvalidity, c.last_uid).where(c.account == self.account, c.folder == folder)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return FolderCursor(uidvalidity=row[0], last_uid=row[1]) if row else None

    def places(self, identities: list[str]) -> dict[str, set[Place]]:
        c = t.imap_uids.c
        found: dict[str, set[Place]] = {}
        wanted = sorted(set(identities))
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), 400):
                query = select(c.identity, c.folder, c.uidvalidity, c.uid, c.counted).where(
                    c.account == self.account, c.identity.in_(wanted[start : start + 400])
                )
                for identity, folder, uidvalidity, uid, counted in conn.execute(query):
                    found.setdefault(identity, set()).add((folder, uidvalidity, uid, bool(counted)))
        return found

    def advance(self, folder: str, cursor: FolderCursor, seen: Iterable[SeenRow]) -> None:
        """The UIDs and the cursor in one transaction, as in a folder."""
        rows = [
            {"account": self.account, "folder": s.folder, "uidvalidity": s.uidvalidity, "uid": s.uid,
             "sha256": s.sha256, "identity": s.identity, "counted": int(s.counted)}
            for s in seen
        ]  # fmt: skip
        upsert = _upsert(self.engine)
        with self.engine.begin() as conn:
            if rows:
                conn.execute(upsert(t.imap_uids).on_conflict_do_nothing(), rows)
            stmt = upsert(t.imap_sync).values(
                account=self.account,
                folder=folder,
                uidvalidity=cursor.uidvalidity,
                last_uid=cursor.last_uid,
                synced_at=_now().isoformat(),
            )
            conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=["account", "folder"],
                    set_={
                        "uidvalidity": stmt.excluded.uidvalidity,
                        "last_uid": stmt.excluded.last_uid,
                        "synced_at": stmt.excluded.synced_at,
                    },
                )
            )
