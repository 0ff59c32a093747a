"""End to end on a real store: the shopper buys on django-oscar, Oscar mails, the run is scored.

The journal is ground truth only if it matches what the store itself says, so
every assertion reads Oscar's confirmation email twice: with our analysis, and
by hand (a regex over the plain-text part), so a bug in analysis cannot make
both sides agree by accident.
"""

import re
import socket
import uuid
from collections.abc import Iterator
from contextlib import AsyncExitStack, contextmanager
from dataclasses import dataclass
from decimal import Decimal
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
from oscar_fixture import CatalogueProduct, PlacedOrder, running_store, template_db

from auditor.analysis import analyze
from auditor.campaign.execute import execute_campaign
from auditor.campaign.folder import CampaignFolder
from auditor.campaign.orchestrate import CampaignOptions
from auditor.campaign.single import single_run_campaign
from auditor.config import load_persona, load_scenario, load_store
from auditor.mail import SmtpSink
from auditor.models import Journal, Message, MessageKind, Money, Persona, Run, RunStatus, ShownOrder
from auditor.models.scenario import Scenario
from auditor.shopper import ShopperOptions, ShopperResult, launch_browser, run_scenario
from auditor.shopper.memory import MemoryHooks

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "oscar-guest-checkout.yaml"
PROFILE = ROOT / "scenarios" / "stores" / "oscar.yaml"
PERSONA = ROOT / "scenarios" / "personas" / "guest-pl.yaml"

# Oscar's plain-text confirmation, as its default template writes it, in English and in Polish.
LABELS = {
    "Confirmation of order": {"quantity": "quantity:", "price": "price:", "total": "Order Total:"},
    "Potwierdzenie zamówienia": {"quantity": "ilość:", "price": "cena:", "total": "Wartość zamówienia:"},
}
SUBJECT = re.compile(rf"^({'|'.join(LABELS)}) (\S+)$")
CURRENCIES = {"€": "EUR", "zł": "PLN"}


def hand_money(text: str) -> tuple[Decimal, str]:
    """``€19.99`` or ``19,99 zł`` to (amount, ISO code): just enough for Oscar's two formats."""
    currency = next(code for sign, code in CURRENCIES.items() if sign in text)
    digits = re.sub(r"[^\d.,]", "", text)
    if digits.rfind(",") > digits.rfind("."):
        digits = digits.replace(".", "").replace(",", ".")
    return Decimal(digits.replace(",", "")), currency


class OscarConfirmation:
    """What Oscar's confirmation says, read from the raw bytes without our analysis."""

    def __init__(self, raw: bytes):
        parsed = message_from_bytes(raw, policy=default_policy)
        assert isinstance(parsed, EmailMessage)
        subject = SUBJECT.match(str(parsed["Subject"]))
        assert subject, f"not an Oscar confirmation: {parsed['Subject']!r}"
        labels = {k: re.escape(v) for k, v in LABELS[subject.group(1)].items()}
        text = parsed.get_body(("plain",)).get_content()
        item_line = rf"^\s*\* (?P<name>.+?) - {labels['quantity']} (?P<qty>\d+) - {labels['price']} (?P<price>.+?)\s*$"
        total = re.search(rf"^{labels['total']} (?P<total>.+?)\s*$", text, re.M)
        assert total, f"no {LABELS[subject.group(1)]['total']!r} line in:\n{text}"
        self.number = subject.group(2)
        self.items = [(m["name"], int(m["qty"]), hand_money(m["price"])[0]) for m in re.finditer(item_line, text, re.M)]
        self.total, self.currency = hand_money(total["total"])
        self.to = [str(a) for a in parsed["To"].addresses] if parsed["To"] else []


def assert_journal_matches(order: ShownOrder | None, confirmation: OscarConfirmation) -> None:
    """The order page's number, items and total are the confirmation's, field by field."""
    assert order is not None, "the journal has no order_shown event"
    assert order.number == confirmation.number
    shown = [(i.name, i.quantity, i.unit_price.amount if i.unit_price else None) for i in order.items]
    assert shown == confirmation.items
    assert order.total is not None
    assert (order.total.amount, order.total.currency) == (confirmation.total, confirmation.currency)


