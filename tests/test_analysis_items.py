"""Line items from tables with and without headers, text lines, card layouts; recommendations excluded."""

from decimal import Decimal

from auditor.analysis.document import from_html, from_text
from auditor.analysis.items import find_items, find_quantity, reconcile
from auditor.models import Money


def _rows(items) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [(i.name, i.quantity, str(i.unit_price.amount), str(i.line_total.amount)) for i in items]


def test_header_columns_are_read_by_name() -> None:
    html = (
        "<table><tr><th>Produkt</th><th>Ilość</th><th>Cena</th><th>Wartość</th></tr>"
        "<tr><td>Kubek<br>kolor: zielony</td><td>2</td><td>49,99 zł</td><td>99,98 zł</td></tr>"
        "<tr><td>Razem</td><td></td><td></td><td>99,98 zł</td></tr></table>"
    )
    assert _rows(find_items(from_html(html).lines, "html", "pl")) == [("Kubek", 2, "49.99", "99.98")]


def test_one_amount_beside_a_quantity_is_the_line_total() -> None:
    html = "<table><tr><td>The shellcoder's handbook &times; 2</td><td>€39.98</td></tr></table>"
    assert _rows(find_items(from_html(html).lines, "html", "en")) == [
        ("The shellcoder's handbook", 2, "19.99", "39.98")
    ]


def test_text_lines_in_several_shapes() -> None:
    text = (
        " * Mug - quantity: 2 - price: €10.00\n"
        "3 x Tea (green) — 30,00 zł\n"
        "Zeszyt A5, Ilość: 1, 12,50 zł\n"
        "青花瓷茶杯 × 2  ¥256.00\n"
        "Free shipping over 200,00 zł\n"
    )
    assert _rows(find_items(from_text(text).lines, "text", None)) == [
        ("Mug", 2, "5.00", "10.00"),
        ("Tea (green)", 3, "10.00", "30.00"),
        ("Zeszyt A5", 1, "12.50", "12.50"),
        ("青花瓷茶杯", 2, "128.00", "256.00"),
    ]


def test_card_layout_takes_the_name_from_the_line_above() -> None:
    html = "<div>Чехол силиконовый</div><div>2 шт. × 490 ₽</div>"
    assert _rows(find_items(from_html(html).lines, "html", "ru")) == [("Чехол силиконовый", 2, "490", "980")]


def test_items_stop_where_recommendations_begin() -> None:
    html = (
        "<table><tr><td>Mug × 1</td><td>$5.00</td></tr></table><h3>You may also like</h3>"
        '<table><tr><td><img src="x.jpg" alt="Pot"></td><td>Pot × 1</td><td>$9.00</td></tr></table>'
    )
    doc = from_html(html)
    stop = next(line.index for line in doc.lines if "also like" in line.text)
    assert [i.name for i in find_items(doc.lines, "html", "en", stop)] == ["Mug"]


def test_price_column_of_row_totals_is_reconciled_with_the_subtotal() -> None:
    html = (
        "<table><tr><th>Artikel</th><th>Menge</th><th>Preis</th></tr>"
        "<tr><td>Becher</td><td>2</td><td>25,98 €</td></tr><tr><td>Bohnen</td><td>1</td><td>18,90 €</td></tr></table>"
    )
    items = find_items(from_html(html).lines, "html", "de")
    assert _rows(items)[0] == ("Becher", 2, "25.98", "51.96")  # read as a unit price first
    fixed = reconcile(items, [Money(amount=Decimal("44.88"), currency="EUR")])
    assert _rows(fixed) == [("Becher", 2, "12.99", "25.98"), ("Bohnen", 1, "18.90", "18.90")]


def test_quantity_markers() -> None:
    assert find_quantity("Qty: 3")[0] == 3
    assert find_quantity("Mug × 2")[0] == 2
    assert find_quantity("2 x Mug")[0] == 2
    assert find_quantity("5 szt.")[0] == 5
    assert find_quantity("Кол-во: 4")[0] == 4
    assert find_quantity("Mug 750 ml") is None
