"""Zen Cart: order confirmation and welcome e-mails (HTML template + text part) of three Zen Cart distributions.

Each language is rendered from one complete Zen Cart tree, so template, PHP
and language files belong together: zencart/zencart (English, 2.x), the
German distribution zencartpro/zencart-german-grundsystem (1.5.7, German)
and AndrewBerezin/zen-cart-1.5.5-Russian (Russian). No Polish, Ukrainian or
Chinese Zen Cart tree was found.

Interpreted from the sources at render time: the HTML template (``$KEY``
placeholders replaced as ``Email::buildHtmlFromTemplate`` / the 1.5
``zen_build_html_email_from_template`` do, with email_common.css); every
language constant, read from the tree's language files by evaluating their
``define(...)`` calls or ``$define = [...]`` arrays (so constants built from
``date('Y')``, ``zen_href_link()`` or other constants come out as PHP makes
them); the product rows, by evaluating the ``$this->products_ordered_html .=``
and ``$this->products_ordered .=`` expressions from the tree's own
``includes/classes/order.php``.

Hand-ported from ``order::send_order_email`` and the create-account module's
welcome e-mail (the same in the three trees):
which constant goes into which ``$html_msg`` key, the order-totals table
markup and the plain-text body; from the order-total modules: the rows
Sub-Total, shipping ("<method> (<way>):") and Total. Hand-supplied store
configuration: currency format (USD "$1,234.50"; EUR "1.234,50 €"; RUB
"12 990,00 руб."), payment module (check/money order; EU bank transfer for
the German shop), ``DATE_FORMAT_LONG`` expanded with CLDR day and month names.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from babel.dates import format_date

from ..common import Sample, Source, SourceTree
from ..orders import LOCALES, Order, item_labels, orders
from . import _php

ENGLISH = Source("zencart/zencart", "0306c470b6e10cecc86489226951ff9534a6b773", "GPL-2.0-only", "both")
GERMAN = Source(
    "zencartpro/zencart-german-grundsystem", "f345ef38f2ab447e3770f93bf862a6cd3d869f7a", "GPL-2.0-only", "both"
)
RUSSIAN = Source(
    "AndrewBerezin/zen-cart-1.5.5-Russian", "73e1849b0f7d8a5b8b82637331c40c8e7e588e27", "GPL-2.0-only", "both"
)
SOURCES = [ENGLISH, GERMAN, RUSSIAN]

# language -> (tree, path prefix, language folder, payment module, store name, currency format)
TREES: dict[str, tuple[Source, str, str, str, str, tuple[str, str, str, str]]] = {
    "en": (ENGLISH, "", "english", "moneyorder", "Northwind Outfitters", ("$", "", ".", ",")),
    "de": (GERMAN, "UPLOAD/", "german", "eustandardtransfer", "Nordwind Ausstatter", ("", " €", ",", ".")),
    "ru": (RUSSIAN, "", "russian", "moneyorder", "Северный магазин", ("", " руб.", ",", " ")),
}
ORDERS_PER_LANGUAGE = 6
# the customer's gender as the account records it (Zen Cart asks for it by default: ACCOUNT_GENDER = 'true')
GENDERS = {
    "Jane": "f", "Marcus": "m", "Olivia": "f",
    "Lena": "f", "Jonas": "m", "Sophie": "f",
    "Елена": "f", "Дмитрий": "m", "Ольга": "f",
}  # fmt: skip
WELCOMES_PER_LANGUAGE = 2
PAYMENT_TITLE = {
    "moneyorder": "MODULE_PAYMENT_MONEYORDER_TEXT_TITLE",
    "eustandardtransfer": "MODULE_PAYMENT_EUTRANSFER_TEXT_TITLE",
}


class Defines:
    """The language constants of one Zen Cart tree, evaluated like PHP would (in file order)."""

    def __init__(self, tree: SourceTree, source: Source, store: str) -> None:
        self.tree, self.source = tree, source
        self.constants: dict[str, Any] = {
            "FILENAME_DEFAULT": "index",
            "FILENAME_ACCOUNT_HISTORY_INFO": "account_history_info",
            "STORE_NAME": store,
            "STORE_OWNER": store,
            "STORE_OWNER_EMAIL_ADDRESS": "owner@store.example",
            "EMAIL_FROM": "orders@store.example",
            "HTTP_SERVER": "https://store.example",
            "DIR_WS_CATALOG": "/",
            "IS_ADMIN_FLAG": False,
            "true": True,
            "false": False,
            "null": None,
            "ENT_QUOTES": 3,
        }
        self.store = store

    def functions(self) -> dict[str, Any]:
        return {
            "date": lambda fmt, *a: "2026" if fmt == "Y" else fmt,
            "zen_href_link": lambda page, params="", *a: (
                f"https://store.example/index.php?main_page={page}" + (f"&{params}" if params else "")
            ),
            "zen_config": lambda key: self.constants[key],
            "sprintf": _php.sprintf,
            "defined": lambda name: name in self.constants,
            "define": self._define,
            "constant": lambda name: self.constants[name],
            "nl2br": lambda s: _php.php_str(s).replace("\n", "<br />\n"),
            "empty": lambda v: not _php.truthy(v),
        }

    def _define(self, name: str, value: Any, *rest: Any) -> None:
        self.constants.setdefault(name, value)  # PHP keeps the first definition

    def load(self, path: str) -> None:
        code = self.tree.read(self.source, path)
        code = re.sub(r"^\s*<\?php", "", code)
        code = re.sub(r"\?>\s*$", "", code)
        interp = _php.Interpreter(self.functions(), {})
        interp.constants = self.constants  # evaluation sees (and adds to) the constants defined so far
        interp.lenient = True
        for statement in _php._split(_php.strip_comments(code)):
            statement = statement.strip().rstrip(";")
            try:
                if statement.startswith("define("):
                    interp.eval(statement)
                elif m := re.fullmatch(r"\$(?!define\b|define_locales\b)(\w+)\s*=\s*(.*)", statement, re.S):
                    interp.vars[m.group(1)] = interp.eval(m.group(2))  # $store_name = zen_config('STORE_NAME');
                elif m := re.fullmatch(r"\$define(?:_locales)?\s*=\s*(\[.*\])", statement, re.S):
                    for name, value in interp.eval(m.group(1)).items():
                        self.constants.setdefault(name, value)
            except (KeyError, ValueError, TypeError, IndexError):
                continue  # a constant built from something this shop does not define stays undefined, as in PHP

    def __getitem__(self, name: str) -> Any:
        return self.constants[name]


class Currencies:
    def __init__(self, fmt: tuple[str, str, str, str]) -> None:
        self.left, self.right, self.decimal, self.thousands = fmt

    def format(self, amount: Decimal) -> str:  # noqa: A003 - Zen Cart's method name
        whole, _, cents = f"{amount:.2f}".partition(".")
        grouped = re.sub(r"(?<=\d)(?=(\d{3})+$)", self.thousands, whole)
        return f"{self.left}{grouped}{self.decimal}{cents}{self.right}"

    def display_price(self, price: Any, tax: Any, qty: Any = 1) -> str:
        return self.format(Decimal(str(price)) * int(qty))


class OrderObj:
    """``$this`` for the product-row expressions of order.php."""

    def __init__(self, order: Order) -> None:
        self.products = [
            {
                "qty": item.quantity,
                "name": html.escape(item.name, quote=False),
                "model": item.sku,
                "final_price": item.unit_price,
                "tax": 0,
                "onetime_charges": 0,
            }
            for item in order.items
        ]
        self.products_ordered_attributes = ""


def _rows(
    tree: SourceTree, source: Source, prefix: str, defines: Defines, order: Order, cur: Currencies
) -> tuple[str, str]:
    """(html rows, text rows) from the tree's own ``products_ordered_html .=`` / ``products_ordered .=`` expressions."""
    code = _php.strip_comments(tree.read(source, f"{prefix}includes/classes/order.php"))
    html_expr = re.search(r"\$this->products_ordered_html\s*\.=\s*(.*?);\s*\n", code, re.S)
    text_expr = re.search(r"\$this->products_ordered\s*\.=\s*(.*?);\s*\n", code, re.S)
    assert html_expr and text_expr, "order.php: product row expressions not found"
    this = OrderObj(order)
    functions = {**defines.functions(), "zen_output_string_protected": lambda s: s}
    interp = _php.Interpreter(functions, {"this": this, "currencies": cur})
    interp.constants.update(defines.constants)
    interp.constants.setdefault("TEXT_ONETIME_CHARGES_EMAIL", "")
    html_rows, text_rows = [], []
    for i in range(len(this.products)):
        interp.vars["i"] = i
        html_rows.append(_php.php_str(interp.eval(html_expr.group(1))))
        text_rows.append(_php.php_str(interp.eval(text_expr.group(1))))
    return "".join(html_rows), "".join(text_rows)


