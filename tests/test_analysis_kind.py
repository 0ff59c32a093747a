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


# Wording from the development platforms' own templates (tests/corpus/platforms), read without those
# platforms' lexicon entries: the methods, not the words added for them, must carry these.
REAL = [
    # Odoo sale.mail_template_sale_confirmation: no kind word in "Northwind Supplies Order (Ref S00040)"
    ("odoo", "Northwind Supplies Order (Ref S00040)",
     "Hello,\nYour order S00040 amounting in $ 29.99 has been confirmed.\nThank you for your trust!",
     "order_confirmation"),
    # Odoo sale payment_executed: the leftmost topic of the sentence is the payment, not the order
    ("odoo", "Northwind Supplies Order (Ref S00050)",
     "Hello,\nA payment with reference S00050-1 amounting $ 155.98 for your order S00050 has been confirmed.",
     "payment"),
    # Odoo's Polish payment_executed: a stem serves the translator's "został potwierdzony"
    ("odoo", "Northwind Supplies Zamówienie (Ref S00150)",
     "Witaj,\nPłatność z numerem referencyjnym S00150-1 na kwotę 363,99 zł do zamówienia S00150 został potwierdzony.",
     "payment"),
    # EverShop order confirmation
    ("evershop", "Your order has been confirmed!", "Your order has been confirmed. Thanks for shopping with us.",
     "order_confirmation"),
    # WooCommerce customer-invoice: the subject names an invoice, "order #" is only its reference
    ("woocommerce", "Invoice for order #1057 on Northwind Outfitters",
     "Invoice for order #1057\nHi Marcus,\nHere are the details of your order placed on November 6, 2026:",
     "invoice"),
    # WooCommerce customer-refunded-order (ru): the body's own title says refund
    ("woocommerce", "Ваш заказ на сайте Северный магазин № 1058 был возвращен",
     "Возврат средств по заказу: 1058\nПривет, Ольга!\nТовар | Количество | Цена",
     "refund"),
    # Solidus reimbursement_email
    ("solidus", "Evergreen Supply Reimbursement Notification #R482929579",
     "Dear Customer,\nYour reimbursement has been processed.", "refund"),
    # OpenMage sales_email_creditmemo_template
    ("openmage", "Northwind Outfitters: Credit Memo # 100000126 for Order # 100000126",
     "Jane Cooper,\nThank you for your order from Northwind Outfitters.\n"
     "Your Credit Memo #100000126 for Order #100000126",
     "credit_memo"),
    # Solidus order_mailer cancel_email
    ("solidus", "Evergreen Supply Cancellation of Order #R482931579",
     "Dear Customer,\nYour order has been CANCELED. Please retain this cancellation information for your records.",
     "cancellation"),
]  # fmt: skip


def test_real_templates_by_method_not_by_their_own_words() -> None:
    from auditor.analysis.lexicon import excluding

    for platform, subject, body, kind in REAL:
        with excluding(platform):
            got, _, reasons = classify(subject, body, {}, [])
        assert got == kind, (platform, subject, got, reasons)


def test_an_invoice_is_not_an_order_confirmation_nor_a_payment() -> None:
    for subject in ["Your invoice #INV-1042", "Rechnung Nr. 1042 zu Ihrer Bestellung", "Faktura nr 1042", "发票 1042"]:
        got, _, reasons = classify(subject, "Thank you for your order.", {}, [])
        assert got == "invoice", (subject, got, reasons)
    got, _, _ = classify("Order #1042 cancelled", "Your order has been cancelled.", {}, [])
    assert got == "cancellation"
    got, _, _ = classify("Credit memo for order 1042", "", {}, [])
    assert got == "credit_memo"


# Subjects of the development platforms' templates that no phrase names: a stem of the kind's own word in the
# language (any grammatical form, a German compound's part) names it, read without the platform's entries.
STEMMED = [
    ("woocommerce", "[Sklep Północny] Twoje zamówienie 1058 zostało zwrócone", "refund"),
    ("woocommerce", "Ваше Північна крамницязамовлення #1058 було повернено", "refund"),
    ("odoo", "Pozostawiłeś produkty w koszyku!", "abandoned_cart"),
    ("odoo", "Ви залишили товари в кошику!", "abandoned_cart"),
    ("odoo", "Northwind Supplies Квитанция об оплате (Ref PBNK1/2026/00300)", "payment"),
    ("odoo", "Northwind Supplies付款收据(Ref PBNK1/2026/00600)", "payment"),
    ("openmage", "Nordwind Ausstatter: Rechnungskorrektur Nr. 100000126 für Bestellung Nr. 100000126", "credit_memo"),
    ("openmage", "Sklep Północny: Przesyłka nr 100000125 do Zamówienia nr 100000125", "shipping"),
    ("vendure", "Please verify your change of email address", "account"),
]


def test_a_subject_names_its_kind_by_a_stem_in_any_form() -> None:
    from auditor.analysis.lexicon import excluding

    for platform, subject, kind in STEMMED:
        with excluding(platform):
            got, _, reasons = classify(
                subject, "Dziękujemy za Twoje zamówienie. Vielen Dank für Ihre Bestellung.", {}, []
            )
        assert got == kind, (platform, subject, got, reasons)
        assert any(r.startswith("subject") for r in reasons), reasons


def test_the_most_specific_stem_wins_and_a_refunded_invoice_is_a_credit_memo() -> None:
    from auditor.analysis.lexicon import excluding

    with excluding("openmage"):  # OpenMage's own entry calls its "Возврат платежа" a credit memo
        assert classify("Возврат платежа для заказа", "", {}, [])[0] == "refund"  # a payment's refund, not a payment
    assert classify("Stornorechnung zu Ihrer Bestellung", "", {}, [])[0] == "credit_memo"  # not a cancellation
    got, _, reasons = classify("Northwind Supplies退款账单(Ref RINV/2026/00580)", "这是您的 退货凭证", {}, [])
    assert got == "credit_memo" and any("refunded invoice" in r for r in reasons), reasons


def test_an_order_completed_is_an_order_shipped() -> None:
    """WooCommerce's completed-order mail: its own entries (LOPO leaves them out), with the grammatical forms."""
    body = "Thanks for shopping with us\nHi Jane,\nWe have finished processing your order."
    for subject in ["Your Northwind Outfitters order is now complete", "Ваш заказ на сайте Северный магазин выполнен",
                    "Ваш Північна крамниця замовлення завершено", "现已完成您的 北风商城 订单"]:  # fmt: skip
        got, _, reasons = classify(subject, body, {}, [])
        assert got == "shipping", (subject, got, reasons)


def test_structure_an_order_number_in_the_subject_and_priced_items() -> None:
    from auditor.analysis.lexicon import excluding

    subject, body = "Northwind Outfitters: Order # 100000127 update", "You can check it by logging into your account."
    assert classify(subject, body, {}, [])[0] == "account"
    got, _, reasons = classify(subject, body, {}, [], order_in_subject=True, has_order_number=True)
    assert got == "other", reasons  # an account email never carries an order number in its subject
    subject, body = "Sklep Północny: Nowe Zamówienie nr 100000121", "Witaj Anna Kowalska!"
    with excluding("openmage"):
        assert classify(subject, body, {}, [], order_in_subject=True, has_order_number=True)[0] == "other"
        got, _, reasons = classify(
            subject, body, {}, [], order_in_subject=True, has_order_number=True, priced_items=True
        )
    assert got == "order_confirmation" and any(r.startswith("structure") for r in reasons), reasons
