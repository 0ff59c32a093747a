"""The campaign folder: one self-contained directory holding everything a run left.

``campaign.db`` (SQLite) keeps runs, journal events, messages (one row per
content hash), deliveries (one row per arrival: the same bytes sent twice are
two), evidence, findings and the mailbox's own state (sink uptime, IMAP
cursor); ``mail/<sha256>.eml`` keeps every raw message; ``runs/<run-id>/``
keeps screenshots and traces. Copy the folder and you can re-score and
re-render it anywhere, with no store and no network.

Each write is committed at once (autocommit), so a crash loses at most the
statement in flight and a campaign can resume from what is on disk.
"""

import json
import shutil
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path, PurePath, PurePosixPath
from typing import TYPE_CHECKING, Any

from auditor.campaign.artifacts import LEFT_OUT, Artifact, StoredArtifacts, run_files
from auditor.campaign.db.migrate import upgrade_sqlite
from auditor.mail.sink_state import DownInterval, UpInterval, down_intervals, up_intervals
from auditor.models import (
    Evidence,
    Expectations,
    Finding,
    Journal,
    JournalEvent,
    Message,
    MessageRecord,
    Persona,
    Run,
    RunRecord,
    RunStatus,
    Store,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from auditor.campaign.schedule import Schedule

# The tables (auditor/campaign/db/tables.py) and their migrations (Alembic, auditor/campaign/db/migrations)
# are one schema for this folder's SQLite and for a team's PostgreSQL (auditor/campaign/db/store.py).


def reset_folder(path: Path) -> None:
    """Make room for a fresh campaign, but never delete a folder that is not a campaign folder."""
    if not path.exists():
        return
    if not (path / "campaign.db").exists() and any(path.iterdir()):
        raise FileExistsError(f"{path} exists and is not a campaign folder; choose another --out")
    shutil.rmtree(path)


class CampaignFolder:
    """Typed access to a campaign folder; the only code that touches ``campaign.db``."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        upgrade_sqlite(self.path / "campaign.db")  # Alembic: new tables, or an older folder brought up to date
        self.db = sqlite3.connect(self.path / "campaign.db", isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")

    @property
    def mail_dir(self) -> Path:
        return self.path / "mail"

    @property
    def runs_dir(self) -> Path:
        return self.path / "runs"

    def artifacts_dir(self, run_id: str) -> Path:
        return self.runs_dir / run_id

    def mailbox_state(self) -> "Path | Engine":
        """Where this campaign's mailbox keeps its own state (sink uptime, IMAP cursor): ``campaign.db``
        (a team's database: its engine), for ``open_mailbox``."""
        return self.path / "campaign.db"

    # a run's artifacts (screenshots, page HTML, traces): a folder's are its files in runs/<run-id>/
    def store_artifacts(self, run_id: str, directory: Path | None = None) -> StoredArtifacts:
        """Nothing to store: a folder's artifacts are already where its reports look (a team's database
        stores them here, since its runs' folders are on other machines)."""
        return StoredArtifacts(run_id=run_id, stored=[name for name, _ in run_files(self.artifacts_dir(run_id))])

    def artifacts(self, run_id: str) -> list[Artifact]:
        """The run's files, named relative to its folder (``failure.png``, ``retry/trace.zip``)."""
        found = []
        for name, path in run_files(self.artifacts_dir(run_id)):
            stat = path.stat()
            at = datetime.fromtimestamp(stat.st_mtime, UTC)
            found.append(Artifact(run_id=run_id, name=name, size=stat.st_size, created_at=at))
        return found

    def artifact_refs(self, run_id: str, recorded: Iterable[str] = ()) -> list[str]:
        """The run's artifacts as paths relative to this folder (``runs/<run-id>/failure.png``), the same
        wherever the folder is copied: first what the journal recorded (an absolute path on the machine
        that shopped, a team's worker say) mapped onto this folder when the file is here, then any other file."""
        refs: list[str] = []
        for path in recorded:
            parts = PurePath(path).parts
            at = next((i for i in range(len(parts) - 1) if parts[i : i + 2] == ("runs", run_id)), None)
            if at is None:
                refs.append(str(path))  # not a run folder's file: as recorded
            elif (self.path / (ref := PurePosixPath(*parts[at:]).as_posix())).is_file():
                refs.append(ref)  # else not here: left out of the database (its LEFT-OUT.txt says so)
        run_dir = self.artifacts_dir(run_id)
        names = [name for name, _ in run_files(run_dir)] + ([LEFT_OUT] if (run_dir / LEFT_OUT).is_file() else [])
        return refs + [ref for name in names if (ref := f"runs/{run_id}/{name}") not in refs]

    def materialise_artifacts(self, target: Path | None = None) -> list[Path]:
        """Nothing to write: a folder's artifacts are its files (a team's database writes them here)."""
        return []

    def close(self) -> None:
        self.db.close()

    def schedule(self) -> "Schedule":
        """The campaign's timed steps (its own connection: a claim's transaction is its own)."""
        from auditor.campaign.schedule import Schedule

        return Schedule(self.path / "campaign.db")

    def __enter__(self) -> "CampaignFolder":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # meta: the campaign's own settings (name, rubric, definition)
    def set_meta(self, key: str, value: Any) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, json.dumps(value)))

    def meta(self, key: str, default: Any = None) -> Any:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    # runs
    def add_run(self, run: Run, store: Store, persona: Persona, expectations: Expectations) -> None:
        """Register a planned run with the store, persona and expectations it was run with."""
        position = self.db.execute("SELECT COALESCE(MAX(position), -1) + 1 FROM runs").fetchone()[0]
        self.db.execute(
            "INSERT INTO runs (id, position, status, run, store, persona, expectations) VALUES (?,?,?,?,?,?,?)",
            (
                run.id,
                position,
                run.status.value,
                run.model_dump_json(),
                store.model_dump_json(exclude_none=True),
                persona.model_dump_json(),
                expectations.model_dump_json(),
            ),
        )

    def save_run(self, run: Run) -> None:
        self.db.execute(
            "UPDATE runs SET status = ?, run = ? WHERE id = ?",
            (run.status.value, run.model_dump_json(), run.id),
        )

    def close_observation(self, run_id: str, until: str) -> None:
        self.db.execute("UPDATE runs SET observed_until = ? WHERE id = ?", (until, run_id))

    def runs(self, status: RunStatus | None = None) -> list[Run]:
        sql = "SELECT run FROM runs" + (" WHERE status = ?" if status else "") + " ORDER BY position"
        args = (status.value,) if status else ()
        return [Run.model_validate_json(r[0]) for r in self.db.execute(sql, args)]

    def run(self, run_id: str) -> Run:
        row = self.db.execute("SELECT run FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            raise KeyError(f"no run {run_id!r} in {self.path}")
        return Run.model_validate_json(row[0])

    def store_of(self, run_id: str) -> Store:
        row = self.db.execute("SELECT store FROM runs WHERE id = ?", (run_id,)).fetchone()
        return Store.model_validate_json(row[0])

    # journal
    def add_event(self, run_id: str, event: JournalEvent) -> None:
        self.db.execute(
            "INSERT INTO journal_events (run_id, at, kind, event) VALUES (?,?,?,?)",
            (run_id, event.at.isoformat(), event.kind, event.model_dump_json()),
        )

    def clear_journal(self, run_id: str) -> None:
        """Forget a run's journal: only for a run that starts over because it stopped before its order."""
        self.db.execute("DELETE FROM journal_events WHERE run_id = ?", (run_id,))

    def journal(self, run_id: str) -> Journal:
        rows = self.db.execute("SELECT event FROM journal_events WHERE run_id = ? ORDER BY id", (run_id,))
        return Journal(run_id=run_id, events=[JournalEvent.model_validate_json(r[0]) for r in rows])

    # messages (by content) and deliveries (by arrival)
    def add_message(self, message: Message) -> bool:
        """Index one delivery of a message whose raw bytes are already in ``mail/``; False if this
        delivery (``message.delivery_key``) is known. The content row is kept once per hash.

        A ``recovered:`` delivery (an ``.eml`` found unindexed after a crash, whose 250 may never
        have been sent) is provisional: the next delivery of the same bytes replaces it, because
        that is most likely the sender retrying the transaction the crash cut short."""
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute(
                "INSERT OR IGNORE INTO messages (sha256, run_id, arrived_at, message) VALUES (?,?,?,?)",
                (message.sha256, message.run_id, message.arrived_at.isoformat(), message.model_dump_json()),
            )
            key = message.delivery_key
            if not key.startswith("recovered:"):
                self.db.execute("DELETE FROM deliveries WHERE id = ?", (f"recovered:{message.sha256}",))
            cur = self.db.execute(
                "INSERT OR IGNORE INTO deliveries (id, sha256, run_id, arrived_at, message) VALUES (?,?,?,?,?)",
                (key, message.sha256, message.run_id, message.arrived_at.isoformat(), message.model_dump_json()),
            )
            return cur.rowcount == 1

    def assign_message(self, sha256: str, run_id: str | None, delivery_key: str | None = None) -> None:
        """Give a message (every delivery of it, or only ``delivery_key``) to a run."""
        if delivery_key is None:
            row = self.db.execute("SELECT message FROM messages WHERE sha256 = ?", (sha256,)).fetchone()
            message = Message.model_validate_json(row[0]).model_copy(update={"run_id": run_id})
            self.db.execute(
                "UPDATE messages SET run_id = ?, message = ? WHERE sha256 = ?",
                (run_id, message.model_dump_json(), sha256),
            )
        rows = self.db.execute(
            "SELECT id, message FROM deliveries WHERE sha256 = ?" + (" AND id = ?" if delivery_key else ""),
            (sha256, delivery_key) if delivery_key else (sha256,),
        ).fetchall()
        for key, text in rows:
            delivery = Message.model_validate_json(text).model_copy(update={"run_id": run_id})
            self.db.execute(
                "UPDATE deliveries SET run_id = ?, message = ? WHERE id = ?", (run_id, delivery.model_dump_json(), key)
            )

    def messages(self, run_id: str | None = None) -> list[Message]:
        """One per content hash (its first delivery): what is stored. Counting uses ``deliveries``."""
        if run_id is None:
            rows = self.db.execute("SELECT message FROM messages ORDER BY arrived_at, sha256")
        else:  # every content a delivery to this run holds, even if its first delivery went elsewhere
            rows = self.db.execute(
                "SELECT message FROM messages WHERE run_id = ? OR sha256 IN"
                " (SELECT sha256 FROM deliveries WHERE run_id = ?) ORDER BY arrived_at, sha256",
                (run_id, run_id),
            )
        return [Message.model_validate_json(r[0]) for r in rows]

    def deliveries(
        self, run_id: str | None = None, *, unmatched: bool = False, sha256: str | None = None
    ) -> list[Message]:
        """One per arrival, by arrival: a store that sent the same bytes twice shows twice."""
        where, args = "", ()
        if sha256 is not None:
            where, args = " WHERE sha256 = ?", (sha256,)
        elif unmatched:
            where = " WHERE run_id IS NULL"
        elif run_id is not None:
            where, args = " WHERE run_id = ?", (run_id,)
        rows = self.db.execute(f"SELECT message FROM deliveries{where} ORDER BY arrived_at, id", args)
        return [Message.model_validate_json(r[0]) for r in rows]

    def unanalysed(self) -> list[str]:
        """Hashes stored and indexed but without evidence yet: the durable "to analyse" list."""
        rows = self.db.execute(
            "SELECT sha256 FROM messages m WHERE NOT EXISTS (SELECT 1 FROM evidence e WHERE e.sha256 = m.sha256)"
            " ORDER BY arrived_at"
        )
        return [r[0] for r in rows]

    def indexed(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT sha256 FROM messages")}

    def sink_uptime(self) -> list[UpInterval]:
        """When an SMTP sink listened on this folder (empty if none ever did); see ``down_intervals``."""
        return up_intervals(self.db)

    def sink_down(self, since: datetime, until: datetime) -> list[DownInterval]:
        """When no SMTP sink listened between ``since`` and ``until`` (a run's window, say): mail a
        store sent then was refused or lost, which a report should say. Empty if no sink ever ran here."""
        up = self.sink_uptime()
        return down_intervals(up, since, until) if up else []

    def raw(self, sha256: str) -> bytes:
        return (self.mail_dir / f"{sha256}.eml").read_bytes()

    def put_evidence(self, evidence: Evidence) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO evidence VALUES (?, ?)",
            (evidence.message_sha256, evidence.model_dump_json()),
        )

    def evidence(self, sha256: str) -> Evidence | None:
        row = self.db.execute("SELECT evidence FROM evidence WHERE sha256 = ?", (sha256,)).fetchone()
        return Evidence.model_validate_json(row[0]) if row else None

    # findings
    def replace_findings(self, run_id: str, findings: list[Finding]) -> None:
        with self.db:
            self.db.execute("BEGIN")
            self.db.execute("DELETE FROM findings WHERE run_id = ?", (run_id,))
            self.db.executemany(
                "INSERT INTO findings VALUES (?,?,?)",
                [(run_id, i, f.model_dump_json()) for i, f in enumerate(findings)],
            )

    def findings(self, run_id: str) -> list[Finding]:
        rows = self.db.execute("SELECT finding FROM findings WHERE run_id = ? ORDER BY position", (run_id,))
        return [Finding.model_validate_json(r[0]) for r in rows]

    # everything a rubric needs
    def run_record(self, run_id: str) -> RunRecord:
        """Assemble a run's record from disk alone; evidence missing for a message is recomputed by the caller."""
        row = self.db.execute(
            "SELECT run, store, persona, expectations, observed_until FROM runs WHERE id = ?", (run_id,)
        ).fetchone()
        if row is None:
            raise KeyError(f"no run {run_id!r} in {self.path}")
        return self._record(run_id, row)

    def _record(self, run_id: str, row: Sequence[Any]) -> RunRecord:
        """A run's record from its row (run, store, persona, expectations, observed_until), its journal and
        its deliveries with their evidence: the same assembly for every campaign store."""
        records = []
        for message in self.deliveries(run_id):
            evidence = self.evidence(message.sha256)
            if evidence is not None:
                records.append(MessageRecord(message=message, evidence=evidence))
        return RunRecord(
            run=Run.model_validate_json(row[0]),
            journal=self.journal(run_id),
            store=Store.model_validate_json(row[1]),
            persona=Persona.model_validate_json(row[2]),
            expectations=Expectations.model_validate_json(row[3]),
            messages=records,
            observed_until=row[4],
        )
