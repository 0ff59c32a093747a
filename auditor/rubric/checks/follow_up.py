"""Follow-ups to what the customer did after the purchase: feedback, a review, an unsubscribe.

The customer's acts are journaled by timed steps (``- after: 48h`` then ``- do: answer_survey``),
so the clock starts at the act and stops at the store's answer's arrival. Following up feedback
within 48 hours scored 2.9/5 (Mopinion Digital CX Benchmark 2023); only 30% of shops answer most
reviews within 3 days (dentsu Polska). Durations are read on the scenario's clock
(``expectations.time_scale``), so a demo that makes an hour 0.45 s is judged in hours.

An answer is the first message after the act that quotes what the customer wrote (matched to the
journal); failing that, the first support reply after it. A store that has not answered while the
window is still open is ``pending``; at the window's end it is a 0 listing what did arrive.
"""

import re

from pydantic import BaseModel, ConfigDict, Field

from auditor.models import JournalEvent, MessageKind, MessageRecord
from auditor.rubric.context import CheckContext, seconds_words
from auditor.rubric.registry import Need, check
from auditor.rubric.result import CheckResult, event_ref, matched_ref, message_ref

CATEGORY = "response_time"
QUOTE_CHARS = 40


class AnswerParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    within_hours: float = Field(gt=0, description="an answer within this many hours (scenario clock) scores 1")
    late_score: float = Field(default=0.3, ge=0, le=1, description="an answer after that: degraded, a warn")


class FeedbackParams(AnswerParams):
    within_hours: float = Field(default=48, gt=0)


class ReviewParams(AnswerParams):
    within_hours: float = Field(default=72, gt=0)


def _quote(text: str) -> str:
    """A distinctive piece of what the customer wrote, before any ``{placeholder}``, spaces collapsed."""
    plain = " ".join(re.split(r"\{[^}]*\}", text)[0].split())
    return plain[:QUOTE_CHARS].lower()


def _words(record: MessageRecord) -> str:
    return " ".join(f"{record.message.subject}\n{record.text}".split()).lower()


def answer_after(ctx: CheckContext, act: JournalEvent) -> tuple[MessageRecord | None, bool]:
    """The store's answer to ``act`` and whether it was matched by quoting the customer's words.
    A support reply that quotes the customer's other words (the survey, when this is the review)
    answers those, never this."""
    after = ctx.after(act.at)
    quote = _quote(str(act.data.get("text", "")))
    if len(quote) >= 8:
        for record in after:
            if quote in _words(record):
                return record, True
    others = {_quote(str(e.data.get("text", ""))) for e in ctx.record.journal.events if e is not act}
    others = {q for q in others if len(q) >= 8 and q != quote}
    replies = [
        r for r in after if r.evidence.kind == MessageKind.support_reply and not any(q in _words(r) for q in others)
    ]
    return (replies[0] if replies else None), False


def scenario_hours(ctx: CheckContext, seconds: float) -> float:
    """Real seconds as hours on the scenario's clock."""
    return seconds / ctx.record.expectations.time_scale / 3600


def answered(ctx: CheckContext, act: JournalEvent, label: str, params: AnswerParams) -> CheckResult:
    answer, quoted = answer_after(ctx, act)
    if answer is None:
        return CheckResult(
            score=0.0,
            value=f"no answer to the {label}; {ctx.arrived_summary(act.at)}",
            evidence=[event_ref(act, "clock starts")],
            missing=True,
        )
    seconds = max(0.0, (answer.message.arrived_at - act.at).total_seconds())
    hours = scenario_hours(ctx, seconds)
    scale = ctx.record.expectations.time_scale
    clock = "" if scale == 1 else f" on the scenario's clock ({seconds_words(seconds)} real)"
    note = f"answered after {hours:.1f} h"
    ref = matched_ref(answer, _quote(str(act.data.get("text", ""))), note) if quoted else message_ref(answer, note=note)
    value = f"{label} answered after {hours:.1f} h{clock}"
    if hours <= params.within_hours:
        return CheckResult(
            score=1.0, value=f"{value} (within {params.within_hours:g} h)", evidence=[event_ref(act), ref]
        )
    return CheckResult(
        score=params.late_score,
        degraded=True,
        value=f"{value}: late, after the {params.within_hours:g} h that counts",
        evidence=[event_ref(act), ref],
    )


@check(
    "feedback_follow_up",
    title="Feedback is followed up within 48 hours",
    failure_title="Feedback not followed up in time",
    category=CATEGORY,
    params=FeedbackParams,
    needs=(Need.feedback,),
    rationale="Mopinion Digital CX Benchmark 2023: following up feedback within 48 hours scored 2.9/5 (58%); "
    "only 46% always analyse their feedback.",
)
def feedback_follow_up(ctx: CheckContext) -> CheckResult:
    act = ctx.event("feedback_sent")
    assert act is not None  # needs=(Need.feedback,)
    return answered(ctx, act, "feedback", ctx.p(FeedbackParams))


@check(
    "review_answered",
    title="A review is answered within 3 days",
    failure_title="Review not answered in time",
    category=CATEGORY,
    params=ReviewParams,
    needs=(Need.review,),
    rationale="dentsu Polska: only 30% of shops respond to most posts on review platforms within 3 days.",
)
def review_answered(ctx: CheckContext) -> CheckResult:
    act = ctx.event("review_sent")
    assert act is not None  # needs=(Need.review,)
    return answered(ctx, act, "review", ctx.p(ReviewParams))


class UnsubscribeParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    grace_hours: float = Field(default=48, ge=0, description="marketing sent this soon after is forgiven")


@check(
    "unsubscribe_honoured",
    title="Marketing stops after unsubscribing",
    failure_title="Marketing went on after unsubscribing",
    category="hygiene",
    applies_to=(MessageKind.marketing,),
    params=UnsubscribeParams,
    needs=(Need.unsubscribe,),
    rationale="GDPR and ePrivacy: withdrawing consent must be as easy as giving it, and honoured without delay; "
    "bulk senders must honour one-click unsubscribe (Gmail, Yahoo 2024).",
)
def unsubscribe_honoured(ctx: CheckContext) -> CheckResult:
    act = ctx.event("unsubscribed")
    assert act is not None  # needs=(Need.unsubscribe,)
    grace = ctx.p(UnsubscribeParams).grace_hours * 3600 * ctx.record.expectations.time_scale
    later = [m for m in ctx.after(act.at, relevant=True) if (m.message.arrived_at - act.at).total_seconds() > grace]
    if later:
        first = later[0]
        hours = scenario_hours(ctx, (first.message.arrived_at - act.at).total_seconds())
        return CheckResult(
            score=0.0,
            value=f"{len(later)} marketing email(s) after unsubscribing, the first {hours:.1f} h after",
            evidence=[event_ref(act), message_ref(first)],
        )
    # "none came" is a verdict only over the whole window (the runner makes it pending before)
    return CheckResult(
        score=1.0,
        value=f"no marketing email more than {ctx.p(UnsubscribeParams).grace_hours:g} h after unsubscribing",
        evidence=[event_ref(act)],
        missing=True,
    )
