"""Vendure: the email plugin's default Handlebars + MJML templates, as its HandlebarsMjmlGenerator renders them.

What is read at render time: ``packages/email-plugin/templates/{order-confirmation,email-verification,
password-reset,email-address-change}/body.hbs`` and the partials ``templates/partials/{header,footer}.hbs``.
The subjects are the ones ``src/handler/default-email-handlers.ts`` sets (``'Order confirmation for
#{{ order.code }}'`` and the three account subjects); they are read from that file and compiled too.

Interpreted, not hand-translated: Handlebars by pybars3 (partials registered by file name, as the
FileBasedTemplateLoader does), then MJML compiled to HTML by the real ``mjml`` compiler (npm ``mjml@4``, the major
version the plugin depends on) through its CLI, with ``beautify: false`` like the ``mjml2html`` call the generator
makes. Hand-written: the two helpers the generator registers, ``formatMoney`` (``Intl.NumberFormat(locale,
{style: 'currency'})`` of the amount in minor units / 100, here babel's CLDR data for the same locale) and
``formatDate`` (the ``dateformat`` package's ``default`` mask), and the order entity's fields the template reads.

The templates are English only (no translations ship with the plugin), so every message is ``en``.
mjml: ``npm install mjml@4`` in a folder outside the repository (e.g. ``/tmp/mjml``) and put its
``node_modules/.bin`` on PATH, or set ``MJML=/path/to/mjml``.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pybars
from babel.numbers import format_currency

from ..common import Sample, Source, SourceTree
from ..orders import Order, orders

VENDURE = Source(
    "vendure-ecommerce/vendure", "1633446f4ee203e5e3fbca628bee952893bffa5b", "GPL-3.0-or-later", "templates"
)
SOURCES = [VENDURE]

PLUGIN = "packages/email-plugin"
STORE = "Juniper Lane"
DOMAIN = "juniperlane.example"
GLOBALS = {  # the plugin's globalTemplateVars, as a store configures them
    "fromAddress": f'"{STORE}" <noreply@{DOMAIN}>',
    "verifyEmailAddressUrl": f"https://{DOMAIN}/verify",
    "passwordResetUrl": f"https://{DOMAIN}/password-reset",
    "changeEmailAddressUrl": f"https://{DOMAIN}/verify-email-address-change",
}


def mjml_binary() -> str:
    found = os.environ.get("MJML") or shutil.which("mjml")
    if not found and Path("/tmp/mjml/node_modules/.bin/mjml").exists():
        found = "/tmp/mjml/node_modules/.bin/mjml"
    if not found:
        raise FileNotFoundError(
            "vendure: the mjml compiler is needed: `npm install mjml@4 --prefix /tmp/mjml` "
            "(then it is found there), or set MJML=/path/to/mjml"
        )
    return found


def mjml2html(source: str) -> str:
    done = subprocess.run(
        [mjml_binary(), "-i", "-s", "--noStdoutFileComment", "--config.beautify", "false"],
        input=source,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"mjml failed: {done.stderr.strip()[:500]}")
    return done.stdout


# --- The generator's helpers ----------------------------------------------------------------------------------


def format_money(_this: Any, amount: Any = None, currency: Any = None, locale: Any = None, *_: Any) -> Any:
    """formatMoney: Intl.NumberFormat(locale, {style: 'currency', currency}).format(amount / 100)."""
    if amount is None:
        return amount
    value = Decimal(amount) / 100
    if not isinstance(currency, str) or not currency:
        return f"{value:,.2f}"
    return format_currency(value, currency, locale=locale if isinstance(locale, str) else "en")


def format_date(_this: Any, date: datetime | None = None, *_: Any) -> Any:
    """formatDate with the dateformat package's ``default`` mask: ``ddd mmm dd yyyy HH:MM:ss``."""
    if not date:
        return date
    return date.strftime("%a %b %d %Y %H:%M:%S")


HELPERS = {"formatMoney": format_money, "formatDate": format_date}


# --- The order entity as the template reads it ----------------------------------------------------------------


def _code(order: Order) -> str:
    """An order code as Vendure's DefaultOrderCodeStrategy makes them: 16 characters of A-Z and 0-9."""
    digest = hashlib.sha256(f"vendure/{order.number}".encode()).digest()
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    return "".join(alphabet[b % len(alphabet)] for b in digest[:16])


