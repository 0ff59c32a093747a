"""Hand-built runs with the shapes of the three demo stores, for tests, benchmarks and docs.

They let the rubric be exercised (and its default weights sanity-checked) without
a browser, a mailbox or the analysis stage: each message's Evidence is written
out as analysis would report it for the demo store's real email.
"""

import hashlib
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from auditor.models import (
    Evidence,
    Expectations,
    Fact,
    ItemFact,
    Journal,
    JournalEvent,
    Message,
    MessageKind,
    MessageRecord,
    Money,
    OrderItem,
    Persona,
    PostalAddress,
    Run,
    RunRecord,
    ShownOrder,
    Store,
)
from auditor.models.persona import AddressStrategy

T0 = datetime(2026, 11, 23, 11, 0, 0, tzinfo=UTC)
PLN = "PLN"


def pln(amount: str) -> Money:
    return Money(amount=Decimal(amount), currency=PLN)


def persona(consent: bool = False, timezone: str = "Europe/Warsaw") -> Persona:
    return Persona(
        id="anna",
        first_name="Anna",
        last_name="Kowalska",
        timezone=timezone,
        marketing_consent=consent,
        address=PostalAddress(line1="ul. Prosta 1", city="Warszawa", postcode="00-001"),
        email=AddressStrategy(mailbox="shopper@example.test"),
    )


def shown_order(number: str) -> ShownOrder:
    return ShownOrder(
        number=number,
        items=[
            OrderItem(name="Wireless Headphones", quantity=1, unit_price=pln("129.00")),
            OrderItem(name="USB-C Charger", quantity=2, unit_price=pln("49.00")),
        ],
        total=pln("227.00"),
        delivery_estimate="Delivery in 2–3 business days",
    )


ORDER_AT = T0 + timedelta(seconds=5)
QUESTION_AT = T0 + timedelta(seconds=20)


def journal(run_id: str, number: str | None, *, order: bool = True, question: bool = True) -> Journal:
    """Run started at T0, order clicked at T0+5 s (page shown at +6 s), question sent at T0+20 s."""
    events = [JournalEvent(at=T0, kind="run_started")]
    if order:
        events += [
            JournalEvent(at=ORDER_AT, kind="order_submitted", step="place_order"),
            JournalEvent(
                at=ORDER_AT + timedelta(seconds=1),
                kind="order_shown",
                step="place_order",
                data=shown_order(number).model_dump(mode="json") if number else ShownOrder().model_dump(mode="json"),
            ),
        ]
    if question:
        events.append(JournalEvent(at=QUESTION_AT, kind="question_sent", step="ask_question"))
    return Journal(run_id=run_id, events=events)


def message(
    run_id: str, n: int, at_seconds: float, subject: str, evidence: dict, *, kind: MessageKind
) -> MessageRecord:
    """One message and its evidence; the hash is derived from run and position, stable across calls."""
    sha = hashlib.sha256(f"{run_id}-{n:02d}".encode()).hexdigest()
    arrived = T0 + timedelta(seconds=at_seconds)
    return MessageRecord(
        message=Message(
            sha256=sha,
            run_id=run_id,
            mailbox="smtp-sink",
            arrived_at=arrived,
            date_header=arrived,
            subject=subject,
            from_addr="shop@store.demo.test",
        ),
        evidence=Evidence(message_sha256=sha, kind=kind, kind_confidence=0.9, **evidence),
    )


def record(
    store_id: str,
    number: str | None,
    messages: list[MessageRecord],
    *,
    consent: bool = False,
    order: bool = True,
    question: bool = True,
    observed_seconds: float | None = 65,
    timezone: str = "Europe/Warsaw",
    locale: str = "en",
) -> RunRecord:
    """A run of the demo scenario; ``observed_seconds`` after T0 the mailbox stopped watching."""
    run_id = f"run-{store_id}"
    return RunRecord(
        run=Run(id=run_id, store_id=store_id, scenario_id="demo-order", persona_id="anna", address="a@x.test"),
        journal=journal(run_id, number, order=order, question=question),
        persona=persona(consent, timezone),
        store=Store(id=store_id, name=store_id.title(), base_url=f"http://127.0.0.1/{store_id}", locale=locale),
        expectations=Expectations(kinds=[MessageKind.order_confirmation, MessageKind.support_reply], window_seconds=60),
        messages=messages,
        observed_until=None if observed_seconds is None else T0 + timedelta(seconds=observed_seconds),
    )