def _strftime(fmt: str, when: Any, locale: str) -> str:
    """``DATE_FORMAT_LONG`` ("%A %d %B, %Y") with the locale's day and month names."""
    parts = {
        "%A": format_date(when, "EEEE", locale=locale),
        "%d": f"{when.day:02d}",
        "%B": format_date(when, "LLLL", locale=locale),
        "%Y": str(when.year),
    }
    return re.sub(r"%[AdBY]", lambda m: parts[m.group(0)], fmt)


def render(tree: SourceTree) -> Iterator[Sample]:
    for lang, (source, prefix, folder, payment, store, money_fmt) in TREES.items():
        defines = Defines(tree, source, store)
        lang_dir = f"{prefix}includes/languages"
        for name in (
            f"lang.{folder}.php",
            f"{folder}.php",
            f"{folder}/lang.checkout_process.php",
            f"{folder}/checkout_process.php",
            f"{folder}/lang.email_extras.php",
            f"{folder}/email_extras.php",
            f"{folder}/modules/order_total/lang.ot_subtotal.php",
            f"{folder}/modules/order_total/ot_subtotal.php",
            f"{folder}/modules/order_total/lang.ot_shipping.php",
            f"{folder}/modules/order_total/ot_shipping.php",
            f"{folder}/modules/order_total/lang.ot_total.php",
            f"{folder}/modules/order_total/ot_total.php",
            f"{folder}/modules/shipping/lang.flat.php",
            f"{folder}/modules/shipping/flat.php",
            f"{folder}/modules/payment/lang.{payment}.php",
            f"{folder}/modules/payment/{payment}.php",
            f"{folder}/modules/lang.create_account_send_email.php",
            f"{folder}/create_account.php",
        ):
            if tree.exists(source, f"{lang_dir}/{name}"):
                defines.load(f"{lang_dir}/{name}")
        template = tree.read(source, f"{prefix}email/email_template_checkout.html")
        css = tree.read(source, f"{prefix}email/email_common.css")
        cur = Currencies(money_fmt)
        for n, order in enumerate(orders(lang, ORDERS_PER_LANGUAGE, seed="zencart", start=7 + 5 * len(lang))):
            yield _sample(tree, source, prefix, defines, cur, order, lang, payment, template, css, n)
        welcome = tree.read(source, f"{prefix}email/email_template_welcome.html")
        for n, order in enumerate(orders(lang, WELCOMES_PER_LANGUAGE, seed="zencart-welcome")):
            yield _welcome(defines, order, lang, welcome, css, n)


