"""Solidus: the core mailers' ERB views and layout, with Solidus's English and the solidus_i18n language pack.

What is read at render time (nothing here copies a string or a tag of theirs):
- solidus ``core/app/views/spree/{order_mailer,carton_mailer,reimbursement_mailer}/*.{html,text}.erb`` and the
  mailer layout ``core/app/views/layouts/spree/base_mailer.html.erb`` (with its header/footer partials), the
  subjects' shape from ``core/app/mailers/spree/*.rb`` (``"#{store.name} #{t('.subject')} ##{order.number}"``,
  reproduced here by hand), and the strings from ``core/config/locales/en.yml``;
- solidus_i18n ``config/locales/{pl,ru,uk,de,zh-CN}.yml`` for the other languages. A key missing or empty there
  falls back to English, as Rails does with ``config.i18n.fallbacks = true`` (Solidus's own test app sets it), so
  a partly translated mailer comes out partly English, literal ``\\n`` included where the pack has one;
- money as ``Spree::Money`` formats it (money gem 6.19, which Solidus's ``monetize ~> 1.8`` resolves to, with
  ``Money.locale_backend = :i18n``): symbol, symbol position and format from the gem's ``currency_iso.json``,
  thousands delimiter and decimal separator from the rails-i18n locale (``number.currency.format``) that
  solidus_i18n's README asks for.

The ERB is interpreted, not hand-translated: ``ErbTemplate`` compiles the template the way Erubi does with
Rails's trim mode (statement-only lines vanish, ``-%>`` eats its newline) and runs it. Its Ruby is a small
subset: ``each do |a, b|`` blocks, ``if``/``end``, ``next if``, postfix ``if``, ``t(...)`` with lazy keys and
interpolation, ``raw``/``sanitize``, ``render partial:``, ``yield`` and attribute chains on fictional order
objects. The few other expressions the templates use (``group_by`` of shipments, ``Spree::Money.new(...)``)
are looked up in ``KNOWN`` by their exact text, so an upstream change to any of them fails loudly instead of
rendering something they do not say.

Labels: Solidus greets generically ("Dear Customer,") and shows the order number only in the subject. The
language label is the language most of the template's own words are in (a fallback to English counts as
English), so a Polish store's confirmation, which solidus_i18n leaves mostly untranslated, is labelled ``en``;
the sample's name keeps the store's locale.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

import yaml

from ..common import Sample, Source, SourceTree
from ..orders import Order, orders

SOLIDUS = Source("solidusio/solidus", "1f5bf5c638f5fe9fbda4d480bdb7ebcfa39a9a5e", "BSD-3-Clause", "templates")
SOLIDUS_I18N = Source(
    "solidusio/solidus_i18n", "a262c6174aa6b913c4502e758cae46dd1f1df8ba", "BSD-3-Clause", "translations"
)
RAILS_I18N = Source("svenfuchs/rails-i18n", "34be758a2748b0a7c99c90838d387276c4d97bf2", "MIT", "translations")
MONEY = Source("RubyMoney/money", "faec0fbb7cb10646453c5ef6644289d83615b4fe", "MIT", "templates")  # v6.19.0
SOURCES = [SOLIDUS, SOLIDUS_I18N, RAILS_I18N, MONEY]

LOCALES = {"en": "en", "pl": "pl", "ru": "ru", "uk": "uk", "de": "de", "zh": "zh-CN"}
VIEWS = "core/app/views"
STORES = {
    "en": ("Evergreen Supply", "https://evergreen-supply.example"),
    "pl": ("Sklep Lipowy", "https://sklep-lipowy.example"),
    "ru": ("Магазин Северный", "https://severny-shop.example"),
    "uk": ("Крамниця Світанок", "https://svitanok-shop.example"),
    "de": ("Kaufhaus Lindenhof", "https://lindenhof-shop.example"),
    "zh": ("星河商城", "https://xinghe-shop.example"),
}
SHIPPING_METHODS = {  # a store's own shipping method names (store data, not template text)
    "en": "UPS Ground (USD)",
    "pl": "Kurier DPD",
    "ru": "СДЭК",
    "uk": "Нова Пошта",
    "de": "DHL Paket",
    "zh": "顺丰速运",
}


# --- I18n: Rails lookup with fallback to English --------------------------------------------------------------


class I18n:
    """``t(key, **vars)`` over one locale's YAML, falling back to English for missing or empty keys."""

    def __init__(self, tree: SourceTree, lang: str) -> None:
        self.locale = LOCALES[lang]
        en = yaml.safe_load(tree.read(SOLIDUS, "core/config/locales/en.yml"))["en"]
        chain = [en]
        if lang != "en":
            pack = yaml.safe_load(tree.read(SOLIDUS_I18N, f"config/locales/{self.locale}.yml"))[self.locale]
            chain.insert(0, pack)
        self.chain = chain
        self.words = {"own": 0, "fallback": 0}  # template words in the locale's own language vs English fallback

    def lookup(self, key: str) -> tuple[str, bool]:
        for depth, data in enumerate(self.chain):
            node: Any = data
            for part in key.split("."):
                node = node.get(part) if isinstance(node, dict) else None
            if isinstance(node, str) and node != "":
                return node, depth == len(self.chain) - 1 and len(self.chain) > 1
        raise KeyError(f"translation missing: {self.locale}.{key}")

    def t(self, key: str, **values: Any) -> str:
        text, fell_back = self.lookup(key)
        self.words["fallback" if fell_back else "own"] += len(re.findall(r"\w+", text))
        return re.sub(r"%\{(\w+)\}", lambda m: str(values[m.group(1)]), text)


