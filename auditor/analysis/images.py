"""Images worth reporting: product pictures near items (with their alt text), not pixels, spacers or logos.

"Near an item" means in the item's table row, on the line just before or
after it, or with alt text that names it; that is how shops lay out
thumbnails. Inline ``cid:`` images are matched to their MIME part. A store's
logo is reported (its alt text counts for accessibility) but is never an
item's picture: it heads the message before any text, is named as a logo,
carries the shop's name as its alt text, or links to the shop's home page.
"""

import re
from urllib.parse import urlsplit

from auditor.analysis.document import Document, Image
from auditor.mail.mime import MimePart
from auditor.models.evidence import Fact, ItemFact

MAX_IMAGES = 100
MAX_SPACER = 3  # pixels: an image this thin in either direction is a spacer, a rule or a tracker
_DECOR_WORDS = re.compile(r"spacer|pixel|/open\.|/track/open|beacon|blank\.gif|transparent\.gif", re.I)
_LOGO_WORDS = re.compile(r"(?<![a-z])logo|brand[-_]?mark|header[-_]?image", re.I)


def _is_pixel(width: int | None, height: int | None, src: str) -> bool:
    if (width is not None and width <= MAX_SPACER) or (height is not None and height <= MAX_SPACER):
        return True
    return bool(_DECOR_WORDS.search(src))


def _norm_name(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text).strip().lower()


def is_logo(img: Image, shop_names: set[str]) -> bool:
    """A store's logo, by where and how it sits, never by which store it is."""
    if img.text_before == 0 and not img.in_row:
        return True  # it heads the message, above any words
    if _LOGO_WORDS.search(img.src) or _LOGO_WORDS.search(img.alt):
        return True
    if img.alt and _norm_name(img.alt) in shop_names:
        return True
    if img.href:
        parts = urlsplit(img.href)
        if parts.scheme in ("http", "https") and parts.path in ("", "/") and not parts.query:
            return True  # linked to the shop's home page
    return False


def find_images(
    doc: Document,
    items: list[ItemFact],
    parts: list[MimePart],
    source: str,
    recommendations_start: int | None = None,
    shop_names: set[str] | None = None,
) -> list[Fact]:
    """``Fact(value={'src','alt','item','width','height','content_type','logo'})``; ``item`` is None for
    non-product images. ``shop_names``: the sender's display name (and the like), normalised by ``shop_name``."""
    names = shop_names or set()
    item_lines: dict[int, str] = {}
    for item in items:
        for line in doc.lines:
            if line.text == item.snippet:
                item_lines[line.index] = item.name
                break
    by_cid = {p.content_id: p for p in parts if p.content_id}
    facts: list[Fact] = []
    for img in doc.images:
        if _is_pixel(img.width, img.height, img.src):
            continue
        logo = is_logo(img, names)
        line = doc.lines[img.line] if 0 <= img.line < len(doc.lines) else None
        # an image outside a table row (a logo above the items table) is not in that row
        same_line = img.in_row or line is None or line.cells is None
        item = item_lines.get(img.line) if same_line else None
        if recommendations_start is not None and img.line >= recommendations_start:
            item = None  # a recommended product, even when it is one of the ordered ones
        elif item is None:
            item = next((name for i, name in item_lines.items() if abs(i - img.line) == 1), None)
        if item is None and img.alt and (recommendations_start is None or img.line < recommendations_start):
            alt = img.alt.lower()
            item = next((it.name for it in items if it.name.lower() in alt or alt in it.name.lower()), None)
        if logo:
            item = None
        part = by_cid.get(img.src[4:]) if img.src.startswith("cid:") else None
        facts.append(
            Fact(
                value={
                    "src": img.src,
                    "alt": img.alt,
                    "item": item,
                    "width": img.width,
                    "height": img.height,
                    "content_type": part.content_type if part else None,
                    "logo": logo,
                },
                snippet=f'<img src="{img.src[:120]}" alt="{img.alt[:80]}">',
                source=source,
            )
        )
        if len(facts) >= MAX_IMAGES:
            break
    return facts


def shop_name(display_name: str) -> str:
    """The form ``is_logo`` compares alt text in: "Northwind Outfitters" and "northwind-outfitters" alike."""
    return _norm_name(display_name)