@pytest.fixture(scope="session")
def oscar_template() -> Path:
    """Migrated and seeded once per machine and shop version (see tests/oscar_fixture.py)."""
    return template_db()


@dataclass
class Shopped:
    """What one direct run left behind: the shopper's result and journal, the mail, the store's orders."""

    run: Run
    result: ShopperResult
    journal: Journal
    received: list[tuple[Message, bytes]]
    orders: list[PlacedOrder]
    products: list[CatalogueProduct]


async def shop_on_oscar(
    template: Path,
    tmp_path: Path,
    *,
    scenario: Scenario | None = None,
    persona: Persona | None = None,
    store_update: dict[str, Any] | None = None,
    currency: str | None = None,
    mailbox: bool = True,
    options: ShopperOptions | None = None,
    thank_you_timeout: float | None = None,
) -> Shopped:
    """Run a scenario with ``run_scenario`` on a fresh Oscar, its mail going to a real SMTP sink.

    ``mailbox=False`` points Oscar at a bound socket that never listens: every connection
    is refused at once (a real fault, and no port race). Without ``options`` no Playwright
    trace is recorded (a quarter of the run's time); the campaign test keeps the defaults.
    """
    scenario = scenario or load_scenario(SCENARIO)
    persona = persona or load_persona(PERSONA)
    run_id = uuid.uuid4().hex[:10]
    run = Run(
        id=run_id,
        store_id="oscar",
        scenario_id=scenario.id,
        persona_id=persona.id,
        address=persona.email.address_for(run_id),
    )
    hooks = MemoryHooks(run.id)
    received: list[tuple[Message, bytes]] = []

    async def on_message(message: Message, raw: bytes) -> None:
        received.append((message, raw))
        await hooks.deliver(message, analyze(raw).kind)

    async with AsyncExitStack() as stack:
        if mailbox:
            port = (await stack.enter_async_context(SmtpSink(tmp_path / "mail", on_message))).port
        else:
            closed = stack.enter_context(socket.socket())
            closed.bind(("127.0.0.1", 0))
            port = closed.getsockname()[1]
        live = stack.enter_context(running_store(template, tmp_path / "oscar", "127.0.0.1", port, currency=currency))
        store = load_store(PROFILE).model_copy(update={"base_url": live.base_url, **(store_update or {})})
        if thank_you_timeout is not None:
            [wait] = [s.wait_for_url for s in store.profile["place_order"] if s.wait_for_url is not None]
            wait.timeout = thank_you_timeout
        browser = await stack.enter_async_context(launch_browser())
        result = await run_scenario(
            scenario,
            store,
            persona,
            run,
            browser=browser,
            hooks=hooks,
            artifacts_dir=tmp_path / "run",
            options=options or ShopperOptions(trace="off"),
        )
        orders = live.orders()
    return Shopped(
        run=run, result=result, journal=hooks.journal, received=received, orders=orders, products=live.products
    )


def assert_three_witnesses_agree(shopped: Shopped, currency: str) -> OscarConfirmation:
    """Page (journal), email (read by hand and by our analysis) and Oscar's database tell one story."""
    result, journal, run = shopped.result, shopped.journal, shopped.run
    assert result.ok, f"{result.failed_step}: {result.reason} (artifacts: {result.artifacts})"
    assert len(shopped.received) == 1, [m.subject for m, _ in shopped.received]
    message, raw = shopped.received[0]
    confirmation = OscarConfirmation(raw)
    assert message.envelope_to == [run.address] and confirmation.to == [run.address]
    assert confirmation.currency == currency
    # The product names are the seeded ones, so the comparisons below are not empty-equals-empty.
    assert [name for name, _, _ in confirmation.items] == [p.title for p in shopped.products]

    assert_journal_matches(journal.order, confirmation)
    assert result.shown_order == journal.order
    # The store's own database: one order, this number, this guest, these lines.
    [placed] = shopped.orders
    assert (placed.number, placed.total, placed.currency) == (confirmation.number, confirmation.total, currency)
    assert placed.guest_email == run.address
    assert [(line.title, line.quantity, line.unit_price) for line in placed.lines] == confirmation.items
    # Our analysis of the same bytes agrees with Oscar and with the journal.
    evidence = analyze(raw)
    assert evidence.kind is MessageKind.order_confirmation
    assert evidence.order_number is not None and evidence.order_number.value == confirmation.number
    assert [(i.name, i.quantity) for i in evidence.items] == [(n, q) for n, q, _ in confirmation.items]
    assert evidence.total is not None
    assert evidence.total.value == Money(amount=confirmation.total, currency=currency)
    # The order click happened before the email arrived: response times are measurable.
    submitted = journal.time_of("order_submitted")
    assert submitted is not None and submitted <= message.arrived_at
    assert [e.data["received"] for e in journal.events if e.kind == "mail_waited"] == [1]
    return confirmation


