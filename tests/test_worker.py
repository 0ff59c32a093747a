"""Team mode end to end: two `auditor worker` processes on a real PostgreSQL take a 20-run campaign
from the procrastinate queue against the demo stores; one is killed with kill -9 mid-run. Every run
finishes, none is shopped twice, every delivered message is stored once per delivery, and the
campaign re-scores the same as on SQLite."""

import asyncio
import json
import os
import signal
import sys
from collections import Counter
from pathlib import Path

import postgres
import pytest
import yaml
from browser_server import browser_server
from postgres import Postgres, free_port

from auditor.campaign.db.store import CampaignDatabase, copy_campaign
from auditor.campaign.folder import CampaignFolder
from auditor.campaign.plan import load_campaign
from auditor.campaign.scoring import score_folder
from auditor.campaign.worker import enqueue_campaign, receive_mail
from auditor.demo.shop import DemoShop
from auditor.models import RunStatus
from auditor.rubric import load_rubric

postgres_server = postgres.postgres_server  # the session fixture, registered for this module

DEMO = Path(__file__).parent.parent / "auditor" / "demo" / "campaign"
RUNS_PER_STORE = 10
SHORT_SCENARIO = {  # the demo purchase without the question and the waits: a short run
    "id": "short-purchase",
    "allow_purchase": False,
    "steps": [{"visit": "/"}, {"add_to_cart": {"product": "headphones"}}, {"checkout": {}}, {"place_order": {}}],
    "expectations": {"kinds": ["order_confirmation"], "window_seconds": 3},
}


