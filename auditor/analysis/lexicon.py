"""Per-language words and patterns, loaded from ``lexicons/<lang>.yaml``.

Adding a language is adding a file (and its corpus messages): no code change.
Extractors do not care which language a phrase belongs to (shops mix
languages within one message), so most lookups go through ``Lexicons``, which
merges every file into one compiled pattern per purpose.

Provenance: a phrase added because of one platform's emails says so,
``{phrase: "order reference", from: odoo}`` (``from`` may be a list), so an
honest leave-one-platform-out score can build the lexicons without that
platform's contributions: ``with excluding("odoo"): analyze(raw)``. A phrase
is dropped only when every platform it names is excluded.
"""

import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache, wraps
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, Field, ValidationError

from auditor.models.evidence import MessageKind
from auditor.yamlfile import ConfigError, ConfigProblem, problems_from, read_yaml

LEXICON_DIR = Path(__file__).parent / "lexicons"
_FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# every kind a lexicon may describe: all but ``other``, which is what is left when none matches
KINDS = tuple(kind.value for kind in MessageKind if kind is not MessageKind.other)
LINK_ROLES = ("order_status", "tracking", "unsubscribe", "support", "review", "returns")
TOTAL_ROLES = ("subtotal", "shipping", "tax", "discount", "total")


class Greetings(BaseModel):
    openers: list[str] = Field(default_factory=list, description="words before a name: 'Hi', 'Dzień dobry'")
    closers: list[str] = Field(default_factory=list, description="words after a name: '张伟，您好'")
    generic: list[str] = Field(default_factory=list, description="addressees that are not a name")
    titles: list[str] = Field(default_factory=list, description="honorifics before a name: 'Mr.', 'Pani'")


class KindWords(BaseModel):
    subject: list[str] = Field(default_factory=list)
    body: list[str] = Field(default_factory=list)
    weak: list[str] = Field(
        default_factory=list, description="subject phrases other kinds' mail shares too ('your order #'): weight 1"
    )
    events: list[str] = Field(
        default_factory=list,
        description="a topic and what happened to it within one sentence, '…' between them: 'order … confirmed'",
    )
    stems: list[str] = Field(
        default_factory=list,
        description="word starts naming the kind in any grammatical form ('zwróc': zwrócone, zwrócony);"
        " a leading '*' also matches inside a compound ('*korrektur': Rechnungskorrektur)",
    )


class OrderWords(BaseModel):
    labels: list[str] = Field(default_factory=list)
    documents: list[str] = Field(
        default_factory=list, description="names of a document whose number stands for the order's: 'invoice'"
    )
    explicit: list[str] = Field(default_factory=list)
    not_numbers: list[str] = Field(default_factory=list)


class ItemHeaders(BaseModel):
    name: list[str] = Field(default_factory=list)
    quantity: list[str] = Field(default_factory=list)
    unit_price: list[str] = Field(default_factory=list)
    line_total: list[str] = Field(default_factory=list)
    reference: list[str] = Field(default_factory=list, description="SKU/reference columns: not the product's name")


class ItemWords(BaseModel):
    quantity: list[str] = Field(default_factory=list, description="labels before a quantity: 'Qty:'")
    units: list[str] = Field(default_factory=list, description="words after a quantity: 'pcs', 'szt.'")
    headers: ItemHeaders = Field(default_factory=ItemHeaders)


class DeliveryWords(BaseModel):
    labels: list[str] = Field(default_factory=list)
    relative: list[str] = Field(default_factory=list, description="regexes with {n} and {unit} placeholders")
    numbers: dict[str, int] = Field(default_factory=dict)
    units: dict[str, str] = Field(default_factory=dict)
    months: dict[str, int] = Field(default_factory=dict)


class Lexicon(BaseModel):
    """One language's file."""

    language: str
    name: str
    markers: list[str] = Field(default_factory=list, description="frequent words that mark the language")
    letters: str = Field(default="", description="characters that only (or mostly) this language uses")
    scripts: list[str] = Field(default_factory=lambda: ["latin"])
    greetings: Greetings = Field(default_factory=Greetings)
    kinds: dict[str, KindWords] = Field(default_factory=dict)
    order: OrderWords = Field(default_factory=OrderWords)
    totals: dict[str, list[str]] = Field(default_factory=dict)
    items: ItemWords = Field(default_factory=ItemWords)
    delivery: DeliveryWords = Field(default_factory=DeliveryWords)
    links: dict[str, list[str]] = Field(default_factory=dict)
    recommendations: list[str] = Field(default_factory=list)
    amount_phrases: list[str] = Field(
        default_factory=list, description="words right before the amount paid in a sentence: 'payment of'"
    )
    address_labels: list[str] = Field(
        default_factory=list, description="headings before the address an order ships to: 'Shipping address'"
    )
    other_address_labels: list[str] = Field(
        default_factory=list, description="headings of addresses that are not the delivery one: 'Billing address'"
    )
    returns: list[str] = Field(
        default_factory=list, description="words that explain returns or withdrawal: 'return policy', 'zwrot'"
    )


