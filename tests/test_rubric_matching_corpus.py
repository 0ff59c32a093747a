"""Journal matching measured on every labelled order confirmation in the corpus (real platforms' templates
included): the values the journal knows are found in the email's text, and values it does not know are not.

Labels are written from the rendered order, not from analysis, so they stand in for the journal here.
"""

from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml

from auditor.campaign.scoring import readable_text
from auditor.mail.mime import parse_mime
from auditor.models import Money
from auditor.rubric.matching import find_greeting, find_item_name, find_money, find_order_number, names_match

CORPUS = Path(__file__).parent / "corpus"
FOUND_AT_LEAST = 0.97
WRONG_AT_MOST = 0.01


@cache
def confirmations() -> list[tuple[str, dict, str]]:
    out = []
    for label_path in sorted(CORPUS.rglob("*.expected.yaml")):
        labels = yaml.safe_load(label_path.read_text(encoding="utf-8"))
        eml = label_path.with_name(label_path.name.replace(".expected.yaml", ".eml"))
        if not isinstance(labels, dict) or labels.get("kind") != "order_confirmation" or not eml.exists():
            continue
        raw = eml.read_bytes()
        out.append((str(label_path.relative_to(CORPUS)), labels, f"{parse_mime(raw).subject}\n{readable_text(raw)}"))
    return out


def _first_name(labels: dict) -> str | None:
    greeting = labels.get("greeting")
    name = greeting.get("name") if isinstance(greeting, dict) else None
    return name.split()[0] if name else None


def _money(amount: object, currency: str | None) -> Money:
    return Money(amount=Decimal(str(amount)), currency=currency)


def test_the_known_values_are_found_in_the_email() -> None:
    found = {"order number": [0, 0], "total": [0, 0], "greeting": [0, 0], "item name": [0, 0]}
    missed = []
    for name, labels, text in confirmations():
        checks = []
        if labels.get("order_number"):
            checks.append(("order number", find_order_number(text, str(labels["order_number"]))))
        if labels.get("total"):
            checks.append(("total", find_money(text, _money(labels["total"], labels.get("currency")))))
        if first := _first_name(labels):
            checks.append(("greeting", find_greeting(text, first)))
        checks += [("item name", find_item_name(text, item["name"])) for item in labels.get("items") or []]
        for fact, hit in checks:
            found[fact][0] += hit is not None
            found[fact][1] += 1
            if hit is None:
                missed.append(f"{name}: {fact}")
    assert len(confirmations()) >= 100
    for fact, (hits, total) in found.items():
        assert total and hits / total >= FOUND_AT_LEAST, (fact, hits, total, missed[:10])


def test_values_the_journal_does_not_know_are_not_found() -> None:
    """The next order number, a cent more, another persona's first name, another order's item."""
    items = sorted({item["name"] for _, labels, _ in confirmations() for item in labels.get("items") or []})
    names = sorted({n for _, labels, _ in confirmations() if (n := _first_name(labels))})
    wrong, tried = [], 0
    for i, (name, labels, text) in enumerate(confirmations()):
        number = str(labels.get("order_number") or "")
        if number.isdigit():
            tried += 1
            wrong += [f"{name}: order {int(number) + 1}"] if find_order_number(text, str(int(number) + 1)) else []
        if labels.get("total"):
            tried += 1
            cent_more = _money(labels["total"], labels.get("currency")).amount + Decimal("0.01")
            wrong += (
                [f"{name}: total {cent_more}"] if find_money(text, _money(cent_more, labels.get("currency"))) else []
            )
        mine = _first_name(labels) or ""
        for other in [n for n in names if not (mine and names_match(n, mine))][i % 5 :: 5]:
            tried += 1
            wrong += [f"{name}: greets {other}"] if find_greeting(text, other) else []
        own = {item["name"] for item in labels.get("items") or []}
        for other in [n for n in items if n not in own][i % 7 :: 7]:
            tried += 1
            wrong += [f"{name}: item {other}"] if find_item_name(text, other) else []
    assert tried > 1000
    assert len(wrong) / tried <= WRONG_AT_MOST, wrong
