"""Read prices the way shops print them: ``1 234,56 zł``, ``€1.234,56``, ``CHF 1'234.50``, ``¥1,234``.

Shops format amounts by their locale, not ours, so the decimal separator is
decided per amount: the last of two different separators is the decimal one;
a lone separator followed by exactly three digits is a thousands separator
unless the locale says otherwise. Currencies come back as ISO 4217 codes.
"""

import re
from decimal import Decimal, InvalidOperation

from auditor.models.money import Money

# Symbols and words shops print, mapped to ISO codes. Longest first in the regex.
CURRENCY_SYMBOLS: dict[str, str] = {
    "zł": "PLN",
    "zl": "PLN",
    "€": "EUR",
    "US$": "USD",
    "$": "USD",
    "CN¥": "CNY",
    "¥": "CNY",
    "￥": "CNY",
    "元": "CNY",
    "人民币": "CNY",
    "RMB": "CNY",
    "₽": "RUB",
    "руб.": "RUB",
    "руб": "RUB",
    "р.": "RUB",
    "₴": "UAH",
    "грн.": "UAH",
    "грн": "UAH",
    "£": "GBP",
    "Fr.": "CHF",
    "SFr.": "CHF",
    "Kč": "CZK",
    "kr": "SEK",
}
ISO_CODES = frozenset(
    {
        "PLN",
        "EUR",
        "USD",
        "CNY",
        "RUB",
        "UAH",
        "CHF",
        "GBP",
        "CZK",
        "SEK",
        "NOK",
        "DKK",
        "HUF",
        "JPY",
        "CAD",
        "AUD",
        "RON",
        "BGN",
        "TRY",
        "BYN",
        "KZT",
        "HKD",
        "TWD",
    }
)

# Locales whose decimal separator is a comma (so a lone "." before 3 digits is grouping).
COMMA_DECIMAL_LANGS = frozenset(
    {
        "pl",
        "de",
        "ru",
        "uk",
        "cs",
        "sk",
        "fr",
        "it",
        "es",
        "pt",
        "nl",
        "sv",
        "da",
        "fi",
        "nb",
        "no",
        "hu",
        "ro",
        "bg",
        "tr",
    }
)

_SPACES = "\u0020\u00a0\u202f\u2009\u2007\u2008\u200a"
_SEP = f"[{_SPACES}.,'’]"
# A number: digits with optional group separators and an optional decimal part.
_NUMBER = rf"(?<![\d.,])(?:\d{{1,3}}(?:{_SEP}\d{{3}})+|\d+)(?:[.,]\d{{1,2}}|[.,]-{{1,2}})?(?![\d])"
# Symbols printed only before the amount ("$5", "¥5"); after a number they belong to the next amount.
PREFIX_ONLY = frozenset({"$", "US$", "£", "¥", "￥", "CN¥"})
_symbols = sorted(CURRENCY_SYMBOLS, key=len, reverse=True)
_SYM = "|".join(re.escape(s) for s in _symbols)
_POST_SYM = "|".join(re.escape(s) for s in _symbols if s not in PREFIX_ONLY)
_ISO = "|".join(sorted(ISO_CODES))
_CUR = rf"(?:{_SYM}|(?<![A-Za-z])(?:{_ISO})(?![A-Za-z]))"
_POST_CUR = rf"(?:{_POST_SYM}|(?<![A-Za-z])(?:{_ISO})(?![A-Za-z]))"
_GAP = f"[{_SPACES}]?"
# After "Name × " the next number is a quantity ("Kubek × 2 129,00 zł"), never the start of a
# space-grouped amount; after "1 szt. × " it is the price ("1 шт. × 18 990 ₽").
_MONEY_RE = re.compile(
    rf"(?<![A-Za-zА-Яа-яЁёІіЇїЄєҐґ])(?P<pre>{_CUR}){_GAP}(?P<num1>-?{_NUMBER})"
    rf"|(?<![^\W\d_] [x×] )(?<![x×*])(?P<num2>-?{_NUMBER}){_GAP}(?P<post>{_POST_CUR})(?![A-Za-zА-Яа-яЁёІіЇїЄєҐґ])",
)
_SPACE_RE = re.compile(f"[{_SPACES}']|’")


def currency_code(token: str) -> str | None:
    """An ISO code for a symbol, word or code as printed; None when unknown."""
    token = token.strip()
    if token.upper() in ISO_CODES and token.isupper():
        return token.upper()
    return CURRENCY_SYMBOLS.get(token) or CURRENCY_SYMBOLS.get(token.lower())


def parse_number(text: str, locale: str | None = None) -> Decimal | None:
    """Turn ``1 234,56`` / ``1.234,56`` / ``1,234.56`` / ``1'234.50`` into a Decimal, or None."""
    s = text.strip()
    negative = s.startswith(("-", "−"))
    s = s.lstrip("-−").strip()
    s = re.sub(r"[.,]-{1,2}$", "", s)  # "129,-" means 129.00
    s = _SPACE_RE.sub("", s)
    if not s or not s[0].isdigit():
        return None
    dots, commas = s.count("."), s.count(",")
    lang = (locale or "").replace("-", "_").split("_")[0].lower()
    if dots and commas:
        decimal_sep = "." if s.rfind(".") > s.rfind(",") else ","
    elif dots or commas:
        sep = "." if dots else ","
        count = dots or commas
        tail = len(s) - s.rfind(sep) - 1
        if count > 1:
            decimal_sep = None  # 1.234.567: all grouping
        elif tail != 3:
            decimal_sep = sep
        elif lang:
            comma_decimal = lang in COMMA_DECIMAL_LANGS
            decimal_sep = sep if (sep == ",") == comma_decimal else None
        else:
            decimal_sep = None
    else:
        decimal_sep = None
    if decimal_sep:
        group = "," if decimal_sep == "." else "."
        s = s.replace(group, "").replace(decimal_sep, ".")
    else:
        s = s.replace(".", "").replace(",", "")
    try:
        value = Decimal(s)
    except InvalidOperation:
        return None
    return -value if negative else value


def _to_money(match: re.Match[str], locale: str | None) -> Money | None:
    number = match.group("num1") or match.group("num2")
    cur = match.group("pre") or match.group("post")
    amount = parse_number(number, locale)
    if amount is None:
        return None
    return Money(amount=amount, currency=currency_code(cur))


def find_money(text: str, locale: str | None = None) -> list[tuple[Money, str]]:
    """Every amount with a currency in ``text``, in order, with the exact snippet it was read from."""
    found: list[tuple[Money, str]] = []
    for match in _MONEY_RE.finditer(text):
        money = _to_money(match, locale)
        if money is not None:
            found.append((money, match.group(0)))
    return found


_BARE_RE = re.compile(rf"-?{_NUMBER}")


def parse_money(text: str, locale: str | None = None) -> Money | None:
    """One amount from a price label (``129,00 zł``); a bare number gives a Money without currency."""
    if not text:
        return None
    found = find_money(text, locale)
    if found:
        return found[0][0]
    match = _BARE_RE.search(text)
    if match is None:
        return None
    amount = parse_number(match.group(0), locale)
    return Money(amount=amount) if amount is not None else None
