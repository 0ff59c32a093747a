"""nopCommerce 4.90.3: the message templates it installs, their %tokens%, and the items table its C# code builds.

Source: nopSolutions/nopCommerce is over the snapshot size limit, so this
reads a public repository that carries nopCommerce 4.90.3 with a store's
customizations; its own inventory of them (``docs/customizations/README.md``,
a diff against the release) lists none in the files read here.

What is read at render time, from the pinned commit:
- each template's ``Subject`` and ``Body`` as ``InstallRequiredData.cs``
  installs them (C# string literals, ``{Environment.NewLine}`` included);
- the ``%if (...) ... endif%`` rule and token replacement of
  ``Messages/Tokenizer.cs`` (re-implemented here: a met condition loses its
  ``(...)``, an unmet one its whole statement; values HTML-encoded);
- the items table behind ``%Order.Product(s)%`` and ``%Shipment.Product(s)%``:
  every line is one of the ``sb.AppendLine(...)`` strings of
  ``MessageTokenProvider.ProductListToHtmlTableAsync`` / ``WriteTotalsAsync``,
  evaluated by a small C# string-expression reader (interpolation holes,
  ``+``, ``WebUtility.HtmlEncode``, ``string.Format``, resource look-ups);
  which lines appear is hand-translated from the C# control flow for the
  installed defaults (tax excluded and shown, SKU shown, no discounts);
- the strings those lines look up (``Messages.Order.*``) from
  ``App_Data/Localization/defaultResources.nopres.xml``, and the table colours
  from the installed ``MessageTemplatesSettings``.

English only: nopCommerce installs its message templates in English, and a
language pack translates resources (here only the table's column and total
labels), not template bodies, so another language would still be an English
email. Money is USD as the default currency's ``en-US`` display locale writes
it ("$1,234.50"). HTML only, as nopCommerce sends these messages.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from typing import Any

from lxml import etree

from tests.corpus.platforms.common import Sample, Source, SourceTree
from tests.corpus.platforms.orders import Order, item_labels, orders

NOP = Source(
    "wafaaothman80/nopCommerce-4.90.3-Rotat",
    "1dc4baaf322da3ad555219fbf21b738e7c42108d",
    "NPL-4.0 (AGPL-3.0 + attribution)",
)
SOURCES = [NOP]

INSTALL = "src/Libraries/Nop.Services/Installation/InstallRequiredData.cs"
TOKENS = "src/Libraries/Nop.Services/Messages/MessageTokenProvider.cs"
RESOURCES = "src/Presentation/Nop.Web/App_Data/Localization/defaultResources.nopres.xml"
STORE = "Northwind Supplies"
STORE_URL = "https://store.example/"
STORE_EMAIL = "sales@store.example"


# --- C# string expressions -----------------------------------------------------------------------


def _split_top(expr: str, sep: str) -> list[str]:
    """``expr`` split on ``sep`` outside string literals and brackets."""
    parts, depth, i, start, quote = [], 0, 0, 0, False
    while i < len(expr):
        c = expr[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == '"':
                quote = False
        elif c == '"':
            quote = True
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif depth == 0 and expr.startswith(sep, i):
            parts.append(expr[start:i])
            start = i + len(sep)
            i += len(sep) - 1
        i += 1
    parts.append(expr[start:])
    return [p.strip() for p in parts]


def _string_literal(src: str, env: dict[str, Any]) -> str:
    """A C# ``"..."`` or ``$"..."`` literal: escapes resolved, interpolation holes evaluated."""
    interpolated = src.startswith("$")
    body = src[2:-1] if interpolated else src[1:-1]
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if c == "\\":
            out.append({"n": "\n", "r": "\r", "t": "\t"}.get(body[i + 1], body[i + 1]))
            i += 2
        elif interpolated and c == "{" and body.startswith("{{", i):
            out.append("{")
            i += 2
        elif interpolated and c == "}" and body.startswith("}}", i):
            out.append("}")
            i += 2
        elif interpolated and c == "{":
            depth, j, quote = 1, i + 1, False
            while depth:
                if quote:
                    if body[j] == "\\":
                        j += 1
                    elif body[j] == '"':
                        quote = False
                elif body[j] == '"':
                    quote = True
                elif body[j] == "{":
                    depth += 1
                elif body[j] == "}":
                    depth -= 1
                j += 1
            out.append(str(cs_eval(body[i + 1 : j - 1], env)))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def cs_eval(expr: str, env: dict[str, Any]) -> Any:
    """The few C# expression shapes the table code and the installed templates use; anything else is refused."""
    expr = expr.strip()
    if len(parts := _split_top(expr, " + ")) > 1:
        return "".join(str(cs_eval(p, env)) for p in parts)
    if expr.startswith(('$"', '"')) and expr.endswith('"'):
        return _string_literal(expr, env)
    if m := re.fullmatch(r"await _localizationService\.GetResourceAsync\(\"([^\"]+)\"(?:, languageId)?\)", expr):
        return env["resources"][m.group(1).lower()]
    if m := re.fullmatch(r"WebUtility\.HtmlEncode\((.+)\)", expr, re.S):
        return html.escape(str(cs_eval(m.group(1), env)), quote=True)
    if m := re.fullmatch(r"string\.Format\((.+)\)", expr, re.S):
        fmt, *args = _split_top(m.group(1), ",")
        values = [cs_eval(a, env) for a in args]
        return re.sub(r"\{(\d+)\}", lambda g: str(values[int(g.group(1))]), str(cs_eval(fmt, env)))
    if expr in env:
        return env[expr]
    raise NotImplementedError(f"C# expression outside this reader's subset: {expr!r}")


