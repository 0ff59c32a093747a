"""Team mode: runs taken from a procrastinate queue on PostgreSQL by workers on any number of machines.

``enqueue_campaign`` writes the whole campaign (stores, scenarios, personas) into the database and
defers one job per cell of the grid; ``run_worker`` takes them. procrastinate's ``lock`` (the
cell's key) means a run is never taken by two workers at once; a job whose worker died (``kill -9``,
a lost machine: no heartbeat for ``stalled_after`` seconds) is put back in the queue by any live
worker, and whoever takes it goes on from the journal by the same rule as a resumed campaign
(``orchestrate.order_answered``): not yet ordered, shopped again from the start; order clicked but
not answered, ``interrupted`` and never clicked again; answered, resumed after the order.

Timed steps (``- after: 48h``) are jobs of their own on the ``timed`` queue, deferred with
``schedule_at`` = the step's due time when the run's shopping schedules it: any worker takes one when
it falls due, in its own browser. The job's body claims the step in the shared schedule first
(``Collector.run_one``), so a job run twice (retried after its worker looked dead) acts once, and a
claim whose worker died mid-step is ``interrupted``, never run again. The schedule is the truth and
the queue its delivery: every heartbeat a worker defers a job for any scheduled step that has none.

Workers shop; they host no mailbox. The campaign's mailbox is hosted by one process
(``receive_mail``: the SMTP sink or IMAP, its deliveries and raw bytes into the same database, and its
state too: the sink's uptime, the IMAP cursor). A worker stores a run's artifacts (screenshots, page,
trace) in the database when the run or a timed step ends, so a report written anywhere has them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import procrastinate
from pydantic import BaseModel, Field

from auditor.campaign.db.store import CampaignDatabase, psycopg_url
from auditor.campaign.mailwatch import MailWatch, StoredMailWatch
from auditor.campaign.orchestrate import CampaignOptions, CampaignSession, Progress
from auditor.campaign.plan import Campaign
from auditor.models import Run
from auditor.models.results import CampaignResults
from auditor.shopper.browser import BrowserOptions, launch_browser
from auditor.shopper.runner import ShopperOptions

QUEUE = "runs"
TIMED_QUEUE = "timed"  # the runs' timed steps, each deferred to its due time
CAMPAIGN_KEY = "team_campaign"  # meta: the campaign as enqueued, so a worker needs no YAML files
CELL_LOCKS = 74813  # the advisory-lock namespace of the grid's cells (see _holding_cell)
SHOPPER_KEY = "team_shopper"  # meta: the purchase guard the campaign was enqueued with (--allow-purchase, ...)
log = logging.getLogger(__name__)


class WorkerOptions(BaseModel):
    concurrency: int = Field(default=1, ge=1, le=32)
    heartbeat: float = Field(default=5.0, gt=0, description="seconds between a worker's heartbeats")
    stalled_after: float = Field(default=30.0, gt=0, description="no heartbeat this long: the worker is dead")
    wait: bool = Field(default=True, description="keep waiting for jobs; False: stop when the queue is empty")
    mailbox: bool = Field(default=False, description="also host the campaign's mailbox in this process")
    polling: float = Field(default=1.0, gt=0, description="seconds between looks for jobs that fell due")


def make_app(url: str) -> procrastinate.App:
    """The procrastinate app on the campaign's database (its tables beside the campaign's)."""
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=psycopg_url(url)))
    retry = procrastinate.RetryStrategy(max_attempts=3, wait=1)
    app.task(name="auditor.run", queue=QUEUE, retry=retry)(_run_job)
    app.task(name="auditor.timed_step", queue=TIMED_QUEUE, retry=retry)(_timed_job)
    return app


def _timed_lock(run_id: str, block: int) -> str:
    return f"timed:{run_id}:{block}"


async def defer_timed_steps(app: procrastinate.App, folder: CampaignDatabase, run_id: str | None = None) -> int:
    """Defer a job, at its due time, for every scheduled step (of ``run_id``, or of the campaign) that has
    no job waiting yet; returns how many were deferred. Safe to repeat: a step waits in the queue once."""
    async with app.connector.pool.connection() as conn:  # type: ignore[attr-defined]
        # jobs first, then the steps: a step finished in between is then seen done, never deferred again.
        # Waiting or being worked (taken, not yet claimed) both count; a dead worker's job comes back as 'todo'.
        cur = await conn.execute(
            "SELECT queueing_lock FROM procrastinate_jobs WHERE status IN ('todo', 'doing') AND queue_name = %s",
            (TIMED_QUEUE,),
        )
        waiting = {row[0] for row in await cur.fetchall()}
    with folder.schedule() as schedule:  # each heartbeat: only what is still to be taken, not a month's done steps
        steps = [s for s in schedule.of_run(run_id) if s.status == "scheduled"] if run_id else schedule.scheduled()
    task, deferred = app.tasks["auditor.timed_step"], 0
    for step in steps:
        lock = _timed_lock(step.run_id, step.block)
        if lock in waiting:
            continue
        try:
            await task.configure(queueing_lock=lock, schedule_at=step.due_at).defer_async(
                run_id=step.run_id, block=step.block
            )
            deferred += 1
        except procrastinate.exceptions.AlreadyEnqueued:
            pass
    return deferred


async def _apply_schema(app: procrastinate.App) -> None:
    """procrastinate's tables, once per database (an advisory lock: two processes may start at once)."""
    async with app.open_async(), app.connector.pool.connection() as conn:  # type: ignore[attr-defined]
        await conn.execute("SELECT pg_advisory_lock(74812)")
        try:
            cur = await conn.execute("SELECT to_regclass('procrastinate_jobs')")
            if (await cur.fetchone())[0] is None:
                await conn.execute(app.schema_manager.get_schema())
        finally:
            await conn.execute("SELECT pg_advisory_unlock(74812)")


