"""Walk a store like a first-time shopper, writing down each step as the shopper will run it.

Every step discovery finds is run at once through the shopper's own ``RunSession``, so what the
draft says is what was just done on the real page: a step that does not work fails here, not in
the first audit. Multi-step and AJAX checkouts: fill what is visible, press the step's continue
button, wait for the network to go quiet and the next step's first element to be visible and
stable, repeat until a place-order button shows. That button is never clicked unless the caller
allows an order.
"""

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import Page

from auditor.discover.fields import VALUES, classify_field
from auditor.discover.lexicon import DiscoveryLexicon
from auditor.discover.locators import action_locator, control_locator
from auditor.discover.products import FoundProduct, candidate_links, product_on_page
from auditor.discover.scan import Action, Control, PageScan, scan
from auditor.models.steps import PrimitiveStep
from auditor.shopper.actions import RunSession
from auditor.shopper.errors import StepFailed

COUNTRY_NAMES = {
    "PL": ("poland", "polska", "polen", "польша", "польща", "波兰"),
    "DE": ("germany", "deutschland", "niemcy", "германия", "німеччина", "德国"),
    "GB": ("united kingdom", "great britain", "wielka brytania", "großbritannien"),
    "US": ("united states", "usa", "stany zjednoczone", "vereinigte staaten"),
    "UA": ("ukraine", "ukraina", "україна", "украина", "乌克兰"),
    "CN": ("china", "chiny", "китай", "中国"),
}
MAX_CHECKOUT_STEPS = 8
# elements with a unique id that says total and a number in their text: a total to extract
TOTALS_JS = """() => [...document.querySelectorAll('[id*=total i]')]
  .filter(e => e.offsetParent && /\\d/.test(e.textContent) && e.textContent.trim().length <= 40)
  .map(e => e.id).filter(id => document.querySelectorAll('#' + CSS.escape(id)).length === 1)"""
MAX_PRODUCT_PAGES = 20
CART_PATH = re.compile(r"/(cart|basket|koszyk|warenkorb|korzina|cart\.php)\b", re.I)


@dataclass
class Entry:
    """One profile step and how it was found."""

    step: dict[str, Any]
    how: str
    confidence: float


@dataclass
class Todo:
    entry: str
    what: str
    url: str
    screenshot: str | None = None


@dataclass
class Walk:
    """What the walk found: products, the profile's entries, and what is left to a human."""

    products: list[FoundProduct] = field(default_factory=list)
    profile: dict[str, list[Entry]] = field(default_factory=dict)
    todos: list[Todo] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    ordered: bool = False
    order_number: str | None = None
    reached_place_order: bool = False


