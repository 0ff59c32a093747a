"""OpenMage / Magento 1: transactional emails from the locale's own template files, with Magento's directive syntax.

Interpreted from the sources at render time:
- the email templates ``app/locale/<xx_YY>/template/email/...`` (OpenMage's
  en_US, and public locale packs for de_DE, pl_PL, uk_UA, ru_RU; zh_CN from
  the 1.9.0.0 release imported into OpenMage's history): subject from
  ``<!--@subject @-->``, ``@styles`` wrapped in <style> as
  ``Mage_Core_Model_Email_Template`` does, and the directives of
  ``Varien_Filter_Template`` / ``Mage_Core_Model_Email_Template_Filter``
  (``depend`` and ``if`` first, then ``var``, ``htmlescape``, ``store``,
  ``skin``, ``config``, ``template``, ``layout``, ``block``);
- the items grid ``{{layout handle=...}}``: the handle's block and templates
  are read from ``layout/sales.xml`` and the .phtml files (items table, item
  row, totals, shipment tracking) are run through the small PHP-template
  interpreter (``_php.py``); their ``__()`` strings come from the locale's
  ``Mage_Sales.csv`` (falling back to English, as Magento does);
- addresses are formatted with the ``customer/address_templates/html``
  template from ``Mage/Customer/etc/config.xml``.

Hand-supplied (what a store's configuration and Magento's PHP classes decide):
the meaning of each PHP expression in the .phtml files (store defaults: prices
excluding tax, no WEEE, no gift messages), the totals' order (Subtotal,
Shipping & Handling, Grand Total, as ``Mage_Sales_Block_Order_Totals``), money
as ``Zend_Currency`` writes it for the locale (CLDR, via babel), dates in the
locale's CLDR "long" format, and ``{{inlinecss}}`` dropped (it only inlines a
skin stylesheet).
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from babel.dates import format_datetime

from ..common import Sample, Source, SourceTree
from ..orders import LOCALES, Order, item_labels, money, orders
from . import _php

OPENMAGE = Source("OpenMage/magento-lts", "e18d6107b21b6c2e2f7005fcc7738220edd1a022", "OSL-3.0", "both")
OPENMAGE_1900 = Source("OpenMage/magento-lts", "a1aca13823b7d10724d01b7597827c8bf024d270", "OSL-3.0", "translations")
GERMAN = Source(
    "riconeitzel/German_LocalePack_de_DE", "e8b84e85a37afc35536d359dd0b8fc899d9fd220", "OSL-3.0", "translations"
)
POLISH = Source("dev-jq/magento-polish-pack", "ff90e30125347f4936e98f326533d1c508a94f8d", "NOASSERTION", "translations")
UKRAINIAN = Source("maksymbodnar/magento_ua", "3d6d85d03e96cf3262480bfb653f04c1d415023b", "OSL-3.0", "translations")
RUSSIAN = Source("mygento/shop", "b00a0ff47c57c0e48adcd7191030c860db92a2e6", "OSL-3.0", "translations")
SOURCES = [OPENMAGE, OPENMAGE_1900, GERMAN, POLISH, UKRAINIAN, RUSSIAN]

# language -> (locale folder, the source that holds it)
PACKS: dict[str, tuple[str, Source]] = {
    "en": ("en_US", OPENMAGE),
    "de": ("de_DE", GERMAN),
    "pl": ("pl_PL", POLISH),
    "uk": ("uk_UA", UKRAINIAN),
    "ru": ("ru_RU", RUSSIAN),
    "zh": ("zh_CN", OPENMAGE_1900),
}
BASE = "app/design/frontend/base/default"

# template file, kind, how many orders per language
TEMPLATES: list[tuple[str, str, int]] = [
    ("sales/order_new", "order_confirmation", 2),
    ("sales/order_new_guest", "order_confirmation", 1),
    ("sales/invoice_new", "invoice", 1),
    ("sales/shipment_new", "shipping", 1),
    ("sales/creditmemo_new", "credit_memo", 1),
    ("sales/order_update", "other", 1),
    ("account_new", "account", 1),
    ("account_password_reset_confirmation", "account", 1),
]
# store configuration a shop in that market would set (store data, not template text)
STORE = {
    "en": (
        "Northwind Outfitters",
        "Flat Rate - Fixed",
        "Check / Money order",
        "Processing",
        "United States Postal Service",
    ),
    "de": ("Nordwind Ausstatter", "Pauschale - Fest", "Vorkasse", "In Bearbeitung", "DHL"),
    "pl": ("Sklep Północny", "Kurier - Stała stawka", "Przelew bankowy", "W realizacji", "InPost"),
    "uk": ("Північна крамниця", "Нова Пошта - Відділення", "Оплата при отриманні", "Обробляється", "Нова Пошта"),
    "ru": ("Северный магазин", "Курьер - Фиксированная", "Оплата при получении", "В обработке", "СДЭК"),
    "zh": ("北风商城", "快递 - 固定运费", "货到付款", "处理中", "顺丰速运"),
}
_NAME_DIRECTIVE = re.compile(
    r"getCustomerName\(\)|billing\.getName\(\)|customer\.name|getBillingAddress\(\)\.getName\(\)"
)


class Obj:
    """A Varien_Object: ``getFooBar()`` and ``foo_bar`` read the key ``foo_bar``; methods may override."""

    def __init__(self, **data: Any) -> None:
        self.data = data

    def call(self, name: str, args: list[str]) -> Any:
        method = getattr(self, name, None)
        if callable(method) and not name.startswith("_"):
            return method(*args)
        if name.startswith("get"):
            return self.data.get(re.sub(r"(?<!^)(?=[A-Z])", "_", name[3:]).lower(), "")
        raise KeyError(name)

    def attr(self, name: str) -> Any:
        return self.data.get(name, "")


class Address(Obj):
    def __init__(self, engine: Engine, **data: Any) -> None:
        super().__init__(**data)
        self.engine = engine

    def format(self, kind: str) -> str:  # noqa: A003 - Magento's method name
        assert kind == "html", kind
        return self.engine.filter(self.engine.address_template, dict(self.data))

    def getName(self) -> str:  # noqa: N802
        return f"{self.data['firstname']} {self.data['lastname']}"


class Engine:
    """One locale's renderer: its template folder, its CSV translations, and the English fallback."""

    def __init__(self, tree: SourceTree, language: str) -> None:
        self.tree = tree
        self.language = language
        self.folder, self.pack = PACKS[language]
        self.locale = LOCALES[language]
        self.layout = tree.read(OPENMAGE, f"{BASE}/layout/sales.xml")
        config = tree.read(OPENMAGE, "app/code/core/Mage/Customer/etc/config.xml")
        self.address_template = re.search(r"<html><!\[CDATA\[(.*?)\]\]></html>", config, re.S).group(1)  # type: ignore[union-attr]
        self.translations: dict[str, str] = {}
        for module in ("Mage_Sales", "Mage_Tax", "Mage_Weee"):
            path = f"app/locale/{self.folder}/{module}.csv"
            # Mage_Sales.csv is in every pack: reading it fails loudly when the pack's copy is missing
            if module == "Mage_Sales" or self.tree.exists(self.pack, path):
                for row in csv.reader(io.StringIO(self.tree.read(self.pack, path))):
                    if len(row) >= 2 and row[1]:
                        self.translations.setdefault(row[0], row[1])

    # -- translations and files ------------------------------------------------------------------
    def __(self, text: str) -> str:
        return self.translations.get(text, text)

    def email_file(self, name: str) -> str:
        """The locale's template, else en_US's (Magento falls back to the default locale)."""
        path = f"app/locale/{self.folder}/template/email/{name}.html"
        if self.tree.exists(self.pack, path):
            return self.tree.read(self.pack, path)
        return self.tree.read(OPENMAGE, f"app/locale/en_US/template/email/{name}.html")

    def has(self, name: str) -> bool:
        return self.tree.exists(self.pack, f"app/locale/{self.folder}/template/email/{name}.html")

    def load(self, name: str) -> tuple[str, str]:
        """(subject, body) as ``Mage_Core_Model_Email_Template::loadDefault`` prepares them."""
        text = self.email_file(name)
        subject = re.search(r"<!--@subject\s*(.*?)\s*@-->", text, re.S)
        styles = re.search(r"<!--@styles\s*(.*?)\s*@-->", text, re.S)
        body = re.sub(r"<!--@(subject|vars|styles)\s*.*?\s*@-->", "", text, flags=re.S)
        if styles and styles.group(1).strip():
            body = f'<style type="text/css">\n{styles.group(1)}\n</style>{body}'
        return (subject.group(1) if subject else ""), body

    # -- Varien_Filter_Template ------------------------------------------------------------------
    def filter(self, text: str, vars: dict[str, Any]) -> str:  # noqa: A002 - Magento's name
        text = re.sub(
            r"{{depend\s*(.*?)}}(.*?){{/depend\s*}}",
            lambda m: m.group(2) if self.value(m.group(1), vars) else "",
            text,
            flags=re.S | re.I,
        )
        text = re.sub(
            r"{{if\s*(.*?)}}(.*?)({{else}}(.*?))?{{/if\s*}}",
            lambda m: m.group(2) if self.value(m.group(1), vars) else (m.group(4) or ""),
            text,
            flags=re.S | re.I,
        )
        return re.sub(
            r"{{([a-z]{0,10})(.*?)}}", lambda m: self.directive(m.group(1), m.group(2), vars), text, flags=re.S | re.I
        )

    @staticmethod
    def params(text: str) -> dict[str, str]:
        return {
            m.group(1): next(g for g in m.groups()[2:] if g is not None)
            for m in re.finditer(r"(\w+)\s*=\s*(\"([^\"]*)\"|'([^']*)'|(\S+))", text)
        }

    def value(self, path: str, vars: dict[str, Any]) -> Any:  # noqa: A002
        """``getVariable``: ``order.getBillingAddress().format('html')``, ``$customer.name``, ``store_phone``."""
        path = path.strip().lstrip("$")
        parts = re.findall(r"(\w+)(\(([^)]*)\))?", path)
        if not parts:
            return ""
        obj: Any = vars.get(parts[0][0], "")
        for name, call, args in parts[1:]:
            if not isinstance(obj, Obj):
                return ""
            if call:
                obj = obj.call(name, [a.strip().strip("'\"") for a in args.split(",") if a.strip()])
            else:
                obj = obj.attr(name)
        return obj

    def directive(self, name: str, rest: str, vars: dict[str, Any]) -> str:  # noqa: A002, C901 - one branch per directive
        name = name.lower()
        if name == "var":
            value = self.value(rest, vars)
            return "" if value is None else str(value)
        params = self.params(rest)
        if name == "htmlescape":
            return html.escape(str(self.value(params["var"], vars)), quote=False)
        if name == "store":
            url = params.get("url", params.get("direct_url", ""))
            query = "&".join(f"{k[7:]}={self.value(v, vars)}" for k, v in params.items() if k.startswith("_query_"))
            return f"https://store.example/{self.folder.lower()}/{url}" + (f"?{query}" if query else "")
        if name == "skin":
            return f"https://store.example/skin/frontend/base/default/{params['url']}"
        if name == "config":
            return str(vars["config"].get(params["path"], ""))
        if name == "template":
            file = {"design/email/header": "html/header", "design/email/footer": "html/footer"}.get(
                params["config_path"], "html/" + params["config_path"].rsplit("/", 1)[-1]
            )
            return self.filter(self.load(file)[1], vars)
        if name == "inlinecss":
            return ""
        if name == "layout":
            return self.layout_handle(params["handle"], vars)
        if name == "block":
            return self.phtml(params["template"], vars, None)
        raise KeyError(f"OpenMage: unhandled directive {{{{{name}{rest}}}}}")

    # -- layout handles and .phtml ---------------------------------------------------------------
    def layout_handle(self, handle: str, vars: dict[str, Any]) -> str:
        block = re.search(rf"<{handle}>(.*?)</{handle}>", self.layout, re.S)
        assert block, handle
        xml = block.group(1)
        items_template = re.search(r'name="items" template="([^"]+)"', xml).group(1)  # type: ignore[union-attr]
        row_template = re.search(r"<type>default</type><block>[^<]+</block><template>([^<]+)</template>", xml).group(1)  # type: ignore[union-attr]
        totals = re.search(r'name="(\w+_totals)" template="([^"]+)"', xml)
        label_props = re.search(r'setLabelProperties"><value>(.*?)</value>', xml)
        value_props = re.search(r'setValueProperties"><value>(.*?)</value>', xml)
        layout = {
            "row": row_template,
            "totals": totals.groups() if totals else None,
            "label": label_props.group(1) if label_props else "",
            "value": value_props.group(1) if value_props else "",
        }
        return self.phtml(items_template, vars, layout)

    def phtml(self, template: str, vars: dict[str, Any], layout: dict[str, Any] | None) -> str:
        nodes = _php.parse(self.tree.read(OPENMAGE, f"{BASE}/template/{template}"))
        return _php.render(nodes, BlockEnv(self, vars, layout))