def _cents(x: Decimal) -> int:
    return int((x * 100).to_integral_value())


def _entity(order: Order) -> dict[str, Any]:
    c = order.customer
    lines = []
    for item in order.items:
        slug = re.sub(r"[^a-z0-9]+", "-", item.name.lower()).strip("-")
        lines.append(
            {
                "quantity": item.quantity,
                "productVariant": {"name": item.name, "sku": item.sku},
                "featuredAsset": {"preview": f"https://{DOMAIN}/assets/preview/{slug}__preview.jpg"},
                "discountedLinePriceWithTax": _cents(item.line_total),
            }
        )
    return {
        "code": _code(order),
        "orderPlacedAt": order.created,
        "currencyCode": order.currency,
        "customer": {"firstName": c.first, "lastName": c.last, "emailAddress": c.email},
        "shippingAddress": {
            "fullName": c.full,
            "company": "",
            "streetLine1": c.street,
            "streetLine2": "",
            "city": c.city,
            "province": "",
            "postalCode": c.postcode,
            "country": c.country,
            "phoneNumber": c.phone,
        },
        "lines": lines,
        "discounts": [],
        "subTotalWithTax": _cents(order.subtotal),
        "total": _cents(order.total),
        "totalWithTax": _cents(order.total),
    }


def _subjects(tree: SourceTree) -> dict[str, str]:
    """Each handler's ``new EmailEventListener('<type>')`` … ``.setSubject('<subject>')``."""
    src = tree.read(VENDURE, f"{PLUGIN}/src/handler/default-email-handlers.ts")
    return dict(re.findall(r"new EmailEventListener\('([\w-]+)'\).*?\.setSubject\('([^']*)'\)", src, re.S))


def render(tree: SourceTree) -> Iterator[Sample]:
    compiler = pybars.Compiler()
    partials = {
        Path(p).stem: compiler.compile(tree.read(VENDURE, p))
        for p in tree.ls(VENDURE, f"{PLUGIN}/templates/partials")
        if p.endswith(".hbs")
    }
    subjects = _subjects(tree)

    def generate(kind: str, variables: dict[str, Any]) -> tuple[str, str, str]:
        body = compiler.compile(tree.read(VENDURE, f"{PLUGIN}/templates/{kind}/body.hbs"))
        context = {**GLOBALS, **variables}
        mjml = str(body(context, helpers=HELPERS, partials=partials))
        subject = str(compiler.compile(subjects[kind])(context, helpers=HELPERS))
        sender = str(compiler.compile("{{{ fromAddress }}}")(context))  # compiled with noEscape
        return subject, mjml2html(mjml), sender

    for n, order in enumerate(orders("en", 8, seed="vendure", number="{n}", start=3101)):
        entity = _entity(order)
        shipping_lines = [{"shippingMethod": {"name": "Standard Shipping"}, "priceWithTax": _cents(order.shipping)}]
        subject, page, sender = generate("order-confirmation", {"order": entity, "shippingLines": shipping_lines})
        labels = {
            "kind": "order_confirmation",
            "language": "en",
            "greeting": {"name": f"{order.customer.first} {order.customer.last}"},
            "order_number": entity["code"],
            "items": [
                {"name": i.name, "quantity": i.quantity, "unit_price": None, "line_total": str(i.line_total)}
                for i in order.items
            ],
            "currency": order.currency,
            "subtotal": str(order.subtotal),
            "shipping": str(order.shipping),
            "total": str(order.total),
            "delivery_estimate": None,
        }
        yield Sample(f"en_order_confirmation_order-confirmation_{n + 1}", subject, page, None, labels, sender,
                     order.customer.email, order.created)  # fmt: skip

    accounts = orders("en", 3, seed="vendure-accounts", start=1)
    tokens = {
        "email-verification": "verificationToken",
        "password-reset": "passwordResetToken",
        "email-address-change": "identifierChangeToken",
    }
    for (kind, token_name), order in zip(tokens.items(), accounts, strict=True):
        token = hashlib.sha256(f"{kind}/{order.customer.email}".encode()).hexdigest()[:20]
        subject, page, sender = generate(kind, {token_name: token})
        labels = {"kind": "account", "language": "en", "greeting": None, "order_number": None, "items": [],
                  "total": None, "delivery_estimate": None}  # fmt: skip
        yield Sample(f"en_account_{kind}_1", subject, page, None, labels, sender, order.customer.email, order.created)
