"""The words shops use on buttons, links and form fields, per language (``lexicons/<lang>.yaml``).

Kept apart from the analysis lexicons, which read emails: a page says "Do koszyka" on a button,
an email never does. A page's language is not trusted (shops mix languages), so every lookup
tries every language and says which one matched.
"""

import copy
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

LEXICON_DIR = Path(__file__).parent / "lexicons"
ACTIONS = (
    "add_to_cart", "cart", "checkout", "continue", "place_order", "guest", "contact", "send", "terms",
    "marketing", "no_card", "card", "order_number", "thank_you",
)  # fmt: skip
# Checked in this order: the first kind whose pattern matches wins, so the specific come first
# ("Imię i nazwisko" is a full name before it is a surname; "E-mail" is not a "mail" message).
FIELD_KINDS = (
    "email", "password", "quantity", "postcode", "phone", "full_name", "first_name", "last_name", "company",
    "line2", "line1", "city", "state", "country", "subject", "message",
)  # fmt: skip


class LexiconFile(BaseModel):
    actions: dict[str, list[str]] = Field(default_factory=dict)
    fields: dict[str, list[str]] = Field(default_factory=dict)


@dataclass(frozen=True)
class Match:
    """Which pattern of which language matched: the evidence written beside a discovered entry."""

    kind: str
    language: str
    pattern: str


class DiscoveryLexicon:
    """Every language's patterns, compiled; ``action(name)`` and ``field(text)`` say what a text is."""

    def __init__(self, files: dict[str, LexiconFile]):
        self.languages = sorted(files)
        self._actions = {
            kind: [(lang, p, re.compile(p, re.I)) for lang, f in files.items() for p in f.actions.get(kind, [])]
            for kind in ACTIONS
        }
        self._fields = {
            kind: [(lang, p, re.compile(p, re.I)) for lang, f in files.items() for p in f.fields.get(kind, [])]
            for kind in FIELD_KINDS
        }

    def preferring(self, language: str) -> "DiscoveryLexicon":
        """The same patterns with ``language`` (the page's own) tried first, so a word shared by two
        languages ("Telefon") is credited to the page's."""
        other = copy.copy(self)
        first = language.split("-")[0].lower()
        other._actions = {k: sorted(v, key=lambda t: t[0] != first) for k, v in self._actions.items()}
        other._fields = {k: sorted(v, key=lambda t: t[0] != first) for k, v in self._fields.items()}
        return other

    def is_action(self, kind: str, text: str) -> Match | None:
        """Whether ``text`` (an accessible name) names the action ``kind`` in any language."""
        text = " ".join(text.split())
        for lang, pattern, compiled in self._actions[kind]:
            if compiled.search(text):
                return Match(kind, lang, pattern)
        return None

    def patterns(self, kind: str, language: str) -> list[str]:
        """One language's patterns for an action, as written in its file."""
        return [p for lang, p, _ in self._actions[kind] if lang == language]

    def field(self, text: str) -> Match | None:
        """The field kind a label, name, id or placeholder names, in priority order, or None."""
        text = " ".join(text.replace("*", " ").split())
        if not text:
            return None
        for kind in FIELD_KINDS:
            for lang, pattern, compiled in self._fields[kind]:
                if compiled.search(text):
                    return Match(kind, lang, pattern)
        return None


@cache
def lexicon(directory: Path = LEXICON_DIR) -> DiscoveryLexicon:
    files = {
        path.stem: LexiconFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        for path in sorted(directory.glob("*.yaml"))
    }
    return DiscoveryLexicon(files)