class BlockEnv(_php.RuleEnv):
    """What the Magento 1 email blocks' PHP expressions mean for one order with the store's default settings."""

    def __init__(self, engine: Engine, vars: dict[str, Any], layout: dict[str, Any] | None, item: Any = None) -> None:  # noqa: A002
        super().__init__()
        self.engine, self.vars, self.layout, self.item = engine, vars, layout, item
        self.i = 0
        self.total: tuple[str, str, Decimal, bool] | None = None
        order: Order = vars["order"].data["model"]
        lang = engine.language
        tr = engine.__

        def rule(table: list[Any], rx: str, fn: Callable[[re.Match[str]], Any]) -> None:
            table.append((re.compile(rx), fn))

        e, t, lp, s = self.echoes, self.tests, self.loops, self.stmts
        rule(
            e, r"(?:\$this|Mage::helper\('\w+'\))->__\('(.*?)'\);?", lambda m: html.escape(tr(m.group(1)), quote=False)
        )
        rule(
            e,
            r"\$i ?% ?2 ?\? ?(' bgcolor=\"#F6F6F6\"'|'bgcolor=\"#F6F6F6\"') ?: ?''",
            lambda m: m.group(1)[1:-1] if self.i % 2 else "",
        )
        rule(e, r"\$this->getItemHtml\(\$_item\)", lambda m: self.row())
        rule(e, r"\$this->getChildHtml\('(\w+_totals)'\)", lambda m: self.totals())
        rule(e, r"\$this->escapeHtml\(\$_item->getName\(\)\)", lambda m: html.escape(self.item.name, quote=False))
        rule(e, r"\$this->escapeHtml\(\$this->getSku\(\$_item\)\)", lambda m: html.escape(self.item.sku, quote=False))
        rule(e, r"\$this->escapeHtml\(\$_item->getDescription\(\)\)", lambda m: "")
        rule(e, r"\$_item->getQty(?:Ordered)?\(\)\*1", lambda m: str(self.item.quantity))
        rule(e, r"\$_order->formatPrice\(\$_item->getRowTotal\(\)\)", lambda m: money(self.item.line_total, lang))
        rule(e, r"\$this->escapeHtml\(\$_item->getTitle\(\)\)", lambda m: html.escape(STORE[lang][4]))
        rule(e, r"\$this->escapeHtml\(\$_item->getNumber\(\)\)", lambda m: order.extra["tracking"])
        rule(e, r"\$_code", lambda m: self.total[0])  # type: ignore[index]
        rule(e, r"\$this->get(Label|Value)Properties\(\)", lambda m: self.layout[m.group(1).lower()])  # type: ignore[index]
        rule(e, r"\$this->escapeHtml\(\$_total->getLabel\(\)\);?", lambda m: html.escape(self.total[1], quote=False))  # type: ignore[index]
        rule(e, r"\$this->formatValue\(\$_total\)", lambda m: money(self.total[2], lang))  # type: ignore[index]

        rule(t, r"\$_order|\$_(invoice|shipment|creditmemo) && \$_order", lambda m: True)
        rule(t, r"\$_shipment && \$_order && \$_shipment->getAllTracks\(\)", lambda m: True)
        rule(t, r"\$_giftMessage = .*|\$this->getItemOptions\(\)|\$addInfoBlock", lambda m: False)
        rule(t, r"\$this->helper\('tax'\)->displaySalesPriceExclTax\(.*", lambda m: True)  # the default: excl. tax
        rule(t, r"\$this->helper\('tax'\)->displaySales(BothPrices|PriceInclTax)\(.*", lambda m: False)
        rule(t, r"Mage::helper\('weee'\)->.*", lambda m: False)  # WEEE (fixed product tax) is off by default
        rule(t, r"\$_total->getBlockName\(\)", lambda m: self.total[0] == "tax")  # type: ignore[index]
        rule(t, r"\$_total->getStrong\(\)", lambda m: self.total[3])  # type: ignore[index]

        rule(lp, r"\$_(order|invoice|shipment|creditmemo)->getAllItems\(\) as \$_item", lambda m: self.items())
        rule(lp, r"\$_shipment->getAllTracks\(\) as \$_item", lambda m: iter([None]))
        rule(lp, r"\$this->getTotals\(\) as \$_code => \$_total", lambda m: self.totals_list())

        rule(
            s,
            r"\$_?\w+ ?= ?\$this->(getOrder|getItem|getShipment|getInvoice|getCreditmemo)\(\)(->getOrder\(\))?;?",
            lambda m: "",
        )
        rule(s, r"\$(addInfoBlock|_incl) ?= ?.*", lambda m: "")
        rule(s, r"\$i ?= ?0;", lambda m: self._reset())
        rule(s, r"if ?\(\$_item(->getOrderItem\(\))?->getParentItem\(\)\) continue;", lambda m: "")
        rule(s, r"\$i\+\+;?", lambda m: self._inc())

    def _reset(self) -> str:
        self.i = 0
        return ""

    def _inc(self) -> str:
        self.i += 1
        return ""

    def items(self) -> Iterator[None]:
        for item in self.vars["order"].data["model"].items:
            self.item = item
            yield None

    def row(self) -> str:
        env = BlockEnv(self.engine, self.vars, self.layout, self.item)
        nodes = _php.parse(self.engine.tree.read(OPENMAGE, f"{BASE}/template/{self.layout['row']}"))  # type: ignore[index]
        return _php.render(nodes, env)

    def totals(self) -> str:
        nodes = _php.parse(self.engine.tree.read(OPENMAGE, f"{BASE}/template/{self.layout['totals'][1]}"))  # type: ignore[index]
        return _php.render(nodes, BlockEnv(self.engine, self.vars, self.layout))

    def totals_list(self) -> Iterator[None]:
        order: Order = self.vars["order"].data["model"]
        tr = self.engine.__
        for total in (
            ("subtotal", tr("Subtotal"), order.subtotal, False),
            ("shipping", tr("Shipping & Handling"), order.shipping, False),
            ("grand_total", tr("Grand Total"), order.total, True),
        ):
            self.total = total
            yield None


