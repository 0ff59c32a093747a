"""What an IMAP mailbox has already read, kept in the campaign's SQLite so a restart resumes.

Per folder: UIDVALIDITY and the last UID read (the cursor). Per account: the
content hashes and Message-IDs already reported, so a full resync after a
UIDVALIDITY change, or the same message in two folders, is reported once.
The cursor and the "seen" rows move in one transaction, after the raw bytes
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
CREATE TABLE IF NOT EXISTS imap_seen (
    account     TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    message_id  TEXT,
    folder      TEXT NOT NULL,
    uidvalidity INTEGER NOT NULL,
    uid         INTEGER NOT NULL,
    PRIMARY KEY (account, sha256)
);
CREATE INDEX IF NOT EXISTS imap_seen_message_id ON imap_seen (account, message_id);
"""


class FolderCursor(BaseModel):
    uidvalidity: int
    last_uid: int


class SeenRow(BaseModel):
    sha256: str
    message_id: str | None
    folder: str
    uidvalidity: int
    uid: int


class ImapSyncState:
    """A thin store over ``campaign.db``; each call opens its own short connection so it is
    safe from worker threads and next to the campaign's own writer."""

    def __init__(self, db_path: Path, account: str):
        self.db_path = Path(db_path)
        self.account = account
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(_SCHEMA)

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

    def known(self, shas: list[str], message_ids: list[str]) -> tuple[set[str], dict[str, set[tuple[str, int]]]]:
        """Which of these hashes were reported already, and where each of these Message-IDs was
        seen (folder, UIDVALIDITY). Asks only about the batch at hand: the cost follows new mail,
        not the size of the mailbox."""
        hashes: set[str] = set()
        places: dict[str, set[tuple[str, int]]] = {}
        with self._connect() as db:
            for chunk in _chunks(shas):
                marks = ",".join("?" * len(chunk))
                rows = db.execute(
                    f"SELECT sha256 FROM imap_seen WHERE account = ? AND sha256 IN ({marks})", (self.account, *chunk)
                )
                hashes.update(r[0] for r in rows)
            for chunk in _chunks(message_ids):
                marks = ",".join("?" * len(chunk))
                rows = db.execute(
                    "SELECT message_id, folder, uidvalidity FROM imap_seen"
                    f" WHERE account = ? AND message_id IN ({marks})",
                    (self.account, *chunk),
                )
                for message_id, folder, uidvalidity in rows:
                    places.setdefault(message_id, set()).add((folder, uidvalidity))
        return hashes, places

    def advance(self, folder: str, cursor: FolderCursor, seen: Iterable[SeenRow]) -> None:
        """Record reported messages and move the folder's cursor, atomically."""
        now = datetime.now(UTC).isoformat()
        with self._connect() as db:
            db.executemany(
                "INSERT OR IGNORE INTO imap_seen (account, sha256, message_id, folder, uidvalidity, uid)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [(self.account, s.sha256, s.message_id, s.folder, s.uidvalidity, s.uid) for s in seen],
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
