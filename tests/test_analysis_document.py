"""HTML flattened into lines, rows, images and links; script, style and iframe content never reaches text."""

from auditor.analysis.document import MAX_HTML_CHARS, from_html, from_text

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
