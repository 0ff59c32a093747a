"""WooCommerce 7.6: customer emails from the plugin's own PHP email templates and the WordPress.org language packs.

Source: a public WordPress site (Laos22/show.net) that carries WooCommerce
7.6.0 unmodified in ``wp-content/plugins/woocommerce`` and the WordPress.org
translations in ``wp-content/languages/plugins/woocommerce-<locale>.po`` (the
WooCommerce repository itself is too large to snapshot here).

Interpreted from the sources at render time: every template
(``templates/emails/customer-*.php``, ``email-header.php``,
``email-footer.php``, ``email-order-details.php``, ``email-order-items.php``,
``email-addresses.php``, ``email-styles.php``) is run by the small PHP
interpreter in ``_php.py`` (markup, if/else, foreach, printf, the
expressions); each email's default subject, heading and additional content
are read from its class in ``includes/emails/class-wc-email-*.php``; every
string goes through the .po file (``babel.messages.pofile``). The en, de and
pl shops send "multipart" e-mail: their text part is the ``plain/`` variant of
each template, post-processed as ``WC_Email::get_content`` does (tags
stripped, the class's own ``$plain_search``/``$plain_replace`` entity rules
read from class-wc-email.php, wrapped at 70 columns) - so an entity it has no
rule for disappears (the "ł" of "zł", the apostrophe WordPress escaped as &#039;).

Hand-supplied (what WordPress and WooCommerce's PHP classes do): the meaning
of each WordPress/WooCommerce function the templates call, the order totals'
rows as ``WC_Order::get_order_item_totals`` builds them (subtotal, shipping
"via ...", payment method, refund, total, with the labels from the .po), the
hooks' wiring (header, order details, addresses, footer, as ``WC_Emails``
hooks them), ``wc_price`` with the store settings a shop in each market would
pick (symbol after the amount with a space and "," decimals for pl/ru/uk/de,
"." thousands for de, symbol first for en/zh), dates in CLDR's long format
instead of WordPress's ``date_format`` option, and the styles of
``email-styles.php`` put in a <style> block instead of inlined by Emogrifier.
The JSON-LD that WC_Structured_Data adds is not rendered.
"""

from __future__ import annotations

import html
import io
import re
import textwrap
from collections.abc import Callable, Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any

from babel.dates import format_date
from babel.messages.pofile import read_po

from ..common import Sample, Source, SourceTree
from ..orders import LOCALES, Item, Order, item_labels, orders
from . import _php

SITE = Source("Laos22/show.net", "e8f85e6c83ab04520ef14ed4780241f42507b8c9", "GPL-3.0-or-later", "both")
SOURCES = [SITE]
PLUGIN = "wp-content/plugins/woocommerce"
EMAILS = f"{PLUGIN}/templates/emails"
PO = {
    "en": None,
    "pl": "pl_PL",
    "ru": "ru_RU",
    "uk": "uk",
    "de": "de_DE",
    "zh": "zh_CN",
}
# blog name, currency symbol (as get_woocommerce_currency_symbol gives it), position, thousands, decimals
STORE: dict[str, tuple[str, str, str, str, str]] = {
    "en": ("Northwind Outfitters", "&#36;", "left", ",", "."),
    "pl": ("Sklep Północny", "z&#322;", "right_space", " ", ","),
    "ru": ("Северный магазин", "&#8381;", "right_space", " ", ","),
    "uk": ("Північна крамниця", "&#8372;", "right_space", " ", ","),
    "de": ("Nordwind Ausstatter", "&euro;", "right_space", ".", ","),
    "zh": ("北风商城", "&yen;", "left", ",", "."),
}
# the e-mail type each shop chose in WooCommerce > Settings > Emails: "multipart" adds the plain/ templates' text
MULTIPART = {"en", "de", "pl"}
# template, class file, kind, orders per language
TEMPLATES: list[tuple[str, str, str, int]] = [
    ("customer-processing-order", "customer-processing-order", "order_confirmation", 2),
    ("customer-on-hold-order", "customer-on-hold-order", "order_confirmation", 1),
    ("customer-completed-order", "customer-completed-order", "shipping", 1),
    ("customer-invoice", "customer-invoice", "invoice", 1),
    ("customer-refunded-order", "customer-refunded-order", "refund", 1),
    ("customer-note", "customer-note", "other", 1),
    ("customer-new-account", "customer-new-account", "account", 1),
    ("customer-reset-password", "customer-reset-password", "account", 1),
]
NOTES = {
    "en": "Your parcel leaves our warehouse tomorrow morning.",
    "pl": "Paczka opuści nasz magazyn jutro rano.",
    "ru": "Посылка покинет наш склад завтра утром.",
    "uk": "Посилка залишить наш склад завтра вранці.",
    "de": "Ihr Paket verlässt morgen früh unser Lager.",
    "zh": "您的包裹将于明天上午从我们的仓库发出。",
}


