"""``audit_order`` and the per-test address, in process: the journal a test writes is the shopper's."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from auditor.models import AddressStrategy, Money
from auditor.pytest_plugin.addresses import address_for_test, run_token
from auditor.pytest_plugin.order import AuditOrder


def _order() -> AuditOrder:
    return AuditOrder("main-0-0", "shopper+main-0-0@auditor.test", "test_store", datetime.now(UTC))


def test_shown_writes_the_journal_the_rubric_reads() -> None:
    order = _order()
    clicked = order.clicked()
    shown = order.shown(
        order_number=1042,
        items=[("Wireless headphones", 2, "1 299,00 zł"), ("USB-C charger", 1, Decimal("49.90"))],
        total="2 647,90 zł",
        currency="PLN",
        delivery_estimate="2-3 business days",
    )
    journal = order.journal
    assert [e.kind for e in journal.events] == ["run_started", "order_submitted", "order_shown"]
    assert journal.time_of("order_submitted") == clicked == order.clicked_at
    assert journal.order == shown
    assert shown.number == "1042"
    assert shown.items[0].unit_price == Money(amount=Decimal("1299.00"), currency="PLN")
    assert shown.items[1].unit_price == Money(amount=Decimal("49.90"), currency="PLN")
    assert shown.total == Money(amount=Decimal("2647.90"), currency="PLN")


def test_without_a_click_the_order_page_is_taken_as_the_click() -> None:
    order = _order()
    before = datetime.now(UTC)
    order.shown(order_number="A-1")
    event = order.journal.first("order_submitted")
    assert event is not None and event.data == {"timed_by": "shown"}
    assert before <= event.at <= datetime.now(UTC)
    with pytest.raises(RuntimeError, match="shown\\(\\) was already called"):
        order.shown(order_number="A-2")


def test_a_second_click_is_refused() -> None:
    order = _order()
    order.clicked(at=datetime.now(UTC) - timedelta(seconds=3))
    with pytest.raises(RuntimeError, match="already recorded"):
        order.clicked()


@pytest.mark.parametrize(
    ("items", "total", "message"),
    [
        ([("Pen", 1, "free")], None, "items\\[0\\] price 'free' is not a price"),
        ([("Pen", "two", "1.00")], None, "items\\[0\\] quantity 'two' is not a whole number"),
        (["Pen"], None, "items\\[0\\] must be \\(name, quantity, unit price\\)"),
        ([], "about ten", "total 'about ten' is not a price"),
        ([], True, "total True is not a price"),
    ],
)
def test_what_is_not_an_order_is_a_clear_error(items: list, total: object, message: str) -> None:
    with pytest.raises(ValueError, match=f"^audit_order: {message}"):
        _order().shown(items=items, total=total)


def test_customer_and_store_are_what_the_rubric_judges_against() -> None:
    order = _order()
    assert order.persona.marketing_consent is False
    persona = order.customer("Anna", "Nowak", marketing_consent=True, timezone="Europe/Warsaw", postcode="00-001")
    assert (persona.first_name, persona.last_name, persona.timezone) == ("Anna", "Nowak", "Europe/Warsaw")
    assert persona.marketing_consent and persona.address.postcode == "00-001"
    assert order.shop.id == "test_store"
    assert order.store("exemplary", "Exemplary Electronics").name == "Exemplary Electronics"


def test_addresses_carry_worker_test_and_chance() -> None:
    tokens = {run_token("gw3", "tests/test_checkout.py::test_buy[chromium]") for _ in range(50)}
    assert len(tokens) == 50
    assert all(re.fullmatch(r"gw3-[0-9a-f]{8}-[0-9a-f]{6}", t) for t in tokens)
    assert len({t.split("-")[1] for t in tokens}) == 1  # the same test hashes alike
    assert run_token("", "x").startswith("main-")
    plus = AddressStrategy(kind="plus", mailbox="Shop-Tests@Example.com")
    assert address_for_test(plus, "gw0-1-2") == "shop-tests+gw0-1-2@example.com"
    catch_all = AddressStrategy(kind="catch_all", mailbox="any@catch.example")
    assert address_for_test(catch_all, "gw0-1-2") == "gw0-1-2@catch.example"
