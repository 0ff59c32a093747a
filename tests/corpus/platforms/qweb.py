"""A small QWeb interpreter: the subset Odoo's mail templates use, so their own bodies render here without Odoo.

Odoo renders a ``mail.template`` body with its QWeb engine: directives on
elements (``t-if``/``t-elif``/``t-else``, ``t-foreach``/``t-as``, ``t-set``/
``t-value``, ``t-out``/``t-esc``, ``t-att-*``, ``t-attf-*``) whose values are
Python expressions over ``object`` (the record) and a few helpers. This module
interprets exactly those directives on an lxml tree; the expressions are Python,
so they are evaluated by Python (as Odoo's ``safe_eval`` does) against fake
records (``Rec``) that carry only the fields a template reads. A directive this
subset does not know raises, instead of rendering something Odoo would not.

Undefined names evaluate to ``None``, as in Odoo's compiled QWeb, and a field a
fake record lacks reads as an empty record (falsy, empty text), as a missing
relational value does in Odoo.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from lxml import etree
from markupsafe import Markup, escape

VOID = {"br", "img", "hr", "input", "meta", "link", "col", "area", "base", "wbr", "source"}
KNOWN = {"t-if", "t-elif", "t-else", "t-foreach", "t-as", "t-set", "t-value", "t-out", "t-esc", "t-translation"}


class Empty:
    """What a record field that is not set reads as: falsy, empty, and empty again on any attribute."""

    def __bool__(self) -> bool:
        return False

    def __getattr__(self, name: str) -> Empty:
        if name.startswith("__"):
            raise AttributeError(name)
        return EMPTY

    def __str__(self) -> str:
        return ""

    def __iter__(self):  # an empty recordset iterates over nothing
        return iter(())

    def __len__(self) -> int:
        return 0

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Empty) or other is False or other is None

    def __hash__(self) -> int:
        return 0


EMPTY = Empty()


class Rec:
    """A fake Odoo record: the fields given as keywords, any other field reads as ``EMPTY``."""

    def __init__(self, **fields: Any) -> None:
        self.__dict__.update(fields)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return EMPTY

    def __bool__(self) -> bool:
        return True

    def __str__(self) -> str:  # a record printed is its display name
        return str(self.__dict__.get("display_name") or self.__dict__.get("name") or "")


class _Values(dict):
    """QWeb's rendering values: a name that was never set reads as None (builtins stay builtins)."""

    def __missing__(self, key: str) -> Any:
        return _BUILTINS.get(key)


def evaluate(expr: str, values: dict[str, Any]) -> Any:
    """A template expression, evaluated as Python over the rendering values (Odoo uses safe_eval)."""
    return eval(expr.strip(), {"__builtins__": _BUILTINS}, values)  # noqa: S307 - expressions come from the template


_BUILTINS = {
    "len": len,
    "str": str,
    "int": int,
    "float": float,
    "hasattr": hasattr,
    "bool": bool,
    "min": min,
    "max": max,
    "abs": abs,
    "round": round,
    "True": True,
    "False": False,
    "None": None,
}

_INLINE = re.compile(r"\{\{(.+?)\}\}", re.S)


def render_inline(template: str, values: dict[str, Any]) -> str:
    """Odoo's ``inline_template`` engine (subjects, ``t-attf-*``): each ``{{ expr }}`` replaced by its value."""
    return _INLINE.sub(lambda m: _text(evaluate(m.group(1), values)), template)


def _text(value: Any) -> str:
    if value is None or value is False or isinstance(value, Empty):
        return ""
    return str(value)


def _out(value: Any) -> str:
    """What ``t-out`` writes: Markup as it is, anything else escaped."""
    if value is None or value is False or isinstance(value, Empty):
        return ""
    if isinstance(value, Markup):
        return str(value)
    return str(escape(str(value)))