class Translations:
    """``__()``, ``_x()`` against one WordPress.org .po file (English when there is none)."""

    def __init__(self, tree: SourceTree, language: str) -> None:
        self.table: dict[tuple[str | None, str], str] = {}
        locale = PO[language]
        if locale:
            raw = tree.read_bytes(SITE, f"wp-content/languages/plugins/woocommerce-{locale}.po")
            # GlotPress writes "2023-03-31 10:17:38+0000", which babel's header parser rejects; the date is unused
            raw = re.sub(rb'"PO-Revision-Date: [^"]*"\n', b"", raw, count=1)
            po = read_po(io.BytesIO(raw))
            for message in po:
                # WordPress keys a plural entry by its singular too: __( 'Product' ) finds "Product"/"Products"
                singular = message.id[0] if isinstance(message.id, tuple | list) else message.id
                string = message.string[0] if isinstance(message.string, tuple | list) else message.string
                if singular and string:
                    self.table.setdefault((message.context, singular), str(string))

    def __call__(self, text: str, context: str | None = None) -> str:
        return self.table.get((context, text), text)


class Product:
    def __init__(self, item: Item) -> None:
        self.item = item

    def get_sku(self) -> str:
        return self.item.sku

    def get_purchase_note(self) -> str:
        return ""

    def get_image(self, size: Any = None) -> str:
        return ""


class WCItem:
    def __init__(self, item: Item) -> None:
        self.item = item

    def get_product(self) -> Product:
        return Product(self.item)

    def get_name(self) -> str:
        return html.escape(self.item.name, quote=False)

    def get_quantity(self) -> int:
        return self.item.quantity


class WCDate:
    def __init__(self, when: datetime) -> None:
        self.when = when

    def format(self, fmt: str) -> str:  # noqa: A003 - WC_DateTime's method
        assert fmt == "c", fmt
        return self.when.isoformat()