async def enqueue_campaign(
    url: str, campaign: Campaign, workdir: Path, shopper: ShopperOptions | None = None, progress: Progress = print
) -> int:
    """Store the campaign (and the purchase guard workers shop under) in the database and queue every
    cell; returns the jobs deferred. A cell waits in the queue at most once (its ``queueing_lock``),
    and a finished run taken again is kept as it is (``CampaignSession._execute``)."""
    with CampaignDatabase(url, workdir) as db:
        db.set_meta("campaign", campaign.spec.model_dump(mode="json"))
        db.set_meta(CAMPAIGN_KEY, campaign.model_dump(mode="json"))
        db.set_meta(SHOPPER_KEY, (shopper or ShopperOptions()).model_dump(mode="json"))
    app = make_app(url)
    await _apply_schema(app)
    deferred = 0
    async with app.open_async():
        task = app.tasks["auditor.run"]
        for planned in campaign.plan():
            try:
                await task.configure(lock=planned.key, queueing_lock=planned.key).defer_async(plan_key=planned.key)
                deferred += 1
            except procrastinate.exceptions.AlreadyEnqueued:
                pass
    progress(f"enqueued {deferred} runs of {campaign.spec.id} on the queue {QUEUE!r}")
    return deferred


class _WorkerState:
    """What one worker process keeps between jobs: its database handle, browser and session."""

    url: str = ""
    workdir: Path = Path()
    browser_options: BrowserOptions = BrowserOptions()
    progress: Progress = print
    session: CampaignSession | None = None
    collector: Any = None  # the timed steps' runner (``Collector.run_one``), made with the session
    browser: object = None
    lock: asyncio.Lock | None = None
    app: procrastinate.App | None = None


_state = _WorkerState()


class _ShoppingSession(CampaignSession):
    """A campaign session without a mailbox: a worker shops and journals, the mail side receives."""

    def __init__(self, folder: CampaignDatabase, campaign: Campaign, options: CampaignOptions, progress: Progress):
        self.folder, self.campaign, self.options, self.progress = folder, campaign, options, progress
        self.watch = StoredMailWatch(folder)  # a run's waits read what the mailbox host stored
        self.intake = _NoIntake()


class _NoIntake:
    def expect(self, _address: object) -> None:
        """Mail is matched by the process hosting the mailbox (``receive_mail``)."""


async def _session() -> CampaignSession:
    assert _state.lock is not None
    async with _state.lock:
        if _state.session is None:
            folder = CampaignDatabase(_state.url, _state.workdir)
            data = folder.meta(CAMPAIGN_KEY)
            if data is None:
                raise RuntimeError("no campaign enqueued in this database (auditor campaign … --enqueue)")
            shopper = ShopperOptions.model_validate(folder.meta(SHOPPER_KEY, {}))
            options = CampaignOptions(browser=_state.browser_options, shopper=shopper)
            _state.session = _ShoppingSession(folder, Campaign.model_validate(data), options, _state.progress)
        return _state.session


async def _run_job(plan_key: str) -> str:
    session = await _session()
    planned = session._planned(plan_key)
    async with _holding_cell(plan_key):
        existing: Run | None = next((r for r in session.folder.runs() if r.plan_key == plan_key), None)
        if existing is not None:
            session.progress(f"[{existing.store_id}] taking up run {existing.id} ({existing.status.value})")
        run = await session._execute(planned, existing, _state.browser)  # type: ignore[arg-type]
        await asyncio.to_thread(session.folder.store_artifacts, run.id)  # for any machine
    if _state.app is not None:
        await defer_timed_steps(_state.app, session.folder, run.id)  # type: ignore[arg-type]
    return run.status.value


