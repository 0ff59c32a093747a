"""The campaign store for teams: the same campaign a folder's ``campaign.db`` holds, in a database
several machines share (PostgreSQL), behind the ``CampaignFolder`` API so callers do not change.

Messages' raw bytes are in the database too (``mail_raw``): machines share no folder. So are the
mailbox host's own state (the SMTP sink's uptime, the IMAP cursor: ``mailstate``) and runs' artifacts
(``store_artifacts`` when a run ends, ``materialise_artifacts`` into a report folder). The local
``path`` is this process's working folder: mailboxes write ``mail/<sha256>.eml`` there first (as
for a folder), a worker's runs leave their artifacts there, and ``raw`` caches what it reads
from the database there, so the report's email pictures and ``auditor report`` work as for a folder.

Every write is its own transaction (or one for a multi-row change), committed at once, as the
folder's autocommit is: a process killed mid-run leaves every event it journalled.
"""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, delete, func, insert, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from auditor.campaign.artifacts import (
    LEFT_OUT,
    MAX_RUN_BYTES,
    Artifact,
    LeftOut,
    StoredArtifacts,
    left_out_note,
    read_left_out,
    run_files,
    safe_name,
)
from auditor.campaign.db import tables as t
from auditor.campaign.db.mailstate import shared_up_intervals
from auditor.campaign.db.migrate import sqlite_engine, upgrade
from auditor.campaign.db.schedule import DatabaseSchedule
from auditor.campaign.folder import CampaignFolder
from auditor.mail.sink_state import UpInterval
from auditor.models import (
    Evidence,
    Expectations,
    Finding,
    Journal,
    JournalEvent,
    Message,
    Persona,
    Run,
    RunRecord,
    RunStatus,
    Store,
)

MAIL_CHANNEL = "auditor_mail"  # NOTIFY channel: a run's mail was matched or analysed (see StoredMailWatch)


def is_database_url(target: str | None) -> bool:
    return bool(target) and "://" in str(target)


def engine_for(url: str) -> Engine:
    """``postgresql://`` means psycopg 3 (the one driver we ship)."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return create_engine(url, pool_pre_ping=True)


def psycopg_url(url: str) -> str:
    """The plain ``postgresql://`` form psycopg (and procrastinate) take."""
    scheme, rest = url.split("://", 1)
    return "postgresql://" + rest if scheme.startswith("postgres") else url


