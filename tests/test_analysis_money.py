"""Prices as shops print them, in every locale the auditor meets."""

from decimal import Decimal

import pytest

from auditor.models import Money
from auditor.models.money_text import currency_code, find_money, parse_money

NBSP, THIN = "\u00a0", "\u202f"


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("1 234,56 zł", "1234.56", "PLN"),
        ("€1.234,56", "1234.56", "EUR"),
        ("1.234,56 €", "1234.56", "EUR"),
        ("$1,234.56", "1234.56", "USD"),
        ("€1,234.56", "1234.56", "EUR"),
        ("¥1,234", "1234", "CNY"),
        ("1 234,56 ₽", "1234.56", "RUB"),
        ("CHF 1'234.50", "1234.50", "CHF"),
        ("129,00 zł", "129.00", "PLN"),
        ("PLN 129.00", "129.00", "PLN"),
        (f"1{NBSP}234,56{NBSP}zł", "1234.56", "PLN"),
        (f"1{THIN}234,56 ₽", "1234.56", "RUB"),
        ("1 299,00 грн", "1299.00", "UAH"),
        ("£3.50", "3.50", "GBP"),
        ("RMB 88.00", "88.00", "CNY"),
        ("88.00元", "88.00", "CNY"),
        ("29,- €", "29", "EUR"),
        ("-5,00 zł", "-5.00", "PLN"),
        ("12 345 678,90 PLN", "12345678.90", "PLN"),
    ],
)
def test_parse_money_reads_each_locale_format(text: str, amount: str, currency: str) -> None:
    assert parse_money(text) == Money(amount=Decimal(amount), currency=currency)


def test_lone_separator_before_three_digits_follows_the_locale() -> None:
    assert parse_money("1.234", "de").amount == Decimal("1234")
    assert parse_money("1.234", "en").amount == Decimal("1.234")
    assert parse_money("1,234", "pl").amount == Decimal("1.234")
    assert parse_money("1,234", "en").amount == Decimal("1234")


def test_bare_number_gives_money_without_currency_and_garbage_gives_none() -> None:
    assert parse_money("19.99") == Money(amount=Decimal("19.99"))
    assert parse_money("free") is None
    assert parse_money("") is None


def test_find_money_returns_every_amount_with_its_exact_snippet() -> None:
    text = "2 x Mug 258,00 zł, shipping PLN 15.00 and a voucher of -10,00 zł; 3 items"
    found = find_money(text)
    assert [(str(m), s) for m, s in found] == [
        ("258.00 PLN", "258,00 zł"),
        ("15.00 PLN", "PLN 15.00"),
        ("-10.00 PLN", "-10,00 zł"),
    ]
    assert all(s in text for _, s in found)


def test_currency_words_need_a_boundary_so_words_are_not_prices() -> None:
    assert find_money("Nr. 5 and Park 12") == []
    assert find_money("złotych 5") == []


def test_currency_code_maps_symbols_words_and_codes() -> None:
    assert currency_code("zł") == "PLN"
    assert currency_code("EUR") == "EUR"
    assert currency_code("руб.") == "RUB"
    assert currency_code("₴") == "UAH"
    assert currency_code("???") is None
