"""The greeting near the top of a message: whom it names, or that it names nobody.

``Hi Anna,`` and ``Dzień dobry, Anno!`` give a name; ``Dear customer,``,
``Hello,`` and ``Szanowny Kliencie,`` give a generic greeting (value None,
snippet kept), which is exactly what the personalization checks need to tell
apart. Names are reported as written (Polish and Ukrainian greet in the
vocative: "Anno", "Олено"), the rubric compares them.

Two shapes need no opener word: a line that is only a name and a comma
("Jane Cooper," as Magento 1 greets), and a store that greets by the login
("Hi marcus.8,", WooCommerce's account mail): a lower-case token is a name
after an opener when it looks like a login (it has a digit, a dot or an
underscore), never a word ("Hello again,").
"""

import re

from auditor.analysis.document import Line
from auditor.analysis.lexicon import lexicons, per_lexicons, phrase_pattern
from auditor.models.evidence import Fact

SEARCH_LINES = 12  # greetings sit at the top; a "Hi" further down is usually a quote or a banner
_END = r"[,!:;،，！：。\n]|\.(?!\w)"  # "marcus.8" is one login, "Anna." ends a greeting
_NAME_PARTICLES = {"van", "von", "de", "der", "da", "di", "la", "le", "du", "del", "y", "bin", "al"}


@per_lexicons
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str] | None, re.Pattern[str]]:
    lex = lexicons()
    openers = phrase_pattern(lex.greeting_openers)
    opener_re = re.compile(rf"^[^\w]*(?P<opener>{openers})(?P<after>.*)$", re.I | re.S)
    closer_re = None
    if lex.greeting_closers:
        closers = phrase_pattern(lex.greeting_closers)
        closer_re = re.compile(rf"^[^\w]*(?P<rest>[^,!:;.，！：。\s]{{1,20}}?)\s*[,，]?\s*(?P<opener>{closers})", re.I)
    titles = phrase_pattern(lex.greeting_titles)
    title_re = re.compile(rf"^(?:{titles})[\s\u00a0]*", re.I)
    return opener_re, closer_re, title_re


def _is_generic(rest: str) -> bool:
    generic = lexicons().greeting_generic
    words = rest.lower().strip(" \u00a0")
    if not words or words in generic:
        return True
    return all(w in generic for w in words.split())


def _has_case(ch: str) -> bool:
    return ch.lower() != ch.upper()


_LOGIN = re.compile(r"[^\W\d_][\w.\-]*[\d._][\w.\-]*[^\W_]|[^\W\d_][\w.\-]*\d")
NAME_LINE_MAX_INDEX = 6  # a name alone on a line counts only at the very top, where a greeting stands


def _name(rest: str, *, after_opener: bool = False) -> str | None:
    """One to four words, each capitalized (or in a script without case, like Chinese), or a login after an opener."""
    if after_opener and " " not in rest and _LOGIN.fullmatch(rest):
        return rest
    words = rest.split()
    if not 1 <= len(words) <= 4:
        return None
    for i, word in enumerate(words):
        if not re.fullmatch(r"[^\W\d_][\w'’.\-]*", word):
            return None
        if _has_case(word[0]) and not word[0].isupper() and not (i and word in _NAME_PARTICLES):
            return None
    if not _has_case(words[0][0]) and len(rest) > 8:
        return None  # a long run of caseless script is a sentence, not a name
    return rest


def _read(after: str) -> tuple[str | None, str, bool]:
    """(name or None, consumed text, is a greeting) from what follows the opener."""
    _, _, title_re = _patterns()
    stripped = after.lstrip(" \u00a0")
    comma = stripped[:1] in (",", "，", "、")
    body = stripped[1:].lstrip(" \u00a0") if comma else stripped
    title = title_re.match(body)
    body_wo_title = body[title.end() :] if title else body
    end = re.search(_END, body_wo_title)
    rest = _drop_closer((body_wo_title[: end.start()] if end else body_wo_title).strip())
    consumed_len = len(after) - len(body_wo_title) + (end.end() if end else len(body_wo_title))
    consumed = after[:consumed_len].rstrip("\n")
    if rest and _is_generic(rest):
        return None, consumed, True
    name = _name(rest, after_opener=True) if rest and len(rest) <= 60 else None
    if name:
        return name, consumed, True
    if comma or not stripped or stripped[:1] in "!:;.！：。":
        # "Hello, we're glad...": a generic greeting followed by a sentence
        cut = len(after) - len(stripped) + 1 if stripped else 0
        return None, after[:cut], True
    return None, "", False


def _drop_closer(rest: str) -> str:
    """'王伟您好' -> '王伟': a closer glued to the name in a script without spaces."""
    for closer in sorted(lexicons().greeting_closers, key=len, reverse=True):
        if rest.endswith(closer) and len(rest) > len(closer):
            return rest[: -len(closer)].rstrip(" \u00a0,，")
    return rest


@per_lexicons
def _known_words() -> frozenset[str]:
    """Words a lexicon uses: a line of them ('Thank you,') is not a name."""
    lex = lexicons()
    words: set[str] = set(lex.greeting_generic)
    for lx in lex.by_language.values():
        words.update(w.lower() for w in lx.markers)
        for phrase in lx.greetings.openers + lx.greetings.titles + lx.greetings.closers:
            words.update(phrase.lower().split())
    return frozenset(words)


def _name_line(text: str) -> str | None:
    """'Jane Cooper,' -> 'Jane Cooper': a line that is a name and a comma, nothing else."""
    match = re.fullmatch(r"(?P<name>[^,，:;!?.。！？]{1,60}?)\s*[,，]", text)
    if not match or _patterns()[0].match(text):  # an opener's line is read as a greeting, not a name
        return None
    name = match.group("name").strip()
    if any(w.lower().strip(".") in _known_words() for w in name.split()):
        return None
    return _name(name) if " " in name or _has_case(name[0]) else None


def find_greeting(lines: list[Line], source: str) -> Fact | None:
    """The first greeting line in the top of the body."""
    opener_re, closer_re, _ = _patterns()
    for index, line in enumerate(lines[:SEARCH_LINES]):
        text = line.text.strip()
        if not text:
            continue
        if index < NAME_LINE_MAX_INDEX and index + 1 < len(lines):
            alone = _name_line(text)
            if alone:
                return Fact(value=alone, snippet=text, source=source)
        match = opener_re.match(text)
        if match:
            name, consumed, ok = _read(match.group("after"))
            if ok:
                snippet = (text[: match.start("after")] + consumed).strip()
                return Fact(value=name, snippet=snippet, source=source)
        if closer_re is not None:
            match = closer_re.match(text)
            if match:
                rest = match.group("rest")
                snippet = text[: match.end()].strip()
                generic = _is_generic(rest)
                return Fact(value=None if generic else rest, snippet=snippet, source=source)
    return None