_PLATFORM = re.compile(r"[a-z][a-z0-9_]*")


def _sources(entry: dict[str, Any]) -> list[str] | str:
    """The platforms an entry names, or why the entry is malformed."""
    if set(entry) != {"phrase", "from"} or not isinstance(entry["phrase"], str):
        return "a provenance entry is {phrase: TEXT, from: PLATFORM or [PLATFORMS]}"
    names = entry["from"] if isinstance(entry["from"], list) else [entry["from"]]
    if not names or not all(isinstance(n, str) and _PLATFORM.fullmatch(n) for n in names):
        return "from: one platform name (lower case, like woocommerce) or a list of them"
    return names


def strip_provenance(
    data: Any, exclude: frozenset[str] = frozenset(), found: Counter[str] | None = None, where: str = ""
) -> tuple[Any, list[tuple[str, str]]]:
    """(data with ``{phrase, from}`` entries turned into plain phrases, problems as (field, message)).

    Entries whose every platform is in ``exclude`` are left out; ``found``
    counts the entries each platform contributed.
    """
    problems: list[tuple[str, str]] = []
    if isinstance(data, dict):
        out = {}
        for key, value in data.items():
            out[key], sub = strip_provenance(value, exclude, found, f"{where}.{key}" if where else str(key))
            problems += sub
        return out, problems
    if isinstance(data, list):
        items = []
        for i, value in enumerate(data):
            if isinstance(value, dict) and "phrase" in value:
                names = _sources(value)
                if isinstance(names, str):
                    problems.append((f"{where}.{i}", names))
                    continue
                if found is not None:
                    found.update(names)
                if set(names) <= exclude:
                    continue
                items.append(value["phrase"])
            else:
                item, sub = strip_provenance(value, exclude, found, f"{where}.{i}")
                items.append(item)
                problems += sub
        return items, problems
    return data, problems


def load_lexicon(path: Path, exclude: frozenset[str] = frozenset(), found: Counter[str] | None = None) -> Lexicon:
    """Read one lexicon file, without the phrases only ``exclude``d platforms contributed.

    Errors name the file, line and field. The fast C loader reads good files; a
    file that fails is re-read with its node tree for line-numbered errors.
    """
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_FastLoader)
        data, bad = strip_provenance(raw, exclude, found)
        if bad:
            raise ValueError(bad)
        lexicon = Lexicon.model_validate(data)
    except (yaml.YAMLError, ValidationError, OSError, ValueError):
        lexicon = _slow_load(path)
    unknown = set(lexicon.kinds) - set(KINDS)
    unknown_links = set(lexicon.links) - set(LINK_ROLES)
    unknown_totals = set(lexicon.totals) - set(TOTAL_ROLES)
    problems = [
        ConfigProblem(
            path=str(path), line=None, field=f"{section}.{key}", message=f"unknown; expected one of {allowed}"
        )
        for section, keys, allowed in (
            ("kinds", unknown, KINDS),
            ("links", unknown_links, LINK_ROLES),
            ("totals", unknown_totals, TOTAL_ROLES),
        )
        for key in sorted(keys)
    ]
    if problems:
        raise ConfigError(problems)
    return lexicon


def _slow_load(path: Path) -> Lexicon:
    """Validate with the node tree at hand, so every problem has its line (raises ConfigError)."""
    raw, node = read_yaml(path)
    data, bad = strip_provenance(raw if raw is not None else {})
    if bad:
        raise ConfigError([ConfigProblem(path=str(path), line=None, field=f, message=m) for f, m in bad])
    try:
        return Lexicon.model_validate(data)
    except ValidationError as exc:  # entries were replaced in place, so list positions still match the file
        raise ConfigError(problems_from(exc, path, node)) from None


_LEFT, _RIGHT = r"(?<![\w])", r"(?![\w])"


