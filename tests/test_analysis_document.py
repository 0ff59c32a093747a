"""HTML flattened into lines, rows, images and links; script, style and iframe content never reaches text."""

from auditor.analysis.document import MAX_HTML_CHARS, from_html, from_text, is_html_pointer

LAYOUT = """<html><head><title>t</title><style>p{color:red}</style></head><body>
<table><tr><td><p>Hello,</p><p>Your order 100001 is confirmed.</p></td></tr>
<tr><td><table class="items"><tr><td><img src="cid:mug" alt="Mug"></td>
<td>Mug<br>Colour: blue</td><td>2</td><td>€10.00</td></tr></table></td></tr>
<tr><td>See <a href="https://s.example/o/1">your order</a><script>var x = "Hi Mallory";</script>
<iframe src="x">frame text</iframe></td></tr>
</table></body></html>"""


def test_layout_cells_become_lines_and_data_rows_keep_their_cells() -> None:
    doc = from_html(LAYOUT)
    texts = [line.text for line in doc.lines]
    assert texts[:2] == ["Hello,", "Your order 100001 is confirmed."]
    row = next(line for line in doc.lines if line.cells)
    assert row.cells == ["Mug Colour: blue", "2", "€10.00"]
    assert row.cell_parts == [["Mug", "Colour: blue"], ["2"], ["€10.00"]]
    assert doc.images[0].line == row.index and doc.images[0].alt == "Mug" and row.images == [0]
    assert not any("Mallory" in t or "frame text" in t or "color:red" in t for t in texts)
    assert (doc.scripts, doc.iframes) == (1, 1)


def test_links_point_at_the_line_that_shows_them() -> None:
    doc = from_html(LAYOUT)
    link = doc.links[0]
    assert (link.href, link.text) == ("https://s.example/o/1", "your order")
    assert "your order" in doc.lines[link.line].text


def test_entities_and_spaces_are_normalised() -> None:
    doc = from_html("<p>129,00&nbsp;zł &amp; more\n\n  text</p>")
    assert doc.lines[0].text == "129,00 zł & more text"


def test_oversized_html_is_cut_and_says_so() -> None:
    doc = from_html("<p>x</p>" * (MAX_HTML_CHARS // 8 + 10))
    assert doc.truncated


def test_plain_text_pipes_make_cells() -> None:
    doc = from_text("Товар | Кількість | Сума\nКабель | 2 шт. | 398 грн\n\nThanks")
    assert doc.lines[1].cells == ["Кабель", "2 шт.", "398 грн"]
    assert doc.lines[2].cells is None


def test_rows_know_their_table_and_whether_they_are_headings() -> None:
    doc = from_html(
        "<table><thead><tr><td>Item</td><td>Qty</td></tr></thead><tr><td>Mug</td><td>2</td></tr></table>"
        "<table><tr><th>Product</th><th>Price</th></tr></table>"
    )
    rows = [line for line in doc.lines if line.cells]
    assert [(r.text, r.header) for r in rows] == [("Item | Qty", True), ("Mug | 2", False), ("Product | Price", True)]
    assert rows[0].table == rows[1].table != rows[2].table


def test_microdata_on_the_body_itself_and_sizes_from_inline_css() -> None:
    doc = from_html(
        '<body itemscope itemtype="http://schema.org/Order"><meta itemprop="orderNumber" content="42">'
        '<a href="https://s.example/"><img src="x.png" style="width: 1px; height:1px"></a><p>Hi</p></body>'
    )
    assert doc.microdata[0].props == {"orderNumber": "42"}
    image = doc.images[0]
    assert (image.width, image.height, image.href, image.text_before) == (1, 1, "https://s.example/", 0)


def test_absurd_nesting_is_cut_not_hung() -> None:
    doc = from_html("<div>" * 50_000 + "<p>Hi Anna</p>")
    assert doc.truncated


POINTED = (
    '<p><a href="https://s.example/view/1">View this email in your browser</a></p><p>Hi Anna,</p>'
    "<p>Thank you for your order 1042.</p>"
    "<table><tr><td>Mug</td><td>2</td><td>€10.00</td></tr></table>"
    "<p>We hope to see you again soon; our team is here to help with anything you need.</p>"
    "<p>Northwind Outfitters, 12 Harbor Street, Portland. You receive this email because you ordered from us.</p>"
)


def test_a_text_part_that_only_points_at_the_html_is_not_an_alternative() -> None:
    html = from_html(POINTED)
    for text in (
        "View this email in your browser: https://s.example/view/1",
        "Ta wiadomość jest w formacie HTML. Otwórz ją w przeglądarce.",
        "此邮件为HTML格式，请在浏览器中查看。",
    ):
        assert is_html_pointer(from_text(text), html), text
    assert not is_html_pointer(from_text("Hi Anna,\nThank you for your order."), html)
    assert not is_html_pointer(from_text("Order 1042: https://s.example/o/1042"), html)
