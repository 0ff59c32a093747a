"""Discovery: a draft store profile from the page's own signals, for a store never seen.

Products come from schema.org data and add-to-cart buttons; buttons and links from their
accessible names in six languages (``lexicons/*.yaml``); form fields from ``autocomplete``
first, then label, name, id and placeholder patterns, as browsers' autofill does. Every
entry it writes says how it was found and how sure it is; what it could not find is a TODO
with the page and a screenshot. ``auditor discover`` is the command; ``discover()`` the work.
"""

from auditor.discover.fields import FieldGuess, classify_field
from auditor.discover.lexicon import DiscoveryLexicon, lexicon
from auditor.discover.platforms import PlatformGuess, detect_platform

__all__ = ["DiscoveryLexicon", "FieldGuess", "PlatformGuess", "classify_field", "detect_platform", "lexicon"]
