"""Language per block: scripts first, then words from the lexicons; mixed messages counted per language."""

from auditor.analysis.language import detect_language, message_language


def test_each_language_is_told_apart() -> None:
    cases = {
        "Thank you for your order, it will be shipped soon.": "en",
        "Dziękujemy za złożenie zamówienia, wkrótce je wyślemy.": "pl",
        "Спасибо за заказ! Мы скоро его отправим.": "ru",
        "Дякуємо за замовлення! Ми скоро його відправимо.": "uk",
        "Vielen Dank für Ihre Bestellung, wir versenden sie bald.": "de",
        "感谢您的订购，我们会尽快发货。": "zh",
    }
    for text, lang in cases.items():
        assert detect_language(text) == lang, text


def test_short_labels_still_count() -> None:
    assert detect_language("Razem do zapłaty") == "pl"
    assert detect_language("Gesamtsumme") == "de"
    assert detect_language("Разом") == "uk"
    assert detect_language("12345 / 678") is None


def test_mixed_message_counts_characters_per_language() -> None:
    lang, sizes = message_language(
        ["Vielen Dank für Ihre Bestellung bei uns!", "Subtotal", "Order total", "Ihre Artikel"]
    )
    assert lang == "de"
    assert set(sizes) == {"de", "en"}


def test_a_price_in_zloty_does_not_make_an_english_line_polish() -> None:
    from auditor.analysis.language import detect_language

    assert detect_language("Total | 218,90 zł") != "pl"
    assert detect_language("Shipping to Poland costs 15,00 zł for every order") == "en"
    assert detect_language("Razem do zapłaty: 218,90 zł") == "pl"


def test_a_letter_stuck_to_a_number_is_not_a_word() -> None:
    from auditor.analysis.language import detect_language

    assert detect_language("USB-C Charger 65W | 1 | 89,90 zł") != "pl"  # "w" is Polish for "in"; 65W is watts
