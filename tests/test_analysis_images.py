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


def _evidence(html: str, sender: str = "Northwind Outfitters <sales@store.example>") -> list[dict]:  # type: ignore[type-arg]
    msg = EmailMessage()
    msg["Subject"] = "Order #100000125 confirmed"
    msg["From"] = sender
    msg.set_content("Hi Marcus,\nthanks for your order #100000125")
    msg.add_alternative(html, subtype="html")
    return [i.value for i in analyze(bytes(msg)).images]


ITEMS = (
    "<table><tr><th>Item</th><th>Qty</th><th>Subtotal</th></tr>"
    '<tr><td><img src="https://store.example/media/p/{n}.jpg" width="64" height="64" alt="Canvas Tote"></td>'
    "<td>Canvas Tote</td><td>2</td><td>$48.00</td></tr></table>"
)


def test_a_logo_is_reported_but_never_an_items_picture() -> None:
    """OpenMage's header: the logo links to the store's home page and its alt text is the store's name."""
    header = (
        '<table class="logo-container"><tr><td class="logo"><a href="https://store.example/en_us/">'
        '<img width="165" height="48" src="https://store.example/skin/frontend/base/default/images/logo_email.gif" '
        'alt="Northwind Outfitters" border="0"/></a></td></tr></table>'
    )
    values = _evidence(header + "<h1>Thank you for your order</h1>" + ITEMS.format(n=1))
    assert [(v["alt"], v["item"], v["logo"]) for v in values] == [
        ("Northwind Outfitters", None, True),
        ("Canvas Tote", "Canvas Tote", False),
    ]


def test_logo_signs_each_on_their_own() -> None:
    """Below the first words, beside the items: still a logo by its alt text, its name or its link."""
    for logo in (
        '<img src="https://cdn.example/a/b.png" alt="northwind-outfitters" width="120" height="40">',
        '<img src="https://cdn.example/brand/logo.png" alt="" width="120" height="40">',
        '<a href="https://store.example/"><img src="https://cdn.example/x.png" alt="Home" width="120"></a>',
    ):
        values = _evidence("<p>Hi Marcus,</p>" + ITEMS.format(n=2) + logo)
        assert values[-1]["logo"] is True and values[-1]["item"] is None, logo


def test_spacers_and_one_pixel_rules_are_not_images() -> None:
    """Shopify closes every notification with a spacer.png of height 1; trackers are 1x1."""
    html = (
        "<p>Hi Marcus,</p>"
        + ITEMS.format(n=3)
        + "<img src='https://cdn.shopify.com/shopifycloud/shopify/assets/notifications/spacer.png' "
        + "class='spacer' height='1'>"
        + '<img src="https://t.example/o.gif" style="width:1px;height:1px" alt="">'
    )
    assert [v["alt"] for v in _evidence(html)] == ["Canvas Tote"]
