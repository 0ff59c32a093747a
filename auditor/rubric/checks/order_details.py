"""Order details: the confirmation, checked against what the store's page showed.

Presence is not enough: a confirmation must carry *this* order's number, items,
quantities and prices (the journal's ``order_shown``). dentsu Polska found
confirmations without product names, prices, delivery time or pictures.

Each value is first taken from what analysis read blindly; where that missed, the
value the journal knows is looked for in the message's own text, and the finding
says which way it was found (``FoundBy``). The runner finds the confirmation
(``needs=(Need.confirmation,)``), so no check here handles its absence.
"""

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from auditor.models import Fact, FoundBy, ItemFact, MessageKind, MessageRecord, Money, OrderItem
from auditor.rubric.context import CheckContext, plural
from auditor.rubric.matching import (
    as_money,
    find_item_name,
    find_money,
    find_order_number,
    find_quantity,
    fold,
    item_names_match,
    money_equal,
    order_numbers_match,
)
from auditor.rubric.registry import Need, check
from auditor.rubric.result import CheckResult, clip, fact_ref, matched_ref, message_ref

CATEGORY = "order_details"
CONFIRMATION = (MessageKind.order_confirmation,)
NEEDS = (Need.confirmation,)


def _confirmation(ctx: CheckContext) -> MessageRecord:
    """The confirmation the runner found (``needs=(Need.confirmation,)`` guarantees one)."""
    found = ctx.confirmation
    assert found is not None, "order-details checks declare needs=(Need.confirmation,)"
    return found


@check(
    "order_number",
    title="Confirmation carries the order number the store showed",
    failure_title="Confirmation lacks the order number, or shows another",
    category=CATEGORY,
    applies_to=CONFIRMATION,
    needs=NEEDS,
    rationale="The order number is how a customer and support find the order; it must match the page.",
)
def order_number(ctx: CheckContext) -> CheckResult:
    found = _confirmation(ctx)
    shown = ctx.order.number if ctx.order else None
    fact = found.evidence.order_number
    if not shown:  # unknown on the page: the email is the only witness, and it must still carry one
        if fact is not None:
            return CheckResult(
                score=1.0,
                value=f"order {fact.value} in the confirmation (the store's page showed none to compare with)",
                evidence=[fact_ref(found, fact)],
            )
        return CheckResult(
            score=0.0,
            value="no order number in the confirmation, nor on the store's page",
            evidence=[message_ref(found, note="no order number found")],
        )
    if fact is not None and order_numbers_match(fact.value, shown):
        return CheckResult(score=1.0, value=f"order {shown} in the confirmation", evidence=[fact_ref(found, fact)])
    line = find_order_number(found.message.subject, shown)
    where = "the confirmation's subject" if line else "the confirmation"
    line = line or find_order_number(found.text, shown)
    if line is not None:  # analysis missed it, or read another number as the order's: the email still carries it
        misread = f"; analysis read {fact.value} as the order number" if fact is not None else ""
        return CheckResult(
            score=1.0,
            value=f"order {shown} in {where} ({FoundBy.matched.value}){misread}",
            evidence=[matched_ref(found, line, f"order {shown}")],
        )
    if fact is not None:
        return CheckResult(
            score=0.0,
            value=f"confirmation says order {fact.value}, the store showed {shown}",
            evidence=[fact_ref(found, fact, "different number")],
        )
    return CheckResult(
        score=0.0,
        value=f"no order number in the confirmation (the store showed {shown})",
        evidence=[message_ref(found, note="no order number found")],
    )


Part = Literal["name", "quantity", "price"]


class ItemsParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    compare: list[Part] = Field(default_factory=lambda: ["name", "quantity", "price"], min_length=1)


def _match_item(shown: OrderItem, facts: list[ItemFact]) -> ItemFact | None:
    return next((f for f in facts if item_names_match(f.name, shown.name)), None)


def _price_matches(shown: OrderItem, fact: ItemFact | None, loose: list[Money]) -> bool:
    """Unit price, or line total = unit x quantity; amounts seen loose in the email count too."""
    seen = [p for p in ((fact.unit_price, fact.line_total) if fact else ()) if p is not None] or loose
    return any(money_equal(s, w) for s in seen for w in _prices_of(shown))