class CampaignDatabase(CampaignFolder):
    """A ``CampaignFolder`` whose tables live in a database at ``url``; ``path`` is the local working folder."""

    def __init__(self, url: str, path: Path | str):
        self.url = url
        self.path = Path(path)
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        self.engine = engine_for(url)
        upgrade(self.engine)
        self._insert = postgresql.insert if self.engine.dialect.name == "postgresql" else sqlite.insert

    def close(self) -> None:
        self.engine.dispose()

    def schedule(self) -> DatabaseSchedule:
        """The timed steps in the shared database: any worker or collector of the team claims them."""
        return DatabaseSchedule(self.engine)

    def _read(self, statement: Any) -> list[Any]:
        with self.engine.connect() as conn:
            return list(conn.execute(statement))

    def _write(self, *statements: Any) -> None:
        with self.engine.begin() as conn:
            for statement in statements:
                conn.execute(statement)

    def _mail_news(self, conn: Any) -> None:
        """Tell the team's workers that a run's mail changed (``MAIL_CHANNEL``), delivered when this
        transaction commits: a worker's wait for mail is an event, not a look every second."""
        if self.engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_notify(:channel, '')"), {"channel": MAIL_CHANNEL})

    # meta
    def set_meta(self, key: str, value: Any) -> None:
        stmt = self._insert(t.meta).values(key=key, value=json.dumps(value))
        self._write(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": stmt.excluded.value}))

    def meta(self, key: str, default: Any = None) -> Any:
        rows = self._read(select(t.meta.c.value).where(t.meta.c.key == key))
        return json.loads(rows[0][0]) if rows else default

    # runs
    def add_run(self, run: Run, store: Store, persona: Persona, expectations: Expectations) -> None:
        with self.engine.begin() as conn:
            if self.engine.dialect.name == "postgresql":  # positions in order, whoever adds runs at once
                conn.exec_driver_sql("LOCK TABLE runs IN SHARE ROW EXCLUSIVE MODE")
            position = conn.execute(select(func.coalesce(func.max(t.runs.c.position), -1) + 1)).scalar_one()
            conn.execute(
                insert(t.runs).values(
                    id=run.id,
                    position=position,
                    status=run.status.value,
                    run=run.model_dump_json(),
                    store=store.model_dump_json(exclude_none=True),
                    persona=persona.model_dump_json(),
                    expectations=expectations.model_dump_json(),
                )
            )

    def save_run(self, run: Run) -> None:
        self._write(
            update(t.runs).where(t.runs.c.id == run.id).values(status=run.status.value, run=run.model_dump_json())
        )

    def close_observation(self, run_id: str, until: str) -> None:
        self._write(update(t.runs).where(t.runs.c.id == run_id).values(observed_until=until))

    def runs(self, status: RunStatus | None = None) -> list[Run]:
        query = select(t.runs.c.run).order_by(t.runs.c.position)
        if status:
            query = query.where(t.runs.c.status == status.value)
        return [Run.model_validate_json(r[0]) for r in self._read(query)]

    def run(self, run_id: str) -> Run:
        rows = self._read(select(t.runs.c.run).where(t.runs.c.id == run_id))
        if not rows:
            raise KeyError(f"no run {run_id!r} in {self.url}")
        return Run.model_validate_json(rows[0][0])

    def store_of(self, run_id: str) -> Store:
        return Store.model_validate_json(self._read(select(t.runs.c.store).where(t.runs.c.id == run_id))[0][0])

    # journal
    def add_event(self, run_id: str, event: JournalEvent) -> None:
        self._write(
            insert(t.journal_events).values(
                run_id=run_id, at=event.at.isoformat(), kind=event.kind, event=event.model_dump_json()
            )
        )

    def clear_journal(self, run_id: str) -> None:
        self._write(delete(t.journal_events).where(t.journal_events.c.run_id == run_id))

    def journal(self, run_id: str) -> Journal:
        rows = self._read(
            select(t.journal_events.c.event).where(t.journal_events.c.run_id == run_id).order_by(t.journal_events.c.id)
        )
        return Journal(run_id=run_id, events=[JournalEvent.model_validate_json(r[0]) for r in rows])

    # messages and deliveries
    def add_message(self, message: Message) -> bool:
        """As the folder's: the raw bytes (written to the local ``mail/`` by the mailbox) go in too."""
        local = self.mail_dir / f"{message.sha256}.eml"
        arrived, text = message.arrived_at.isoformat(), message.model_dump_json()
        with self.engine.begin() as conn:
            if local.exists():
                conn.execute(
                    self._insert(t.mail_raw)
                    .values(sha256=message.sha256, raw=local.read_bytes())
                    .on_conflict_do_nothing()
                )
            conn.execute(
                self._insert(t.messages)
                .values(sha256=message.sha256, run_id=message.run_id, arrived_at=arrived, message=text)
                .on_conflict_do_nothing()
            )
            key = message.delivery_key
            if not key.startswith("recovered:"):
                conn.execute(delete(t.deliveries).where(t.deliveries.c.id == f"recovered:{message.sha256}"))
            result = conn.execute(
                self._insert(t.deliveries)
                .values(id=key, sha256=message.sha256, run_id=message.run_id, arrived_at=arrived, message=text)
                .on_conflict_do_nothing()
                .returning(t.deliveries.c.id)
            )
            return result.first() is not None

    def assign_message(self, sha256: str, run_id: str | None, delivery_key: str | None = None) -> None:
        with self.engine.begin() as conn:
            if delivery_key is None:
                text = conn.execute(select(t.messages.c.message).where(t.messages.c.sha256 == sha256)).scalar_one()
                message = Message.model_validate_json(text).model_copy(update={"run_id": run_id})
                conn.execute(
                    update(t.messages)
                    .where(t.messages.c.sha256 == sha256)
                    .values(run_id=run_id, message=message.model_dump_json())
                )
            query = select(t.deliveries.c.id, t.deliveries.c.message).where(t.deliveries.c.sha256 == sha256)
            if delivery_key:
                query = query.where(t.deliveries.c.id == delivery_key)
            for key, text in list(conn.execute(query)):
                delivery = Message.model_validate_json(text).model_copy(update={"run_id": run_id})
                conn.execute(
                    update(t.deliveries)
                    .where(t.deliveries.c.id == key)
                    .values(run_id=run_id, message=delivery.model_dump_json())
                )
            if run_id is not None:
                self._mail_news(conn)

    def messages(self, run_id: str | None = None) -> list[Message]:
        query = select(t.messages.c.message).order_by(t.messages.c.arrived_at, t.messages.c.sha256)
        if run_id is not None:
            held = select(t.deliveries.c.sha256).where(t.deliveries.c.run_id == run_id)
            query = query.where(or_(t.messages.c.run_id == run_id, t.messages.c.sha256.in_(held)))
        return [Message.model_validate_json(r[0]) for r in self._read(query)]

    def deliveries(
        self, run_id: str | None = None, *, unmatched: bool = False, sha256: str | None = None
    ) -> list[Message]:
        query = select(t.deliveries.c.message).order_by(t.deliveries.c.arrived_at, t.deliveries.c.id)
        if sha256 is not None:
            query = query.where(t.deliveries.c.sha256 == sha256)
        elif unmatched:
            query = query.where(t.deliveries.c.run_id.is_(None))
        elif run_id is not None:
            query = query.where(t.deliveries.c.run_id == run_id)
        return [Message.model_validate_json(r[0]) for r in self._read(query)]

    def unanalysed(self) -> list[str]:
        done = select(t.evidence.c.sha256).where(t.evidence.c.sha256 == t.messages.c.sha256).exists()
        return [r[0] for r in self._read(select(t.messages.c.sha256).where(~done).order_by(t.messages.c.arrived_at))]

    def indexed(self) -> set[str]:
        return {r[0] for r in self._read(select(t.messages.c.sha256))}

    def sink_uptime(self) -> list[UpInterval]:
        """When the team's SMTP sink listened, on whichever host ran it (``sink_down`` reads this)."""
        return shared_up_intervals(self.engine)

    def mailbox_state(self) -> Engine:
        """The mailbox host keeps its sink uptime and IMAP cursor in the shared database."""
        return self.engine

    def raw(self, sha256: str) -> bytes:
        """From the local cache, else the database (and cached: the report's pictures read ``mail/``)."""
        local = self.mail_dir / f"{sha256}.eml"
        if local.exists():
            return local.read_bytes()
        rows = self._read(select(t.mail_raw.c.raw).where(t.mail_raw.c.sha256 == sha256))
        if not rows:
            raise FileNotFoundError(f"no raw bytes for message {sha256} in {self.url}")
        data = bytes(rows[0][0])
        tmp = local.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(local)
        return data

    def put_evidence(self, evidence: Evidence) -> None:
        stmt = self._insert(t.evidence).values(sha256=evidence.message_sha256, evidence=evidence.model_dump_json())
        with self.engine.begin() as conn:
            conn.execute(
                stmt.on_conflict_do_update(index_elements=["sha256"], set_={"evidence": stmt.excluded.evidence})
            )
            self._mail_news(conn)

    def evidence(self, sha256: str) -> Evidence | None:
        rows = self._read(select(t.evidence.c.evidence).where(t.evidence.c.sha256 == sha256))
        return Evidence.model_validate_json(rows[0][0]) if rows else None

    # findings
    def replace_findings(self, run_id: str, findings: list[Finding]) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(t.findings).where(t.findings.c.run_id == run_id))
            if findings:
                conn.execute(
                    insert(t.findings),
                    [{"run_id": run_id, "position": i, "finding": f.model_dump_json()} for i, f in enumerate(findings)],
                )

    def findings(self, run_id: str) -> list[Finding]:
        query = select(t.findings.c.finding).where(t.findings.c.run_id == run_id).order_by(t.findings.c.position)
        return [Finding.model_validate_json(r[0]) for r in self._read(query)]

    # artifacts: a run's files go from the worker's folder into the database, and back into a report folder
    def store_artifacts(self, run_id: str, directory: Path | None = None, cap: int = MAX_RUN_BYTES) -> StoredArtifacts:
        """Store the files a run left in ``directory`` (its ``artifacts_dir`` by default), smallest first,
        up to ``cap`` bytes per run; what does not fit is listed in a ``LEFT-OUT.txt`` stored beside
        them. Call it when a run ends (and again after a timed step): files stored before are replaced."""
        directory = directory or self.artifacts_dir(run_id)
        files = run_files(directory)
        here = {name for name, _ in files}
        c = t.run_artifacts.c
        others = self._read(select(c.name, c.size).where(c.run_id == run_id, c.name != LEFT_OUT))
        budget = cap - sum(size for name, size in others if name not in here)
        result = StoredArtifacts(run_id=run_id)
        now, host = datetime.now(UTC).isoformat(), socket.gethostname()
        with self.engine.begin() as conn:
            for name, path in files:
                try:
                    data = path.read_bytes()
                except OSError:
                    continue  # gone since it was listed: nothing to keep
                if len(data) > budget:
                    where = str(directory.resolve())
                    result.left_out.append(LeftOut(name=name, size=len(data), host=host, directory=where))
                    continue
                budget -= len(data)
                self._put_artifact(conn, run_id, name, data, now, host)
                result.stored.append(name)
                result.bytes += len(data)
            # what an earlier store of this run left out (on another machine, say) and nobody stored since
            note = conn.execute(select(c.data).where(c.run_id == run_id, c.name == LEFT_OUT)).scalar()
            stored = {name for name, _ in others} | set(result.stored)
            earlier = read_left_out(bytes(note).decode()) if note is not None else []
            left_out = result.left_out + [i for i in earlier if i.name not in here and i.name not in stored]
            conn.execute(delete(t.run_artifacts).where(c.run_id == run_id, c.name == LEFT_OUT))
            if left_out:
                text = left_out_note(run_id, left_out, cap)
                self._put_artifact(conn, run_id, LEFT_OUT, text.encode(), now, host)
        return result

    def _put_artifact(self, conn: Any, run_id: str, name: str, data: bytes, at: str, host: str) -> None:
        row = {"run_id": run_id, "name": name, "data": data, "size": len(data), "created_at": at, "host": host}
        stmt = self._insert(t.run_artifacts).values(row)
        update_to = {k: stmt.excluded[k] for k in ("data", "size", "created_at", "host")}
        conn.execute(stmt.on_conflict_do_update(index_elements=["run_id", "name"], set_=update_to))

    def artifacts(self, run_id: str) -> list[Artifact]:
        """What the database holds for a run (names relative to its folder), without the bytes."""
        c = t.run_artifacts.c
        rows = self._read(
            select(c.run_id, c.name, c.size, c.created_at, c.host).where(c.run_id == run_id).order_by(c.name)
        )
        return [Artifact(run_id=r[0], name=r[1], size=r[2], created_at=r[3], host=r[4]) for r in rows]

    def artifact_data(self, run_id: str, name: str) -> bytes:
        c = t.run_artifacts.c
        rows = self._read(select(c.data).where(c.run_id == run_id, c.name == name))
        if not rows:
            raise FileNotFoundError(f"no artifact {name!r} of run {run_id} in {self.url}")
        return bytes(rows[0][0])

    def materialise_artifacts(self, target: Path | None = None) -> list[Path]:
        """Write every stored artifact to ``target/runs/<run-id>/<name>`` (``target``: this working folder,
        the report folder for ``auditor rescore --db``), where a folder keeps them, so the report's paths
        work. A file already there with the same size is kept; returns the files written."""
        runs_dir = (target or self.path) / "runs"
        c = t.run_artifacts.c
        written = []
        for run_id, name, size in self._read(select(c.run_id, c.name, c.size).order_by(c.run_id, c.name)):
            path = runs_dir / safe_name(run_id) / safe_name(name)
            if path.is_file() and path.stat().st_size == size:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            part = path.with_name(path.name + ".part")
            part.write_bytes(self.artifact_data(run_id, name))  # one at a time: a trace may be 20 MB
            part.replace(path)
            written.append(path)
        return written

    def run_record(self, run_id: str) -> RunRecord:
        rows = self._read(
            select(
                t.runs.c.run, t.runs.c.store, t.runs.c.persona, t.runs.c.expectations, t.runs.c.observed_until
            ).where(t.runs.c.id == run_id)
        )
        if not rows:
            raise KeyError(f"no run {run_id!r} in {self.url}")
        return self._record(run_id, rows[0])


