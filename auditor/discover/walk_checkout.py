"""Step through a checkout until its place-order button shows, without pressing it.

Multi-step and AJAX checkouts: fill what is visible, press the step's continue button, wait for the
network to go quiet and the next step's first element to be visible and stable, repeat. A step that
does not move on is pressed once more after ticking what the store's validation points at.
"""

from typing import Any

from auditor.discover.locators import action_locator, control_locator
from auditor.discover.record import Recorder
from auditor.discover.scan import Action, scan
from auditor.discover.walk_form import CheckoutForm

MAX_CHECKOUT_STEPS = 8


class Checkout:
    """The checkout's steps; ``place`` is the order button's locator and how it was found, once reached."""

    def __init__(self, r: Recorder) -> None:
        self.r = r
        self.form = CheckoutForm(r)
        self.place: tuple[Any, str] = (None, "")

    async def walk_checkout(self) -> Action | None:
        """Step through the checkout until a place-order button shows; returns it (not clicked)."""
        for _ in range(MAX_CHECKOUT_STEPS):
            await self.r.settle()
            recorded = len(self.r.walk.profile.get("checkout", []))
            await self.form.fill_visible()
            filled = len(self.r.walk.profile.get("checkout", [])) > recorded
            page_scan = await scan(self.r.page)
            place = await self.r.find_action("place_order", page_scan)
            forward = await self.r.find_action("continue", page_scan) or await self.r.find_action("checkout", page_scan)
            if place is None and forward is not None and not filled and forward[0].posts:
                # A review step: nothing to fill, and its "Next" posts a form. Stores like Cartridge place
                # the order with it, so it is treated as the order button: never pressed as a mere step.
                action, how = forward
                place = action, f"{how}, posting a form on a page with nothing to fill (a review step)"
                self.r.walk.notes.append(
                    f"{action.name!r} on {self.r.page.url} is taken for the order button: it posts a review page"
                )
            if place is not None:
                action, how = place
                locator, by = await action_locator(self.r.page, action)
                self.r.wait_next = False
                await self.r.do("checkout", {"wait_for": locator}, f"the place-order button: {how}; {by}", 0.9)
                self.r.walk.reached_place_order = True
                self.place = (locator, f"{how}; {by}")
                return action
            if forward is None:
                await self.r.todo("checkout", "neither a continue nor a place-order button by accessible name")
                return None
            action, how = forward
            locator, by = await action_locator(self.r.page, action)
            before = page_scan.fingerprint()
            await self.r.do("checkout", {"click": {"locator": locator, "idle": True}}, f"continue: {how}; {by}", 0.85)
            await self.r.settle()
            if (await scan(self.r.page)).fingerprint() == before and not await self.retry_after_validation(locator):
                await self.r.todo("checkout", f"the checkout did not move on after {action.name!r}")
                return None
            self.r.wait_next = True
        await self.r.todo("checkout", f"no place-order button after {MAX_CHECKOUT_STEPS} steps")
        return None

    async def retry_after_validation(self, locator: Any) -> bool:
        """The store refused the step: tick the checkboxes its validation now points at, press again."""
        invalid = await self.r.page.evaluate(
            """() => [...document.querySelectorAll('input[type=checkbox]')]
               .filter(e => !e.checked && (e.matches(':invalid') || e.getAttribute('aria-invalid') === 'true'
                 || (e.closest('.error, .has-error, .is-invalid, [class*=error]') !== null)))
               .map(e => e.id || e.name)"""
        )
        page_scan = await scan(self.r.page)
        entries = self.r.walk.profile["checkout"]
        refused = len(entries) - 1  # the click the store refused: the draft ticks first, then clicks once
        ticked = False
        for control in page_scan.controls:
            if control.type == "checkbox" and (control.id or control.name) in invalid:
                located = control_locator(control)
                if located and not self.r.lex.is_action("marketing", control.label):
                    how = f"checkbox {control.label!r} pointed at by the store's validation message after a first try"
                    await self.r.do("checkout", {"check": located[0]}, how, 0.75)
                    ticked = True
        if not ticked:
            return False
        before = (await scan(self.r.page)).fingerprint()
        first = entries[refused]
        await self.r.do("checkout", first.step, f"{first.how}; pressed after ticking what the store asked for", 0.8)
        await self.r.settle()
        if (await scan(self.r.page)).fingerprint() == before:
            return False
        del entries[refused]
        return True
