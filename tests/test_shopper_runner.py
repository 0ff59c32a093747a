"""The shopper end to end: the demo scenario, a real Chromium, the real DemoShop, real SMTP."""

from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.async_api import Browser

from auditor.analysis import analyze
from auditor.config import load_persona, load_scenario, load_store
from auditor.demo.shop import DemoShop
from auditor.mail.sink import SmtpSink
from auditor.models import Message, MessageKind, Run
from auditor.shopper import ShopperOptions, launch_browser, run_scenario
from auditor.shopper.memory import MemoryHooks

DEMO = Path(__file__).parents[1] / "auditor" / "demo" / "campaign"


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with launch_browser() as b:
        yield b


async def test_demo_scenario_buys_asks_and_journals_what_the_store_showed(browser: Browser, tmp_path: Path) -> None:
    scenario = load_scenario(DEMO / "scenario.yaml")
    persona = load_persona(DEMO / "persona.yaml")
    run = Run(id="r1", store_id="exemplary", scenario_id=scenario.id, persona_id=persona.id, address="")
    run = run.model_copy(update={"address": persona.email.address_for(run.id)})
    hooks = MemoryHooks(run.id)

    async def on_message(message: Message, raw: bytes) -> None:
        if run.address in message.recipients:
            await hooks.deliver(message, analyze(raw).kind)

    async with SmtpSink(tmp_path / "mail", on_message) as sink:
        with DemoShop("127.0.0.1", sink.port, time_scale=0.2) as shop:
            store = load_store(DEMO / "stores" / "exemplary.yaml")
            store = store.model_copy(update={"base_url": shop.url_for("exemplary")})
            result = await run_scenario(
                scenario,
                store,
                persona,
                run,
                browser=browser,
                hooks=hooks,
                artifacts_dir=tmp_path / "runs" / run.id,
                options=ShopperOptions(),
            )
            shop.wait_idle(5)

    assert result.ok, result
    journal = hooks.journal
    kinds = [e.kind for e in journal.events]
    assert kinds.count("step_done") == len(scenario.steps)
    assert kinds.index("order_submitted") < kinds.index("order_shown") < kinds.index("question_sent")
    assert all(e.at.tzinfo is not None for e in journal.events)

    order = journal.order
    assert order is not None and order.number is not None and order.number.startswith("EX-")
    assert [i.name for i in order.items] == ["Wireless Headphones", "USB-C Charger 65W"]
    assert [i.quantity for i in order.items] == [1, 1]
    assert order.items[0].unit_price is not None and order.items[0].unit_price.amount == Decimal("129.00")
    assert order.total is not None and order.total.amount == Decimal("218.90")
    assert order.total.currency == order.currency == "PLN"
    assert order.delivery_estimate and "2" in order.delivery_estimate
    assert result.shown_order == order

    # The persona refused marketing: the consent box was left unticked, so exemplary sends no marketing.
    assert {k for _, k in hooks.messages} >= {MessageKind.order_confirmation, MessageKind.support_reply}
    assert MessageKind.marketing not in hooks.kinds()
    subjects = [m.subject for m in result.mail]
    assert any(order.number in s for s in subjects), subjects
    # The order was submitted before the confirmation arrived, by the journal's own clock.
    confirmation = next(m for m, k in hooks.messages if k == MessageKind.order_confirmation)
    assert journal.time_of("order_submitted") <= confirmation.arrived_at
