"""The primitive steps (visit, click, fill, select, check, consent, wait_for_url, extract, expect,
screenshot), run against one page with one run's values.

Mistakes retrying cannot fix (a locator that matches nothing) fail at once,
naming the locator and the page; navigation errors and 5xx answers are retried
with backoff a bounded number of times.
"""

import asyncio
import contextlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Locator, Page, Response
from playwright.async_api import TimeoutError as PlaywrightTimeout

from auditor.models import JournalEvent, Money, Persona, Run, ShownOrder, Store
from auditor.models.steps import (
    CheckArgs,
    ClickArgs,
    ConsentArgs,
    ExpectArgs,
    ExtractArgs,
    FillArgs,
    LocatorSpec,
    PrimitiveStep,
    ScreenshotArgs,
    SelectArgs,
    VisitArgs,
    WaitForUrlArgs,
)
from auditor.shopper.errors import StepFailed
from auditor.shopper.extract import extract_order
from auditor.shopper.hooks import RunHooks
from auditor.shopper.locate import locate
from auditor.shopper.options import ShopperOptions
from auditor.shopper.template import render

RETRY_4XX = (408, 429)  # timeouts and rate limits pass; any other 4xx will not


def now() -> datetime:
    return datetime.now(UTC)


def store_url(base_url: str, url: str) -> str:
    """A path is relative to the store's base URL even with a leading slash (``/`` = the store's home)."""
    if re.match(r"^[a-z][a-z0-9+.-]*://", url, re.I):
        return url
    return urljoin(base_url.rstrip("/") + "/", url.lstrip("/"))


