"""The default rubric on django-oscar's real confirmation email (captured in the analysis corpus).

Oscar's default template is a fair picture of a platform default: it carries the
order number, the items and the total and links the order status, but greets with
a bare "Hello,", gives no delivery estimate and no pictures. The rubric must say
exactly that, against a journal that shows the same order.
"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from auditor.analysis import analyze
from auditor.mail.headers import read_message
from auditor.models import (
    Expectations,
    FindingStatus,
    Journal,
    JournalEvent,
    MessageKind,
    MessageRecord,
    Money,
    OrderItem,
    Run,
    RunRecord,
    ShownOrder,
    Store,
)
from auditor.rubric import load_rubric, run_scorecard, score_run
from auditor.rubric.examples import persona

EML = Path(__file__).parent / "corpus" / "messages" / "oscar_confirmation_100001.eml"
ORDERED = datetime(2026, 11, 23, 10, 14, 58, tzinfo=UTC)


def _record(shown: ShownOrder) -> RunRecord:
    raw = EML.read_bytes()
    message = read_message(raw, arrived_at=ORDERED + timedelta(seconds=2), mailbox="corpus")
    journal = Journal(
        run_id="oscar-1",
        events=[
            JournalEvent(at=ORDERED, kind="order_submitted"),
            JournalEvent(at=ORDERED + timedelta(seconds=1), kind="order_shown", data=shown.model_dump(mode="json")),
        ],
    )
    return RunRecord(
        run=Run(id="oscar-1", store_id="oscar", scenario_id="guest", persona_id="anna", address="a@x.test"),
        journal=journal,
        persona=persona(consent=False),
        store=Store(id="oscar", name="Oscar", base_url="http://127.0.0.1:8123", locale="en", currency="EUR"),
        expectations=Expectations(kinds=[MessageKind.order_confirmation], window_seconds=120),
        messages=[MessageRecord(message=message, evidence=analyze(raw))],
        observed_until=ORDERED + timedelta(seconds=120),
    )


def _shown(number: str = "100001", price: str = "19.99") -> ShownOrder:
    eur = Money(amount=Decimal(price), currency="EUR")
    return ShownOrder(
        number=number, items=[OrderItem(name="The shellcoder's handbook", quantity=1, unit_price=eur)], total=eur
    )


def test_oscar_default_confirmation_is_complete_but_impersonal() -> None:
    findings = {f.criterion: f for f in score_run(load_rubric("default"), _record(_shown()))}
    for criterion in ("order-number", "items", "total", "order-status-link", "one-confirmation", "confirmation-time"):
        assert findings[criterion].status == FindingStatus.passed, findings[criterion]
    assert findings["greeting-first-name"].value == "order confirmation: generic greeting"
    assert findings["greeting-first-name"].evidence[0].snippet.startswith("Hello")
    for criterion in ("delivery-estimate", "product-images"):
        assert findings[criterion].score == 0.0, findings[criterion]
    assert findings["reply-time"].status == FindingStatus.not_applicable  # no question in this run


def test_a_confirmation_for_another_order_or_price_is_caught() -> None:
    findings = {f.criterion: f for f in score_run(load_rubric("default"), _record(_shown("100002", "21.99")))}
    assert findings["order-number"].value == "confirmation says order 100001, the store showed 100002"
    assert findings["items"].value.startswith("names 1/1, quantities 1/1, prices 0/1")
    assert findings["total"].value == "total 19.99 EUR in the email, 21.99 EUR on the page"


def test_oscar_lands_in_needs_work() -> None:
    rubric = load_rubric("default")
    record = _record(_shown())
    card = run_scorecard(rubric, "oscar-1", score_run(rubric, record))
    assert card.band is not None and card.band.value == "needs_work", card