class Store:
    """One language's shop: its translations, money format and the WordPress functions the templates call."""

    def __init__(self, tree: SourceTree, language: str) -> None:
        self.tree = tree
        self.language = language
        self.tr = Translations(tree, language)
        self.blogname, self.symbol, self.position, self.thousands, self.decimals = STORE[language]

    def wc_price(self, amount: Decimal) -> str:
        """As ``wc_price`` writes it (wc-formatting-functions.php): amount span, bdi, currency symbol span."""
        negative = amount < 0
        whole, _, cents = f"{abs(amount):.2f}".partition(".")
        grouped = re.sub(r"(?<=\d)(?=(\d{3})+$)", self.thousands, whole)
        price = f"{grouped}{self.decimals}{cents}"
        symbol = f'<span class="woocommerce-Price-currencySymbol">{self.symbol}</span>'
        fmt = "%1$s%2$s" if self.position == "left" else "%2$s&nbsp;%1$s"
        formatted = ("-" if negative else "") + _php.sprintf(fmt, symbol, price)
        return f'<span class="woocommerce-Price-amount amount"><bdi>{formatted}</bdi></span>'

    def date(self, when: WCDate) -> str:
        return format_date(when.when, "long", locale=LOCALES[self.language])

    def template(self, name: str, variables: dict[str, Any]) -> str:
        """``wc_get_template``: one template file run with its own variables."""
        source = self.tree.read(SITE, f"{EMAILS}/{name}")
        interp = _php.Interpreter(self.functions(variables), variables)
        return _php.render(_php.parse(source), interp)

    def functions(self, variables: dict[str, Any]) -> dict[str, Callable[..., Any]]:  # noqa: C901 - a table
        tr = self.tr
        esc = _esc_html
        out = _php.Out

        def hook(name: str, *args: Any) -> Any:
            return out(self.hook(name, variables, *args))

        return {
            "__": lambda s, d="": tr(s),
            "_x": lambda s, c, d="": tr(s, c),
            "esc_html__": lambda s, d="": esc(tr(s)),
            "esc_attr__": lambda s, d="": esc(tr(s)),
            "esc_html_e": lambda s, d="": out(esc(tr(s))),
            "_e": lambda s, d="": out(tr(s)),
            "esc_html": esc,
            "esc_attr": esc,
            "esc_url": lambda s: _php.php_str(s),
            "wp_kses_post": lambda s: _php.php_str(s),
            "wp_kses": lambda s, allowed=None: _php.php_str(s),
            "wptexturize": lambda s: _php.php_str(s),
            "wpautop": lambda s: f"<p>{s}</p>\n" if _php.truthy(s) else "",
            "make_clickable": lambda s: re.sub(r"(https?://[^\s<]+)", r'<a href="\1" rel="nofollow">\1</a>', s),
            "wp_specialchars_decode": lambda s, flags=None: html.unescape(s),
            "nl2br": lambda s: s.replace("\n", "<br />\n"),
            "do_shortcode": lambda s: s,
            "printf": lambda fmt, *a: out(_php.sprintf(fmt, *a)),
            "sprintf": _php.sprintf,
            "defined": lambda name: True,
            "is_rtl": lambda: False,
            "is_object": lambda v: v is not None,
            "language_attributes": lambda: out(f'lang="{LOCALES[self.language].replace("_", "-")}"'),
            "bloginfo": lambda what: out("UTF-8"),
            "get_bloginfo": lambda what, flt="": self.blogname if what == "name" else "UTF-8",
            "get_option": self.option,
            "apply_filters": lambda name, value, *a: (
                self.placeholders(value) if name == "woocommerce_email_footer_text" else value
            ),
            "do_action": hook,
            "wc_get_email_order_items": lambda order, args: out(self.order_items(order, args)),
            "wc_format_datetime": self.date,
            "wc_display_item_meta": lambda item, args=None: "" if args and args.get("echo") is False else out(""),
            "wp_strip_all_tags": lambda s: re.sub(r"<[^>]+>", "", _php.php_str(s)).strip(),
            "strip_tags": lambda s: re.sub(r"<[^>]+>", "", _php.php_str(s)),
            "wc_strtoupper": lambda s: _php.php_str(s).upper(),
            "preg_replace": _preg_replace,
            "wc_make_phone_clickable": lambda phone: f'<a href="tel:{re.sub(r"[^0-9+]", "", phone)}">{phone}</a>',
            "wc_ship_to_billing_address_only": lambda: False,
            "wc_get_page_permalink": lambda page: "https://store.example/my-account/",
            "wc_get_endpoint_url": lambda ep, value="", base="": f"{base}{ep}/",
            "add_query_arg": lambda args, url: url + "?" + "&".join(f"{k}={v}" for k, v in args.items()),
        }

    def option(self, name: str, default: Any = None) -> Any:
        return {
            "blogname": self.blogname,
            "woocommerce_email_header_image": "",
            "woocommerce_email_footer_text": "{site_title} &mdash; Built with {WooCommerce}",
            "woocommerce_registration_generate_password": "no",
        }[name]

    def placeholders(self, text: str) -> str:
        """``WC_Emails::replace_placeholders`` (footer text) and ``WC_Email::format_string``."""
        for key, value in {
            "{site_title}": self.blogname,
            "{site_address}": "store.example",
            "{site_url}": "store.example",
            "{woocommerce}": '<a href="https://woocommerce.com">WooCommerce</a>',
            "{WooCommerce}": '<a href="https://woocommerce.com">WooCommerce</a>',
        }.items():
            text = text.replace(key, value)
        return text

    # -- hooks, as WC_Emails wires them ----------------------------------------------------------
    def hook(self, name: str, variables: dict[str, Any], *args: Any) -> str:
        if name == "woocommerce_email_header":
            return self.template("email-header.php", {"email_heading": args[0], "email": args[1]})
        if name == "woocommerce_email_footer":
            return self.template("email-footer.php", {"email": args[0]})
        if name == "woocommerce_email_order_details":
            order, sent_to_admin, plain_text, email = args
            return self.template(
                "plain/email-order-details.php" if plain_text else "email-order-details.php",
                {"order": order, "sent_to_admin": sent_to_admin, "plain_text": plain_text, "email": email},
            )
        if name == "woocommerce_email_customer_details":
            order, sent_to_admin, plain_text, email = args
            name = "plain/email-addresses.php" if plain_text else "email-addresses.php"
            return self.template(name, {"order": order, "sent_to_admin": sent_to_admin})
        if name in (
            "woocommerce_email_order_meta",
            "woocommerce_email_before_order_table",
            "woocommerce_email_after_order_table",
            "woocommerce_order_item_meta_start",
            "woocommerce_order_item_meta_end",
        ):
            return ""
        raise KeyError(f"WooCommerce hook {name} not wired")

    def order_items(self, order: WCOrder, args: dict[str, Any]) -> str:
        """``wc_get_email_order_items``: email-order-items.php with the order's items."""
        variables = {
            "order": order,
            "items": {i + 1: WCItem(item) for i, item in enumerate(order.order.items)},
            "show_download_links": False,
            "show_sku": args["show_sku"],
            "show_purchase_note": False,
            "show_image": args["show_image"],
            "image_size": args["image_size"],
            "plain_text": args["plain_text"],
            "sent_to_admin": args["sent_to_admin"],
        }
        return self.template(
            "plain/email-order-items.php" if args["plain_text"] else "email-order-items.php", variables
        )


