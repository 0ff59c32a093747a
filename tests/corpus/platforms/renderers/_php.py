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

_ISLAND_START = re.compile(r"<\?(php\b|=)")


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
    for start, kind, raw, end, closed in _islands(source):
        if start > pos:
            body().append(Text(source[pos:start]))
        pos = end
        # PHP eats one newline right after "?>"
        if closed and source[pos : pos + 1] == "\n":
            pos += 1
        code = strip_comments(raw).strip()
        if kind == "=":
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


def _islands(source: str) -> Iterator[tuple[int, str, str, int, bool]]:
    """(start, "php" or "=", code, end, closed by "?>") of each PHP island.

    Like PHP's lexer, a "?>" inside a string or a /* */ comment does not end the
    island ('#<br\\s*/?>#i' is a string), one inside a // comment does.
    """
    pos = 0
    while (m := _ISLAND_START.search(source, pos)) is not None:
        i, n, state = m.end(), len(source), ""
        while i < n:
            ch = source[i]
            if state in ("'", '"'):
                if ch == "\\":
                    i += 1
                elif ch == state:
                    state = ""
            elif state == "/*":
                if source.startswith("*/", i):
                    state, i = "", i + 1
            elif state == "//":
                if ch == "\n":
                    state = ""
                elif source.startswith("?>", i):
                    break
            elif source.startswith("?>", i):
                break
            elif ch in "'\"":
                state = ch
            elif source.startswith("/*", i):
                state, i = "/*", i + 1
            elif source.startswith("//", i) or ch == "#":
                state = "//"
            i += 1
        closed = i < n
        yield m.start(), m.group(1), source[m.end() : i], (i + 2 if closed else n), closed
        pos = i + 2 if closed else n


def _split(code: str) -> list[str]:
    """One PHP island as its statements: ``$i=0; foreach (...): $i++`` is three, ``if (...):`` ends at its colon."""
    out: list[str] = []
    i, n = 0, len(code)
    while i < n:
        while i < n and code[i].isspace():
            i += 1
        if i >= n:
            break
        if code[i] == "}":
            # "} else {" continues the same block; a lone "}" closes it
            if not re.match(r"}\s*else\b", code[i:]):
                out.append("end")
            i += 1
            continue
        if m := re.match(r"(?:if|elseif|else\s+if|foreach)\s*\(", code[i:]):
            j = _close(code, i + m.end() - 1)
            k = j
            while k < n and code[k].isspace():
                k += 1
            if k < n and code[k] in ":{":
                out.append(code[i:j] + ":")  # brace blocks become the alternative syntax
                i = k + 1
                continue
        if m := re.match(r"else\s*[:{]", code[i:]):
            out.append("else:")
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
            if depth < 0:
                return i  # the "}" of an enclosing block: the caller reads it
            if ch == "}" and depth == 0:
                return i + 1  # a braced construct (function ... { }) ends at its brace
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
    elif code == "end":
        node = stack.pop()[0]
        assert isinstance(node, If | Foreach), code
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
                done: list[str] = []
                try:
                    for chunk in _render(node.body, env):
                        done.append(chunk)
                except Continue:
                    pass
                yield "".join(done)


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


def strip_comments(code: str) -> str:
    """PHP code without /* */, // and # comments (quotes respected: "https://..." stays)."""
    out, i, n, quote = [], 0, len(code), ""
    while i < n:
        ch = code[i]
        if quote:
            out.append(ch)
            if ch == "\\" and i + 1 < n:
                out.append(code[i + 1])
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
            out.append(ch)
        elif code.startswith("/*", i):
            end = code.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        elif code.startswith("//", i) or ch == "#":
            end = code.find("\n", i)
            i = n if end < 0 else end
            continue
        else:
            out.append(ch)
        i += 1
    return "".join(out)


class Out(str):
    """What a PHP function printed (printf, esc_html_e, do_action) rather than returned."""


class Continue(Exception):  # noqa: N818 - PHP's own word
    pass


_TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")|(?P<num>\d+(?:\.\d+)?)|(?P<var>\$\w+)"
    r"|(?P<op>===|!==|==|!=|<=|>=|&&|\|\||->|=>|::|\+\+|[-+*/%.,()\[\]?:!<>=])|(?P<name>[A-Za-z_]\w*))",
    re.S,
)


def _unquote(tok: str) -> str:
    body = tok[1:-1]
    if tok[0] == "'":
        return body.replace("\\'", "'").replace("\\\\", "\\")
    if "$" in body.replace("\\$", ""):
        raise ValueError(f"interpolated PHP string not supported: {tok}")
    return body.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")


