"""Recommendation blocks: found by heading in any language, products counted."""

from auditor.analysis.document import from_html
from auditor.analysis.recommendations import find_recommendations


def test_block_with_product_cards() -> None:
    html = (
        "<p>Thanks!</p><h3>Polecamy również</h3><table><tr>"
        '<td><img src="a.jpg" alt="A" width="120"><br>Kubek<br>49,00 zł</td>'
        '<td><img src="b.jpg" alt="B" width="120"><br>Czajnik<br>129,00 zł</td></tr></table>'
    )
    fact, start = find_recommendations(from_html(html), "html")
    assert fact is not None and fact.value == 2 and fact.snippet == "Polecamy również" and start == 1


def test_products_named_in_the_heading_and_no_block() -> None:
    fact, _ = find_recommendations(from_html("<p>Picked for you: USB-C Charger, Smartwatch Pro.</p>"), "html")
    assert fact is not None and fact.value == 2
    assert find_recommendations(from_html("<p>Thanks for your order</p>"), "html") == (None, None)
