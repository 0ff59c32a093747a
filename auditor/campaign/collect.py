"""Collecting a campaign after its shopping: mail, timed steps, window ends, scores, reports.

A campaign's runs watch their address for their whole observation window (30 days for
an audit) without a process that must stay up all that time. Whatever collects does
the same few things, in this order, and each is safe to repeat:

1. claim every run's address and window (mail that arrived while nothing ran, read over
   IMAP with its INTERNALDATE, counts as if the auditor had been up);
2. take the mail: one IMAP sync (``collect``), or IDLE / the SMTP sink listening (``watch``);
   ``.eml`` files a sink process stored and nobody indexed are indexed too;
3. run the timed steps that are due, each exactly once (``auditor.campaign.schedule``);
4. move each run's observed time on, and close the runs whose window is over;
5. re-score and re-render the reports.

``collect_campaign`` is one pass, for cron; ``watch_campaign`` repeats 2-5 as mail arrives
and timed steps fall due; ``Collector.follow`` is what ``auditor campaign`` runs inline
for short windows with its mailbox already open.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.async_api import Browser
from pydantic import BaseModel, ConfigDict, Field

from auditor.campaign.folder import CampaignFolder
from auditor.campaign.intake import Intake
from auditor.campaign.mailboxes import ImapSpec, Mailbox, SmtpSinkSpec, describe, open_mailbox
from auditor.campaign.mailwatch import MailWatch
from auditor.campaign.schedule import TimedStep
from auditor.campaign.schedule import describe as describe_step
from auditor.mail.matching import RunAddress
from auditor.models import JournalEvent, Message, MessageKind, Run, RunStatus
from auditor.models.results import CampaignResults
from auditor.models.scenario import TIMED_ACTS, Scenario
from auditor.rubric.honesty import window_end, window_start
from auditor.shopper.browser import BrowserOptions, launch_browser
from auditor.shopper.options import ShopperOptions
from auditor.shopper.runner import run_scenario

Progress = Callable[[str], None]
OPEN = (RunStatus.watching, RunStatus.interrupted)


def _now() -> datetime:
    return datetime.now(UTC)


class CollectOptions(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    browser: BrowserOptions = Field(default_factory=BrowserOptions)
    rubric: str | None = Field(default=None, description="rubric name or path; default: the campaign's own")
    snapshots: bool = Field(
        default=True, description="render new emails as pictures for the report (else previews only)"
    )
    rescore_every: float = Field(default=60, gt=0, description="watch: at most one re-score per this many seconds")


def run_address(folder: CampaignFolder, run: Run) -> RunAddress:
    """What a mailbox needs to claim one run's mail: its address and window (from the run's first action)."""
    from auditor.campaign.orchestrate import sender_domain

    record = folder.run_record(run.id)
    since = run.started_at or record.journal.started_at or window_start(record) or datetime(2000, 1, 1, tzinfo=UTC)
    return RunAddress(
        run_id=run.id,
        address=run.address,
        strategy=record.persona.email.kind,
        since=since,
        until=window_end(record),
        sender_domains=[sender_domain(record.store.base_url)],
    )


class TimedHooks:
    """The shopper's hooks for a timed block: every journal event says which block wrote it, and a
    step the scenario marks as a customer's act (``leave_review``...) is journaled as that act
    (``review_sent``), timed at the step's start so an answer never seems to precede it."""

    def __init__(self, folder: CampaignFolder, watch: MailWatch, run: Run, step: TimedStep, progress: Progress):
        self.folder, self.watch, self.run, self.step, self.progress = folder, watch, run, step, progress
        self._started: dict[int, datetime] = {}

    async def record(self, event: JournalEvent) -> None:
        data = {**event.data, "timed": self.step.block}
        self.folder.add_event(self.run.id, event.model_copy(update={"data": data}))
        index = event.data.get("index")
        if not isinstance(index, int) or index >= len(self.step.steps.steps):
            return
        if event.kind == "step_started":
            self._started[index] = event.at
        elif event.kind == "step_done":
            act = TIMED_ACTS.get(self.step.steps.steps[index].profile_step or "")
            if act:
                at = self._started.get(index, event.at)
                said = self.step.steps.steps[index].params  # the words and rating the customer gave
                data = {**{k: v for k, v in said.items() if isinstance(v, str | int | float)}, "timed": self.step.block}
                self.folder.add_event(self.run.id, JournalEvent(at=at, kind=act, step=act, data=data))
                self.progress(f"[{self.run.store_id}] {act.replace('_', ' ')} (timed step {self.step.block})")

    async def wait_for_mail(self, kinds: list[MessageKind], timeout: float, settle: float) -> list[Message]:
        records = await self.watch.wait(self.run.id, kinds, timeout, settle)
        return [r.message for r in records]