def open_campaign(path: Path | str, db: str | None = None) -> CampaignFolder:
    """The campaign store ``--db`` names: a database URL (PostgreSQL for a team; ``path`` is then the
    local working folder), else the SQLite folder at ``path``, the default."""
    if is_database_url(db):
        return CampaignDatabase(str(db), path)
    return CampaignFolder(path)


def copy_campaign(source: CampaignFolder, target: CampaignFolder) -> None:
    """Copy every row of one campaign store into another, empty one (a folder into a team's database,
    or back): the same tables on both sides, so the copy is row for row and re-scores the same."""
    src = source.engine if isinstance(source, CampaignDatabase) else sqlite_engine(source.path / "campaign.db")
    dst = target.engine if isinstance(target, CampaignDatabase) else sqlite_engine(target.path / "campaign.db")
    try:
        with src.connect() as read, dst.begin() as write:
            for table in [*t.BASELINE, t.timed_steps, *t.SHARED_STATE]:
                rows = [dict(r._mapping) for r in read.execute(select(table))]
                if rows:
                    write.execute(insert(table), rows)
            if dst.dialect.name == "postgresql":  # ids were copied: the sequences go on after them
                for table in ("journal_events", "sink_uptime"):
                    write.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                        f" COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                    )
        for (sha256,) in _rows(src, select(t.messages.c.sha256)):
            raw = source.raw(sha256)
            if isinstance(target, CampaignDatabase):
                target._write(target._insert(t.mail_raw).values(sha256=sha256, raw=raw).on_conflict_do_nothing())
            else:
                (target.mail_dir / f"{sha256}.eml").write_bytes(raw)
        if not isinstance(target, CampaignDatabase):  # artifacts as a folder keeps them: files in runs/<run-id>/
            source.materialise_artifacts(target.path)
        elif not isinstance(source, CampaignDatabase):
            for (run_id,) in _rows(src, select(t.runs.c.id)):
                target.store_artifacts(run_id, source.artifacts_dir(run_id))
    finally:
        for engine, store in ((src, source), (dst, target)):
            if not isinstance(store, CampaignDatabase):
                engine.dispose()


def _rows(engine: Engine, query: Any) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(query))