async def _timed_job(run_id: str, block: int) -> str:
    """One timed step at its due time, in this worker's browser; claimed first, so it acts at most once."""
    from auditor.campaign.collect import CollectOptions, Collector

    session = await _session()
    if _state.collector is None:
        options = CollectOptions(browser=_state.browser_options)
        _state.collector = Collector(
            session.folder, session.intake, session.watch, options, session.progress, browser=_state.browser
        )  # type: ignore[arg-type]
    outcome = await _state.collector.run_one(run_id, block)
    await asyncio.to_thread(session.folder.store_artifacts, run_id)  # its after-N/ files
    if outcome not in ("done", "failed"):
        session.progress(f"[{run_id}] timed step {block}: {outcome} already, not run here")
    return outcome


@contextlib.asynccontextmanager
async def _holding_cell(plan_key: str) -> AsyncIterator[None]:
    """Hold the cell's PostgreSQL advisory lock while its run is worked on. The queue's lock and the
    heartbeats decide who *takes* a job; this decides who may *shop*: a job put back in the queue because
    its worker looked dead (a heartbeat late on a loaded machine, a network split) waits here until the
    first holder is really gone: its connection closed, which PostgreSQL sees when a process is killed."""
    import psycopg

    conninfo = psycopg_url(_state.url)
    async with await psycopg.AsyncConnection.connect(conninfo, autocommit=True, keepalives_idle=10) as conn:
        cur = await conn.execute("SELECT pg_try_advisory_lock(%s, hashtext(%s))", (CELL_LOCKS, plan_key))
        if not (await cur.fetchone())[0]:  # type: ignore[index]
            _state.progress(f"{plan_key}: another worker still holds this run; waiting for it")
            await conn.execute("SELECT pg_advisory_lock(%s, hashtext(%s))", (CELL_LOCKS, plan_key))
        yield


async def _reap_stalled(app: procrastinate.App, options: WorkerOptions, progress: Progress) -> None:
    """Put back in the queue the jobs of workers that stopped sending heartbeats (killed, lost), and
    defer a job for any scheduled timed step that has none (its job failed before claiming it)."""
    while True:
        await asyncio.sleep(options.heartbeat)
        try:
            stalled = await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=options.stalled_after)
            for job in stalled:
                what = job.task_kwargs.get("plan_key") or f"timed step {job.task_kwargs.get('block')}"
                progress(f"job {job.id} ({what}): its worker is gone; queued again")
                await app.job_manager.retry_job(job)
            if _state.session is not None:
                await defer_timed_steps(app, _state.session.folder)  # type: ignore[arg-type]
        except Exception:  # noqa: BLE001 - a failed look is tried again at the next beat
            log.exception("looking for stalled jobs failed")


async def run_worker(
    url: str, options: WorkerOptions, browser: BrowserOptions, progress: Progress = print, workdir: Path | None = None
) -> None:
    """Take runs and timed steps from the queues until stopped (or, with ``wait=False``, until none is due);
    ``workdir`` keeps this machine's run artifacts (screenshots, traces), a fresh temporary folder by default."""
    async with _worker(url, browser, progress, workdir) as app, contextlib.AsyncExitStack() as stack:
        if options.mailbox:
            collector = await stack.enter_async_context(receive_mail(url, _state.workdir / "mailbox", progress))
            stack.push_async_callback(_cancel, asyncio.create_task(_claim_mail(collector, options.heartbeat)))
        progress(f"worker {os.getpid()}: taking runs and timed steps ({options.concurrency} at once)")
        await _work(app, options, [QUEUE, TIMED_QUEUE])


@contextlib.asynccontextmanager
async def _worker(
    url: str, browser: BrowserOptions, progress: Progress, workdir: Path | None
) -> AsyncIterator[procrastinate.App]:
    """This process as a worker: the queue's app (open), its browser, its state; all closed on exit."""
    app = make_app(url)
    await _apply_schema(app)
    _state.url, _state.browser_options, _state.progress = url, browser, progress
    _state.workdir = workdir or Path(tempfile.mkdtemp(prefix=f"auditor-worker-{socket.gethostname()}-{os.getpid()}-"))
    _state.lock, _state.session, _state.collector, _state.app = asyncio.Lock(), None, None, app
    try:
        async with launch_browser(browser) as launched, app.open_async():
            _state.browser = launched
            yield app
    finally:
        if _state.collector is not None:
            await _state.collector.close()
        if _state.session is not None:
            _state.session.folder.close()
        _state.session = _state.collector = _state.app = _state.browser = None