@check(
    "items_match",
    title="Every item with its name, quantity and price",
    failure_title="Items, quantities or prices missing or different",
    category=CATEGORY,
    applies_to=CONFIRMATION,
    needs=NEEDS,
    params=ItemsParams,
    rationale="Not all confirmations carry product names and prices (dentsu Polska).",
)
def items_match(ctx: CheckContext) -> CheckResult:
    """Share of (item x compared part) that match the page; a price may be a unit price or line total."""
    found = _confirmation(ctx)
    shown_items = ctx.order.items if ctx.order else []
    if not shown_items:  # unknown on the page: judge what the email lists on its own
        listed = found.evidence.items
        priced = [f for f in listed if f.unit_price is not None or f.line_total is not None]
        note = "(the store's page showed none to compare with)"
        if not listed:
            return CheckResult(score=0.0, value=f"no items in the confirmation {note}", evidence=[message_ref(found)])
        return CheckResult(
            score=0.5 + 0.5 * len(priced) / len(listed),
            value=f"{plural(len(listed), 'item')} listed, {len(priced)} with a price {note}",
            evidence=[message_ref(found, f.snippet or f.name, f"item {f.name}") for f in listed],
        )
    parts = ctx.p(ItemsParams).compare
    loose = [m for m in (as_money(p.value) for p in found.evidence.prices) if m is not None]
    hits = {part: 0 for part in parts}
    totals = {part: 0 for part in parts}
    matched = {part: 0 for part in parts}
    missing: list[str] = []
    refs = []
    for shown in shown_items:
        fact = _match_item(shown, found.evidence.items)
        line = find_item_name(found.text, shown.name)
        if fact is not None:
            refs.append(message_ref(found, fact.snippet or fact.name, f"item {shown.name}", FoundBy.read))
        elif line is not None:
            refs.append(matched_ref(found, line, f"item {shown.name}"))
        for part in parts:
            if part == "quantity" and shown.quantity is None:
                continue
            totals[part] += 1
            read, known = _item_part(part, shown, fact, loose, line, found.text)
            hits[part] += read or known
            matched[part] += known and not read
            if not (read or known):
                detail = f" {shown.unit_price}" if part == "price" and shown.unit_price else ""
                detail = f" x{shown.quantity}" if part == "quantity" else detail
                missing.append(f"{shown.name} {part}{detail}")
    counted = [p for p in parts if totals[p]]
    score = sum(hits[p] for p in counted) / sum(totals[p] for p in counted)
    label = {"name": "names", "quantity": "quantities", "price": "prices"}
    value = ", ".join(f"{label[p]} {hits[p]}/{totals[p]}" for p in counted)
    if any(matched.values()):
        value += f" ({FoundBy.matched.value}: " + ", ".join(f"{label[p]} {matched[p]}" for p in counted if matched[p])
        value += ")"
    if missing:
        value += f"; missing or different: {clip('; '.join(missing), 160)}"
    if not refs:
        refs.append(message_ref(found, note="no item found"))
    return CheckResult(score=score, value=value, evidence=refs)


def _item_part(
    part: Part, shown: OrderItem, fact: ItemFact | None, loose: list[Money], line: str | None, text: str
) -> tuple[bool, bool]:
    """(read, matched) for one part of one item: what analysis read agrees with the page, or the
    page's value is in the email's text (the name on a line, the quantity on that line, the price anywhere)."""
    if part == "name":
        return fact is not None, line is not None
    if part == "quantity":
        quantity = shown.quantity or 0
        return fact is not None and fact.quantity == quantity, line is not None and find_quantity(line, quantity)
    if shown.unit_price is None:
        return True, False
    return _price_matches(shown, fact, loose), any(find_money(text, money) for money in _prices_of(shown))


def _prices_of(shown: OrderItem) -> list[Money]:
    """The amounts an item's price may be shown as: its unit price, or the line total for its quantity."""
    if shown.unit_price is None:
        return []
    wanted = [shown.unit_price]
    if shown.quantity and shown.quantity > 1:
        wanted.append(
            Money(amount=shown.unit_price.amount * Decimal(shown.quantity), currency=shown.unit_price.currency)
        )
    return wanted