class Collector:
    """One campaign folder's collecting: see the module docstring for the order of things."""

    def __init__(
        self,
        folder: CampaignFolder,
        intake: Intake,
        watch: MailWatch,
        options: CollectOptions,
        progress: Progress,
        browser: Browser | None = None,
        *,
        runs_steps: bool = True,
    ):
        self.folder, self.intake, self.watch, self.options, self.progress = folder, intake, watch, options, progress
        self.runs_steps = runs_steps  # False in team mode: due steps are the queue's jobs (``run_one``), not ours
        self.schedule = folder.schedule()
        self._browser = browser
        self._browser_cm: contextlib.AbstractAsyncContextManager[Browser] | None = None
        self._launching = asyncio.Lock()
        self.steps_run = 0

    async def close(self) -> None:
        self.schedule.close()
        if self._browser_cm is not None:
            await self._browser_cm.__aexit__(None, None, None)
            self._browser_cm = self._browser = None

    def expect_all(self) -> None:
        """Claim mail for every run (and re-claim what arrived unmatched while nothing ran)."""
        for run in self.folder.runs():
            if run.status != RunStatus.pending:
                self.intake.expect(run_address(self.folder, run))

    async def _get_browser(self) -> Browser:
        async with self._launching:  # steps due together share one launch
            if self._browser is None:
                self._browser_cm = launch_browser(self.options.browser)
                self._browser = await self._browser_cm.__aenter__()
            return self._browser

    def reap_lost(self, now: datetime | None = None) -> None:
        """Claims whose process died mid-step: journaled as interrupted, never run again."""
        for lost in self.schedule.reap(now):
            self.folder.add_event(lost.run_id, JournalEvent(at=_now(), kind="timed_step_interrupted", data={
                "block": lost.block, "reason": lost.error}))  # fmt: skip
            self.progress(f"[{lost.run_id}] timed step {lost.block} {lost.error}")

    async def run_due(self, now: datetime | None = None) -> int:
        """Run every timed step that is due and not yet taken; each by exactly one process. A collector
        that does not run steps (team mode: they are queue jobs) only reaps lost claims."""
        self.reap_lost(now)
        if not self.runs_steps:
            return 0
        mine = [step for step in self.schedule.due(now) if self.schedule.claim(step)]  # others: taken elsewhere
        await asyncio.gather(*(self._run_step(step) for step in mine))
        self.steps_run += len(mine)
        return len(mine)

    async def run_one(self, run_id: str, block: int) -> str:
        """Run one scheduled step if it is still to run and this process claims it (a queue job's body);
        returns what became of it: ``done``, ``failed``, or the status it had (taken elsewhere, done...)."""
        self.reap_lost()
        step = next((s for s in self.schedule.of_run(run_id) if s.block == block), None)
        if step is None:
            return "unknown"
        if step.status != "scheduled" or not self.schedule.claim(step):
            return step.status if step.status != "scheduled" else "taken"
        error = await self._run_step(step)
        self.steps_run += 1
        return "failed" if error else "done"

    async def _run_step(self, step: TimedStep) -> str | None:
        run = self.folder.run(step.run_id)
        record = self.folder.run_record(run.id)
        late = (_now() - step.due_at).total_seconds()
        self.progress(
            f"[{run.store_id}] timed step {describe_step(step)} (due {step.due_at:%H:%M:%S}, {late:.0f} s ago)"
        )
        hooks = TimedHooks(self.folder, self.watch, run, step, self.progress)
        await hooks.record(JournalEvent(at=_now(), kind="timed_step_started", data={
            "block": step.block, "due_at": step.due_at.isoformat()}))  # fmt: skip
        scenario = Scenario(id=f"{run.scenario_id}.after-{step.block}", steps=step.steps.steps)
        error: str | None = None
        try:
            result = await run_scenario(
                scenario,
                record.store,
                record.persona,
                run,
                browser=await self._get_browser(),
                hooks=hooks,
                artifacts_dir=self.folder.artifacts_dir(run.id) / f"after-{step.block}",
                options=ShopperOptions(trace="on_failure"),  # never retried: a review must not be posted twice
            )
            error = None if result.ok else (result.reason or "failed")
        except Exception as exc:  # noqa: BLE001 - one broken step must not stop the collecting
            error = f"{type(exc).__name__}: {exc}"
        self.schedule.finish(step, error)
        await hooks.record(JournalEvent(at=_now(), kind="timed_step_done", data={"block": step.block, "error": error}))
        self.progress(f"[{run.store_id}] timed step {step.block} " + (f"failed: {error}" if error else "done"))
        return error

    def settle_windows(self, now: datetime | None = None) -> int:
        """Move each open run's observed time to ``now`` (capped at its window's end) and close the
        runs whose window is over and whose timed steps all ran; returns how many closed."""
        now = now or _now()
        closed = 0
        for run in self.folder.runs():
            if run.status not in OPEN:
                continue
            record = self.folder.run_record(run.id)
            end = window_end(record)
            if end is None:
                continue
            self.folder.close_observation(run.id, min(now, end).isoformat())
            if run.status == RunStatus.watching and now >= end and not self.schedule.open_for(run.id):
                self.folder.save_run(run.model_copy(update={"status": RunStatus.done, "finished_at": now}))
                self.progress(f"[{run.store_id}] run {run.id}: window over, done")
                closed += 1
        return closed

    def open_until(self) -> datetime | None:
        """When the last open window ends (None: nothing left to watch)."""
        ends = [window_end(self.folder.run_record(r.id)) for r in self.folder.runs() if r.status in OPEN]
        ends = [e for e in ends if e is not None and e > _now()]
        due = self.schedule.next_due()
        return max([*ends, *([due] if due else [])], default=None)

    def next_wake(self) -> datetime | None:
        """The next moment something must happen: a timed step due or a window ending."""
        now = _now()
        moments = [window_end(self.folder.run_record(r.id)) for r in self.folder.runs() if r.status in OPEN]
        due = self.schedule.next_due()
        future = [m for m in [*moments, due] if m is not None and m > now]
        if due is not None and due <= now:
            return now
        return min(future, default=None)

    async def follow(
        self, until: datetime | None = None, stop: asyncio.Event | None = None, busy: Callable[[], bool] | None = None
    ) -> None:
        """With the mailbox already listening: run timed steps on time and close windows as they end,
        until ``until`` (default: the last open window's end) or ``stop``; while ``busy()`` (runs still
        shopping, which may schedule more) it keeps going and looks for new steps twice a second."""
        stop = stop or asyncio.Event()
        while not stop.is_set():
            await self.run_due()
            self.settle_windows()
            end = until or self.open_until()
            now = _now()
            shopping = busy is not None and busy()
            if not shopping and (end is None or now >= end):
                break
            soon = now + timedelta(seconds=0.5) if shopping else None
            wake = min(w for w in (self.next_wake(), end, soon) if w is not None)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), max(0.05, (wake - now).total_seconds()))
        self.settle_windows()

    def score(self) -> CampaignResults:
        from auditor.campaign.scoring import score_folder
        from auditor.rubric import load_rubric

        rubric = self.options.rubric or self.folder.meta("campaign", {}).get("rubric", "default")
        return score_folder(self.folder, load_rubric(rubric))

    async def render(self) -> CampaignResults:
        """Re-score and re-render (pictures only for what is new)."""
        from auditor.campaign.snapshots import snapshot_stage
        from auditor.report import write_reports

        await self.intake.drain()
        results = self.score()
        await snapshot_stage(self.folder.path, self.options.browser, self.progress, pictures=self.options.snapshots)
        write_reports(self.folder.path, results)
        return results


