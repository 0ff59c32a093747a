"""Run one scenario on one store as one persona: the shopping half of a run.

One new browser context per run (cookies, cart and trace are the run's own);
every step is journaled through the hooks as it happens; a failure leaves
artifacts under ``artifacts_dir`` and a ShopperResult that says which step and
why, never an exception the campaign has to catch.
"""

from contextlib import nullcontext
from pathlib import Path

from playwright.async_api import Browser, BrowserContext, Page
from playwright.async_api import Error as PlaywrightError

from auditor.models import JournalEvent, Message, Persona, Run, Store
from auditor.models.scenario import Scenario
from auditor.models.steps import PrimitiveStep
from auditor.shopper.actions import RunSession, now
from auditor.shopper.artifacts import save_failure
from auditor.shopper.errors import DryRunStop, PurchaseRefused, StepFailed
from auditor.shopper.guard import check_purchase
from auditor.shopper.hooks import RunHooks
from auditor.shopper.options import ShopperOptions
from auditor.shopper.result import FailedStep, ShopperResult
from auditor.shopper.template import step_params, template_context

SUBMITS = {"place_order": "order", "ask_question": "question"}


def missing_profile_steps(scenario: Scenario, store: Store) -> list[tuple[int, str]]:
    """(index, profile entry) for each scenario step this store's profile cannot expand."""
    return [
        (i, s.profile_step)
        for i, s in enumerate(scenario.steps)
        if s.profile_step and s.profile_step not in store.profile
    ]


def submit_index(name: str, steps: list[PrimitiveStep]) -> int | None:
    """Which profile step sends the order/question: the click marked ``submits``, else the last click."""
    if name not in SUBMITS or not steps:  # an empty entry: the store does not offer it, nothing is sent
        return None
    clicks = [i for i, s in enumerate(steps) if s.kind == "click"]
    marked = [i for i in clicks if _submits(steps[i]) == SUBMITS[name]]
    if marked:
        return marked[0]
    if not clicks:
        raise StepFailed(f"the store's profile '{name}' has no click that submits the {SUBMITS[name]}")
    return clicks[-1]


def _submits(step: PrimitiveStep) -> str | None:
    return step.click.submits if step.click is not None else None


async def run_scenario(
    scenario: Scenario,
    store: Store,
    persona: Persona,
    run: Run,
    *,
    browser: Browser,
    hooks: RunHooks,
    artifacts_dir: Path,
    options: ShopperOptions | None = None,
    start_at: int = 0,
) -> ShopperResult:
    """Drive ``browser`` through ``scenario`` on ``store``; journal through ``hooks``; never raise for a
    store's fault (the result says failed, which step, why, and where the artifacts are).

    ``start_at`` skips the steps before it: a campaign resuming a run whose order was already
    placed goes on with the steps after it, and never places the order twice."""
    options = options or ShopperOptions()
    missing = missing_profile_steps(scenario, store)
    if missing:
        index, name = missing[0]
        reason = f"store '{store.id}' has no profile step '{name}' (it has: {', '.join(store.profile) or 'none'})"
        await _record_failure(hooks, index, scenario.steps[index].kind, reason, None, None)
        return ShopperResult(
            ok=False, failed_step=FailedStep(index=index, kind=scenario.steps[index].kind), reason=reason
        )
    async with options.limiter or nullcontext():
        tracing = options.trace in ("on_failure", "always")
        result = await _attempt(
            scenario, store, persona, run, browser, hooks, artifacts_dir, options, start_at, tracing
        )
        if result.ok or options.trace != "on_retry" or not _worth_a_retry(result):
            return result
        # failed before anything was bought: once more, recording a trace of what goes wrong (a flaky
        # store passes now; a broken one leaves the trace a person needs); never after the order click
        await hooks.record(
            JournalEvent(
                at=now(), kind="run_retried", data={"reason": result.reason, "trace": True, "start_at": start_at}
            )
        )
        retry = await _attempt(
            scenario, store, persona, run, browser, hooks, artifacts_dir / "retry", options, start_at, True
        )
        return retry.model_copy(update={"retried": result.reason, "artifacts": [*result.artifacts, *retry.artifacts]})


def _worth_a_retry(result: ShopperResult) -> bool:
    """A retry may only repeat what cannot buy twice: the failure came before the order click, and
    was not the purchase guard saying no (that answer will not change)."""
    return not result.order_clicked and not result.purchase_refused


async def _attempt(
    scenario: Scenario,
    store: Store,
    persona: Persona,
    run: Run,
    browser: Browser,
    hooks: RunHooks,
    artifacts_dir: Path,
    options: ShopperOptions,
    start_at: int,
    tracing: bool,
) -> ShopperResult:
    context = await browser.new_context(locale=persona.language, timezone_id=persona.timezone, accept_downloads=False)
    try:
        return await _shop(scenario, store, persona, run, context, hooks, artifacts_dir, options, start_at, tracing)
    finally:
        await context.close()


