"""Thelia 2.5: the "default" e-mail template set (Smarty, HTML + text) with its own I18n translation arrays.

Source: thelia/thelia at the last commit before the e-mail template moved out
of the repository into a composer dependency (templates/email/default/).

Interpreted from the sources at render time: every template file (the
message's .html, which ``{extends}`` email-layout.tpl, and its .txt) through
the small Smarty interpreter in ``_smarty.py`` ({extends}/{block}, {if},
{assign}, {strip}, {loop}, {ifloop}, {ifhook}/{elsehook}); every {intl}
string through the template's ``I18n/<locale>.php`` array (English text
when a key is missing, as Thelia's translator does); the subject is the
template's "email-subject" block.

Hand-supplied (what Thelia's PHP loop and plugin classes return): the rows of
the order, order_product, customer, currency, module and country loops for
the fictional order; no module hooked into any e-mail hook (so every
{elsehook} default shows); money as the language's CLDR currency format
(Thelia's format_money writes the number with the shop language's
separators and the currency's symbol); dates in CLDR's medium format;
addresses in Thelia's default layout (name, street, postcode city, country).
Thelia ships I18n for en_US, de_DE, pl_PL and ru_RU among the six languages:
no Ukrainian or Chinese.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from babel.dates import format_date, format_datetime

from ..common import Sample, Source, SourceTree
from ..orders import LOCALES, Order, item_labels, money, orders
from . import _php, _smarty

THELIA = Source("thelia/thelia", "e30c64247352a8675484144fcbb193a79ee8029e", "GPL-3.0-or-later", "both")
SOURCES = [THELIA]
DIR = "templates/email/default"
I18N = {"en": "en_US", "de": "de_DE", "pl": "pl_PL", "ru": "ru_RU"}
# template, kind, orders per language
TEMPLATES = [
    ("order_confirmation", "order_confirmation", 3),
    ("password", "account", 1),
    ("customer_confirmation", "account", 1),
    ("account_created_by_admin", "account", 1),
    ("newsletter_subscription_confirmation", "other", 1),
]
# store name, payment module title, delivery module title (module titles are shop data, in the shop's language)
STORE = {
    "en": ("Northwind Outfitters", "Bank transfer", "Flat rate delivery"),
    "de": ("Nordwind Ausstatter", "Überweisung", "Pauschalversand"),
    "pl": ("Sklep Północny", "Przelew bankowy", "Kurier"),
    "ru": ("Северный магазин", "Банковский перевод", "Курьерская доставка"),
}
_PHP_STRING = r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\""


def translations(tree: SourceTree, locale: str) -> dict[str, str]:
    """The ``return [ 'English' => 'translated', ... ];`` array of an I18n file."""
    source = tree.read(THELIA, f"{DIR}/I18n/{locale}.php")
    out = {}
    for m in re.finditer(rf"(?:{_PHP_STRING})\s*=>\s*(?:{_PHP_STRING})", source):
        key = m.group(1) if m.group(1) is not None else m.group(2)
        value = m.group(3) if m.group(3) is not None else m.group(4)
        out[
            _php._unquote(("'" if m.group(1) is not None else '"') + key + ("'" if m.group(1) is not None else '"'))
        ] = _php._unquote(("'" if m.group(3) is not None else '"') + value + ("'" if m.group(3) is not None else '"'))
    return out


class Shop:
    def __init__(self, tree: SourceTree, language: str) -> None:
        self.tree = tree
        self.language = language
        self.locale = LOCALES[language]
        self.tr = translations(tree, I18N[language])
        self.name, self.payment, self.delivery = STORE[language]
        self.chars = {True: 0, False: 0}

    def intl(self, p: dict[str, Any]) -> str:
        translated = self.tr.get(p["l"]) or ""
        text = translated or p["l"]
        # how much of the message the pack translated: a message left mostly in English is labelled English
        visible = re.sub(r"<[^>]+>|%\w+", "", p["l"])
        self.chars[bool(translated) and (translated != p["l"] or self.language == "en")] += len(visible)
        for key, value in p.items():
            if key not in ("l", "d", "js", "locale"):
                text = text.replace(f"%{key}", _php.php_str(value))
        return text

    def config(self, p: dict[str, Any]) -> str:
        return {
            "store_name": self.name,
            "store_email": "contact@store.example",
            "url_site": "https://store.example",
            "store_address1": "1 Market Street",
            "store_address2": "",
            "store_address3": "",
            "store_zipcode": "10115",
            "store_city": "Berlin",
            "store_country": "",
        }[p["key"]]

    def url(self, p: dict[str, Any]) -> str:
        path = p["path"]
        query = []
        for key, value in p.items():
            if key == "path":
                continue
            if f"%{key}" in path:
                path = path.replace(f"%{key}", str(value))
            else:
                query.append(f"{key}={value}")
        return "https://store.example" + path + ("?" + "&".join(query) if query else "")


def _address(order: Order, as_html: bool) -> str:
    c = order.customer
    lines = [html.escape(c.full), html.escape(c.street), f"{c.postcode} {html.escape(c.city)}", html.escape(c.country)]
    return "<br />\n".join(lines) if as_html else "\n".join(lines)


def _renderer(shop: Shop, order: Order, extra: dict[str, Any]) -> _smarty.Renderer:
    lang = shop.language
    c = order.customer

    def fmt_money(p: dict[str, Any]) -> str:
        return money(Decimal(str(p["number"])).quantize(Decimal("0.01")), lang)

    def fmt_date(p: dict[str, Any]) -> str:
        if p.get("output") == "datetime":
            return format_datetime(p["date"], "medium", locale=shop.locale)
        return format_date(p["date"], "medium", locale=shop.locale)

    tags = {
        "intl": shop.intl,
        "config": shop.config,
        "url": shop.url,
        "format_money": fmt_money,
        "format_date": fmt_date,
        "format_address": lambda p: _address(order, str(p.get("html", "1")) != "0"),
        "hook": lambda p: "",
        "default_translation_domain": lambda p: "",
        "default_locale": lambda p: "",
        "declare_assets": lambda p: "",
        "local_media": lambda p: f"https://store.example/media/{p['type']}.png",
    }
    products = [
        {
            "ID": 500 + i,
            "TITLE": html.escape(item.name),
            "REF": item.sku,
            "PRODUCT_SALE_ELEMENTS_REF": item.sku,
            "QUANTITY": item.quantity,
            "WAS_IN_PROMO": 0,
            "PRICE": float(item.unit_price),
            "PRICE_TAX": 0.0,
            "TAXED_PRICE": float(item.unit_price),
            "PROMO_PRICE": float(item.unit_price),
            "PROMO_PRICE_TAX": 0.0,
            "TAXED_PROMO_PRICE": float(item.unit_price),
        }
        for i, item in enumerate(order.items)
    ]
    loops = {
        "order": lambda p: [
            {
                "ID": 77,
                "REF": order.number,
                "CURRENCY": 1,
                "CUSTOMER": 12,
                "DELIVERY_ADDRESS": 1,
                "INVOICE_ADDRESS": 2,
                "DELIVERY_MODULE": 3,
                "PAYMENT_MODULE": 4,
                "TOTAL_TAXED_AMOUNT": float(order.total),
                "POSTAGE": float(order.shipping),
                "DISCOUNT": 0,
                "CREATE_DATE": order.created,
                "INVOICE_DATE": order.created,
            }
        ],
        "currency": lambda p: [{"ISOCODE": order.currency}],
        "customer": lambda p: [
            {
                "REF": "CUS000000000012",
                "EMAIL": c.email,
                "FIRSTNAME": c.first,
                "LASTNAME": c.last,
                "CONFIRMATION_TOKEN": "4f1d0c9a7be2",
            }
        ],
        "order_product": lambda p: products,
        "order_product_attribute_combination": lambda p: [],
        "module": lambda p: [{"TITLE": shop.payment if p["id"] == 4 else shop.delivery}],
        "country": lambda p: [{"TITLE": c.country}],
        "__count__": lambda p: [] if p["rel"] == "combinations" else [None],
    }
    variables = {
        "order_id": 77,
        "order_ref": order.number,
        "customer_id": 12,
        "locale": shop.locale,
        "password": "kT7#pW2q",
        "firstname": c.first,
        "lastname": c.last,
        "email": c.email,
        "message_body": "",
        **extra,
    }
    return _smarty.Renderer(tags, loops, variables, lambda name: shop.tree.read(THELIA, f"{DIR}/{name}"))


def _labels(order: Order, kind: str, lang: str, template: str) -> dict[str, Any]:
    labels: dict[str, Any] = {"kind": kind, "language": lang}
    if template == "newsletter_subscription_confirmation":
        labels["greeting"] = {"name": f"{order.customer.first} {order.customer.last}"}
    elif template != "customer_confirmation":  # "Welcome to <store>," greets nobody in particular
        labels["greeting"] = {}  # "Hello," (the order confirmation's text part)
    if kind != "order_confirmation":
        labels.update(order_number=None, items=[], total=None)
        return labels
    labels.update(
        order_number=order.number,
        items=item_labels(order, line_total=False),
        currency=order.currency,
        subtotal=str(order.subtotal),
        shipping=str(order.shipping),
        total=str(order.total),
        delivery_estimate=None,
    )
    return labels


def render(tree: SourceTree) -> Iterator[Sample]:
    for lang in I18N:
        shop = Shop(tree, lang)
        pool = orders(lang, sum(n for *_, n in TEMPLATES), seed="thelia", number="ORD{n:012d}", start=118)
        k = 0
        for template, kind, count in TEMPLATES:
            for j in range(count):
                order = pool[k]
                k += 1
                shop.chars = {True: 0, False: 0}
                body = _renderer(shop, order, {}).render_file(f"{template}.html")
                mostly = lang if shop.chars[True] >= shop.chars[False] else "en"
                subject_renderer = _renderer(shop, order, {})
                subject_renderer.overrides = _smarty.blocks(_smarty.parse(tree.read(THELIA, f"{DIR}/{template}.html")))
                subject_tag = subject_renderer.overrides.get("email-subject")
                subject = subject_renderer.render(subject_tag.body) if subject_tag else ""
                text = None
                if tree.exists(THELIA, f"{DIR}/{template}.txt"):
                    text = _renderer(shop, order, {}).render_file(f"{template}.txt").strip() + "\n"
                yield Sample(
                    name=f"{lang}_{kind}_{template}_{j + 1}",
                    subject=html.unescape(re.sub(r"\s+", " ", subject).strip()),
                    html=body,
                    text=text,
                    labels=_labels(order, kind, mostly, template),
                    sender=f"{shop.name} <contact@store.example>",
                    to=order.customer.email,
                    date=order.created,
                )
