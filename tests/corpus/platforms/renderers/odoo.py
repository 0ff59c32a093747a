"""Odoo 18.0: its own ``mail.template`` records (sale, stock, account, website_sale) and their ``.po`` translations.

Source: odoo/odoo is far over the snapshot size limit, so this reads a public
repository that vendors Odoo 18.0 (``odoo/release.py`` says 18.0 FINAL; its
own commits after adding Odoo touch only ``addons/website/models/website.py``
and Docker files). That copy is rebranded: the word "Odoo" is replaced by
"Qplexity" throughout (comments, .po headers, "Powered by" links). No template
or translation text rendered here contains the name, and templates whose
output would carry the rebranded text (``auth_signup``'s account mails with
their "Powered by" footer) are left out.

What is read at render time, from the pinned commit:
- each template's ``subject`` and ``body_html`` from ``addons/<module>/data/mail_template_data.xml``;
- the translation of both fields from ``addons/<module>/i18n/<lang>.po``: in
  Odoo 18 a template's body and subject are translated as whole values
  (``#: model:mail.template,body_html:<xmlid>``), so the language's msgstr
  replaces the English field, and an empty msgstr falls back to English; a
  template/language whose body has no translation is left out here rather
  than rendered half-English, and so is one whose translated subject is not a
  valid expression any more (Odoo cannot render it either);
- strings the model computes with ``_()`` (``type_name``: "Quotation") and
  the unit of measure name, from the same ``.po`` files;
- money as Odoo's ``format_amount`` writes it: the currency's symbol and
  position from ``odoo/addons/base/data/res_currency_data.xml``, the
  language's separators and grouping from ``odoo/addons/base/data/res.lang.csv``.

The bodies are QWeb, interpreted by ``tests/corpus/platforms/qweb.py`` over
fake records carrying the fields the templates read. Not reproduced: the
notification layout Odoo wraps a template in (``mail.mail_notification_layout``
and its responsible-signature variant: in this copy its footer is rebranded,
and it needs the portal access button, tracking values and the record's
responsible user, which would all be invented here), and the
plain-text alternative Odoo derives with ``html2plaintext``: the messages are
the rendered template body alone, HTML only.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from typing import Any

import lxml.html
from lxml import etree
from markupsafe import Markup

from tests.corpus.platforms.common import Sample, Source, SourceTree
from tests.corpus.platforms.orders import Order, item_labels, orders
from tests.corpus.platforms.qweb import EMPTY, Rec, render_inline
from tests.corpus.platforms.qweb import render as render_qweb

ODOO = Source("sajjatdev/odoo-docker", "14e669ee0de9836268beae5c3abf0398952f0150", "LGPL-3.0", "both")
SOURCES = [ODOO]

PO_LANG = {"pl": "pl", "ru": "ru", "uk": "uk", "de": "de", "zh": "zh_CN"}
ODOO_LANG = {"en": "en_US", "pl": "pl_PL", "ru": "ru_RU", "uk": "uk_UA", "de": "de_DE", "zh": "zh_CN"}
COMPANY = "Northwind Supplies"
SENDER = f'"{COMPANY}" <sales@store.example>'


# --- reading Odoo's files ------------------------------------------------------------------------


def read_po(text: str) -> list[tuple[list[str], str, str]]:
    """Entries of a .po file as (references, msgid, msgstr): Odoo keys model translations by the ``#:`` reference."""
    entries = []
    for block in re.split(r"\n[ \t]*\n", text):
        refs: list[str] = []
        parts: dict[str, list[str]] = {"msgid": [], "msgstr": [], "msgctxt": []}
        current = None
        for line in block.splitlines():
            if line.startswith("#:"):
                refs += line[2:].split()
            elif line.startswith("#"):
                continue
            elif m := re.match(r'(msgid|msgstr|msgctxt)\s+(".*")\s*$', line):
                current = m.group(1)
                parts[current].append(m.group(2))
            elif line.startswith('"') and current:
                parts[current].append(line.strip())
        if parts["msgid"]:
            entries.append((refs, _unquote(parts["msgid"]), _unquote(parts["msgstr"])))
    return entries


def _unquote(chunks: list[str]) -> str:
    joined = "".join(c[1:-1] for c in chunks)
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t", "r": "\r"}.get(m.group(1), m.group(1)), joined)


