"""What the shopper's machinery costs on top of Playwright itself, on the demo store.

Baseline (same run, same browser, same store): the same clicks, fills and reads (the
product page's heading, the cart's rows and total) written directly against Playwright's
API. Measured: ``run_scenario`` with the trace off, with the default settings (``trace:
on_retry``: nothing recorded unless a run failed before its order click and is tried
again), with ``trace: on_failure`` (recorded, dropped on success) and with ``trace:
always`` (recorded and written). Prints seconds per run and the ratio against the
baseline. No order is placed (no mail needed): browse, cart, checkout form.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import yaml

from auditor.config import load_persona, load_store
from auditor.demo.shop import DemoShop
from auditor.models import Run
from auditor.models.scenario import Scenario
from auditor.shopper import ShopperOptions, launch_browser, run_scenario
from auditor.shopper.memory import MemoryHooks

DEMO = Path(__file__).parents[1] / "auditor" / "demo" / "campaign"
ROUNDS = 9  # interleaved; with 5 the default ratio wandered 1.12-1.22 between runs here, with 9 1.07-1.09
SCENARIO = Scenario.model_validate(
    yaml.safe_load("id: browse\nsteps:\n  - add_to_cart: {product: headphones}\n  - checkout: {}\n")
)


async def baseline(browser, base: str) -> None:  # noqa: ANN001 - a Playwright Browser
    context = await browser.new_context(locale="pl", timezone_id="Europe/Warsaw")
    page = await context.new_page()
    await page.goto(base + "/")
    await page.click('a.product-link[href$="/product/wireless-headphones"]')
    await page.locator("h1.product-name").wait_for()  # the profile's `expect`
    await page.fill("#quantity", "1")
    await page.click("#add-to-cart")
    await page.wait_for_url("**/cart")
    await page.goto(base + "/cart")
    for row in await page.locator("tr.cart-item").all():  # the profile's `extract`: what the cart shows
        for cell in (".item-name", ".item-quantity", ".item-price"):
            await row.locator(cell).text_content()
    await page.locator("#cart-total").text_content()
    await page.click("a#checkout")
    await page.wait_for_url("**/checkout")
    for field, value in (("first_name", "Anna"), ("last_name", "Kowalska"), ("email", "a@b.test")):
        await page.fill(f"#{field}", value)
    for field, value in (("phone", "1"), ("line1", "x"), ("city", "y"), ("postcode", "00-001")):
        await page.fill(f"#{field}", value)
    await page.set_checked("#marketing_consent", False)
    await context.close()


async def main() -> None:
    persona = load_persona(DEMO / "persona.yaml")
    with tempfile.TemporaryDirectory() as tmp, DemoShop("127.0.0.1", 9) as shop:
        store = load_store(DEMO / "stores" / "exemplary.yaml")
        store = store.model_copy(update={"base_url": shop.url_for("exemplary")})
        async with launch_browser() as browser:

            async def shopper(trace: str, i: int) -> None:
                run = Run(id=f"b{i}", store_id=store.id, scenario_id="browse", persona_id="anna", address="a@b.test")
                result = await run_scenario(
                    SCENARIO,
                    store,
                    persona,
                    run,
                    browser=browser,
                    hooks=MemoryHooks(run.id),
                    artifacts_dir=Path(tmp) / trace / run.id,
                    options=ShopperOptions(trace=trace),  # type: ignore[arg-type]
                )
                assert result.ok, result

            variants = {
                "playwright direct (baseline)": lambda i: baseline(browser, store.base_url),
                "run_scenario, trace off": lambda i: shopper("off", i),
                "run_scenario, default settings": lambda i: shopper(ShopperOptions().trace, i),
                "run_scenario, trace on_failure": lambda i: shopper("on_failure", i),
                "run_scenario, trace always": lambda i: shopper("always", i),
            }
            await baseline(browser, store.base_url)  # warm up the browser and the shop
            times: dict[str, list[float]] = {name: [] for name in variants}
            for i in range(ROUNDS):  # interleaved, so drift in machine load hits every variant alike
                for name, once in variants.items():
                    start = time.perf_counter()
                    await once(i)
                    times[name].append(time.perf_counter() - start)
    base = statistics.median(times["playwright direct (baseline)"])
    print(f"{'variant':34} {'median s/run':>12} {'x baseline':>10}")
    for name, samples in times.items():
        median = statistics.median(samples)
        print(f"{name:34} {median:12.3f} {median / base:10.2f}")
    default = statistics.median(times["run_scenario, default settings"]) / base
    print(f"default settings (trace {ShopperOptions().trace}): {default:.2f}x a bare Playwright script (goal <= 1.15)")


if __name__ == "__main__":
    asyncio.run(main())
