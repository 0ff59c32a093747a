"""``audit_order``: what the test's page did and showed, written down as the shopper's journal would be.

The rubric judges an email against the journal (the order number the thank-you page showed, its
items and total; response times run from the order click). A store team's test drives the page
itself, so it tells this helper: ``clicked()`` just before (or after) the click that places the
order, ``shown(...)`` with what the thank-you page shows, ``customer(...)`` with who it typed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from auditor.models import (
    AddressStrategy,
    Journal,
    JournalEvent,
    Money,
    OrderItem,
    Persona,
    PostalAddress,
    ShownOrder,
    Store,
)
from auditor.models.money_text import parse_money

Price = Money | Decimal | int | float | str | None
ItemRow = OrderItem | Sequence[object]


def to_money(value: Price, currency: str | None, what: str) -> Money | None:
    """``"199.00 PLN"``, ``"1 299,00 zł"``, ``Decimal("19.99")`` or ``Money``; a bare amount takes ``currency``."""
    if value is None or isinstance(value, Money):
        return value
    if isinstance(value, str):
        money = parse_money(value)
        if money is None:
            raise ValueError(f"audit_order: {what} {value!r} is not a price (write e.g. '199.00 PLN' or 199.00)")
        return money if money.currency or not currency else Money(amount=money.amount, currency=currency)
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError(f"audit_order: {what} {value!r} is not a price")
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"audit_order: {what} {value!r} is not a price") from None
    return Money(amount=amount, currency=currency)


def _item(row: ItemRow, currency: str | None, index: int) -> OrderItem:
    if isinstance(row, OrderItem):
        return row
    if isinstance(row, str) or not isinstance(row, Sequence) or not 1 <= len(row) <= 3:
        raise ValueError(f"audit_order: items[{index}] must be (name, quantity, unit price), got {row!r}")
    name, quantity, price = (*row, None, None)[:3]
    if quantity is not None and (isinstance(quantity, bool) or not isinstance(quantity, int)):
        raise ValueError(f"audit_order: items[{index}] quantity {quantity!r} is not a whole number")
    return OrderItem(name=str(name), quantity=quantity, unit_price=to_money(price, currency, f"items[{index}] price"))


class AuditOrder:
    """The journal of one test: ``order_submitted`` at the click, ``order_shown`` with a ``ShownOrder``."""

    def __init__(self, run_id: str, address: str, store_id: str, started_at: datetime):
        self.run_id = run_id
        self.address = address
        self.events: list[JournalEvent] = [JournalEvent(at=started_at, kind="run_started")]
        self._persona = Persona(
            id="pytest",
            first_name="Test",
            last_name="Customer",
            address=PostalAddress(line1="", city="", postcode=""),
            email=AddressStrategy(kind="fixed", mailbox=address),
        )
        self._store = Store(id=store_id, name=store_id, base_url="")

    def __repr__(self) -> str:
        clicked = f"clicked {self.clicked_at:%H:%M:%S}" if self.clicked_at else "not clicked"
        order = self.order
        shown = f"order {order.number or '(no number)'} shown" if order else "nothing shown"
        return f"<AuditOrder {self.shop.id}: {clicked}, {shown}>"

    # -- what the test tells ----------------------------------------------------------------------
    def clicked(self, at: datetime | None = None) -> datetime:
        """The click that placed the order happened now (or ``at``); response times run from here."""
        if self.clicked_at is not None:
            raise RuntimeError(f"audit_order: the order click was already recorded at {self.clicked_at:%H:%M:%S.%f}")
        moment = at or datetime.now(UTC)
        self.events.append(JournalEvent(at=moment, kind="order_submitted", step="place_order"))
        return moment

    def shown(
        self,
        order_number: str | None = None,
        items: Iterable[ItemRow] = (),
        total: Price = None,
        *,
        currency: str | None = None,
        delivery_estimate: str | None = None,
    ) -> ShownOrder:
        """What the thank-you page showed (``None``: it did not show it). Without an earlier ``clicked()``,
        the click is taken to be now: call ``clicked()`` at the click for exact response times."""
        if self.clicked_at is None:
            self.events.append(
                JournalEvent(
                    at=datetime.now(UTC), kind="order_submitted", step="place_order", data={"timed_by": "shown"}
                )
            )
        if self.order is not None:
            raise RuntimeError("audit_order: shown() was already called for this test's order")
        order = ShownOrder(
            number=str(order_number) if order_number is not None else None,
            items=[_item(row, currency, i) for i, row in enumerate(items)],
            total=to_money(total, currency, "total"),
            currency=currency,
            delivery_estimate=delivery_estimate,
        )
        self.events.append(
            JournalEvent(at=datetime.now(UTC), kind="order_shown", step="extract", data=order.model_dump(mode="json"))
        )
        return order

    def customer(
        self,
        first_name: str,
        last_name: str = "",
        *,
        marketing_consent: bool = False,
        language: str = "en",
        timezone: str = "UTC",
        line1: str = "",
        city: str = "",
        postcode: str = "",
        country: str = "PL",
    ) -> Persona:
        """Who the test typed in at checkout: the greeting, consent and address checks judge against it."""
        self._persona = self._persona.model_copy(
            update={
                "first_name": first_name,
                "last_name": last_name,
                "marketing_consent": marketing_consent,
                "language": language,
                "timezone": timezone,
                "address": PostalAddress(line1=line1, city=city, postcode=postcode, country=country),
            }
        )
        return self._persona

    def store(self, store_id: str, name: str | None = None, url: str = "") -> Store:
        """Which store this test shops in: runs are grouped by it in the ``--auditor-report``."""
        self._store = Store(id=store_id, name=name or store_id, base_url=url)
        return self._store

    # -- what the rubric reads --------------------------------------------------------------------
    @property
    def clicked_at(self) -> datetime | None:
        return self.journal.time_of("order_submitted")

    @property
    def order(self) -> ShownOrder | None:
        return self.journal.order

    @property
    def journal(self) -> Journal:
        return Journal(run_id=self.run_id, events=list(self.events))

    @property
    def persona(self) -> Persona:
        return self._persona

    @property
    def shop(self) -> Store:
        return self._store
