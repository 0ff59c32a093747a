"""Timed steps in the campaign folder: scheduled once, taken by exactly one process, never run twice."""

import multiprocessing
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from auditor.campaign.schedule import Schedule, acts_of
from auditor.models.scenario import Scenario

SCENARIO = Scenario.model_validate(
    {
        "id": "s",
        "steps": [
            {"place_order": {}},
            {"after": "20s"},
            {"do": "answer_survey"},
            {"after": "2d"},
            {"do": "unsubscribe"},
        ],
    }
)
T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _claim_all(db: str, start: Any, out: Any) -> None:
    schedule = Schedule(db)
    start.wait()
    out.put([(s.run_id, s.block) for s in schedule.due(T0 + timedelta(days=3)) if schedule.claim(s)])
    schedule.close()


def test_planning_is_idempotent_and_due_times_come_from_the_origin(tmp_path: Path) -> None:
    with Schedule(tmp_path / "campaign.db") as schedule:
        rows = schedule.plan("r1", SCENARIO.timed, SCENARIO.timed_offsets(), T0)
        again = schedule.plan("r1", SCENARIO.timed, SCENARIO.timed_offsets(), T0 + timedelta(hours=1))
        assert [r.due_at for r in rows] == [T0 + timedelta(seconds=20), T0 + timedelta(days=2)]
        assert [r.due_at for r in again] == [r.due_at for r in rows]  # a resumed run keeps its first schedule
        assert [s.block for s in schedule.due(T0 + timedelta(seconds=21))] == [0]
        assert schedule.next_due() == T0 + timedelta(seconds=20)
        assert [acts_of(b) for b in SCENARIO.timed] == [["feedback_sent"], ["unsubscribed"]]


def test_two_processes_claiming_at_once_take_each_step_exactly_once(tmp_path: Path) -> None:
    db = str(tmp_path / "campaign.db")
    with Schedule(db) as schedule:
        for run in ("r1", "r2", "r3"):
            schedule.plan(run, SCENARIO.timed, SCENARIO.timed_offsets(), T0)
    ctx = multiprocessing.get_context("spawn")
    start, out = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_claim_all, args=(db, start, out)) for _ in range(3)]
    for p in procs:
        p.start()
    start.set()
    taken = [out.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    flat = [claim for got in taken for claim in got]
    assert sorted(flat) == sorted({(r, b) for r in ("r1", "r2", "r3") for b in (0, 1)})  # all, none twice
    with Schedule(db) as schedule:
        assert {s.status for s in schedule.all()} == {"taken"}
        assert schedule.due(T0 + timedelta(days=3)) == []


def test_a_claim_left_by_a_dead_process_is_interrupted_never_run_again(tmp_path: Path) -> None:
    db = tmp_path / "campaign.db"
    with Schedule(db) as schedule:
        step = schedule.plan("r1", SCENARIO.timed, SCENARIO.timed_offsets(), T0)[0]
        assert schedule.claim(step) and not schedule.claim(step)
    with sqlite3.connect(db) as conn:  # as if the claimant were a process that no longer exists
        conn.execute("UPDATE timed_steps SET taken_by = ? WHERE block = 0", (f"{_host()}:999999",))
    with Schedule(db) as other:
        reaped = other.reap()
        assert [(s.block, s.status) for s in reaped] == [(0, "interrupted")]
        assert "not run again" in (reaped[0].error or "")
        assert [s.block for s in other.due(T0 + timedelta(days=3))] == [1]
        assert [s.block for s in other.scheduled()] == [1]  # due or not, still to be taken
        assert other.open_for("r1")  # block 1 is still to run


def test_finishing_marks_done_or_failed_with_why(tmp_path: Path) -> None:
    with Schedule(tmp_path / "campaign.db") as schedule:
        first, second = schedule.plan("r1", SCENARIO.timed, SCENARIO.timed_offsets(), T0)
        assert schedule.claim(first) and schedule.claim(second)
        schedule.finish(first)
        schedule.finish(second, "store's profile has no 'unsubscribe'")
        assert [(s.status, s.error) for s in schedule.all()] == [
            ("done", None),
            ("failed", "store's profile has no 'unsubscribe'"),
        ]
        assert not schedule.open_for("r1")


def _host() -> str:
    import socket

    return socket.gethostname()
