"""A tiny interpreter for PHP *templates* (.phtml, WooCommerce email templates): markup, echo, if/else, foreach.

Platforms without a Python template engine (Magento 1 .phtml blocks,
WooCommerce email templates) write their emails as HTML with PHP islands.
This module parses those islands into a tree (text, echo, if/elseif/else,
foreach, other statements) and renders it, asking a renderer-supplied ``Env``
what each PHP expression means. The markup and the order of things come from
the platform's own file; only the meaning of each expression is supplied by
hand, and an expression the ``Env`` does not know raises, so a template that
changed upstream is noticed instead of silently rendered wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

_ISLAND = re.compile(r"<\?(php\b|=)(.*?)(\?>|\Z)", re.S)
_COMMENT = re.compile(r"/\*.*?\*/|^\s*//[^\n]*$|^\s*#[^\n]*$", re.S | re.M)


class Env(Protocol):
    def echo(self, expr: str) -> str: ...
    def test(self, expr: str) -> bool: ...
    def each(self, expr: str, target: str) -> Iterable[Any]: ...
    def run(self, code: str) -> str: ...


@dataclass
class Text:
    text: str


@dataclass
class Echo:
    expr: str


@dataclass
class Stmt:
    code: str


@dataclass
class If:
    branches: list[tuple[str, list[Any]]] = field(default_factory=list)
    otherwise: list[Any] | None = None


@dataclass
class Foreach:
    expr: str
    target: str
    body: list[Any] = field(default_factory=list)


def _strip_parens(s: str) -> str:
    s = s.strip()
    if s.startswith("(") and s.endswith(")"):
        depth = 0
        for i, ch in enumerate(s):
            depth += ch == "("
            depth -= ch == ")"
            if depth == 0 and i < len(s) - 1:
                return s  # "(a) && (b)": the outer parens are not one group
        return s[1:-1].strip()
    return s


def parse(source: str) -> list[Any]:
    """The template as a tree of Text, Echo, Stmt, If and Foreach nodes."""
    root: list[Any] = []
    stack: list[tuple[Any, list[Any]]] = [(None, root)]

    def body() -> list[Any]:
        return stack[-1][1]

    pos = 0
    for m in _ISLAND.finditer(source):
        if m.start() > pos:
            body().append(Text(source[pos : m.start()]))
        pos = m.end()
        # PHP eats one newline right after "?>"
        if m.group(3) == "?>" and source[pos : pos + 1] == "\n":
            pos += 1
        code = _COMMENT.sub("", m.group(2)).strip()
        if m.group(1) == "=":
            body().append(Echo(code.rstrip(";").strip()))
            continue
        if not code:
            continue
        for stmt in _split(code):
            _add(stmt, stack, body)
    if pos < len(source):
        body().append(Text(source[pos:]))
    if len(stack) != 1:
        raise ValueError(f"unclosed PHP block: {stack[-1][0]}")
    return root


def _split(code: str) -> list[str]:
    """One PHP island as its statements: ``$i=0; foreach (...): $i++`` is three, ``if (...):`` ends at its colon."""
    out: list[str] = []
    i, n = 0, len(code)
    while i < n:
        while i < n and code[i].isspace():
            i += 1
        if i >= n:
            break
        if m := re.match(r"(?:if|elseif|else\s+if|foreach)\s*\(", code[i:]):
            j = _close(code, i + m.end() - 1)
            k = j
            while k < n and code[k].isspace():
                k += 1
            if k < n and code[k] == ":":
                out.append(code[i : k + 1])
                i = k + 1
                continue
        if m := re.match(r"else\s*:", code[i:]):
            out.append(m.group(0))
            i += m.end()
            continue
        j = _end_of_statement(code, i)
        out.append(code[i:j].strip())
        i = j
    return [s for s in out if s.strip() not in ("", ";")]


def _close(code: str, open_at: int) -> int:
    """Index just past the parenthesis that closes the one at ``open_at`` (quotes respected)."""
    depth, i, quote = 0, open_at, ""
    while i < len(code):
        ch = code[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError(f"unbalanced parentheses in PHP: {code!r}")


def _end_of_statement(code: str, start: int) -> int:
    depth, i, quote = 0, start, ""
    while i < len(code):
        ch = code[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == ";" and depth == 0:
            return i + 1
        i += 1
    return len(code)


def _add(code: str, stack: list[tuple[Any, list[Any]]], body: Callable[[], list[Any]]) -> None:
    if m := re.fullmatch(r"echo\s+(.*?);?", code, re.S):
        body().append(Echo(m.group(1).strip().rstrip(";")))
    elif m := re.fullmatch(r"if\s*(\(.*\))\s*:", code, re.S):
        node = If(branches=[(_strip_parens(m.group(1)), [])])
        body().append(node)
        stack.append((node, node.branches[0][1]))
    elif m := re.fullmatch(r"else\s*if\s*(\(.*\))\s*:", code, re.S):
        node = stack.pop()[0]
        assert isinstance(node, If), code
        node.branches.append((_strip_parens(m.group(1)), []))
        stack.append((node, node.branches[-1][1]))
    elif re.fullmatch(r"else\s*:", code):
        node = stack.pop()[0]
        assert isinstance(node, If), code
        node.otherwise = []
        stack.append((node, node.otherwise))
    elif re.fullmatch(r"endif\s*;?", code):
        node = stack.pop()[0]
        assert isinstance(node, If), code
    elif m := re.fullmatch(r"foreach\s*\((.*)\s+as\s+(.*?)\)\s*:", code, re.S):
        node = Foreach(expr=m.group(1).strip(), target=m.group(2).strip())
        body().append(node)
        stack.append((node, node.body))
    elif re.fullmatch(r"endforeach\s*;?", code):
        node = stack.pop()[0]
        assert isinstance(node, Foreach), code
    else:
        body().append(Stmt(code))


def render(nodes: list[Any], env: Env) -> str:
    return "".join(_render(nodes, env))


def _render(nodes: list[Any], env: Env) -> Iterator[str]:
    for node in nodes:
        if isinstance(node, Text):
            yield node.text
        elif isinstance(node, Echo):
            yield env.echo(node.expr)
        elif isinstance(node, Stmt):
            yield env.run(node.code)
        elif isinstance(node, If):
            for cond, branch in node.branches:
                if env.test(cond):
                    yield from _render(branch, env)
                    break
            else:
                if node.otherwise is not None:
                    yield from _render(node.otherwise, env)
        elif isinstance(node, Foreach):
            for _ in env.each(node.expr, node.target):
                yield from _render(node.body, env)


class RuleEnv:
    """An ``Env`` from tables of (regex, handler): the first rule whose regex matches the whole expression wins.

    Whitespace in expressions is normalised (runs of spaces become one) before
    matching, so rules can be written once for "foo( $a )" and "foo($a)".
    """

    def __init__(self) -> None:
        self.echoes: list[tuple[re.Pattern[str], Callable[..., str]]] = []
        self.tests: list[tuple[re.Pattern[str], Callable[..., bool]]] = []
        self.loops: list[tuple[re.Pattern[str], Callable[..., Iterable[Any]]]] = []
        self.stmts: list[tuple[re.Pattern[str], Callable[..., str]]] = []

    @staticmethod
    def _norm(expr: str) -> str:
        expr = re.sub(r"\s+", " ", expr.strip())
        return re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", expr))

    def _find(self, table: list[tuple[re.Pattern[str], Callable[..., Any]]], expr: str, what: str) -> Any:
        norm = self._norm(expr)
        for rx, fn in table:
            if m := rx.fullmatch(norm):
                return fn(m)
        raise KeyError(f"no rule for PHP {what}: {norm!r}")

    def echo(self, expr: str) -> str:
        return str(self._find(self.echoes, expr, "echo"))

    def test(self, expr: str) -> bool:
        return bool(self._find(self.tests, expr, "condition"))

    def each(self, expr: str, target: str) -> Iterable[Any]:
        return self._find(self.loops, f"{expr} as {target}", "foreach")

    def run(self, code: str) -> str:
        return self._find(self.stmts, code, "statement")
