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


# -- known values in a message's own text (verification against what the shopper knows) -----------------
#
# Blind extraction reads an email it has never seen; the journal knows the order number, the items, the
# prices, the total and the persona's name. Looking for those known values in the text is a different,
# much easier question ("is 1 234,50 zł in here?"), so a finding stays right where blind reading fails.

_ELLIPSIS = " zzellipsiszz "
_NUMBER = re.compile(r"(?<![\d.,])(\d{1,3}(?:[ \u00a0\u202f.,'’]\d{3})+|\d+)(?:([.,])(\d{1,2}))?(?!\d)")
_CURRENCY_MARKS = {
    "zł": "PLN", "zl": "PLN", "pln": "PLN", "€": "EUR", "eur": "EUR", "$": "USD", "usd": "USD", "£": "GBP",
    "gbp": "GBP", "₽": "RUB", "руб": "RUB", "rub": "RUB", "₴": "UAH", "грн": "UAH", "uah": "UAH", "chf": "CHF",
    "kč": "CZK", "czk": "CZK", "¥": "CNY", "元": "CNY", "cny": "CNY", "rmb": "CNY",
}  # fmt: skip
_MARK = re.compile("|".join(re.escape(m) for m in sorted(_CURRENCY_MARKS, key=len, reverse=True)), re.IGNORECASE)
_ORDER_LABEL = re.compile(
    r"(#|№|\bn[or]\.?|\bn°|\bnum\w*|\bid|order\w*|bestell\w*|commande|zam[oó]w\w*|заказ\w*|замовлен\w*|"
    r"pedido|ordine|订单)\W{0,3}$",
    re.IGNORECASE,
)
_SHORT_NUMBER = 4  # a number shorter than this must stand beside an order label: "7" is in every date


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def find_order_number(text: str, number: str) -> str | None:
    """The line of ``text`` that carries order ``number`` as a whole token ('#000123' matches '123'),
    or None; a short number counts only beside an order label ('Order ID: 7', 'Zamówienie nr 7')."""
    key = _order_key(number)
    if not key:
        return None
    strict = re.compile(rf"(?<![0-9A-Za-z])0*{re.escape(key)}(?![0-9A-Za-z])")
    # letters, or a number written with separators ('12345678-0001'): separators between characters are free;
    # plain digits stay strict, or 1042 would be found in '1,042.00'
    loose = not key.isdigit() or re.search(r"[^0-9A-Za-z#]", number.strip().lstrip("#")) is not None
    patterns = [strict, re.compile(_loose_letters(key), re.IGNORECASE)] if loose else [strict]
    for line in _lines(text):
        for pattern in patterns:
            for hit in pattern.finditer(line):
                if len(key) >= _SHORT_NUMBER or _ORDER_LABEL.search(line[: hit.start()]):
                    return line
    return None


def _loose_letters(key: str) -> str:
    """'EX10001' matches 'EX-10001', 'ex 10001' and 'EX10001': separators between characters are free."""
    return r"(?<![0-9A-Za-z])" + r"[\s\-_/.]?".join(re.escape(ch) for ch in key) + r"(?![0-9A-Za-z])"


def _amounts(match: re.Match[str]) -> list[Decimal]:
    """The amounts a number token can mean: '1 234,50' is 1234.50; when groups are split by spaces,
    each tail is a candidate too ('2 129,00' in a table row may be a quantity and 129,00)."""
    whole, decimals = match.group(1), match.group(3) or ""
    groups = re.split(r"[ \u00a0\u202f.,'’]", whole)
    spaced = bool(re.search(r"[ \u00a0\u202f]", whole))
    starts = range(len(groups)) if spaced else range(1)
    out = []
    for start in starts:
        try:
            out.append(Decimal("".join(groups[start:]) + (f".{decimals}" if decimals else "")))
        except ArithmeticError:
            continue
    return out


def _mark_beside(text: str, start: int, end: int) -> str | None:
    """The currency a symbol or code right before or after the number names ('129,00 zł', '$1,234.50')."""
    hit = _MARK.match(text[end : end + 6].lstrip())
    if hit is None:
        head = text[max(0, start - 6) : start].rstrip()
        hit = next((m for m in _MARK.finditer(head) if m.end() == len(head)), None)
    return _CURRENCY_MARKS.get(hit.group(0).lower()) if hit else None


def find_money(text: str, money: Money) -> str | None:
    """The line of ``text`` showing ``money`` in any local format ('1 234,50 zł', '1.234,50 €', '$1,234.50'),
    or None. A bare integer counts only with a currency beside it (a quantity or a SKU is not a price);
    a different currency beside it never counts."""
    want = money.amount
    for line in _lines(text):
        for match in _NUMBER.finditer(line):
            if not any(a.compare(want) == 0 for a in _amounts(match)):
                continue
            mark = _mark_beside(line, match.start(), match.end())
            if mark and money.currency and mark != money.currency.upper():
                continue
            if match.group(3) or mark:
                return line
    return None


def _fold_keeping_ellipsis(text: str) -> str:
    return fold(text.replace("…", _ELLIPSIS).replace("...", _ELLIPSIS))


def find_item_name(text: str, name: str) -> str | None:
    """The line of ``text`` naming item ``name``, matched loosely (case, accents, punctuation, whitespace),
    or cut short with an ellipsis after at least 60% of it ('Wireless Headph…'); None when absent."""
    want = fold(name)
    if len(want) < 3:
        return None
    shortest = max(8, int(len(want) * 0.6))
    for line in _lines(text):
        folded = f" {_fold_keeping_ellipsis(line)} "
        if f" {want} " in folded:
            return line
        marker = _ELLIPSIS.strip()
        for cut in re.finditer(rf"(\S[^|]*?) ?{marker}", folded):
            shown = cut.group(1).strip()
            for start in range(len(shown)):
                tail = shown[start:]
                if (start == 0 or shown[start - 1] == " ") and len(tail) >= shortest and want.startswith(tail):
                    return line
    return None


def find_quantity(line: str, quantity: int) -> bool:
    """Whether an item's line shows ``quantity`` as a count: '2 x', '× 2', 'qty: 2', '2 szt.' or a cell of its own."""
    q = re.escape(str(quantity))
    patterns = (
        rf"(?<![\d.,]){q}\s*[x×]\s",
        rf"[x×]\s*{q}(?![\d.,])",
        rf"(?:qty|quantity|ilo[sś][cć]|menge|anzahl|кол|кількість|数量)\W{{0,3}}{q}(?![\d.,])",
        rf"(?<![\d.,]){q}\s*(?:szt|pcs|st(?:k|ück)|шт)",
        rf"(?:^|\|)\s*{q}\s*(?:\||$)",
    )
    return any(re.search(p, line, re.IGNORECASE) for p in patterns)


GREETING_LINES = 6  # a greeting opens the email: the persona's name further down is an address, not a greeting
GREETING_CHARS = 80
GREETING_WORDS = 4  # 'Dear Ms Anna Kowalska,': the name comes first or after a salutation and a title


def find_greeting(text: str, first_name: str) -> str | None:
    """An opening line that greets ``first_name`` in any grammatical case ('Anno,', 'Cześć Piotrze!',
    'Здравствуйте, Олено'), or None. Only the first words of the first lines count: the name in a
    shipping address or further into a sentence is not a greeting."""
    for line in _lines(text)[:GREETING_LINES]:
        cell = line.split("|")[0].strip()
        opening = " ".join(fold(cell).split()[:GREETING_WORDS])
        if opening and names_match(opening, first_name):
            return cell if len(cell) <= GREETING_CHARS else cell[: GREETING_CHARS - 1] + "…"
    return None
