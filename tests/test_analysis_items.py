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


# Layouts below are trimmed from the platforms corpus (tests/corpus/platforms/messages), real templates' markup.


def test_reference_column_is_not_the_name_and_six_language_headers_map_by_word_start() -> None:
    """OpenMage/Magento 1 items table: Item | Sku | Qty | Subtotal, and its German pack's words."""
    for header, name in (
        ("Item | Sku | Qty | Subtotal", "Wireless Headphones"),
        ("Artikel | Artikelnummer | Menge | Zwischensumme", "Kopfhörer"),
    ):
        cells = "".join(f"<th>{h}</th>" for h in header.split(" | "))
        html = (
            f"<table><thead><tr>{cells}</tr></thead><tbody>"
            f"<tr><td><strong>{name}</strong></td><td>SKU-8244</td><td>3</td><td>$449.97</td></tr></tbody></table>"
        )
        assert _rows(find_items(from_html(html).lines, "html", None)) == [(name, 3, "149.99", "449.97")]


def test_header_whose_name_column_is_mistranslated_still_maps_the_others() -> None:
    """OpenMage's Ukrainian pack heads the name column "шт.": the name is the cell with words."""
    html = (
        "<table><tr><th>шт.</th><th>Обліковий номер</th><th>Кількість</th></tr>"
        "<tr><td>Механічна клавіатура</td><td>SKU-8976</td><td>1</td></tr>"
        "<tr><td>Чохол для ноутбука 14 дюймів</td><td>SKU-9571</td><td>3</td></tr></table>"
    )
    items = find_items(from_html(html).lines, "html", "uk")
    assert [(i.name, i.quantity, i.unit_price) for i in items] == [
        ("Механічна клавіатура", 1, None),
        ("Чохол для ноутбука 14 дюймів", 3, None),
    ]


def test_row_without_header_in_any_cell_order() -> None:
    """Solidus: SKU | name | "(qty) @ unit = total"; Drupal Commerce: "3 x" | name and price in one cell."""
    solidus = (
        "<table><tr><td>SKU-0205</td><td> USB-C Charging Cable 2 m </td><td>(2) @ $12.49 = $24.98</td></tr>"
        "<tr><td></td><td> Subtotal: </td><td> $24.98 </td></tr></table>"
    )
    assert _rows(find_items(from_html(solidus).lines, "html", "en")) == [
        ("USB-C Charging Cable 2 m", 2, "12.49", "24.98")
    ]
    drupal = (
        "<table><tbody><tr><td> 3 x </td><td> <span>Organic Cotton T-Shirt</span> "
        '<span style="float: right;">$59.85</span> </td></tr></tbody></table>'
    )
    assert _rows(find_items(from_html(drupal).lines, "html", "en")) == [("Organic Cotton T-Shirt", 3, "19.95", "59.85")]


def test_header_table_above_one_table_per_item() -> None:
    """Odoo: the header row is a table of its own, each item another; quantities print as 1.0."""
    row = (
        '<table><tr><td><img src="/web/image/product.product/{n}/image_128" style="width: 64px; height: 64px;" '
        'alt="Product image"></td><td align="left">{name}</td><td align="center">{qty}</td>'
        '<td align="right"><span style="font-weight:bold">$ {price}</span></td></tr></table>'
    )
    html = (
        "<table><tr><td><span>Products</span></td><td></td><td><span>Quantity</span></td>"
        "<td><span> Tax Excl. </span></td></tr></table>"
        + row.format(n=1, name="Stainless Steel Water Bottle", qty="1.0", price="24.00")
        + row.format(n=2, name="Ceramic Pour-Over Coffee Set", qty="3.0", price="42.50")
    )
    items = find_items(from_html(html).lines, "html", "en")
    assert [(i.name, i.quantity) for i in items] == [
        ("Stainless Steel Water Bottle", 1),
        ("Ceramic Pour-Over Coffee Set", 3),
    ]
    # 24.00 + 3 x 42.50 + 5.99 shipping = 157.49: the one amount per row was the unit price
    fixed = reconcile(items, [Money(amount=Decimal("151.50"), currency="USD")])
    assert _rows(fixed) == [
        ("Stainless Steel Water Bottle", 1, "24.00", "24.00"),
        ("Ceramic Pour-Over Coffee Set", 3, "42.50", "127.50"),
    ]


def test_shipment_list_without_amounts_needs_an_explicit_quantity() -> None:
    """Shopify's shipping notice lists "Name × 3"; EverShop's delivery notice a name over "Qty 2"."""
    shopify = (
        "<h3>Items in this shipment</h3><table><tr class='order-list__item'><td><table><td> </td><td>"
        "<span class='order-list__item-title'>Laptop Sleeve 14 inch&nbsp;&times;&nbsp;3</span><br>"
        "<span class='order-list__item-variant'></span><br></td></table></td></tr></table>"
        "<p>Estimated delivery in 3 x 24 hours, or 2-3 days.</p>"
    )
    items = find_items(from_html(shopify).lines, "html", "en")
    assert [(i.name, i.quantity, i.line_total) for i in items] == [("Laptop Sleeve 14 inch", 3, None)]
    evershop = (
        "<p>Delivered items</p><p>Ceramic Pour-Over Coffee Set</p><p>Qty 2</p><p>Thanks for shopping with us.</p>"
    )
    assert [(i.name, i.quantity) for i in find_items(from_html(evershop).lines, "html", "en")] == [
        ("Ceramic Pour-Over Coffee Set", 2)
    ]
    assert find_items(from_text("Dostawa w ciągu 3-5 dni.\n预计3-5个工作日送达").lines, "text", None) == []


def test_card_with_quantity_beside_the_price() -> None:
    """EverShop (react-email): picture and name in one column, then "1 | $19.95" under the name."""
    html = (
        '<table><tr><td><img alt="Organic Cotton T-Shirt" src="https://s.example/sku-3733/thumb.png" '
        'width="100px"></td>'
        '<td><p style="font-weight: 500">Organic Cotton T-Shirt</p><p>2 | $39.90</p></td></tr></table>'
    )
    assert _rows(find_items(from_html(html).lines, "html", "en")) == [("Organic Cotton T-Shirt", 2, "19.95", "39.90")]


def test_cards_side_by_side_are_offers_not_items() -> None:
    html = (
        '<table><tr><td><img src="a.jpg" alt="Beanie">Merino Wool Beanie $24.00 $16.80</td>'
        '<td><img src="b.jpg" alt="Socks">Trail Running Socks 3-pack $18.50 $12.95</td></tr></table>'
    )
    assert find_items(from_html(html).lines, "html", "en") == []


def test_reference_then_name_rows_list_products_without_prices() -> None:
    """Solidus' shipment and cancellation mail: "SKU-8244 | name" rows; a carrier then its tracking number is not."""
    html = (
        "<p>Shipment Summary</p><table><tr><td>SKU-8244</td><td> Wireless Noise-Cancelling Headphones </td></tr>"
        "<tr><td>SKU-7504</td><td>14英寸笔记本电脑包</td></tr></table>"
        "<table><tr><td>United States Postal Service</td><td>1Z999AA1000125784</td></tr>"
        "<tr><td>#10541</td><td>Order Date Nov 02, 2026</td></tr></table>"
    )
    items = find_items(from_html(html).lines, "html", "en")
    assert [(i.name, i.quantity, i.line_total) for i in items] == [
        ("Wireless Noise-Cancelling Headphones", None, None),
        ("14英寸笔记本电脑包", None, None),
    ]