def _mail_text(text: str, d: Defines) -> str:
    """``zen_mail``'s text part: tags stripped, the spam disclaimer appended when the language defines one."""
    text = re.sub(r"</?[a-zA-Z][^>]*>", "", text)
    spam = d.constants.get("EMAIL_SPAM_DISCLAIMER", "")
    if spam and spam not in text:
        text += "\n\n" + spam
    return html.unescape(text)


def _defaults(d: Defines, css: str) -> dict[str, Any]:
    """``Email::setTemplateVarsFromDefines`` / ``zen_build_html_email_from_template``: the blocks every e-mail gets."""
    owner = d["STORE_OWNER_EMAIL_ADDRESS"]
    return {
        "EMAIL_COMMON_CSS": css,
        "EMAIL_LOGO_FILE": "https://store.example/email/" + str(d.constants.get("EMAIL_LOGO_FILENAME", "header.jpg")),
        "EMAIL_LOGO_ALT_TEXT": d.constants.get("EMAIL_LOGO_ALT_TEXT", ""),
        "EMAIL_LOGO_ALT_TITLE_TEXT": d.constants.get("EMAIL_LOGO_ALT_TITLE_TEXT", ""),
        "EMAIL_LOGO_WIDTH": d.constants.get("EMAIL_LOGO_WIDTH", ""),
        "EMAIL_LOGO_HEIGHT": d.constants.get("EMAIL_LOGO_HEIGHT", ""),
        "EXTRA_HEADER_INFO": d.constants.get("EMAIL_EXTRA_HEADER_INFO", ""),
        "EMAIL_STORE_NAME": d["STORE_NAME"],
        "EMAIL_FOOTER_COPYRIGHT": d["EMAIL_FOOTER_COPYRIGHT"],
        "EMAIL_DISCLAIMER": _php.sprintf(d["EMAIL_DISCLAIMER"], f'<a href="mailto:{owner}">{owner}</a>'),
        "EMAIL_SPAM_DISCLAIMER": d.constants.get("EMAIL_SPAM_DISCLAIMER", ""),
        "BASE_HREF": "https://store.example/",
        "CHARSET": d["CHARSET"],
        "COUPON_BLOCK": "",
        "GV_BLOCK": "",
        "EXTRA_INFO": "",
    }


