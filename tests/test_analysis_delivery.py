"""Delivery estimates: relative phrases, dates and ranges, in six languages, only beside a delivery label."""

import pytest

from auditor.analysis.delivery import find_delivery_estimate
from auditor.analysis.document import from_text


def _find(text: str, year: int | None = 2026) -> dict | None:
    fact = find_delivery_estimate(from_text(text).lines, "text", year)
    return fact.value if fact else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Estimated delivery: 2–3 business days", {"kind": "relative", "min": 2, "max": 3, "unit": "day"}),
        ("Delivery in two to three days", {"kind": "relative", "min": 2, "max": 3, "unit": "day"}),
        ("Przewidywany czas dostawy: w ciągu 2 dni roboczych", {"kind": "relative", "min": 2, "max": 2, "unit": "day"}),
        ("Срок доставки: 3–5 рабочих дней", {"kind": "relative", "min": 3, "max": 5, "unit": "day"}),
        ("Термін доставки: протягом 3 робочих днів", {"kind": "relative", "min": 3, "max": 3, "unit": "day"}),
        ("Lieferzeit: innerhalb von 2-3 Werktagen", {"kind": "relative", "min": 2, "max": 3, "unit": "day"}),
        ("预计3-5个工作日送达", {"kind": "relative", "min": 3, "max": 5, "unit": "day"}),
        ("Expected delivery: November 27, 2026", {"kind": "date", "date": "2026-11-27"}),
        ("Estimated delivery: Friday, November 27", {"kind": "date", "date": "2026-11-27"}),
        ("Ожидаемая дата доставки: 27 ноября", {"kind": "date", "date": "2026-11-27"}),
        ("预计送达：2026年11月27日", {"kind": "date", "date": "2026-11-27"}),
        ("Termin dostawy: 27.11.2026", {"kind": "date", "date": "2026-11-27"}),
        ("Estimated delivery: Nov 26 – Nov 28", {"kind": "range", "from": "2026-11-26", "to": "2026-11-28"}),
        ("Voraussichtliche Lieferung: 26.–28. November", {"kind": "range", "from": "2026-11-26", "to": "2026-11-28"}),
        ("Очікувана дата доставки: 25.11 – 27.11", {"kind": "range", "from": "2026-11-25", "to": "2026-11-27"}),
    ],
)
def test_estimates_are_read_with_their_meaning(text: str, expected: dict) -> None:
    value = _find(text)
    assert value is not None, text
    assert {k: value.get(k) for k in expected} == expected
    assert value["text"] in text


def test_a_bare_label_takes_the_phrase_on_the_next_line() -> None:
    value = _find("Estimated delivery:\n2–3 business days")
    assert value == {"kind": "relative", "text": "2–3 business days", "min": 2, "max": 3, "unit": "day"}


def test_without_a_year_the_date_is_partial() -> None:
    assert _find("Expected delivery: November 27", year=None)["date"] == "--11-27"


def test_unlabelled_periods_are_not_promises() -> None:
    assert _find("You can return any item within 30 days.\nOur office is open 9–17.") is None
    assert _find("Estimated delivery: soon") is None