def phrase_pattern(phrases: list[str], *, prefix: bool = False) -> str:
    """An alternation of phrases on word boundaries (no boundary next to CJK characters).

    ``{n}`` in a phrase stands for an order-number-like token ("order {n} received").
    Longest phrases come first; runs of phrases needing the same boundaries
    share one group, so the engine tests a boundary once per run, not per phrase.
    """
    # Longest first across all phrases; consecutive phrases needing the same boundaries share one group.
    runs: list[tuple[tuple[bool, bool], list[str]]] = []
    for phrase in sorted({p.lower() for p in phrases if p}, key=len, reverse=True):
        escaped = re.escape(phrase).replace(r"\ ", r"\s+").replace(r"\{n\}", r"[#№]?\s?[\w\-/]+")
        first, last = phrase.replace("{n}", "0")[0], phrase.replace("{n}", "0")[-1]
        key = (first.isalnum() and not _cjk(first), last.isalnum() and not _cjk(last) and not prefix)
        if runs and runs[-1][0] == key:
            runs[-1][1].append(escaped)
        else:
            runs.append((key, [escaped]))
    parts = []
    for (left, right), escaped in runs:
        body = "|".join(escaped)
        parts.append((_LEFT if left else "") + f"(?:{body})" + (_RIGHT if right else ""))
    return "|".join(parts) if parts else r"(?!x)x"


def stem_pattern(stems: list[str]) -> re.Pattern[str] | None:
    """Word starts (no boundary after them, none before a '*'-marked compound part), or None if there are none."""
    plain = [s for s in stems if s and not s.startswith("*")]
    inner = sorted({re.escape(s[1:].lower()).replace(r"\ ", r"\s+") for s in stems if s.startswith("*") and s[1:]})
    parts = [phrase_pattern(plain, prefix=True)] if plain else []
    if inner:
        parts.append("(?:" + "|".join(sorted(inner, key=len, reverse=True)) + ")")
    return re.compile("|".join(parts), re.I) if parts else None


_GAP = r"(?:[^.!?。！？\n]|[.!?](?=\S)){0,120}?"  # within one sentence: "$ 155.98" does not end it


_WORD = re.compile(r"[^\W\d_]\w*")  # words that start with a letter: runs of digits are skipped in C
_HAS_CJK = re.compile(r"[\u3000-\u9fff\uf900-\uffef]")


class PhraseIndex:
    """Many phrases found in one pass over a text, as ``re.finditer`` over their alternation would.

    A regular expression of hundreds of alternatives is tried at every
    character of a 6,000-character body (about 5 ms a message); here each word
    of the text looks up the phrases that can start with its first two letters
    and tries only those, anchored at the word. Phrases that start with a
    Chinese character (no word boundaries) or a sign keep one pattern each
    group, run only when the text can hold them.
    """

    def __init__(self, phrases: list[str], flags: re.RegexFlag, *, prefix: bool = False) -> None:
        by_key: dict[str, list[str]] = {}
        cjk: list[str] = []
        signs: list[str] = []
        for phrase in {" ".join(p.lower().split()) for p in phrases if p.strip()}:
            head = _WORD.match(phrase)
            if _cjk(phrase[0]):
                cjk.append(phrase)
            elif head is None or head.start() != 0:
                signs.append(phrase)
            else:
                by_key.setdefault(phrase[: min(2, head.end())], []).append(phrase)
        self.groups = {key: re.compile(phrase_pattern(group, prefix=prefix), flags) for key, group in by_key.items()}
        self.one_letter = any(len(key) == 1 for key in by_key)
        self.cjk = re.compile(phrase_pattern(cjk, prefix=prefix), flags) if cjk else None
        self.signs = re.compile(phrase_pattern(signs, prefix=prefix), flags) if signs else None

    def search(self, text: str) -> re.Match[str] | None:
        """The first match, as ``re.search`` over the phrases' alternation would find it."""
        first = None
        groups = self.groups
        for word in _WORD.finditer(text):
            token = word.group(0).lower()
            pattern = groups.get(token[:2]) or (groups.get(token[:1]) if self.one_letter else None)
            if pattern is not None:
                first = pattern.match(text, word.start())
                if first is not None:
                    break
        for extra in (self.cjk if self.cjk is not None and _HAS_CJK.search(text) else None, self.signs):
            found = extra.search(text, 0, first.start() if first is not None else len(text)) if extra else None
            if found is not None and (first is None or found.start() < first.start()):
                first = found
        return first

    def finditer(self, text: str) -> list[re.Match[str]]:
        """Matches left to right, not overlapping (the longest phrase at a place wins)."""
        found: list[re.Match[str]] = []
        position = 0
        groups = self.groups
        for word in _WORD.finditer(text):
            start = word.start()
            if start < position:
                continue
            token = word.group(0).lower()
            pattern = groups.get(token[:2]) or (groups.get(token[:1]) if self.one_letter else None)
            if pattern is not None:
                match = pattern.match(text, start)
                if match is not None:
                    found.append(match)
                    position = match.end()
        extra = []
        if self.cjk is not None and _HAS_CJK.search(text):
            extra += self.cjk.finditer(text)
        if self.signs is not None:
            extra += self.signs.finditer(text)
        if not extra:
            return found
        merged: list[re.Match[str]] = []
        end = 0
        for match in sorted(found + extra, key=lambda m: (m.start(), -m.end())):
            if match.start() >= end:
                merged.append(match)
                end = match.end()
        return merged


