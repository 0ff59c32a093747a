"""The shipping address a message shows: the lines under a "Shipping address" / "Adres dostawy" label.

A confirmation that repeats the address lets the customer catch a wrong one
before the parcel leaves; the rubric compares it with the persona's address.
Only a labelled block counts: the store's own address in the footer is not
where the order goes. Shapes seen in shop mail: a heading then lines (Oscar),
``Shipping to: name, street, town`` on one line (the demo store), and a table
row with the label in one cell and the lines in the next. The block ends at a
blank line (plain text), at another label, amount, link or sentence, or after
``MAX_LINES`` lines.
"""

import re

from auditor.analysis.document import Line
from auditor.analysis.lexicon import lexicons, per_lexicons, phrase_pattern
from auditor.models.evidence import Fact
from auditor.models.money_text import find_money

MAX_LINES = 6
MAX_LINE_CHARS = 80  # an address line is short; a longer one is a sentence or a layout row
MAX_WORDS = 8
_COLON = r"\s*[:：]"
_SENTENCE_END = re.compile(r"[.!?。！？]$")
_URL = re.compile(r"https?://|www\.", re.I)
_LABELLED = re.compile(r"[:：](?:\s|$)|：")  # "Estimated delivery: 2 days", "预计送达：11月27日"


@per_lexicons
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(a shipping-address label opening a line, any address label opening a line)."""
    lex = lexicons()
    label = phrase_pattern(lex.address_labels)
    any_label = phrase_pattern(lex.address_labels + lex.other_address_labels)
    # the label alone (a heading), or the label, a colon and the address on the same line
    opening = re.compile(rf"^[^\w]*(?:{label})(?:{_COLON}\s*(?P<rest>.*)|\s*[:：]?\s*)$", re.I)
    other = re.compile(rf"^[^\w]*(?:{any_label})", re.I)
    return opening, other


def _label_rest(text: str) -> str | None:
    """What follows a shipping-address label at the start of ``text`` ('' for a bare heading), else None."""
    match = _patterns()[0].match(text)
    if match is None:
        return None
    return (match.group("rest") or "").strip()


def _stops(text: str, link_texts: set[str]) -> bool:
    """True when ``text`` cannot be an address line, so the block ended before it."""
    if len(text) > MAX_LINE_CHARS or len(text.split()) > MAX_WORDS:
        return True
    if _patterns()[1].match(text) or _LABELLED.search(text):
        return True  # another label or heading ("Billing address", "Payment method: card")
    if _SENTENCE_END.search(text) and len(text.split()) >= 4:
        return True
    if _URL.search(text) or text in link_texts or find_money(text, None):
        return True
    lex = lexicons()
    return any(p.search(text) for p in lex.totals.values()) or any(p.search(text) for p in lex.links.values())


def _block(lines: list[Line], start: int, first: str, link_texts: set[str]) -> list[str]:
    """Address lines from ``lines[start:]``; ``first`` is what stood after the label on its own line."""
    found = [first] if first else []
    for line in lines[start : start + MAX_LINES]:
        if len(found) >= MAX_LINES:
            break
        if line.blank_before and found:
            break  # plain text: a blank line ends the block (one may sit between a heading and it)
        if _label_rest(line.text) is not None or _stops(line.text, link_texts):
            break
        found.append(line.text)
    return found


def _from_cells(lines: list[Line], i: int) -> tuple[list[str], str] | None:
    """Label in a table cell: the address is the rest of that cell, the next cell, or the same column below."""
    line = lines[i]
    if not line.cells or not line.cell_parts:
        return None
    for col, cell in enumerate(line.cells):
        parts = line.cell_parts[col] if col < len(line.cell_parts) else []
        if len(parts) > 1 and _label_rest(parts[0]) == "":
            return parts[1:], "\n".join(parts)  # heading and lines in one cell, beside another block
        if _label_rest(cell) != "":
            continue
        beside = line.cells[col + 1] if col + 1 < len(line.cells) else None
        if beside is not None and not _patterns()[1].match(beside):
            return line.cell_parts[col + 1], line.text
        below = lines[i + 1] if i + 1 < len(lines) else None
        if below is not None and below.cell_parts and col < len(below.cell_parts):
            return below.cell_parts[col], f"{line.text}\n{below.text}"
    return None


def find_shipping_address(lines: list[Line], source: str, link_texts: set[str] | None = None) -> Fact | None:
    """The first labelled shipping address: value its lines joined with ", ", snippet the block."""
    links = link_texts or set()
    for i, line in enumerate(lines):
        cells = _from_cells(lines, i)
        if cells is not None:
            parts = [p for p in cells[0] if p and not _stops(p, set())][:MAX_LINES]
            if parts:
                return Fact(value=", ".join(parts), snippet=cells[1][:300], source=source)
            continue
        rest = _label_rest(line.text)
        if rest is None:
            continue
        found = _block(lines, i + 1, rest, links)
        if found:
            shown = found[1:] if rest else found
            snippet = "\n".join([line.text, *shown])
            return Fact(value=", ".join(found), snippet=snippet[:300], source=source)
    return None
