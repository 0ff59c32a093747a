"""Which language a block of text is in: by script first, then by frequent words from the lexicons.

Shops with partial translations send "German" emails with English headings,
so this runs per line and the message language is the one most text is in.
"""

import re
from collections import Counter

from auditor.analysis.lexicon import Lexicon, Lexicons, lexicons
from auditor.models.money_text import CURRENCY_SYMBOLS

_WORD = re.compile(r"\b[^\W\d_]+\b", re.U)  # whole words: the W of "65W" is not Polish "w"
_HAN = re.compile(r"[\u4e00-\u9fff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_DIGIT = re.compile(r"\d")
# Currency words and signs ("zł", "руб.", "грн"): their letters say where the money is, not the text's language.
_CURRENCY = re.compile(
    r"(?<![^\W\d_])(?:"
    + "|".join(re.escape(s) for s in sorted(CURRENCY_SYMBOLS, key=len, reverse=True))
    + r")(?![^\W\d_])",
    re.I,
)


def _vocabulary(lx: Lexicon) -> set[str]:
    phrases: list[str] = [*lx.greetings.openers, *lx.greetings.generic, *lx.recommendations]
    for words in lx.kinds.values():
        phrases += words.subject + words.body
    for words in lx.totals.values():
        phrases += words
    for words in lx.links.values():
        phrases += words
    return {w.lower() for p in phrases for w in _WORD.findall(p.replace("{n}", " "))}


class _Detector:
    def __init__(self, lex: Lexicons) -> None:
        self.markers: dict[str, set[str]] = {}
        self.letters: dict[str, set[str]] = {}
        self.scripts: dict[str, list[str]] = {}
        vocab: dict[str, set[str]] = {}
        for code, lx in lex.by_language.items():
            self.markers[code] = {m.lower() for m in lx.markers}
            self.letters[code] = set(lx.letters)
            self.scripts[code] = lx.scripts
            vocab[code] = _vocabulary(lx)
        # Words of a language's own phrases count too, unless another language uses them as well.
        for code, words in vocab.items():
            others = set().union(*(w for c, w in vocab.items() if c != code))
            self.markers[code] |= {w for w in words - others if len(w) >= 3}
        # word -> the languages it marks, so a block's words are looked up once, not once per language
        self.marks: dict[str, list[str]] = {}
        for code, markers in self.markers.items():
            for word in markers:
                self.marks.setdefault(word, []).append(code)

    def detect(self, text: str) -> str | None:
        """The best language for a block, or None when nothing in it decides.

        Prices are left out first: "Total | 218,90 zł" is English with a Polish currency, not Polish.
        """
        if _DIGIT.search(text):
            text = _CURRENCY.sub(" ", text)
        han = len(_HAN.findall(text))
        cyr = len(_CYRILLIC.findall(text))
        words = [w.lower() for w in _WORD.findall(text)]
        latin_words = sum(1 for w in words if w.isascii())
        if han and han * 2 >= latin_words:
            script = "han"
        elif cyr and cyr >= 3 * latin_words:
            script = "cyrillic"
        else:
            script = "latin"
        scores: Counter[str] = Counter()
        chars = set(text.lower())
        hits: Counter[str] = Counter()
        for w in words:
            for code in self.marks.get(w, ()):
                hits[code] += 1
        for code in self.markers:
            if script not in self.scripts[code]:
                continue
            scores[code] += 0.0
            scores[code] += hits[code]
            scores[code] += 2 * len(chars & self.letters[code])
        if not scores:
            return None
        best, score = scores.most_common(1)[0]
        if score <= 0:
            only = [c for c in scores if script != "latin"]
            return only[0] if len(only) == 1 else None
        return best


_detectors: dict[int, _Detector] = {}


def _detector() -> _Detector:
    lex = lexicons()
    key = id(lex)
    if key not in _detectors:
        _detectors[key] = _Detector(lex)
    return _detectors[key]


def detect_language(text: str) -> str | None:
    """The language of one block of text (an ISO 639-1 code), or None when undecided."""
    return _detector().detect(text)


def message_language(blocks: list[str]) -> tuple[str | None, dict[str, int]]:
    """The language most characters are in, and characters per language (for mixed messages)."""
    sizes: Counter[str] = Counter()
    for block in blocks:
        lang = detect_language(block)
        if lang:
            sizes[lang] += len(block)
    if not sizes:
        return None, {}
    return sizes.most_common(1)[0][0], dict(sizes)
