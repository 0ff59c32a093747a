"""Run a campaign's grid of runs: one browser, one context per run, one mailbox.

Every state change is written to the campaign folder as it happens, so a
campaign that crashes resumes where it stopped: finished runs are kept, a run
that never reached its order is shopped again, and a run that already placed
its order is never shopped twice (it only goes on watching for mail).

A run whose shopping is over is ``watching`` until its observation window ends;
its timed steps (``- after: 48h``) are then in the folder's schedule. Watching a
window is ``auditor.campaign.collect``'s work: the campaign does it inline for
short windows (``CampaignOptions.watch_inline``), else it returns and
``auditor collect`` / ``auditor watch`` go on.
"""

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, nullcontext
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from playwright.async_api import Browser
from pydantic import BaseModel, ConfigDict, Field

from auditor.campaign.folder import CampaignFolder
from auditor.campaign.intake import Intake
from auditor.campaign.mailboxes import SmtpSinkSpec, describe, open_mailbox
from auditor.campaign.mailwatch import MailWatch
from auditor.campaign.plan import Campaign, PlannedRun
from auditor.campaign.schedule import acts_of
from auditor.mail.matching import RunAddress
from auditor.models import Journal, JournalEvent, Message, MessageKind, MessageRecord, Run, RunStatus, Store
from auditor.models.scenario import Scenario
from auditor.shopper.browser import BrowserOptions, launch_browser
from auditor.shopper.runner import ShopperOptions, run_scenario

Progress = Callable[[str], None]


def _now() -> datetime:
    return datetime.now(UTC)


def sender_domain(base_url: str) -> str:
    """The domain a store most likely sends from, for runs on one fixed address: its web host less ``www.``."""
    return (urlsplit(base_url).hostname or "").removeprefix("www.")