async def _shop(
    scenario: Scenario,
    store: Store,
    persona: Persona,
    run: Run,
    context: BrowserContext,
    hooks: RunHooks,
    artifacts_dir: Path,
    options: ShopperOptions,
    start_at: int = 0,
    tracing: bool = False,
) -> ShopperResult:
    if tracing:
        await context.tracing.start(screenshots=True, snapshots=True)
    page: Page = await context.new_page()
    page.set_default_timeout(options.action_timeout * 1000)
    page.set_default_navigation_timeout(options.navigation_timeout * 1000)
    session = RunSession(
        page=page,
        store=store,
        persona=persona,
        run=run,
        hooks=hooks,
        options=options,
        artifacts_dir=artifacts_dir,
        values=template_context(persona, run, store),
    )

    async def guard() -> None:
        if options.dry_run:
            raise DryRunStop("dry run: stopped before the order click")
        check_purchase(scenario, store, options, session.last_total)

    session.before_order_click = guard
    mail: list[Message] = []
    index, step, detail = start_at, scenario.steps[min(start_at, len(scenario.steps) - 1)], None
    try:
        for index, step in enumerate(scenario.steps):
            if index < start_at:
                continue
            detail = None
            if step.kind == "place_order" and options.dry_run:
                raise DryRunStop(f"dry run: stopped before place_order (step {index})")
            await session.record("step_started", step.kind, index=index)
            if step.wait_for_mail is not None:
                w = step.wait_for_mail
                got = await hooks.wait_for_mail(list(w.kinds), w.timeout, w.settle)
                mail.extend(got)
                await session.record("mail_waited", step.kind, kinds=list(w.kinds), received=len(got))
            elif step.profile_step:
                name = step.profile_step
                subs = store.profile[name]
                params = step_params(step.params, store, session.values)
                marked = submit_index(name, subs)
                for j, sub in enumerate(subs):
                    detail = f"{name}[{j}].{sub.kind}"
                    await session.run_step(sub, params, submits=SUBMITS[name] if j == marked else None)
                detail = None
            else:
                await session.run_step(step, {})
            await session.record("step_done", step.kind, index=index)
    except DryRunStop as stop:
        await session.record("dry_run_stopped", step.kind, index=index, reason=str(stop))
        artifacts = await _finish_trace(context, artifacts_dir, tracing and options.trace == "always")
        return _result(True, session, page, artifacts, mail, stopped=str(stop))

    except (StepFailed, PlaywrightError) as exc:
        reason = _reason(exc, detail, session.store_answer())
        url = page.url if not page.is_closed() else None
        failed = FailedStep(index=index, kind=step.kind, detail=detail)
        about = {"run_id": run.id, "store": store.id, "step": failed.model_dump(), "reason": reason, "url": url}
        written = await save_failure(page, context, artifacts_dir, about, trace=tracing)
        session.artifacts.extend(written)
        await _record_failure(hooks, index, step.kind, reason, detail, url, [str(p) for p in written])
        refused = isinstance(exc, PurchaseRefused)
        return _result(False, session, page, [], mail, failed=failed, reason=reason, refused=refused)
    artifacts = await _finish_trace(context, artifacts_dir, tracing and options.trace == "always")
    return _result(True, session, page, artifacts, mail)


def _reason(exc: StepFailed | PlaywrightError, detail: str | None, store_answer: str | None = None) -> str:
    """One line saying why, led by the profile step when it was one (``checkout[2].click: ...``), and
    ending with what the store itself answered when that explains it (an HTTP 5xx to the order
    request, an alert with the store's error text): "the page never reached /thank-you" alone hides
    the cause."""
    if isinstance(exc, StepFailed):
        first = exc.reason
    else:
        first = exc.message.strip().splitlines()[0] if exc.message.strip() else type(exc).__name__
    if store_answer and store_answer not in first and not (first.startswith("the store answered")):
        first = f"{first} ({store_answer})"
    return f"{detail}: {first}" if detail else first


async def _finish_trace(context: BrowserContext, artifacts_dir: Path, keep: bool) -> list[Path]:
    if not keep:
        return []
    artifacts_dir.mkdir(parents=True, exist_ok=True)
    path = artifacts_dir / "trace.zip"
    await context.tracing.stop(path=path)
    return [path]


async def _record_failure(
    hooks: RunHooks,
    index: int,
    kind: str,
    reason: str,
    detail: str | None,
    url: str | None,
    artifacts: list[str] | None = None,
) -> None:
    data = {"index": index, "reason": reason, "detail": detail, "url": url, "artifacts": artifacts or []}
    await hooks.record(JournalEvent(at=now(), kind="step_failed", step=kind, data=data))


def _result(
    ok: bool,
    session: RunSession,
    page: Page,
    extra: list[Path],
    mail: list[Message],
    *,
    failed: FailedStep | None = None,
    reason: str | None = None,
    stopped: str | None = None,
    refused: bool = False,
) -> ShopperResult:
    return ShopperResult(
        ok=ok,
        failed_step=failed,
        reason=reason,
        stopped=stopped,
        url=page.url if not page.is_closed() else None,
        artifacts=[*session.artifacts, *extra],
        shown_order=session.shown,
        mail=mail,
        order_clicked=session.order_submitted,
        purchase_refused=refused,
    )
