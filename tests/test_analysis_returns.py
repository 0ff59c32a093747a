"""Returns information: the sentence on returns or withdrawal, or a returns link, in six languages."""

from pathlib import Path

import pytest

from auditor.analysis import analyze
from auditor.analysis.document import from_html, from_text
from auditor.analysis.links import classify_links, link_role
from auditor.analysis.returns import find_returns

CORPUS = Path(__file__).parent / "corpus" / "messages"


def _html(body: str):
    doc = from_html(body)
    return find_returns(doc.lines, "html", classify_links(doc.links, "html"))


def _text(body: str):
    doc = from_text(body)
    return find_returns(doc.lines, "text", classify_links(doc.links, "text"))


def test_english_sentence_in_html_is_quoted_whole() -> None:
    fact = _html(
        "<p>Thank you for your order.</p><p>Changed your mind? You can return any item within 30 days. "
        '<a href="https://s.example/pages/returns">Returns policy</a></p>'
    )
    assert fact is not None and fact.source == "html"
    assert fact.value == "You can return any item within 30 days."
    assert "Returns policy" in fact.snippet


@pytest.mark.parametrize(
    ("body", "sentence"),
    [
        (
            "Dziękujemy.\nMasz 14 dni na odstąpienie od umowy bez podania przyczyny.\n",
            "Masz 14 dni na odstąpienie od umowy bez podania przyczyny.",
        ),
        (
            "Спасибо! Вы можете оформить возврат товара в течение 14 дней.\n",
            "Вы можете оформить возврат товара в течение 14 дней.",
        ),
        (
            "Ви можете оформити повернення товару протягом 14 днів.\n",
            "Ви можете оформити повернення товару протягом 14 днів.",
        ),
        (
            "Vielen Dank. Sie können Ihre Bestellung innerhalb von 14 Tagen widerrufen.\n",
            "Sie können Ihre Bestellung innerhalb von 14 Tagen widerrufen.",
        ),
        ("感谢您的订购！商品签收后7天内支持无理由退货。如有疑问请联系客服。\n", "商品签收后7天内支持无理由退货。"),
    ],
)
def test_text_sentences_in_each_language(body: str, sentence: str) -> None:
    fact = _text(body)
    assert fact is not None and fact.source == "text" and fact.value == sentence


def test_a_returns_link_alone_counts_by_its_url() -> None:
    fact = _html('<p>Need to send something back? Click <a href="https://s.example/widerruf">here</a></p>')
    assert fact is not None and fact.value == "here"
    assert "https://s.example/widerruf" in fact.snippet


def test_returns_link_role() -> None:
    assert link_role("Zwroty i reklamacje", "https://s.example/p/1") == "returns"
    assert link_role("Widerrufsbelehrung", "https://s.example/agb") == "returns"
    assert link_role("", "https://s.example/policies/refund-policy") == "returns"
    assert link_role("Sign in", "https://s.example/login?return_to=/orders") is None
    assert link_role("Return to your cart", "https://s.example/cart") is None


def test_absent_when_nothing_is_said_about_returns() -> None:
    assert _html("<p>Your cart is waiting!</p><p><a href='https://s.example/cart'>Return to your cart</a></p>") is None
    assert _text("Thank you for your order #1053.\nTotal: $18.00\nView your order: https://s.example/o/1\n") is None
    assert _text("Do you ship to Berlin?\n") is None


def test_analyze_reports_it_on_evidence() -> None:
    with_returns = analyze((CORPUS / "en_order_confirmation_table_0.eml").read_bytes())
    assert with_returns.returns is not None and "return any item" in with_returns.returns.value
    assert any(link.value["role"] == "returns" for link in with_returns.links)
    oscar = analyze((CORPUS / "oscar_confirmation_100001.eml").read_bytes())
    assert oscar.returns is None
