"""What an IMAP mailbox has already read, kept in the campaign's SQLite so a restart resumes.

Per folder: UIDVALIDITY and the last UID read (the cursor). Per UID read: its
content hash, its identity (Message-ID, else the hash) and whether it was
counted as a delivery. A message's deliveries are the most copies of it that
any one folder under one UIDVALIDITY holds: a second UID in the same folder is
a second delivery (the store sent it again), while the same message seen again
by a re-sync, after a UIDVALIDITY change or as a copy in another folder is not.
The cursor and the UID rows move in one transaction, after the raw bytes
are on disk and the callback has run: a crash can repeat a report, never lose one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel

_SCHEMA = """
CREATE TABLE IF NOT EXISTS imap_sync (
    account     TEXT NOT NULL,
    folder      TEXT NOT NULL,
    uidvalidity INTEGER NOT NULL,
    last_uid    INTEGER NOT NULL,
    synced_at   TEXT NOT NULL,
    PRIMARY KEY (account, folder)
);
CREATE TABLE IF NOT EXISTS imap_uids (
    account     TEXT NOT NULL,
    folder      TEXT NOT NULL,
    uidvalidity INTEGER NOT NULL,
    uid         INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    identity    TEXT NOT NULL,
    counted     INTEGER NOT NULL,
    PRIMARY KEY (account, folder, uidvalidity, uid)
);
CREATE INDEX IF NOT EXISTS imap_uids_identity ON imap_uids (account, identity);
"""

# Before deliveries were counted, one row per reported hash; each was one counted delivery.
_MIGRATE_SEEN = """
INSERT OR IGNORE INTO imap_uids (account, folder, uidvalidity, uid, sha256, identity, counted)
SELECT account, folder, uidvalidity, uid, sha256, COALESCE(message_id, sha256), 1 FROM imap_seen;
DROP TABLE imap_seen;
"""


class FolderCursor(BaseModel):
    uidvalidity: int
    last_uid: int


class SeenRow(BaseModel):
    """One UID read: ``counted`` if it was reported as a delivery, not if it was a copy seen again."""

    sha256: str
    identity: str
    folder: str
    uidvalidity: int
    uid: int
    counted: bool = True


Place = tuple[str, int, int, bool]  # folder, uidvalidity, uid, counted


class ImapSyncState:
    """A thin store over ``campaign.db``; each call opens its own short connection so it is
    safe from worker threads and next to the campaign's own writer."""

    def __init__(self, db_path: Path, account: str):
        self.db_path = Path(db_path)
        self.account = account
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(_SCHEMA)
            if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'imap_seen'").fetchone():
                db.executescript(_MIGRATE_SEEN)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.db_path, timeout=30)
        db.execute("PRAGMA busy_timeout = 30000")
        return db

    def cursor(self, folder: str) -> FolderCursor | None:
        with self._connect() as db:
            row = db.execute(
                "SELECT uidvalidity, last_uid FROM imap_sync WHERE account = ? AND folder = ?",
                (self.account, folder),
            ).fetchone()
        return FolderCursor(uidvalidity=row[0], last_uid=row[1]) if row else None

    def places(self, identities: list[str]) -> dict[str, set[Place]]:
        """Every UID already read for each of these identities. Asks only about the batch at
        hand: the cost follows new mail, not the size of the mailbox."""
        found: dict[str, set[Place]] = {}
        with self._connect() as db:
            for chunk in _chunks(sorted(set(identities))):
                marks = ",".join("?" * len(chunk))
                rows = db.execute(
                    "SELECT identity, folder, uidvalidity, uid, counted FROM imap_uids"
                    f" WHERE account = ? AND identity IN ({marks})",
                    (self.account, *chunk),
                )
                for identity, folder, uidvalidity, uid, counted in rows:
                    found.setdefault(identity, set()).add((folder, uidvalidity, uid, bool(counted)))
        return found

    def advance(self, folder: str, cursor: FolderCursor, seen: Iterable[SeenRow]) -> None:
        """Record reported messages and move the folder's cursor, atomically."""
        now = datetime.now(UTC).isoformat()
        with self._connect() as db:
            db.executemany(
                "INSERT OR IGNORE INTO imap_uids (account, folder, uidvalidity, uid, sha256, identity, counted)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(self.account, s.folder, s.uidvalidity, s.uid, s.sha256, s.identity, int(s.counted)) for s in seen],
            )
            db.execute(
                "INSERT INTO imap_sync (account, folder, uidvalidity, last_uid, synced_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (account, folder) DO UPDATE SET uidvalidity = excluded.uidvalidity,"
                " last_uid = excluded.last_uid, synced_at = excluded.synced_at",
                (self.account, folder, cursor.uidvalidity, cursor.last_uid, now),
            )


def _chunks(values: list[str], size: int = 400) -> list[list[str]]:
    """SQLite caps the number of ``?`` in one statement; stay well under it."""
    return [values[i : i + size] for i in range(0, len(values), size)]