@cache
def _po(tree: SourceTree, module: str, lang: str) -> tuple[dict[str, str], dict[str, str]]:
    """(model translations by reference, code translations by msgid) of one module's .po for ``lang``."""
    if lang == "en":
        return {}, {}
    by_ref: dict[str, str] = {}
    by_id: dict[str, str] = {}
    for refs, msgid, msgstr in read_po(tree.read(ODOO, f"addons/{module}/i18n/{PO_LANG[lang]}.po")):
        for ref in refs:
            by_ref[ref] = msgstr
        if msgstr:
            by_id.setdefault(msgid, msgstr)
    return by_ref, by_id


def _gettext(tree: SourceTree, module: str, lang: str, msgid: str) -> str:
    """What ``_()`` returns in ``module`` for ``lang``: the msgstr, or the English text."""
    return _po(tree, module, lang)[1].get(msgid, msgid)


@cache
def _template(tree: SourceTree, module: str, xmlid: str) -> dict[str, etree._Element]:
    """The fields of one ``mail.template`` record, as elements of its data file."""
    root = etree.fromstring(tree.read_bytes(ODOO, f"addons/{module}/data/mail_template_data.xml"))
    for record in root.iter("record"):
        if record.get("model") == "mail.template" and record.get("id") in (xmlid, f"{module}.{xmlid}"):
            return {f.get("name"): f for f in record.iter("field")}
    raise KeyError(f"{module}.{xmlid}: no such mail.template")


def template_fields(tree: SourceTree, module: str, xmlid: str, lang: str) -> tuple[str, etree._Element] | None:
    """(subject, body root) in ``lang``, or None when the language has no translation of the body."""
    fields = _template(tree, module, xmlid)
    subject = fields["subject"].text or ""
    body: etree._Element = fields["body_html"]
    if lang != "en":
        by_ref = _po(tree, module, lang)[0]
        translated = by_ref.get(f"model:mail.template,body_html:{module}.{xmlid}")
        if not translated:
            return None
        subject = by_ref.get(f"model:mail.template,subject:{module}.{xmlid}") or subject
        # Odoo stores the body HTML-serialised: parse the translation as HTML, as the database value is
        body = lxml.html.fragment_fromstring(translated, create_parent="div")
    return subject, body


# --- money as Odoo's format_amount writes it -----------------------------------------------------


@cache
def _currencies(tree: SourceTree) -> dict[str, tuple[str, str]]:
    root = etree.fromstring(tree.read_bytes(ODOO, "odoo/addons/base/data/res_currency_data.xml"))
    out = {}
    for record in root.iter("record"):
        if record.get("model") != "res.currency":
            continue
        fields = {f.get("name"): (f.text or "") for f in record.iter("field")}
        if "name" in fields:
            out[fields["name"]] = (fields.get("symbol", ""), fields.get("position") or "after")  # model default
    return out


@cache
def _lang_format(tree: SourceTree, code: str) -> tuple[str, str, bool]:
    for row in csv.DictReader(io.StringIO(tree.read(ODOO, "odoo/addons/base/data/res.lang.csv"))):
        if row["code"] == code:
            return row["decimal_point"], row["thousands_sep"], row["grouping"] not in ("[]", "")
    raise KeyError(code)


def format_amount(tree: SourceTree, amount: Decimal | float, currency: str, lang: str) -> str:
    """``odoo.tools.misc.format_amount``: grouped by the language, symbol before or after with a no-break space."""
    decimal_point, sep, grouped = _lang_format(tree, ODOO_LANG[lang])
    whole, _, frac = f"{float(amount):.2f}".partition(".")
    if grouped and sep:
        whole = f"{int(whole):,}".replace(",", sep)
    text = f"{whole}{decimal_point}{frac}".replace(" ", "\N{NO-BREAK SPACE}")
    symbol, position = _currencies(tree)[currency]
    return f"{symbol}\N{NO-BREAK SPACE}{text}" if position == "before" else f"{text}\N{NO-BREAK SPACE}{symbol}"


# --- fake records ---------------------------------------------------------------------------------


def _partner(order: Order, lang: str) -> Rec:
    c = order.customer
    return Rec(
        name=c.full,
        display_name=c.full,
        email=c.email,
        lang=ODOO_LANG[lang],
        street=c.street,
        city=c.city,
        zip=c.postcode,
        country_id=Rec(name=c.country),
        id=7,
    )


