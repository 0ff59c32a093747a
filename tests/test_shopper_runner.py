"""The shopper end to end: scenarios run by a real Chromium against the real DemoShop, mail over real SMTP."""

import asyncio
import email
import email.policy
import json
from collections.abc import AsyncIterator, Iterator
from decimal import Decimal
from pathlib import Path

import pytest
import pytest_asyncio
import yaml
from playwright.async_api import Browser

from auditor.analysis import analyze
from auditor.config import load_persona, load_scenario, load_store
from auditor.demo.shop import DemoShop
from auditor.mail.sink import SmtpSink
from auditor.models import Message, MessageKind, Money, Persona, Run, Store
from auditor.models.scenario import Scenario
from auditor.models.steps import PrimitiveStep
from auditor.shopper import ShopperOptions, ShopperResult, launch_browser, run_scenario
from auditor.shopper.memory import MemoryHooks

DEMO = Path(__file__).parents[1] / "auditor" / "demo" / "campaign"
pytestmark = pytest.mark.asyncio(loop_scope="module")


class Mailroom:
    """Routes what the SMTP sink receives to the hooks of the run it was sent to."""

    def __init__(self) -> None:
        self.hooks: dict[str, MemoryHooks] = {}
        self.received: list[Message] = []
        self.raw: dict[str, bytes] = {}

    async def __call__(self, message: Message, raw: bytes) -> None:
        self.received.append(message)
        self.raw[message.sha256] = raw
        for address, hooks in self.hooks.items():
            if address in message.recipients:
                await hooks.deliver(message, analyze(raw).kind)

    def summary(self) -> list[str]:
        return [f"{m.subject} -> {m.recipients}" for m in self.received]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def browser() -> AsyncIterator[Browser]:
    async with launch_browser() as b:
        yield b


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def mailroom(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[tuple[Mailroom, int]]:
    room = Mailroom()
    async with SmtpSink(tmp_path_factory.mktemp("mail"), room) as sink:
        yield room, sink.port


@pytest.fixture(scope="module")
def shop(mailroom: tuple[Mailroom, int]) -> Iterator[DemoShop]:
    with DemoShop("127.0.0.1", mailroom[1], time_scale=0.2) as s:
        yield s


@pytest.fixture
def persona() -> Persona:
    return load_persona(DEMO / "persona.yaml")


def demo_store(shop: DemoShop, store_id: str = "exemplary", **changes: object) -> Store:
    store = load_store(DEMO / "stores" / f"{store_id}.yaml")
    return store.model_copy(update={"base_url": shop.url_for(store_id), **changes})


def new_run(run_id: str, persona: Persona, store: Store, scenario: Scenario) -> Run:
    return Run(
        id=run_id,
        store_id=store.id,
        scenario_id=scenario.id,
        persona_id=persona.id,
        address=persona.email.address_for(run_id),
    )


async def shop_once(
    browser: Browser,
    room: Mailroom,
    scenario: Scenario,
    store: Store,
    persona: Persona,
    tmp_path: Path,
    run_id: str,
    options: ShopperOptions | None = None,
) -> tuple[ShopperResult, MemoryHooks, Run]:
    run = new_run(run_id, persona, store, scenario)
    hooks = room.hooks[run.address] = MemoryHooks(run.id)
    result = await run_scenario(
        scenario,
        store,
        persona,
        run,
        browser=browser,
        hooks=hooks,
        artifacts_dir=tmp_path / "runs" / run.id,
        options=options or ShopperOptions(),
    )
    return result, hooks, run


def scenario_from(text: str) -> Scenario:
    return Scenario.model_validate(yaml.safe_load(text))


async def test_demo_scenario_buys_asks_and_journals_what_the_store_showed(
    browser: Browser, mailroom: tuple[Mailroom, int], shop: DemoShop, persona: Persona, tmp_path: Path
) -> None:
    scenario = load_scenario(DEMO / "scenario.yaml")
    result, hooks, _ = await shop_once(browser, mailroom[0], scenario, demo_store(shop), persona, tmp_path, "e2e1")

    assert result.ok, result
    journal = hooks.journal
    kinds = [e.kind for e in journal.events]
    assert kinds.count("step_done") == len(scenario.steps)
    assert kinds.index("order_submitted") < kinds.index("order_shown") < kinds.index("question_sent")
    json.dumps([e.data for e in journal.events])  # plain data only: the campaign stores it as JSON
    waited = journal.first("mail_waited")
    assert waited is not None and waited.data["kinds"] == ["order_confirmation", "support_reply"]
    assert waited.data["received"] == len(result.mail) >= 2
    assert all(e.at.tzinfo is not None for e in journal.events)
    assert journal.first("cart_shown") is not None  # checkout read the cart before the order

    order = journal.order
    assert order is not None and order.number is not None and order.number.startswith("EX-")
    assert [i.name for i in order.items] == ["Wireless Headphones", "USB-C Charger 65W"]
    assert [i.quantity for i in order.items] == [1, 1]
    assert order.items[0].unit_price == Money(amount=Decimal("129.00"), currency="PLN")
    assert order.total == Money(amount=Decimal("218.90"), currency="PLN")
    assert order.currency == "PLN"
    assert order.delivery_estimate and "2" in order.delivery_estimate
    assert result.shown_order == order

    # The persona refused marketing: the box stayed unticked, and exemplary honours that.
    assert hooks.kinds() >= {MessageKind.order_confirmation, MessageKind.support_reply}, mailroom[0].summary()
    assert MessageKind.marketing not in hooks.kinds()
    assert any(order.number in m.subject for m in result.mail), [m.subject for m in result.mail]
    reply = next(m for m, k in hooks.messages if k == MessageKind.support_reply)
    text = email.message_from_bytes(mailroom[0].raw[reply.sha256], policy=email.policy.default)
    body = text.get_body(("plain",))
    assert body is not None and "Thank you, Anna" in body.get_content()  # the question's own {persona.first_name}
    confirmation = next(m for m, k in hooks.messages if k == MessageKind.order_confirmation)
    assert journal.time_of("order_submitted") <= confirmation.arrived_at


async def test_bare_store_shows_no_delivery_estimate_and_it_is_recorded_as_unknown(
    browser: Browser, mailroom: tuple[Mailroom, int], shop: DemoShop, persona: Persona, tmp_path: Path
) -> None:
    scenario = scenario_from("""
id: buy-one
steps:
  - add_to_cart: {product: smartwatch}
  - checkout: {}
  - place_order: {}
""")
    result, hooks, run = await shop_once(
        browser,
        mailroom[0],
        scenario,
        demo_store(shop, "bare"),
        persona,
        tmp_path,
        "bare1",
        ShopperOptions(trace="always"),
    )
    assert result.ok, result
    assert result.artifacts == [tmp_path / "runs" / run.id / "trace.zip"] and result.artifacts[0].stat().st_size > 0
    order = hooks.journal.order
    assert order is not None and order.number is not None and order.number.isdigit()
    assert order.total == Money(amount=Decimal("1299.00"), currency="PLN")
    assert order.delivery_estimate is None
    assert "delivery_estimate: not shown" in hooks.journal.first("order_shown").data["unknown"]


async def test_a_locator_that_matches_nothing_fails_the_run_with_artifacts(
    browser: Browser, mailroom: tuple[Mailroom, int], shop: DemoShop, persona: Persona, tmp_path: Path
) -> None:
    store = demo_store(shop)
    broken = store.model_copy(deep=True)
    broken.profile["checkout"][2].click.locator.css = "a#go-to-checkout"  # the real one is a#checkout
    scenario = scenario_from("""
id: broken-checkout
steps:
  - add_to_cart: {product: charger}
  - checkout: {}
  - place_order: {}
""")
    options = ShopperOptions(locator_timeout=2)
    result, hooks, run = await shop_once(browser, mailroom[0], scenario, broken, persona, tmp_path, "miss1", options)

    assert not result.ok
    assert result.failed_step is not None
    assert (result.failed_step.index, result.failed_step.kind) == (1, "checkout")
    assert result.failed_step.detail == "checkout[2].click"
    assert result.reason is not None and result.reason.startswith("checkout[2].click: locator css='a#go-to-checkout'")
    assert "matched nothing" in result.reason
    assert result.url is not None and result.url.endswith("/exemplary/cart") and result.url in result.reason

    # the default (trace on_retry): the first attempt leaves screenshot, HTML and reason; having failed
    # before any order click, the run is tried once more with the trace on, which leaves the trace
    folder = tmp_path / "runs" / run.id
    assert result.retried == result.reason
    assert {p.relative_to(folder).as_posix() for p in result.artifacts} >= {
        "failure.png", "failure.html", "failure.json", "retry/failure.png", "retry/trace.zip"
    }  # fmt: skip
    assert not (folder / "trace.zip").exists()  # the first attempt recorded no trace
    assert (folder / "failure.png").read_bytes().startswith(b"\x89PNG")
    assert "cart-total" in (folder / "failure.html").read_text()
    assert (folder / "retry" / "trace.zip").stat().st_size > 0
    about = json.loads((folder / "failure.json").read_text())
    assert about["reason"] == result.reason and about["url"] == result.url

    kinds = [e.kind for e in hooks.journal.events]
    assert kinds.count("step_failed") == 2 and kinds.count("run_retried") == 1
    failed = hooks.journal.first("step_failed")
    assert failed is not None and failed.step == "checkout" and failed.data["index"] == 1
    assert hooks.journal.first("order_submitted") is None  # it never got that far


async def test_a_failure_after_the_order_click_is_never_retried(
    browser: Browser, mailroom: tuple[Mailroom, int], shop: DemoShop, persona: Persona, tmp_path: Path
) -> None:
    store = demo_store(shop)
    broken = store.model_copy(deep=True)
    broken.profile["place_order"].append(
        PrimitiveStep.model_validate({"expect": {"locator": {"css": "#no-such-thank-you"}, "timeout": 1}})
    )
    scenario = scenario_from("""
id: broken-thank-you
steps:
  - add_to_cart: {product: charger}
  - checkout: {}
  - place_order: {}
""")
    before = len(shop.state.orders("exemplary"))
    result, hooks, _ = await shop_once(browser, mailroom[0], scenario, broken, persona, tmp_path, "late1")
    assert not result.ok and result.order_clicked and result.retried is None
    assert "#no-such-thank-you" in (result.reason or "")
    assert len(shop.state.orders("exemplary")) == before + 1  # bought once, never twice
    assert [e.kind for e in hooks.journal.events].count("run_retried") == 0


async def test_a_store_without_the_profile_entry_fails_before_the_browser_opens(
    browser: Browser, mailroom: tuple[Mailroom, int], shop: DemoShop, persona: Persona, tmp_path: Path
) -> None:
    scenario = scenario_from("id: s\nsteps:\n  - visit: /\n  - do: subscribe_newsletter\n")
    result, hooks, _ = await shop_once(browser, mailroom[0], scenario, demo_store(shop), persona, tmp_path, "np1")
    assert not result.ok and result.failed_step is not None and result.failed_step.index == 1
    assert "subscribe_newsletter" in (result.reason or "") and "add_to_cart" in (result.reason or "")
    assert [e.kind for e in hooks.journal.events] == ["step_failed"]


async def test_dry_run_stops_before_the_order_on_any_store(
    browser: Browser, mailroom: tuple[Mailroom, int], shop: DemoShop, persona: Persona, tmp_path: Path
) -> None:
    scenario = load_scenario(DEMO / "scenario.yaml")
    result, hooks, run = await shop_once(
        browser, mailroom[0], scenario, demo_store(shop), persona, tmp_path, "dry1", ShopperOptions(dry_run=True)
    )
    assert result.ok and result.stopped is not None and "place_order" in result.stopped
    kinds = [e.kind for e in hooks.journal.events]
    assert "cart_shown" in kinds and kinds[-1] == "dry_run_stopped"
    assert "order_submitted" not in kinds and "question_sent" not in kinds
    shop.wait_idle(2)
    assert not any(run.address in m.recipients for m in mailroom[0].received)  # no order, no mail


async def test_purchase_guard_refuses_a_real_money_store_without_permission(
    browser: Browser, mailroom: tuple[Mailroom, int], shop: DemoShop, persona: Persona, tmp_path: Path
) -> None:
    scenario = scenario_from("""
id: real
allow_purchase: true
steps:
  - add_to_cart: {product: smartwatch}
  - checkout: {}
  - place_order: {}
""")
    store = demo_store(shop, "chatty", real_money=True)
    options = ShopperOptions(allow_purchase=True, max_spend=Money(amount=Decimal("500"), currency="PLN"))
    result, hooks, run = await shop_once(browser, mailroom[0], scenario, store, persona, tmp_path, "guard1", options)

    assert not result.ok and result.failed_step is not None and result.failed_step.kind == "place_order"
    assert result.reason is not None and "over the cap" in result.reason and "1299.00 PLN" in result.reason
    assert hooks.journal.first("order_submitted") is None
    assert result.url is not None and result.url.endswith("/chatty/checkout")  # still on the form, not ordered
    shop.wait_idle(2)
    assert not any(run.address in m.recipients for m in mailroom[0].received)


async def test_purchase_guard_lets_an_allowed_order_within_the_cap_through(
    browser: Browser, mailroom: tuple[Mailroom, int], shop: DemoShop, persona: Persona, tmp_path: Path
) -> None:
    scenario = scenario_from("""
id: real
allow_purchase: true
steps:
  - add_to_cart: {product: charger}
  - checkout: {}
  - place_order: {}
""")
    store = demo_store(shop, "bare", real_money=True)
    options = ShopperOptions(allow_purchase=True, max_spend=Money(amount=Decimal("100"), currency="PLN"))
    result, hooks, _ = await shop_once(browser, mailroom[0], scenario, store, persona, tmp_path, "guard2", options)
    assert result.ok, result
    assert hooks.journal.first("order_submitted") is not None
    assert hooks.journal.order is not None and hooks.journal.order.number is not None


async def test_a_shared_limiter_keeps_concurrent_runs_to_its_size(
    browser: Browser, mailroom: tuple[Mailroom, int], shop: DemoShop, persona: Persona, tmp_path: Path
) -> None:
    scenario = scenario_from("id: browse\nsteps:\n  - add_to_cart: {product: charger}\n  - checkout: {}\n")
    options = ShopperOptions(limiter=asyncio.Semaphore(1))
    store = demo_store(shop, "chatty")
    results = await asyncio.gather(
        *(shop_once(browser, mailroom[0], scenario, store, persona, tmp_path, f"lim{i}", options) for i in range(2))
    )
    spans = sorted((h.journal.events[0].at, h.journal.events[-1].at) for _, h, _ in results)
    assert all(r.ok for r, _, _ in results)
    assert spans[0][1] <= spans[1][0]  # the second run started only after the first one finished