# --- Money: Spree::Money over the money gem with the i18n locale backend ---------------------------------------


@dataclass(frozen=True)
class MoneyFormat:
    symbol: str
    template: str  # "%u%n" or "%n %u"
    delimiter: str
    separator: str
    decimals: int


@cache
def _money_format(tree: SourceTree, lang: str, currency: str) -> MoneyFormat:
    iso = json.loads(tree.read(MONEY, "config/currency_iso.json"))[currency.lower()]
    locale = LOCALES[lang]
    rails = yaml.safe_load(tree.read(RAILS_I18N, f"rails/locale/{locale}.yml"))[locale]["number"]
    fmt = rails.get("currency", {}).get("format", {})
    # FormattingRules#determine_format_from_formatting_rules: the currency's own format, else by symbol_first
    template = iso.get("format") or ("%u%n" if iso["symbol_first"] else "%n %u")
    return MoneyFormat(
        symbol=iso["symbol"],
        template=template,
        delimiter=fmt.get("delimiter", rails["format"]["delimiter"]),
        separator=fmt.get("separator", rails["format"]["separator"]),
        decimals=len(str(iso["subunit_to_unit"])) - 1,
    )


@dataclass(frozen=True)
class SpreeMoney:
    amount: Decimal
    fmt: MoneyFormat

    def __str__(self) -> str:
        """Money::Formatter#to_s with sign_before_symbol (Spree's default) for a non-negative amount."""
        whole, _, cents = f"{abs(self.amount):.{self.fmt.decimals}f}".partition(".")
        whole = re.sub(r"(\d)(?=(?:\d{3})+(?:[^\d]{1}|$))", lambda m: m.group(1) + self.fmt.delimiter, whole)
        number = self.fmt.separator.join(p for p in (whole, cents) if p)
        sign = "-" if self.amount < 0 else ""
        return sign + self.fmt.template.replace("%u", self.fmt.symbol).replace("%n", number)


# --- Fictional Spree objects the views walk ---------------------------------------------------------------------


class Rel(list):
    """An ActiveRecord relation over a list: ``exists?``/``present?``, and the scopes the views call."""

    def exists_q(self) -> bool:
        return bool(self)

    present_q = exists_q

    @property
    def promotion(self) -> Rel:
        return Rel(a for a in self if a.source_type == "Spree::PromotionAction")

    @property
    def tax(self) -> Rel:
        return Rel(a for a in self if a.source_type == "Spree::TaxRate")

    @property
    def exchange_requested(self) -> Rel:
        return Rel(r for r in self if getattr(r, "exchange_variant", None))


@dataclass
class Obj:
    """A Ruby object: attributes by name; ``foo?`` methods are stored as ``foo_q``."""

    attrs: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["attrs"][name]
        except KeyError:
            raise AttributeError(name) from None