def _sale_order(tree: SourceTree, order: Order, lang: str, *, state: str = "sale") -> Rec:
    currency = Rec(name=order.currency, compare_amounts=lambda a, b: (a > b) - (a < b))
    partner = _partner(order, lang)
    unit = _uom_unit(tree, lang)
    lines = [
        Rec(
            product_id=Rec(name=i.name, display_name=i.name, id=100 + n),
            name=i.name,
            product_uom_qty=float(i.quantity),
            product_uom=Rec(name=unit),
            price_reduce_taxexcl=float(i.unit_price),
            price_reduce_taxinc=float(i.unit_price),
            price_subtotal=float(i.line_total),
            price_total=float(i.line_total),
            display_type=False,
            product_type="consu",
            is_delivery=False,
            is_downpayment=False,
            combo_item_id=EMPTY,
        )
        for n, i in enumerate(order.items)
    ]
    delivery_line = Rec(
        name="Standard delivery",
        is_delivery=True,
        display_type=False,
        product_type="service",
        price_subtotal=float(order.shipping),
        price_total=float(order.shipping),
        combo_item_id=EMPTY,
        is_downpayment=False,
    )
    total = float(order.total)
    transaction = Rec(
        state="done",
        reference=f"{order.number}-1",
        amount=total,
        provider_id=Rec(name="Stripe", sudo=lambda: Rec(name="Stripe")),
        token_id=EMPTY,
    )
    return Rec(
        name=order.number,
        state=state,
        type_name=_gettext(tree, "sale", lang, "Quotation" if state in ("draft", "sent", "cancel") else "Sales Order"),
        partner_id=partner,
        partner_invoice_id=partner,
        partner_shipping_id=partner,
        company_id=Rec(name=COMPANY),
        currency_id=currency,
        amount_total=total,
        amount_untaxed=float(order.subtotal + order.shipping),
        amount_tax=0.0,
        amount_delivery=float(order.shipping),
        amount_paid=total,
        order_line=[*lines, delivery_line],
        website_order_line=lines,
        website_id=Rec(show_line_subtotals_tax_selection="tax_excluded"),
        carrier_id=Rec(name="Standard delivery", carrier_description=False),
        only_services=False,
        access_token="3f1c2a9e",
        get_portal_last_transaction=lambda: transaction,
        _get_product_documents=lambda: [],
        get_base_url=lambda: "https://store.example",
        get_portal_url=lambda suffix="": f"https://store.example/my/orders/42{suffix}",
    )


def _uom_unit(tree: SourceTree, lang: str) -> str:
    return _po(tree, "uom", lang)[0].get("model:uom.uom,name:uom.product_uom_unit") or "Units"


def _values(tree: SourceTree, record: Rec, order: Order, lang: str) -> dict[str, Any]:
    return {
        "object": record,
        "user": Rec(signature=Markup(""), company_id=Rec(name=COMPANY), email_formatted=SENDER),
        "ctx": {},
        "format_amount": lambda amount, _currency: format_amount(tree, amount, order.currency, lang),
        "is_html_empty": lambda html: not (str(html or "").strip()),
    }


# --- the templates --------------------------------------------------------------------------------


def _sample(
    tree: SourceTree,
    module: str,
    xmlid: str,
    lang: str,
    record: Rec,
    order: Order,
    name: str,
    labels: dict[str, Any],
) -> Sample | None:
    fields = template_fields(tree, module, xmlid, lang)
    if fields is None:
        return None
    subject_template, body = fields
    values = _values(tree, record, order, lang)
    try:
        subject = render_inline(subject_template, values).strip()
    except SyntaxError:
        # a translator translated the expression itself ("object.name lub 'n/a'"): Odoo fails to render it too
        return None
    html = render_qweb(body, values, keep_root=False).strip()
    return Sample(
        name=name,
        subject=subject,
        html=html,
        text=None,
        labels={"language": lang, **labels},
        sender=SENDER,
        to=f"{order.customer.full} <{order.customer.email}>",
        date=order.created,
    )


def _money(amount: Decimal) -> str:
    return str(amount.quantize(Decimal("0.01")))


