"""Read what a page shows (order number, items, total, currency, delivery estimate) into a ShownOrder.

Anything the profile does not locate, or the page does not show, stays None:
never guessed, never a crash. Prices are parsed locale-aware by
``auditor.models.money_text``.
"""

import re
from collections.abc import Callable

from playwright.async_api import Locator, Page

from auditor.models import Money, OrderItem, ShownOrder, Store
from auditor.models.money_text import currency_code, parse_money
from auditor.models.steps import ExtractArgs, FieldSpec
from auditor.shopper.locate import locate

_SPACE = re.compile(r"\s+")
_INT = re.compile(r"\d+")
# the first match's attribute (when named) or textContent, as Locator.get_attribute / text_content read them
_FIRST_TEXT = (
    "(els, attribute) => els.length ? (attribute ? els[0].getAttribute(attribute) : els[0].textContent) : null"
)


async def read_field(root: Page | Locator, spec: FieldSpec, render: Callable[[str], str] = str) -> str | None:
    """The text (or attribute) of the first match, narrowed by ``pattern``; None if absent or empty.
    One round trip to the browser, absent or not: a page read field by field adds up (a cart of rows)."""
    loc = locate(root, spec.locator, render)
    raw = await loc.evaluate_all(_FIRST_TEXT, spec.attribute)
    text = _SPACE.sub(" ", raw or "").strip()
    if spec.pattern:
        match = re.search(spec.pattern, text)
        if not match:
            return None
        text = (match.group(1) if match.groups() else match.group(0)).strip()
    return text or None


def _with_currency(money: Money | None, currency: str | None) -> Money | None:
    if money is None or money.currency or not currency:
        return money
    return money.model_copy(update={"currency": currency})


async def extract_order(
    page: Page, args: ExtractArgs, store: Store, render: Callable[[str], str] = str
) -> tuple[ShownOrder, list[str]]:
    """The ShownOrder the page shows, and notes on what could not be read (for the journal)."""
    notes: list[str] = []

    async def field(spec: FieldSpec | None, name: str) -> str | None:
        if spec is None:
            return None
        value = await read_field(page, spec, render)
        if value is None:
            notes.append(f"{name}: not shown")
        return value

    number = await field(args.order_number, "order_number")
    total_text = await field(args.total, "total")
    currency_text = await field(args.currency, "currency")
    estimate = await field(args.delivery_estimate, "delivery_estimate")

    total = parse_money(total_text, store.locale) if total_text else None
    if total_text and total is None:
        notes.append(f"total: could not read an amount in {total_text!r}")
    currency = (currency_code(currency_text) if currency_text else None) or (total.currency if total else None)
    currency = currency or store.currency

    items: list[OrderItem] = []
    if args.items is not None:
        rows = locate(page, args.items.row, render)
        for i in range(await rows.count()):
            row = rows.nth(i)
            name = await read_field(row, args.items.name, render)
            if name is None:
                notes.append(f"items[{i}]: no name")
                continue
            qty_text = await read_field(row, args.items.quantity, render) if args.items.quantity else None
            qty_match = _INT.search(qty_text or "")
            quantity = int(qty_match.group(0)) if qty_match else None
            price_text = await read_field(row, args.items.unit_price, render) if args.items.unit_price else None
            price = parse_money(price_text, store.locale) if price_text else None
            line_text = await read_field(row, args.items.line_total, render) if args.items.line_total else None
            line_total = parse_money(line_text, store.locale) if line_text else None
            if price is None and line_total is not None and quantity:
                price = line_total.model_copy(
                    update={"amount": (line_total.amount / quantity).quantize(line_total.amount)}
                )
                notes.append(f"items[{i}]: unit price derived from the line total / quantity {quantity}")
            items.append(
                OrderItem(
                    name=name,
                    quantity=quantity,
                    unit_price=_with_currency(price, currency),
                    line_total=_with_currency(line_total, currency),
                )
            )
        if not items:
            notes.append("items: no rows shown")
    order = ShownOrder(
        number=number,
        items=items,
        total=_with_currency(total, currency),
        currency=currency,
        delivery_estimate=estimate,
    )
    return order, notes
