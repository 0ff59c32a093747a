"""How the rubric decides that two things a store wrote mean the same.

Stores format names, numbers and prices differently in the page and in the
email ("#5001" vs "5001", "Anna" vs "ANNA", "Słuchawki" vs "Sluchawki"); the
comparison rules live here once so every check is equally lenient.
"""

import re
import unicodedata
from decimal import Decimal
from typing import Any

from auditor.models import Money


def fold(text: str) -> str:
    """Lower-case, accents stripped, punctuation to spaces, whitespace collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = bare.replace("ł", "l").replace("ø", "o").replace("ß", "ss")
    return " ".join(re.sub(r"[^\w]+", " ", bare).split())


def names_match(greeted: str, name: str) -> bool:
    """A greeting names the person when one of its words is the name or an inflection of it.

    Slavic greetings use the vocative ("Cześć Anno", "Panie Marku", "Олено"), so a
    word that shares all but the last two letters of the name (at least three)
    and differs in length by at most three counts as the name.
    """
    want = fold(name)
    if not want:
        return False
    if any(unicodedata.east_asian_width(ch) == "W" for ch in want):  # no spaces between CJK words
        return want in fold(greeted).replace(" ", "")
    return any(_same_name(word, want) for word in fold(greeted).split())


def _same_name(word: str, want: str) -> bool:
    if word == want:
        return True
    if len(word) < 3 or len(want) < 3 or abs(len(word) - len(want)) > 3:
        return False
    common = 0
    for a, b in zip(word, want, strict=False):
        if a != b:
            break
        common += 1
    return common >= max(3, min(len(word), len(want)) - 2)


def order_numbers_match(seen: Any, shown: str) -> bool:
    """'#000123', '123' and 'no. 123' are the same order; letters must match exactly (case-insensitive)."""
    a, b = _order_key(str(seen)), _order_key(shown)
    return bool(a) and a == b


def mentions(text: str, number: str) -> bool:
    """``number`` appears in ``text`` as a whole token: 1042 is in "Order #1042", not in "Order 10420"."""
    return bool(number) and re.search(rf"(?<![0-9A-Za-z]){re.escape(number)}(?![0-9A-Za-z])", text) is not None


def _order_key(number: str) -> str:
    key = re.sub(r"[^0-9A-Za-z]", "", number).upper()
    return key.lstrip("0") if key.isdigit() else key


def item_names_match(in_email: str, on_page: str) -> bool:
    """Equal after folding, or one contains the other (emails truncate or add variants)."""
    a, b = fold(in_email), fold(on_page)
    if not a or not b:
        return False
    return a == b or (len(a) >= 4 and a in b) or (len(b) >= 4 and b in a)


def as_money(value: Any) -> Money | None:
    """A Money from a Fact's value (a Money, a dict, or a bare number); None when it is not one."""
    if isinstance(value, Money):
        return value
    if isinstance(value, dict) and "amount" in value:
        try:
            return Money.model_validate(value)
        except ValueError:
            return None
    if isinstance(value, int | float | Decimal | str):
        try:
            return Money(amount=Decimal(str(value)))
        except ArithmeticError:
            return None
    return None


def money_equal(a: Money | None, b: Money | None) -> bool:
    """Same amount, and same currency when both sides know it."""
    if a is None or b is None:
        return False
    if a.amount.compare(b.amount) != 0:
        return False
    return not (a.currency and b.currency and a.currency.upper() != b.currency.upper())
