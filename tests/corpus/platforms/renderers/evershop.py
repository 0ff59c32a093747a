"""EverShop: the default Handlebars email templates its notification subscribers send, with its own translations.

What is read at render time: the ``const TEMPLATE = `…`;`` literal of each sender in the pinned EverShop source
(``modules/oms/subscribers/{order_placed,shipment_created,shipment_delivered}/send*.ts``,
``modules/customer/subscribers/customer_registered/sendWelcomeEmail.ts``,
``modules/customer/services/sendResetPasswordEmail.ts``), the subject's English source text from the
``translate('…')`` call in the same file, and its translation from ``translations/<locale>/*.csv`` (merged in sorted
file order, a missing or empty entry falls back to the English source, ``${var}`` interpolated), as
``lib/locale/translate/translate.ts`` and ``dictionary.ts`` do.

Interpreted: the templates by pybars3 (Handlebars). Hand-written: the two helpers ``lib/mail/emailHelper.ts``
registers, ``currency`` (``Intl.NumberFormat(locale, {style: 'currency', currency: <store currency>,
minimumFractionDigits: 0, maximumFractionDigits: 2})``, here babel's CLDR pattern with ``0.##``) and ``date``
(``Intl.DateTimeFormat(locale, {year: 'numeric', month: 'short', day: '2-digit'})``, here CLDR's ``yMMMd``
skeleton with a two-digit day), the ``storeInfo`` that ``prepareData`` builds, and the order rows the subscribers
select.

EverShop's email bodies are English only; its translations cover the subjects. So the English store sends every
template, and the German, Russian and Chinese stores (EverShop has no Polish or Ukrainian translation) send order
confirmations of one or two items: English text, the subject, money and dates in the store's language, and the
product names the store sells. Those are labelled ``en``, the language most of their words are in.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal
from functools import cache
from typing import Any

import pybars
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency

from ..common import Sample, Source, SourceTree
from ..orders import Order, orders

EVERSHOP = Source("evershopcommerce/evershop", "770c47bb89b600bebabbc035c014ba7dd8dd0b78", "GPL-3.0-only", "both")
SOURCES = [EVERSHOP]

SRC = "packages/evershop/src/modules"
SENDERS = {
    "order_confirmation": f"{SRC}/oms/subscribers/order_placed/sendOrderConfirmationEmail.ts",
    "shipment_created": f"{SRC}/oms/subscribers/shipment_created/sendShipmentCreatedEmail.ts",
    "shipment_delivered": f"{SRC}/oms/subscribers/shipment_delivered/sendShipmentDeliveredEmail.ts",
    "customer_welcome": f"{SRC}/customer/subscribers/customer_registered/sendWelcomeEmail.ts",
    "reset_password": f"{SRC}/customer/services/sendResetPasswordEmail.ts",
}
KINDS = {
    "order_confirmation": "order_confirmation",
    "shipment_created": "shipping",
    "shipment_delivered": "delivery",
    "customer_welcome": "account",
    "reset_password": "account",
}
STORES = {  # store settings: name, domain, currency, street, city
    "en": ("Cedar & Slate", "cedarslate.example", "USD", "410 Market Street", "San Francisco"),
    "de": ("Nordlicht Laden", "nordlicht-laden.example", "EUR", "Schillerstraße 7", "Hamburg"),
    "ru": ("Лавка Белый Клён", "belyklen.example", "RUB", "ул. Садовая, 14", "Москва"),
    "zh": ("云杉小店", "yunshan-shop.example", "CNY", "静安区南京西路1266号", "上海"),
}
PER_STORE = {  # template -> messages per store; other stores send order confirmations only
    "en": {"order_confirmation": 5, "shipment_created": 2, "shipment_delivered": 2, "customer_welcome": 1,
           "reset_password": 1},
    "de": {"order_confirmation": 2},
    "ru": {"order_confirmation": 2},
    "zh": {"order_confirmation": 2},
}  # fmt: skip


def template(tree: SourceTree, sender: str) -> str:
    src = tree.read(EVERSHOP, SENDERS[sender])
    m = re.search(r"const TEMPLATE = `(.*?)`;", src, re.S)
    if not m or "${" in m.group(1) or "\\" in m.group(1):
        raise ValueError(f"{SENDERS[sender]}: TEMPLATE is not a plain template literal any more")
    return m.group(1)


def subject_source(tree: SourceTree, sender: str) -> str:
    src = tree.read(EVERSHOP, SENDERS[sender])
    m = re.search(r"translate\(\s*'([^']*)'", src)
    if not m:
        raise ValueError(f"{SENDERS[sender]}: no translate('…') subject")
    return m.group(1)


@cache
def dictionary(tree: SourceTree, locale: str) -> dict[str, str]:
    if locale == "en":
        return {}
    out: dict[str, str] = {}
    for path in sorted(p for p in tree.ls(EVERSHOP, f"translations/{locale}") if p.endswith(".csv")):
        for row in csv.reader(io.StringIO(tree.read(EVERSHOP, path))):
            if len(row) >= 2:
                out[row[0]] = row[1]
    return out


def translate(tree: SourceTree, text: str, values: dict[str, str], locale: str) -> str:
    line = dictionary(tree, locale).get(text) or text
    return re.sub(r"\$\{(.*?)\}", lambda m: values.get(m.group(1).strip(), m.group(0)), line)


def helpers(locale: str, currency: str) -> dict[str, Callable[..., Any]]:
    loc = Locale.parse(locale)
    money_pattern = loc.currency_formats["standard"].pattern.replace("0.00", "0.##")
    date_pattern = re.sub(r"(?<!d)d(?!d)", "dd", str(loc.datetime_skeletons["yMMMd"]))

    def money(_this: Any, value: Any = None, *_: Any) -> str:
        if value is None:
            return ""
        return format_currency(Decimal(value), currency, format=money_pattern, locale=locale, currency_digits=False)

    def date(_this: Any, value: Any = None, *_: Any) -> str:
        return format_date(value, date_pattern, locale=locale) if value else ""

    return {"currency": money, "date": date}


def store_info(lang: str) -> dict[str, Any]:
    name, domain, _, street, city = STORES[lang]
    return {
        "logo": None,  # no logo set in Store Setting → Branding
        "storeName": name,
        "storeEmail": f"hello@{domain}",
        "storeDescription": "",
        "phone": "",
        "homeUrl": f"https://{domain}",
        "address": {"country": None, "province": None, "city": city, "street": street, "postalCode": ""},
    }


def order_row(order: Order, lang: str) -> dict[str, Any]:
    domain = STORES[lang][1]
    items = []
    for i in order.items:
        slug = re.sub(r"[^a-z0-9]+", "-", i.sku.lower()).strip("-")
        items.append(
            {
                "product_name": i.name,
                "product_sku": i.sku,
                "thumbnail": f"https://{domain}/assets/catalog/{slug}/thumb.png",
                "qty": i.quantity,
                "final_price": str(i.unit_price),
                "total": str(i.line_total),
            }
        )
    uuid = hashlib.sha256(f"evershop/{lang}/{order.number}".encode()).hexdigest()
    return {
        "order_number": order.number,
        "uuid": f"{uuid[:8]}-{uuid[8:12]}-{uuid[12:16]}-{uuid[16:20]}-{uuid[20:32]}",
        "created_at": order.created,
        "items": items,
        "sub_total": str(order.subtotal),
        "discount_amount": 0,
        "shipping_fee_incl_tax": str(order.shipping),
        "tax_amount": str(order.tax),
        "grand_total": str(order.total),
        "customer_email": order.customer.email,
    }


def render(tree: SourceTree) -> Iterator[Sample]:
    compiler = pybars.Compiler()
    compiled = {sender: compiler.compile(template(tree, sender)) for sender in SENDERS}
    for lang, plan in PER_STORE.items():
        name, domain, currency, _, _ = STORES[lang]
        locale = {"zh": "zh"}.get(lang, lang)  # EverShop's folder and Intl locale names
        pool = orders(lang, sum(plan.values()), seed="evershop", number="{n}", start=10021 + 40 * len(STORES[lang][0]))
        if lang != "en":  # one- and two-item orders (see the module docstring)
            pool = sorted(pool, key=lambda o: len(o.items))
        k = 0
        for sender, count in plan.items():
            for n in range(count):
                order = pool[k]
                k += 1
                row = order_row(order, lang)
                c = order.customer
                base = f"https://{domain}"
                track = f"{base}/account/orders/{row['uuid']}"
                data: dict[str, Any] = {"storeInfo": store_info(lang)}
                values: dict[str, str] = {}
                if sender == "order_confirmation":
                    data.update(
                        order=row,
                        shippingAddress={
                            "full_name": c.full,
                            "address_1": c.street,
                            "city": c.city,
                            "province_name": "",
                            "postcode": c.postcode,
                        },
                        billingAddress=None,
                    )
                elif sender in ("shipment_created", "shipment_delivered"):
                    shipped = order.created + timedelta(days=1)
                    data.update(
                        order=row,
                        shipment={"tracking_number": f"1Z{order.number}{n}88", "delivered_at": shipped},
                        items=[
                            {"qty": i["qty"], "product_name": i["product_name"], "product_sku": i["product_sku"]}
                            for i in row["items"]
                        ],
                        carrierName="UPS",
                        trackingUrl=f"https://www.ups.example/track?tracknum=1Z{order.number}{n}88",
                        trackOrderUrl=track,
                        deliveredOn=shipped + timedelta(days=2),
                    )
                    values = {"number": str(order.number)}
                elif sender == "customer_welcome":
                    data.update(customer={"full_name": c.full, "email": c.email})
                else:
                    token = hashlib.sha256(f"reset/{c.email}".encode()).hexdigest()[:32]
                    data.update(token=token, resetPasswordUrl=f"{base}/reset-password?token={token}", customer={})
                page = str(compiled[sender](data, helpers=helpers(locale, currency)))
                subject = translate(tree, subject_source(tree, sender), values, locale)
                yield Sample(
                    name=f"{lang}_{KINDS[sender]}_{sender}_{n + 1}",
                    subject=subject,
                    html=page,
                    text=None,
                    labels=_labels(sender, order),
                    sender=f"{name} <no-reply@{domain}>",
                    to=c.email,
                    date=order.created + (timedelta(days=1) if sender != "order_confirmation" else timedelta()),
                )


def _labels(sender: str, order: Order) -> dict[str, Any]:
    kind = KINDS[sender]
    labels: dict[str, Any] = {"kind": kind, "language": "en"}
    if sender == "customer_welcome":
        labels.update(greeting={"name": order.customer.full}, order_number=None, items=[], total=None)
    elif sender == "reset_password":
        labels.update(greeting={}, order_number=None, items=[], total=None)
    elif sender == "order_confirmation":
        labels.update(
            greeting=None,
            order_number=order.number,
            items=[
                {"name": i.name, "quantity": i.quantity, "unit_price": str(i.unit_price), "line_total": None}
                for i in order.items
            ],
            currency=order.currency,
            subtotal=str(order.subtotal),
            shipping=str(order.shipping),
            total=str(order.total),
        )
    else:
        labels.update(
            greeting=None,
            order_number=order.number,
            items=[
                {"name": i.name, "quantity": i.quantity, "unit_price": None, "line_total": None} for i in order.items
            ],
            total=None,
        )
    labels["delivery_estimate"] = None
    return labels
