"""Links by role: words first, then title, then the URL, then the sentence around a bare 'here'."""

from auditor.analysis.document import from_html, from_text
from auditor.analysis.links import classify_links, link_role


def test_roles_from_words_in_each_language() -> None:
    cases = {
        "View your order": "order_status",
        "Sprawdź status zamówienia": "order_status",
        "Track your package": "tracking",
        "Śledź przesyłkę": "tracking",
        "Отследить посылку": "tracking",
        "Unsubscribe": "unsubscribe",
        "Newsletter abbestellen": "unsubscribe",
        "退订邮件": "unsubscribe",
        "Contact us": "support",
        "联系客服": "support",
        "Write a review": "review",
        "Залишити відгук": "review",
    }
    for text, role in cases.items():
        assert link_role(text, "https://shop.example/x") == role, text


def test_url_decides_when_words_do_not() -> None:
    assert link_role("here", "https://www.ups.com/track?tracknum=1Z") == "tracking"
    assert link_role("", "https://shop.example/newsletter/unsubscribe?u=1") == "unsubscribe"
    assert link_role("click", "mailto:help@shop.example") == "support"
    assert link_role("Shop now", "https://shop.example/sale") is None


def test_bare_here_is_judged_by_its_sentence_and_title() -> None:
    doc = from_html(
        '<p>You can view the status of this order by clicking <a href="https://s.example/a/1">here</a></p>'
        '<p><a href="https://s.example/b" title="order status">x</a></p>'
    )
    facts = classify_links(doc.links, "html", None, [line.text for line in doc.lines])
    assert [f.value["role"] for f in facts] == ["order_status", "order_status"]


def test_text_links_take_their_label_and_list_unsubscribe_is_added_once() -> None:
    doc = from_text("Track your parcel: https://shop.example/t/42\nhttps://shop.example/u?x=1")
    facts = classify_links(doc.links, "text", ["https://shop.example/u?x=1", "mailto:u@shop.example"])
    assert [(f.value["role"], f.source) for f in facts] == [
        ("tracking", "text"),
        ("unsubscribe", "text"),
        ("unsubscribe", "List-Unsubscribe"),
    ]
    assert facts[0].value["text"] == "Track your parcel"
