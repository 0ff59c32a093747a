"""Response times: from the shopper's click (journal) to the message's arrival (mailbox clock).

60% of shoppers mean 10 minutes or less by an "immediate" answer (Omniconvert);
62% of companies never answered a mystery shopper and the average reply took
12 hours (SuperOffice). A late message is "degraded"; one that never arrives
inside the window fails, and the finding lists what did arrive.
"""

from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field, field_validator

from auditor.models import JournalEvent, MessageKind, MessageRecord
from auditor.rubric.context import CheckContext, plural, seconds_words
from auditor.rubric.registry import Need, check
from auditor.rubric.result import CheckResult, event_ref, message_ref, not_applicable

CATEGORY = "response_time"
SKEW_NOTICE_SECONDS = 120


class TimeBand(BaseModel):
    model_config = ConfigDict(extra="forbid")

    within: float = Field(gt=0, description="seconds from the action")
    score: float = Field(ge=0, le=1)


class TimeParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    bands: list[TimeBand] = Field(min_length=1)
    late_score: float = Field(default=0.1, ge=0, le=1, description="arrived after every band: degraded")

    @field_validator("bands")
    @classmethod
    def _ascending(cls, bands: list[TimeBand]) -> list[TimeBand]:
        if [b.within for b in bands] != sorted(b.within for b in bands):
            raise ValueError("bands must be in ascending order of 'within'")
        return bands


def _confirmation_bands() -> list[TimeBand]:
    return [TimeBand(within=60, score=1.0), TimeBand(within=300, score=0.9), TimeBand(within=1800, score=0.6)]


def _reply_bands() -> list[TimeBand]:
    return [
        TimeBand(within=600, score=1.0),
        TimeBand(within=3600, score=0.8),
        TimeBand(within=86400, score=0.5),
        TimeBand(within=172800, score=0.3),
    ]


class ConfirmationTimeParams(TimeParams):
    bands: list[TimeBand] = Field(default_factory=_confirmation_bands, min_length=1)
    late_score: float = Field(default=0.25, ge=0, le=1)


class ReplyTimeParams(TimeParams):
    bands: list[TimeBand] = Field(default_factory=_reply_bands, min_length=1)


def _skew_note(record: MessageRecord) -> str:
    """Say which clock was used, and when the sender's Date header disagrees with arrival."""
    m = record.message
    if m.arrival_source == "date_header":
        return " (measured from the sender's Date header: no mailbox clock)"
    if m.arrival_source == "file_mtime":
        return " (measured from the file's modification time: no mailbox clock)"
    if m.date_header is None:
        return ""
    skew = (m.arrived_at - m.date_header).total_seconds()
    if abs(skew) >= SKEW_NOTICE_SECONDS:
        side = "before" if skew > 0 else "after"
        return f" (its Date header says {seconds_words(abs(skew))} {side} arrival: clock skew or queueing)"
    return ""


def timed(ctx: CheckContext, event: JournalEvent, label: str, params: TimeParams) -> CheckResult:
    """Score the first message of the criterion's kinds after ``event`` against the bands."""
    start = event.at
    arrived = ctx.after(start, relevant=True)
    if not arrived:
        until = ctx.watched_until
        watched = f"watched {seconds_words((until - start).total_seconds())}" if until else "window unknown"
        return CheckResult(
            score=0.0,
            value=f"no {label} arrived within the window ({watched}); {ctx.arrived_summary(start)}",
            evidence=[event_ref(event, "clock starts")],
            missing=True,
        )
    first = arrived[0]
    seconds = max(0.0, (first.message.arrived_at - start).total_seconds())  # see clock_resolution
    refs = [event_ref(event, "clock starts"), message_ref(first, note=f"arrived after {seconds_words(seconds)}")]
    value = f"{label} after {seconds_words(seconds)}{_skew_note(first)}"
    for band in params.bands:
        if seconds <= band.within:
            return CheckResult(
                score=band.score, value=f"{value} (within {seconds_words(band.within)})", evidence=refs, degraded=True
            )
    before = [m for m in ctx.after(start) if m.message.arrived_at < first.message.arrived_at]
    earlier = f"; before it {plural(len(before), 'other email')} arrived" if before else ""
    if before:
        earlier += ": " + "; ".join(ctx.describe(m, start) for m in before[:4])
    return CheckResult(
        score=params.late_score,
        degraded=True,
        value=f"{value}: degraded, later than {seconds_words(params.bands[-1].within)}{earlier}",
        evidence=refs,
    )