class WCOrder:
    """The ``WC_Order`` methods the templates call, for one fictional order."""

    def __init__(self, store: Store, order: Order, *, paid: bool = True, refunded: bool = False) -> None:
        self.store, self.order, self.paid, self.refunded = store, order, paid, refunded
        tr = store.tr
        self.shipping_method = tr("Flat rate")
        self.payment_title = tr("Direct bank transfer")

    def get_billing_first_name(self) -> str:
        return self.order.customer.first

    def get_order_number(self) -> str:
        return self.order.number

    def get_date_created(self) -> WCDate:
        return WCDate(self.order.created)

    def get_customer_note(self) -> str:
        return ""

    def needs_payment(self) -> bool:
        return not self.paid

    def has_status(self, status: str | list[str]) -> bool:
        current = "refunded" if self.refunded else ("processing" if self.paid else "pending")
        return current in ([status] if isinstance(status, str) else status)

    def needs_shipping_address(self) -> bool:
        return True

    def get_checkout_payment_url(self) -> str:
        return f"https://store.example/checkout/order-pay/{self.order.number}/?pay_for_order=true"

    def get_edit_order_url(self) -> str:
        return ""

    def get_qty_refunded_for_item(self, item_id: int) -> int:
        return 0

    def get_formatted_line_subtotal(self, item: WCItem) -> str:
        return self.store.wc_price(item.item.line_total)

    def _address(self) -> str:
        c = self.order.customer
        return "<br/>".join([c.full, c.street, f"{c.postcode} {c.city}", c.country])

    def get_formatted_billing_address(self) -> str:
        return self._address()

    def get_formatted_shipping_address(self) -> str:
        return self._address()

    def get_billing_phone(self) -> str:
        return self.order.customer.phone

    def get_billing_email(self) -> str:
        return self.order.customer.email

    def get_shipping_phone(self) -> str:
        return ""

    def get_order_item_totals(self) -> dict[str, dict[str, str]]:
        """``WC_Order::get_order_item_totals``: subtotal, shipping, payment method, refunds, total."""
        tr, price, o = self.store.tr, self.store.wc_price, self.order
        rows = {"cart_subtotal": {"label": tr("Subtotal:"), "value": price(o.subtotal)}}
        if o.shipping > 0:
            via = _php.sprintf(tr("via %s"), self.shipping_method)
            shipping = price(o.shipping) + f'&nbsp;<small class="shipped_via">{via}</small>'
        else:
            shipping = self.shipping_method
        rows["shipping"] = {"label": tr("Shipping:"), "value": shipping}
        rows["payment_method"] = {"label": tr("Payment method:"), "value": self.payment_title}
        total = price(o.total)
        if self.refunded:
            rows["refund_0"] = {"label": tr("Refund") + ":", "value": price(-o.total)}
            total = f'<del aria-hidden="true">{re.sub(r"<[^>]+>", "", total)}</del> <ins>{price(Decimal("0.00"))}</ins>'
        rows["order_total"] = {"label": tr("Total:"), "value": total}
        return rows