def php_str(value: Any) -> str:
    if value is None or value is False:
        return ""
    if value is True:
        return "1"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def truthy(value: Any) -> bool:
    return value not in (None, False, "", "0", 0, [], {})


def sprintf(fmt: str, *args: Any) -> str:
    """PHP's sprintf for %s, %d, %1$s and %%."""
    counter = iter(range(len(args)))

    def one(m: re.Match[str]) -> str:
        if m.group(0) == "%%":
            return "%"
        index = int(m.group(1)) - 1 if m.group(1) else next(counter)
        value = args[index]
        return str(int(float(value))) if m.group(2) == "d" else php_str(value)

    return re.sub(r"%%|%(?:(\d+)\$)?([sd])", one, fmt)


class Interpreter:
    """An ``Env`` that evaluates a subset of PHP expressions and statements itself.

    Covered: string and number literals, ``$variables``, ``array()`` and ``[]``,
    function calls (from ``functions``), method calls and properties on Python
    objects (``$order->get_total()`` calls ``order.get_total()``), indexing,
    ``.``, ``!``, ``&&``, ``||``, comparisons, ``?:``, assignments and ``$i++``.
    What each WordPress/WooCommerce function does is given by the renderer.
    """

    def __init__(self, functions: dict[str, Callable[..., Any]], variables: dict[str, Any]) -> None:
        self.functions = functions
        self.vars = dict(variables)
        self.constants: dict[str, Any] = {"true": True, "false": False, "null": None, "ENT_QUOTES": 3}
        self.lenient = False  # True: an array entry that fails to evaluate is left out instead of failing all

    # -- Env ---------------------------------------------------------------------------------
    def echo(self, expr: str) -> str:
        return "".join(php_str(v) for v in self._eval_all(expr))

    def test(self, expr: str) -> bool:
        return truthy(self.eval(expr))

    def each(self, expr: str, target: str) -> Iterable[Any]:
        items = self.eval(expr)
        pairs = items.items() if isinstance(items, dict) else enumerate(items or [])
        key, _, value = target.partition("=>")
        if not value:
            key, value = "", key
        for k, v in list(pairs):
            if key.strip():
                self.vars[key.strip().lstrip("$")] = k
            self.vars[value.strip().lstrip("$")] = v
            yield None

    def run(self, code: str) -> str:
        code = code.strip().rstrip(";").strip()
        if re.fullmatch(r"defined\(\s*'ABSPATH'\s*\)\s*\|\|\s*exit", code):
            return ""  # the direct-access guard every WordPress template starts with
        if code in ("exit", "continue"):
            raise Continue if code == "continue" else SystemExit("PHP exit reached")
        if m := re.fullmatch(r"\$(\w+)\s*\+\+", code):
            self.vars[m.group(1)] = self.vars.get(m.group(1), 0) + 1
            return ""
        if m := re.fullmatch(r"\$(\w+)\s*=(?!=)\s*(.*)", code, re.S):
            self.vars[m.group(1)] = self.eval(m.group(2))
            return ""
        value = self.eval(code)
        return value if isinstance(value, Out) else ""

    # -- expressions -----------------------------------------------------------------------------
    def eval(self, expr: str) -> Any:
        values = self._eval_all(expr)
        if len(values) != 1:
            raise ValueError(f"one PHP expression expected: {expr!r}")
        return values[0]

    def _eval_all(self, expr: str) -> list[Any]:
        self._toks = self._tokenize(strip_comments(expr))
        self._pos = 0
        values = [self._ternary()]
        while self._peek() == ",":
            self._pos += 1
            values.append(self._ternary())
        if self._pos != len(self._toks):
            raise ValueError(f"PHP parse stopped at {self._toks[self._pos :]!r} in {expr!r}")
        return values

    @staticmethod
    def _tokenize(expr: str) -> list[tuple[str, str]]:
        toks, pos = [], 0
        expr = expr.strip()
        while pos < len(expr):
            m = _TOKEN.match(expr, pos)
            if not m or m.end() == pos:
                raise ValueError(f"cannot read PHP at {expr[pos : pos + 30]!r}")
            kind = m.lastgroup or ""
            toks.append((kind, m.group(kind)))
            pos = m.end()
            while pos < len(expr) and expr[pos].isspace():
                pos += 1
        return toks

    def _peek(self) -> str | None:
        return self._toks[self._pos][1] if self._pos < len(self._toks) else None

    def _take(self, want: str | None = None) -> tuple[str, str]:
        tok = self._toks[self._pos]
        if want is not None and tok[1] != want:
            raise ValueError(f"PHP: expected {want!r}, found {tok[1]!r}")
        self._pos += 1
        return tok

    def _ternary(self) -> Any:
        cond = self._or()
        if self._peek() == "?":
            self._take("?")
            a = self._ternary()
            self._take(":")
            b = self._ternary()
            return a if truthy(cond) else b
        return cond

    def _or(self) -> Any:
        a = self._and()
        while self._peek() == "||":
            self._take()
            b = self._and()
            a = truthy(a) or truthy(b)
        return a

    def _and(self) -> Any:
        a = self._cmp()
        while self._peek() == "&&":
            self._take()
            b = self._cmp()
            a = truthy(a) and truthy(b)
        return a

    def _cmp(self) -> Any:
        a = self._add()
        op = self._peek()
        if op in ("===", "!==", "==", "!=", "<", ">", "<=", ">="):
            self._take()
            b = self._add()
            return {
                "===": lambda: a == b and type(a) is type(b),
                "!==": lambda: not (a == b and type(a) is type(b)),
                "==": lambda: a == b,
                "!=": lambda: a != b,
                "<": lambda: a < b,
                ">": lambda: a > b,
                "<=": lambda: a <= b,
                ">=": lambda: a >= b,
            }[op]()
        return a

    def _add(self) -> Any:
        a = self._mul()
        while self._peek() in (".", "+", "-"):
            op = self._take()[1]
            b = self._mul()
            a = php_str(a) + php_str(b) if op == "." else (a + b if op == "+" else a - b)
        return a

    def _mul(self) -> Any:
        a = self._unary()
        while self._peek() in ("*", "%", "/"):
            op = self._take()[1]
            b = self._unary()
            a = a * b if op == "*" else (a % b if op == "%" else a / b)
        return a

    def _unary(self) -> Any:
        if self._peek() == "!":
            self._take()
            return not truthy(self._unary())
        if self._peek() == "-":
            self._take()
            return -self._unary()
        return self._postfix()

    def _args(self) -> list[Any]:
        self._take("(")
        args = []
        while self._peek() != ")":
            args.append(self._ternary())
            if self._peek() == ",":
                self._take()
        self._take(")")
        return args

    def _postfix(self) -> Any:
        value = self._primary()
        while self._peek() in ("->", "["):
            if self._take()[1] == "->":
                name = self._take()[1]
                if self._peek() == "(":
                    args = self._args()
                    method = getattr(value, name, None)
                    if method is None:
                        raise KeyError(f"PHP method {type(value).__name__}->{name}() not provided")
                    value = method(*args)
                else:
                    value = getattr(value, name)
            else:
                key = self._ternary()
                self._take("]")
                value = value[key]
        return value

    def _array(self, close: str) -> Any:
        items: list[tuple[Any, Any]] = []
        keyed = False
        while self._peek() != close:
            start = self._pos
            try:
                first = self._ternary()
                if self._peek() == "=>":
                    self._take()
                    items.append((first, self._ternary()))
                    keyed = True
                else:
                    items.append((len(items), first))
            except (KeyError, ValueError, TypeError, IndexError):
                if not self.lenient:
                    raise
                self._skip_item(start, close)  # a language file's entry built from a setting this shop lacks
            if self._peek() == ",":
                self._take()
        self._take(close)
        return dict(items) if keyed else [v for _, v in items]

    def _skip_item(self, start: int, close: str) -> None:
        """Move past one array entry (to its "," or the array's end) after it failed to evaluate."""
        self._pos, depth = start, 0
        while self._pos < len(self._toks):
            tok = self._toks[self._pos][1]
            if depth == 0 and tok in (",", close):
                return
            depth += tok in ("(", "[")
            depth -= tok in (")", "]")
            self._pos += 1

    def _primary(self) -> Any:
        kind, tok = self._take()
        if kind == "str":
            return _unquote(tok)
        if kind == "num":
            return float(tok) if "." in tok else int(tok)
        if kind == "var":
            name = tok[1:]
            if name == "this":
                return self.vars["this"]
            if name not in self.vars:
                raise KeyError(f"PHP variable ${name} not provided")
            return self.vars[name]
        if tok == "(":
            value = self._ternary()
            self._take(")")
            return value
        if tok == "[":
            return self._array("]")
        if kind == "name":
            if tok == "array" and self._peek() == "(":
                self._take("(")
                return self._array(")")
            if self._peek() == "(":
                if tok not in self.functions:
                    raise KeyError(f"PHP function {tok}() not provided")
                return self.functions[tok](*self._args())
            if tok in self.constants:
                return self.constants[tok]
            raise KeyError(f"PHP constant {tok} not provided")
        raise ValueError(f"unexpected PHP token {tok!r}")
