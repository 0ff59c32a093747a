"""The greeting near the top of a message: whom it names, or that it names nobody.

``Hi Anna,`` gives "Anna"; ``Dear customer,``, ``Hello,`` and
``Szanowny Kliencie,`` give a generic greeting (value None, snippet kept),
which is exactly what the personalization checks need to tell apart.
"""

import re
from functools import cache

from auditor.analysis.document import Line
from auditor.analysis.lexicon import lexicons, phrase_pattern
from auditor.models.evidence import Fact

SEARCH_LINES = 12  # greetings sit at the top; a "Hi" further down is usually a quote or a banner
_NAME_WORD = r"[^\W\d_][\w'’.\-]*"
_END = r"[,!:;.،，！：。]"


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str] | None]:
    lex = lexicons()
    openers = phrase_pattern(lex.greeting_openers)
    titles = phrase_pattern(lex.greeting_titles)
    opener_re = re.compile(
        rf"^\W*(?P<opener>{openers})(?:[\s\u00a0]*(?P<title>(?:{titles})[\s\u00a0]*)?"
        rf"(?P<rest>[^,!:;.，！：。\n]{{0,60}}?))?\s*(?:{_END}|$)",
        re.I,
    )
    closer_re = None
    if lex.greeting_closers:
        closers = phrase_pattern(lex.greeting_closers)
        closer_re = re.compile(
            rf"^\W*(?P<rest>[^,!:;.，！：。\s]{{1,20}}?)\s*[,，]?\s*(?P<opener>{closers})\s*(?:{_END}|$)"
        )
    return opener_re, closer_re


def _is_generic(rest: str) -> bool:
    generic = lexicons().greeting_generic
    words = rest.lower().strip(" \u00a0")
    if words in generic:
        return True
    # "valued customer", "dear Szanowny Kliencie": generic if every word is generic-ish
    return all(w in generic for w in words.split()) if words else True


def _name(rest: str) -> str | None:
    """A name is one to four words, the first capitalized (or written in a script without case)."""
    rest = rest.strip(" \u00a0")
    words = rest.split()
    if not 1 <= len(words) <= 4:
        return None
    first = words[0]
    if not re.fullmatch(_NAME_WORD, first):
        return None
    if first[0].isalpha() and first[0].lower() != first[0].upper() and not first[0].isupper():
        return None
    return rest


def find_greeting(lines: list[Line], source: str) -> Fact | None:
    """The first greeting line in the top of the body."""
    opener_re, closer_re = _patterns()
    for line in lines[:SEARCH_LINES]:
        text = line.text.strip()
        if not text:
            continue
        match = opener_re.match(text)
        if match is None and closer_re is not None:
            match = closer_re.match(text)
        if match is None:
            continue
        rest = (match.group("rest") or "").strip()
        snippet = text[: match.end()].strip()
        if not rest or _is_generic(rest):
            return Fact(value=None, snippet=snippet, source=source)
        name = _name(rest)
        if name is None:
            continue  # "Thank you for your order" is not a greeting with a name
        return Fact(value=name, snippet=snippet, source=source)
    return None
