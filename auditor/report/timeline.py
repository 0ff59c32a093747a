"""A run's emails on a logarithmic time axis from the order click: seconds to weeks in one picture.

"Five emails in the first minutes" and "never answered" should be seen, not
read. Every email is one ``.mark`` (coloured by kind, titled with its subject),
the first 30 minutes are shaded, the question and its reply are marked, an
email a response-time criterion found late (or too early) gets a red ring, and an expected
kind that never came is drawn hollow at the end of what was watched. The time
after the mailbox stopped watching is hatched: nothing there is "no email".
"""

import math
from dataclasses import dataclass, field

from markupsafe import Markup

from auditor.models.evidence import MessageKind
from auditor.models.finding import FindingStatus
from auditor.models.results import MessageSummary, RunResult, StoreResult
from auditor.report.svg import esc, kind_colour, num, svg

AXIS_MAX_S = 30 * 24 * 3600.0
"""The axis ends at 30 days: the longest observation window an audit uses."""
FIRST_MINUTES_S = 30 * 60.0
TICKS = ((1, "1 s"), (10, "10 s"), (60, "1 min"), (600, "10 min"), (3600, "1 h"), (6 * 3600, "6 h"))
TICKS += ((86400, "1 d"), (7 * 86400, "1 w"), (AXIS_MAX_S, "30 d"))
WIDTH = 1000.0
RADIUS = 6.0
LANE = 15.0
MAX_LANES = 5


def x_of(seconds: float, left: float, right: float = WIDTH - 24) -> float:
    """Seconds after the order to x; anything under a second sits at the axis start (log10(1) = 0)."""
    t = min(max(seconds, 1.0), AXIS_MAX_S)
    return left + math.log10(t) / math.log10(AXIS_MAX_S) * (right - left)


def human(seconds: float) -> str:
    s = abs(seconds)
    for size, unit in ((86400, "d"), (3600, "h"), (60, "min")):
        if s >= size:
            return f"{'-' if seconds < 0 else ''}{s / size:.3g} {unit}"
    return f"{seconds:.0f} s"


@dataclass
class Mark:
    """One email (or one missing one) placed on the axis."""

    seconds: float
    kind: str
    title: str
    sha256: str | None = None
    late: str | None = None  # "late" or "too early": a response-time criterion failed on it
    reply: bool = False
    missing: bool = False
    lane: int = 0
    x: float = 0.0


@dataclass
class Strip:
    """One row of marks (a run, or a store on the comparison page) with its anchors."""

    label: str
    marks: list[Mark] = field(default_factory=list)
    question_s: float | None = None
    observed_s: float | None = None
    lanes: int = 1


def _after_order(messages: list[MessageSummary]) -> list[float]:
    """Seconds after the order; without an order click, after the first email (still one mark each)."""
    if all(m.after_order_s is not None for m in messages):
        return [m.after_order_s or 0.0 for m in messages]
    first = min((m.arrived_at for m in messages), default=None)
    return [(m.arrived_at - first).total_seconds() if first else 0.0 for m in messages]


EARLY_CHECKS = frozenset({"review_after_delivery"})
"""Response-time checks that fail an email for coming too soon (a review request before delivery), not too late."""


def late_emails(result: RunResult) -> dict[str, tuple[str, str]]:
    """Hashes a response-time criterion warned or failed on: ("late" or "too early", what it said)."""
    late: dict[str, tuple[str, str]] = {}
    for f in result.findings:
        if f.category != "response_time" or f.status not in (FindingStatus.failed, FindingStatus.warn):
            continue
        word = "too early" if f.check in EARLY_CHECKS else "late"
        for e in f.evidence:
            if e.message_sha256:
                late.setdefault(e.message_sha256, (word, f"{f.failure_title or f.title}: {f.value}"))
    return late


def missing_kinds(result: RunResult) -> list[str]:
    """Expected kinds with no email of that kind; a question with no reply counts as a missing reply."""
    arrived = {m.kind for m in result.messages}
    anchors = result.anchors
    expected = list(anchors.expected) if anchors else []
    if anchors and anchors.question_after_s is not None and MessageKind.support_reply not in expected:
        expected.append(MessageKind.support_reply)
    return [k.value for k in expected if k not in arrived]


def run_marks(result: RunResult) -> Strip:
    anchors = result.anchors
    late = late_emails(result)
    question = anchors.question_after_s if anchors else None
    marks = []
    replied = False
    for m, t in zip(result.messages, _after_order(result.messages), strict=True):
        is_reply = not replied and m.kind == MessageKind.support_reply and (question is None or t >= question - 1)
        replied = replied or is_reply
        title = f"+{human(t)} · {m.kind.value} · {m.subject}"
        word, said = late.get(m.sha256, (None, ""))
        if word:
            title += f" · {word} ({said})"
        marks.append(Mark(t, m.kind.value, title, m.sha256, word, reply=is_reply))
    observed = anchors.observed_s if anchors else None
    end = observed if observed is not None else max((mk.seconds for mk in marks), default=1.0)
    for kind in missing_kinds(result):
        marks.append(Mark(end, kind, f"no {kind} email while watched ({human(end)})", missing=True))
    return Strip(result.run.id, marks, question, observed)