# --- reading nopCommerce's sources ---------------------------------------------------------------


@cache
def _templates(tree: SourceTree) -> dict[str, tuple[str, str]]:
    """System name -> (subject, body) as ``InstallMessageTemplatesAsync`` installs them."""
    code = tree.read(NOP, INSTALL)
    out = {}
    for m in re.finditer(
        r'Name = MessageTemplateSystemNames\.(\w+),\s*Subject = ("(?:[^"\\]|\\.)*"),\s*Body = (\$?"(?:[^"\\]|\\.)*"),',
        code,
    ):
        env = {"Environment.NewLine": "\n"}
        out[m.group(1)] = (cs_eval(m.group(2), env), cs_eval(m.group(3), env))
    return out


@cache
def _resources(tree: SourceTree) -> dict[str, str]:
    root = etree.fromstring(tree.read_bytes(NOP, RESOURCES))
    return {r.get("Name").lower(): (r.findtext("Value") or "") for r in root.iter("LocaleResource")}


@cache
def _colors(tree: SourceTree) -> dict[str, str]:
    code = tree.read(NOP, INSTALL)
    return {f"_templatesSettings.{k}": v for k, v in re.findall(r'(Color[123]) = "([^"]+)"', code)}


@cache
def _method_lines(tree: SourceTree, signature: str) -> list[str]:
    """The ``sb.AppendLine(...)`` arguments of one method of MessageTokenProvider, in source order."""
    code = tree.read(NOP, TOKENS)
    start = code.index(signature)
    end = code.index("\n    }\n", start)
    return re.findall(r"^\s*sb\.AppendLine\((.*)\);\s*$", code[start:end], re.M)


def _line(lines: list[str], *needles: str) -> str:
    """The one AppendLine argument containing every needle (so a changed string upstream fails loudly)."""
    found = {line for line in lines if all(n in line for n in needles)}  # the same string twice is one line
    if len(found) != 1:
        raise LookupError(f"expected one AppendLine with {needles}, found {len(found)}")
    return found.pop()


# --- tokens --------------------------------------------------------------------------------------


def price(amount: Decimal) -> str:
    """C#'s "C" format for en-US, which nopCommerce's price formatter uses for USD."""
    return f"-${-amount:,.2f}" if amount < 0 else f"${amount:,.2f}"


def _order_table(tree: SourceTree, order: Order) -> str:
    lines = _method_lines(tree, "ProductListToHtmlTableAsync(Order order")
    totals = _method_lines(tree, "WriteTotalsAsync(Order order")
    env: dict[str, Any] = {"resources": _resources(tree), **_colors(tree)}
    out = [cs_eval(_line(lines, "<table border"), env), cs_eval(_line(lines, "Color1"), env)]
    for key in ("Name", "Price", "Quantity", "Total"):
        out.append(cs_eval(_line(lines, f'"Messages.Order.Product(s).{key}"', "<th>"), env))
    out.append(cs_eval(_line(lines, '"</tr>"'), env))
    for item in order.items:
        env.update(
            {
                "productName": item.name,
                "sku": item.sku,
                "unitPriceStr": price(item.unit_price),
                "orderItem.Quantity": item.quantity,
                "priceStr": price(item.line_total),
            }
        )
        out.append(cs_eval(_line(lines, "Color2"), env))
        out.append(cs_eval(_line(lines, "HtmlEncode(productName)"), env))
        out.append(cs_eval(_line(lines, '"<br />"'), env))  # the SKU line (ShowSkuOnProductDetailsPage is on)
        out.append(cs_eval(_line(lines, '"Messages.Order.Product(s).SKU"'), env))
        out.append(cs_eval(_line(lines, '"</td>"'), env))
        out.append(cs_eval(_line(lines, "{unitPriceStr}"), env))
        out.append(cs_eval(_line(lines, "{orderItem.Quantity}"), env))
        out.append(cs_eval(_line(lines, "{priceStr}"), env))
        out.append(cs_eval(_line(lines, '"</tr>"'), env))
    env.update(
        {
            "cusSubTotal": price(order.subtotal),
            "cusShipTotal": price(order.shipping),
            "cusTaxTotal": price(order.tax),
            "cusTotal": price(order.total),
        }
    )
    for needle in ("{cusSubTotal}", "{cusShipTotal}", "{cusTaxTotal}", "{cusTotal}"):
        out.append(cs_eval(_line(totals, needle), env))
    out.append(cs_eval(_line(lines, '"</table>"'), env))
    return "".join(f"{line}\n" for line in out)  # AppendLine