@dataclass
class RunSession:
    """One run's page and values; the runner drives it step by step."""

    page: Page
    store: Store
    persona: Persona
    run: Run
    hooks: RunHooks
    options: ShopperOptions
    artifacts_dir: Path
    values: dict[str, Any]
    artifacts: list[Path] = field(default_factory=list)
    order_submitted: bool = False
    shown: ShownOrder | None = None
    last_total: Money | None = None
    document_error: tuple[int, str] | None = None
    error_answer: str | None = None  # the store's last error answer to a request of ours ("HTTP 500 to POST …")
    dialogs: list[str] = field(default_factory=list)  # what the store said in alert()/confirm() boxes
    before_order_click: Any = None  # async callable run before a click that submits an order (the guard)
    _order_answer: "asyncio.Future[Response] | None" = None

    def __post_init__(self) -> None:
        self.page.on("response", self._watch_response)
        self.page.on("dialog", self._on_dialog)

    def _watch_response(self, response: Response) -> None:
        """Remember the store's answers that explain a failure, and notice the answer to the order click.

        An error answer to a main-frame navigation (a form post the store refused or crashed on) fails
        the step; it is never repeated, since it may have placed an order. An error answer to a
        background request (XHR/fetch: AJAX checkouts) does not fail by itself, but is named in the
        reason if a later step fails."""
        request = response.request
        navigation = request.is_navigation_request() and request.frame == self.page.main_frame
        if navigation:
            self.document_error = (response.status, response.url) if response.status >= 400 else None
        if response.status >= 400 and (navigation or request.resource_type in ("xhr", "fetch", "document")):
            self.error_answer = f"HTTP {response.status} to {request.method} {response.url}"
        waiting = self._order_answer
        if waiting is not None and not waiting.done() and (navigation or request.method != "GET"):
            waiting.set_result(response)

    async def _on_dialog(self, dialog: Any) -> None:
        """A store's alert() is its own error text: keep it for the failure reason, and close the box."""
        self.dialogs.append(" ".join(dialog.message.split())[:300])
        with contextlib.suppress(PlaywrightError):  # the page went away with its dialog
            await dialog.dismiss()

    def store_answer(self) -> str | None:
        """What the store itself said, for a failure message: its last error answer and alert text."""
        parts = [f"the store answered {self.error_answer}"] if self.error_answer else []
        if self.dialogs:
            parts.append(f"the store said: {self.dialogs[-1]!r}")
        return "; ".join(parts) or None

    def render(self, text: str, params: dict[str, Any]) -> str:
        return render(text, {**self.values, **params})

    async def record(self, kind: str, step: str | None = None, at: datetime | None = None, **data: Any) -> None:
        await self.hooks.record(JournalEvent(at=at or now(), kind=kind, step=step, data=data))

    async def run_step(self, step: PrimitiveStep, params: dict[str, Any], submits: str | None = None) -> None:
        """Run one primitive step; ``submits`` marks the click that sends an order or a question."""
        handler = getattr(self, f"_{step.kind}")
        if step.kind == "click":
            await handler(step.args, params, submits or step.args.submits)
        else:
            await handler(step.args, params)
        if self.document_error is not None:
            status, url = self.document_error
            raise StepFailed(f"the store answered HTTP {status} at {url}")

    # ------------------------------------------------------------ finding things

    async def _find(self, spec: LocatorSpec, params: dict[str, Any]) -> Locator:
        """The element an action targets: the first visible match; fail at once if none appears."""
        loc = locate(self.page, spec, lambda t: self.render(t, params))
        target = loc if spec.nth is not None else loc.filter(visible=True).first
        try:
            await target.wait_for(state="visible", timeout=self.options.locator_timeout * 1000)
        except PlaywrightTimeout:
            count = await loc.count()
            what = f"matched {count} element(s), none visible" if count else "matched nothing"
            raise StepFailed(f"locator {spec.describe()} {what} on {self.page.url}") from None
        return target

    # ------------------------------------------------------------ the steps

    async def _visit(self, args: VisitArgs, params: dict[str, Any]) -> None:
        url = store_url(self.store.base_url, self.render(args.url, params))
        await self.goto(url)

    async def goto(self, url: str) -> None:
        """Load ``url``, retrying navigation errors, 5xx, 408 and 429 answers with doubling backoff."""
        attempts = self.options.retries + 1
        last = ""
        for attempt in range(attempts):
            if attempt:
                await asyncio.sleep(self.options.retry_backoff * 2 ** (attempt - 1))
            try:
                response = await self.page.goto(url, timeout=self.options.navigation_timeout * 1000)
            except PlaywrightError as exc:
                last = exc.message.splitlines()[0]
                continue
            if response is None or response.status < 400:
                self.document_error = None
                return
            last = f"HTTP {response.status}"
            if response.status < 500 and response.status not in RETRY_4XX:
                raise StepFailed(f"could not load {url}: {last} (not retried: the address is wrong or refused)")
        raise StepFailed(f"could not load {url}: {last} (after {attempts} attempts)")

    async def _click(self, args: ClickArgs, params: dict[str, Any], submits: str | None = None) -> None:
        target = await self._find(args.locator, params)
        if submits == "order" and self.before_order_click is not None:
            await self.before_order_click()
        at, url = now(), self.page.url
        if submits == "order":
            # journaled before the click: if the click dies after the store took the order, a resumed
            # campaign must still see it and never buy again
            self.order_submitted = True
            self._order_answer = asyncio.get_running_loop().create_future()
            await self.record("order_submitted", "place_order", at=at, url=url)
        await target.click(timeout=self.options.action_timeout * 1000)
        if submits == "order":
            await self._await_order_answer()
        if submits == "question":
            await self.record("question_sent", "ask_question", at=at, url=url)

    async def _await_order_answer(self) -> None:
        """Journal ``order_answered`` once the store answers the order click (a navigation, or any
        non-GET request it made): a run resumed without that event cannot know whether the store has
        the order, and is marked interrupted instead of judged. No answer within the navigation
        timeout is not a failure here: the steps that follow say what the page did."""
        waiting = self._order_answer
        if waiting is None:
            return
        try:
            response = await asyncio.wait_for(asyncio.shield(waiting), self.options.navigation_timeout)
        except TimeoutError:
            return
        finally:
            self._order_answer = None
        request = response.request
        await self.record(
            "order_answered", "place_order", status=response.status, method=request.method, url=response.url
        )

    async def _fill(self, args: FillArgs, params: dict[str, Any]) -> None:
        target = await self._find(args.locator, params)
        await target.fill(self.render(args.value, params), timeout=self.options.action_timeout * 1000)

    async def _select(self, args: SelectArgs, params: dict[str, Any]) -> None:
        target = await self._find(args.locator, params)
        by_value = args.value is not None
        wanted = self.render(args.value if by_value else args.label or "", params)
        choices: list[list[str]] = await target.locator("option").evaluate_all(
            "els => els.map(e => [e.value, (e.textContent || '').trim()])"
        )
        if not any((value if by_value else label) == wanted for value, label in choices):
            shown = ", ".join(repr(value if by_value else label) for value, label in choices) or "none"
            kind = "value" if by_value else "label"
            raise StepFailed(
                f"{args.locator.describe()} has no option with {kind} {wanted!r} on {self.page.url} (it has: {shown})"
            )
        timeout = self.options.action_timeout * 1000
        if by_value:
            await target.select_option(value=wanted, timeout=timeout)
        else:
            await target.select_option(label=wanted, timeout=timeout)

    async def _check(self, args: CheckArgs, params: dict[str, Any]) -> None:
        target = await self._find(args.locator, params)
        await target.set_checked(args.checked, timeout=self.options.action_timeout * 1000)

    async def _consent(self, args: ConsentArgs, params: dict[str, Any]) -> None:
        target = await self._find(args.locator, params)
        await target.set_checked(self.persona.marketing_consent, timeout=self.options.action_timeout * 1000)

    async def _wait_for_url(self, args: WaitForUrlArgs, params: dict[str, Any]) -> None:
        pattern: str | re.Pattern[str] = (
            self.render(args.url, params) if args.url is not None else re.compile(args.regex or "")
        )
        try:
            await self.page.wait_for_url(pattern, timeout=args.timeout * 1000)
        except PlaywrightTimeout:
            shown = args.url if args.url is not None else f"/{args.regex}/"
            at = self.page.url
            raise StepFailed(f"the page never reached {shown} within {args.timeout:g} s; it is at {at}") from None

    async def _extract(self, args: ExtractArgs, params: dict[str, Any]) -> None:
        await self.page.wait_for_load_state()
        order, notes = await extract_order(self.page, args, self.store, lambda t: self.render(t, params))
        kind = args.event or ("order_shown" if self.order_submitted else "cart_shown")
        if order.total is not None:
            self.last_total = order.total
        if kind == "order_shown":
            self.shown = order
        data = order.model_dump(mode="json")
        await self.record(kind, "extract", url=self.page.url, unknown=notes, **data)

    async def _expect(self, args: ExpectArgs, params: dict[str, Any]) -> None:
        timeout = args.timeout * 1000
        try:
            if args.url is not None:
                await self.page.wait_for_url(self.render(args.url, params), timeout=timeout)
            if args.locator is not None:
                loc = locate(self.page, args.locator, lambda t: self.render(t, params))
                if args.text is not None:
                    loc = loc.filter(has_text=self.render(args.text, params))
                await loc.first.wait_for(state="visible", timeout=timeout)
            elif args.text is not None:
                await self.page.get_by_text(self.render(args.text, params)).first.wait_for(
                    state="visible", timeout=timeout
                )
        except PlaywrightTimeout:
            parts = [f"url {args.url!r}" if args.url else "", args.locator.describe() if args.locator else ""]
            parts.append(f"text {args.text!r}" if args.text else "")
            wanted = " with ".join(p for p in parts if p)
            raise StepFailed(f"expected {wanted} on {self.page.url}, not shown within {args.timeout:g} s") from None

    async def _screenshot(self, args: ScreenshotArgs, params: dict[str, Any]) -> None:
        path = self.artifacts_dir / f"{self.render(args.name, params)}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        await self.page.screenshot(path=path, full_page=args.full_page)
        self.artifacts.append(path)
        await self.record("screenshot", "screenshot", path=str(path), url=self.page.url)