def _place(strip: Strip, left: float) -> None:
    """Lanes so close marks do not hide each other (the lowest free lane; the last lane takes the rest)."""
    ends: list[float] = []
    for mark in sorted(strip.marks, key=lambda m: m.seconds):
        mark.x = x_of(mark.seconds, left)
        for lane, end in enumerate(ends):
            if mark.x - end > 2 * RADIUS + 1:
                ends[lane], mark.lane = mark.x, lane
                break
        else:
            if len(ends) < MAX_LANES:
                ends.append(mark.x)
                mark.lane = len(ends) - 1
            else:
                mark.lane = MAX_LANES - 1
    strip.lanes = max(1, len(ends))


def _mark_svg(mark: Mark, y: float) -> str:
    colour = kind_colour(mark.kind)
    if mark.missing:
        return (
            f'<g class="missing" data-kind="{esc(mark.kind)}"><title>{esc(mark.title)}</title>'
            f'<circle cx="{num(mark.x)}" cy="{num(y)}" r="{RADIUS}" fill="#fff" stroke="{colour}" '
            f'stroke-width="2" stroke-dasharray="3 2"/>'
            f'<path d="M{num(mark.x - 3)} {num(y - 3)}l6 6m0 -6l-6 6" stroke="#b3261e" stroke-width="1.6"/>'
            f'<text x="{num(mark.x - RADIUS - 3)}" y="{num(y + 4)}" text-anchor="end" class="t">'
            f"no {esc(mark.kind.replace('_', ' '))}</text></g>"
        )
    timing = {"late": " late", "too early": " early"}.get(mark.late or "", "")
    classes = "mark" + timing + (" reply" if mark.reply else "")
    ring = (
        f'<circle cx="{num(mark.x)}" cy="{num(y)}" r="{RADIUS + 3}" fill="none" stroke="#b3261e" stroke-width="2"/>'
        if mark.late
        else ""
    )
    return (
        f'<g class="{classes}" data-sha256="{esc(mark.sha256 or "")}" data-kind="{esc(mark.kind)}">'
        f"<title>{esc(mark.title)}</title>{ring}"
        f'<circle cx="{num(mark.x)}" cy="{num(y)}" r="{RADIUS}" fill="{colour}" stroke="#fff" stroke-width="1"/></g>'
    )


def _axis(left: float, top: float, bottom: float, *, shade_label: bool = True) -> str:
    right = WIDTH - 24
    shade = x_of(FIRST_MINUTES_S, left)
    parts = [
        f'<rect x="{num(left)}" y="{num(top)}" width="{num(shade - left)}" height="{num(bottom - top)}" '
        f'fill="#fff4ce"/>',
    ]
    if shade_label:
        parts.append(f'<text x="{num(left + 3)}" y="{num(top + 11)}" class="t">first 30 min</text>')
    parts.append(f'<line x1="{num(left)}" x2="{num(right)}" y1="{num(bottom)}" y2="{num(bottom)}" stroke="#555"/>')
    for seconds, label in TICKS:
        x = x_of(seconds, left)
        parts.append(
            f'<line x1="{num(x)}" x2="{num(x)}" y1="{num(top)}" y2="{num(bottom + 4)}" stroke="#ccc" '
            f'stroke-dasharray="2 3"/><text x="{num(x)}" y="{num(bottom + 16)}" text-anchor="middle" class="t">'
            f"{label}</text>"
        )
    return "".join(parts)


def _unwatched(observed: float | None, left: float, top: float, bottom: float, uid: str) -> str:
    if observed is None or observed >= AXIS_MAX_S:
        return ""
    x = x_of(observed, left)
    right = WIDTH - 24
    return (
        f'<rect x="{num(x)}" y="{num(top)}" width="{num(right - x)}" height="{num(bottom - top)}" '
        f'fill="url(#hatch-{uid})"/><text x="{num(right - 3)}" y="{num(top + 11)}" text-anchor="end" class="t">'
        f"not watched after {esc(human(observed))}</text>"
    )


def _defs(uid: str) -> str:
    return (
        f'<defs><pattern id="hatch-{uid}" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f3f3f3"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#d6d6d6" stroke-width="2"/></pattern></defs>'
        "<style>.t{font:11px system-ui,sans-serif;fill:#333}</style>"
    )


