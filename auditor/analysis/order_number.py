"""The order number, in the shapes shops use: ``#1053``, ``100002``, ``#000000123``, ``XKBKNABJK``, ``R123456789``.

A number needs a label in front ("Order", "Zamówienie nr", "Заказ №",
"订单号", or a document's own: "Invoice INV/2026/00080") or a ``#``; a
token without digits is only accepted after an explicit label ("Order
number:"), so "ORDER CONFIRMED" never reads as one. A new store's first
orders are 1, 7 or 42: digits of any length count when a sign says they
are a number ("Order #7", "Order ID: 7", "Zamówienie nr 42").
The subject is searched first: it is short and shops put the number there.
With no label anywhere, a reference the subject gives and the body repeats
("Credit Note (Ref RINV/2026/00080)" … "your credit note RINV/2026/00080")
is the document the email is about: identifiers, not words, so in any language.
"""

import re

from auditor.analysis.document import Line
from auditor.analysis.lexicon import lexicons, per_lexicons, phrase_pattern
from auditor.models.evidence import Fact

_TOKEN = r"(?P<num>[A-Za-z0-9][A-Za-z0-9\-_/.]{0,30}[A-Za-z0-9]|\d)"
# Words and signs between a label and the number: "Order no.", "Заказ №", "замовлення N", "订单号：", "(Ref S00040)".
_JOIN_WORDS = r"number|no\.?|nr\.?|num\.?|№|n°|#|:|：|-|\(|(?-i:N)(?=\s|\d)|id|ref\.?|号|號|编号|編號"
_JOIN = rf"(?P<join>[\s\u00a0]*(?:(?:{_JOIN_WORDS})[\s\u00a0]*){{0,3}})"
# Signs that make a short number an order number: "Order #7", "Order ID: 7", "Zamówienie nr 42", "Заказ № 7".
_SHORT_OK = re.compile(r"#|№|:|：|n°|\bno\b|\bnr\b|\bid\b|\bnum|(?-i:N)|号|號", re.I)


@per_lexicons
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    lex = lexicons()
    explicit = phrase_pattern(lex.order_explicit)
    labels = phrase_pattern(lex.order_labels + lex.document_labels)
    explicit_re = re.compile(rf"(?:{explicit}){_JOIN}#?[\s\u00a0]*{_TOKEN}", re.I)
    label_re = re.compile(rf"(?:{labels}){_JOIN}#?[\s\u00a0]*{_TOKEN}", re.I)
    # "#Q7CZ7U5GNXG9MKPN", "доставку#R482930573": a token after '#' that has a digit (not an HTML entity)
    # a '#' glued to a Latin word or inside a URL is an anchor ("page#tab2"), not a number
    hash_re = re.compile(r"(?<![&#A-Za-z0-9_/.=?%-])#[\s\u00a0]?(?P<num>[A-Za-z0-9][A-Za-z0-9\-/]{0,30})(?![\w])")
    return explicit_re, label_re, hash_re


# An identifier: letters, digits and separators with at least three digits, no more letters than digits
# ("S00460", "RINV/2026/00080", "R482931579"); not a word, a year, a price or a date.
MAX_REFERENCES = 5
_IDENT = re.compile(r"(?<![\w/.#-])[A-Za-z0-9][A-Za-z0-9/_-]{2,30}[A-Za-z0-9](?![\w/-])")


def _repeated_reference(subject: str, docs: list[tuple[list[Line], str]]) -> Fact | None:
    """An identifier of the subject that a body repeats: with no label, what the email is about."""
    candidates = []
    for match in _IDENT.finditer(subject):
        token = match.group(0)
        digits = sum(ch.isdigit() for ch in token)
        letters = sum(ch.isalpha() for ch in token)
        if digits >= 3 and letters <= digits and (letters or digits >= 6) and _acceptable(token, False, "#"):
            candidates.append(match)
        if len(candidates) == MAX_REFERENCES:
            break  # a subject is short; a hostile one does not make each body be read many times
    if not candidates:
        return None
    bodies = ["\n".join(line.text for line in lines) for lines, _source in docs]
    for match in candidates:
        again = re.compile(rf"(?<![\w/-]){re.escape(match.group(0))}(?![\w/-])")
        if any(again.search(body) for body in bodies):
            start = max(0, match.start() - 20)
            return Fact(value=match.group(0), snippet=subject[start : match.end()], source="subject")
    return None


def _clean(token: str) -> str:
    return token.rstrip(".-/_")


def _acceptable(token: str, explicit: bool, join: str) -> bool:
    """Digits of any length beside a label ('Order ID: 7'); letters alone only after an explicit one."""
    token = _clean(token)
    if not token or token.lower() in lexicons().not_numbers:
        return False
    if (
        re.fullmatch(r"\d{1,2}[./]\d{1,2}[./]\d{2,4}", token)
        or re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", token)
        or re.fullmatch(r"\d+[.,]\d{2}", token)
    ):
        return False  # a date (20.11.2026, 2026-11-20), an amount
    if token.isdigit() and len(token) < 3:
        return explicit or _SHORT_OK.search(join) is not None
    if any(ch.isdigit() for ch in token):
        return len(token) >= 2 or explicit
    return explicit and token.isupper() and len(token) >= 5


def _search(text: str, source: str) -> Fact | None:
    explicit_re, label_re, hash_re = _patterns()
    for pattern, explicit in ((explicit_re, True), (label_re, False), (hash_re, False)):
        for match in pattern.finditer(text):
            token = match.group("num")
            join = match.group("join") if "join" in pattern.groupindex else "#"
            if pattern is hash_re and (len(token) < 3 or not any(ch.isdigit() for ch in token)):
                continue  # a '#' alone, with no label, is only an order number in a number's usual shape
            if _acceptable(token, explicit, join):
                start = max(0, match.start() - 20)
                snippet = text[start : match.end()].strip()
                return Fact(value=_clean(token), snippet=snippet, source=source)
    return None


def find_order_number(subject: str, docs: list[tuple[list[Line], str]]) -> Fact | None:
    """From the subject, else the first body line that has one."""
    if subject:
        found = _search(subject, "subject")
        if found:
            return found
    for lines, source in docs:
        for line in lines:
            found = _search(line.text, source)
            if found:
                return found
    return _repeated_reference(subject, docs) if subject else None