def spree_order(order: Order, tree: SourceTree, lang: str) -> Obj:
    fmt = _money_format(tree, lang, order.currency)

    def m(x: Decimal) -> SpreeMoney:
        return SpreeMoney(x, fmt)

    line_items = Rel()
    for item in order.items:
        variant = Obj({"sku": item.sku, "name": item.name, "options_text": "", "product": Obj({"name": item.name})})
        line_items.append(
            Obj(
                {
                    "variant": variant,
                    "quantity": item.quantity,
                    "single_money": m(item.unit_price),
                    "display_amount": m(item.line_total),
                }
            )
        )
    rate = Obj({"name": SHIPPING_METHODS[lang]})
    shipment = Obj({"selected_shipping_rate": rate, "total_before_tax": order.shipping})
    return Obj(
        {
            "number": order.number,
            "currency": order.currency,
            "line_items": line_items,
            "display_item_total": m(order.subtotal),
            "display_total": m(order.total),
            "adjustments": Rel(),  # order-level adjustments: none on these orders
            "line_item_adjustments": Rel(),
            "all_adjustments": Rel(),
            "shipments": Rel([shipment]),
            "_money": m,
        }
    )


# --- ERB: Erubi's compilation (Rails trim mode) and a small Ruby subset ---------------------------------------

ERUBI = re.compile(r"<%(={1,2}|-|\#|%)?(.*?)([-=])?%>([ \t]*\r?\n)?", re.S)


class Safe(str):
    """An html_safe string: printed by ``<%= %>`` without escaping."""


def _escape(value: Any) -> str:
    return value if isinstance(value, Safe) else html.escape(str(value), quote=True).replace("&#x27;", "&#39;")


def erubi(src: str) -> list[tuple[str, str]]:
    """Erubi::Engine#initialize's scan with ``trim: true``: [("text"|"expr"|"code", str)]."""
    out: list[tuple[str, str]] = []
    pos, is_bol = 0, True
    for match in ERUBI.finditer(src):
        indicator, code, tailch, rspace = match.groups()
        text = src[pos : match.start()]
        pos = match.end()
        ch = indicator[0] if indicator else None
        lspace = None
        if ch != "=":
            if text == "":
                lspace = "" if is_bol else None
            elif text.endswith("\n"):
                lspace = ""
            else:
                rindex = text.rfind("\n")
                if rindex >= 0:
                    tail = text[rindex + 1 :]
                    if re.fullmatch(r"[ \t]*", tail):
                        lspace, text = tail, text[: rindex + 1]
                elif is_bol and re.fullmatch(r"[ \t]*", text):
                    lspace, text = text, ""
        is_bol = bool(rspace)
        out.append(("text", text))
        if ch == "=":
            if tailch:
                rspace = None
            out.append(("expr", code))
            if rspace:
                out.append(("text", rspace))
        elif ch in (None, "-"):
            if lspace is not None and rspace:
                out.append(("code", code))
            else:
                if lspace:
                    out.append(("text", lspace))
                out.append(("code", code))
                if rspace:
                    out.append(("text", rspace))
        # "#" comments and "%" literals do not occur in these templates
    out.append(("text", src[pos:]))
    return [(k, v) for k, v in out if not (k == "text" and v == "")]


@dataclass
class Node:
    kind: str  # text | expr | each | if | next_if
    code: str = ""
    names: tuple[str, ...] = ()
    body: list[Node] = field(default_factory=list)


EACH = re.compile(r"^(.*)\.each do \|(\w+)(?:, (\w+))?\|$")


def compile_erb(src: str) -> list[Node]:
    root: list[Node] = []
    stack = [root]
    for kind, code in erubi(src):
        stmt = code.strip()
        if kind == "text":
            stack[-1].append(Node("text", code))
        elif kind == "expr":
            stack[-1].append(Node("expr", stmt))
        elif stmt == "end":
            stack.pop()
        elif m := EACH.match(stmt):
            node = Node("each", m.group(1), tuple(n for n in m.groups()[1:] if n))
            stack[-1].append(node)
            stack.append(node.body)
        elif stmt.startswith("if "):
            node = Node("if", stmt[3:])
            stack[-1].append(node)
            stack.append(node.body)
        elif stmt.startswith("next if "):
            stack[-1].append(Node("next_if", stmt[8:]))
        else:
            raise NotImplementedError(f"ERB statement not in the interpreted subset: {stmt!r}")
    if len(stack) != 1:
        raise ValueError("unbalanced ERB blocks")
    return root


class Next(Exception):
    """Ruby's ``next`` inside an ``each`` block."""