def _preg_replace(pattern: str, replacement: str, subject: str) -> str:
    """The one ``preg_replace`` the plain templates use: ``#<br\\s*/?>#i`` to a newline."""
    delimiter = pattern[0]
    body, _, flags = pattern[1:].rpartition(delimiter)
    return re.sub(body, replacement, subject, flags=re.I if "i" in flags else 0)


def plain_rules(tree: SourceTree) -> list[tuple[str, str]]:
    """``WC_Email::$plain_search`` / ``$plain_replace``, read from class-wc-email.php: the PCRE pattern and its text."""
    source = _php.strip_comments(tree.read(SITE, f"{PLUGIN}/includes/emails/class-wc-email.php"))
    arrays = {}
    for name in ("plain_search", "plain_replace"):
        m = re.search(rf"public \${name} = array\(", source)
        assert m, name
        arrays[name] = _php.Interpreter({}, {}).eval(source[m.end() - 6 : _php._close(source, m.end() - 1)])
    return list(zip(arrays["plain_search"], arrays["plain_replace"], strict=True))


def plain_content(text: str, rules: list[tuple[str, str]]) -> str:
    """``WC_Email::get_content`` for plain text: tags stripped, the entity rules applied in order, wrapped at 70."""
    text = re.sub(r"<[^>]+>", "", text).strip()
    for pattern, replacement in rules:
        body, _, flags = pattern[1:].rpartition(pattern[0])
        text = re.sub(body, replacement.replace("\\", "\\\\"), text, flags=re.I if "i" in flags else 0)
    lines = []
    for line in text.split("\n"):  # PHP's wordwrap( $text, 70 ): long lines break at spaces, words stay whole
        lines.append(textwrap.fill(line, 70, break_long_words=False, replace_whitespace=False) if line else line)
    return "\n".join(lines)


def _esc_html(value: Any) -> str:
    """``esc_html``: WordPress escapes markup but never double-encodes an entity such as &mdash;."""
    text = html.escape(_php.php_str(value), quote=False).replace('"', "&quot;").replace("'", "&#039;")
    return re.sub(r"&amp;(#?\w+;)", r"&\1", text)


def _defaults(tree: SourceTree, klass: str) -> dict[str, list[str]]:
    """The ``__( '...' )`` strings each get_default_* method of the email's class returns, in order."""
    source = tree.read(SITE, f"{PLUGIN}/includes/emails/class-wc-email-{klass}.php")
    out: dict[str, list[str]] = {}
    for m in re.finditer(r"function get_default_(subject|heading|additional_content)\b.*?\n\t\t}", source, re.S):
        out[m.group(1)] = [_php._unquote(s) for s in re.findall(r"__\(\s*('(?:[^'\\]|\\.)*')", m.group(0))]
    return out