def _strip_body(strip: Strip, left: float, top: float, *, with_labels: bool) -> tuple[str, float]:
    """The marks of one strip from ``top``; returns (svg, bottom)."""
    _place(strip, left)
    parts = []
    base = top + 8 + RADIUS
    bottom = base + (strip.lanes - 1) * LANE + RADIUS + 6
    if strip.question_s is not None:
        qx = x_of(strip.question_s, left)
        parts.append(
            f'<g class="question"><title>question sent +{esc(human(strip.question_s))}</title>'
            f'<line x1="{num(qx)}" x2="{num(qx)}" y1="{num(top)}" y2="{num(bottom)}" stroke="#00838f" '
            f'stroke-width="2" stroke-dasharray="5 3"/>'
            + (f'<text x="{num(qx + 3)}" y="{num(bottom - 3)}" class="t">question</text>' if with_labels else "")
            + "</g>"
        )
    for mark in strip.marks:
        y = base + mark.lane * LANE
        if mark.reply and strip.question_s is not None and with_labels:
            qx = x_of(strip.question_s, left)
            parts.append(
                f'<path class="reply-arc" d="M{num(qx)} {num(bottom)} Q{num((qx + mark.x) / 2)} {num(y - 2 * LANE)} '
                f'{num(mark.x)} {num(y)}" fill="none" stroke="#00838f" stroke-width="1.5"/>'
                f'<text x="{num(mark.x + RADIUS + 3)}" y="{num(y - RADIUS)}" class="t">reply '
                f"+{esc(human(mark.seconds - strip.question_s))}</text>"
            )
        if mark.late and with_labels:
            parts.append(
                f'<text x="{num(mark.x)}" y="{num(y - RADIUS - 5)}" text-anchor="middle" class="t">{mark.late}</text>'
            )
        parts.append(_mark_svg(mark, y))
    return "".join(parts), bottom


def run_timeline(result: RunResult) -> Markup:
    """The run's timeline SVG: one ``.mark`` per email, in arrival order."""
    strip = run_marks(result)
    uid = esc(result.run.id)
    left, top = 12.0, 18.0
    body, bottom = _strip_body(strip, left, top, with_labels=True)
    head = _axis(left, 4.0, bottom) + _unwatched(strip.observed_s, left, 4.0, bottom, uid)
    emails = sum(1 for m in strip.marks if not m.missing)
    missing = [m.kind for m in strip.marks if m.missing]
    label = f"Timeline of run {result.run.id}: {emails} email{'s' * (emails != 1)} on a log time axis from the order"
    if missing:
        label += "; never arrived: " + ", ".join(missing)
    return svg(WIDTH, bottom + 22, _defs(uid) + head + body, label=label, css_class=f"timeline run-{uid}")


def comparison_timeline(stores: list[StoreResult]) -> Markup:
    """One strip per store on a common axis; each store's runs are laid over each other."""
    left, top = 170.0, 20.0
    rows, y = [], top
    observed_all: list[float] = []
    for store in stores:
        strip = Strip(store.name)
        for result in store.runs:
            one = run_marks(result)
            strip.marks.extend(one.marks)
            strip.question_s = strip.question_s if strip.question_s is not None else one.question_s
            if one.observed_s is not None:
                strip.observed_s = max(strip.observed_s or 0.0, one.observed_s)
        body, bottom = _strip_body(strip, left, y, with_labels=False)
        emails = sum(1 for m in strip.marks if not m.missing)
        rows.append(
            f'<g class="strip" data-store="{esc(store.id)}">'
            + _unwatched(strip.observed_s, left, y, bottom, "cmp")
            + f'<text x="{num(left - 8)}" y="{num(y + 8 + RADIUS + 4)}" text-anchor="end" class="t">'
            f"{esc(store.name[:26])} ({emails})</text>{body}"
            f'<line x1="0" x2="{num(WIDTH)}" y1="{num(bottom)}" y2="{num(bottom)}" stroke="#eee"/></g>'
        )
        if strip.observed_s is not None:
            observed_all.append(strip.observed_s)
        y = bottom
    axis = _axis(left, 4.0, y)
    label = "Emails per store on a common log time axis from the order: " + "; ".join(
        f"{s.name} {sum(len(r.messages) for r in s.runs)}" for s in stores
    )
    return svg(WIDTH, y + 22, _defs("cmp") + axis + "".join(rows), label=label, css_class="timeline comparison")


def kinds_in(stores: list[StoreResult]) -> list[tuple[str, str]]:
    """(kind, colour) for the kinds that occur, in the enum's order: the legend."""
    seen = {m.kind for s in stores for r in s.runs for m in r.messages}
    return [(k.value, kind_colour(k)) for k in MessageKind if k in seen]
