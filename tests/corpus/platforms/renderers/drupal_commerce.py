"""Drupal Commerce 2: the order receipt e-mail, commerce-order-receipt.html.twig rendered with Jinja2.

Interpreted from the sources at render time: the Twig template (Jinja2 reads
this template's Twig as it is: ``{{ 'text'|t({...}) }}``, ``{% for %}``,
``{% if %}``, ``{% block %}``); the subject string from
``OrderReceiptMail::send`` ("Order #@number confirmed").

Hand-supplied (what Drupal and Commerce's PHP provides): the ``t`` filter
(English: Drupal's placeholder replacement only; no public repository with
the localize.drupal.org Commerce translations was found, so the messages are
English), ``commerce_price_format`` (CLDR via babel, as commerceguys/intl
formats), ``number_format``, ``url()``, the order entity's methods, the
billing profile as Drupal's address formatter prints it, and one shipping
adjustment in the totals (commerce_shipping's "Shipping" adjustment).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from babel.numbers import format_currency
from jinja2 import Environment
from markupsafe import Markup

from ..common import Sample, Source, SourceTree
from ..orders import Order, item_labels, orders

COMMERCE = Source("drupalcommerce/commerce", "643bb39620c083f6d52acd41c8170d7f34b40e1c", "GPL-2.0-or-later")
SOURCES = [COMMERCE]
TEMPLATE = "modules/order/templates/commerce-order-receipt.html.twig"
MAIL = "modules/order/src/Mail/OrderReceiptMail.php"
ORDERS = 8
STORE = "Northwind Outfitters"


class Price:
    def __init__(self, amount: Decimal) -> None:
        self.amount = amount


class Item:
    def __init__(self, item: Any) -> None:
        self.getQuantity = Decimal(item.quantity).quantize(Decimal("0.01"))  # noqa: N815 - the entity's method
        self.label = item.name
        self.getTotalPrice = Price(item.line_total)  # noqa: N815


class Store:
    label = STORE


class OrderEntity:
    def __init__(self, order: Order) -> None:
        self.getStore = Store()  # noqa: N815
        self.getOrderNumber = order.number  # noqa: N815
        self.getItems = [Item(i) for i in order.items]  # noqa: N815
        self.getTotalPrice = Price(order.total)  # noqa: N815


def _t(text: str, args: dict[str, Any] | None = None) -> Markup:
    """Drupal's ``t()`` without a translation: @placeholders are escaped, %placeholders emphasised."""
    out = html.escape(text, quote=False)
    for key, value in (args or {}).items():
        value = str(value) if isinstance(value, Markup) else html.escape(str(value), quote=False)
        if key.startswith("%"):
            value = f'<em class="placeholder">{value}</em>'
        out = out.replace(key, value)
    return Markup(out)


def _price(price: Price) -> str:
    return format_currency(price.amount, "USD", locale="en_US")


def _address(order: Order) -> Markup:
    """A billing profile as Drupal's address formatter prints a US address."""
    c = order.customer
    return Markup(
        '<p class="address" translate="no">'
        f'<span class="given-name">{html.escape(c.first)}</span> '
        f'<span class="family-name">{html.escape(c.last)}</span><br>\n'
        f'<span class="address-line1">{html.escape(c.street)}</span><br>\n'
        f'<span class="locality">{html.escape(c.city)}</span>, <span class="postal-code">{c.postcode}</span><br>\n'
        f'<span class="country">{html.escape(c.country)}</span>'
        "</p>"
    )


def render(tree: SourceTree) -> Iterator[Sample]:
    env = Environment(autoescape=True)
    env.filters["t"] = _t
    env.filters["commerce_price_format"] = _price
    env.filters["number_format"] = lambda value, decimals=0: f"{Decimal(value):,.{decimals}f}"
    env.globals["url"] = lambda route: "https://store.example/"
    template = env.from_string(tree.read(COMMERCE, TEMPLATE))
    mail = tree.read(COMMERCE, MAIL)
    subject_text = re.search(r"\$subject = \$this->t\('([^']+)'", mail)
    assert subject_text, "OrderReceiptMail: subject not found"
    for n, order in enumerate(orders("en", ORDERS, seed="drupal_commerce", start=12)):
        body = template.render(
            order_entity=OrderEntity(order),
            billing_information=_address(order),
            shipping_information=_address(order) if n % 2 == 0 else None,
            payment_method=Markup("<span>Credit card</span>") if n % 3 else None,
            totals={
                "subtotal": Price(order.subtotal),
                "adjustments": [{"type": "shipping", "label": "Shipping", "total": Price(order.shipping)}],
                "total": Price(order.total),
            },
        )
        yield Sample(
            name=f"en_order_confirmation_order_receipt_{n + 1}",
            subject=str(_t(subject_text.group(1), {"@number": order.number})),
            html=body,
            text=None,
            labels={
                "kind": "order_confirmation",
                "language": "en",
                "greeting": None,
                "order_number": order.number,
                "items": item_labels(order, unit_price=False),
                "currency": "USD",
                "subtotal": str(order.subtotal),
                "shipping": str(order.shipping),
                "total": str(order.total),
                "delivery_estimate": None,
            },
            sender=f"{STORE} <store@store.example>",
            to=order.customer.email,
            date=order.created,
        )
