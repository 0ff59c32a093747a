"""analyze(): a raw message to Evidence, never raising, every fact with its snippet."""

from decimal import Decimal
from email.message import EmailMessage

from auditor.analysis import analyze
from auditor.models import Money


def _mail(subject: str, text: str, html: str | None = None, **headers: str) -> bytes:
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = "Shop <shop@example.test>"
    msg["To"] = "anna@example.test"
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(text)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    return bytes(msg)


CONFIRMATION_HTML = """<html><body><table width="100%"><tr><td>
<p>Hi Anna,</p><p>Thank you for your order EX-10001. We have received it.</p></td></tr>
<tr><td><table class="items"><tr><th>Product</th><th>Qty</th><th>Price</th><th>Total</th></tr>
<tr><td><img src="https://shop.test/i/mug.jpg" alt="Blue Mug"></td><td>Blue Mug</td><td>2</td>
<td>129,00&nbsp;zł</td><td>258,00&nbsp;zł</td></tr>
<tr><td><img src="https://shop.test/i/pot.jpg" alt="Tea pot"></td><td>Tea pot</td><td>1</td>
<td>89,00 zł</td><td>89,00 zł</td></tr>
<tr><td colspan="3">Subtotal</td><td>347,00 zł</td></tr>
<tr><td colspan="3">Shipping</td><td>15,00 zł</td></tr>
<tr><td colspan="3"><b>Order total</b></td><td><b>362,00 zł</b></td></tr></table></td></tr></table></body></html>"""


def test_english_confirmation_with_table_gives_every_phase1_fact() -> None:
    raw = _mail("Your order EX-10001 is confirmed", "Hi Anna,\nThank you for your order.", CONFIRMATION_HTML)
    ev = analyze(raw)
    assert ev.kind == "order_confirmation"
    assert ev.kind_reasons and 0 < ev.kind_confidence <= 1
    assert ev.greeting is not None and ev.greeting.value == "Anna" and ev.greeting.snippet == "Hi Anna,"
    assert ev.order_number is not None and ev.order_number.value == "EX-10001"
    assert "EX-10001" in ev.order_number.snippet
    assert [(i.name, i.quantity, i.unit_price, i.line_total) for i in ev.items] == [
        (
            "Blue Mug",
            2,
            Money(amount=Decimal("129.00"), currency="PLN"),
            Money(amount=Decimal("258.00"), currency="PLN"),
        ),
        ("Tea pot", 1, Money(amount=Decimal("89.00"), currency="PLN"), Money(amount=Decimal("89.00"), currency="PLN")),
    ]
    assert ev.total is not None and ev.total.value == Money(amount=Decimal("362.00"), currency="PLN")
    assert "Order total" in ev.total.snippet
    assert ev.subtotal.value.amount == Decimal("347.00") and ev.shipping_cost.value.amount == Decimal("15.00")
    assert len(ev.prices) == 7 and all(p.snippet for p in ev.prices)
    assert ev.currency == "PLN" and ev.language == "en"
    assert ev.has_text_part and ev.html_size > 500 and ev.malformed is None


def test_generic_greeting_has_no_name_but_keeps_its_snippet() -> None:
    for line in ["Dear customer,", "Hello,", "Hi there!", "Dear Valued Customer,"]:
        ev = analyze(_mail("Order #5001", f"{line}\nThanks for your order #5001."))
        assert ev.greeting is not None, line
        assert ev.greeting.value is None and ev.greeting.snippet == line


def test_order_number_shapes() -> None:
    for subject, number in [
        ("Order EX-10001", "EX-10001"),
        ("Your order #5001 has been placed", "5001"),
        ("Order 1042 received", "1042"),
        ("Confirmation of order 100001", "100001"),
        ("Order R123456789", "R123456789"),
        ("Thanks! Order number: XKBKNABJK", "XKBKNABJK"),
        ("Order #000000123", "000000123"),
    ]:
        ev = analyze(_mail(subject, "Hello,\nsee you"))
        assert ev.order_number is not None and ev.order_number.value == number, subject
    assert analyze(_mail("ORDER CONFIRMED", "Hello,")).order_number is None


