"""One call that does a whole campaign: open the mailbox, shop, watch, score, report."""

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from auditor.campaign.folder import CampaignFolder
from auditor.campaign.orchestrate import CampaignOptions, Progress, open_session
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
        results = score_folder(folder, load_rubric(rubric or campaign.spec.rubric))
        await snapshot_stage(folder.path, options.browser, progress)  # every email as a picture, for the report
        write_reports(folder.path, results)
        return results
