"""What a form field is for: ``autocomplete`` first, then label, name, id and placeholder patterns.

The order is the one browsers' autofill uses: a store that says ``autocomplete="postal-code"``
has told us; a label is what the shopper reads; names and ids are the developer's words; a
placeholder is the weakest hint (it is often an example value).
"""

from dataclasses import dataclass

from pydantic import BaseModel

from auditor.discover.lexicon import DiscoveryLexicon, lexicon

# WHATWG autofill field names -> our kinds (section-*, shipping and billing tokens are skipped).
AUTOCOMPLETE = {
    "email": "email",
    "username": "email",
    "given-name": "first_name",
    "family-name": "last_name",
    "name": "full_name",
    "tel": "phone",
    "tel-national": "phone",
    "organization": "company",
    "street-address": "line1",
    "address-line1": "line1",
    "address-line2": "line2",
    "address-level2": "city",
    "address-level1": "state",
    "postal-code": "postcode",
    "country": "country",
    "country-name": "country",
    "current-password": "password",
    "new-password": "password",
}
CONFIDENCE = {"autocomplete": 0.95, "type": 0.9, "label": 0.85, "name": 0.75, "id": 0.7, "placeholder": 0.6}
# Where each kind's value comes from: persona and run references, as the shopper renders them.
VALUES = {
    "email": "{run.address}",
    "first_name": "{persona.first_name}",
    "last_name": "{persona.last_name}",
    "full_name": "{persona.full_name}",
    "phone": "{persona.phone}",
    "line1": "{persona.address.line1}",
    "line2": "{persona.address.line2}",
    "city": "{persona.address.city}",
    "postcode": "{persona.address.postcode}",
    "country": "{persona.address.country}",  # a text field gets the ISO code; a select is chosen by code or name
    "quantity": "{quantity}",
}


class FieldInfo(BaseModel):
    """One form control as the page shows it (see ``scan.py``)."""

    tag: str = "input"
    type: str = "text"
    id: str = ""
    name: str = ""
    autocomplete: str = ""
    label: str = ""
    placeholder: str = ""
    required: bool = False


@dataclass(frozen=True)
class FieldGuess:
    kind: str
    signal: str  # "autocomplete=postal-code", "label 'Kod pocztowy' ~ /kod pocztowy/ (pl)"
    confidence: float


def classify_field(info: FieldInfo, lex: DiscoveryLexicon | None = None) -> FieldGuess | None:
    """The field's kind and the signal that said so, or None when nothing does."""
    lex = lex or lexicon()
    tokens = [t for t in info.autocomplete.lower().split() if not t.startswith("section-")]
    for token in reversed(tokens):
        if token in AUTOCOMPLETE:
            return FieldGuess(AUTOCOMPLETE[token], f"autocomplete={token}", CONFIDENCE["autocomplete"])
    if info.type in ("email", "password"):
        return FieldGuess(info.type, f"type={info.type}", CONFIDENCE["type"])
    for source in ("label", "name", "id", "placeholder"):
        text = getattr(info, source)
        if source in ("name", "id"):
            text = _words(text)
        match = lex.field(text)
        if match is not None:
            shown = getattr(info, source)
            signal = f"{source} {shown!r} ~ /{match.pattern}/ ({match.language})"
            return FieldGuess(match.kind, signal, CONFIDENCE[source])
    if info.type == "tel":
        return FieldGuess("phone", "type=tel", CONFIDENCE["type"])
    return None


def _words(attribute: str) -> str:
    """``billingFirstName`` / ``id_first_name`` -> ``billing first name``: names and ids as words."""
    out = []
    for ch in attribute:
        if ch.isupper() and out and out[-1].islower():
            out.append(" ")
        out.append(ch)
    return "".join(out).replace("[", " ").replace("]", " ").replace("-", "_").strip()