def _shipment_table(tree: SourceTree, order: Order) -> str:
    lines = _method_lines(tree, "ProductListToHtmlTableAsync(Shipment shipment")
    env: dict[str, Any] = {"resources": _resources(tree), **_colors(tree)}
    out = [cs_eval(_line(lines, "<table border"), env), cs_eval(_line(lines, "Color1"), env)]
    for key in ("Name", "Quantity"):
        out.append(cs_eval(_line(lines, f'"Messages.Order.Product(s).{key}"', "<th>"), env))
    out.append(cs_eval(_line(lines, '"</tr>"'), env))
    for item in order.items:
        env.update({"productName": item.name, "sku": item.sku, "si.Quantity": item.quantity})
        out.append(cs_eval(_line(lines, "Color2"), env))
        out.append(cs_eval(_line(lines, "HtmlEncode(productName)"), env))
        out.append(cs_eval(_line(lines, '"<br />"'), env))
        out.append(cs_eval(_line(lines, '"Messages.Order.Product(s).SKU"'), env))
        out.append(cs_eval(_line(lines, '"</td>"'), env))
        out.append(cs_eval(_line(lines, "{si.Quantity}"), env))
        out.append(cs_eval(_line(lines, '"</tr>"'), env))
    out.append(cs_eval(_line(lines, '"</table>"'), env))
    return "".join(f"{line}\n" for line in out)


def _tokens(tree: SourceTree, order: Order, order_id: int) -> dict[str, tuple[Any, bool]]:
    """Token name -> (value, never HTML-encoded), as MessageTokenProvider adds them for these templates."""
    c = order.customer
    return {
        "Store.Name": (STORE, False),
        "Store.URL": (STORE_URL, False),
        "Store.Email": (STORE_EMAIL, False),
        "Order.OrderNumber": (order.number, False),
        "Order.CustomerFullName": (f"{c.first} {c.last}", False),
        "Order.OrderURLForCustomer": (f"{STORE_URL}orderdetails/{order_id}", False),
        "Order.CreatedOn": (order.created.strftime("%A, %B %-d, %Y"), False),  # ToString("D", en-US)
        "Order.BillingFirstName": (c.first, False),
        "Order.BillingLastName": (c.last, False),
        "Order.BillingAddress1": (c.street, False),
        "Order.BillingAddress2": ("", False),
        "Order.BillingCity": (c.city, False),
        "Order.BillingZipPostalCode": (c.postcode, False),
        "Order.BillingStateProvince": ("", False),
        "Order.BillingCountry": (c.country, False),
        "Order.Shippable": (True, False),
        "Order.ShippingFirstName": (c.first, False),
        "Order.ShippingLastName": (c.last, False),
        "Order.ShippingAddress1": (c.street, False),
        "Order.ShippingAddress2": ("", False),
        "Order.ShippingCity": (c.city, False),
        "Order.ShippingZipPostalCode": (c.postcode, False),
        "Order.ShippingStateProvince": ("", False),
        "Order.ShippingCountry": (c.country, False),
        "Order.ShippingMethod": ("Ground", False),
        "Order.IsCompletelyShipped": (True, False),
        "Order.IsCompletelyDelivered": (True, False),
        "Order.AmountRefunded": (price(order.total), False),
        "Order.Product(s)": (_order_table(tree, order), True),
        "Shipment.Product(s)": (_shipment_table(tree, order), True),
        "Customer.PasswordRecoveryURL": (f"{STORE_URL}passwordrecovery/confirm?token=6c1f&guid=9e2b", False),
    }


_IF = re.compile(r"%if(?P<inner>\s*(?P<cond>\((?:[^()]|\([^()]*\))*\))(?:(?!%if|endif%).)*?)endif%", re.S | re.I)


