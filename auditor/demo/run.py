"""The bundled demo campaign: three demo stores, one scenario, one persona.

It is the product in one command: real HTTP, a real browser, real SMTP into a
real campaign folder, scored and reported like any other campaign.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from auditor.campaign.execute import execute_campaign
from auditor.campaign.folder import reset_folder
from auditor.campaign.orchestrate import CampaignOptions, Progress
from auditor.campaign.plan import load_campaign
from auditor.demo.shop import DemoShop
from auditor.models.results import CampaignResults

DEMO_CAMPAIGN = Path(__file__).parent / "campaign" / "campaign.yaml"


@contextmanager
def demo_stores(smtp_host: str, smtp_port: int) -> Iterator[dict[str, str]]:
    with DemoShop(smtp_host, smtp_port) as shop:
        yield {store_id: shop.url_for(store_id) for store_id in shop.store_ids}


async def run_demo(out: Path, options: CampaignOptions, progress: Progress) -> CampaignResults:
    reset_folder(out)
    campaign = load_campaign(DEMO_CAMPAIGN)
    return await execute_campaign(out, campaign, options, progress, stores_up=demo_stores)
