"""How the rubric decides two things a store wrote are the same."""

from decimal import Decimal

from auditor.models import Money
from auditor.rubric.matching import (
    as_money,
    fold,
    item_names_match,
    mentions,
    money_equal,
    names_match,
    order_numbers_match,
)


def test_fold_ignores_case_accents_and_punctuation() -> None:
    assert fold("  Słuchawki   BEZPRZEWODOWE!  ") == "sluchawki bezprzewodowe"
    assert fold("Größe") == "grosse"


def test_names_in_greetings_across_languages() -> None:
    assert names_match("Anna Kowalska", "Anna")
    assert names_match("Anno", "Anna") and names_match("Marku", "Marek") and names_match("Олено", "Олена")
    assert names_match("王先生", "王") and not names_match("李先生", "王")
    assert not names_match("Annabelle", "Anna") and not names_match("Customer", "Anna")


def test_order_numbers_in_their_shapes() -> None:
    assert order_numbers_match("#000123", "123") and order_numbers_match("R-123456789", "r123456789")
    assert not order_numbers_match("XKBKNABJK", "XKBKNABJ") and not order_numbers_match("", "")
    assert mentions("Order #1042 received", "1042") and not mentions("Order 10420", "1042")


def test_item_names_tolerate_truncation_but_not_short_fragments() -> None:
    assert item_names_match("Wireless Headphones X", "wireless headphones")
    assert not item_names_match("Cap", "Capacitor kit")


def test_money_compares_decimals_and_known_currencies() -> None:
    pln = Money(amount=Decimal("129.00"), currency="PLN")
    assert money_equal(as_money({"amount": "129", "currency": "pln"}), pln)
    assert money_equal(as_money("129.0"), pln)  # currency unknown on one side
    assert not money_equal(Money(amount=Decimal("129"), currency="EUR"), pln)
    assert as_money("n/a") is None and as_money(None) is None
