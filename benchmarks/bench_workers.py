"""A 100-run campaign on 1 worker against 2 (issue 14): what a second `auditor worker` buys.

A private PostgreSQL (tests/postgres.py) holds each measurement's campaign in a fresh database; the
demo shop serves the exemplary and bare stores; the campaign is the short demo scenario (visit, add to
cart, check out, place the order: no question, no waits) × 2 stores × runs/2. Each measurement
enqueues the campaign, starts the workers (`auditor worker --once`, each with its own Chromium and
``--concurrency`` runs at once) and times them until the queue is empty and they have exited; the mail
is received in this process as a team's mailbox process would. Alternated rounds; prints the median
wall time of each and the ratio. Workers are meant for separate machines: on one machine they share
its cores, so the ratio says how much of a run is waiting (on the store, the browser) rather than CPU.

Usage: ``python -m benchmarks.bench_workers [--runs 100] [--concurrency 2] [--rounds 1]``.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from postgres import Postgres, free_port  # noqa: E402

from auditor.campaign.db.store import CampaignDatabase  # noqa: E402
from auditor.campaign.plan import Campaign, CampaignSpec  # noqa: E402
from auditor.campaign.worker import enqueue_campaign, receive_mail  # noqa: E402
from auditor.config import load_persona, load_store  # noqa: E402
from auditor.demo.shop import DemoShop  # noqa: E402
from auditor.models.scenario import Scenario  # noqa: E402

DEMO = Path(__file__).parents[1] / "auditor" / "demo" / "campaign"
SHORT = {
    "id": "short-purchase",
    "steps": [{"visit": "/"}, {"add_to_cart": {"product": "headphones"}}, {"checkout": {}}, {"place_order": {}}],
    "expectations": {"kinds": ["order_confirmation"], "window_seconds": 1},
}


def campaign_for(shop: DemoShop, smtp_port: int, runs: int) -> Campaign:
    stores = [
        load_store(DEMO / "stores" / f"{s}.yaml").model_copy(update={"base_url": shop.url_for(s)})
        for s in ("exemplary", "bare")
    ]
    spec = CampaignSpec(id="bench-workers", stores=["-"], scenarios=["-"], personas=["-"], repeat=runs // 2)
    spec.mailbox.port = smtp_port
    return Campaign(
        spec=spec,
        stores=stores,
        scenarios=[Scenario.model_validate(SHORT)],
        personas=[load_persona(DEMO / "persona.yaml")],
    )


async def measure(server: Postgres, workers: int, runs: int, concurrency: int, tmp: Path) -> float:
    url = server.new_database(f"w{workers}")
    smtp_port = free_port()
    with DemoShop("127.0.0.1", smtp_port, time_scale=0.01) as shop:
        await enqueue_campaign(url, campaign_for(shop, smtp_port, runs), tmp / "enqueue", progress=lambda _: None)
        async with receive_mail(url, tmp / f"mailbox-{workers}", progress=lambda _: None) as collector:
            args = [sys.executable, "-m", "auditor", "worker", "--db", url, "--once", "--concurrency", str(concurrency)]
            started = time.perf_counter()
            processes = [subprocess.Popen(args, stderr=subprocess.DEVNULL) for _ in range(workers)]
            while any(p.poll() is None for p in processes):  # the sink shares this loop: look rarely
                await asyncio.sleep(0.5)
            elapsed = time.perf_counter() - started
            collector.expect_all()  # mail that came before its run was known here is claimed now
    with CampaignDatabase(url, tmp / "check") as db:
        shopped = [r for r in db.runs() if r.status.value in ("watching", "done")]
    if len(shopped) != runs or any(p.returncode for p in processes):
        codes = [p.returncode for p in processes]
        raise SystemExit(f"{workers} worker(s): {len(shopped)} of {runs} runs shopped; exit codes {codes}")
    return elapsed


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=2, help="runs at once in each worker")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    times: dict[int, list[float]] = {1: [], 2: []}
    with Postgres() as server, tempfile.TemporaryDirectory() as tmp:
        for round_ in range(args.rounds):
            for workers in (1, 2) if round_ % 2 == 0 else (2, 1):
                seconds = await measure(server, workers, args.runs, args.concurrency, Path(tmp) / f"{round_}-{workers}")
                times[workers].append(seconds)
                print(f"round {round_ + 1}: {workers} worker(s): {args.runs} runs in {seconds:.1f} s", flush=True)
    one, two = statistics.median(times[1]), statistics.median(times[2])
    print(f"1 worker:  {one:.1f} s ({args.runs / one:.2f} runs/s)")
    print(f"2 workers: {two:.1f} s ({args.runs / two:.2f} runs/s)")
    print(f"workers ratio (2 vs 1 wall time): {two / one:.2f}x; speed-up {one / two:.2f}x")


if __name__ == "__main__":
    asyncio.run(main())