# Expressions the templates use beyond the generic forms, by their exact text.
KNOWN: dict[str, Callable[[dict[str, Any]], Any]] = {
    "@order.shipments.group_by { |s| s.selected_shipping_rate.try(:name) }": lambda env: [
        (s.selected_shipping_rate.name, [s]) for s in env["@order"].shipments
    ],
    "Spree::Money.new(shipments.sum(&:total_before_tax), currency: @order.currency)": lambda env: env["@order"]._money(
        sum((s.total_before_tax for s in env["shipments"]), Decimal(0))
    ),
    "Spree::Money.new(adjustments.sum(&:amount), currency: @order.currency)": lambda env: env["@order"]._money(
        sum((a.amount for a in env["adjustments"]), Decimal(0))
    ),
    "@order.all_adjustments.promotion.group_by(&:label)": lambda env: _group(env["@order"].all_adjustments.promotion),
    "@order.all_adjustments.tax.group_by(&:label)": lambda env: _group(env["@order"].all_adjustments.tax),
    "(adjustment.source_type == 'Spree::TaxRate') and (adjustment.amount == 0)": lambda env: (
        env["adjustment"].source_type == "Spree::TaxRate" and env["adjustment"].amount == 0
    ),
}


def _group(rel: list[Any]) -> list[tuple[str, list[Any]]]:
    groups: dict[str, list[Any]] = {}
    for a in rel:
        groups.setdefault(a.label, []).append(a)
    return list(groups.items())


def _split_top(expr: str, sep: str) -> tuple[str, str] | None:
    """Split at the first ``sep`` outside quotes and brackets."""
    depth, quote = 0, ""
    for i, c in enumerate(expr):
        if quote:
            quote = "" if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif depth == 0 and expr.startswith(sep, i):
            return expr[:i], expr[i + len(sep) :]
    return None


class ErbTemplate:
    """One view: ``render(env)`` runs it with ``env`` holding ``@ivars``, locals and the helpers' state."""

    def __init__(self, tree: SourceTree, path: str, text: str | None = None) -> None:
        self.tree = tree
        self.path = path
        self.nodes = compile_erb(tree.read(SOLIDUS, f"{VIEWS}/{path}") if text is None else text)
        self.scope = re.sub(r"\.\w+\.erb$", "", path).replace("/", ".")  # lazy t('.key') prefix

    def render(self, env: dict[str, Any]) -> str:
        out: list[str] = []
        self._run(self.nodes, env, out)
        return "".join(out)

    def _run(self, nodes: list[Node], env: dict[str, Any], out: list[str]) -> None:
        for node in nodes:
            if node.kind == "text":
                out.append(node.code)
            elif node.kind == "expr":
                value = self.eval(node.code, env)
                if value is not None:
                    out.append(_escape(value))
            elif node.kind == "if":
                if self.eval(node.code, env):
                    self._run(node.body, env, out)
            elif node.kind == "next_if":
                if self.eval(node.code, env):
                    raise Next
            elif node.kind == "each":
                for element in self.eval(node.code, env):
                    values = element if len(node.names) > 1 else (element,)
                    inner = {**env, **dict(zip(node.names, values, strict=True))}
                    try:
                        self._run(node.body, inner, out)
                    except Next:
                        continue

    def eval(self, expr: str, env: dict[str, Any]) -> Any:
        expr = expr.strip()
        if expr in KNOWN:
            return KNOWN[expr](env)
        if (parts := _split_top(expr, " if ")) is not None:
            return self.eval(parts[0], env) if self.eval(parts[1], env) else None
        if expr == "yield":
            return Safe(env["yield"])
        if m := re.fullmatch(r"render partial: '([\w/]+)'", expr):
            folder, _, name = m.group(1).rpartition("/")
            return Safe(ErbTemplate(self.tree, f"{folder}/_{name}.html.erb").render(env))
        if m := re.fullmatch(r"(raw|sanitize)\((.*)\)", expr):
            value = self.eval(m.group(2), env)
            return Safe(value) if m.group(1) == "raw" else Safe(_escape(value))  # plain names: nothing to strip
        if m := re.fullmatch(r"t\('([\w.]+)'((?:, \w+: [^,]+)*)\)", expr):
            key = m.group(1)
            key = self.scope + key if key.startswith(".") else key
            values = {k: self.eval(v, env) for k, v in re.findall(r", (\w+): ([^,]+)", m.group(2))}
            return env["i18n"].t(key, **values)
        if re.fullmatch(r"@?\w+(\.\w+[?]?)*", expr):
            head, *chain = expr.split(".")
            value = env[head]
            for attr in chain:
                value = getattr(value, attr.replace("?", "_q"))
                value = value() if callable(value) and not isinstance(value, Rel) else value
            return value
        raise NotImplementedError(f"Ruby expression not in the interpreted subset ({self.path}): {expr!r}")


