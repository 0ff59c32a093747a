"""Verification against what the shopper knows: the journal's order number, items, total and the persona's
name are looked for in a real message's own text, so order details and greetings are right where blind
extraction fails, and each finding says which way it found the value."""

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from auditor.analysis import analyze
from auditor.campaign.scoring import readable_text
from auditor.mail.mime import parse_mime
from auditor.models import (
    Evidence,
    FindingStatus,
    FoundBy,
    Message,
    MessageKind,
    MessageRecord,
    Money,
    OrderItem,
    RunRecord,
    RunStatus,
    ShownOrder,
)
from auditor.rubric import Criterion, evaluate, examples
from auditor.rubric.examples import ORDER_AT
from auditor.rubric.matching import find_greeting, find_item_name, find_money, find_order_number

CORPUS = Path(__file__).parent / "corpus"
ZENCART_DE = CORPUS / "platforms" / "messages" / "zencart" / "de_order_confirmation_checkout_1.eml"
LABELS = yaml.safe_load(ZENCART_DE.with_suffix(".expected.yaml").read_text(encoding="utf-8"))


def eur(amount: str) -> Money:
    return Money(amount=Decimal(amount), currency="EUR")


def journal_order() -> ShownOrder:
    """What the store's page showed, from the corpus labels (written from the rendered order, not from analysis)."""
    items = [
        OrderItem(
            name=it["name"],
            quantity=it["quantity"],
            unit_price=eur(str(it["unit_price"] or Decimal(str(it["line_total"])) / it["quantity"])),
        )
        for it in LABELS["items"]
    ]
    return ShownOrder(number=str(LABELS["order_number"]), items=items, total=eur(str(LABELS["total"])))


def _record(raw: bytes, evidence: Evidence, *, text: str | None = None, subject: str | None = None) -> RunRecord:
    """A Zen Cart order as the journal knows it, and its real email."""
    sha = "f" * 64
    mail = parse_mime(raw)
    message = Message(
        sha256=sha, mailbox="smtp-sink", arrived_at=ORDER_AT, subject=mail.subject if subject is None else subject
    )
    record = MessageRecord(
        message=message,
        evidence=evidence.model_copy(update={"message_sha256": sha, "kind": MessageKind.order_confirmation}),
        text=readable_text(raw) if text is None else text,
    )
    base = examples.record("zencart", "17", [record])
    shown = journal_order()
    events = [
        e if e.kind != "order_shown" else e.model_copy(update={"data": shown.model_dump(mode="json")})
        for e in base.journal.events
    ]
    first, last = LABELS["greeting"]["name"].split()
    persona = base.persona.model_copy(update={"first_name": first, "last_name": last})
    return base.model_copy(
        update={
            "journal": base.journal.model_copy(update={"events": events}),
            "persona": persona,
            "run": base.run.model_copy(update={"status": RunStatus.done}),
        }
    )


def _finding(check: str, record: RunRecord):
    return evaluate(Criterion(id=check, check=check), record)


CHECKS = ("order_number", "total_matches", "items_match", "greeting_name")


@pytest.fixture(scope="module")
def raw() -> bytes:
    return ZENCART_DE.read_bytes()


def test_where_blind_extraction_read_nothing_the_journal_values_are_found_in_the_email(raw: bytes) -> None:
    """Evidence as an analyser that read none of the facts would give it: every finding still passes,
    and says the value was matched to the journal, quoting the email's own line."""
    blind = Evidence(message_sha256="x", has_text_part=True)
    record = _record(raw, blind)
    found = {check: _finding(check, record) for check in CHECKS}
    for check, finding in found.items():
        assert finding.status == FindingStatus.passed and finding.score == 1.0, (check, finding.value)
        assert finding.found_by == [FoundBy.matched], check
        assert all(ref.found_by == FoundBy.matched for ref in finding.evidence if ref.found_by), check
    order = journal_order()
    assert "subject" in found["order_number"].value  # Zen Cart puts it there: "Bestellbestätigung Bestellnummer 17"
    assert str(order.number) in found["order_number"].evidence[0].snippet
    total = f"{order.total.amount:.2f}".replace(".", ",")  # German format, as the email shows it
    assert total in found["total_matches"].evidence[0].snippet
    assert found["greeting_name"].evidence[0].snippet.startswith("Sehr geehrte")
    assert "matched to the journal" in found["items_match"].value


