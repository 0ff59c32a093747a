"""Frequency: how much mail the store sends, and when.

dentsu Polska saw shops send up to 5 different emails in the first 30 minutes
after an order; a real bug class sends the same confirmation 3-4 times.
"""

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, model_validator

from auditor.models import MessageKind, MessageRecord
from auditor.rubric.context import CheckContext, plural, seconds_words
from auditor.rubric.registry import Need, check
from auditor.rubric.result import CheckResult, event_ref, message_ref, not_applicable

CATEGORY = "frequency"
STORE_INITIATED = tuple(k for k in MessageKind if k is not MessageKind.support_reply)
UNPROMPTED = (MessageKind.marketing, MessageKind.review_request, MessageKind.abandoned_cart, MessageKind.other)


def _linear(count: int, best: int, worst: int) -> float:
    """1 up to ``best``, 0 from ``worst`` on, a straight line between."""
    if count <= best:
        return 1.0
    if count >= worst:
        return 0.0
    return 1.0 - (count - best) / (worst - best)


class VolumeParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    window_minutes: float | None = Field(default=30, gt=0, description="None: the whole observation window")
    max_emails: int = Field(default=2, ge=0, description="up to this many scores 1")
    worst: int = Field(default=5, ge=1, description="this many or more scores 0")

    @model_validator(mode="after")
    def _ordered(self) -> "VolumeParams":
        if self.worst <= self.max_emails:
            raise ValueError(f"worst ({self.worst}) must be above max_emails ({self.max_emails})")
        return self


@check(
    "emails_after_order",
    title="Few emails right after the order",
    failure_title="Too many emails right after the order",
    category=CATEGORY,
    applies_to=STORE_INITIATED,
    params=VolumeParams,
    needs=(Need.order,),
    rationale="Shops sent up to 5 different emails in the first 30 minutes after an order (dentsu Polska).",
)
def emails_after_order(ctx: CheckContext) -> CheckResult:
    """Emails the store started (replies excluded) in the window after the order click."""
    params = ctx.p(VolumeParams)
    ordered = ctx.order_click
    seconds = params.window_minutes * 60 if params.window_minutes else None
    inside = ctx.after(ordered.at, seconds, relevant=True)
    span = f"{params.window_minutes:g} min" if params.window_minutes else "the observation window"
    value = f"{plural(len(inside), 'email')} in {span} after the order"
    if inside:
        kinds = Counter(m.evidence.kind.value for m in inside)
        value += " (" + ", ".join(f"{n}x {k}" if n > 1 else k for k, n in sorted(kinds.items())) + ")"
    watched = ctx.watched_until
    if seconds and watched is not None and (watched - ordered.at).total_seconds() < seconds:
        value += f"; watched only {seconds_words((watched - ordered.at).total_seconds())}"
    refs = [event_ref(ordered, "order placed")] + [message_ref(m, note=ctx.describe(m, ordered.at)) for m in inside]
    return CheckResult(score=_linear(len(inside), params.max_emails, params.worst), value=value, evidence=refs)


class TotalParams(VolumeParams):
    window_minutes: float | None = Field(default=None, gt=0, description="None: the whole observation window")
    max_emails: int = Field(default=6, ge=0, description="order, payment, shipping, delivery, review, a reply")
    worst: int = Field(default=12, ge=1)


@check(
    "total_emails",
    title="A bearable number of emails over the whole window",
    failure_title="Too many emails over the observation window",
    category=CATEGORY,
    applies_to=STORE_INITIATED,
    params=TotalParams,
    rationale="Volume beyond the order's own messages trains customers to ignore or unsubscribe (dentsu Polska).",
)
def total_emails(ctx: CheckContext) -> CheckResult:
    """Everything the store started over the window (or ``window_minutes`` after the first action)."""
    params = ctx.p(TotalParams)
    start = ctx.watch_start
    relevant = ctx.relevant
    if params.window_minutes and start is not None:
        relevant = ctx.after(start, params.window_minutes * 60, relevant=True)
    count = len(relevant)
    span = ctx.watched_until - ctx.watch_start if ctx.watched_until and ctx.watch_start else None
    value = plural(count, "email") + (f" in {seconds_words(span.total_seconds())}" if span else "")
    refs = [message_ref(m) for m in relevant]
    return CheckResult(score=_linear(count, params.max_emails, params.worst), value=value, evidence=refs)