class Walker:
    """Discovers on one page with one session; ``say`` reports progress."""

    def __init__(
        self,
        session: RunSession,
        lex: DiscoveryLexicon,
        base_url: str,
        shots: Path,
        say: Callable[[str], None],
        *,
        allow_order: bool,
    ) -> None:
        self.s = session
        self.page: Page = session.page
        self.lex = lex
        self.base_url = base_url
        self.shots = shots
        self.say = say
        self.allow_order = allow_order
        self.walk = Walk()
        self._wait_next = False  # after a continue: the next step's element is waited for first
        self._handled: set[str] = set()  # controls already filled or chosen on this checkout page
        self._place: tuple[Any, str] = (None, "")  # the order button's locator and how it was found

    # ------------------------------------------------------------ helpers

    def rel(self, url: str) -> str:
        """A URL as the profile writes it: relative to the store's base URL when under it."""
        base = self.base_url.rstrip("/")
        if url.startswith(base):
            return url[len(base) :] or "/"
        return url

    async def todo(self, entry: str, what: str) -> None:
        self.shots.mkdir(parents=True, exist_ok=True)
        shot = self.shots / f"todo-{len(self.walk.todos) + 1}-{entry}.png"
        try:
            await self.page.screenshot(path=shot, full_page=True)
            shown: str | None = str(shot)
        except Exception:  # noqa: BLE001 - a screenshot is a courtesy; the TODO stands without it
            shown = None
        self.walk.todos.append(Todo(entry, what, self.page.url, shown))
        self.say(f"TODO {entry}: {what} ({self.page.url})")

    async def do(
        self, entry: str, step: dict[str, Any], how: str, confidence: float, params: dict | None = None
    ) -> None:
        """Run ``step`` now, as the shopper will, then keep it for the draft."""
        if self._wait_next and _locator_of(step) is not None and "visit" not in step:
            self._wait_next = False
            await self.do(entry, {"wait_for": _locator_of(step)}, "the next step's element, after continue", 0.9)
        parsed = PrimitiveStep.model_validate(step)
        await self.s.run_step(parsed, params or {})
        self.walk.profile.setdefault(entry, []).append(Entry(step, how, confidence))

    async def settle(self) -> None:
        with contextlib.suppress(StepFailed):  # a page that never goes quiet (long polling) is looked at as it is
            await self.s.wait_idle(0.4, 20)

    async def find_action(self, kind: str, page_scan: PageScan | None = None) -> tuple[Action, str] | None:
        page_scan = page_scan or await scan(self.page)
        for action in page_scan.actions:
            if action.disabled or not action.name:
                continue
            match = self.lex.is_action(kind, action.name)
            if match and not (kind != "place_order" and self.lex.is_action("place_order", action.name)):
                return action, f"accessible name {action.name!r} ~ /{match.pattern}/ ({match.language})"
        return None

    # ------------------------------------------------------------ products

    async def find_products(self, hints: list[str]) -> None:
        lex = self.lex
        queue = [self.s.render(h, {}) for h in hints] or [self.base_url]
        seen: set[str] = set()
        visited = 0
        found: list[FoundProduct] = []
        while queue and visited < MAX_PRODUCT_PAGES and len(found) < 6:
            url = queue.pop(0)
            target = url if re.match(r"^https?://", url) else self.base_url.rstrip("/") + "/" + url.lstrip("/")
            if target in seen:
                continue
            seen.add(target)
            visited += 1
            try:
                await self.s.goto(target)
            except StepFailed as exc:
                self.walk.notes.append(f"could not open {target}: {exc.reason}")
                continue
            await self.settle()
            names = [a.name for a in (await scan(self.page)).actions if not a.disabled]
            product, links = await product_on_page(self.page, lex, names)
            if product is not None and all(p.url != product.url for p in found):
                found.append(product)
                self.say(f"product: {product.name} {product.price or ''} ({product.signal})")
            if not hints:
                queue += [link for link in candidate_links(links, self.base_url) if link not in seen]
        usable = [p for p in found if p.in_stock and not p.options]
        usable.sort(key=lambda p: p.price if p.price is not None else Decimal("1e12"))
        self.walk.products = usable[:2]
        for p in found:
            if p not in usable:
                why = "required options" if p.options else "no add-to-cart button or out of stock"
                self.walk.notes.append(f"product {p.name!r} at {p.url} left out: {why}")

    # ------------------------------------------------------------ add to cart

    async def add_to_cart(self) -> None:
        for index, product in enumerate(self.walk.products):
            first = index == 0
            params = {"product": {"url": self.rel(product.url), "name": product.name}, "quantity": 1}
            entry = "add_to_cart" if first else "_add_to_cart_again"
            await self.do(entry, {"visit": "{product.url}"}, "the product page (products map)", 1.0, params)
            await self.settle()
            page_scan = await scan(self.page)
            for control in page_scan.controls:
                guess = classify_field(control, self.lex)
                located = control_locator(control)
                if guess and guess.kind == "quantity" and located:
                    step = {"fill": {"locator": located[0], "value": "{quantity}"}}
                    await self.do(entry, step, f"{guess.signal}; located by {located[1]}", guess.confidence, params)
                    break
            button = await self.find_action("add_to_cart", page_scan)
            if button is None:
                await self.todo("add_to_cart", "no add-to-cart button by accessible name")
                return
            action, how = button
            locator, by = await action_locator(self.page, action)
            await self.do(entry, {"click": {"locator": locator, "idle": True}}, f"{how}; {by}", 0.9, params)
        self.walk.profile.pop("_add_to_cart_again", None)

    # ------------------------------------------------------------ checkout

    async def to_checkout(self) -> bool:
        """From the page after adding: the cart (by its link), then its checkout button."""
        await self.settle()
        page_scan = await scan(self.page)
        cart = None
        for action in page_scan.actions:
            if action.role == "link" and action.href and self.lex.is_action("cart", action.name):
                cart = (action, f"link {action.name!r} names the cart")
                break
        if cart is None:
            for action in page_scan.actions:
                if action.href and CART_PATH.search(action.href):
                    cart = (action, f"link to {self.rel(action.href)} (a cart path)")
                    break
        if cart is not None:
            action, how = cart
            await self.do("checkout", {"visit": self.rel(action.href)}, f"{how}; its address", 0.85)
            await self.settle()
            await self.cart_total()
        button = await self.find_action("checkout")
        if button is None:
            await self.todo("checkout", "no checkout button or link by accessible name on the cart page")
            return False
        action, how = button
        locator, by = await action_locator(self.page, action)
        await self.do("checkout", {"click": {"locator": locator, "idle": True}}, f"{how}; {by}", 0.9)
        self._wait_next = True
        return True

    async def cart_total(self) -> None:
        """The cart's total, for the purchase guard on real-money stores: an element with a stable id
        whose id says total and whose text is money."""
        found = await self.page.evaluate(TOTALS_JS)
        if found:
            await self.do(
                "checkout",
                {"extract": {"total": f"#{found[-1]}"}},
                f"an element with id {found[-1]!r} showing money",
                0.7,
            )
        else:
            self.walk.notes.append("no cart total with a stable id: the purchase guard needs one on real-money stores")

    async def fill_visible(self) -> None:
        """Fill, tick and choose what this checkout step shows, as the persona would."""
        page_scan = await scan(self.page)
        handled_groups: set[str] = set()
        persona = self.s.persona
        for control in page_scan.controls:
            key = f"{self.page.url} {control.tag} {control.name} {control.id} {control.label}"
            if control.disabled or key in self._handled:
                continue  # an accordion keeps earlier panels open: what was filled stays filled
            self._handled.add(key)
            located = control_locator(control)
            if control.type == "radio":
                if control.name in handled_groups:
                    continue
                group = [c for c in page_scan.controls if c.type == "radio" and c.name == control.name]
                await self.choose_radio(group)
                handled_groups.add(control.name)
                continue
            if control.type == "checkbox":
                await self.tick(control, located)
                continue
            guess = classify_field(control, self.lex)
            if located is None:
                if control.required:
                    await self.todo(
                        "checkout", f"required field {control.label or control.name!r} has no stable locator"
                    )
                continue
            locator, by = located
            if control.tag == "select":
                await self.choose_select(
                    control, locator, by, guess.kind if guess else None, guess.signal if guess else ""
                )
                continue
            if guess is None or guess.kind not in VALUES or guess.kind == "quantity":
                if control.required and not control.value:
                    what = control.label or control.name or control.id
                    await self.todo("checkout", f"required field {what!r}: what it is for was not recognised")
                continue
            if guess.kind == "line2" and not persona.address.line2 and not control.required:
                continue
            step = {"fill": {"locator": locator, "value": VALUES[guess.kind]}}
            await self.do("checkout", step, f"{guess.signal}; located by {by}", guess.confidence)

    async def choose_radio(self, group: list[Control]) -> None:
        """In a radio group: guest checkout if offered, else a shipping or payment method needing no card."""
        for kind, how in (("guest", "guest checkout"), ("no_card", "a method that needs no card")):
            for control in group:
                match = self.lex.is_action(kind, control.label)
                if match is not None:
                    signal = f"radio label {control.label!r} ~ /{match.pattern}/ ({match.language}): {how}"
                elif kind == "guest" and control.value.lower() in ("guest", "anonymous"):
                    signal = f"radio value {control.value!r}: {how}"
                else:
                    continue
                located = control_locator(control)
                if located:
                    await self.do("checkout", {"check": located[0]}, f"{signal}; located by {located[1]}", 0.85)
                    return
        if not any(c.checked for c in group) and any(c.required for c in group):
            await self.todo("checkout", f"required choice {group[0].name!r}: none of its options was recognised")

    async def tick(self, control: Control, located: tuple[Any, str] | None) -> None:
        label = control.label
        for kind in ("guest", "marketing", "terms"):
            match = self.lex.is_action(kind, label)
            if match is None and not (kind == "terms" and control.required):
                continue
            if located is None:
                await self.todo("checkout", f"checkbox {label!r} has no stable locator")
                return
            signal = f"label {label!r} ~ /{match.pattern}/ ({match.language})" if match else "required checkbox"
            if kind == "marketing":
                await self.do(
                    "checkout", {"consent": located[0]}, f"{signal}: marketing consent, as the persona says", 0.8
                )
            else:
                await self.do("checkout", {"check": located[0]}, f"{signal}; located by {located[1]}", 0.8)
            return

    async def choose_select(self, control: Control, locator: Any, by: str, kind: str | None, signal: str) -> None:
        options = [(v, t) for v, t in control.options if v]
        if kind == "country":
            code = self.s.persona.address.country.upper()
            names = COUNTRY_NAMES.get(code, ())
            for value, text in options:
                if value.upper() == code or text.lower() in names:
                    step = {"select": {"locator": locator, "value": value}}
                    await self.do("checkout", step, f"{signal}; option for {code}; located by {by}", 0.85)
                    return
        for _, text in options:
            match = self.lex.is_action("no_card", text)
            if match:
                step = {"select": {"locator": locator, "label": text}}
                how = f"option {text!r} ~ /{match.pattern}/ ({match.language}): needs no card; located by {by}"
                await self.do("checkout", step, how, 0.8)
                return
        if control.required and not control.value:
            await self.todo("checkout", f"required choice {control.label or control.name!r}: no option recognised")

    async def walk_checkout(self) -> Action | None:
        """Step through the checkout until a place-order button shows; returns it (not clicked)."""
        for _ in range(MAX_CHECKOUT_STEPS):
            await self.settle()
            recorded = len(self.walk.profile.get("checkout", []))
            await self.fill_visible()
            filled = len(self.walk.profile.get("checkout", [])) > recorded
            page_scan = await scan(self.page)
            place = await self.find_action("place_order", page_scan)
            forward = await self.find_action("continue", page_scan) or await self.find_action("checkout", page_scan)
            if place is None and forward is not None and not filled and forward[0].posts:
                # A review step: nothing to fill, and its "Next" posts a form. Stores like Cartridge place
                # the order with it, so it is treated as the order button: never pressed as a mere step.
                action, how = forward
                place = action, f"{how}, posting a form on a page with nothing to fill (a review step)"
                self.walk.notes.append(
                    f"{action.name!r} on {self.page.url} is taken for the order button: it posts a review page"
                )
            if place is not None:
                action, how = place
                locator, by = await action_locator(self.page, action)
                self._wait_next = False
                await self.do("checkout", {"wait_for": locator}, f"the place-order button: {how}; {by}", 0.9)
                self.walk.reached_place_order = True
                self._place = (locator, f"{how}; {by}")
                return action
            if forward is None:
                await self.todo("checkout", "neither a continue nor a place-order button by accessible name")
                return None
            action, how = forward
            locator, by = await action_locator(self.page, action)
            before = page_scan.fingerprint()
            await self.do("checkout", {"click": {"locator": locator, "idle": True}}, f"continue: {how}; {by}", 0.85)
            await self.settle()
            if (await scan(self.page)).fingerprint() == before and not await self.retry_after_validation(locator):
                await self.todo("checkout", f"the checkout did not move on after {action.name!r}")
                return None
            self._wait_next = True
        await self.todo("checkout", f"no place-order button after {MAX_CHECKOUT_STEPS} steps")
        return None

    async def retry_after_validation(self, locator: Any) -> bool:
        """The store refused the step: tick the checkboxes its validation now points at, press again."""
        invalid = await self.page.evaluate(
            """() => [...document.querySelectorAll('input[type=checkbox]')]
               .filter(e => !e.checked && (e.matches(':invalid') || e.getAttribute('aria-invalid') === 'true'
                 || (e.closest('.error, .has-error, .is-invalid, [class*=error]') !== null)))
               .map(e => e.id || e.name)"""
        )
        page_scan = await scan(self.page)
        entries = self.walk.profile["checkout"]
        refused = len(entries) - 1  # the click the store refused: the draft ticks first, then clicks once
        ticked = False
        for control in page_scan.controls:
            if control.type == "checkbox" and (control.id or control.name) in invalid:
                located = control_locator(control)
                if located and not self.lex.is_action("marketing", control.label):
                    how = f"checkbox {control.label!r} pointed at by the store's validation message after a first try"
                    await self.do("checkout", {"check": located[0]}, how, 0.75)
                    ticked = True
        if not ticked:
            return False
        before = (await scan(self.page)).fingerprint()
        first = entries[refused]
        await self.do("checkout", first.step, f"{first.how}; pressed after ticking what the store asked for", 0.8)
        await self.settle()
        if (await scan(self.page)).fingerprint() == before:
            return False
        del entries[refused]
        return True

    # ------------------------------------------------------------ the order

    async def place_order(self) -> None:
        locator, how = self._place
        click = {"click": {"locator": locator, "submits": "order", "retry_covered": 2, "idle": True}}
        if not self.allow_order:
            self.walk.profile["place_order"] = [Entry(click, f"{how} (not clicked: no --allow-order)", 0.8)]
            pattern = self.order_number_pattern()
            step = {"extract": {"order_number": {"locator": "body", "pattern": pattern}}}
            self.walk.profile["place_order"].append(Entry(step, "the lexicon's order-number phrases (not seen)", 0.4))
            await self.todo("place_order", "the thank-you page was not seen (run with --allow-order on a test store)")
            return
        before = self.page.url
        parsed = PrimitiveStep.model_validate(click)
        await self.s.run_step(parsed, {}, submits="order")
        self.walk.ordered = True
        self.walk.profile["place_order"] = [Entry(click, how, 0.9)]
        await self.settle()
        after = self.page.url
        if after != before:
            glob = _url_glob(after)
            await self.do("place_order", {"wait_for_url": glob}, f"the thank-you page's address {self.rel(after)}", 0.8)
        await self.thank_you(in_place=after == before)

    def order_number_pattern(self, languages: list[str] | None = None) -> str:
        """A regex whose group 1 is the order number after an order-number phrase of ``languages`` (all)."""
        phrases = [
            re.sub(r"\((?!\?)", "(?:", p)
            for lang in languages or self.lex.languages
            for p in self.lex.patterns("order_number", lang)
        ]
        return r"(?i)(?:" + "|".join(phrases) + r")\W{0,5}([A-Z0-9][A-Z0-9-]*\d[A-Z0-9-]*)"

    async def thank_you(self, in_place: bool = False) -> None:
        """Where the thank-you page shows the order number (and total), if it does."""
        pattern = self.order_number_pattern()
        text = await self.page.inner_text("body")
        match = re.search(pattern, text)
        if match is None:
            thanks = next((m for line in text.splitlines() if (m := self.lex.is_action("thank_you", line))), None)
            if thanks is None:
                await self.todo("place_order", "no thank-you page recognised after the order click")
            else:
                await self.todo("place_order", "the thank-you page shows no order number this lexicon knows")
            return
        number = match.group(1)
        self.walk.order_number = number
        said = self.lex.is_action("order_number", match.group(0))
        if said is not None:  # the page's own language: a shorter pattern to check by eye
            pattern = self.order_number_pattern([said.language])
        holder = await self.page.evaluate(
            """(n) => { const els = [...document.querySelectorAll('[id]')].filter(e => e.textContent.trim() === n
                         && document.querySelectorAll('#' + CSS.escape(e.id)).length === 1);
                       return els.length ? els[0].id : null; }""",
            number,
        )
        extract: dict[str, Any] = {}
        if holder and not re.search(r"\d{4,}", holder):
            if in_place:  # the page answered in place (AJAX): wait for the number to be shown
                how_shown = f"the order number shown in place in #{holder} (the address did not change)"
                await self.do("place_order", {"wait_for": f"#{holder}"}, how_shown, 0.8)
            extract["order_number"] = f"#{holder}"
            how = f"the order number {number} in #{holder}"
        else:
            extract["order_number"] = {"locator": "body", "pattern": pattern}
            how = f"the order number {number} after {match.group(0).split(number)[0].strip()!r} in the page text"
        total = await self.page.evaluate(TOTALS_JS)
        if total:
            extract["total"] = f"#{total[-1]}"
            how += f"; total in #{total[-1]}"
        await self.do("place_order", {"extract": extract}, how, 0.8)

    # ------------------------------------------------------------ the question

    async def contact(self, home_scan: PageScan) -> None:
        link = next(
            (a for a in home_scan.actions if a.role == "link" and a.href and self.lex.is_action("contact", a.name)),
            None,
        )
        if link is None:
            self.walk.profile["ask_question"] = []
            self.walk.notes.append("no contact link by accessible name: ask_question left empty (skipped)")
            return
        entries: list[Entry] = [Entry({"visit": self.rel(link.href)}, f"link {link.name!r} (contact lexicon)", 0.85)]
        try:
            await self.s.goto(link.href)
        except StepFailed as exc:
            self.walk.profile["ask_question"] = []
            await self.todo("ask_question", f"the contact link {link.name!r} did not open: {exc.reason}")
            return
        await self.settle()
        page_scan = await scan(self.page)
        values = {**VALUES, "message": "{text}", "subject": "{subject}"}
        kinds: set[str] = set()
        for control in page_scan.controls:
            guess = classify_field(control, self.lex)
            located = control_locator(control)
            if located is None:
                continue
            if control.tag == "select":  # a topic to choose: the first real option, if one must be chosen
                options = [value for value, _ in control.options if value]
                if control.required and not control.value and options:
                    step = {"select": {"locator": located[0], "value": options[0]}}
                    entries.append(Entry(step, f"required choice {control.label!r}: its first option", 0.5))
                continue
            if guess is None or guess.kind not in values or guess.kind == "quantity" or control.type == "checkbox":
                continue
            kinds.add(guess.kind)
            step = {"fill": {"locator": located[0], "value": values[guess.kind]}}
            entries.append(Entry(step, f"{guess.signal}; located by {located[1]}", guess.confidence))
        params = {"text": "(discovery: not sent)", "subject": "(discovery: not sent)"}
        for entry in entries[1:]:  # typed now, never sent: a step that does not work fails here, not in the run
            await self.s.run_step(PrimitiveStep.model_validate(entry.step), params)
        send = await self.find_action("send", page_scan)
        if send is None or "message" not in kinds:
            self.walk.profile["ask_question"] = []
            await self.todo("ask_question", "a contact page without a recognised message field and send button")
            return
        action, how = send
        locator, by = await action_locator(self.page, action)
        entries.append(
            Entry({"click": {"locator": locator, "submits": "question", "idle": True}}, f"{how}; {by}", 0.85)
        )
        self.walk.profile["ask_question"] = entries
        self.walk.notes.append("ask_question: found, not sent during discovery (the first run sends it)")


def _locator_of(step: dict[str, Any]) -> Any:
    args = next(iter(step.values()))
    if isinstance(args, dict):
        return args.get("locator")
    return args if isinstance(args, str) and "visit" not in step and "wait_for_url" not in step else None


def _url_glob(url: str) -> str:
    """``http://h/shop/order/1042`` -> ``**/order/*``: the last two segments, numbers as wildcards."""
    path = urlsplit(url).path
    parts = [p for p in path.split("/") if p]
    tail = ["*" if re.search(r"\d", p) else p for p in parts[-2:]]
    return "**/" + "/".join(tail) + ("/" if path.endswith("/") else "")