def _fill(template: str, msg: dict[str, Any]) -> str:
    body = template.replace("\t", " ")
    body = re.sub(r'<div class="extra-info">\s?\$EXTRA_INFO\s?</div>', "", body)
    for key, value in msg.items():
        body = body.replace("$" + key, _php.php_str(value))
    return body


def _welcome(d: Defines, order: Order, lang: str, template: str, css: str, n: int) -> Sample:
    """create_account(_send_email).php: the welcome e-mail, with the shop's default ACCOUNT_GENDER = 'true'."""
    c = order.customer
    greeting = _php.sprintf(d["EMAIL_GREET_MR" if GENDERS[c.first] == "m" else "EMAIL_GREET_MS"], c.last)
    owner = d["STORE_OWNER_EMAIL_ADDRESS"]
    msg = {
        "EMAIL_GREETING": greeting.replace("\\n", ""),
        "EMAIL_FIRST_NAME": c.first,
        "EMAIL_LAST_NAME": c.last,
        "EMAIL_WELCOME": (d["EMAIL_WELCOME"]).replace("\\n", ""),
        "EMAIL_MESSAGE_HTML": d["EMAIL_TEXT"].replace("\\n", ""),
        "EMAIL_CONTACT_OWNER": d["EMAIL_CONTACT"].replace("\\n", ""),
        "EMAIL_CLOSURE": d["EMAIL_GV_CLOSURE"].replace("\n", "<br />\n"),
    }
    msg = {**_defaults(d, css), **msg}
    msg["EMAIL_DISCLAIMER"] = _php.sprintf(d["EMAIL_DISCLAIMER_NEW_CUSTOMER"], f'<a href="mailto:{owner}">{owner} </a>')
    text = (
        greeting
        + d["EMAIL_WELCOME"]
        + "\n\n"
        + d["EMAIL_TEXT"]
        + d["EMAIL_CONTACT"]
        + d["EMAIL_GV_CLOSURE"]
        + "\n\n"
        + _php.sprintf(d["EMAIL_DISCLAIMER_NEW_CUSTOMER"], owner)
        + "\n\n"
    )
    return Sample(
        name=f"{lang}_account_welcome_{n + 1}",
        subject=html.unescape(d["EMAIL_SUBJECT"]),
        html=_fill(template, msg),
        text=_mail_text(text, d),
        labels={
            "kind": "account",
            "language": lang,
            "greeting": {"name": c.last},  # "Dear Ms. Cooper," - Zen Cart greets by title and last name
            "order_number": None,
            "items": [],
            "total": None,
        },
        sender=f"{d['STORE_NAME']} <orders@store.example>",
        to=c.email,
        date=order.created,
    )