class EventMatcher:
    """Sentences naming a topic and what happened to it: ``order … confirmed``, ``…`` a gap inside one sentence.

    Each piece matches a word start, so one stem serves every grammatical form
    ("potwierdz" is potwierdzony, potwierdzona, potwierdzone). The first pieces
    of every event share one pattern (one pass over the text); only where a
    topic stands is the rest of its sentence tried, so the cost stays that of
    one phrase search. The leftmost topic of a sentence wins ("A payment ...
    for your order ... has been confirmed" is about the payment).
    """

    WINDOW = 160

    def __init__(self, events: dict[str, list[str]], flags: re.RegexFlag) -> None:
        self.rests: dict[str, list[tuple[str, re.Pattern[str] | None]]] = {}
        for kind, phrases in events.items():
            for phrase in phrases:
                pieces = [p.strip() for p in phrase.split("…") if p.strip()]
                if not pieces:
                    continue
                first = " ".join(pieces[0].lower().split())
                rest = None
                if len(pieces) > 1:
                    rest = re.compile(
                        "".join(_GAP + phrase_pattern([piece], prefix=True) for piece in pieces[1:]), flags
                    )
                self.rests.setdefault(first, []).append((kind, rest))
        self.first = PhraseIndex(list(self.rests), flags, prefix=True)

    def scan(self, text: str) -> list[tuple[str, str]]:
        """(kind, the words that said it) for each event in ``text``, left to right, not overlapping."""
        found: list[tuple[str, str]] = []
        position = 0
        for match in self.first.finditer(text):
            if match.start() < position:
                continue
            end = None
            for kind, rest in self.rests.get(" ".join(match.group(0).lower().split()), ()):
                if rest is None:
                    end = match.end()
                else:
                    tail = rest.match(text[match.end() : match.end() + self.WINDOW])
                    end = match.end() + tail.end() if tail else None
                if end is not None:
                    found.append((kind, " ".join(text[match.start() : end].split())))
                    break
            position = end if end is not None else match.end()
        return found


