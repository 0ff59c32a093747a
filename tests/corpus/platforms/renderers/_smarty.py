"""A small Smarty 3 interpreter for e-mail templates: {extends}/{block}, {if}, {assign}, {$var}, and plugin tags.

Thelia writes its emails in Smarty with its own plugin tags ({intl}, {loop},
{hook}, {format_money}, ...). This module parses the template into a tree,
resolves {extends} and {block} the way Smarty does (a child's block replaces
the parent's), and renders it; what each plugin tag and each loop type
produces is supplied by the renderer (``Plugins``). Expressions inside {if}
and {$x = ...} are evaluated by ``_php.Interpreter`` (Smarty's expressions are
PHP's, plus ``not``/``and``/``or``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from . import _php

BLOCK_TAGS = {"block", "loop", "ifloop", "elseloop", "ifhook", "elsehook", "if", "local_media", "foreach", "strip"}


@dataclass
class Tag:
    name: str  # "" for {$...} output and assignments
    args: str
    body: list[Any] = field(default_factory=list)
    branches: list[tuple[str, list[Any]]] = field(default_factory=list)  # {elseif}/{else} of an {if}


def _tag_end(src: str, start: int) -> int:
    """Index just past the "}" closing the tag opened at ``start`` (nested tags and quotes respected)."""
    depth, i, quote = 0, start, ""
    while i < len(src):
        ch = src[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
            elif ch == "{" and quote == '"' and i + 1 < len(src) and not src[i + 1].isspace():
                i = _tag_end(src, i)  # a tag embedded in a double-quoted string: "{config key="x"}"
                continue
        elif ch in "'\"":
            quote = ch
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError(f"unclosed Smarty tag at {src[start : start + 40]!r}")


def parse(src: str) -> list[Any]:
    src = re.sub(r"{\*.*?\*}", "", src, flags=re.S)
    root: list[Any] = []
    stack: list[tuple[Tag | None, list[Any]]] = [(None, root)]
    pos = 0
    while True:
        start = src.find("{", pos)
        if start < 0:
            stack[-1][1].append(src[pos:])
            break
        if start + 1 < len(src) and src[start + 1] in " \t\r\n":  # Smarty's auto-literal: "{ " is text
            stack[-1][1].append(src[pos : start + 1])
            pos = start + 1
            continue
        stack[-1][1].append(src[pos:start])
        if src.startswith("{literal}", start):
            end = src.index("{/literal}", start)
            stack[-1][1].append(src[start + 9 : end])
            pos = end + 10
            continue
        end = _tag_end(src, start)
        inner = src[start + 1 : end - 1].strip()
        pos = end
        m = re.match(r"(/?)([a-z_]+)\b\s*(.*)", inner, re.S)
        if inner.startswith(("$", "'", '"')) or not m:
            stack[-1][1].append(Tag("", inner))
            continue
        closing, name, args = m.groups()
        if closing:
            tag = stack.pop()[0]
            if tag is None or tag.name != name:
                raise ValueError(f"{{/{name}}} closes {tag.name if tag else 'nothing'}")
        elif name in ("else", "elseif") and stack[-1][0] is not None and stack[-1][0].name == "if":
            tag = stack[-1][0]
            tag.branches.append((args if name == "elseif" else "true", []))
            stack[-1] = (tag, tag.branches[-1][1])
        elif name in BLOCK_TAGS:
            tag = Tag(name, args)
            stack[-1][1].append(tag)
            stack.append((tag, tag.body))
        else:
            stack[-1][1].append(Tag(name, args))
    if len(stack) != 1:
        raise ValueError(f"unclosed {{{stack[-1][0].name}}}")  # type: ignore[union-attr]
    return root


def blocks(nodes: list[Any]) -> dict[str, Tag]:
    out: dict[str, Tag] = {}
    for node in nodes:
        if isinstance(node, Tag):
            if node.name == "block":
                out.setdefault(_name(node.args), node)
            out.update({k: v for k, v in blocks(node.body).items() if k not in out})
    return out


def _name(args: str) -> str:
    m = re.search(r"name=[\"']?([\w.-]+)", args)
    return m.group(1) if m else ""


Loop = Callable[[dict[str, Any]], Iterable[dict[str, Any]]]


class Renderer:
    """Renders a parsed template with the renderer's tags, loops and variables."""

    def __init__(
        self,
        tags: dict[str, Callable[[dict[str, Any]], str]],
        loops: dict[str, Loop],
        variables: dict[str, Any],
        load: Callable[[str], str],
    ) -> None:
        self.tags, self.loops, self.load = tags, loops, load
        self.vars = dict(variables)
        self.loop_sizes: dict[str, int] = {}
        self.overrides: dict[str, Tag] = {}

    def render_file(self, name: str) -> str:
        nodes = parse(self.load(name))
        for node in nodes:
            if isinstance(node, Tag) and node.name == "extends":
                # a child template: its blocks override the parent's, everything else in it is ignored
                self.overrides = {**blocks(nodes), **self.overrides}
                return self.render_file(self.params(node.args)["file"])
        return self.render(nodes)

    # -- values ----------------------------------------------------------------------------------
    def expr(self, text: str) -> Any:
        """A Smarty expression: nested {tags} first, then PHP-like evaluation over the variables."""
        text = re.sub(r"\bnot\s+", "!", text)
        text = re.sub(r"\band\b", "&&", re.sub(r"\bor\b", "||", text))
        nested: dict[str, Any] = {}
        while "{" in text:
            start = text.index("{")
            end = _tag_end(text, start)
            key = f"__n{len(nested)}"
            nested[key] = self.render(parse(text[start:end]))
            text = text[:start] + f"${key}" + text[end:]
        text = re.sub(r"(\$\w+|'[^']*')\|(\w+)", r"\2(\1)", text)
        interp = _php.Interpreter(
            {"date": _date, "count": len, "empty": lambda v: not _php.truthy(v)}, {**self.vars, **nested}
        )
        return interp.eval(text)

    def params(self, args: str) -> dict[str, Any]:
        """key=value pairs of a tag; a value is a quoted string, a $variable, a nested {tag} or a bare word."""
        out: dict[str, Any] = {}
        i = 0
        while i < len(args):
            m = re.compile(r"\s*(\w+)\s*=\s*").match(args, i)
            if not m:
                break
            i = m.end()
            if args[i] == "{":
                end = _tag_end(args, i)
                out[m.group(1)] = self.render(parse(args[i:end]))
            elif args[i] in "'\"":
                q = args[i]
                end = i + 1
                while args[end] != q:
                    if q == '"' and args[end] == "{" and not args[end + 1].isspace():
                        end = _tag_end(args, end)
                        continue
                    end += 2 if args[end] == "\\" else 1
                end += 1
                raw = args[i + 1 : end - 1].replace("\\" + q, q)
                out[m.group(1)] = self.render(parse(raw)) if q == '"' and "{" in raw else raw
            else:
                vm = re.compile(r"[^\s]+").match(args, i)
                end = vm.end() if vm else len(args)
                word = args[i:end]
                out[m.group(1)] = self.expr(word) if word.startswith("$") else word
            i = end
        return out

    # -- rendering -------------------------------------------------------------------------------
    def render(self, nodes: list[Any]) -> str:
        return "".join(self._node(n) for n in nodes)

    def _node(self, node: Any) -> str:  # noqa: C901 - one branch per Smarty construct
        if isinstance(node, str):
            return node
        name, args = node.name, node.args
        if name == "":
            if m := re.fullmatch(r"\$(\w+)\s*=\s*(.*)", args, re.S):
                self.vars[m.group(1)] = self.expr(m.group(2))
                return ""
            value = self.expr(re.sub(r"\s+nofilter$", "", args))
            return _php.php_str(value)
        if name == "block":
            chosen = self.overrides.get(_name(args), node)
            return self.render(chosen.body)
        if name == "if":
            if _php.truthy(self.expr(args)):
                return self.render(node.body)
            for cond, body in node.branches:
                if _php.truthy(self.expr(cond)):
                    return self.render(body)
            return ""
        if name == "assign":
            p = self.params(args)
            if "var" in p:
                self.vars[p["var"]] = p["value"]
            else:  # {assign "name" $value}
                first, rest = args.split(None, 1)
                self.vars[first.strip("'\"")] = self.expr(rest)
            return ""
        if name == "loop":
            p = self.params(args)
            rows = list(self.loops[p["type"]](p))
            self.loop_sizes[p["name"]] = len(rows)
            out = []
            saved = dict(self.vars)
            keys: set[str] = set()
            for row in rows:
                keys |= set(row)
                self.vars.update(row)
                out.append(self.render(node.body))
            # Thelia restores the loop's own variables after it ({$REF} of an outer loop survives an inner one);
            # what the body assigned stays
            for key in keys:
                if key in saved:
                    self.vars[key] = saved[key]
                else:
                    self.vars.pop(key, None)
            return "".join(out)
        if name in ("ifloop", "elseloop"):
            rel = self.params(args)["rel"]
            size = self.loop_sizes.get(rel)
            if size is None:  # the loop comes later in the template: ask its type how many rows it has
                size = len(list(self.loops["__count__"]({"rel": rel})))
            return self.render(node.body) if (size > 0) == (name == "ifloop") else ""
        if name in ("ifhook", "elsehook"):
            # no module is hooked into any e-mail hook in a fresh shop
            return self.render(node.body) if name == "elsehook" else ""
        if name == "strip":
            return "".join(line.strip() for line in self.render(node.body).splitlines())
        if name == "local_media":
            self.vars["MEDIA_URL"] = self.tags["local_media"](self.params(args))
            return self.render(node.body)
        if name in self.tags:
            return self.tags[name](self.params(args))
        raise KeyError(f"Smarty tag {{{name}}} not provided")


def _date(fmt: str) -> str:
    assert fmt == "Y", fmt
    return "2026"
