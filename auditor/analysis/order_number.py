"""The order number, in the shapes shops use: ``#1053``, ``100002``, ``#000000123``, ``XKBKNABJK``, ``R123456789``.

A number needs a label in front ("Order", "Zamówienie nr", "Заказ №",
"订单号") or a ``#``; a token without digits is only accepted after an
explicit label ("Order number:"), so "ORDER CONFIRMED" never reads as one.
The subject is searched first: it is short and shops put the number there.
"""

import re

from auditor.analysis.document import Line
from auditor.analysis.lexicon import lexicons, per_lexicons, phrase_pattern
from auditor.models.evidence import Fact

_TOKEN = r"(?P<num>[A-Za-z0-9][A-Za-z0-9\-_/.]{1,30}[A-Za-z0-9]|\d{3,})"
# Words and signs between a label and the number: "Order no.", "Заказ №", "замовлення N", "订单号：".
_JOIN_WORDS = r"number|no\.?|nr\.?|num\.?|№|n°|#|:|：|-|(?-i:N)(?=\s|\d)|id|ref\.?|号|號|编号|編號"
_JOIN = rf"[\s\u00a0]*(?:(?:{_JOIN_WORDS})[\s\u00a0]*){{0,3}}"


@per_lexicons
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    lex = lexicons()
    explicit = phrase_pattern(lex.order_explicit)
    labels = phrase_pattern(lex.order_labels)
    explicit_re = re.compile(rf"(?:{explicit}){_JOIN}#?[\s\u00a0]*{_TOKEN}", re.I)
    label_re = re.compile(rf"(?:{labels}){_JOIN}#?[\s\u00a0]*{_TOKEN}", re.I)
    hash_re = re.compile(r"(?<![\w&])#[\s\u00a0]?(?P<num>[A-Za-z]{0,4}-?\d[\d\-]{2,20})\b")
    return explicit_re, label_re, hash_re


def _clean(token: str) -> str:
    return token.rstrip(".-/_")


def _acceptable(token: str, explicit: bool) -> bool:
    token = _clean(token)
    if len(token) < 3 or token.lower() in lexicons().not_numbers:
        return False
    if re.fullmatch(r"\d{1,2}[./]\d{1,2}[./]\d{2,4}", token):
        return False  # a date
    if any(ch.isdigit() for ch in token):
        return True
    return explicit and token.isupper() and len(token) >= 5


def _search(text: str, source: str) -> Fact | None:
    explicit_re, label_re, hash_re = _patterns()
    for pattern, explicit in ((explicit_re, True), (label_re, False), (hash_re, False)):
        for match in pattern.finditer(text):
            token = match.group("num")
            if _acceptable(token, explicit):
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
    return None
