"""The runner's answer when a check's needs are not met, decided here once for every check.

A check declares what it needs (``@check(..., needs=(Need.confirmation,))``) and then only
judges; it never tests for the order or hunts for the confirmation itself. When a need is
missing, the answer depends on why, the same way for every check present and future:

- the scenario never asked for it (no order step, no question): not applicable;
- the run stopped before it could happen (failed, dry, interrupted, still running): incomplete;
- the order was placed and the run watched its whole window, yet no confirmation came: 0, naming
  what did arrive, so a silent store never looks complete.
"""

from auditor.rubric.context import CheckContext
from auditor.rubric.honesty import unscored_reason, watch_cut_short, window_open
from auditor.rubric.registry import ACTS, Need
from auditor.rubric.result import CheckResult, event_ref, incomplete, not_applicable, pending


def _not_asked(reason: str, ctx: CheckContext, act: str | None = None) -> CheckResult:
    """Not applicable when the run ran its course without it; incomplete when it stopped first;
    pending when a timed step that does it is scheduled and the window is not over."""
    stopped = unscored_reason(ctx.record)
    if stopped:
        return incomplete(f"{reason}: {stopped}")
    open_ = window_open(ctx.record)
    scheduled = [
        e for e in ctx.record.journal.events if e.kind == "timed_step_scheduled" and act in e.data.get("acts", [])
    ]
    if act and open_ and scheduled:
        return pending(f"{reason} yet: a timed step does it at {scheduled[0].data.get('due_at', '?')}; {open_}")
    return not_applicable(reason)


def unmet(needs: tuple[Need, ...], ctx: CheckContext) -> CheckResult | None:
    """The finding for the first need ``ctx`` does not meet, or None when the check may judge."""
    wanted = set(needs)
    if Need.confirmation in wanted:
        wanted.add(Need.order)
    if Need.order in wanted and ctx.order_event is None:
        return _not_asked("no order placed in this run", ctx)
    if Need.question in wanted and ctx.question_event is None:
        return _not_asked("no question asked in this run", ctx)
    for need in (Need.feedback, Need.review, Need.unsubscribe):
        if need in wanted and ctx.event(ACTS[need]) is None:
            return _not_asked(f"no {ACTS[need].replace('_', ' ')} in this run", ctx, ACTS[need])
    if Need.confirmation in wanted and ctx.confirmation is None:
        assert ctx.order_event is not None  # checked above
        return CheckResult(
            score=0.0,
            value=f"no order confirmation arrived; {ctx.arrived_summary(ctx.order_at)}",
            evidence=[event_ref(ctx.order_event, "order placed")],
            missing=True,
        )
    if Need.mail in wanted and not ctx.relevant:
        cut = watch_cut_short(ctx.record)
        kinds = f"{ctx.kinds_words} email" if ctx.applies_to else "email"
        reason = f"no {kinds} to read; {ctx.arrived_summary()}"
        if open_ := window_open(ctx.record):
            return pending(f"{reason}; {open_}")
        return incomplete(f"{reason}; not judged: {cut}") if cut else not_applicable(reason)
    return None


def settle(result: CheckResult, ctx: CheckContext) -> CheckResult:
    """ "Nothing arrived" is a verdict only when the run watched its whole window; otherwise incomplete."""
    if not result.missing:
        return result
    if open_ := window_open(ctx.record):
        return pending(f"{result.value}; not judged yet: {open_}", result.evidence)
    cut = watch_cut_short(ctx.record)
    return incomplete(f"{result.value}; not judged: {cut}", result.evidence) if cut else result