def render(root: etree._Element, values: dict[str, Any], *, keep_root: bool = True) -> str:
    """Render ``root`` (an element of a QWeb template) with ``values``; returns HTML."""
    scope = _Values(values)
    if keep_root:
        return "".join(_render_nodes([root], scope, with_tail=False))
    return _esc_text(root.text) + "".join(_render_nodes(list(root), scope))


def _esc_text(text: str | None) -> str:
    return str(escape(text)) if text else ""


def _render_nodes(nodes: Iterable[etree._Element], values: _Values, with_tail: bool = True) -> list[str]:
    out: list[str] = []
    branch_taken: bool | None = None  # state of the current t-if / t-elif / t-else chain
    for node in nodes:
        tail = _esc_text(node.tail) if with_tail else ""
        if not isinstance(node.tag, str):  # comments, processing instructions
            out.append(tail)
            continue
        attrib = node.attrib
        if "t-if" in attrib:
            branch_taken = bool(evaluate(attrib["t-if"], values))
            go = branch_taken
        elif "t-elif" in attrib:
            if branch_taken is None:
                raise ValueError("t-elif without t-if")
            go = not branch_taken and bool(evaluate(attrib["t-elif"], values))
            branch_taken = branch_taken or go
        elif "t-else" in attrib:
            if branch_taken is None:
                raise ValueError("t-else without t-if")
            go = not branch_taken
            branch_taken = None
        else:
            go = True
            branch_taken = None
        if go:
            out.append(_render_element(node, values))
        out.append(tail)
    return out


def _render_element(node: etree._Element, values: _Values) -> str:
    attrib = node.attrib
    unknown = [k for k in attrib if k.startswith("t-") and k not in KNOWN and not k.startswith(("t-att-", "t-attf-"))]
    if unknown:
        raise NotImplementedError(f"QWeb directive(s) {unknown} on <{node.tag}> are outside this interpreter's subset")
    if "t-foreach" in attrib:
        items = evaluate(attrib["t-foreach"], values)
        name = attrib["t-as"]
        seq = list(items or [])
        parts = []
        for index, item in enumerate(seq):
            values[name] = item
            values[f"{name}_index"] = index
            values[f"{name}_first"] = index == 0
            values[f"{name}_last"] = index == len(seq) - 1
            values[f"{name}_value"] = item
            parts.append(_render_element_once(node, values))
        return "".join(parts)
    return _render_element_once(node, values)


def _render_element_once(node: etree._Element, values: _Values) -> str:
    attrib = node.attrib
    if "t-set" in attrib:
        if "t-value" in attrib:
            values[attrib["t-set"]] = evaluate(attrib["t-value"], values)
        else:
            values[attrib["t-set"]] = Markup(_children(node, values))
        return ""
    if node.tag == "t":
        return _content(node, values)
    attrs = []  # attributes are rendered before the content, as QWeb does (a t-set inside sees them done)
    for key, val in attrib.items():
        if key.startswith("t-att-"):
            value = evaluate(val, values)
            if value is None or value is False or isinstance(value, Empty):
                continue
            attrs.append((key[6:], str(value)))
        elif key.startswith("t-attf-"):
            attrs.append((key[7:], render_inline(val, values)))
        elif not key.startswith("t-"):
            attrs.append((key, val))
    inner = _content(node, values)
    open_tag = "<" + node.tag + "".join(f' {k}="{escape(v)}"' for k, v in attrs)
    if node.tag in VOID:
        return open_tag + ">"
    return f"{open_tag}>{inner}</{node.tag}>"


def _content(node: etree._Element, values: _Values) -> str:
    attrib = node.attrib
    if "t-out" in attrib or "t-esc" in attrib:
        value = evaluate(attrib.get("t-out") or attrib["t-esc"], values)
        if value is not None and value is not False:
            return _out(value)
        # QWeb renders the element's own content as the default when the value is None or False
    return _children(node, values)


def _children(node: etree._Element, values: _Values) -> str:
    return _esc_text(node.text) + "".join(_render_nodes(list(node), values))


Helper = Callable[..., Any]