@check(
    "total_matches",
    title="Order total matches the page",
    failure_title="Order total missing or different",
    category=CATEGORY,
    applies_to=CONFIRMATION,
    needs=NEEDS,
    rationale="A receipt without the amount paid is not a receipt (dentsu Polska: prices missing).",
)
def total_matches(ctx: CheckContext) -> CheckResult:
    found = _confirmation(ctx)
    shown = ctx.order.total if ctx.order else None
    fact = found.evidence.total
    if shown is None:  # unknown on the page: the email must still say what the order costs
        if fact is not None:
            return CheckResult(
                score=1.0,
                value=f"total {fact.value} in the confirmation (the store's page showed none to compare with)",
                evidence=[fact_ref(found, fact)],
            )
        return CheckResult(
            score=0.0, value="no total in the confirmation, nor on the store's page", evidence=[message_ref(found)]
        )
    seen = as_money(fact.value) if fact else None
    if money_equal(seen, shown):
        return CheckResult(score=1.0, value=f"total {shown} as on the page", evidence=[fact_ref(found, fact)])
    line = find_money(found.text, shown)
    if line is not None:  # analysis missed the total or read another amount as it; the email shows this one
        misread = f"; analysis read {seen} as the total" if seen is not None else ""
        return CheckResult(
            score=1.0,
            value=f"total {shown} in the confirmation ({FoundBy.matched.value}){misread}",
            evidence=[matched_ref(found, line, f"total {shown}")],
        )
    if seen is not None:
        return CheckResult(
            score=0.0, value=f"total {seen} in the email, {shown} on the page", evidence=[fact_ref(found, fact)]
        )
    for price in found.evidence.prices:
        if money_equal(as_money(price.value), shown):
            return CheckResult(
                score=1.0, value=f"amount {shown} appears (not labelled total)", evidence=[fact_ref(found, price)]
            )
    return CheckResult(score=0.0, value=f"no total in the confirmation (page: {shown})", evidence=[message_ref(found)])


@check(
    "delivery_estimate",
    title="Gives a delivery estimate",
    failure_title="No delivery estimate",
    category=CATEGORY,
    applies_to=CONFIRMATION,
    needs=NEEDS,
    rationale="Confirmations often lack the delivery time (dentsu Polska); the first question after paying is 'when'.",
)
def delivery_estimate(ctx: CheckContext) -> CheckResult:
    found = _confirmation(ctx)
    fact = found.evidence.delivery_estimate
    if fact is not None:
        words = clip(str(fact.snippet or fact.value), 80)
        return CheckResult(score=1.0, value=f"estimate: {words}", evidence=[fact_ref(found, fact)])
    page = ctx.order.delivery_estimate if ctx.order else None
    extra = f" (the page said {page!r})" if page else ""
    return CheckResult(score=0.0, value=f"no delivery estimate{extra}", evidence=[message_ref(found)])


@check(
    "product_images",
    title="Shows product pictures",
    failure_title="No product pictures",
    category=CATEGORY,
    applies_to=CONFIRMATION,
    needs=NEEDS,
    rationale="Shops that embed product pictures are a minority (dentsu Polska).",
)
def product_images(ctx: CheckContext) -> CheckResult:
    """Share of the page's items shown with a picture, when analysis ties images to items;
    otherwise any image counts (a logo alone may then pass: analysis decides what is a product)."""
    found = _confirmation(ctx)
    images = found.evidence.images
    if not images:
        return CheckResult(score=0.0, value="no images", evidence=[message_ref(found)])
    values = [i.value for i in images if isinstance(i.value, dict)]
    shown = ctx.order.items if ctx.order else []
    if not values or not shown or not all("item" in v for v in values):
        return CheckResult(
            score=1.0, value=plural(len(images), "image"), evidence=[fact_ref(found, f) for f in images[:3]]
        )
    pictured = [i for i in images if isinstance(i.value, dict) and i.value.get("item")]
    covered = [o for o in shown if any(item_names_match(str(i.value["item"]), o.name) for i in pictured)]
    others = len(images) - len(pictured)
    value = f"{len(covered)} of {len(shown)} items pictured"
    if others:
        value += f" ({plural(others, 'other image')})"
    refs = [fact_ref(found, f) for f in pictured[:3]] or [message_ref(found, note="no product picture")]
    return CheckResult(score=len(covered) / len(shown), value=value, evidence=refs)