async def test_journal_matches_oscars_confirmation_email(oscar_template: Path, tmp_path: Path) -> None:
    scenario = load_scenario(SCENARIO)
    products = [s.add_to_cart.product for s in scenario.steps if s.add_to_cart is not None]
    assert len(products) == 2 and len(set(products)) == 2, "the scenario must buy two different products"
    shopped = await shop_on_oscar(oscar_template, tmp_path, scenario=scenario)
    confirmation = assert_three_witnesses_agree(shopped, "EUR")
    assert confirmation.total == Decimal("62.49")


async def test_polish_guest_gets_oscars_polish_confirmation_matching_the_journal(
    oscar_template: Path, tmp_path: Path
) -> None:
    """Same scenario and profile, a Polish-speaking persona, prices in PLN: Oscar answers in Polish
    ("Potwierdzenie zamówienia", "62,49 zł") and every witness still agrees."""
    persona = load_persona(PERSONA).model_copy(update={"language": "pl"})
    shopped = await shop_on_oscar(
        oscar_template,
        tmp_path,
        persona=persona,
        store_update={"locale": "pl-PL", "currency": "PLN"},
        currency="PLN",
    )
    confirmation = assert_three_witnesses_agree(shopped, "PLN")
    raw = shopped.received[0][1]
    assert analyze(raw).language == "pl"
    assert "Potwierdzenie zamówienia" in str(message_from_bytes(raw, policy=default_policy)["Subject"])
    assert confirmation.total == Decimal("62.49")


async def test_oscar_run_through_the_campaign_is_scored(oscar_template: Path, tmp_path: Path) -> None:
    """``auditor run``'s own path: a one-cell campaign whose store is started once the sink has a port."""
    campaign = single_run_campaign(SCENARIO, PROFILE, PERSONA, {"kind": "smtp_sink", "port": 0}, "default")
    started: list[str] = []

    @contextmanager
    def oscar_up(smtp_host: str, smtp_port: int) -> Iterator[dict[str, str]]:
        with running_store(oscar_template, tmp_path / "oscar", smtp_host, smtp_port) as live:
            started.append(live.base_url)
            yield {"oscar": live.base_url}

    progress: list[str] = []
    out = tmp_path / "campaign"
    options = CampaignOptions(observe_window=False, watch_inline=float("inf"))  # as `auditor run` sets them
    results = await execute_campaign(out, campaign, options, progress.append, rubric="default", stores_up=oscar_up)

    assert len(started) == 1
    [store_result] = results.stores
    [run_result] = store_result.runs
    assert run_result.run.status is RunStatus.done, (run_result.run.error, progress)
    assert run_result.scorecard.total is not None and 0 <= run_result.scorecard.total <= 100
    assert store_result.scorecard.total is not None
    # The rubric read the same order from Oscar's email as the journal shows: these three pass.
    status = {f.criterion: f.status.value for f in run_result.findings}
    assert {c: status.get(c) for c in ("order-number", "items", "total")} == dict.fromkeys(
        ("order-number", "items", "total"), "pass"
    ), [(f.criterion, f.value) for f in run_result.findings]
    assert [m.kind for m in run_result.messages] == [MessageKind.order_confirmation]
    assert run_result.messages[0].after_order_s is not None and run_result.messages[0].after_order_s >= 0
    assert (out / "results.json").is_file()

    with CampaignFolder(out) as folder:
        [message] = folder.messages(run_result.run.id)
        confirmation = OscarConfirmation(folder.raw(message.sha256))
        assert_journal_matches(folder.journal(run_result.run.id).order, confirmation)
    assert confirmation.to == [run_result.run.address]