def _mailbox_spec(folder: CampaignFolder) -> SmtpSinkSpec | ImapSpec:
    from auditor.campaign.plan import CampaignSpec

    spec = folder.meta("campaign")
    if spec is None:
        raise ValueError(f"{folder.path} has no campaign definition (was it made by `auditor campaign`?)")
    return CampaignSpec.model_validate(spec).mailbox


@contextlib.asynccontextmanager
async def open_collector(
    path: Path, options: CollectOptions, progress: Progress, *, listen: bool
) -> AsyncIterator[tuple[Collector, Mailbox]]:
    """The folder with its mailbox open: started (IDLE, the sink listening) when ``listen``, else only
    able to ``sync`` once. Runs are claimed before any mail is taken."""
    if not (Path(path) / "campaign.db").exists():
        raise FileNotFoundError(f"{path} is not a campaign folder (no campaign.db)")
    with CampaignFolder(path) as folder:
        spec = _mailbox_spec(folder)
        watch = MailWatch()
        intake = Intake(folder, watch)
        mailbox = open_mailbox(spec, folder.mail_dir, folder.path / "campaign.db", intake.on_message)
        collector = Collector(folder, intake, watch, options, progress)
        collector.expect_all()
        intake.resume()  # .eml files stored by a sink (or a crash) and never indexed
        try:
            if listen:
                await mailbox.start()
                progress(describe(spec, mailbox))
                if isinstance(spec, SmtpSinkSpec) and spec.port == 0:
                    progress(
                        "note: the campaign's SMTP sink has no fixed port (port: 0), so stores cannot find this "
                        "one; give mailbox.port in the campaign file, or read the mail over IMAP"
                    )
            yield collector, mailbox
        finally:
            if listen:
                await mailbox.stop()
            await intake.drain()
            intake.close()
            await collector.close()