def _links_with(record: MessageRecord, roles: tuple[str, ...], schemes: tuple[str, ...] = ()) -> list:
    out = []
    for link in record.evidence.links:
        value = link.value if isinstance(link.value, dict) else {"url": str(link.value)}
        role = str(value.get("role") or "")
        url = str(value.get("url") or "")
        if role in roles or (schemes and url.lower().startswith(schemes)):
            out.append(link)
    return out


def _link_or_fact(
    found: MessageRecord,
    roles: tuple[str, ...],
    fact: Fact | None,
    label: str,
    *,
    schemes: tuple[str, ...] = (),
) -> CheckResult:
    """Present as a link with one of ``roles`` (or ``schemes``), or as the analysis fact ``fact``."""
    links = _links_with(found, roles, schemes)
    if links:
        return CheckResult(score=1.0, value=f"{label} present", evidence=[fact_ref(found, links[0])])
    if fact is not None and fact.value:
        return CheckResult(score=1.0, value=f"{label} present", evidence=[fact_ref(found, fact)])
    return CheckResult(score=0.0, value=f"no {label}", evidence=[message_ref(found)])


@check(
    "order_status_link",
    title="Links to the order's status page",
    failure_title="No link to the order's status",
    category=CATEGORY,
    applies_to=CONFIRMATION,
    needs=NEEDS,
    rationale="A status link saves a 'where is my order' contact; big platforms include it by default.",
)
def order_status_link(ctx: CheckContext) -> CheckResult:
    found = _confirmation(ctx)
    links = _links_with(found, ("order_status", "tracking"))
    if links:
        return CheckResult(score=1.0, value="order-status link present", evidence=[fact_ref(found, links[0])])
    return CheckResult(score=0.0, value="no order-status link", evidence=[message_ref(found)])


@check(
    "support_contact",
    title="Says how to reach support",
    failure_title="No support contact",
    category=CATEGORY,
    applies_to=CONFIRMATION,
    needs=NEEDS,
    rationale="Support after purchase is weaker than before it (dentsu Polska); a contact in the receipt helps.",
)
def support_contact(ctx: CheckContext) -> CheckResult:
    found = _confirmation(ctx)
    return _link_or_fact(found, ("support", "contact"), None, "support contact", schemes=("mailto:", "tel:"))


@check(
    "returns_info",
    title="Explains returns",
    failure_title="No returns information",
    category=CATEGORY,
    applies_to=CONFIRMATION,
    needs=NEEDS,
    rationale="EU consumers have 14 days to withdraw; the confirmation is where they look for how.",
)
def returns_info(ctx: CheckContext) -> CheckResult:
    found = _confirmation(ctx)
    return _link_or_fact(found, ("returns",), found.evidence.returns, "returns information")


@check(
    "shipping_address",
    title="Repeats the shipping address",
    failure_title="No shipping address, or another one",
    category=CATEGORY,
    applies_to=CONFIRMATION,
    needs=NEEDS,
    rationale="A wrong address is cheapest to fix before shipping; the customer can only spot it if it is shown.",
)
def shipping_address(ctx: CheckContext) -> CheckResult:
    found = _confirmation(ctx)
    address = ctx.record.persona.address
    wanted = [w for w in (address.line1, address.postcode) if fold(w)]
    fact = found.evidence.shipping_address
    if fact is not None and fact.value:
        text = fold(f"{fact.value} {fact.snippet}")
        hits = [w for w in wanted if fold(w) in text]
        return CheckResult(
            score=len(hits) / len(wanted) if wanted else 1.0,
            value=f"shipping address shown, {len(hits)} of {len(wanted)} parts ({', '.join(wanted)}) match",
            evidence=[fact_ref(found, fact)],
        )
    lines = {w: next((ln for ln in found.text.splitlines() if fold(w) in fold(ln)), None) for w in wanted}
    seen = {w: ln for w, ln in lines.items() if ln}
    if wanted and seen:  # analysis found no labelled address block; the persona's own address is in the text
        return CheckResult(
            score=len(seen) / len(wanted),
            value=f"shipping address shown, {len(seen)} of {len(wanted)} parts ({', '.join(wanted)}) "
            f"{FoundBy.matched.value}",
            evidence=[matched_ref(found, ln, f"address: {w}") for w, ln in seen.items()],
        )
    return CheckResult(score=0.0, value="no shipping address", evidence=[message_ref(found)])