# --- The mailers ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mail:
    view: str  # folder/action under spree/
    kind: str
    subject_key: str  # as the mailer's t(".subject") resolves
    per_language: int


MAILS = (
    Mail("order_mailer/confirm_email", "order_confirmation", "spree.order_mailer.confirm_email.subject", 3),
    Mail("carton_mailer/shipped_email", "shipping", "spree.shipment_mailer.shipped_email.subject", 2),
    Mail("order_mailer/cancel_email", "cancellation", "spree.order_mailer.cancel_email.subject", 1),
    Mail(
        "reimbursement_mailer/reimbursement_email",
        "refund",
        "spree.reimbursement_mailer.reimbursement_email.subject",
        1,
    ),
    Mail(  # some units of an order canceled (out of stock): the last line item's units, one row per unit
        "order_mailer/inventory_cancellation_email",
        "cancellation",
        "spree.order_mailer.inventory_cancellation.subject",
        1,
    ),
)


def _labels(mail: Mail, order: Order, language: str) -> dict[str, Any]:
    labels: dict[str, Any] = {"kind": mail.kind, "language": language, "greeting": {}, "order_number": order.number}
    if mail.view.endswith("inventory_cancellation_email"):  # SKU, name, options per canceled unit; no price
        last = order.items[-1]
        labels["items"] = [
            {"name": last.name, "quantity": None, "unit_price": None, "line_total": None}
        ] * last.quantity
        labels["total"] = None
    elif mail.kind in ("order_confirmation", "cancellation"):
        labels["items"] = [
            {"name": i.name, "quantity": i.quantity, "unit_price": str(i.unit_price), "line_total": str(i.line_total)}
            for i in order.items
        ]
        labels["currency"] = order.currency
        labels["subtotal"] = str(order.subtotal)
        labels["shipping"] = str(order.shipping) if mail.kind == "order_confirmation" else None
        labels["total"] = str(order.total)
    elif mail.kind == "shipping":  # the manifest: SKU, name, options; no quantity, no price
        labels["items"] = [
            {"name": i.name, "quantity": None, "unit_price": None, "line_total": None} for i in order.items
        ]
        labels["total"] = None
    else:  # refund: "Total refunded: <amount>", no items (no exchange requested)
        labels["items"] = []
        labels["currency"] = order.currency
        labels["total"] = str(order.total)
    labels["delivery_estimate"] = None
    return labels


def render(tree: SourceTree) -> Iterator[Sample]:
    layout = ErbTemplate(tree, "layouts/spree/base_mailer.html.erb")
    for lang in LOCALES:
        store, url = STORES[lang]
        count = max(m.per_language for m in MAILS) * len(MAILS)
        pool = orders(lang, count, seed="solidus", number="R{n:09d}", start=482_913_570 + 1000 * len(store))
        for m_index, mail in enumerate(MAILS):
            html_view = ErbTemplate(tree, f"spree/{mail.view}.html.erb")
            text_view = ErbTemplate(tree, f"spree/{mail.view}.text.erb")
            for n in range(mail.per_language):
                order = pool[m_index * 3 + n]
                i18n = I18n(tree, lang)
                spree = spree_order(order, tree, lang)
                env: dict[str, Any] = {"@order": spree, "i18n": i18n, "@store": Obj({"name": store})}
                if mail.kind == "shipping":
                    tracking = f"1Z{order.number[1:]}{n}"
                    env["@manifest"] = spree.line_items
                    env["@carton"] = Obj({"tracking": tracking, "tracking_url": f"{url}/track/{tracking}"})
                if mail.view.endswith("inventory_cancellation_email"):
                    last = spree.line_items[-1]
                    env["@inventory_units"] = [Obj({"variant": last.variant})] * last.quantity
                if mail.kind == "refund":
                    env["@reimbursement"] = Obj({"display_total": spree.display_total, "return_items": Rel()})
                body = html_view.render(env)
                page = layout.render({**env, "yield": body})
                text = text_view.render(env)
                subject = f"{store} {i18n.t(mail.subject_key)} #{order.number}"
                own, fallback = i18n.words["own"], i18n.words["fallback"]
                language = lang if own >= fallback else "en"
                yield Sample(
                    name=f"{lang}_{mail.kind}_{mail.view.split('/')[1]}_{n + 1}",
                    subject=subject,
                    html=page,
                    text=text,
                    labels=_labels(mail, order, language),
                    sender=f"{store} <orders@{url.split('//')[1]}>",
                    to=order.customer.email,
                    date=order.created,
                )