class CampaignOptions(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    browser: BrowserOptions = Field(default_factory=BrowserOptions)
    shopper: ShopperOptions = Field(default_factory=ShopperOptions)
    base_urls: dict[str, str] = Field(default_factory=dict, description="store id -> base URL override")
    snapshots: bool = Field(
        default=True, description="render every email as a picture for the report (else previews only)"
    )
    observe_window: bool = Field(
        default=True,
        description="watch each run's whole observation window and run its timed steps; False (a CI check, "
        "`auditor run`): no timed steps, and a run whose scenario waits for its mail ends when that wait settles",
    )
    watch_inline: float = Field(
        default=600,
        ge=0,
        description="after shopping, keep watching in this process while every open window ends within this "
        "many seconds (a CI check, the demo); longer windows are left to `auditor collect` / `auditor watch`",
    )


class CampaignHooks:
    """The shopper's window on the campaign: journal writes and mail waits (see shopper.hooks.RunHooks)."""

    def __init__(self, folder: CampaignFolder, watch: MailWatch, run: Run, progress: Progress):
        self.folder, self.watch, self.run, self.progress = folder, watch, run, progress

    async def record(self, event: JournalEvent) -> None:
        self.folder.add_event(self.run.id, event)
        if event.kind in {"order_submitted", "order_shown", "question_sent", "step_failed"}:
            detail = event.data.get("number") or event.data.get("reason") or ""
            self.progress(f"[{self.run.store_id}] {event.kind.replace('_', ' ')} {detail}".rstrip())

    async def wait_for_mail(self, kinds: list[MessageKind], timeout: float, settle: float) -> list[Message]:
        self.progress(f"[{self.run.store_id}] watching mail for {', '.join(kinds) or 'anything'} ({timeout:g} s)")
        records = await self.watch.wait(self.run.id, kinds, timeout, settle)
        return [r.message for r in records]


class CampaignSession:
    """A campaign folder with its mailbox open and its runs executable."""

    def __init__(self, folder: CampaignFolder, campaign: Campaign, options: CampaignOptions, progress: Progress):
        self.folder, self.campaign, self.options, self.progress = folder, campaign, options, progress
        self.watch = MailWatch()
        self.intake = Intake(folder, self.watch, on_record=self._on_record)
        self.mailbox = open_mailbox(
            campaign.spec.mailbox, folder.mail_dir, folder.path / "campaign.db", self.intake.on_message
        )
        folder.set_meta("campaign", campaign.spec.model_dump(mode="json"))

    def _on_record(self, record: MessageRecord) -> None:
        """A delivery analysed (off the mailbox's path: the sink's 250 never waits for analysis)."""
        if record.message.run_id:
            store_id = self.folder.run(record.message.run_id).store_id
            self.progress(f"[{store_id}] mail: {record.evidence.kind.value} «{record.message.subject}»")

    @property
    def smtp_address(self) -> tuple[str, int] | None:
        """Where stores should send mail, when the campaign hosts the mailbox (the SMTP sink)."""
        spec = self.campaign.spec.mailbox
        return (spec.host, self.mailbox.port) if isinstance(spec, SmtpSinkSpec) else None  # type: ignore[attr-defined]

    def describe_mailbox(self) -> str:
        return describe(self.campaign.spec.mailbox, self.mailbox)

    async def run_all(self, browser: Browser | None = None) -> list[Run]:
        """Execute every planned run not yet finished, at most ``concurrency`` at once (in ``browser``,
        or one launched for them)."""
        existing = {r.plan_key: r for r in self.folder.runs()}
        for run in existing.values():
            if run.status not in FINISHED:
                self._expect(run, self._planned(run.plan_key))
        limit = asyncio.Semaphore(self.campaign.spec.concurrency)
        async with nullcontext(browser) if browser is not None else launch_browser(self.options.browser) as shared:

            async def one(planned: PlannedRun) -> Run:
                async with limit:
                    return await self._execute(planned, existing.get(planned.key), shared)

            return list(await asyncio.gather(*(one(p) for p in self.campaign.plan())))

    def _planned(self, key: str) -> PlannedRun:
        return next(p for p in self.campaign.plan() if p.key == key)

    def _store_for(self, planned: PlannedRun) -> Store:
        url = self.options.base_urls.get(planned.store.id)
        return planned.store.model_copy(update={"base_url": url}) if url else planned.store

    def _expect(self, run: Run, planned: PlannedRun) -> None:
        since = run.started_at or _now()
        window = timedelta(seconds=planned.scenario.expectations.window_seconds)
        self.intake.expect(
            RunAddress(
                run_id=run.id,
                address=run.address,
                strategy=planned.persona.email.kind,
                since=since,
                until=since + window,
                sender_domains=[sender_domain(self._store_for(planned).base_url)],
            )
        )

    async def _execute(self, planned: PlannedRun, run: Run | None, browser: Browser) -> Run:
        if run is not None and run.status in (*FINISHED, RunStatus.watching):
            self.progress(f"[{run.store_id}] already {run.status.value}; kept")
            return run
        store = self._store_for(planned)
        if run is None:
            run_id = uuid.uuid4().hex[:10]
            run = Run(
                id=run_id,
                store_id=store.id,
                scenario_id=planned.scenario.id,
                persona_id=planned.persona.id,
                address=planned.persona.email.address_for(run_id),
                plan_key=planned.key,
            )
            self.folder.add_run(run, store, planned.persona, planned.scenario.expectations)
        hooks = CampaignHooks(self.folder, self.watch, run, self.progress)
        journal = self.folder.journal(run.id)
        if journal.first("order_submitted") is None:
            run = await self._shop(planned, store, run, hooks, browser, start_at=0)
        elif not order_answered(journal):
            run = await self._interrupted(planned, run, hooks, journal)
        else:
            start_at = resume_point(planned.scenario, journal)
            self.progress(f"[{run.store_id}] order placed before a stop: resuming at step {start_at}, not buying again")
            self._replay_mail(run)
            await hooks.record(JournalEvent(at=_now(), kind="run_resumed", data={"start_at": start_at}))
            run = await self._shop(planned, store, run, hooks, browser, start_at=start_at)
        if run.status != RunStatus.watching:
            run = run.model_copy(update={"finished_at": _now()})
            self.folder.close_observation(run.id, _now().isoformat())
        self.folder.save_run(run)
        self.progress(f"[{run.store_id}] run {run.id} {run.status.value}" + (f": {run.error}" if run.error else ""))
        return run

    async def _shop(
        self, planned: PlannedRun, store: Store, run: Run, hooks: CampaignHooks, browser: Browser, start_at: int
    ) -> Run:
        if start_at == 0:
            self.folder.clear_journal(run.id)  # a run stopped before its order starts over
            run = run.model_copy(update={"started_at": _now()})
            self.progress(f"[{run.store_id}] shopping as {run.address}")
        run = run.model_copy(update={"status": RunStatus.shopping, "error": None})
        self.folder.save_run(run)
        self._expect(run, planned)
        result = await run_scenario(
            planned.scenario,
            store,
            planned.persona,
            run,
            browser=browser,
            hooks=hooks,
            artifacts_dir=self.folder.artifacts_dir(run.id),
            options=self.options.shopper,
            start_at=start_at,
        )
        if not result.ok:
            return run.model_copy(update={"status": RunStatus.failed, "error": result.reason})
        if result.stopped:  # a dry run bought nothing: no window to watch, no customer acts after an order
            return run.model_copy(update={"status": RunStatus.done})
        waited = any(step.kind == "wait_for_mail" for step in planned.scenario.steps[start_at:])
        if not self.options.observe_window and waited:  # a CI check: ends when its wait settles, as before
            return run.model_copy(update={"status": RunStatus.done})
        if self.options.observe_window:  # timed steps belong to a run that observes its window
            await self._schedule(planned.scenario, run, hooks)
        return run.model_copy(update={"status": RunStatus.watching})

    async def _schedule(self, scenario: Scenario, run: Run, hooks: CampaignHooks) -> None:
        """Put the run's timed blocks in the folder's schedule, due from the order click (else the run's
        first action), and journal each, so a check can say "pending" before it has run."""
        if not scenario.timed:
            return
        journal = self.folder.journal(run.id)
        origin = journal.time_of("order_submitted") or run.started_at or _now()
        with self.folder.schedule() as schedule:
            known = {s.block for s in schedule.of_run(run.id)}
            rows = schedule.plan(run.id, scenario.timed, scenario.timed_offsets(), origin)
        for row in rows:
            if row.block in known:
                continue
            data = {"block": row.block, "after": str(row.steps.after), "due_at": row.due_at.isoformat()}
            await hooks.record(
                JournalEvent(at=_now(), kind="timed_step_scheduled", data={**data, "acts": acts_of(row.steps)})
            )
            self.progress(f"[{run.store_id}] timed step after {row.steps.after} scheduled for {row.due_at:%H:%M:%S}")

    async def _interrupted(self, planned: PlannedRun, run: Run, hooks: CampaignHooks, journal: Journal) -> Run:
        """A stop fell between journaling the order click and the store's answer to it: the store may
        or may not have the order. Never click again; the rest of its window is watched (by the collector),
        since mail for it settles the doubt (the scoring excludes an interrupted run only while none arrived)."""
        clicked = journal.time_of("order_submitted")
        reason = (
            f"interrupted: the auditor stopped after the order click at {clicked:%Y-%m-%d %H:%M:%S} UTC and before "
            "the store's answer to it was seen, so whether the store has the order is unknown; not shopped again"
        )
        self.progress(f"[{run.store_id}] {reason}")
        self._replay_mail(run)
        await hooks.record(JournalEvent(at=_now(), kind="run_resumed", data={"start_at": None, "reason": reason}))
        run = run.model_copy(update={"status": RunStatus.interrupted, "error": reason})
        self.folder.save_run(run)
        self._expect(run, planned)  # its window is watched by the collector, like any open window
        return run

    def _replay_mail(self, run: Run) -> None:
        """Mail stored before a stop counts for the resumed run's waits."""
        for record in self.folder.run_record(run.id).messages:
            self.watch.deliver(run.id, record)


FINISHED = (RunStatus.done, RunStatus.failed, RunStatus.interrupted)


def order_answered(journal: Journal) -> bool:
    """Whether the store's answer to the order click was seen: an ``order_answered`` event, or, in
    journals written before that event existed, the order page shown or the order step done."""
    clicked = journal.time_of("order_submitted")
    if clicked is None:
        return False
    return any(
        e.kind in ("order_answered", "order_shown") or (e.kind == "step_done" and e.step == "place_order")
        for e in journal.events
        if e.at >= clicked
    )


def resume_point(scenario: Scenario, journal: Journal) -> int:
    """The first step to run again after a stop: after the last step done, and never the order."""
    done = [e.data.get("index", -1) for e in journal.events if e.kind == "step_done" and "timed" not in e.data]
    order_steps = [i for i, step in enumerate(scenario.steps) if step.kind == "place_order"]
    after_order = order_steps[0] + 1 if order_steps else 0
    return max(max(done, default=-1) + 1, after_order)


@asynccontextmanager
async def open_session(
    folder: CampaignFolder, campaign: Campaign, options: CampaignOptions, progress: Progress
) -> AsyncIterator[CampaignSession]:
    """Open the campaign's mailbox first: a store that sends while nobody listens loses mail."""
    session = CampaignSession(folder, campaign, options, progress)
    await session.mailbox.start()
    session.intake.resume()  # what a crash left unindexed or unanalysed
    try:
        yield session
    finally:
        await session.mailbox.stop()
        await session.intake.drain()
        session.intake.close()
