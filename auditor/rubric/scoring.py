"""From a run to findings, from findings to scorecards.

Category = weighted mean of its applicable findings; total = weighted mean of
the categories that have any; not-applicable and incomplete findings are excluded
(and listed on the card) rather than counted as zero or as full marks. A run that
failed, was dry or was interrupted has no total at all (``honesty``). A store's
card is the median of its scored runs, with the spread beside it, because single
runs are noisy; the runs left out are listed with why.
"""

from statistics import median

from auditor.models import Finding, FindingStatus, RunRecord, Scorecard
from auditor.rubric.context import CheckContext, RunView
from auditor.rubric.honesty import unscored_reason
from auditor.rubric.model import Criterion, Rubric
from auditor.rubric.needs import settle, unmet
from auditor.rubric.registry import get_check
from auditor.rubric.result import CheckResult, to_finding

DECIMALS = 1


def evaluate(criterion: Criterion, record: RunRecord | RunView) -> Finding:
    """One criterion on one run; a crashing check yields an ``error`` finding instead of raising.

    The check's needs are answered first, here, for every check (see ``auditor.rubric.needs``).
    """
    meta = get_check(criterion.check)
    view = record if isinstance(record, RunView) else RunView(record)
    ctx = CheckContext(view=view, params=criterion.typed_params(), applies_to=tuple(criterion.applies_to or ()))
    try:
        result = unmet(meta.needs, ctx) or meta.fn(ctx)
    except Exception as exc:  # one broken check must not lose the other findings
        return to_finding(meta, criterion, exc)
    return to_finding(meta, criterion, _with_caveats(settle(result, ctx), view))


def _with_caveats(result: CheckResult, view: RunView) -> CheckResult:
    """Say when a finding rests on a message analysis could not fully read: its facts may be missing."""
    cited = {ref.message_sha256 for ref in result.evidence if ref.message_sha256}
    broken = [m for m in view.messages if m.message.sha256 in cited and m.evidence.malformed]
    if not broken:
        return result
    notes = "; ".join(f"{m.message.sha256[:12]}: {m.evidence.malformed}" for m in broken)
    return result.model_copy(update={"value": f"{result.value} (not fully readable: {notes})"})


def score_run(rubric: Rubric, record: RunRecord) -> list[Finding]:
    """One finding per active criterion, in rubric order; the run's shared lookups are made once."""
    view = RunView(record)
    return [evaluate(criterion, view) for criterion in rubric.active()]


def _weighted(pairs: list[tuple[float, float]]) -> float | None:
    weight = sum(w for _, w in pairs)
    if weight <= 0:
        return None
    return sum(v * w for v, w in pairs) / weight


def run_scorecard(rubric: Rubric, subject: str, findings: list[Finding], *, unscored: str | None = None) -> Scorecard:
    """Category and total scores of one run, 0-100; none at all when ``unscored`` says why
    (see ``score_record``, which asks the honesty rules)."""
    categories: dict[str, float | None] = {}
    for cat in rubric.categories:
        pairs = [(f.score, f.weight) for f in findings if f.category == cat.id and f.score is not None]
        mean = _weighted(pairs)
        categories[cat.id] = None if mean is None or unscored else round(100 * mean, DECIMALS)
    total = _weighted([(score, rubric.category(c).weight) for c, score in categories.items() if score is not None])
    return Scorecard(
        subject=subject,
        categories=categories,
        total=None if total is None else round(total, DECIMALS),
        rubric=rubric.id,
        not_applicable=[
            f.criterion for f in findings if f.status in (FindingStatus.not_applicable, FindingStatus.incomplete)
        ],
        errors=[f.criterion for f in findings if f.status == FindingStatus.error],
        pending=[f.criterion for f in findings if f.status == FindingStatus.pending],
        unscored=unscored,
    )


def score_record(rubric: Rubric, record: RunRecord) -> tuple[list[Finding], Scorecard]:
    """Findings and scorecard of one run: a failed, dry or interrupted run gets findings but no total."""
    findings = score_run(rubric, record)
    return findings, run_scorecard(rubric, record.run.id, findings, unscored=unscored_reason(record))


def _median_and_spread(values: list[float | None]) -> tuple[float | None, float | None]:
    known = [v for v in values if v is not None]
    if not known:
        return None, None
    return round(median(known), DECIMALS), round(max(known) - min(known), DECIMALS)


def store_scorecard(rubric: Rubric, store_id: str, cards: list[Scorecard]) -> Scorecard:
    """Median over the store's scored runs per category and for the total, with max - min as spread.

    Runs with no score (``unscored``) are left out and listed in ``excluded`` with why; a store none of
    whose runs could be scored has no total, and ``unscored`` says so.
    """
    run_cards = [c for c in cards if not c.unscored]
    excluded = {c.subject: c.unscored for c in cards if c.unscored}
    categories: dict[str, float | None] = {}
    spreads: dict[str, float | None] = {}
    for cat in rubric.categories:
        categories[cat.id], spreads[cat.id] = _median_and_spread([c.categories.get(cat.id) for c in run_cards])
    total, spread = _median_and_spread([c.total for c in run_cards])
    everywhere = set.intersection(*(set(c.not_applicable) for c in run_cards)) if run_cards else set()
    errors = sorted({e for c in run_cards for e in c.errors})
    open_ = {p for c in run_cards for p in c.pending}
    return Scorecard(
        subject=store_id,
        categories=categories,
        total=total,
        rubric=rubric.id,
        runs=len(run_cards),
        spread=spread,
        category_spread=spreads,
        not_applicable=[c.id for c in rubric.criteria if c.id in everywhere],
        errors=errors,
        pending=[c.id for c in rubric.criteria if c.id in open_],
        unscored=_store_unscored(cards, excluded),
        excluded=excluded,
    )


def _store_unscored(cards: list[Scorecard], excluded: dict[str, str]) -> str | None:
    if not cards:
        return "no run of this store was recorded"
    if len(excluded) < len(cards):
        return None
    if len(cards) == 1:
        return f"its only run has no score: {next(iter(excluded.values()))}"
    return f"none of its {len(cards)} runs has a score: " + "; ".join(f"{k}: {v}" for k, v in excluded.items())