def _items() -> list[ItemFact]:
    return [
        ItemFact(
            name="Wireless Headphones",
            quantity=1,
            unit_price=pln("129.00"),
            snippet="Wireless Headphones 1 × 129,00 zł",
        ),
        ItemFact(
            name="USB-C Charger",
            quantity=2,
            unit_price=pln("49.00"),
            line_total=pln("98.00"),
            snippet="USB-C Charger 2 × 49,00 zł",
        ),
    ]


def exemplary() -> RunRecord:
    run_id = "run-exemplary"
    confirmation = message(
        run_id,
        1,
        6.5,
        "Order EX-10001 confirmed – thank you, Anna!",
        {
            "language": "en",
            "greeting": Fact(value="Anna", snippet="Hi Anna,"),
            "order_number": Fact(value="EX-10001", snippet="Order EX-10001", source="subject"),
            "items": _items(),
            "prices": [Fact(value=pln("129.00")), Fact(value=pln("98.00")), Fact(value=pln("227.00"))],
            "total": Fact(value=pln("227.00"), snippet="Total 227,00 zł"),
            "delivery_estimate": Fact(value="2–3 business days", snippet="Estimated delivery: 2–3 business days"),
            "images": [
                Fact(
                    value={"src": "http://127.0.0.1/exemplary/static/headphones.png", "alt": "Wireless Headphones"},
                    source="html",
                ),
                Fact(
                    value={"src": "http://127.0.0.1/exemplary/static/charger.png", "alt": "USB-C Charger"},
                    source="html",
                ),
            ],
            "links": [
                Fact(
                    value={"url": "http://127.0.0.1/exemplary/order/EX-10001", "role": "order_status", "text": "Track"},
                    source="html",
                ),
                Fact(
                    value={"url": "mailto:support@exemplary.demo.test", "role": "support", "text": "Support"},
                    source="html",
                ),
            ],
            "schema_org": [
                Fact(value={"type": "Order", "orderNumber": "EX-10001"}, snippet='"@type": "Order"', source="jsonld")
            ],
            "has_text_part": True,
            "html_size": 9_000,
        },
        kind=MessageKind.order_confirmation,
    )
    reply = message(
        run_id,
        2,
        22.0,
        "Re: your question",
        {
            "language": "en",
            "greeting": Fact(value="Anna", snippet="Hi Anna,"),
            "has_text_part": True,
            "html_size": 3_000,
        },
        kind=MessageKind.support_reply,
    )
    return record("exemplary", "EX-10001", [confirmation, reply])


def chatty() -> RunRecord:
    run_id = "run-chatty"
    conf = {
        "language": "en",
        "greeting": Fact(value="Anna", snippet="Hello Anna"),
        "order_number": Fact(value="5001", snippet="Your order #5001", source="subject"),
        "items": [
            ItemFact(name="Wireless Headphones", unit_price=pln("129.00")),
            ItemFact(name="USB-C Charger", unit_price=pln("49.00")),
        ],
        "total": Fact(value=pln("227.00"), snippet="Total: 227,00 zł"),
        "has_text_part": True,
        "html_size": 12_000,
    }
    bulk = {
        "language": "en",
        "kind_reasons": ["List-Unsubscribe header", "Precedence: bulk"],
        "has_text_part": True,
        "html_size": 20_000,
    }
    messages = [
        message(run_id, 1, 5.5, "Your order #5001", conf, kind=MessageKind.order_confirmation),
        message(run_id, 2, 6.0, "Your order #5001", conf, kind=MessageKind.order_confirmation),
        message(
            run_id,
            3,
            7.0,
            "Payment received for order #5001",
            {"language": "en", "has_text_part": True},
            kind=MessageKind.payment,
        ),
        message(
            run_id,
            4,
            8.5,
            "Welcome! Your account was created",
            {"language": "en", "has_text_part": True},
            kind=MessageKind.account,
        ),
        message(run_id, 5, 10.5, "Black Week: -30% on headphones", bulk, kind=MessageKind.marketing),
        message(run_id, 6, 12.0, "You might also like…", bulk, kind=MessageKind.marketing),
        message(
            run_id,
            7,
            23.0,
            "Re: your question",
            {"language": "en", "greeting": Fact(value=None, snippet="Dear customer,"), "has_text_part": True},
            kind=MessageKind.support_reply,
        ),
    ]
    return record("chatty", "5001", messages)


def bare() -> RunRecord:
    run_id = "run-bare"
    confirmation = message(
        run_id,
        1,
        8.0,
        "Order 1042 received",
        {"language": "en", "order_number": Fact(value="1042", snippet="Order 1042 received."), "has_text_part": True},
        kind=MessageKind.order_confirmation,
    )
    return record("bare", "1042", [confirmation])