async def collect_campaign(path: Path, options: CollectOptions, progress: Progress) -> CampaignResults:
    """One pass, safe to repeat (cron): sync the mailbox, run the timed steps that are due, close
    the windows that are over, re-score, re-render. A sink campaign's mail is what a listening sink
    stored (``auditor watch`` or ``auditor mail sink``); this pass indexes it."""
    async with open_collector(path, options, progress, listen=False) as (collector, mailbox):
        if hasattr(mailbox, "sync"):
            await mailbox.check()  # type: ignore[attr-defined]  # one line, not a traceback, when it cannot
            got = await mailbox.sync()  # type: ignore[attr-defined]
            progress(f"mailbox: {got} new message(s)")
        await collector.intake.drain()
        await collector.run_due()
        if collector.steps_run and hasattr(mailbox, "sync"):
            await mailbox.sync()  # type: ignore[attr-defined]  # what the steps' instant answers brought
        collector.settle_windows()
        return await collector.render()


async def watch_campaign(
    path: Path, options: CollectOptions, progress: Progress, *, until: datetime | None = None,
    stop: asyncio.Event | None = None,
) -> CampaignResults:  # fmt: skip
    """Long-running: the mailbox listens (IMAP IDLE or the SMTP sink), timed steps run on time,
    windows close as they end, and the reports are re-rendered as mail arrives (at most once per
    ``rescore_every``); returns when every window is over, at ``until``, or on ``stop``."""
    async with open_collector(path, options, progress, listen=True) as (collector, _mailbox):
        arrived = asyncio.Event()
        collector.intake.on_record = lambda record: arrived.set()
        stop = stop or asyncio.Event()

        async def rescoring() -> None:
            while True:
                await arrived.wait()
                arrived.clear()
                await collector.render()
                await asyncio.sleep(options.rescore_every)

        task = asyncio.create_task(rescoring())
        try:
            await collector.follow(until=until, stop=stop)
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        return await collector.render()
