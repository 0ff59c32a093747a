"""Shopify: the default customer notification templates (Liquid), as published in a public repository.

Source: Kazuki-tam/shopify-email-notification, which keeps copies of the
notification templates Shopify provides by default (views/en/...). They are
rendered with python-liquid: the template files are run as they are, with
Shopify's notification variables filled from the fictional order.

Hand-supplied (what Shopify's server provides): the notification variables
(order, line items, transactions, fulfillment, addresses, shop), and the
Shopify-only Liquid filters the templates use: ``money`` and
``money_with_currency`` (amounts in cents, the shop's money format
"${{amount}}" / "${{amount}} USD"), ``format_address`` (Shopify's default US
address layout), ``img_url``/``shopify_asset_url`` (CDN URLs). The default
notifications are English: Shopify translates them only when a merchant edits
each template, and no public repository carries Shopify's own translated
defaults for the other five languages.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any

from liquid import Environment

from ..common import Sample, Source, SourceTree
from ..orders import Order, item_labels, orders

NOTIFICATIONS = Source("Kazuki-tam/shopify-email-notification", "394df45ea460412260d9ee333e70d4b1d0fa9142", "MIT")
SOURCES = [NOTIFICATIONS]
DIR = "views/en"
# template, kind, count
TEMPLATES = [
    ("orders/order-confirmation", "order_confirmation", 4),
    ("shipping/shipping-confirmation", "shipping", 3),
    ("shipping/delivered", "delivery", 2),
    ("orders/order-cancelled", "cancellation", 2),
    ("orders/refund-notification", "refund", 2),
    ("orders/order-invoice", "invoice", 2),
    ("orders/abandoned-checkout-notification", "abandoned_cart", 2),
    ("customer/customer-password-reset", "account", 1),
    ("customer/customer-account-welcome", "account", 1),
]
SHOP = {
    "name": "Northwind Outfitters",
    "email": "hello@store.example",
    "url": "https://store.example",
    "email_accent_color": "#1990c6",
    "email_logo_url": None,
    "email_logo_width": 160,
}


def _cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def _money(cents: Any) -> str:
    """Shopify's ``money`` with the shop's default format "${{amount}}" (amounts are in cents)."""
    if cents is None or cents == "":
        return ""
    value = Decimal(int(cents)) / 100
    return f"${value:,.2f}"


def _env() -> Environment:
    env = Environment()
    env.filters["money"] = _money
    env.filters["money_with_currency"] = lambda c: f"{_money(c)} USD" if c not in (None, "") else ""
    env.filters["money_without_trailing_zeros"] = lambda c: _money(c).replace(".00", "")
    env.filters["money_without_currency"] = lambda c: _money(c).lstrip("$")
    env.filters["img_url"] = lambda src, *a, **k: f"https://cdn.store.example/{src}" if src else ""
    env.filters["shopify_asset_url"] = lambda name, *a: f"https://cdn.shopify.com/shopifycloud/shopify/assets/{name}"
    env.filters["format_address"] = _format_address
    env.filters["date"] = _date
    env.filters["payment_icon_png_url"] = lambda name, *a: f"https://cdn.shopify.com/payment-icons/{name}.png"
    env.filters["payment_type_img_url"] = lambda name, *a: f"https://cdn.shopify.com/payment-icons/{name}.png"
    return env


def _date(value: Any, fmt: str | None = None, format: str | None = None) -> str:  # noqa: A002 - Liquid's keyword
    """Liquid's ``date`` with Shopify's named formats (``date: format: 'date'``)."""
    if not isinstance(value, datetime):
        return "" if value in (None, "") else str(value)
    if format is not None:
        fmt = {"date": "%B %-d, %Y", "abbreviated_date": "%b %-d, %Y", "date_at_time": "%B %-d, %Y at %-I:%M %p"}.get(
            format, "%B %-d, %Y"
        )
    return value.strftime(fmt or "%B %-d, %Y")


def _format_address(address: dict[str, Any]) -> str:
    """Shopify's ``format_address`` for a US address: name, street, city state zip, country."""
    if not address:
        return ""
    lines = [address["name"], address["address1"], f"{address['city']} {address['zip']}", address["country"]]
    return "<p>" + "<br>".join(html.escape(x) for x in lines) + "</p>"


def _line(item: Any) -> dict[str, Any]:
    price = _cents(item.unit_price)
    total = price * item.quantity
    return {
        "title": item.name,
        "product": {"title": item.name},
        "variant": {"title": None},
        "variant_title": None,
        "quantity": item.quantity,
        "refunded_quantity": 0,
        "sku": item.sku,
        "image": None,
        "price": price,
        "final_price": price,
        "original_price": price,
        "line_price": total,
        "final_line_price": total,
        "original_line_price": total,
        "discount_allocations": [],
        "unit_price_measurement": None,
        "selling_plan_allocation": None,
        "gift_card": False,
        "properties": {},
        "groups": [],
        "bundle_parent?": False,
    }


