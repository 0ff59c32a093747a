"""Put the products in the cart and get from the cart to the checkout, as a shopper clicks through.

Each product page gets its quantity field (if shown) and its add-to-cart button by accessible name;
then the cart by its link, its total (the purchase guard needs one on real-money stores), and the
checkout button. Only the first product's steps become the ``add_to_cart`` entry: the scenario
repeats it per product.
"""

import re

from auditor.discover.fields import classify_field
from auditor.discover.locators import action_locator, control_locator
from auditor.discover.record import Recorder
from auditor.discover.scan import scan

CART_PATH = re.compile(r"/(cart|basket|koszyk|warenkorb|korzina|cart\.php)\b", re.I)
# elements with a unique id that says total and a number in their text: a total to extract
TOTALS_JS = """() => [...document.querySelectorAll('[id*=total i]')]
  .filter(e => e.offsetParent && /\\d/.test(e.textContent) && e.textContent.trim().length <= 40)
  .map(e => e.id).filter(id => document.querySelectorAll('#' + CSS.escape(id)).length === 1)"""


async def add_to_cart(r: Recorder) -> None:
    """Add every product, so the cart the checkout sees is the one the run will have."""
    for index, product in enumerate(r.walk.products):
        first = index == 0
        params = {"product": {"url": r.rel(product.url), "name": product.name}, "quantity": 1}
        entry = "add_to_cart" if first else "_add_to_cart_again"
        await r.do(entry, {"visit": "{product.url}"}, "the product page (products map)", 1.0, params)
        await r.settle()
        page_scan = await scan(r.page)
        for control in page_scan.controls:
            guess = classify_field(control, r.lex)
            located = control_locator(control)
            if guess and guess.kind == "quantity" and located:
                step = {"fill": {"locator": located[0], "value": "{quantity}"}}
                await r.do(entry, step, f"{guess.signal}; located by {located[1]}", guess.confidence, params)
                break
        button = await r.find_action("add_to_cart", page_scan)
        if button is None:
            await r.todo("add_to_cart", "no add-to-cart button by accessible name")
            return
        action, how = button
        locator, by = await action_locator(r.page, action)
        await r.do(entry, {"click": {"locator": locator, "idle": True}}, f"{how}; {by}", 0.9, params)
    r.walk.profile.pop("_add_to_cart_again", None)


async def to_checkout(r: Recorder) -> bool:
    """From the page after adding: the cart (by its link), then its checkout button."""
    await r.settle()
    page_scan = await scan(r.page)
    cart = None
    for action in page_scan.actions:
        if action.role == "link" and action.href and r.lex.is_action("cart", action.name):
            cart = (action, f"link {action.name!r} names the cart")
            break
    if cart is None:
        for action in page_scan.actions:
            if action.href and CART_PATH.search(action.href):
                cart = (action, f"link to {r.rel(action.href)} (a cart path)")
                break
    if cart is not None:
        action, how = cart
        await r.do("checkout", {"visit": r.rel(action.href)}, f"{how}; its address", 0.85)
        await r.settle()
        await cart_total(r)
    button = await r.find_action("checkout")
    if button is None:
        await r.todo("checkout", "no checkout button or link by accessible name on the cart page")
        return False
    action, how = button
    locator, by = await action_locator(r.page, action)
    await r.do("checkout", {"click": {"locator": locator, "idle": True}}, f"{how}; {by}", 0.9)
    r.wait_next = True
    return True


async def cart_total(r: Recorder) -> None:
    """The cart's total, for the purchase guard on real-money stores: an element with a stable id
    whose id says total and whose text is money."""
    found = await r.page.evaluate(TOTALS_JS)
    if found:
        await r.do(
            "checkout",
            {"extract": {"total": f"#{found[-1]}"}},
            f"an element with id {found[-1]!r} showing money",
            0.7,
        )
    else:
        r.walk.notes.append("no cart total with a stable id: the purchase guard needs one on real-money stores")
