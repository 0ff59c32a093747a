"""A recommendations block ("You may also like", "Polecamy również"): where it starts and how many products.

Listrak found only 17.1% of retailers put recommendations in transactional
mail, so its presence is a fact worth a check. Item extraction stops at the
block, so recommended products are never mistaken for ordered ones.
"""

from auditor.analysis.document import Document
from auditor.analysis.lexicon import lexicons
from auditor.models.evidence import Fact

MAX_HEADING = 160


def find_recommendations(doc: Document, source: str) -> tuple[Fact | None, int | None]:
    """(Fact(value=number of products, snippet=heading), index of the heading line) or (None, None)."""
    pattern = lexicons().recommendations
    for line in doc.lines:
        if len(line.text) > MAX_HEADING or not pattern.search(line.text):
            continue
        start = line.index
        following = doc.lines[start + 1 : start + 60]
        images = sum(1 for img in doc.images if img.line > start and img.line <= start + 60 and (img.width or 99) > 3)
        prices = sum(len(f.amounts()) for f in following)
        links = sum(1 for link in doc.links if start < link.line <= start + 60 and link.text)
        count = max(images, prices) or min(links, 12)
        if not count and ":" in line.text:
            # "Picked for you: USB-C Charger 65W, Smartwatch Pro." names the products in the heading itself
            count = len([p for p in line.text.split(":", 1)[1].split(",") if p.strip(" .")])
        return Fact(value=count, snippet=line.text, source=source), start
    return None, None