def test_without_the_message_text_the_same_blind_evidence_fails(raw: bytes) -> None:
    """Control: it is the text match that passes them, not a lenient default."""
    record = _record(raw, Evidence(message_sha256="x"), text="", subject="Bestellbestätigung")
    for check in CHECKS:
        assert _finding(check, record).score == 0.0, check


def test_with_real_analysis_every_fact_is_right_whichever_way_it_was_found(raw: bytes) -> None:
    record = _record(raw, analyze(raw))
    for check in CHECKS:
        finding = _finding(check, record)
        assert finding.score == 1.0, (check, finding.value)
        assert finding.found_by, check  # read, matched, or both: always said


def test_a_wrong_known_value_is_not_found() -> None:
    """The matcher is strict about the value: the next order number, a cent more, another currency."""
    text = readable_text(ZENCART_DE.read_bytes())
    order = journal_order()
    assert order.number and order.total
    assert find_order_number(text, order.number) and find_order_number(text, str(int(order.number) + 1)) is None
    assert find_money(text, order.total) and find_money(text, eur(str(order.total.amount + Decimal("0.01")))) is None
    assert find_money(text, Money(amount=order.total.amount, currency="PLN")) is None
    assert find_item_name(text, "Kabellose Maus") is None


@pytest.mark.parametrize(
    ("text", "money"),
    [
        ("Razem: 1 234,50 zł", Money(amount=Decimal("1234.50"), currency="PLN")),
        ("Gesamt 1.234,50 €", eur("1234.50")),
        ("Total $1,234.50", Money(amount=Decimal("1234.50"), currency="USD")),
        ("Итого\u00a01\u00a0234,50\u00a0₽", Money(amount=Decimal("1234.50"), currency="RUB")),
        ("2 | 129,00 zł", Money(amount=Decimal("129"), currency="PLN")),
    ],
)
def test_prices_are_found_in_any_local_format(text: str, money: Money) -> None:
    assert find_money(text, money) is not None


def test_a_bare_number_is_not_a_price_and_a_short_order_number_needs_its_label() -> None:
    assert find_money("Qty 129", Money(amount=Decimal("129"), currency="PLN")) is None
    assert find_order_number("Order ID: 7", "7") == "Order ID: 7"
    assert find_order_number("Delivered in 7 days", "7") is None
    assert find_order_number("Ihre Bestellung Nr. 100000121", "100000121") is not None
    assert find_order_number("Заказ 12345678-0001 оформлен", "12345678-0001") is not None
    assert find_order_number("Total 1,042.00", "1042") is None


@pytest.mark.parametrize(
    ("line", "name"),
    [("Cześć Anno,", "Anna"), ("Drogi Piotrze!", "Piotr"), ("Здравствуйте, Олено!", "Олена"), ("Lena,", "Lena")],
)
def test_a_greeting_names_the_persona_in_any_grammatical_case(line: str, name: str) -> None:
    assert find_greeting(f"{line}\nDziękujemy za zamówienie.", name) == line


def test_the_persona_further_down_is_not_a_greeting() -> None:
    text = "Order 1042\nThank you for your order.\nItems\nA | 1\nB | 2\nC | 3\nShip to: Anna Kowalska"
    assert find_greeting(text, "Anna") is None


def test_a_truncated_item_name_counts_an_unrelated_one_does_not() -> None:
    assert find_item_name("Wireless Headph… | 1 | 129,00 zł", "Wireless Headphones") is not None
    assert find_item_name("USB-C Charger 65W | 1", "USB-C Charger 30W") is None
    assert find_item_name("SŁUCHAWKI  bezprzewodowe | 1", "Słuchawki Bezprzewodowe") is not None


def test_an_invoice_is_not_the_order_confirmation() -> None:
    """An invoice carrying the order number is not counted as the confirmation the order details need."""
    invoice = examples.message("r", 1, 7, "Invoice for order 1042", {}, kind=MessageKind.invoice)
    record = examples.record("s", "1042", [invoice])
    finding = _finding("order_number", record)
    assert finding.score == 0.0 and finding.value.startswith("no order confirmation arrived; arrived: invoice")


def test_the_order_number_in_the_body_alone_is_found(raw: bytes) -> None:
    finding = _finding("order_number", _record(raw, Evidence(message_sha256="x"), subject="Bestellbestätigung"))
    assert finding.score == 1.0 and finding.evidence[0].snippet.endswith(f": {LABELS['order_number']}")