def _styles(store: Store) -> str:
    """email-styles.php is PHP that prints CSS from the colour options; run it like the templates."""
    source = store.tree.read(SITE, f"{EMAILS}/email-styles.php")
    functions = store.functions({})
    functions.update(
        {
            "wc_hex_is_light": lambda c: c.lower() in ("#ffffff", "#f7f7f7"),
            "wc_light_or_dark": lambda c, dark, light: dark,
            "wc_hex_darker": lambda c, f=0: c,
            "wc_hex_lighter": lambda c, f=0: c,
            "sanitize_hex_color": lambda c: c,
        }
    )
    colours = {
        "woocommerce_email_background_color": "#f7f7f7",
        "woocommerce_email_body_background_color": "#ffffff",
        "woocommerce_email_base_color": "#7f54b3",
        "woocommerce_email_text_color": "#3c3c3c",
    }
    functions["get_option"] = lambda name, default=None: colours[name]
    return _php.render(_php.parse(source), _php.Interpreter(functions, {}))


def render(tree: SourceTree) -> Iterator[Sample]:
    for lang in PO:
        store = Store(tree, lang)
        styles = _styles(store)
        rules = plain_rules(tree)
        pool = orders(lang, sum(n for *_, n in TEMPLATES), seed="woocommerce", start=1053)
        k = 0
        for template, klass, kind, count in TEMPLATES:
            defaults = _defaults(tree, klass)
            for j in range(count):
                order = pool[k]
                k += 1
                wc = WCOrder(store, order, paid=True, refunded=kind == "refund")
                username = order.customer.email.split("@")[0]
                pick = 0  # invoice: the "paid" subject/heading come first; refunded: the partial ones come first
                if klass == "customer-refunded-order":
                    pick = 1
                subject = defaults["subject"][pick if len(defaults["subject"]) > 1 else 0]
                heading = defaults["heading"][pick if len(defaults["heading"]) > 1 else 0]
                replace = {"{order_number}": order.number, "{order_date}": store.date(WCDate(order.created))}

                def fmt(text: str, replace: dict[str, str] = replace, store: Store = store) -> str:
                    text = store.placeholders(store.tr(text))
                    for key, value in replace.items():
                        text = text.replace(key, value)
                    return text

                variables = {
                    "order": wc,
                    "email_heading": fmt(heading),
                    "additional_content": fmt(defaults["additional_content"][0]),
                    "sent_to_admin": False,
                    "plain_text": False,
                    "email": object(),
                    "partial_refund": False,
                    "customer_note": NOTES[lang],
                    "user_login": username,
                    "user_id": 40 + k,
                    "reset_key": f"Xk3q9PzL2m{k:02d}",
                    "blogname": store.blogname,
                    "password_generated": False,
                    "set_password_url": "",
                }
                body = store.template(f"{template}.php", variables)
                text = None
                if lang in MULTIPART:
                    plain = store.template(f"plain/{template}.php", {**variables, "plain_text": True})
                    text = plain_content(plain, rules)
                body = body.replace("</head>", f'<style type="text/css">{styles}</style>\n</head>', 1)
                yield Sample(
                    name=f"{lang}_{kind}_{template}_{j + 1}",
                    subject=html.unescape(fmt(subject)),
                    html=body,
                    text=text,
                    labels=_labels(order, kind, lang, username),
                    sender=f"{store.blogname} <wordpress@store.example>",
                    to=order.customer.email,
                    date=order.created,
                )


def _labels(order: Order, kind: str, lang: str, username: str) -> dict[str, Any]:
    labels: dict[str, Any] = {"kind": kind, "language": lang}
    if kind == "account":
        labels.update(greeting={"name": username}, order_number=None, items=[], total=None)
        return labels
    labels["greeting"] = {"name": order.customer.first}
    labels["order_number"] = order.number
    labels["items"] = item_labels(order, unit_price=False)
    labels["currency"] = order.currency
    labels["subtotal"] = str(order.subtotal)
    if order.shipping > 0:
        labels["shipping"] = str(order.shipping)
    if kind != "refund":  # a refund shows the old total struck through and 0 beside it
        labels["total"] = str(order.total)
    labels["delivery_estimate"] = None
    return labels