def test_confirmation_reader_rejects_other_mail() -> None:
    """The hand-written reader must not pass on a message that is not Oscar's confirmation."""
    raw = b"Subject: Your parcel is on its way\r\nTo: a@example.test\r\n\r\nHello\r\n"
    with pytest.raises(AssertionError, match="not an Oscar confirmation"):
        OscarConfirmation(raw)


async def test_a_store_whose_mail_fails_keeps_the_order_and_the_journal_says_it_was_placed(
    oscar_template: Path, tmp_path: Path
) -> None:
    """A real fault: Oscar cannot reach its mail server, creates the order anyway and shows an error.

    The run must fail at place_order, yet its journal must hold order_submitted, because a campaign
    resumes by that event and must never buy twice.
    """
    # The thank-you page never comes: wait 3 s for it, not the profile's 15.
    shopped = await shop_on_oscar(oscar_template, tmp_path, mailbox=False, thank_you_timeout=3)

    result = shopped.result
    assert not result.ok
    assert result.failed_step is not None and result.failed_step.kind == "place_order"
    assert "thank-you" in (result.reason or ""), result.reason
    assert shopped.journal.first("order_submitted") is not None
    assert shopped.journal.order is None  # no thank-you page, so nothing shown to extract
    assert any(p.name == "failure.png" for p in result.artifacts), result.artifacts
    # The page the run failed on is Oscar's own error: the POST had finished (so the order is in the
    # database before we read it) and the artifacts show the store's reason, not just a timeout.
    [page] = [p for p in result.artifacts if p.name == "failure.html"]
    assert "A problem occurred while placing this order" in page.read_text()
    assert [(o.number, o.guest_email) for o in shopped.orders] == [("100001", shopped.run.address)]


async def test_purchase_guard_on_a_real_money_oscar_buys_nothing(oscar_template: Path, tmp_path: Path) -> None:
    """Everyone said yes, but Oscar's basket (62.49 EUR) is over the cap: no click, no order in the store."""
    shopped = await shop_on_oscar(
        oscar_template,
        tmp_path,
        scenario=load_scenario(SCENARIO).model_copy(update={"allow_purchase": True}),
        store_update={"real_money": True},
        mailbox=False,  # no order may be placed, so no mail may be needed
        options=ShopperOptions(allow_purchase=True, max_spend=Money(amount=Decimal("50.00"), currency="EUR")),
    )

    result = shopped.result
    assert not result.ok and result.failed_step is not None
    assert result.failed_step.kind == "place_order"
    assert "62.49 EUR is over the cap of 50.00 EUR" in (result.reason or ""), result.reason
    assert shopped.journal.first("order_submitted") is None
    assert shopped.orders == []
    total = sum((p.price for p in shopped.products), Decimal(0))
    [cart] = [e for e in shopped.journal.events if e.kind == "cart_shown"]
    assert cart.data["total"] == {"amount": str(total), "currency": "EUR"}  # what the guard compared


async def test_a_quantity_oscar_cannot_take_fails_loudly_instead_of_buying_one(
    oscar_template: Path, tmp_path: Path
) -> None:
    """Oscar's product page only adds one; the profile must refuse ``quantity: 2``, not buy one."""
    scenario = Scenario.model_validate(
        {"id": "two-pens", "steps": [{"add_to_cart": {"product": "pen", "quantity": 2}}, {"checkout": {}}]}
    )
    quick = ShopperOptions(trace="off", locator_timeout=1)  # the page has loaded: no need to wait 5 s
    shopped = await shop_on_oscar(oscar_template, tmp_path, scenario=scenario, mailbox=False, options=quick)

    result = shopped.result
    assert not result.ok and result.failed_step is not None
    assert (result.failed_step.index, result.failed_step.kind) == (0, "add_to_cart")
    # The reason names the quantity-guarded locator (as written in the profile, with {quantity}).
    assert "input[name=quantity]" in (result.reason or "") and "matched nothing" in (result.reason or ""), result.reason
    assert shopped.journal.first("cart_shown") is None and shopped.orders == []