def _sample(
    tree: SourceTree,
    source: Source,
    prefix: str,
    d: Defines,
    cur: Currencies,
    order: Order,
    lang: str,
    payment: str,
    template: str,
    css: str,
    n: int,
) -> Sample:
    c = order.customer
    number = order.number
    date_long = _strftime(d["DATE_FORMAT_LONG"], order.created, LOCALES[lang])
    url = d.functions()["zen_href_link"]("account_history_info", f"order_id={number}")
    rows_html, rows_text = _rows(tree, source, prefix, d, order, cur)
    shipping_method = f"{d['MODULE_SHIPPING_FLAT_TEXT_TITLE']} ({d['MODULE_SHIPPING_FLAT_TEXT_WAY']})"
    totals = [
        (d["MODULE_ORDER_TOTAL_SUBTOTAL_TITLE"], cur.format(order.subtotal)),
        (f"{shipping_method}:", cur.format(order.shipping)),
        (d["MODULE_ORDER_TOTAL_TOTAL_TITLE"], cur.format(order.total)),
    ]
    payment_title = d[PAYMENT_TITLE[payment]]
    address_html = "<br>".join(html.escape(x) for x in (c.full, c.street, f"{c.postcode} {c.city}", c.country))
    address_text = "\n".join((c.full, c.street, f"{c.postcode} {c.city}", c.country))

    # order::send_order_email, the customer's copy
    html_ot = (
        '<tr><td class="order-totals-text" align="right" width="100%">&nbsp;</td> \n'
        '<td class="order-totals-num" align="right" nowrap="nowrap">---------</td> </tr>\n'
    )
    for title, text in totals:
        html_ot += (
            f'<tr><td class="order-totals-text" align="right" width="100%">{title}</td> \n'
            f'<td class="order-totals-num" align="right" nowrap="nowrap">{text}</td> </tr>\n'
        )
    msg: dict[str, Any] = {
        "EMAIL_TEXT_HEADER": d["EMAIL_TEXT_HEADER"],
        "EMAIL_TEXT_FROM": d["EMAIL_TEXT_FROM"],
        "INTRO_STORE_NAME": d["STORE_NAME"],
        "EMAIL_THANKS_FOR_SHOPPING": d["EMAIL_THANKS_FOR_SHOPPING"],
        "EMAIL_DETAILS_FOLLOW": d["EMAIL_DETAILS_FOLLOW"],
        "INTRO_ORDER_NUM_TITLE": d["EMAIL_TEXT_ORDER_NUMBER"],
        "INTRO_ORDER_NUMBER": number,
        "INTRO_DATE_TITLE": d["EMAIL_TEXT_DATE_ORDERED"],
        "INTRO_DATE_ORDERED": date_long,
        "INTRO_URL_TEXT": d["EMAIL_TEXT_INVOICE_URL_CLICK"],
        "INTRO_URL_VALUE": url,
        "EMAIL_CUSTOMER_PHONE": c.phone,
        "EMAIL_TEXT_TELEPHONE": d.constants.get("EMAIL_TEXT_TELEPHONE", ""),  # not in the 1.5 trees' files
        "ORDER_COMMENTS": "",
        "PRODUCTS_TITLE": d["EMAIL_TEXT_PRODUCTS"],
        "PRODUCTS_DETAIL": '<table class="product-details" border="0" width="100%" cellspacing="0" cellpadding="2">'
        + rows_html
        + "</table>",
        "ORDER_TOTALS": f'<table border="0" width="100%" cellspacing="0" cellpadding="2"> {html_ot} </table>',
        "HEADING_ADDRESS_INFORMATION": d["HEADING_ADDRESS_INFORMATION"],
        "ADDRESS_DELIVERY_TITLE": d["EMAIL_TEXT_DELIVERY_ADDRESS"],
        "ADDRESS_DELIVERY_DETAIL": address_html,
        "SHIPPING_METHOD_TITLE": d["HEADING_SHIPPING_METHOD"],
        "SHIPPING_METHOD_DETAIL": shipping_method,
        "ADDRESS_BILLING_TITLE": d["EMAIL_TEXT_BILLING_ADDRESS"],
        "ADDRESS_BILLING_DETAIL": address_html,
        "PAYMENT_METHOD_TITLE": d["EMAIL_TEXT_PAYMENT_METHOD"],
        "PAYMENT_METHOD_DETAIL": payment_title,
        "PAYMENT_METHOD_FOOTER": "",
        "EMAIL_ORDER_MESSAGE": d.constants.get("EMAIL_ORDER_MESSAGE", ""),
        "EMAIL_FIRST_NAME": c.first,
        "EMAIL_LAST_NAME": c.last,
        "EXTRA_INFO": "",
    }
    greeting = ""
    if "EMAIL_GREETING_NEUTRAL" in d.constants:  # the German distribution greets by the customer's gender
        gender = GENDERS.get(c.first, "")
        greeting = d[{"m": "EMAIL_GREETING_MR", "f": "EMAIL_GREETING_MS"}.get(gender, "EMAIL_GREETING_NEUTRAL")]
        msg["EMAIL_GREETING"] = greeting
    owner = d["STORE_OWNER_EMAIL_ADDRESS"]
    msg.update(_defaults(d, css))
    body = _fill(template, msg)

    text = (
        f"{d['EMAIL_TEXT_HEADER']}{d['EMAIL_TEXT_FROM']}{d['STORE_NAME']}\n\n"
        + (f"{greeting} " if greeting else "")
        + f"{c.first} {c.last}\n\n"
        f"{d['EMAIL_THANKS_FOR_SHOPPING']}\n{d['EMAIL_DETAILS_FOLLOW']}\n{d['EMAIL_SEPARATOR']}\n"
        f"{d['EMAIL_TEXT_ORDER_NUMBER']} {number}\n{d['EMAIL_TEXT_DATE_ORDERED']} {date_long}\n"
        f"{d['EMAIL_TEXT_INVOICE_URL']} {url}\n\n"
        f"{d['EMAIL_TEXT_PRODUCTS']}\n{d['EMAIL_SEPARATOR']}\n{rows_text}{d['EMAIL_SEPARATOR']}\n"
        + "".join(f"{re.sub(r'<[^>]+>', '', t)} {re.sub(r'<[^>]+>', '', v)}\n" for t, v in totals)
        + f"\n{d['EMAIL_TEXT_DELIVERY_ADDRESS']}\n{d['EMAIL_SEPARATOR']}\n{address_text}\n"
        + (f"{d['EMAIL_TEXT_TELEPHONE']}{c.phone}\n\n" if "EMAIL_TEXT_TELEPHONE" in d.constants else "")
        + f"\n{d['EMAIL_TEXT_BILLING_ADDRESS']}\n{d['EMAIL_SEPARATOR']}\n{address_text}\n\n"
        f"{d['EMAIL_TEXT_PAYMENT_METHOD']}\n{d['EMAIL_SEPARATOR']}\n{payment_title}\n\n"
        f"\n-----\n{_php.sprintf(d['EMAIL_DISCLAIMER'], owner)}\n\n"
        f"\n-----\n{d['EMAIL_FOOTER_COPYRIGHT']}\n\n"
    ).replace("&nbsp;", " ")
    subject = f"{d['EMAIL_TEXT_SUBJECT']}{d['EMAIL_ORDER_NUMBER_SUBJECT']}{number}"
    labels = {
        "kind": "order_confirmation",
        "language": lang,
        "greeting": {"name": f"{c.first} {c.last}"},  # "$EMAIL_FIRST_NAME $EMAIL_LAST_NAME," on a line of its own
        "order_number": number,
        "items": item_labels(order, unit_price=False),  # "2 x Name (model)  <price x qty>"
        "currency": order.currency,
        "subtotal": str(order.subtotal),
        "shipping": str(order.shipping),
        "total": str(order.total),
        "delivery_estimate": None,
    }
    return Sample(
        name=f"{lang}_order_confirmation_checkout_{n + 1}",
        subject=html.unescape(subject),
        html=body,
        text=_mail_text(text, d),
        labels=labels,
        sender=f"{d['STORE_NAME']} <orders@store.example>",
        to=c.email,
        date=order.created,
    )