def _cjk(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uf900" <= ch <= "\uffef"


class Lexicons:
    """Every language file, merged and compiled once."""

    def __init__(self, lexicons: list[Lexicon], excluded: frozenset[str] = frozenset()) -> None:
        self.excluded = excluded
        self.contributions: Counter[str] = Counter()  # platform -> phrases it contributed (before exclusion)
        self.by_language = {lex.language: lex for lex in lexicons}
        self.languages = list(self.by_language)
        flags = re.I

        def union(getter) -> list[str]:  # type: ignore[no-untyped-def]
            out: list[str] = []
            for lex in lexicons:
                out.extend(getter(lex))
            return out

        self.kind_subject = {
            k: re.compile(phrase_pattern(union(lambda lx, k=k: lx.kinds.get(k, KindWords()).subject)), flags)
            for k in KINDS
        }
        # Body phrases of every kind in one pattern (one pass over the body), mapped back to their kinds;
        # phrases with a {n} placeholder cannot be looked up by their text and keep a pattern per kind.
        self.kind_body_owners: dict[str, set[str]] = {}
        templated: dict[str, list[str]] = {k: [] for k in KINDS}
        for lex in lexicons:
            for kind, words in lex.kinds.items():
                for phrase in words.body:
                    if "{n}" in phrase:
                        templated[kind].append(phrase)
                    else:
                        self.kind_body_owners.setdefault(" ".join(phrase.lower().split()), set()).add(kind)
        self.kind_body_all = PhraseIndex(list(self.kind_body_owners), flags)
        # every kind's subject phrases, for the body's title lines (the subject itself keeps a pattern per kind)
        self.kind_subject_owners: dict[str, set[str]] = {}
        for lex in lexicons:
            for kind, words in lex.kinds.items():
                for phrase in words.subject:
                    self.kind_subject_owners.setdefault(" ".join(phrase.lower().split()), set()).add(kind)
        self.kind_subject_all = PhraseIndex([p for p in self.kind_subject_owners if "{n}" not in p], flags)
        self.kind_body = {k: re.compile(phrase_pattern(v), flags) for k, v in templated.items() if v}
        # "topic … event" sentences of every kind in one pattern: the leftmost topic of a sentence wins
        # ("A payment ... for your order ... has been confirmed" is about the payment).
        self.kind_events = EventMatcher(
            {k: union(lambda lx, k=k: lx.kinds.get(k, KindWords()).events) for k in KINDS}, flags
        )
        self.kind_stems = {
            k: pattern
            for k in KINDS
            if (pattern := stem_pattern(union(lambda lx, k=k: lx.kinds.get(k, KindWords()).stems)))
        }
        self.kind_weak = {
            k: re.compile(phrase_pattern(union(lambda lx, k=k: lx.kinds.get(k, KindWords()).weak)), flags)
            for k in KINDS
        }
        self.totals = {
            role: re.compile(phrase_pattern(union(lambda lx, r=role: lx.totals.get(r, []))), flags)
            for role in TOTAL_ROLES
        }
        self.links = {
            role: re.compile(phrase_pattern(union(lambda lx, r=role: lx.links.get(r, []))), flags)
            for role in LINK_ROLES
        }
        self.recommendations = re.compile(phrase_pattern(union(lambda lx: lx.recommendations)), flags)
        self.greeting_openers = union(lambda lx: lx.greetings.openers)
        self.greeting_closers = union(lambda lx: lx.greetings.closers)
        self.amount_phrases = re.compile(
            "(?:" + phrase_pattern(union(lambda lx: lx.amount_phrases)) + r")\W{0,3}$", flags
        )
        self.greeting_titles = union(lambda lx: lx.greetings.titles)
        self.address_labels = union(lambda lx: lx.address_labels)
        self.other_address_labels = union(lambda lx: lx.other_address_labels)
        self.returns = PhraseIndex(union(lambda lx: lx.returns), flags, prefix=True)
        self.greeting_generic = {g.lower() for g in union(lambda lx: lx.greetings.generic)}
        self.order_labels = union(lambda lx: lx.order.labels)
        self.order_explicit = union(lambda lx: lx.order.explicit)
        self.document_labels = union(lambda lx: lx.order.documents)
        self.not_numbers = {w.lower() for w in union(lambda lx: lx.order.not_numbers)}
        self.quantity_words = union(lambda lx: lx.items.quantity)
        self.quantity_units = union(lambda lx: lx.items.units)
        self.item_headers = {
            col: {w.lower() for w in union(lambda lx, c=col: getattr(lx.items.headers, c))}
            for col in ("name", "quantity", "unit_price", "line_total", "reference")
        }


@cache
def load_lexicons(directory: Path = LEXICON_DIR, exclude: frozenset[str] = frozenset()) -> Lexicons:
    """All lexicon files in ``directory``, less what only ``exclude``d platforms contributed (cached)."""
    found: Counter[str] = Counter()
    files = sorted(directory.glob("*.yaml"))
    lex = Lexicons([load_lexicon(path, exclude, found) for path in files], exclude)
    lex.contributions = found
    return lex


_ACTIVE: ContextVar[Lexicons | None] = ContextVar("active_lexicons", default=None)


def lexicons(directory: Path = LEXICON_DIR) -> Lexicons:
    """The lexicons extractors use: every file in ``directory``, or those set by ``excluding``."""
    if directory is LEXICON_DIR or directory == LEXICON_DIR:  # "is" first: called per line, Path == is slow
        active = _ACTIVE.get()
        if active is not None:
            return active
    return load_lexicons(directory)


@contextmanager
def excluding(*platforms: str) -> Iterator[Lexicons]:
    """Analyse inside this block as if the named platforms' lexicon entries had never been added."""
    lex = load_lexicons(LEXICON_DIR, frozenset(platforms))
    token = _ACTIVE.set(lex)
    try:
        yield lex
    finally:
        _ACTIVE.reset(token)


T = TypeVar("T")


def per_lexicons(build: Callable[[], T]) -> Callable[[], T]:
    """Cache what ``build`` derives from ``lexicons()`` once per lexicon set (not once per process)."""
    built: dict[int, tuple[Lexicons, T]] = {}

    @wraps(build)
    def get() -> T:
        lex = lexicons()
        hit = built.get(id(lex))
        if hit is None or hit[0] is not lex:
            hit = built[id(lex)] = (lex, build())
        return hit[1]

    return get