def _variables(order: Order, n: int) -> dict[str, Any]:
    c = order.customer
    number = order.number
    address = {
        "first_name": c.first,
        "last_name": c.last,
        "name": c.full,
        "address1": c.street,
        "address2": "",
        "city": c.city,
        "zip": c.postcode,
        "country": c.country,
        "country_code": "US",
        "phone": c.phone,
    }
    lines = [_line(i) for i in order.items]
    total = _cents(order.total)
    fulfillment_lines = [{"line_item": line, "quantity": line["quantity"]} for line in lines]
    transaction = {
        "kind": "sale",
        "status": "success",
        "amount": total,
        "gateway": "shopify_payments",
        "gateway_display_name": "Shopify Payments",
        "payment_details": {"credit_card_company": "Visa", "credit_card_last_four_digits": "4242"},
    }
    return {
        "shop": SHOP,
        "shop_name": SHOP["name"],
        "customer": {"first_name": c.first, "last_name": c.last, "name": c.full, "email": c.email},
        "email": c.email,
        "name": f"#{number}",
        "order_name": f"#{number}",
        "order_number": number,
        "order": {"name": f"#{number}", "order_number": number},
        "order_status_url": f"https://store.example/orders/{n:06d}a1b2c3/authenticate?key=k{n}",
        "url": f"https://store.example/cart/c/{n:06d}?key=checkout{n}",
        "requires_shipping": True,
        "delivery_method": "shipping",
        "shipping_address": address,
        "billing_address": address,
        "line_items": lines,
        "subtotal_line_items": lines,
        "item_count": sum(i.quantity for i in order.items),
        "subtotal_price": _cents(order.subtotal),
        "shipping_price": _cents(order.shipping),
        "tax_price": 0,
        "total_price": total,
        "total_discounts": 0,
        "total_tip": 0,
        "total_duties": None,
        "total_outstanding": 0,
        "discounts": [],
        "discount_applications": [],
        "tax_lines": [],
        "transactions": [transaction],
        "shipping_method": {"title": "Standard", "price": _cents(order.shipping)},
        "shipping_lines": [{"title": "Standard", "price": _cents(order.shipping)}],
        "financial_status": "refunded",
        "cancel_reason": "customer",
        "fulfillment_status": "fulfilled",
        "fulfillment": {
            "item_count": sum(i.quantity for i in order.items),
            "fulfillment_line_items": fulfillment_lines,
            "tracking_company": "UPS",
            "tracking_numbers": [f"1Z999AA1{n:010d}"],
            "tracking_urls": [f"https://www.ups.com/track?tracknum=1Z999AA1{n:010d}"],
            "tracking_number": f"1Z999AA1{n:010d}",
            "tracking_url": f"https://www.ups.com/track?tracknum=1Z999AA1{n:010d}",
        },
        "refund_line_items": [{"line_item": line, "quantity": line["quantity"]} for line in lines],
        "amount": total,
        "payment_terms": None,
        "reset_password_url": f"https://store.example/account/reset/{n}/token{n}",
        "custom_message": "",
        "delivery_instructions": "",
        "date": order.created,
        "created_at": order.created,
        "processed_at": order.created,
    }


def _labels(order: Order, kind: str, template: str) -> dict[str, Any]:
    labels: dict[str, Any] = {"kind": kind, "language": "en"}
    if kind == "account":
        labels.update(greeting=None, order_number=None, items=[], total=None)
        return labels
    if template == "orders/order-confirmation":
        labels["greeting"] = {"name": order.customer.first}  # "Hi Jane, we're getting your order ready..."
    elif template == "orders/abandoned-checkout-notification":
        labels["greeting"] = {"name": order.customer.first}  # "Hi Jane, you added items to your shopping cart..."
    labels["order_number"] = None if kind == "abandoned_cart" else order.number
    priced = kind not in ("shipping", "delivery", "abandoned_cart")  # these list items without prices
    labels["items"] = item_labels(order, unit_price=False, line_total=priced)
    if priced:
        labels["currency"] = "USD"
    if kind in ("order_confirmation", "invoice", "cancellation"):
        labels.update(subtotal=str(order.subtotal), shipping=str(order.shipping), total=str(order.total))
    labels["delivery_estimate"] = None
    return labels


def render(tree: SourceTree) -> Iterator[Sample]:
    env = _env()
    pool = orders("en", sum(n for *_, n in TEMPLATES), seed="shopify", start=1001)
    k = 0
    for template, kind, count in TEMPLATES:
        source = tree.read(NOTIFICATIONS, f"{DIR}/{template}.liquid")
        compiled = env.from_string(source)
        for j in range(count):
            order = pool[k]
            k += 1
            variables = _variables(order, k)
            if kind == "invoice":  # an invoice goes out for an order not paid yet
                variables.update(total_outstanding=variables["total_price"], transactions=[])
                variables["order"] = {**variables["order"], "total_outstanding": variables["total_price"]}
            body = compiled.render(**variables)
            title = env.from_string(source.split("<!doctype", 1)[0] + "{{ email_title }}").render(**variables)
            name = template.rsplit("/", 1)[-1]
            yield Sample(
                name=f"en_{kind}_{name}_{j + 1}",
                subject=_subject(kind, order, title),
                html=body,
                text=None,
                labels=_labels(order, kind, template),
                sender=f"{SHOP['name']} <{SHOP['email']}>",
                to=order.customer.email,
                date=order.created,
            )


def _subject(kind: str, order: Order, title: str) -> str:
    """Shopify's default subject lines for these notifications (the subject is a separate setting)."""
    n = order.number
    return {
        "order_confirmation": f"Order #{n} confirmed",
        "shipping": f"A shipment from order #{n} is on the way",
        "delivery": f"A shipment from order #{n} has been delivered",
        "cancellation": f"Order #{n} has been canceled",
        "refund": "Refund notification",
        "invoice": f"Invoice for order #{n}",
        "abandoned_cart": "Complete your purchase",
    }.get(kind, " ".join(title.split()) or SHOP["name"])
