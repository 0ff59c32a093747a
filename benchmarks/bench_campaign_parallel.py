"""Ten stores audited at once against one (issue 14: at most 2x the wall time of one).

Each "store" is the demo's exemplary profile under its own id, all served by one
DemoShop, so the only difference between the two measurements is concurrency:
one campaign of 1 store (concurrency 1) and one of 10 stores (concurrency 10),
each with the demo scenario up to its wait for the confirmation and the reply
(as `auditor run` ends a run; the compressed days of follow-ups are left out),
one browser with a context per run, one SMTP sink. Alternated, two rounds each;
prints the median wall time of each and the ratio.

Usage: ``python -m benchmarks.bench_campaign_parallel [--stores N] [--rounds N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from auditor.campaign.folder import CampaignFolder
from auditor.campaign.orchestrate import CampaignOptions, open_session
from auditor.campaign.plan import Campaign, CampaignSpec
from auditor.config import load_persona, load_scenario, load_store
from auditor.demo.shop import DemoShop

DEMO = Path(__file__).parents[1] / "auditor" / "demo" / "campaign"


async def one_campaign(stores: int, out: Path) -> float:
    """Wall seconds for ``stores`` demo stores shopped and watched at once."""
    template = load_store(DEMO / "stores" / "exemplary.yaml")
    spec = CampaignSpec(id=f"parallel-{stores}", stores=["-"], scenarios=["-"], personas=["-"], concurrency=stores)
    spec.mailbox.port = 0
    campaign = Campaign(
        spec=spec,
        stores=[template.model_copy(update={"id": f"store{i}"}) for i in range(stores)],
        scenarios=[load_scenario(DEMO / "scenario.yaml")],
        personas=[load_persona(DEMO / "persona.yaml")],
    )
    with CampaignFolder(out) as folder:
        # as `auditor run` does: each run ends when its wait for the confirmation and the reply settles
        options = CampaignOptions(observe_window=False, watch_inline=float("inf"))
        async with open_session(folder, campaign, options, lambda line: None) as session:
            host, port = session.smtp_address or ("127.0.0.1", 0)
            with DemoShop(host, port) as shop:
                session.options.base_urls.update({s.id: shop.url_for("exemplary") for s in campaign.stores})
                started = time.perf_counter()
                runs = await session.run_all()
                elapsed = time.perf_counter() - started
    failed = [r for r in runs if r.status.value != "done"]
    if failed:
        raise SystemExit(f"{len(failed)} of {stores} runs did not finish: {failed[0].error}")
    return elapsed


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stores", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    times: dict[int, list[float]] = {1: [], args.stores: []}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.rounds):
            for n in (1, args.stores) if r % 2 == 0 else (args.stores, 1):
                times[n].append(await one_campaign(n, Path(tmp) / f"{n}-{r}"))
    one, many = statistics.median(times[1]), statistics.median(times[args.stores])
    print(f"1 store : {one:6.1f} s wall (median of {args.rounds})")
    print(f"{args.stores} stores: {many:6.1f} s wall (median of {args.rounds})")
    print(f"{args.stores} stores at once take {many / one:.2f}x the wall time of one (goal <= 2.0)")


if __name__ == "__main__":
    asyncio.run(main())
