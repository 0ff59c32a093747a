"""One call that does a whole campaign: open the mailbox, shop, watch, score, report.

After the shopping, the runs' windows are watched here only while they are short
(``CampaignOptions.watch_inline``: a CI check, the demo); a campaign whose windows
last days returns with its runs ``watching`` and ``auditor collect`` / ``auditor
watch`` go on from the folder.
"""

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from datetime import UTC, datetime, timedelta
from pathlib import Path

from auditor.campaign.collect import CollectOptions, Collector
from auditor.campaign.folder import CampaignFolder
from auditor.campaign.orchestrate import CampaignOptions, CampaignSession, Progress, open_session
from auditor.campaign.plan import Campaign
from auditor.campaign.scoring import score_folder
from auditor.campaign.snapshots import snapshot_stage
from auditor.models.results import CampaignResults
from auditor.report import write_reports
from auditor.rubric import load_rubric

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
                await session.run_all()
                await _watch_short_windows(session, rubric or campaign.spec.rubric)
        results = score_folder(folder, load_rubric(rubric or campaign.spec.rubric))
        await snapshot_stage(folder.path, options.browser, progress)  # every email as a picture, for the report
        write_reports(folder.path, results)
        return results


async def _watch_short_windows(session: CampaignSession, rubric: str) -> None:
    """Follow the open windows in this process (mailbox still open, stores still up) when they all end
    within ``watch_inline`` seconds; otherwise say how to go on."""
    collector = Collector(
        session.folder,
        session.intake,
        session.watch,
        CollectOptions(browser=session.options.browser, rubric=rubric),
        session.progress,
    )
    try:
        collector.expect_all()
        last = collector.open_until()
        limit = datetime.now(UTC) + timedelta(seconds=session.options.watch_inline)
        if last is not None and last <= limit:
            session.progress(f"watching the open windows until {last:%H:%M:%S} UTC")
            await collector.follow()
        else:
            collector.settle_windows()
            if last is not None:
                where = session.folder.path
                session.progress(
                    f"windows open until {last:%Y-%m-%d %H:%M} UTC: go on with `auditor collect {where}` "
                    f"(cron) or `auditor watch {where}`"
                )
    finally:
        await collector.close()
