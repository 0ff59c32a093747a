"""The QWeb subset the Odoo renderer interprets: each directive behaves as Odoo's engine does."""

from __future__ import annotations

import pytest
from corpus.platforms.qweb import Rec, render, render_inline
from lxml import etree


def _render(xml: str, **values: object) -> str:
    return render(etree.fromstring(xml), values)


def test_if_elif_else_chain_takes_one_branch() -> None:
    xml = '<p><t t-if="n == 1">one</t><t t-elif="n == 2">two</t><t t-else="">many</t></p>'
    assert [_render(xml, n=n) for n in (1, 2, 3)] == ["<p>one</p>", "<p>two</p>", "<p>many</p>"]


def test_foreach_sets_item_index_and_last() -> None:
    xml = '<ul><li t-foreach="items" t-as="x"><t t-out="x"/>/<t t-out="x_index"/><t t-if="x_last">!</t></li></ul>'
    assert _render(xml, items=["a", "b"]) == "<ul><li>a/0</li><li>b/1!</li></ul>"


def test_out_escapes_and_falls_back_to_the_body_on_none_or_false() -> None:
    assert _render('<b t-out="v">default</b>', v="<x>") == "<b>&lt;x&gt;</b>"
    assert _render('<b t-out="v">default</b>', v=None) == "<b>default</b>"
    assert _render("<b t-out=\"v or ''\">default</b>", v=None) == "<b></b>"


def test_attributes_render_before_the_content_and_unset_names_read_as_none() -> None:
    xml = '<tr t-att-style="\'odd\' if (k or 0) % 2 == 0 else \'even\'"><t t-set="k" t-value="(k or 0) + 1"/></tr>'
    assert _render(xml) == '<tr style="odd"></tr>'


def test_missing_record_fields_are_empty_and_inline_templates_fill_in() -> None:
    record = Rec(name="S00042", partner_id=Rec(name="Jane Cooper"))
    assert _render("<p t-out=\"object.partner_id.parent_id.name or '-'\"/>", object=record) == "<p>-</p>"
    assert render_inline("Order (Ref {{ object.name or 'n/a' }})", {"object": record}) == "Order (Ref S00042)"


def test_an_unknown_directive_is_refused_rather_than_ignored() -> None:
    with pytest.raises(NotImplementedError):
        _render('<p t-call="web.layout"/>')
