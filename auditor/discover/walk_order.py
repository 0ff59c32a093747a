"""The order button and the thank-you page: pressed only when the caller allows an order.

Without ``allow_order`` the button is written down unpressed, with the lexicon's order-number phrases
as the pattern to read (not seen). With it, one order is placed and the thank-you page's address,
order number (an element with a stable id holding it, else a pattern after the page's own phrase)
and total are recorded, so the draft reads them as the run will.
"""

import re
from typing import Any
from urllib.parse import urlsplit

from auditor.discover.lexicon import DiscoveryLexicon
from auditor.discover.record import Entry, Recorder
from auditor.discover.walk_cart import TOTALS_JS
from auditor.models.steps import PrimitiveStep


async def place_order(r: Recorder, place: tuple[Any, str], *, allow_order: bool) -> None:
    """Record the order button; with ``allow_order``, press it and read the thank-you page."""
    locator, how = place
    click = {"click": {"locator": locator, "submits": "order", "retry_covered": 2, "idle": True}}
    if not allow_order:
        r.walk.profile["place_order"] = [
            Entry(step=click, how=f"{how} (not clicked: no --allow-order)", confidence=0.8)
        ]
        pattern = order_number_pattern(r.lex)
        step = {"extract": {"order_number": {"locator": "body", "pattern": pattern}}}
        r.walk.profile["place_order"].append(
            Entry(step=step, how="the lexicon's order-number phrases (not seen)", confidence=0.4)
        )
        await r.todo("place_order", "the thank-you page was not seen (run with --allow-order on a test store)")
        return
    before = r.page.url
    parsed = PrimitiveStep.model_validate(click)
    await r.s.run_step(parsed, {}, submits="order")
    r.walk.ordered = True
    r.walk.profile["place_order"] = [Entry(step=click, how=how, confidence=0.9)]
    await r.settle()
    after = r.page.url
    if after != before:
        glob = _url_glob(after)
        await r.do("place_order", {"wait_for_url": glob}, f"the thank-you page's address {r.rel(after)}", 0.8)
    await thank_you(r, in_place=after == before)


def order_number_pattern(lex: DiscoveryLexicon, languages: list[str] | None = None) -> str:
    """A regex whose group 1 is the order number after an order-number phrase of ``languages`` (all)."""
    phrases = [
        re.sub(r"\((?!\?)", "(?:", p) for lang in languages or lex.languages for p in lex.patterns("order_number", lang)
    ]
    return r"(?i)(?:" + "|".join(phrases) + r")\W{0,5}([A-Z0-9][A-Z0-9-]*\d[A-Z0-9-]*)"


async def thank_you(r: Recorder, in_place: bool = False) -> None:
    """Where the thank-you page shows the order number (and total), if it does."""
    pattern = order_number_pattern(r.lex)
    text = await r.page.inner_text("body")
    match = re.search(pattern, text)
    if match is None:
        thanks = next((m for line in text.splitlines() if (m := r.lex.is_action("thank_you", line))), None)
        if thanks is None:
            await r.todo("place_order", "no thank-you page recognised after the order click")
        else:
            await r.todo("place_order", "the thank-you page shows no order number this lexicon knows")
        return
    number = match.group(1)
    r.walk.order_number = number
    said = r.lex.is_action("order_number", match.group(0))
    if said is not None:  # the page's own language: a shorter pattern to check by eye
        pattern = order_number_pattern(r.lex, [said.language])
    holder = await r.page.evaluate(
        """(n) => { const els = [...document.querySelectorAll('[id]')].filter(e => e.textContent.trim() === n
                     && document.querySelectorAll('#' + CSS.escape(e.id)).length === 1);
                   return els.length ? els[0].id : null; }""",
        number,
    )
    extract: dict[str, Any] = {}
    if holder and not re.search(r"\d{4,}", holder):
        if in_place:  # the page answered in place (AJAX): wait for the number to be shown
            how_shown = f"the order number shown in place in #{holder} (the address did not change)"
            await r.do("place_order", {"wait_for": f"#{holder}"}, how_shown, 0.8)
        extract["order_number"] = f"#{holder}"
        how = f"the order number {number} in #{holder}"
    else:
        extract["order_number"] = {"locator": "body", "pattern": pattern}
        how = f"the order number {number} after {match.group(0).split(number)[0].strip()!r} in the page text"
    total = await r.page.evaluate(TOTALS_JS)
    if total:
        extract["total"] = f"#{total[-1]}"
        how += f"; total in #{total[-1]}"
    await r.do("place_order", {"extract": extract}, how, 0.8)


def _url_glob(url: str) -> str:
    """``http://h/shop/order/1042`` -> ``**/order/*``: the last two segments, numbers as wildcards."""
    path = urlsplit(url).path
    parts = [p for p in path.split("/") if p]
    tail = ["*" if re.search(r"\d", p) else p for p in parts[-2:]]
    return "**/" + "/".join(tail) + ("/" if path.endswith("/") else "")
