"""The shipping address under its label, in HTML and text, in several languages; never the store's own."""

from pathlib import Path

from auditor.analysis import analyze
from auditor.analysis.address import find_shipping_address
from auditor.analysis.document import from_html, from_text

CORPUS = Path(__file__).parent / "corpus" / "messages"


def _text(body: str):
    return find_shipping_address(from_text(body).lines, "text")


def _html(body: str):
    doc = from_html(body)
    return find_shipping_address(doc.lines, "html", {link.text for link in doc.links if link.text})


def test_oscar_text_heading_blank_line_then_lines_until_the_next_blank() -> None:
    fact = _text(
        "Order Total: €19.99\n\nShipping address:\n\n  Anna Kowalska\n  ul. Długa 5\n  Kraków\n  30-001\n  Poland\n\n\n"
        "You can view the status of this order at the below URL:\nhttp://shop/accounts/orders/1/\n"
    )
    assert fact is not None and fact.source == "text"
    assert fact.value == "Anna Kowalska, ul. Długa 5, Kraków, 30-001, Poland"
    assert fact.snippet.startswith("Shipping address:\nAnna Kowalska")


def test_oscar_html_paragraph_with_breaks_stops_before_the_next_sentence() -> None:
    fact = _html(
        "<table><tr><td><p>Shipping address:</p><p>  Anna Kowalska<br/> ul. Długa 5<br/> Kraków<br/> 30-001<br/>"
        ' Poland<br/></p></td></tr><tr><td>You can view the status of this order by clicking <a href="/o/1">here</a>'
        "</td></tr></table>"
    )
    assert fact is not None and fact.value == "Anna Kowalska, ul. Długa 5, Kraków, 30-001, Poland"


def test_label_and_address_on_one_line_then_a_button_is_not_an_address_line() -> None:
    fact = _html(
        "<p><strong>Estimated delivery: 2–3 business days</strong><br>"
        "Shipping to: Anna Kowalska, ul. Długa 5, 30-001 Kraków</p>"
        '<table><tr><td><a href="/order/1">Check your order status</a></td></tr></table>'
    )
    assert fact is not None and fact.value == "Anna Kowalska, ul. Długa 5, 30-001 Kraków"


def test_polish_label_in_one_cell_address_in_the_next() -> None:
    fact = _html(
        "<table><tr><td><strong>Adres dostawy</strong></td><td>Anna Kowalska<br>ul. Polna 12/3<br>31-042 Kraków</td>"
        "</tr></table><p>Razem do zapłaty: 129,00 zł</p>"
    )
    assert fact is not None and fact.source == "html"
    assert fact.value == "Anna Kowalska, ul. Polna 12/3, 31-042 Kraków"


def test_shipping_and_billing_side_by_side_takes_the_shipping_column() -> None:
    html = (
        "<table><tr><td><h4>Billing address</h4><p>Mia Torres<br>PO Box 17</p></td>"
        "<td><h4>Shipping address</h4><p>Mia Torres<br>48 Elm Road<br>Springfield IL 62704</p></td></tr></table>"
    )
    fact = _html(html)
    assert fact is not None and fact.value == "Mia Torres, 48 Elm Road, Springfield IL 62704"
    header_row = (
        "<table><tr><th>Shipping address</th><th>Billing address</th></tr>"
        "<tr><td>Jan Nowak<br>ul. Krótka 1</td><td>Firma Sp. z o.o.<br>ul. Długa 9</td></tr></table>"
    )
    fact = _html(header_row)
    assert fact is not None and fact.value == "Jan Nowak, ul. Krótka 1"


def test_german_text_billing_block_first_delivery_block_second() -> None:
    fact = _text(
        "Rechnungsadresse:\nPetra Becker\nLindenweg 3\n20095 Hamburg\n\n"
        "Lieferadresse:\nPetra Becker\nMönckebergstraße 7\n20095 Hamburg\nDeutschland\n\nMit freundlichen Grüßen\n"
    )
    assert fact is not None and fact.value == "Petra Becker, Mönckebergstraße 7, 20095 Hamburg, Deutschland"


def test_russian_and_ukrainian_blocks_end_at_the_next_labelled_line() -> None:
    ru = _text("Адрес доставки:\nАнна Смирнова\nул. Ленина, д. 10, кв. 5\n125009 Москва\nСпособ оплаты: картой\n")
    assert ru is not None and ru.value == "Анна Смирнова, ул. Ленина, д. 10, кв. 5, 125009 Москва"
    uk = _html("<p><b>Адреса доставки</b><br>Олена Коваленко<br>01001 Київ</p><p>Разом до сплати: 189,00 грн</p>")
    assert uk is not None and uk.value == "Олена Коваленко, 01001 Київ"


def test_chinese_label_with_full_width_colon_on_one_line() -> None:
    fact = _html(
        "<p>应付总额：¥239.00</p><p>收货地址：李娜，北京市朝阳区建国路 88 号</p><p>如有疑问请联系在线客服。</p>"
    )
    assert fact is not None and fact.value == "李娜，北京市朝阳区建国路 88 号"


def test_at_most_six_lines_are_taken() -> None:
    lines = "\n".join(f"Line {i}" for i in range(10))
    fact = _text(f"Delivery address:\n{lines}\n")
    assert fact is not None and fact.value.split(", ") == [f"Line {i}" for i in range(6)]


def test_absent_store_footer_quoted_question_and_empty_label() -> None:
    assert _text("Thanks!\n\n--\nNorthwind Outfitters, 12 Harbor Street, Portland, OR 97201\n") is None
    assert _text("Your question (ticket T-1):\nDo you ship to Berlin?\n") is None
    assert _text("Shipping address:\n\nTotal: $10.00\n") is None
    assert _html("<p>Billing address</p><p>Mia Torres<br>PO Box 17</p>") is None


def test_analyze_reports_it_on_evidence_and_none_when_the_mail_does_not_show_it() -> None:
    oscar = analyze((CORPUS / "oscar_confirmation_100001.eml").read_bytes())
    assert oscar.shipping_address is not None
    assert oscar.shipping_address.value == "Anna Kowalska, ul. Długa 5, Kraków, 30-001, Poland"
    assert oscar.shipping_address.source == "html"
    bare = analyze((CORPUS / "demo_bare_order_confirmation.eml").read_bytes())
    assert bare.shipping_address is None
