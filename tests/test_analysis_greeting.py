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
