"""Greetings: the name as written, or generic, in six languages; sentences are not names."""

import pytest

from auditor.analysis.document import from_text
from auditor.analysis.greeting import find_greeting


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Hi Anna,", "Anna"),
        ("Hello, Anna!", "Anna"),
        ("Dear Mr. Smith,", "Smith"),
        ("Dear Anna van der Berg,", "Anna van der Berg"),
        ("Dzień dobry Pani Anno,", "Anno"),
        ("Dzień dobry, Anno!", "Anno"),
        ("Здравствуйте, Анна!", "Анна"),
        ("Вітаємо, Олено!", "Олено"),
        ("Sehr geehrte Frau Schmidt,", "Schmidt"),
        ("Hallo Max Mustermann,", "Max Mustermann"),
        ("亲爱的张伟：", "张伟"),
        ("张伟，您好！", "张伟"),
    ],
)
def test_named_greetings(line: str, name: str) -> None:
    fact = find_greeting(from_text(f"{line}\nThank you for your order.").lines, "text")
    assert fact is not None and fact.value == name and line.startswith(fact.snippet[:4])


@pytest.mark.parametrize(
    "line",
    [
        "Dear customer,",
        "Hello,",
        "Hi there!",
        "Hello, we're glad you shop with us.",
        "Szanowny Kliencie,",
        "Уважаемый покупатель!",
        "Шановний клієнте,",
        "Sehr geehrte Kundin, sehr geehrter Kunde,",
        "尊敬的客户，您好！",
    ],
)
def test_generic_greetings_have_no_name_but_a_snippet(line: str) -> None:
    fact = find_greeting(from_text(line).lines, "text")
    assert fact is not None and fact.value is None and fact.snippet and line.startswith(fact.snippet)


def test_no_greeting_and_greetings_far_down_are_ignored() -> None:
    assert find_greeting(from_text("Your order has shipped.\nThanks, Anna").lines, "text") is None
    far = "\n".join(["line"] * 20 + ["Hi Anna,"])
    assert find_greeting(from_text(far).lines, "text") is None
    assert find_greeting(from_text("Hiking boots are 20% off, Anna").lines, "text") is None


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Jane Cooper,", "Jane Cooper"),  # Magento 1 (OpenMage) greets with the name alone
        ("Anna,", "Anna"),
        ("Witaj Anno,", "Anno"),
        ("Szanowna Pani Anno,", "Anno"),
        ("Уважаемая Елена,", "Елена"),
        ("Шановна Олено,", "Олено"),
        ("Hallo Lena,", "Lena"),
        ("亲爱的李静，", "李静"),
        ("王伟，您好", "王伟"),
        ("亲爱的 王伟您好！", "王伟"),  # Odoo's Chinese: the closer glued to the name
        ("Hi marcus.8,", "marcus.8"),  # WooCommerce greets by the login
        ("Привет, customer8.8!", "customer8.8"),
        ("尊敬的 customer8.8：您好！", "customer8.8"),
    ],
)
def test_names_alone_in_any_case_and_logins(line: str, name: str) -> None:
    fact = find_greeting(from_text(f"{line}\nThank you for your order.").lines, "text")
    assert fact is not None and fact.value == name


@pytest.mark.parametrize("line", ["Drogi Kliencie,", "Уважаемый покупатель!", "Hello again,", "Шановний покупцю,"])
def test_generic_and_words_are_not_names(line: str) -> None:
    fact = find_greeting(from_text(f"{line}\nThank you for your order.").lines, "text")
    assert fact is None or fact.value is None


@pytest.mark.parametrize("line", ["Thank you,", "Your order,", "Best regards,", "Order details,"])
def test_a_line_of_words_and_a_comma_is_not_a_name(line: str) -> None:
    assert find_greeting(from_text(f"{line}\nMore text here.").lines, "text") is None


def test_an_opener_glued_to_a_name_is_not_part_of_it() -> None:
    fact = find_greeting(from_text("亲爱的静 李,\nThank you.").lines, "text")  # OpenMage's zh_CN pack
    assert fact is not None and fact.value == "静 李"