@check(
    "exactly_one",
    title="Exactly one order confirmation",
    failure_title="No order confirmation, or more than one",
    category=CATEGORY,
    applies_to=(MessageKind.order_confirmation,),
    needs=(Need.order,),
    rationale="Stores sending 3-4 identical confirmations for one order is a real bug class; none is worse.",
)
def exactly_one(ctx: CheckContext) -> CheckResult:
    kinds = ctx.kinds_words
    found = ctx.relevant
    if len(found) == 1:
        return CheckResult(
            score=1.0, value=f"exactly one {kinds}", evidence=[message_ref(found[0], note="the only one")]
        )
    if not found:
        return CheckResult(
            score=0.0,
            value=f"no {kinds} arrived; {ctx.arrived_summary(ctx.order_at)}",
            evidence=[event_ref(ctx.order_click, "order placed")],
            missing=True,
        )
    return CheckResult(
        score=0.0,
        value=f"{kinds} arrived {len(found)} times{_same_bytes(found)}",
        evidence=[message_ref(m, note=ctx.describe(m, ctx.order_at)) for m in found],
    )


def _same_bytes(found: list[MessageRecord]) -> str:
    """Each delivery counts, byte-identical ones too; say so, since they look like one email in a mail client."""
    repeats = len(found) - len({m.message.sha256 for m in found})
    return f" ({plural(repeats, 'byte-identical repeat')})" if repeats else ""


@check(
    "no_duplicates",
    title="No kind of email sent twice",
    failure_title="The same kind of email sent more than once",
    category=CATEGORY,
    applies_to=(
        MessageKind.payment,
        MessageKind.shipping,
        MessageKind.delivery,
        MessageKind.account,
        MessageKind.review_request,
        MessageKind.cancellation,
    ),
    rationale="Duplicated transactional emails (3-4 identical confirmations seen in the wild) confuse customers.",
)
def no_duplicates(ctx: CheckContext) -> CheckResult:
    if not ctx.relevant:
        return not_applicable("none of these kinds arrived")
    counts = Counter(m.evidence.kind for m in ctx.relevant)
    repeated = sorted(k.value for k, n in counts.items() if n > 1)
    if not repeated:
        return CheckResult(score=1.0, value=f"{plural(len(ctx.relevant), 'email')}, no kind repeated")
    extra = sum(n - 1 for n in counts.values())
    value = ", ".join(f"{k} x{counts[MessageKind(k)]}" for k in repeated)
    refs = [message_ref(m) for m in ctx.relevant if m.evidence.kind.value in repeated]
    return CheckResult(score=0.0, value=f"repeated: {value} ({extra} extra)", evidence=refs)


@check(
    "marketing_without_consent",
    title="No marketing email without consent",
    failure_title="Marketing emails although consent was refused",
    category=CATEGORY,
    applies_to=(MessageKind.marketing,),
    rationale="Marketing without consent breaks GDPR/ePrivacy rules; dentsu Polska saw promotional mail "
    "among the first 5 after an order.",
)
def marketing_without_consent(ctx: CheckContext) -> CheckResult:
    if ctx.record.persona.marketing_consent:
        return not_applicable("marketing consent given")
    if not ctx.relevant:
        return CheckResult(score=1.0, value="no marketing email (consent refused)")
    since = ctx.order_at or ctx.watch_start
    return CheckResult(
        score=0.0,
        value=f"{plural(len(ctx.relevant), 'marketing email')} although consent was refused",
        evidence=[message_ref(m, note=ctx.describe(m, since)) for m in ctx.relevant],
    )


class NightParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    night_starts: int = Field(default=22, ge=0, le=23, description="hour, persona's local time")
    night_ends: int = Field(default=7, ge=0, le=23)


def _is_night(at: datetime, zone: ZoneInfo, params: NightParams) -> bool:
    hour = at.astimezone(zone).hour
    if params.night_starts > params.night_ends:
        return hour >= params.night_starts or hour < params.night_ends
    return params.night_starts <= hour < params.night_ends


@check(
    "night_sending",
    title="No unprompted emails at night",
    failure_title="Unprompted emails sent at night in the customer's time zone",
    category=CATEGORY,
    applies_to=UNPROMPTED,
    params=NightParams,
    rationale="A receipt at night follows the customer's own action; promotions at night wake people up.",
)
def night_sending(ctx: CheckContext) -> CheckResult:
    """Only emails the customer did not trigger count: a confirmation at 2 am follows a 2 am order."""
    params = ctx.p(NightParams)
    tz = ctx.record.persona.timezone
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return not_applicable(f"persona time zone {tz!r} unknown")
    if not ctx.relevant:
        return not_applicable("no unprompted email arrived")
    night = [m for m in ctx.relevant if _is_night(m.message.arrived_at, zone, params)]
    hours = f"{params.night_starts}:00-{params.night_ends}:00 {tz}"
    value = f"{len(night)} of {len(ctx.relevant)} unprompted emails sent at night ({hours})"
    refs = [
        message_ref(m, note=f"arrived {m.message.arrived_at.astimezone(zone).strftime('%H:%M')} {tz}") for m in night
    ]
    return CheckResult(score=1.0 - len(night) / len(ctx.relevant), value=value, evidence=refs)