def tokenize(template: str, tokens: dict[str, tuple[Any, bool]]) -> str:
    """``Tokenizer.Replace``: conditional statements first, then each %token% (HTML-encoded unless exempt)."""

    def condition(cond: str) -> bool:
        text = re.sub(r"%([\w.()]+)%", lambda m: str(tokens[m.group(1)][0]), cond)
        return bool(eval(text.replace("!", " not "), {"__builtins__": {}}, {}))  # noqa: S307 - "(True)", "(!False)"

    def resolve(m: re.Match[str]) -> str:
        # met: only the "(condition)" goes; unmet: the whole statement goes; then %if / endif% are dropped
        inner = m.group("inner")
        return inner.replace(m.group("cond"), "", 1) if condition(m.group("cond")) else ""

    text = _IF.sub(resolve, template)

    def value(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in tokens:
            return m.group(0)
        raw, exempt = tokens[name]
        raw = str(raw) if not isinstance(raw, bool) else str(raw)
        return raw if exempt else html.escape(raw, quote=True)

    text = re.sub(r"%([\w.()]+)%", value, text)
    if leftover := re.findall(r"%[A-Z][\w.()]+%", text):
        raise LookupError(f"tokens without a value: {leftover}")
    return text


# --- the templates -------------------------------------------------------------------------------

ORDER_KINDS = (
    ("ORDER_PLACED_CUSTOMER_NOTIFICATION", "order_confirmation", "order_placed", 5),
    ("ORDER_PAID_CUSTOMER_NOTIFICATION", "payment", "order_paid", 3),
    ("ORDER_REFUNDED_CUSTOMER_NOTIFICATION", "refund", "order_refunded", 3),
    ("ORDER_CANCELLED_CUSTOMER_NOTIFICATION", "cancellation", "order_cancelled", 3),
)
SHIPMENT_KINDS = (
    ("SHIPMENT_SENT_CUSTOMER_NOTIFICATION", "shipping", "shipment_sent", 4),
    ("SHIPMENT_DELIVERED_CUSTOMER_NOTIFICATION", "delivery", "shipment_delivered", 3),
)
ACCOUNT_KINDS = (
    ("CUSTOMER_WELCOME_MESSAGE", "welcome", 2),
    ("CUSTOMER_PASSWORD_RECOVERY_MESSAGE", "password_recovery", 2),
)


def _money(amount: Decimal) -> str:
    return str(amount.quantize(Decimal("0.01")))


def render(tree: SourceTree) -> Iterator[Sample]:
    templates = _templates(tree)
    start = 1053
    for system_name, kind, short, count in (*ORDER_KINDS, *SHIPMENT_KINDS):
        subject_t, body_t = templates[system_name]
        for n, order in enumerate(orders("en", count, seed=f"nop-{short}", number="{n}", start=start), 1):
            tokens = _tokens(tree, order, order_id=int(order.number))
            labels: dict[str, Any] = {
                "kind": kind,
                "language": "en",
                "greeting": {"name": f"{order.customer.first} {order.customer.last}"},
                "order_number": order.number,
                "delivery_estimate": None,
            }
            if (system_name, kind, short, count) in ORDER_KINDS:
                labels |= {
                    "items": item_labels(order),
                    "currency": "USD",
                    "total": _money(order.total),
                    "subtotal": _money(order.subtotal),
                    "shipping": _money(order.shipping),
                }
            else:
                labels |= {"items": item_labels(order, unit_price=False, line_total=False), "total": None}
            yield Sample(
                name=f"en_{kind}_{short}_{n}",
                subject=tokenize(subject_t, tokens),
                html=tokenize(body_t, tokens),
                text=None,
                labels=labels,
                sender=f'"{STORE}" <{STORE_EMAIL}>',
                to=f"{order.customer.first} {order.customer.last} <{order.customer.email}>",
                date=order.created,
            )
        start += count
    for system_name, short, count in ACCOUNT_KINDS:
        subject_t, body_t = templates[system_name]
        for n, order in enumerate(orders("en", count, seed=f"nop-{short}"), 1):
            tokens = _tokens(tree, order, order_id=0)
            yield Sample(
                name=f"en_account_{short}_{n}",
                subject=tokenize(subject_t, tokens),
                html=tokenize(body_t, tokens),
                text=None,
                labels={
                    "kind": "account",
                    "language": "en",
                    "greeting": None,
                    "order_number": None,
                    "items": [],
                    "total": None,
                    "delivery_estimate": None,
                },  # fmt: skip
                sender=f'"{STORE}" <{STORE_EMAIL}>',
                to=f"{order.customer.first} {order.customer.last} <{order.customer.email}>",
                date=order.created,
            )
