"""Images worth reporting: product pictures near items (with their alt text), not pixels or spacers.

"Near an item" means in the item's table row, on the line just before or
after it, or with alt text that names it; that is how shops lay out
thumbnails. Inline ``cid:`` images are matched to their MIME part.
"""

from auditor.analysis.document import Document
from auditor.mail.mime import MimePart
from auditor.models.evidence import Fact, ItemFact

MAX_IMAGES = 100


def _is_pixel(width: int | None, height: int | None, src: str) -> bool:
    if width is not None and height is not None and width <= 3 and height <= 3:
        return True
    return any(word in src.lower() for word in ("/open.", "pixel", "/track/open", "beacon", "spacer.gif"))


def find_images(
    doc: Document, items: list[ItemFact], parts: list[MimePart], source: str, recommendations_start: int | None = None
) -> list[Fact]:
    """``Fact(value={'src','alt','item','width','height','content_type'})``; ``item`` is None for non-product images."""
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
                },
                snippet=f'<img src="{img.src[:120]}" alt="{img.alt[:80]}">',
                source=source,
            )
        )
        if len(facts) >= MAX_IMAGES:
            break
    return facts
