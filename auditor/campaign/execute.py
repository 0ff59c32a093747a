"""One call that does a whole campaign: open the mailbox, shop, watch, score, report.

After the shopping, the runs' windows are watched here only while they are short
(``CampaignOptions.watch_inline``: a CI check, the demo); a campaign whose windows
last days returns with its runs ``watching`` and ``auditor collect`` / ``auditor
watch`` go on from the folder.
"""

import asyncio
import contextlib
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.async_api import Browser

from auditor.campaign.collect import CollectOptions, Collector
from auditor.campaign.folder import CampaignFolder
from auditor.campaign.orchestrate import CampaignOptions, CampaignSession, Progress, open_session
from auditor.campaign.plan import Campaign
from auditor.campaign.scoring import score_folder
from auditor.campaign.snapshots import snapshot_stage
from auditor.models.results import CampaignResults
from auditor.report import write_reports
from auditor.rubric import load_rubric
from auditor.shopper.browser import launch_browser

# Given the SMTP host and port, start the stores (if we host them) and return their base URLs.
StoresUp = Callable[[str, int], AbstractContextManager[dict[str, str]]]


async def execute_campaign(
    out: Path,
    campaign: Campaign,
    options: CampaignOptions,
    progress: Progress,
    *,
    rubric: str | None = None,
    stores_up: StoresUp | None = None,
) -> CampaignResults:
    """Run (or resume) ``campaign`` into folder ``out`` and write its reports there."""
    with CampaignFolder(out) as folder:
        async with open_session(folder, campaign, options, progress) as session:
            progress(session.describe_mailbox())
            smtp = session.smtp_address
            if stores_up and smtp is None:
                raise ValueError("stores hosted by the auditor need the smtp_sink mailbox")
            starter = stores_up(*smtp) if stores_up and smtp else nullcontext({})
            with starter as base_urls:
                session.options.base_urls.update(base_urls)
                await _shop_and_follow(session, rubric or campaign.spec.rubric)
        results = score_folder(folder, load_rubric(rubric or campaign.spec.rubric))
        await snapshot_stage(folder.path, options.browser, progress, pictures=options.snapshots)  # for the report
        write_reports(folder.path, results)
        return results


async def _shop_and_follow(session: CampaignSession, rubric: str) -> None:
    """Shop every run; meanwhile run each finished run's timed steps as they fall due. After the shopping,
    follow the open windows here (mailbox still open, stores still up) when they all end within
    ``watch_inline`` seconds; otherwise stop and say how to go on."""
    async with launch_browser(session.options.browser) as browser:  # one browser for shopping and timed steps
        collector = Collector(
            session.folder,
            session.intake,
            session.watch,
            CollectOptions(browser=session.options.browser, rubric=rubric),
            session.progress,
            browser=browser,
        )
        await _follow_while_shopping(session, collector, browser)


async def _follow_while_shopping(session: CampaignSession, collector: Collector, browser: Browser) -> None:
    shopping, stop = True, asyncio.Event()
    collector.expect_all()
    following = asyncio.create_task(collector.follow(stop=stop, busy=lambda: shopping))
    try:
        try:
            await session.run_all(browser)
        finally:
            shopping = False
        collector.expect_all()  # each run's window now counts from its order
        last = collector.open_until()
        inline = timedelta(seconds=min(session.options.watch_inline, 10**8))  # inf: to the end, however long
        if last is not None and last > datetime.now(UTC) + inline:
            stop.set()
            where = session.folder.path
            session.progress(
                f"windows open until {last:%Y-%m-%d %H:%M} UTC: go on with `auditor collect {where}` "
                f"(cron) or `auditor watch {where}`"
            )
        elif last is not None:
            session.progress(f"watching the open windows until {last:%H:%M:%S} UTC")
        await following
    finally:
        stop.set()
        if not following.done():
            following.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await following
        collector.settle_windows()
        await collector.close()
