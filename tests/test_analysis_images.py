"""Images: product pictures tied to their items, pixels dropped, cid: images matched to MIME parts."""

from email.message import EmailMessage

from auditor.analysis import analyze


def test_product_images_inline_cid_and_pixels() -> None:
    msg = EmailMessage()
    msg["Subject"] = "Order #77 confirmed"
    msg.set_content("Hi Anna,\nthanks for your order #77")
    html = (
        '<p>Hi Anna,</p><img src="https://s.example/logo.png" alt="Shop" width="120" height="40">'
        '<table><tr><td><img src="cid:mug@s" alt="Blue mug" width="64" height="64"></td>'
        "<td>Blue Mug × 2</td><td>€20.00</td></tr></table>"
        '<img src="https://s.example/o/open.gif" width="1" height="1">'
    )
    msg.add_alternative(html, subtype="html")
    msg.get_payload()[1].add_related(b"\x89PNG\r\n" + b"\0" * 64, "image", "png", cid="<mug@s>")
    evidence = analyze(bytes(msg))
    values = [i.value for i in evidence.images]
    assert [(v["src"], v["item"]) for v in values] == [("https://s.example/logo.png", None), ("cid:mug@s", "Blue Mug")]
    assert values[1]["content_type"] == "image/png" and values[1]["alt"] == "Blue mug"