def _vars(engine: Engine, order: Order, n: int) -> dict[str, Any]:
    lang = engine.language
    c = order.customer
    store_name, shipping, payment, status, _carrier = STORE[lang]
    address = Address(
        engine,
        firstname=c.first,
        lastname=c.last,
        street1=c.street,
        city=c.city,
        postcode=c.postcode,
        country=c.country,
        telephone=c.phone,
    )
    created = format_datetime(order.created, "long", locale=engine.locale)
    name = _name(order)
    model = Obj(
        model=order,
        increment_id=order.number,
        shipping_description=shipping,
        billing_address=address,
        shipping_address=address,
        customer_name=name,
        status_label=status,
    )
    model.getCustomerName = lambda: name  # type: ignore[attr-defined]
    model.getCreatedAtFormated = lambda fmt: created  # type: ignore[attr-defined]
    model.getBillingAddress = lambda: address  # type: ignore[attr-defined]
    model.getShippingAddress = lambda: address  # type: ignore[attr-defined]
    model.getShippingDescription = lambda: shipping  # type: ignore[attr-defined]
    model.getIsNotVirtual = lambda: True  # type: ignore[attr-defined]
    model.getEmailCustomerNote = lambda: ""  # type: ignore[attr-defined]
    customer = Obj(
        name=name, email=c.email, id=str(n + 40), rp_customer_id=str(n + 40), rp_token=f"a1b2c3d4e5f6{n:04d}"
    )
    return {
        "order": model,
        "invoice": Obj(increment_id=order.number),
        "shipment": Obj(increment_id=order.number),
        "creditmemo": Obj(increment_id=order.number),
        "billing": address,
        "customer": customer,
        "store": _store(store_name),
        "payment_html": f"<p>{html.escape(payment)}</p>",
        "comment": "",
        "store_email": "support@store.example",
        "store_phone": "+1 555 0100",
        "phone": "+15550100",
        "store_hours": "",
        "logo_url": "https://store.example/skin/frontend/base/default/images/logo_email.gif",
        "logo_alt": store_name,
        "non_inline_styles": "",
        "items_html": "",
        "config": {
            "trans_email/ident_support/email": "support@store.example",
            "general/store_information/phone": "+1 555 0100",
        },
    }


