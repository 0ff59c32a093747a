"""Bagisto: the Shop package's Blade email views and layout, with Bagisto's own translations of the shop strings.

What is read at render time (nothing here copies a string or a tag of theirs):
- ``packages/Webkul/Shop/src/Resources/views/emails/{layout,orders/*,customers/*}.blade.php``: the markup and the
  control flow, run by the small Blade interpreter below;
- ``packages/Webkul/Shop/src/Resources/lang/{en,pl,ru,uk,de,zh_CN}/app.php``: every visible string (``@lang`` and
  ``trans``), read with the same PHP expression parser (``return [...]``), falling back to ``en`` for a missing key
  as Laravel's ``fallback_locale`` does; the subjects are ``trans('shop::app.emails.….subject')`` as in
  ``packages/Webkul/Shop/src/Mail/**``;
- ``packages/Webkul/Core/src/Helpers/SupportedCurrencies.php``: the currency symbols the installer seeds.

Interpreted, not hand-translated: Blade's ``{{ }}`` (escaped), ``{!! !!}``, ``@lang``, ``@if/@elseif/@else``,
``@foreach``, ``@php``, ``@component`` with ``$slot``, and PHP expressions (property and method chains, calls,
``::``, arrays, ``.``, comparisons, ``!``, ``&&``/``||``, ``??``, ``?:``, ``isset``, ``empty``, assignment).
Blade's whitespace is kept: a directive's ``?>`` eats the newline after it, an echo keeps it.

Hand-written runtime (what the Laravel app would supply): ``core()`` (``formatPrice`` as ``CurrencyFormatter``'s
default path: ICU ``NumberFormatter(locale, CURRENCY)`` with the seeded symbol, here CLDR via babel plus ICU's
minimum grouping digits; ``formatDate``; ``getConfigData`` with the tax display defaults of
``Admin/src/Config/system.php``, ``excluding_tax``), ``route()``, ``config()``, ``bagisto_asset()``, and the
fictional orders as objects with the attributes the views read (customer_full_name is first + " " + last, as
``Order::getCustomerFullNameAttribute``). Store data (payment and shipping titles, store name) is the store's own.

Labels: the greeting is "Dear <full name>"; the order number is the increment id the views print after "#"; items
show unit price and quantity (no line totals); totals as the summary block shows them.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Any

from babel.numbers import format_currency, get_currency_symbol

from ..common import Sample, Source, SourceTree
from ..orders import Order, orders

BAGISTO = Source("bagisto/bagisto", "889a7c6bd7200867d528f6ddc2668798e7db05d8", "MIT", "both")
SOURCES = [BAGISTO]

SHOP = "packages/Webkul/Shop/src/Resources"
LOCALES = {"en": "en", "pl": "pl", "ru": "ru", "uk": "uk", "de": "de", "zh": "zh_CN"}
STORES = {  # store name, domain, shipping title, payment title (store configuration, per channel locale)
    "en": ("Harbor & Pine", "harborpine.example", "Flat Rate - Standard Delivery", "Cash On Delivery"),
    "pl": ("Sklep Zielony Las", "zielonylas.example", "Kurier InPost - Dostawa standardowa", "Płatność przy odbiorze"),
    "ru": ("Лавка у Моста", "lavka-most.example", "Почта России - Стандартная доставка", "Оплата при получении"),
    "uk": (
        "Крамниця Полтава",
        "kramnytsia-poltava.example",
        "Нова Пошта - Доставка у відділення",
        "Оплата при отриманні",
    ),
    "de": ("Elbe Warenhaus", "elbe-warenhaus.example", "DHL - Standardversand", "Nachnahme"),
    "zh": ("青竹小铺", "qingzhu-shop.example", "顺丰速运 - 标准快递", "货到付款"),
}
STATES = {"Springfield": "IL", "Portland": "OR", "Denver": "CO"}


# --- PHP expressions: lexer, Pratt parser, evaluator ----------------------------------------------------------

TOKEN = re.compile(
    r"""\s*(?:
      (?P<var>\$\w+)
    | (?P<num>\d+(?:\.\d+)?)
    | (?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
    | (?P<name>\\?[A-Za-z_]\w*(?:\\\w+)*)
    | (?P<op>===|!==|==|!=|<=|>=|&&|\|\||\?\?|\?:|->|::|=>|[-+*/.<>!?:,()\[\]=;])
    )""",
    re.X,
)


def _tokens(src: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    src = src.rstrip()
    while pos < len(src):
        m = TOKEN.match(src, pos)
        if not m or m.end() == pos:
            raise SyntaxError(f"PHP: cannot read {src[pos : pos + 30]!r}")
        kind = m.lastgroup or ""
        out.append((kind, m.group(kind)))
        pos = m.end()
        while pos < len(src) and src[pos].isspace():
            pos += 1
    return out


def _php_string(lit: str) -> str:
    body = lit[1:-1]
    if lit[0] == "'":
        return re.sub(r"\\([\\'])", r"\1", body)
    escapes = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "$": "$"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), "\\" + m.group(1)), body)


BINARY = {  # PHP 8 precedence, higher binds tighter
    "||": 1,
    "&&": 2,
    "==": 3,
    "!=": 3,
    "===": 3,
    "!==": 3,
    "<": 4,
    ">": 4,
    "<=": 4,
    ">=": 4,
    ".": 5,
    "+": 6,
    "-": 6,
    "*": 7,
    "/": 7,
}


class Parser:
    def __init__(self, src: str) -> None:
        self.toks = _tokens(src)
        self.i = 0

    def peek(self, value: str | None = None) -> bool:
        return self.i < len(self.toks) and (value is None or self.toks[self.i][1] == value)

    def take(self, value: str | None = None) -> tuple[str, str]:
        if value is not None and not self.peek(value):
            got = self.toks[self.i][1] if self.i < len(self.toks) else "end"
            raise SyntaxError(f"PHP: expected {value!r}, got {got!r}")
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def done(self) -> bool:
        return self.i >= len(self.toks)

    def expr(self) -> Any:
        return self.assignment()

    def assignment(self) -> Any:
        left = self.ternary()
        if self.peek("="):
            self.take("=")
            return ("assign", left, self.assignment())
        return left

    def ternary(self) -> Any:
        cond = self.coalesce()
        while True:
            if self.peek("?:"):
                self.take()
                cond = ("elvis", cond, self.coalesce())
            elif self.peek("?"):
                self.take()
                yes = self.assignment()
                self.take(":")
                cond = ("cond", cond, yes, self.assignment())
            else:
                return cond

    def coalesce(self) -> Any:
        left = self.binary(1)
        if self.peek("??"):
            self.take()
            return ("coalesce", left, self.coalesce())
        return left

    def binary(self, level: int) -> Any:
        left = self.unary()
        while self.i < len(self.toks) and self.toks[self.i][0] == "op" and BINARY.get(self.toks[self.i][1], 0) >= level:
            op = self.take()[1]
            right = self.binary(BINARY[op] + 1)
            left = ("bin", op, left, right)
        return left

    def unary(self) -> Any:
        if self.peek("!"):
            self.take()
            return ("not", self.unary())
        if self.peek("-"):
            self.take()
            return ("neg", self.unary())
        return self.postfix(self.primary())

    def args(self) -> list[Any]:
        self.take("(")
        out = []
        while not self.peek(")"):
            out.append(self.expr())
            if not self.peek(")"):
                self.take(",")
        self.take(")")
        return out

    def primary(self) -> Any:
        kind, value = self.take()
        if kind == "var":
            return ("var", value[1:])
        if kind == "num":
            return ("lit", Decimal(value) if "." in value else int(value))
        if kind == "str":
            return ("lit", _php_string(value))
        if value == "(":
            inner = self.expr()
            self.take(")")
            return inner
        if value == "[":
            items = []
            while not self.peek("]"):
                first = self.expr()
                if self.peek("=>"):
                    self.take()
                    items.append((first, self.expr()))
                else:
                    items.append((None, first))
                if not self.peek("]"):
                    self.take(",")
            self.take("]")
            return ("array", items)
        if kind == "name":
            low = value.lower()
            if low in ("true", "false", "null"):
                return ("lit", {"true": True, "false": False, "null": None}[low])
            if self.peek("::"):
                self.take()
                member = self.take()[1]
                if member == "class":
                    return ("lit", value.lstrip("\\"))
                return ("static", value.lstrip("\\"), member, self.args())
            if self.peek("("):
                return ("call", value, self.args())
            return ("const", value)
        raise SyntaxError(f"PHP: unexpected {value!r}")

    def postfix(self, node: Any) -> Any:
        while True:
            if self.peek("->"):
                self.take()
                name = self.take()[1]
                node = ("method", node, name, self.args()) if self.peek("(") else ("prop", node, name)
            elif self.peek("["):
                self.take()
                key = self.expr()
                self.take("]")
                node = ("index", node, key)
            else:
                return node


@cache
def parse(src: str) -> Any:
    p = Parser(src)
    node = p.expr()
    if not p.done():
        raise SyntaxError(f"PHP: trailing input in {src!r}")
    return node


class Missing(Exception):
    """A property, key or variable that is not there (``isset`` and ``??`` turn it into null)."""


def truthy(v: Any) -> bool:
    return not (v is None or v is False or v == 0 or v == "" or v == "0" or v == [] or v == {})


def to_str(v: Any) -> str:
    if v is None or v is False:
        return ""
    if v is True:
        return "1"
    return str(v)


class PhpObject:
    """A model as the views see it: attributes by name, methods as callables; a missing one is an error."""

    def __init__(self, **attrs: Any) -> None:
        self.__dict__.update(attrs)

    def get(self, name: str) -> Any:
        if name not in self.__dict__:
            raise Missing(name)
        return self.__dict__[name]


class Env:
    def __init__(self, variables: dict[str, Any], functions: dict[str, Callable[..., Any]]) -> None:
        self.vars = variables
        self.functions = functions

    def child(self, **more: Any) -> Env:
        return Env({**self.vars, **more}, self.functions)

    def eval(self, node: Any) -> Any:
        tag = node[0]
        if tag == "lit":
            return node[1]
        if tag == "var":
            if node[1] not in self.vars:
                raise Missing("$" + node[1])
            return self.vars[node[1]]
        if tag == "array":
            items = [(self.eval(k) if k is not None else None, self.eval(v)) for k, v in node[1]]
            if all(k is None for k, _ in items):
                return [v for _, v in items]
            return {k: v for k, v in items}
        if tag == "prop":
            obj = self.eval(node[1])
            if isinstance(obj, PhpObject):
                return obj.get(node[2])
            if obj is None:
                raise Missing(node[2])
            return getattr(obj, node[2])
        if tag == "index":
            container, key = self.eval(node[1]), self.eval(node[2])
            try:
                return container[key]
            except (KeyError, IndexError, TypeError):
                raise Missing(str(key)) from None
        if tag == "method":
            obj = self.eval(node[1])
            fn = obj.get(node[2]) if isinstance(obj, PhpObject) else getattr(obj, node[2])
            return fn(*[self.eval(a) for a in node[3]])
        if tag == "call":
            name = node[1]
            if name == "isset":
                return all(self._isset(a) for a in node[2])
            if name == "empty":
                return not self._isset(node[2][0]) or not truthy(self.eval(node[2][0]))
            return self.functions[name](*[self.eval(a) for a in node[2]])
        if tag == "static":
            return self.functions[f"{node[1]}::{node[2]}"](*[self.eval(a) for a in node[3]])
        if tag == "not":
            return not truthy(self.eval(node[1]))
        if tag == "neg":
            return -self.eval(node[1])
        if tag == "coalesce":
            try:
                value = self.eval(node[1])
            except Missing:
                value = None
            return value if value is not None else self.eval(node[2])
        if tag == "elvis":
            value = self.eval(node[1])
            return value if truthy(value) else self.eval(node[2])
        if tag == "cond":
            return self.eval(node[2]) if truthy(self.eval(node[1])) else self.eval(node[3])
        if tag == "assign":
            if node[1][0] != "var":
                raise SyntaxError("PHP: only $variable = … is interpreted")
            value = self.eval(node[2])
            self.vars[node[1][1]] = value
            return value
        if tag == "bin":
            return self._binary(node[1], self.eval(node[2]), node[3])
        raise SyntaxError(f"PHP: cannot evaluate {tag}")

    def _isset(self, node: Any) -> bool:
        try:
            return self.eval(node) is not None
        except Missing:
            return False

    def _binary(self, op: str, left: Any, right_node: Any) -> Any:
        if op == "&&":
            return truthy(left) and truthy(self.eval(right_node))
        if op == "||":
            return truthy(left) or truthy(self.eval(right_node))
        right = self.eval(right_node)
        if op == ".":
            return to_str(left) + to_str(right)
        if op == "===":
            return type(left) is type(right) and left == right
        if op == "!==":
            return not (type(left) is type(right) and left == right)
        if op == "==":
            return left == right
        if op == "!=":
            return left != right
        ops: dict[str, Callable[[Any, Any], Any]] = {
            "<": lambda a, b: a < b,
            ">": lambda a, b: a > b,
            "<=": lambda a, b: a <= b,
            ">=": lambda a, b: a >= b,
            "+": lambda a, b: a + b,
            "-": lambda a, b: a - b,
            "*": lambda a, b: a * b,
            "/": lambda a, b: a / b,
        }
        return ops[op](left, right)


def php_return_array(src: str) -> Any:
    """The value of a PHP file that is ``<?php [use …;] return <array>;`` (translation and config files)."""
    src = re.sub(r"/\*.*?\*/", "", src, flags=re.S)
    src = "\n".join(re.sub(r"^\s*//.*$", "", line) for line in src.splitlines())
    body = src.split("return", 1)[1].strip()
    body = body[: body.rindex(";")]
    return Env({}, {}).eval(parse(body))


# --- Blade ----------------------------------------------------------------------------------------------------


@dataclass
class Block:
    kind: str  # text | echo | raw | lang | php | if | foreach | component
    code: str = ""
    branches: list[tuple[str | None, list[Block]]] = field(default_factory=list)  # if: (cond or None, body)
    body: list[Block] = field(default_factory=list)


KNOWN_DIRECTIVES = {"lang", "if", "elseif", "else", "endif", "foreach", "endforeach", "component", "endcomponent"}
UNINTERPRETED = {  # Blade directives these views do not use; meeting one means the views changed
    "include",
    "includeIf",
    "includeWhen",
    "isset",
    "unless",
    "switch",
    "for",
    "forelse",
    "while",
    "section",
    "yield",
    "extends",
    "each",
    "props",
    "aware",
    "csrf",
    "auth",
    "guest",
    "env",
    "production",
    "push",
    "stack",
    "once",
    "verbatim",
    "json",
    "method",
    "error",
    "empty",
    "slot",
    "endslot",
    "inject",
    "class",
    "style",
}


def _balanced(src: str, start: int) -> int:
    """Index just past the parenthesis group opening at ``start`` (quotes respected)."""
    depth, quote, i = 0, "", start
    while i < len(src):
        c = src[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = ""
        elif c in "'\"":
            quote = c
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise SyntaxError("Blade: unbalanced parentheses")


def _eat_newline(src: str, pos: int) -> int:
    """PHP swallows one newline right after ``?>``."""
    if src.startswith("\r\n", pos):
        return pos + 2
    if src.startswith("\n", pos):
        return pos + 1
    return pos


def compile_blade(src: str) -> list[Block]:
    src = re.sub(r"\{\{--.*?--\}\}", "", src, flags=re.S)
    root: list[Block] = []
    stack: list[tuple[Block | None, list[Block]]] = [(None, root)]
    pos = 0
    token = re.compile(r"\{!!(.*?)!!\}|\{\{(.*?)\}\}|(?<![\w@])@(\w+)", re.S)
    while True:
        m = token.search(src, pos)
        if not m:
            stack[-1][1].append(Block("text", src[pos:]))
            break
        stack[-1][1].append(Block("text", src[pos : m.start()]))
        pos = m.end()
        if m.group(1) is not None:
            stack[-1][1].append(Block("raw", m.group(1).strip()))
            continue
        if m.group(2) is not None:
            stack[-1][1].append(Block("echo", m.group(2).strip()))
            continue
        name = m.group(3)
        args = None
        j = pos
        while j < len(src) and src[j] in " \t":
            j += 1
        if j < len(src) and src[j] == "(" and name not in ("else", "endif", "endforeach", "endcomponent", "endphp"):
            end = _balanced(src, j)
            args = src[j + 1 : end - 1].strip()
            pos = end
        if name == "php" and args is None:
            close = src.index("@endphp", pos)
            stack[-1][1].append(Block("php", src[pos:close].strip()))
            pos = _eat_newline(src, close + len("@endphp"))
            continue
        if name not in KNOWN_DIRECTIVES:
            if name in UNINTERPRETED:
                raise NotImplementedError(f"Blade directive not in the interpreted subset: @{name}")
            # not a directive Blade knows: Blade leaves it as text
            stack[-1][1].append(Block("text", src[m.start() : pos]))
            continue
        pos = _eat_newline(src, pos)
        current = stack[-1][0]
        if name == "lang":
            stack[-1][1].append(Block("lang", args or ""))
        elif name == "if":
            block = Block("if", branches=[(args, [])])
            stack[-1][1].append(block)
            stack.append((block, block.branches[0][1]))
        elif name in ("elseif", "else"):
            if current is None or current.kind != "if":
                raise SyntaxError(f"Blade: @{name} outside @if")
            stack.pop()
            current.branches.append((args if name == "elseif" else None, []))
            stack.append((current, current.branches[-1][1]))
        elif name == "foreach":
            block = Block("foreach", args or "")
            stack[-1][1].append(block)
            stack.append((block, block.body))
        elif name == "component":
            block = Block("component", args or "")
            stack[-1][1].append(block)
            stack.append((block, block.body))
        elif name in ("endif", "endforeach", "endcomponent"):
            stack.pop()
        else:
            raise AssertionError(name)
    if len(stack) != 1:
        raise SyntaxError("Blade: unclosed block")
    return root


class HtmlString(str):
    """Illuminate\\Support\\HtmlString: what ``e()`` prints as it is (a component's ``$slot``)."""


def e(value: Any) -> str:
    """Laravel's e(): htmlspecialchars(ENT_QUOTES, double_encode); an Htmlable is printed as it is."""
    if isinstance(value, HtmlString):
        return value
    return html.escape(to_str(value), quote=True).replace("&#x27;", "&#039;")


class Blade:
    def __init__(self, tree: SourceTree, resolve: Callable[[str], str]) -> None:
        self.tree = tree
        self.resolve = resolve  # "shop::emails.layout" -> path

    @cache  # noqa: B019 - a view's compiled form does not change within a run
    def view(self, name: str) -> list[Block]:
        return compile_blade(self.tree.read(BAGISTO, self.resolve(name)))

    def render(self, name: str, env: Env) -> str:
        out: list[str] = []
        self._run(self.view(name), env, out)
        return "".join(out)

    def _run(self, blocks: list[Block], env: Env, out: list[str]) -> None:
        for b in blocks:
            if b.kind == "text":
                out.append(b.code)
            elif b.kind == "echo":
                out.append(e(env.eval(parse(b.code))))
            elif b.kind == "raw":
                out.append(to_str(env.eval(parse(b.code))))
            elif b.kind == "lang":
                out.append(to_str(env.functions["trans"](*env.eval(parse(f"[{b.code}]")))))
            elif b.kind == "php":
                for stmt in filter(None, (s.strip() for s in b.code.split(";"))):
                    env.eval(parse(stmt))
            elif b.kind == "if":
                for cond, body in b.branches:
                    if cond is None or truthy(env.eval(parse(cond))):
                        self._run(body, env, out)
                        break
            elif b.kind == "foreach":
                m = re.fullmatch(r"(.*)\s+as\s+(?:\$(\w+)\s*=>\s*)?\$(\w+)", b.code, re.S)
                if not m:
                    raise SyntaxError(f"Blade: @foreach ({b.code})")
                collection = env.eval(parse(m.group(1)))
                pairs = collection.items() if isinstance(collection, dict) else enumerate(collection)
                for key, value in pairs:
                    env.vars[m.group(3)] = value  # PHP: the loop variable outlives the loop
                    if m.group(2):
                        env.vars[m.group(2)] = key
                    self._run(b.body, env, out)
            elif b.kind == "component":
                # ManagesComponents::componentData: the view sees only its data and the default slot, trimmed
                slot: list[str] = []
                self._run(b.body, env, slot)
                args = env.eval(parse(f"[{b.code}]"))
                data = {"slot": HtmlString("".join(slot).strip(" \t\n\r\0\x0b")), **(args[1] if len(args) > 1 else {})}
                out.append(self.render(args[0], Env(data, env.functions)))


# --- Laravel translator ---------------------------------------------------------------------------------------


class Translator:
    def __init__(self, tree: SourceTree, locale: str) -> None:
        self.tree = tree
        self.locale = locale
        self.words = {"own": 0, "fallback": 0}

    @cache  # noqa: B019
    def group(self, locale: str) -> dict[str, Any]:
        return php_return_array(self.tree.read(BAGISTO, f"{SHOP}/lang/{locale}/app.php"))

    def _find(self, locale: str, path: list[str]) -> str | None:
        node: Any = self.group(locale)
        for part in path:
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return node if isinstance(node, str) else None

    def trans(self, key: str, replace: dict[str, Any] | None = None, *_: Any) -> str:
        namespace, _, rest = key.partition("::")
        group, _, item = rest.partition(".")
        if namespace != "shop" or group != "app":
            raise KeyError(f"only shop::app.* strings are read: {key}")
        line = self._find(self.locale, item.split("."))
        fell_back = line is None
        if line is None:
            line = self._find("en", item.split("."))
        if line is None:
            return key
        self.words["fallback" if fell_back and self.locale != "en" else "own"] += len(
            re.findall(r"\w+", re.sub(r"<[^>]+>|:\w+", " ", line))
        )
        return laravel_replace(line, replace or {})


def laravel_replace(line: str, replace: dict[str, Any]) -> str:
    """Translator::makeReplacements: ``:key``, ``:Key`` and ``:KEY``, as one strtr (longest key first, once)."""
    if not replace:
        return line
    table: dict[str, str] = {}
    for k, v in replace.items():
        s = to_str(v)
        table[":" + k[:1].upper() + k[1:]] = s[:1].upper() + s[1:]
        table[":" + k.upper()] = s.upper()
        table[":" + k] = s
    pattern = re.compile("|".join(re.escape(k) for k in sorted(table, key=len, reverse=True)))
    return pattern.sub(lambda m: table[m.group(0)], line)


# --- The store the views run in -------------------------------------------------------------------------------


@cache
def _symbols(tree: SourceTree) -> dict[str, str]:
    src = tree.read(BAGISTO, "packages/Webkul/Core/src/Helpers/SupportedCurrencies.php")
    return dict(re.findall(r"'([A-Z]{3})' => \[[^\]]*'symbol' => '([^']*)'", src))


MIN_GROUPING = {"pl": 2}  # CLDR minimumGroupingDigits that ICU applies and babel does not


def format_price(tree: SourceTree, amount: Decimal, currency: str, locale: str) -> str:
    """CurrencyFormatter::useDefaultCurrencyFormatter: ICU currency format, the seeded symbol if it differs."""
    return icu_price(amount, currency, locale, _symbols(tree).get(currency, ""))


def icu_price(amount: Decimal, currency: str, locale: str, seeded: str) -> str:
    """NumberFormatter(locale, CURRENCY)->formatCurrency, with setSymbol(seeded) when ICU's symbol differs."""
    text = format_currency(amount, currency, locale=locale)
    icu_symbol = get_currency_symbol(currency, locale)
    if seeded and seeded != icu_symbol:
        text = text.replace(icu_symbol, seeded)
    if MIN_GROUPING.get(locale.split("_")[0], 1) > 1 and abs(amount) < 10_000:
        text = re.sub(r"(\d)[\u00a0\u202f ,.](\d{3})(?=\D)", r"\1\2", text, count=1)
    return text


@dataclass(frozen=True)
class Mail:
    view: str  # shop::emails.<view>
    kind: str
    subject_key: str
    var: str  # the view's main variable
    per_language: int


MAILS = (
    Mail("orders.created", "order_confirmation", "shop::app.emails.orders.created.subject", "order", 2),
    Mail("orders.invoiced", "invoice", "shop::app.emails.orders.invoiced.subject", "invoice", 1),
    Mail("orders.shipped", "shipping", "shop::app.emails.orders.shipped.subject", "shipment", 1),
    Mail("orders.refunded", "refund", "shop::app.emails.orders.refunded.subject", "refund", 1),
    Mail("orders.canceled", "cancellation", "shop::app.emails.orders.canceled.subject", "order", 1),
    Mail("customers.registration", "account", "shop::app.emails.customers.registration.subject", "customer", 1),
    # ResetPasswordNotification::toMail: view(…forgot-password, ['userName' => $notifiable->name, 'token' => …])
    Mail("customers.forgot-password", "account", "shop::app.emails.customers.forgot-password.subject", "reset", 1),
)


def _order_object(order: Order, lang: str) -> PhpObject:
    c = order.customer
    store = STORES[lang]
    address = PhpObject(
        company_name=None,
        name=f"{c.first} {c.last}",
        address=c.street,
        postcode=c.postcode,
        city=c.city,
        state=STATES.get(c.city, ""),
        phone=c.phone,
    )

    def item(i: Any) -> PhpObject:
        obj = PhpObject(
            sku=i.sku,
            name=i.name,
            price=i.unit_price,
            price_incl_tax=i.unit_price,
            qty_ordered=i.quantity,
            qty=i.quantity,
            qty_canceled=i.quantity,
            additional={},
            total=i.line_total,
        )
        obj.getTypeInstance = lambda: PhpObject(getOrderedItem=lambda it: it)  # simple products: the item itself
        return obj

    return PhpObject(
        id=int(order.number),
        increment_id=order.number,
        customer_first_name=c.first,
        customer_last_name=c.last,
        customer_full_name=f"{c.first} {c.last}",
        customer_email=c.email,
        created_at=order.created,
        shipping_address=address,
        billing_address=address,
        shipping_title=store[2],
        payment=PhpObject(method="cashondelivery"),
        items=[item(i) for i in order.items],
        order_currency_code=order.currency,
        sub_total=order.subtotal,
        shipping_amount=order.shipping,
        shipping_amount_incl_tax=order.shipping,
        tax_amount=order.tax,
        discount_amount=order.discount,
        grand_total=order.total,
    )


def _functions(tree: SourceTree, lang: str, translator: Translator) -> dict[str, Callable[..., Any]]:
    locale = LOCALES[lang]
    store, domain, _, payment_title = STORES[lang]
    base = f"https://{domain}"
    channel = PhpObject(logo_url=None, logo_alt=None)
    config_data = {
        "sales.taxes.sales.display_prices": "excluding_tax",
        "sales.taxes.sales.display_subtotal": "excluding_tax",
        "sales.taxes.sales.display_shipping_amount": "excluding_tax",
        "sales.payment_methods.cashondelivery.title": payment_title,
    }
    routes = {
        "shop.home.index": "/",
        "shop.customers.account.orders.view": "/customer/account/orders/view/{}",
        "shop.customer.session.index": "/customer/login",
        "shop.customers.reset_password.create": "/customer/reset-password/{}",
        "shop.customers.verify": "/customer/verify-account/{}",
    }

    def route(name: str, param: Any = None) -> str:
        return base + routes[name].format(param)

    def format_date(date: datetime, fmt: str = "d-m-Y H:i:s") -> str:
        php = {"Y": "%Y", "m": "%m", "d": "%d", "H": "%H", "i": "%M", "s": "%S"}
        return date.strftime("".join(php.get(ch, ch) for ch in fmt))

    core = PhpObject(
        getCurrentChannel=lambda: channel,
        getContactEmailDetails=lambda: {"name": store, "email": f"support@{domain}"},
        getConfigData=lambda key, *_: config_data.get(key),
        formatPrice=lambda price, code=None: format_price(tree, Decimal(price or 0), code, locale),
        formatDate=format_date,
    )
    return {
        "core": lambda: core,
        "route": route,
        "config": lambda key, default=None: {"app.name": store}.get(key, default),
        "trans": translator.trans,
        "bagisto_asset": lambda path, ns=None: f"{base}/themes/{ns or 'shop'}/default/build/assets/{path}",
        "Webkul\\Payment\\Payment::getAdditionalDetails": lambda method: [],  # no instructions configured
    }


def _labels(mail: Mail, order: Order, language: str) -> dict[str, Any]:
    c = order.customer
    labels: dict[str, Any] = {"kind": mail.kind, "language": language, "greeting": {"name": f"{c.first} {c.last}"}}
    if mail.kind == "account":
        labels.update(order_number=None, items=[], total=None, delivery_estimate=None)
        return labels
    labels["order_number"] = order.number
    labels["items"] = [
        {"name": i.name, "quantity": i.quantity, "unit_price": str(i.unit_price), "line_total": None}
        for i in order.items
    ]
    labels["currency"] = order.currency
    if mail.kind == "shipping":  # items with price and quantity, no summary block
        labels["total"] = None
    else:
        labels["subtotal"] = str(order.subtotal)
        labels["shipping"] = str(order.shipping)
        labels["total"] = str(order.total)
    labels["delivery_estimate"] = None
    return labels


def render(tree: SourceTree) -> Iterator[Sample]:
    blade = Blade(tree, lambda name: f"{SHOP}/views/{name.split('::')[1].replace('.', '/')}.blade.php")
    for lang, locale in LOCALES.items():
        store, domain, _, _ = STORES[lang]
        total = sum(m.per_language for m in MAILS)
        pool = orders(lang, total, seed="bagisto", number="{n}", start=1041 + 7 * len(store))
        k = 0
        for mail in MAILS:
            for n in range(mail.per_language):
                order = pool[k]
                k += 1
                translator = Translator(tree, locale)
                obj = _order_object(order, lang)
                if mail.var == "order":
                    variables: dict[str, Any] = {"order": obj}
                elif mail.var == "customer":
                    c = order.customer
                    variables = {"customer": PhpObject(name=f"{c.first} {c.last}", email=c.email)}
                elif mail.var == "reset":
                    c = order.customer
                    token = hashlib.sha256(f"bagisto/reset/{c.email}".encode()).hexdigest()
                    variables = {"userName": f"{c.first} {c.last}", "token": token}
                else:  # invoice / shipment / refund: the document, its order, its items
                    doc = PhpObject(
                        increment_id=str(int(order.number) + 100 * (1 + MAILS.index(mail))),
                        order_id=obj.id,
                        order=obj,
                        items=obj.items,
                        order_currency_code=order.currency,
                        sub_total=obj.sub_total,
                        shipping_amount=obj.shipping_amount,
                        shipping_amount_incl_tax=obj.shipping_amount_incl_tax,
                        tax_amount=obj.tax_amount,
                        discount_amount=obj.discount_amount,
                        grand_total=obj.grand_total,
                        carrier_title=obj.shipping_title.split(" - ")[0],
                        track_number=f"TRK{order.number}{lang.upper()}",
                    )
                    variables = {mail.var: doc}
                env = Env(variables, _functions(tree, lang, translator))
                page = blade.render(f"shop::emails.{mail.view}", env)
                subject = translator.trans(mail.subject_key)
                own, fallback = translator.words["own"], translator.words["fallback"]
                language = lang if own >= fallback else "en"
                yield Sample(
                    name=f"{lang}_{mail.kind}_{mail.view.split('.')[1]}_{n + 1}",
                    subject=subject,
                    html=page,
                    text=None,
                    labels=_labels(mail, order, language),
                    sender=f"{store} <shop@{domain}>",
                    # the Mailables' envelopes: Address(email, customer_full_name); registration: Address(email)
                    to=order.customer.email
                    if mail.var in ("customer", "reset")
                    else f"{order.customer.first} {order.customer.last} <{order.customer.email}>",
                    date=order.created,
                )
