"""The primitive steps (visit, click, fill, select, check, consent, wait_for_url, extract, expect,
screenshot, wait_for, wait_for_idle), run against one page with one run's values.

Mistakes retrying cannot fix (a locator that matches nothing) fail at once,
naming the locator and the page; navigation errors and 5xx answers are retried
with backoff a bounded number of times.
"""

import asyncio
import contextlib
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import Locator, Page, Request, Response
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
    WaitForArgs,
    WaitForIdleArgs,
    WaitForUrlArgs,
)
from auditor.shopper.errors import StepFailed
from auditor.shopper.extract import extract_order
from auditor.shopper.hooks import RunHooks
from auditor.shopper.locate import locate
from auditor.shopper.options import ShopperOptions
from auditor.shopper.template import render

RETRY_4XX = (408, 429)  # timeouts and rate limits pass; any other 4xx will not
COVERED = ("intercepts pointer events", "element is not stable", "element is outside of the viewport")

# True once the element is shown, enabled (if asked) and stable (if asked): no finite animation running on
# it or an ancestor, and its box unchanged for ``quiet`` ms. Called on every animation frame.
_READY_JS = """(el, o) => {
  if (!el.isConnected) return false;
  const r = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  if ((r.width === 0 && r.height === 0) || style.visibility === 'hidden') return false;
  if (o.enabled && (el.disabled || el.closest('fieldset[disabled]') || el.getAttribute('aria-disabled') === 'true'))
    return false;
  if (!o.stable) return true;
  for (let n = el; n; n = n.parentElement) {
    for (const a of n.getAnimations ? n.getAnimations() : []) {
      const t = a.effect && a.effect.getComputedTiming ? a.effect.getComputedTiming() : {};
      if ((a.playState === 'running' || a.playState === 'pending') && t.iterations !== Infinity) return false;
    }
  }
  const box = [r.x, r.y, r.width, r.height].join(',');
  const now = performance.now();
  if (el.__auditorBox !== box) { el.__auditorBox = box; el.__auditorSince = now; return false; }
  return now - el.__auditorSince >= o.quiet;
}"""


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
    _pending: dict[Request, float] = field(default_factory=dict)  # requests in flight (wait_for_idle)
    _last_settled: float = 0.0  # loop time the last request ended

    def __post_init__(self) -> None:
        self.page.on("response", self._watch_response)
        self.page.on("dialog", self._on_dialog)
        self.page.on("request", self._request_started)
        self.page.on("requestfinished", self._request_ended)
        self.page.on("requestfailed", self._request_ended)

    def _request_started(self, request: Request) -> None:
        self._pending[request] = asyncio.get_running_loop().time()

    def _request_ended(self, request: Request) -> None:
        self._pending.pop(request, None)
        self._last_settled = asyncio.get_running_loop().time()

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
        if step.when is not None and not await self._present(step.when, params):
            await self.record("step_skipped", step.kind, when=step.when.describe(), url=self.page.url)
            return
        handler = getattr(self, f"_{step.kind}")
        if step.kind == "click":
            await handler(step.args, params, submits or step.args.submits)
        else:
            await handler(step.args, params)
        if self.document_error is not None:
            status, url = self.document_error
            raise StepFailed(f"the store answered HTTP {status} at {url}")

    # ------------------------------------------------------------ finding things

    def _target(self, spec: LocatorSpec, params: dict[str, Any]) -> tuple[Locator, Locator]:
        """(every match, the one an action takes: the first visible, or the ``nth``)."""
        loc = locate(self.page, spec, lambda t: self.render(t, params))
        return loc, loc if spec.nth is not None else loc.filter(visible=True).first

    async def _not_found(self, spec: LocatorSpec, loc: Locator) -> StepFailed:
        count = await loc.count()
        what = f"matched {count} element(s), none visible" if count else "matched nothing"
        return StepFailed(f"locator {spec.describe()} {what} on {self.page.url}")

    async def _find(self, spec: LocatorSpec, params: dict[str, Any]) -> Locator:
        """The element an action targets: the first visible match; fail at once if none appears."""
        loc, target = self._target(spec, params)
        try:
            await target.wait_for(state="visible", timeout=self.options.locator_timeout * 1000)
        except PlaywrightTimeout:
            raise await self._not_found(spec, loc) from None
        return target

    async def _act(
        self, spec: LocatorSpec, params: dict[str, Any], act: Callable[[Locator, float], Awaitable[None]]
    ) -> None:
        """An action that may safely be started twice (fill, check) in one round trip to the browser when
        its element is there: the action's own wait spans the locator's time. Only when that runs out is
        it told apart whether nothing is shown (the step fails at once, as with ``_find``) or the element
        is shown but not ready yet (the action gets the rest of its time). Clicks keep ``_find``: a click
        is never started twice."""
        loc, target = self._target(spec, params)
        try:
            return await act(target, self.options.locator_timeout * 1000)
        except PlaywrightTimeout:
            if not await target.is_visible():
                raise await self._not_found(spec, loc) from None
        await act(target, max(self.options.action_timeout - self.options.locator_timeout, 1.0) * 1000)

    async def _present(self, spec: LocatorSpec, params: dict[str, Any]) -> bool:
        """Whether ``spec`` matches a visible element now (``when:``): no waiting, the page decides."""
        loc = locate(self.page, spec, lambda t: self.render(t, params))
        return await loc.filter(visible=True).count() > 0

    async def wait_idle(self, quiet: float, timeout: float) -> None:
        """Return once no request has been pending for ``quiet`` s; fail after ``timeout`` s naming what hangs.

        The quiet period also covers a request the last action is about to start: the page's fetch()
        reaches us as an event a moment after the click returns."""
        loop = asyncio.get_running_loop()
        start = loop.time()
        deadline = start + timeout
        while True:
            now_ = loop.time()
            if not self._pending and now_ - max(self._last_settled, start) >= quiet:
                return
            if now_ >= deadline:
                hanging = ", ".join(f"{r.method} {r.url}" for r in list(self._pending)[:3])
                raise StepFailed(
                    f"the page did not go quiet within {timeout:g} s on {self.page.url}"
                    + (f" (still pending: {hanging})" if hanging else "")
                )
            await asyncio.sleep(0.05)

    async def wait_ready(self, target: Locator, *, enabled: bool, stable: bool, quiet: float, timeout: float) -> None:
        """Wait until ``target`` (one element) is shown, enabled and stable; raises PlaywrightTimeout."""
        await target.wait_for(state="visible", timeout=timeout * 1000)
        if not (enabled or stable):
            return
        handle = await target.element_handle(timeout=timeout * 1000)
        options = {"enabled": enabled, "stable": stable, "quiet": quiet * 1000}
        await self.page.wait_for_function(
            f"([el, o]) => ({_READY_JS})(el, o)", arg=[handle, options], polling="raf", timeout=timeout * 1000
        )

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
        if args.retry_covered:
            await self._wait_uncovered(target, args)
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
        if args.idle:
            await self.wait_idle(0.5, self.options.navigation_timeout)

    async def _wait_uncovered(self, target: Locator, args: ClickArgs) -> None:
        """Before a ``retry_covered`` click: a trial click (Playwright's actionability checks, nothing sent)
        until the target would receive it. Covered past the action timeout, wait for the network to go
        quiet and the target to stand still, and try again; the last refusal fails the step."""
        timeout = self.options.action_timeout
        for attempt in range(args.retry_covered + 1):
            try:
                await target.click(trial=True, timeout=timeout * 1000)
                return
            except PlaywrightTimeout as exc:
                covered = any(reason in exc.message for reason in COVERED)
                if not covered or attempt == args.retry_covered:
                    why = _covering(exc.message)
                    raise StepFailed(
                        f"{args.locator.describe()} stayed covered on {self.page.url} after "
                        f"{attempt + 1} attempt(s){': ' + why if why else ''}"
                    ) from None
                await self.record("click_retried", "click", attempt=attempt + 1, reason=_covering(exc.message))
                with contextlib.suppress(StepFailed):
                    await self.wait_idle(0.3, timeout)
                with contextlib.suppress(PlaywrightTimeout):
                    await self.wait_ready(target, enabled=True, stable=True, quiet=0.1, timeout=timeout)

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
        value = self.render(args.value, params)
        await self._act(args.locator, params, lambda target, timeout: target.fill(value, timeout=timeout))

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
        await self._act(args.locator, params, lambda target, timeout: target.set_checked(args.checked, timeout=timeout))

    async def _consent(self, args: ConsentArgs, params: dict[str, Any]) -> None:
        wanted = self.persona.marketing_consent
        await self._act(args.locator, params, lambda target, timeout: target.set_checked(wanted, timeout=timeout))

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

    async def _wait_for(self, args: WaitForArgs, params: dict[str, Any]) -> None:
        loc = locate(self.page, args.locator, lambda t: self.render(t, params))
        target = loc if args.locator.nth is not None or args.state != "visible" else loc.filter(visible=True).first
        try:
            if args.state != "visible":
                await target.first.wait_for(state=args.state, timeout=args.timeout * 1000)
            else:
                await self.wait_ready(
                    target, enabled=args.enabled, stable=args.stable, quiet=args.quiet, timeout=args.timeout
                )
        except PlaywrightTimeout:
            wanted = args.state
            if args.state == "visible":
                wanted += ", enabled" * args.enabled + ", stable" * args.stable
            raise StepFailed(
                f"{args.locator.describe()} was not {wanted} within {args.timeout:g} s on {self.page.url}"
            ) from None

    async def _wait_for_idle(self, args: WaitForIdleArgs, params: dict[str, Any]) -> None:
        await self.wait_idle(args.quiet, args.timeout)

    async def _screenshot(self, args: ScreenshotArgs, params: dict[str, Any]) -> None:
        path = self.artifacts_dir / f"{self.render(args.name, params)}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        await self.page.screenshot(path=path, full_page=args.full_page)
        self.artifacts.append(path)
        await self.record("screenshot", "screenshot", path=str(path), url=self.page.url)


def _covering(message: str) -> str:
    """The line of Playwright's log that says what covered the target (``<div id=spinner> intercepts ...``)."""
    lines = [line.strip(" -") for line in message.splitlines() if "intercepts pointer events" in line]
    return lines[-1] if lines else ""
