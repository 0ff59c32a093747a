"""What a walk keeps, and the one way it acts: run a step through the shopper, then write it down.

Every piece of the walk (products, cart, checkout, order, question) acts through a ``Recorder``, so
each step in the draft was just run on the real page by the shopper's own ``RunSession``, and each
thing not found is a TODO with the page it was on and a screenshot of it.
"""

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.async_api import Page
from pydantic import BaseModel, Field

from auditor.discover.lexicon import DiscoveryLexicon
from auditor.discover.products import FoundProduct
from auditor.discover.scan import Action, PageScan, scan
from auditor.models.steps import PrimitiveStep
from auditor.shopper.actions import RunSession
from auditor.shopper.errors import StepFailed


class Entry(BaseModel):
    """One profile step and how it was found."""

    step: dict[str, Any] = Field(
        description="the step as the draft writes it: one step kind (visit, click, fill, ...) and its arguments"
    )
    how: str = Field(description="the signal that found it, written beside the step in the draft")
    confidence: float = Field(description="how sure discovery is of the step, 0-1")


class Todo(BaseModel):
    """What a human must finish: the entry it belongs to, on which page, with a screenshot of it."""

    entry: str = Field(description="the profile entry (checkout, place_order, ...) or walk part it belongs to")
    what: str = Field(description="what was not found, for the human who finishes the draft")
    url: str = Field(description="the page it was missing on")
    screenshot: str | None = Field(default=None, description="that page's screenshot; None if it could not be taken")


class Walk(BaseModel):
    """What the walk found: products, the profile's entries, and what is left to a human.

    Only plain data: the page and session the walk acts through stay on the ``Recorder``.
    """

    products: list[FoundProduct] = Field(default_factory=list, description="the two products to buy, a then b")
    profile: dict[str, list[Entry]] = Field(default_factory=dict, description="each profile entry's steps, in order")
    todos: list[Todo] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list, description="what the report says besides steps and TODOs")
    ordered: bool = Field(default=False, description="the order button was pressed: one order was placed")
    order_number: str | None = Field(default=None, description="the order number the thank-you page showed")
    reached_place_order: bool = False


class Recorder:
    """One page and one session the walk's pieces share; ``say`` reports progress."""

    def __init__(
        self,
        session: RunSession,
        lex: DiscoveryLexicon,
        base_url: str,
        shots: Path,
        say: Callable[[str], None],
    ) -> None:
        self.s = session
        self.page: Page = session.page
        self.lex = lex
        self.base_url = base_url
        self.shots = shots
        self.say = say
        self.walk = Walk()
        self.wait_next = False  # after a continue: the next step's element is waited for first

    def rel(self, url: str) -> str:
        """A URL as the profile writes it: relative to the store's base URL when under it."""
        return relative_url(url, self.base_url)

    async def todo(self, entry: str, what: str) -> None:
        """Leave ``what`` to a human, never a guess: the page as it was is kept beside the draft."""
        self.shots.mkdir(parents=True, exist_ok=True)
        shot = self.shots / f"todo-{len(self.walk.todos) + 1}-{entry}.png"
        try:
            await self.page.screenshot(path=shot, full_page=True)
            shown: str | None = str(shot)
        except Exception:  # noqa: BLE001 - a screenshot is a courtesy; the TODO stands without it
            shown = None
        self.walk.todos.append(Todo(entry=entry, what=what, url=self.page.url, screenshot=shown))
        self.say(f"TODO {entry}: {what} ({self.page.url})")

    async def do(
        self, entry: str, step: dict[str, Any], how: str, confidence: float, params: dict | None = None
    ) -> None:
        """Run ``step`` now, as the shopper will, then keep it for the draft."""
        if self.wait_next and _locator_of(step) is not None and "visit" not in step:
            self.wait_next = False
            await self.do(entry, {"wait_for": _locator_of(step)}, "the next step's element, after continue", 0.9)
        parsed = PrimitiveStep.model_validate(step)
        await self.s.run_step(parsed, params or {})
        self.walk.profile.setdefault(entry, []).append(Entry(step=step, how=how, confidence=confidence))

    async def settle(self) -> None:
        """Look at a page only once its requests are done, so a scan sees what a shopper would."""
        with contextlib.suppress(StepFailed):  # a page that never goes quiet (long polling) is looked at as it is
            await self.s.wait_idle(0.4, 20)

    async def find_action(self, kind: str, page_scan: PageScan | None = None) -> tuple[Action, str] | None:
        """The first enabled button or link named for ``kind``, and why; never the order button for another kind."""
        page_scan = page_scan or await scan(self.page)
        for action in page_scan.actions:
            if action.disabled or not action.name:
                continue
            match = self.lex.is_action(kind, action.name)
            if match and not (kind != "place_order" and self.lex.is_action("place_order", action.name)):
                return action, f"accessible name {action.name!r} ~ /{match.pattern}/ ({match.language})"
        return None


def _locator_of(step: dict[str, Any]) -> Any:
    args = next(iter(step.values()))
    if isinstance(args, dict):
        return args.get("locator")
    return args if isinstance(args, str) and "visit" not in step and "wait_for_url" not in step else None


def relative_url(url: str, base: str) -> str:
    """``url`` relative to the store's ``base`` URL when under it (``/product/1``), else as it is."""
    base = base.rstrip("/")
    return (url[len(base) :] or "/") if url.startswith(base) else url
