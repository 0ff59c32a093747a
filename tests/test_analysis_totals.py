"""Summary amounts: the first role word of a short label decides; sentences with 'payment of' give the total."""

from auditor.analysis.document import from_html, from_text
from auditor.analysis.totals import find_totals, only_amount, total_role


def test_roles_by_earliest_word() -> None:
    assert total_role("Basket total:") == "subtotal"
    assert total_role("Total incl. VAT") == "total"
    assert total_role("VAT 23%") == "tax"
    assert total_role("Razem do zapłaty") == "total"
    assert total_role("Versandkosten") == "shipping"
    assert total_role("商品总额") == "subtotal"
    assert total_role("应付总额") == "total"
    assert total_role("This sentence mentions a total but is far too long to be a summary label") is None


def test_summary_rows_and_lines() -> None:
    html = "<table><tr><td>Subtotal</td><td>$82.00</td></tr><tr><td>Shipping</td><td>$5.00</td></tr>"
    html += "<tr><td>Taxes</td><td>$7.38</td></tr><tr><td>Total</td><td>$94.38 USD</td></tr></table>"
    found = find_totals(from_html(html).lines, "html", "en")
    assert {k: str(f.value) for k, f in found.items()} == {
        "subtotal": "82.00 USD",
        "shipping": "5.00 USD",
        "tax": "7.38 USD",
        "total": "94.38 USD",
    }
    assert found["total"].snippet == "Total | $94.38 USD"


def test_amount_paid_in_a_sentence() -> None:
    found = find_totals(from_text("We have received your payment of 1 372,00 zł for order #5001.").lines, "text", "en")
    assert str(found["total"].value) == "1372.00 PLN"


def test_paid_and_grand_total_in_six_languages() -> None:
    for label in ("TOTAL PAID", "Paid", "Grand total", "Gesamt bezahlt", "Łącznie zapłacono", "Итого оплачено"):
        assert total_role(label) == "total", label
    for label in ("Всього сплачено", "已付款", "Gesamtwert Gutschriften"):
        assert total_role(label) == "total", label


def test_the_last_amount_beside_a_total_label_wins() -> None:
    """Solidus' summary rows (empty first cell, label, amount), then a "TOTAL PAID" row after the order total."""
    html = (
        "<table><tr><td></td><td> Subtotal: </td><td> $36.49 </td></tr>"
        "<tr><td></td><td>Shipping UPS Ground (USD):</td><td>$5.99</td></tr>"
        "<tr><td></td><td> Order Total: </td><td> $42.48 </td></tr>"
        "<tr><td></td><td> TOTAL PAID </td><td> $40.00 </td></tr></table>"
    )
    found = find_totals(from_html(html).lines, "html", "en")
    assert {role: str(f.value.amount) for role, f in found.items()} == {
        "subtotal": "36.49",
        "shipping": "5.99",
        "total": "40.00",
    }


def test_a_message_stating_one_amount_states_the_total() -> None:
    """Odoo's payment mail: "A payment with reference S00050-1 amounting $ 155.98 for your order S00050 ..."."""
    text = "Hello,\nA payment with reference S00050-1 amounting $ 155.98 for your order S00050 has been confirmed."
    fact = only_amount(from_text(text).lines, "text", "en")
    assert fact is not None and str(fact.value.amount) == "155.98" and "amounting" in fact.snippet
    assert only_amount(from_text("Paid $10.00 of $20.00").lines, "text", "en") is None
