"""Follow a store's links (or the pages given) to the two products the generic scenario buys.

``products.py`` says what one page sells; this walks pages until it has enough candidates, then keeps
the two cheapest in stock without required options and notes why each other product was left out.
"""

import re
from decimal import Decimal

from auditor.discover.products import FoundProduct, candidate_links, product_on_page
from auditor.discover.record import Recorder
from auditor.discover.scan import scan
from auditor.shopper.errors import StepFailed

MAX_PRODUCT_PAGES = 20


async def find_products(r: Recorder, hints: list[str]) -> None:
    """Keep the two products to buy in ``r.walk.products``; ``hints`` (``--product``) replace following links."""
    lex = r.lex
    queue = [r.s.render(h, {}) for h in hints] or [r.base_url]
    seen: set[str] = set()
    visited = 0
    found: list[FoundProduct] = []
    while queue and visited < MAX_PRODUCT_PAGES and len(found) < 6:
        url = queue.pop(0)
        target = url if re.match(r"^https?://", url) else r.base_url.rstrip("/") + "/" + url.lstrip("/")
        if target in seen:
            continue
        seen.add(target)
        visited += 1
        try:
            await r.s.goto(target)
        except StepFailed as exc:
            r.walk.notes.append(f"could not open {target}: {exc.reason}")
            continue
        await r.settle()
        names = [a.name for a in (await scan(r.page)).actions if not a.disabled]
        product, links = await product_on_page(r.page, lex, names)
        if product is not None and all(p.url != product.url for p in found):
            found.append(product)
            r.say(f"product: {product.name} {product.price or ''} ({product.signal})")
        if not hints:
            queue += [link for link in candidate_links(links, r.base_url) if link not in seen]
    usable = [p for p in found if p.in_stock and not p.options]
    usable.sort(key=lambda p: p.price if p.price is not None else Decimal("1e12"))
    r.walk.products = usable[:2]
    for p in found:
        if p not in usable:
            why = "required options" if p.options else "no add-to-cart button or out of stock"
            r.walk.notes.append(f"product {p.name!r} at {p.url} left out: {why}")
