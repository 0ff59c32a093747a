"""Timed steps, scheduled durably in the campaign folder and run exactly once.

A run's ``- after: 48h`` blocks become rows of ``timed_steps`` in ``campaign.db``
when its shopping ends (due = the order click, else the run's first action, plus
the offset). Any process that collects the campaign (``auditor collect`` from
cron, ``auditor watch``, or the campaign itself while it watches a short window)
takes the rows that are due. Taking is a claim in one ``BEGIN IMMEDIATE``
transaction (``scheduled`` -> ``taken``), so two collectors never both run a
step; a finished step is ``done`` (or ``failed``, with why). A row left ``taken``
by a process that died mid-step is never run again: like an order click whose
answer was never seen, whether the store got it is unknown, so it becomes
``interrupted`` and says so, rather than acting twice.
"""

from __future__ import annotations

import os
import socket
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

from pydantic import AwareDatetime, BaseModel

from auditor.models.scenario import TimedBlock

SCHEMA = """
CREATE TABLE IF NOT EXISTS timed_steps (
  run_id TEXT NOT NULL,
  block INTEGER NOT NULL,
  due_at TEXT NOT NULL,
  steps TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'scheduled',
  taken_by TEXT,
  taken_at TEXT,
  done_at TEXT,
  error TEXT,
  PRIMARY KEY (run_id, block)
);
CREATE INDEX IF NOT EXISTS timed_steps_due ON timed_steps(status, due_at);
"""

# A claim older than this whose process is gone was cut short (a step takes seconds, not hours).
STALE_AFTER = timedelta(minutes=30)


class TimedStep(BaseModel):
    """One scheduled block of one run."""

    run_id: str
    block: int
    due_at: AwareDatetime
    steps: TimedBlock
    status: str = "scheduled"
    taken_by: str | None = None
    taken_at: AwareDatetime | None = None
    done_at: AwareDatetime | None = None
    error: str | None = None

    COLUMNS: ClassVar[tuple[str, ...]] = (
        "run_id",
        "block",
        "due_at",
        "steps",
        "status",
        "taken_by",
        "taken_at",
        "done_at",
        "error",
    )

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> TimedStep:
        """A row of ``COLUMNS``, from SQLite or PostgreSQL alike."""
        values = dict(zip(cls.COLUMNS, row, strict=True))
        values["steps"] = TimedBlock.model_validate_json(values["steps"])
        return cls.model_validate(values)


def _now() -> datetime:
    return datetime.now(UTC)


def worker_id() -> str:
    """Who holds a claim: host and pid, so a stale claim can be told from a live one on this host."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _alive(taken_by: str | None) -> bool:
    host, _, pid = (taken_by or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return True  # another machine's claim: only its age can tell
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Schedule:
    """The ``timed_steps`` table; its own connection, so a claim's transaction is its own."""

    def __init__(self, db_path: Path | str):
        self.db = sqlite3.connect(db_path, isolation_level=None, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(SCHEMA)
        self.me = worker_id()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Schedule:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def plan(self, run_id: str, blocks: list[TimedBlock], offsets: list[float], origin: datetime) -> list[TimedStep]:
        """Schedule a run's blocks once (a resumed run keeps its first schedule); returns its rows."""
        for i, (block, offset) in enumerate(zip(blocks, offsets, strict=True)):
            due = origin + timedelta(seconds=offset)
            self.db.execute(
                "INSERT OR IGNORE INTO timed_steps (run_id, block, due_at, steps) VALUES (?,?,?,?)",
                (run_id, i, due.isoformat(), block.model_dump_json()),
            )
        return self.of_run(run_id)

    def _rows(self, where: str, args: tuple) -> list[TimedStep]:
        rows = self.db.execute(
            "SELECT run_id, block, due_at, steps, status, taken_by, taken_at, done_at, error FROM timed_steps "
            f"{where} ORDER BY due_at, run_id, block",
            args,
        )
        return [TimedStep.from_row(r) for r in rows]

    def of_run(self, run_id: str) -> list[TimedStep]:
        return self._rows("WHERE run_id = ?", (run_id,))

    def all(self) -> list[TimedStep]:
        return self._rows("", ())

    def scheduled(self) -> list[TimedStep]:
        """The steps still to be taken, due or not (a team's queue defers a job for each)."""
        return self._rows("WHERE status = 'scheduled'", ())

    def next_due(self) -> datetime | None:
        """When the earliest step still to run is due (None: nothing left)."""
        row = self.db.execute("SELECT MIN(due_at) FROM timed_steps WHERE status = 'scheduled'").fetchone()
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    def due(self, now: datetime | None = None) -> list[TimedStep]:
        return self._rows("WHERE status = 'scheduled' AND due_at <= ?", ((now or _now()).isoformat(),))

    def claim(self, step: TimedStep) -> bool:
        """Take one due step for this process; False if another took it first. One transaction."""
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            cur = self.db.execute(
                "UPDATE timed_steps SET status = 'taken', taken_by = ?, taken_at = ?"
                " WHERE run_id = ? AND block = ? AND status = 'scheduled'",
                (self.me, _now().isoformat(), step.run_id, step.block),
            )
            return cur.rowcount == 1

    def finish(self, step: TimedStep, error: str | None = None) -> None:
        """``taken`` -> ``done`` (or ``failed`` with why); only the claimant may finish its claim."""
        self.db.execute(
            "UPDATE timed_steps SET status = ?, done_at = ?, error = ?"
            " WHERE run_id = ? AND block = ? AND status = 'taken' AND taken_by = ?",
            ("failed" if error else "done", _now().isoformat(), error, step.run_id, step.block, self.me),
        )

    def reap(self, now: datetime | None = None) -> list[TimedStep]:
        """Claims whose process died mid-step become ``interrupted`` (never run twice); returns them."""
        now = now or _now()
        reaped = []
        for step in self._rows("WHERE status = 'taken'", ()):
            stale = step.taken_at is None or now - step.taken_at > STALE_AFTER
            if step.taken_by != self.me and (not _alive(step.taken_by) or stale):
                why = f"the process {step.taken_by} stopped while running it; not run again (the store may have it)"
                cur = self.db.execute(
                    "UPDATE timed_steps SET status = 'interrupted', error = ?"
                    " WHERE run_id = ? AND block = ? AND status = 'taken' AND taken_by = ?",
                    (why, step.run_id, step.block, step.taken_by),
                )
                if cur.rowcount:
                    reaped.append(step.model_copy(update={"status": "interrupted", "error": why}))
        return reaped

    def open_for(self, run_id: str) -> bool:
        """Whether the run still has steps to run (scheduled or being run)."""
        row = self.db.execute(
            "SELECT COUNT(*) FROM timed_steps WHERE run_id = ? AND status IN ('scheduled', 'taken')", (run_id,)
        ).fetchone()
        return bool(row[0])


def acts_of(block: TimedBlock) -> list[str]:
    """The journal acts a block will record (``feedback_sent``...), for pending verdicts before it runs."""
    from auditor.models.scenario import TIMED_ACTS

    acts = [TIMED_ACTS.get(s.profile_step or "", "") for s in block.steps]
    acts += ["question_sent" for s in block.steps if s.kind == "ask_question"]
    return [a for a in dict.fromkeys(acts) if a]


def describe(step: TimedStep) -> str:
    kinds = ", ".join(s.profile_step or s.kind for s in step.steps.steps)
    return f"after {step.steps.after}: {kinds}"


__all__ = ["Schedule", "TimedStep", "acts_of", "describe"]
