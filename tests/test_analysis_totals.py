"""Summary amounts: the first role word of a short label decides; sentences with 'payment of' give the total."""

from auditor.analysis.document import from_html, from_text
from auditor.analysis.totals import find_totals, total_role


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
