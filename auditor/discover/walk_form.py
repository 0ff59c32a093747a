"""Fill, tick and choose what one checkout step shows, as the persona would.

Fields by what they are for (``fields.py``), values from the persona and the run; radio groups and
selects by guest checkout or a method that needs no card; checkboxes by guest, marketing (a
``consent`` step, as the persona says) or terms. What it cannot place is a TODO, never a guess.
"""

from typing import Any

from auditor.discover.fields import VALUES, classify_field
from auditor.discover.locators import control_locator
from auditor.discover.record import Recorder
from auditor.discover.scan import Control, scan

COUNTRY_NAMES = {
    "PL": ("poland", "polska", "polen", "польша", "польща", "波兰"),
    "DE": ("germany", "deutschland", "niemcy", "германия", "німеччина", "德国"),
    "GB": ("united kingdom", "great britain", "wielka brytania", "großbritannien"),
    "US": ("united states", "usa", "stany zjednoczone", "vereinigte staaten"),
    "UA": ("ukraine", "ukraina", "україна", "украина", "乌克兰"),
    "CN": ("china", "chiny", "китай", "中国"),
}


class CheckoutForm:
    """The checkout's forms across its steps: remembers what was handled, since accordions keep it shown."""

    def __init__(self, r: Recorder) -> None:
        self.r = r
        self.handled: set[str] = set()  # controls already filled or chosen on this checkout page

    async def fill_visible(self) -> None:
        """Fill, tick and choose what this checkout step shows, as the persona would."""
        page_scan = await scan(self.r.page)
        handled_groups: set[str] = set()
        persona = self.r.s.persona
        for control in page_scan.controls:
            key = f"{self.r.page.url} {control.tag} {control.name} {control.id} {control.label}"
            if control.disabled or key in self.handled:
                continue  # an accordion keeps earlier panels open: what was filled stays filled
            self.handled.add(key)
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
            guess = classify_field(control, self.r.lex)
            if located is None:
                if control.required:
                    await self.r.todo(
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
                    await self.r.todo("checkout", f"required field {what!r}: what it is for was not recognised")
                continue
            if guess.kind == "line2" and not persona.address.line2 and not control.required:
                continue
            step = {"fill": {"locator": locator, "value": VALUES[guess.kind]}}
            await self.r.do("checkout", step, f"{guess.signal}; located by {by}", guess.confidence)

    async def choose_radio(self, group: list[Control]) -> None:
        """In a radio group: guest checkout if offered, else a shipping or payment method needing no card."""
        for kind, how in (("guest", "guest checkout"), ("no_card", "a method that needs no card")):
            for control in group:
                match = self.r.lex.is_action(kind, control.label)
                if match is not None:
                    signal = f"radio label {control.label!r} ~ /{match.pattern}/ ({match.language}): {how}"
                elif kind == "guest" and control.value.lower() in ("guest", "anonymous"):
                    signal = f"radio value {control.value!r}: {how}"
                else:
                    continue
                located = control_locator(control)
                if located:
                    await self.r.do("checkout", {"check": located[0]}, f"{signal}; located by {located[1]}", 0.85)
                    return
        if not any(c.checked for c in group) and any(c.required for c in group):
            await self.r.todo("checkout", f"required choice {group[0].name!r}: none of its options was recognised")

    async def tick(self, control: Control, located: tuple[Any, str] | None) -> None:
        """A checkbox by what it says: guest, marketing (as the persona consents), terms or required."""
        label = control.label
        for kind in ("guest", "marketing", "terms"):
            match = self.r.lex.is_action(kind, label)
            if match is None and not (kind == "terms" and control.required):
                continue
            if located is None:
                await self.r.todo("checkout", f"checkbox {label!r} has no stable locator")
                return
            signal = f"label {label!r} ~ /{match.pattern}/ ({match.language})" if match else "required checkbox"
            if kind == "marketing":
                await self.r.do(
                    "checkout", {"consent": located[0]}, f"{signal}: marketing consent, as the persona says", 0.8
                )
            else:
                await self.r.do("checkout", {"check": located[0]}, f"{signal}; located by {located[1]}", 0.8)
            return

    async def choose_select(self, control: Control, locator: Any, by: str, kind: str | None, signal: str) -> None:
        """A country by the persona's code or name; otherwise an option that needs no card."""
        options = [(v, t) for v, t in control.options if v]
        if kind == "country":
            code = self.r.s.persona.address.country.upper()
            names = COUNTRY_NAMES.get(code, ())
            for value, text in options:
                if value.upper() == code or text.lower() in names:
                    step = {"select": {"locator": locator, "value": value}}
                    await self.r.do("checkout", step, f"{signal}; option for {code}; located by {by}", 0.85)
                    return
        for _, text in options:
            match = self.r.lex.is_action("no_card", text)
            if match:
                step = {"select": {"locator": locator, "label": text}}
                how = f"option {text!r} ~ /{match.pattern}/ ({match.language}): needs no card; located by {by}"
                await self.r.do("checkout", step, how, 0.8)
                return
        if control.required and not control.value:
            await self.r.todo("checkout", f"required choice {control.label or control.name!r}: no option recognised")