def test_text_line_items_and_oscar_shape() -> None:
    text = (
        "Hello,\n\nWe are pleased to confirm your order 100001 has been received and\nwill be processed shortly.\n\n"
        "Your order contains:\n\n * The shellcoder's handbook - quantity: 1 - price: €19.99\n"
        " * Mug - quantity: 2 - price: €10.00\n\nBasket total: €29.99\nShipping: €0.00\nOrder Total: €29.99\n"
    )
    ev = analyze(_mail("Confirmation of order 100001", text))
    assert ev.kind == "order_confirmation"
    assert ev.greeting.value is None
    assert [(i.name, i.quantity, i.unit_price.amount, i.line_total.amount) for i in ev.items] == [
        ("The shellcoder's handbook", 1, Decimal("19.99"), Decimal("19.99")),
        ("Mug", 2, Decimal("5.00"), Decimal("10.00")),
    ]
    assert ev.total.value == Money(amount=Decimal("29.99"), currency="EUR")
    assert ev.subtotal.value.amount == Decimal("29.99")
    assert ev.has_text_part and ev.html_size == 0


def test_kinds_of_english_mail() -> None:
    cases = [
        (
            "Your order #1042 has shipped",
            "Good news! Your order is on its way. Track your package: UPS 1Z999",
            "shipping",
        ),
        ("Payment received for order #1042", "We have received your payment of $25.00.", "payment"),
        ("Re: question about sizes", "Thank you for contacting us. About your question...", "support_reply"),
        ("Welcome to Shop! Confirm your email", "Please verify your email to activate your account.", "account"),
        ("50% off everything this weekend", "Shop now before the offer ends. Use code SALE50.", "marketing"),
        ("You left something in your cart", "Your cart is waiting. Complete your purchase now.", "abandoned_cart"),
        ("How did we do? Review your purchase", "Write a review of the items you bought.", "review_request"),
        ("Your order has been delivered", "Your parcel was delivered to your door.", "delivery"),
        ("Hello", "Just a note.", "other"),
    ]
    for subject, text, kind in cases:
        ev = analyze(_mail(subject, text))
        assert ev.kind == kind, (subject, ev.kind, ev.kind_reasons)
        assert ev.kind_reasons


def test_bulk_headers_push_towards_marketing() -> None:
    ev = analyze(
        _mail("New arrivals", "Discover the new collection.", List_Unsubscribe="<https://x/u>", Precedence="bulk")
    )
    assert ev.kind == "marketing"
    assert any("Precedence" in r for r in ev.kind_reasons)


def test_unreadable_input_gives_malformed_evidence_not_an_exception() -> None:
    for raw in [
        b"",
        b"\xff\xfe\x00garbage",
        b"Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: text/html\n\n<p>Hi",
    ]:
        ev = analyze(raw)
        assert ev.malformed
        assert len(ev.message_sha256) == 64


def test_a_text_part_that_only_points_at_the_html_is_neither_counted_nor_read() -> None:
    html = (
        '<p><a href="https://shop.test/view/EX-10002">View this email in your browser</a></p>'
        "<p>Hi Anna,</p><p>Your order EX-10002 is confirmed.</p>"
        "<table><tr><th>Product</th><th>Qty</th><th>Total</th></tr>"
        "<tr><td>Blue Mug</td><td>2</td><td>258,00 zł</td></tr></table>"
        "<p>Questions? Reply to this email and our team will answer within one business day.</p>"
    )
    pointer = "To view this message, open it in a program that shows HTML: https://shop.test/view/EX-10002"
    ev = analyze(_mail("Your order EX-10002 is confirmed", pointer, html))
    assert ev.has_text_part is False
    assert [i.name for i in ev.items] == ["Blue Mug"]
    real = analyze(_mail("Your order EX-10002 is confirmed", "Hi Anna,\nYour order EX-10002 is confirmed.", html))
    assert real.has_text_part is True