async def _work(app: procrastinate.App, options: WorkerOptions, queues: list[str]) -> None:
    """Work ``queues`` (and put back the jobs of dead workers) until stopped, cancelled (gracefully: the
    jobs in hand finish) or, with ``wait=False``, until no job is due."""
    reaper = asyncio.create_task(_reap_stalled(app, options, _state.progress))
    try:
        await app.run_worker_async(
            queues=queues,
            concurrency=options.concurrency,
            wait=options.wait,
            fetch_job_polling_interval=options.polling,
            update_heartbeat_interval=options.heartbeat,
            stalled_worker_timeout=options.stalled_after,
            install_signal_handlers=options.wait,
        )
    finally:
        await _cancel(reaper)


async def _cancel(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def _claim_mail(collector: Any, every: float) -> None:
    """Match mail to the runs workers create (and claim what came before them), mark timed steps whose
    worker died mid-step interrupted (workers run the steps), close ended windows."""
    while True:
        collector.expect_all()
        try:
            await collector.run_due()  # reaps only: this collector runs no steps
        except Exception:  # noqa: BLE001 - tried again at the next beat
            log.exception("reaping timed steps failed")
        collector.settle_windows()
        await asyncio.sleep(every)


@contextlib.asynccontextmanager
async def receive_mail(url: str, workdir: Path, progress: Progress = print) -> AsyncIterator[Any]:
    """Host the enqueued campaign's mailbox: deliveries and raw bytes into the database, each matched
    to its run (runs appear as workers create them; ``expect_all`` matches what came before). Yields the
    campaign's ``Collector``, which closes windows and reaps lost timed steps; workers run the steps."""
    from auditor.campaign.collect import CollectOptions, Collector
    from auditor.campaign.intake import Intake
    from auditor.campaign.mailboxes import open_mailbox

    folder = CampaignDatabase(url, workdir)
    data = folder.meta(CAMPAIGN_KEY)
    if data is None:
        folder.close()
        raise RuntimeError("no campaign enqueued in this database (auditor campaign … --db … --enqueue)")
    spec = Campaign.model_validate(data).spec
    watch = MailWatch()
    intake = Intake(folder, watch)
    mailbox = open_mailbox(spec.mailbox, folder.mail_dir, folder.mailbox_state(), intake.on_message)  # shared state
    await mailbox.start()
    intake.resume()
    collector = Collector(folder, intake, watch, CollectOptions(), progress, runs_steps=False)
    try:
        yield collector
    finally:
        await mailbox.stop()
        await intake.drain()
        intake.close()
        await collector.close()
        folder.close()


async def run_team_campaign(
    url: str,
    campaign: Campaign,
    out: Path,
    shopper: ShopperOptions,
    browser: BrowserOptions,
    progress: Progress = print,
    *,
    concurrency: int | None = None,
    rubric: str | None = None,
    watch_inline: float = 600,
) -> CampaignResults:
    """``auditor campaign … --db postgresql://…`` without ``--enqueue``: this process enqueues the campaign,
    hosts its mailbox and works the queue itself until it is empty (other workers may help), follows
    windows that end within ``watch_inline`` seconds, then scores into ``out`` as a folder's campaign does."""
    from datetime import UTC, datetime, timedelta

    from auditor.campaign.scoring import score_folder
    from auditor.campaign.snapshots import snapshot_stage
    from auditor.report import write_reports
    from auditor.rubric import load_rubric

    await enqueue_campaign(url, campaign, out, shopper, progress)
    options = WorkerOptions(concurrency=concurrency or campaign.spec.concurrency, wait=False)
    async with receive_mail(url, out / "mailbox", progress) as collector, _worker(url, browser, progress, out) as app:
        claiming = asyncio.create_task(_claim_mail(collector, 1.0))
        try:
            await _work(app, options, [QUEUE, TIMED_QUEUE])  # the runs (other workers may help)
        finally:
            await _cancel(claiming)
        collector.expect_all()
        last = collector.open_until()
        if last is not None and last <= datetime.now(UTC) + timedelta(seconds=watch_inline):
            progress(f"watching the open windows until {last:%H:%M:%S} UTC")
            steps = asyncio.create_task(_work(app, options.model_copy(update={"wait": True}), [TIMED_QUEUE]))
            try:
                await collector.follow()  # windows close as they end; the steps are this worker's jobs
            finally:
                await _cancel(steps)
        else:
            collector.settle_windows()
            if last is not None:
                progress(f"windows open until {last:%Y-%m-%d %H:%M} UTC: go on with `auditor worker --db … --mailbox`")
    with CampaignDatabase(url, out) as db:
        db.materialise_artifacts()  # other workers' screenshots and traces, into out/runs/
        results = score_folder(db, load_rubric(rubric or campaign.spec.rubric))
    await snapshot_stage(out, browser, progress)
    write_reports(out, results)
    return results