def write_campaign(tmp: Path, shop: DemoShop, smtp_port: int, repeat: int, scenario: dict | None = None) -> Path:
    """Two demo stores × the short scenario (or ``scenario``) × ``repeat``, mail to an SMTP sink on ``smtp_port``."""
    (tmp / "stores").mkdir()
    for store_id in ("exemplary", "bare"):
        data = yaml.safe_load((DEMO / "stores" / f"{store_id}.yaml").read_text())
        data["base_url"] = shop.url_for(store_id)
        (tmp / "stores" / f"{store_id}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    (tmp / "scenario.yaml").write_text(yaml.safe_dump(scenario or SHORT_SCENARIO))
    campaign = {
        "id": "team",
        "stores": ["stores/exemplary.yaml", "stores/bare.yaml"],
        "scenarios": ["scenario.yaml"],
        "personas": [str(DEMO / "persona.yaml")],
        "repeat": repeat,
        "mailbox": {"kind": "smtp_sink", "host": "127.0.0.1", "port": smtp_port},
    }
    path = tmp / "campaign.yaml"
    path.write_text(yaml.safe_dump(campaign))
    return path


async def start_worker(url: str, log: Path | None = None) -> asyncio.subprocess.Process:
    """``auditor worker`` in its own process group (its Chromium dies with it)."""
    args = [sys.executable, "-m", "auditor", "worker", "--db", url, "--concurrency", "2"]
    args += ["--heartbeat", "0.5", "--stalled-after", "3"]
    out = log.open("w") if log else asyncio.subprocess.PIPE
    return await asyncio.create_subprocess_exec(
        *args, stdout=out, stderr=asyncio.subprocess.STDOUT, start_new_session=True
    )


async def jobs_left(url: str) -> int:
    import psycopg

    async with await psycopg.AsyncConnection.connect(url) as conn:
        cur = await conn.execute("SELECT COUNT(*) FROM procrastinate_jobs WHERE status <> 'succeeded'")
        return (await cur.fetchone())[0]


@pytest.mark.slow
async def test_two_workers_one_killed_finish_the_campaign_without_buying_twice(
    postgres_server: Postgres, tmp_path: Path
) -> None:
    url = postgres_server.new_database("team")
    smtp_port = free_port()
    with DemoShop("127.0.0.1", smtp_port, time_scale=0.01) as shop:
        campaign = load_campaign(write_campaign(tmp_path, shop, smtp_port, RUNS_PER_STORE))
        assert len(campaign.plan()) == 20
        assert await enqueue_campaign(url, campaign, tmp_path / "enqueue", progress=lambda _: None) == 20
        assert await enqueue_campaign(url, campaign, tmp_path / "enqueue", progress=lambda _: None) == 0

        async with receive_mail(url, tmp_path / "mailbox", progress=lambda _: None) as collector:
            doomed = await start_worker(url)
            survivor = await start_worker(url, tmp_path / "survivor.log")
            seen: list[str] = []
            try:
                assert doomed.stdout is not None
                async with asyncio.timeout(120):
                    while line := (await doomed.stdout.readline()).decode():
                        seen.append(line)
                        if "order submitted" in line:  # mid-run: the order clicked, the worker still busy
                            os.killpg(doomed.pid, signal.SIGKILL)
                            break
                assert await doomed.wait() == -signal.SIGKILL, "".join(seen)

                async with asyncio.timeout(240):  # the survivor takes up the dead worker's runs
                    while await jobs_left(url):
                        collector.expect_all()
                        assert survivor.returncode is None, (tmp_path / "survivor.log").read_text()
                        await asyncio.sleep(0.5)
            finally:
                for process in (doomed, survivor):
                    if process.returncode is None:
                        os.killpg(process.pid, signal.SIGKILL)
                        await process.wait()
            assert await asyncio.to_thread(shop.outbox.wait_idle, 60)
            collector.expect_all()  # claim mail that came before its run was known here
            await collector.intake.drain()
            await collector.follow()  # the short windows end; runs are done

        survivor_log = (tmp_path / "survivor.log").read_text()
        assert "its worker is gone; queued again" in survivor_log
        assert "taking up run" in survivor_log

        with CampaignDatabase(url, tmp_path / "team") as team:
            runs = team.runs()
            assert sorted(r.plan_key for r in runs) == sorted(p.key for p in campaign.plan())  # one run per cell
            assert {r.status for r in runs} <= {RunStatus.done, RunStatus.interrupted}, [r.error for r in runs]
            clicks = {r.address: sum(e.kind == "order_submitted" for e in team.journal(r.id).events) for r in runs}
            assert set(clicks.values()) == {1}  # the order was clicked once per run, even the one taken up
            orders = Counter(o.customer.email for s in ("exemplary", "bare") for o in shop.state.orders(s))
            assert set(orders) <= set(clicks) and max(orders.values()) == 1  # never shopped twice
            done = [r for r in runs if r.status == RunStatus.done]
            assert all(orders[r.address] == 1 for r in done)

            deliveries = team.deliveries()
            assert len(deliveries) == len(shop.outbox.sent)  # every message sent, stored once per delivery
            assert [u.ended for u in team.sink_uptime()] == ["stopped"]  # the mailbox host's sink, shared
            assert not list((tmp_path / "mailbox").rglob("*state*.db"))  # ... and nothing of it kept locally
            assert len({d.delivery_key for d in deliveries}) == len(deliveries)
            assert {d.run_id for d in deliveries} <= {r.id for r in runs}  # each matched to its run

            rubric = load_rubric("default")
            on_postgres = score_folder(team, rubric)
            with CampaignFolder(tmp_path / "folder") as folder:
                copy_campaign(team, folder)
                on_sqlite = score_folder(folder, rubric)
        assert on_postgres.model_dump_json() == on_sqlite.model_dump_json()
        assert sum(1 for s in on_postgres.stores for r in s.runs if r.scorecard.total is not None) >= len(done)


TIMED_SCENARIO = {  # the short purchase, then the satisfaction survey two seconds after the order click
    **SHORT_SCENARIO,
    "id": "short-timed",
    "steps": [
        *SHORT_SCENARIO["steps"],
        {"wait_for_mail": {"kinds": ["order_confirmation"], "timeout": 60, "settle": 0.5}},  # read from PostgreSQL
        {"after": "2s"},
        {"do": {"step": "answer_survey", "rating": "4", "text": "Fine, {persona.first_name}"}},
    ],
    "expectations": {"kinds": ["order_confirmation"], "window_seconds": 6},
}


@pytest.mark.slow
async def test_timed_steps_are_queue_jobs_a_worker_takes_when_they_fall_due(
    postgres_server: Postgres, tmp_path: Path
) -> None:
    """Each run's ``- after: 2s`` block is a procrastinate job deferred to its due time and taken by a
    worker (not by the process hosting the mailbox), run once, in that worker's browser; the run's
    ``wait_for_mail`` on the worker sees the mail the mailbox host stored."""
    import psycopg

    url = postgres_server.new_database("timed")
    smtp_port = free_port()
    with DemoShop("127.0.0.1", smtp_port, time_scale=0.01) as shop:
        campaign = load_campaign(write_campaign(tmp_path, shop, smtp_port, 1, TIMED_SCENARIO))
        await enqueue_campaign(url, campaign, tmp_path / "enqueue", progress=lambda _: None)
        async with receive_mail(url, tmp_path / "mailbox", progress=lambda _: None) as collector:
            worker = await start_worker(url, tmp_path / "worker.log")
            try:
                async with asyncio.timeout(120):
                    while await jobs_left(url) or not collector.folder.runs():
                        collector.expect_all()
                        await collector.run_due()  # the mailbox host's beat: it reaps, it runs no step
                        await asyncio.sleep(0.5)
                    await collector.follow()  # windows end once their steps ran
            finally:
                os.killpg(worker.pid, signal.SIGKILL)
                await worker.wait()
            steps = collector.schedule.all()
            runs = collector.folder.runs()
            journals = {r.id: collector.folder.journal(r.id) for r in runs}

    log = (tmp_path / "worker.log").read_text()
    assert len(runs) == 2 and {r.status for r in runs} == {RunStatus.done}, log
    assert [s.status for s in steps] == ["done", "done"], [s.error for s in steps]
    assert {s.taken_by.rpartition(":")[2] for s in steps} == {str(worker.pid)}  # the worker ran them
    assert collector.steps_run == 0  # ... and the mailbox host none
    for run in runs:  # the worker's wait saw the confirmation the mailbox host stored, well before its timeout
        [waited] = [e for e in journals[run.id].events if e.kind == "mail_waited"]
        started = next(e.at for e in journals[run.id].events if e.kind == "step_started" and e.step == "wait_for_mail")
        assert waited.data["received"] == 1 and (waited.at - started).total_seconds() < 30, waited
    for run in runs:  # once each, after its due time
        sent = [e for e in journals[run.id].events if e.kind == "feedback_sent"]
        step = next(s for s in steps if s.run_id == run.id)
        assert len(sent) == 1 and sent[0].at >= step.due_at
    assert sorted(f.email for f in shop.feedback) == sorted(r.address for r in runs)  # the store got each once

    async with await psycopg.AsyncConnection.connect(url) as conn:
        cur = await conn.execute(
            "SELECT args, scheduled_at, status FROM procrastinate_jobs WHERE task_name = 'auditor.timed_step'"
        )
        jobs = await cur.fetchall()
    assert len(jobs) == 2 and {status for _, _, status in jobs} == {"succeeded"}
    due = {(s.run_id, s.block): s.due_at for s in steps}
    for args, scheduled_at, _ in jobs:  # each deferred to its step's due time
        assert scheduled_at == due[(args["run_id"], args["block"])]


async def test_a_run_taken_again_while_its_first_worker_lives_waits_for_it(
    postgres_server: Postgres, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A job put back in the queue because its worker only looked dead (a late heartbeat) must not shop
    beside it: the second holder of the cell waits until the first lets go."""
    from auditor.campaign import worker

    said: list[str] = []
    blocked = asyncio.Event()

    def progress(line: str) -> None:
        said.append(line)
        blocked.set()

    monkeypatch.setattr(worker._state, "url", postgres_server.new_database("cells"))
    monkeypatch.setattr(worker._state, "progress", progress)
    order: list[str] = []
    inside, release = asyncio.Event(), asyncio.Event()

    async def first() -> None:
        async with worker._holding_cell("exemplary/short/anna/0"):
            order.append("first in")
            inside.set()
            await release.wait()
            order.append("first out")

    async def second() -> None:
        async with worker._holding_cell("exemplary/short/anna/0"):
            order.append("second in")

    one = asyncio.create_task(first())
    await inside.wait()
    two = asyncio.create_task(second())
    await asyncio.wait_for(blocked.wait(), 30)  # the second found the cell held
    assert order == ["first in"] and "still holds this run" in said[0]
    release.set()
    await asyncio.wait_for(asyncio.gather(one, two), 30)
    assert order == ["first in", "first out", "second in"]


@pytest.mark.slow
def test_a_campaign_run_from_one_process_with_db_is_kept_in_postgresql(
    postgres_server: Postgres, tmp_path: Path
) -> None:
    """``auditor campaign FILE --db URL`` without --enqueue: this process queues, shops, receives the mail,
    scores and writes the reports, as without --db; the campaign is in PostgreSQL. Its worker drives a
    remote Playwright browser server (``--browser-endpoint``): the local browser it is given does not
    exist, so a run done proves the remote one shopped."""
    import subprocess

    url = postgres_server.new_database("single")
    smtp_port = free_port()
    out = tmp_path / "out"
    with DemoShop("127.0.0.1", smtp_port, time_scale=0.01) as shop, browser_server(tmp_path / "browsers") as remote:
        path = write_campaign(tmp_path, shop, smtp_port, 1)
        args = ["campaign", str(path), "--db", url, "--out", str(out), "--browser-endpoint", remote]
        done = subprocess.run(
            [sys.executable, "-m", "auditor", *args, "--browser", str(tmp_path / "no-local-chromium")],
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert done.returncode == 0, done.stderr
    results = json.loads((out / "results.json").read_text())
    assert sorted(s["id"] for s in results["stores"]) == ["bare", "exemplary"]
    assert (out / "index.html").exists() and "Exemplary Electronics" in done.stdout
    with CampaignDatabase(url, tmp_path / "check") as team:
        assert [r.status for r in team.runs()] == [RunStatus.done, RunStatus.done]
        assert {d.run_id for d in team.deliveries()} == {r.id for r in team.runs()}  # each run got its mail
    assert not (out / "campaign.db").exists()  # nothing of the campaign in a SQLite beside the reports
