"""The timed-step schedule of a campaign kept in a database (a team's PostgreSQL): the same rows and
the same rules as ``auditor.campaign.schedule.Schedule`` on a folder's SQLite, so any worker or
collector of the team claims a due step exactly once, and a claim cut short is never run again."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from auditor.campaign.db import tables as t
from auditor.campaign.schedule import STALE_AFTER, Schedule, TimedStep, _alive, _now, worker_id
from auditor.models.scenario import TimedBlock


class DatabaseSchedule(Schedule):
    """``Schedule``'s API on SQLAlchemy; one transaction per claim, as the folder's ``BEGIN IMMEDIATE``."""

    def __init__(self, engine: Engine):  # noqa: D107 - no SQLite connection of its own
        self.engine = engine
        self.me = worker_id()
        self._insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert

    def close(self) -> None:
        """The engine belongs to the campaign store."""

    def plan(self, run_id: str, blocks: list[TimedBlock], offsets: list[float], origin: datetime) -> list[TimedStep]:
        with self.engine.begin() as conn:
            for i, (block, offset) in enumerate(zip(blocks, offsets, strict=True)):
                due = origin + timedelta(seconds=offset)
                conn.execute(
                    self._insert(t.timed_steps)
                    .values(run_id=run_id, block=i, due_at=due.isoformat(), steps=block.model_dump_json())
                    .on_conflict_do_nothing()
                )
        return self.of_run(run_id)

    def _select(self, *where: Any) -> list[TimedStep]:
        c = t.timed_steps.c
        query = select(c.run_id, c.block, c.due_at, c.steps, c.status, c.taken_by, c.taken_at, c.done_at, c.error)
        with self.engine.connect() as conn:
            rows = conn.execute(query.where(*where).order_by(c.due_at, c.run_id, c.block))
            return [TimedStep.from_row(r) for r in rows]

    def of_run(self, run_id: str) -> list[TimedStep]:
        return self._select(t.timed_steps.c.run_id == run_id)

    def all(self) -> list[TimedStep]:
        return self._select()

    def scheduled(self) -> list[TimedStep]:
        return self._select(t.timed_steps.c.status == "scheduled")

    def next_due(self) -> datetime | None:
        query = select(func.min(t.timed_steps.c.due_at)).where(t.timed_steps.c.status == "scheduled")
        with self.engine.connect() as conn:
            value = conn.execute(query).scalar()
        return datetime.fromisoformat(value) if value else None

    def due(self, now: datetime | None = None) -> list[TimedStep]:
        c = t.timed_steps.c
        return self._select(c.status == "scheduled", c.due_at <= (now or _now()).isoformat())

    def _update(self, step: TimedStep, *where: Any, **values: Any) -> bool:
        c = t.timed_steps.c
        statement = (
            update(t.timed_steps)
            .where(c.run_id == step.run_id, c.block == step.block, *where)
            .values(**values)
            .returning(c.run_id)
        )
        with self.engine.begin() as conn:
            return conn.execute(statement).first() is not None

    def claim(self, step: TimedStep) -> bool:
        c = t.timed_steps.c
        return self._update(
            step, c.status == "scheduled", status="taken", taken_by=self.me, taken_at=_now().isoformat()
        )

    def finish(self, step: TimedStep, error: str | None = None) -> None:
        c = t.timed_steps.c
        status = "failed" if error else "done"
        self._update(
            step, c.status == "taken", c.taken_by == self.me, status=status, done_at=_now().isoformat(), error=error
        )

    def reap(self, now: datetime | None = None) -> list[TimedStep]:
        now = now or _now()
        reaped = []
        c = t.timed_steps.c
        for step in self._select(c.status == "taken"):
            stale = step.taken_at is None or now - step.taken_at > STALE_AFTER
            if step.taken_by != self.me and (not _alive(step.taken_by) or stale):
                why = f"the process {step.taken_by} stopped while running it; not run again (the store may have it)"
                if self._update(
                    step, c.status == "taken", c.taken_by == step.taken_by, status="interrupted", error=why
                ):
                    reaped.append(step.model_copy(update={"status": "interrupted", "error": why}))
        return reaped

    def open_for(self, run_id: str) -> bool:
        c = t.timed_steps.c
        query = select(func.count()).where(c.run_id == run_id, c.status.in_(["scheduled", "taken"]))
        with self.engine.connect() as conn:
            return bool(conn.execute(query).scalar())
