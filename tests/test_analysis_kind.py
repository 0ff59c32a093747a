"""Kinds with confidence and reasons: subject, body, headers and schema.org each add evidence."""

from auditor.analysis.kind import classify


def test_subject_and_body_phrases_in_several_languages() -> None:
    cases = [
        ("Potwierdzenie zamówienia nr 5", "Dziękujemy za złożenie zamówienia", "order_confirmation"),
        ("Заказ № 5 отправлен", "Трек-номер: 123", "shipping"),
        ("Замовлення № 5 доставлено", "Ваше замовлення доставлено", "delivery"),
        ("Zahlungsbestätigung", "Wir haben Ihre Zahlung erhalten", "payment"),
        ("请评价您购买的商品", "欢迎发表评价", "review_request"),
        ("Ласкаво просимо! Підтвердіть email", "Ваш акаунт створено", "account"),
        ("Zostawiłeś coś w koszyku", "Wróć do koszyka", "abandoned_cart"),
    ]
    for subject, body, kind in cases:
        got, confidence, reasons = classify(subject, body, {}, [])
        assert got == kind, (subject, got, reasons)
        assert 0 < confidence <= 1 and any(r.startswith("subject") for r in reasons)


def test_headers_and_markup_are_reasons_too() -> None:
    kind, _, reasons = classify("News", "Discover more", {"precedence": "bulk", "list-unsubscribe": "<u>"}, [])
    assert kind == "marketing" and "header: Precedence: bulk" in reasons
    kind, _, reasons = classify("Re: sizes", "About your question", {"in-reply-to": "<q@x>"}, [])
    assert kind == "support_reply" and any("In-Reply-To" in r for r in reasons)
    kind, _, reasons = classify("Update", "", {}, [("Order", "OrderInTransit")])
    assert kind == "shipping" and "schema.org: Order (OrderInTransit)" in reasons


def test_too_little_evidence_is_other() -> None:
    kind, confidence, reasons = classify("Store hours", "Contact our support team any time.", {}, [])
    assert kind == "other" and confidence == 0.3 and "too little evidence" in reasons[0]
    assert classify("Hello", "nothing", {}, [])[0] == "other"