def render(tree: SourceTree) -> Iterator[Sample]:
    for lang in ("en", "pl", "ru", "uk", "de", "zh"):
        base = {"en": 40, "pl": 140, "ru": 240, "uk": 340, "de": 440, "zh": 540}[lang]
        samples: list[Sample | None] = []

        for n, order in enumerate(orders(lang, 3, seed="odoo-confirm", number="S{n:05d}", start=base), 1):
            samples.append(
                _sample(
                    tree, "sale", "mail_template_sale_confirmation", lang, _sale_order(tree, order, lang), order,
                    f"{lang}_order_confirmation_sale_confirmation_{n}",
                    {"kind": "order_confirmation", "greeting": {}, "order_number": order.number,
                     "items": item_labels(order, line_total=False), "currency": order.currency,
                     "total": _money(order.total), "shipping": _money(order.shipping), "delivery_estimate": None},
                )
            )  # fmt: skip

        for n, order in enumerate(orders(lang, 2, seed="odoo-paid", number="S{n:05d}", start=base + 10), 1):
            samples.append(
                _sample(
                    tree, "sale", "mail_template_sale_payment_executed", lang, _sale_order(tree, order, lang), order,
                    f"{lang}_payment_sale_payment_executed_{n}",
                    {"kind": "payment", "greeting": {}, "order_number": order.number, "items": [],
                     "currency": order.currency, "total": _money(order.total), "delivery_estimate": None},
                )
            )  # fmt: skip

        for n, order in enumerate(orders(lang, 1, seed="odoo-cancel", number="S{n:05d}", start=base + 20), 1):
            samples.append(
                _sample(
                    tree, "sale", "mail_template_sale_cancellation", lang,
                    _sale_order(tree, order, lang, state="cancel"), order,
                    f"{lang}_cancellation_sale_cancellation_{n}",
                    {"kind": "cancellation", "greeting": {"name": order.customer.full},
                     "order_number": order.number, "items": [], "total": None, "delivery_estimate": None},
                )
            )  # fmt: skip

        for n, order in enumerate(orders(lang, 2, seed="odoo-ship", number="WH/OUT/{n:05d}", start=base + 30), 1):
            picking = Rec(
                name=order.number,
                partner_id=_partner(order, lang),
                company_id=Rec(name=COMPANY),
                carrier_tracking_ref=f"1Z999AA1{base + n:010d}",
                carrier_tracking_url=False,
            )
            samples.append(
                _sample(
                    tree, "stock", "mail_template_data_delivery_confirmation", lang, picking, order,
                    f"{lang}_shipping_delivery_confirmation_{n}",
                    {"kind": "shipping", "greeting": {"name": order.customer.full}, "items": [], "total": None,
                     "delivery_estimate": None},
                )
            )  # fmt: skip

        for kind, xmlid, prefix, count in (
            ("invoice", "email_template_edi_invoice", "INV", 2),
            ("credit_memo", "email_template_edi_credit_note", "RINV", 1),
        ):
            for n, order in enumerate(orders(lang, count, seed=f"odoo-{kind}", number=f"{prefix}/2026/{{n:05d}}",
                                             start=base + 40), 1):  # fmt: skip
                move = Rec(
                    name=order.number,
                    partner_id=_partner(order, lang),
                    company_id=Rec(name=COMPANY),
                    currency_id=Rec(name=order.currency),
                    amount_total=float(order.total),
                    payment_state="not_paid",
                    payment_reference=order.number,
                    invoice_origin=False,
                    invoice_user_id=Rec(signature=Markup("")),
                )
                samples.append(
                    _sample(
                        tree, "account", xmlid, lang, move, order, f"{lang}_{kind}_{xmlid}_{n}",
                        {"kind": kind, "greeting": {"name": order.customer.full}, "order_number": order.number,
                         "items": [], "currency": order.currency, "total": _money(order.total),
                         "delivery_estimate": None},
                    )
                )  # fmt: skip

        for n, order in enumerate(
            orders(lang, 1, seed="odoo-receipt", number="PBNK1/2026/{n:05d}", start=base + 60), 1
        ):
            payment = Rec(
                name=order.number,
                partner_id=_partner(order, lang),
                company_id=Rec(name=COMPANY),
                currency_id=Rec(name=order.currency),
                amount=float(order.total),
            )
            samples.append(
                _sample(
                    tree, "account", "mail_template_data_payment_receipt", lang, payment, order,
                    f"{lang}_payment_payment_receipt_{n}",
                    # the receipt's own reference is shown, not an order's: no order_number label
                    {"kind": "payment", "greeting": {"name": order.customer.full}, "items": [],
                     "currency": order.currency, "total": _money(order.total), "delivery_estimate": None},
                )
            )  # fmt: skip

        for n, order in enumerate(orders(lang, 2, seed="odoo-cart", number="S{n:05d}", start=base + 50), 1):
            samples.append(
                _sample(
                    tree, "website_sale", "mail_template_sale_cart_recovery", lang,
                    _sale_order(tree, order, lang, state="draft"), order, f"{lang}_abandoned_cart_cart_recovery_{n}",
                    {"kind": "abandoned_cart", "greeting": None, "order_number": None,
                     "items": item_labels(order, unit_price=False, line_total=False), "total": None,
                     "delivery_estimate": None},
                )
            )  # fmt: skip

        yield from (s for s in samples if s is not None)
