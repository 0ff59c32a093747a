"""The default rubric on the demo stores' real emails: real HTTP, real SMTP, real analysis.

No browser: the test places orders over HTTP and writes the journal the shopper
would (click time, the order page's number, items and total), so it checks the
contract between analysis and the checks on the mail the demo really sends.
"""

import http.cookiejar
import socket
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from aiosmtpd.controller import Controller
from bs4 import BeautifulSoup

from auditor.analysis import analyze
from auditor.demo import DemoShop
from auditor.mail.headers import read_message
from auditor.models import (
    Expectations,
    FindingStatus,
    Journal,
    JournalEvent,
    MessageKind,
    MessageRecord,
    OrderItem,
    Run,
    RunRecord,
    ShownOrder,
    Store,
)
from auditor.models.money_text import parse_money
from auditor.rubric import evaluate_gate, load_rubric, run_scorecard, score_run
from auditor.rubric.examples import persona


class Sink:
    """aiosmtpd handler keeping raw bytes with the moment they arrived (the mailbox clock)."""

    def __init__(self) -> None:
        self.received: list[tuple[datetime, list[str], bytes]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd hook name
        with self.lock:
            self.received.append((datetime.now(UTC), list(envelope.rcpt_tos), envelope.original_content))
        return "250 OK"


@pytest.fixture(scope="module")
def scored() -> Iterator[dict[str, RunRecord]]:
    sink = Sink()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with DemoShop("127.0.0.1", port, time_scale=0.05) as shop:
            runs = {store: _shop(shop.url_for(store), store) for store in shop.store_ids}
            assert shop.wait_idle(10)
        yield {store: _record(store, journal, address, sink) for store, (journal, address) in runs.items()}
    finally:
        controller.stop()


def _shop(base: str, store: str) -> tuple[Journal, str]:
    """Add two products, check out as Anna without consent, ask a question; journal it all."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def post(path: str, form: dict[str, str]) -> BeautifulSoup:
        data = urllib.parse.urlencode(form).encode()
        with opener.open(urllib.request.Request(base + path, data=data, method="POST"), timeout=10) as r:
            return BeautifulSoup(r.read(), "html.parser")

    address = f"shopper+{store}@example.test"
    post("/cart/add", {"slug": "wireless-headphones", "quantity": "1"})
    post("/cart/add", {"slug": "usb-c-charger", "quantity": "2"})
    events = [JournalEvent(at=datetime.now(UTC), kind="order_submitted")]
    page = post(
        "/checkout",
        {
            "first_name": "Anna",
            "last_name": "Kowalska",
            "email": address,
            "phone": "+48 600 100 200",
            "line1": "ul. Prosta 1",
            "city": "Warszawa",
            "postcode": "00-001",
        },
    )
    shown = ShownOrder(
        number=page.select_one("#order-number").get_text(strip=True),
        items=[
            OrderItem(
                name=row.select_one(".item-name").get_text(strip=True),
                quantity=int(row.select_one(".item-quantity").get_text(strip=True)),
                unit_price=parse_money(row.select_one(".item-price").get_text(strip=True)),
            )
            for row in page.select("tr.order-item")
        ],
        total=parse_money(page.select_one("#order-total").get_text(strip=True)),
    )
    events.append(JournalEvent(at=datetime.now(UTC), kind="order_shown", data=shown.model_dump(mode="json")))
    events.append(JournalEvent(at=datetime.now(UTC), kind="question_sent"))
    post("/contact", {"contact_name": "Anna Kowalska", "contact_email": address, "message": "When do you deliver?"})
    return Journal(run_id=f"run-{store}", events=events), address


def _record(store: str, journal: Journal, address: str, sink: Sink) -> RunRecord:
    with sink.lock:
        mine = [(at, raw) for at, rcpt, raw in sink.received if address in rcpt]
    messages = []
    for at, raw in mine:
        message = read_message(raw, arrived_at=at, mailbox="test-sink", envelope_to=[address])
        messages.append(MessageRecord(message=message, evidence=analyze(raw)))
    return RunRecord(
        run=Run(id=journal.run_id, store_id=store, scenario_id="demo", persona_id="anna", address=address),
        journal=journal,
        persona=persona(consent=False),
        store=Store(id=store, name=store, base_url="http://127.0.0.1", locale="en-PL", currency="PLN"),
        expectations=Expectations(kinds=[MessageKind.order_confirmation, MessageKind.support_reply], window_seconds=60),
        messages=messages,
        observed_until=journal.events[0].at + timedelta(seconds=60),
    )


def _findings(record: RunRecord) -> dict:
    return {f.criterion: f for f in score_run(load_rubric("default"), record)}


def test_the_demo_stores_score_as_the_demo_promises(scored: dict[str, RunRecord]) -> None:
    rubric = load_rubric("default")
    cards = {s: run_scorecard(rubric, s, score_run(rubric, r)) for s, r in scored.items()}
    assert cards["exemplary"].total >= 90, cards["exemplary"]
    assert cards["chatty"].categories["frequency"] < 50
    assert cards["bare"].categories["order_details"] < 50
    assert cards["bare"].categories["personalization"] < 50
    assert max(cards, key=lambda s: cards[s].total) == "exemplary"


def test_exemplary_confirmation_matches_the_order_page_on_every_detail(scored: dict[str, RunRecord]) -> None:
    findings = _findings(scored["exemplary"])
    for criterion in ("order-number", "items", "total", "delivery-estimate", "product-images", "order-status-link"):
        assert findings[criterion].status == FindingStatus.passed, findings[criterion]
    assert findings["greeting-first-name"].score == 1.0
    assert findings["reply-time"].status == FindingStatus.passed
    assert findings["schema-org-order"].status == FindingStatus.passed


def test_chatty_is_caught_sending_twice_and_marketing_without_consent(scored: dict[str, RunRecord]) -> None:
    findings = _findings(scored["chatty"])
    assert findings["one-confirmation"].value == "order_confirmation arrived 2 times"
    assert findings["marketing-consent"].value == "2 marketing emails although consent was refused"
    assert findings["emails-first-30-min"].score == 0.0
    assert findings["list-unsubscribe"].score == 1.0


def test_bare_says_almost_nothing_and_never_answers(scored: dict[str, RunRecord]) -> None:
    findings = _findings(scored["bare"])
    assert findings["order-number"].score == 1.0
    assert findings["items"].score == 0.0 and findings["greeting-first-name"].score == 0.0
    assert findings["reply-time"].status == FindingStatus.failed
    assert "no reply arrived within the window" in findings["reply-time"].value


def test_ci_strict_passes_exemplary_and_fails_chatty_and_bare(scored: dict[str, RunRecord]) -> None:
    strict = load_rubric("ci-strict")
    gates = {}
    for store, record in scored.items():
        findings = score_run(strict, record)
        gates[store] = evaluate_gate(strict, findings, run_scorecard(strict, store, findings))
    assert gates["exemplary"].passed, gates["exemplary"].failures
    assert not gates["chatty"].passed
    assert {"one-confirmation", "marketing-consent"} <= {f.criterion for f in gates["chatty"].failures}
    assert {"items", "total"} <= {f.criterion for f in gates["bare"].failures}  # "Order 1042 received", nothing else