@check(
    "confirmation_time",
    title="Order confirmation arrives quickly",
    failure_title="Order confirmation late or missing",
    category=CATEGORY,
    applies_to=(MessageKind.order_confirmation,),
    params=ConfirmationTimeParams,
    needs=(Need.order,),
    rationale="A customer who just paid waits for proof; bands 1 / 5 / 30 min (Omniconvert: 'immediate' "
    "means 10 minutes or less to 60%).",
)
def confirmation_time(ctx: CheckContext) -> CheckResult:
    return timed(ctx, ctx.order_click, "order confirmation", ctx.p(ConfirmationTimeParams))


@check(
    "reply_time",
    title="A question gets a quick first reply",
    failure_title="A question got a late reply, or none",
    category=CATEGORY,
    applies_to=(MessageKind.support_reply,),
    params=ReplyTimeParams,
    needs=(Need.question,),
    rationale="60% define an immediate answer as 10 minutes or less (Omniconvert); 62% of companies never "
    "answered, average 12 h (SuperOffice); follow-up within 48 h (Mopinion).",
)
def reply_time(ctx: CheckContext) -> CheckResult:
    return timed(ctx, ctx.question, "reply", ctx.p(ReplyTimeParams))


class ShippingParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    expect_within_hours: float = Field(default=72, gt=0)


@check(
    "shipping_notification",
    title="A shipping notification arrives",
    failure_title="No shipping notification",
    category=CATEGORY,
    applies_to=(MessageKind.shipping,),
    params=ShippingParams,
    needs=(Need.order,),
    rationale="Tracking numbers and links come in the shipping email; without it the customer has to ask.",
)
def shipping_notification(ctx: CheckContext) -> CheckResult:
    """Not applicable while the window is shorter than the time shipping may take."""
    params = ctx.p(ShippingParams)
    ordered = ctx.order_click
    arrived = ctx.after(ordered.at, relevant=True)
    limit = params.expect_within_hours * 3600
    if arrived:
        seconds = (arrived[0].message.arrived_at - ordered.at).total_seconds()
        score = 1.0 if seconds <= limit else 0.5
        return CheckResult(
            score=score,
            degraded=True,
            value=f"shipping notification after {seconds_words(seconds)}",
            evidence=[event_ref(ordered), message_ref(arrived[0])],
        )
    watched = (ctx.watched_until - ordered.at).total_seconds() if ctx.watched_until else 0.0
    if watched < limit:
        return not_applicable(
            f"watched {seconds_words(watched)}, shorter than the {params.expect_within_hours:g} h shipping may take"
        )
    return CheckResult(
        score=0.0,
        value=f"no shipping notification in {seconds_words(watched)}; {ctx.arrived_summary(ordered.at)}",
        evidence=[event_ref(ordered)],
        missing=True,
    )


class ReviewParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_days_without_delivery: float = Field(
        default=2, ge=0, description="without a delivery email, a review request before this is premature"
    )


@check(
    "review_after_delivery",
    title="Review request only after delivery",
    failure_title="Review requested before the goods could arrive",
    category=CATEGORY,
    applies_to=(MessageKind.review_request,),
    params=ReviewParams,
    needs=(Need.mail,),
    rationale="Asking to review goods not yet received wastes the request and annoys the customer.",
)
def review_after_delivery(ctx: CheckContext) -> CheckResult:
    params = ctx.p(ReviewParams)
    first = ctx.relevant[0]
    delivered = ctx.of_kind(MessageKind.delivery)
    at = first.message.arrived_at
    if delivered:
        when: datetime = delivered[0].message.arrived_at
        ok = at >= when
        words = "after" if ok else "before"
        return CheckResult(
            score=1.0 if ok else 0.0,
            value=f"review request {words} the delivery email",
            evidence=[message_ref(first), message_ref(delivered[0])],
        )
    if ctx.order_at is None:
        return not_applicable("no order and no delivery email to compare with")
    earliest = ctx.order_at + timedelta(days=params.min_days_without_delivery)
    seconds = (at - ctx.order_at).total_seconds()
    ok = at >= earliest
    return CheckResult(
        score=1.0 if ok else 0.0,
        value=f"review request {seconds_words(seconds)} after the order, no delivery email"
        + ("" if ok else f" (before {params.min_days_without_delivery:g} days)"),
        evidence=[message_ref(first)],
    )