def _name(order: Order) -> str:
    """Magento joins first and last name with a space in every locale (``getCustomerName``, ``getName``)."""
    return f"{order.customer.first} {order.customer.last}"


def _store(name: str) -> Obj:
    store = Obj(frontend_name=name)
    store.getFrontendName = lambda: name  # type: ignore[attr-defined]
    return store


def _labels(order: Order, kind: str, lang: str, body_source: str) -> dict[str, Any]:
    named = _NAME_DIRECTIVE.search(body_source) is not None
    labels: dict[str, Any] = {"kind": kind, "language": lang}
    labels["greeting"] = {"name": _name(order)} if named else None
    if kind == "account":
        labels.update(order_number=None, items=[], total=None)
        return labels
    labels["order_number"] = order.number
    if kind == "other":
        labels.update(items=[], total=None)
        return labels
    if kind == "shipping":
        labels["items"] = item_labels(order, unit_price=False, line_total=False)
        labels["total"] = None
        return labels
    labels["items"] = item_labels(order, unit_price=False)
    labels.update(
        currency=order.currency,
        subtotal=str(order.subtotal),
        shipping=str(order.shipping),
        total=str(order.total),
        delivery_estimate=None,
    )
    return labels


def render(tree: SourceTree) -> Iterator[Sample]:
    for lang in PACKS:
        engine = Engine(tree, lang)
        count = sum(n for _, _, n in TEMPLATES)
        pool = orders(lang, count, seed="openmage", number="1000{n:05d}", start=121)
        k = 0
        for template, kind, n in TEMPLATES:
            if not engine.has(template):
                k += n  # the pack lacks it: Magento would send en_US's English template, already in the corpus
                continue
            for j in range(n):
                order = pool[k]
                k += 1
                order.extra["tracking"] = f"1Z999AA1{order.number[-6:]}784"
                vars = _vars(engine, order, k)  # noqa: A001
                subject_src, body_src = engine.load(template)
                body = engine.filter(body_src, vars)
                subject = engine.filter(subject_src, vars)
                name = template.rsplit("/", 1)[-1]
                yield Sample(
                    name=f"{lang}_{kind}_{name}_{j + 1}",
                    subject=html.unescape(subject),
                    html=body,
                    text=None,
                    labels=_labels(order, kind, lang, body_src),
                    sender=f"{STORE[lang][0]} <sales@store.example>",
                    to=f"{order.customer.full} <{order.customer.email}>",
                    date=order.created,
                )
