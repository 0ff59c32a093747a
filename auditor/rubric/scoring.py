"""From a run to findings, from findings to scorecards.

Category = weighted mean of its applicable findings; total = weighted mean of
the categories that have any; not-applicable findings are excluded (and listed
on the card) rather than counted as zero or as full marks. A store's card is
the median of its runs, with the spread beside it, because single runs are noisy.
"""

from statistics import median

from auditor.models import Finding, RunRecord, Scorecard
from auditor.rubric.context import CheckContext, RunView
from auditor.rubric.model import Criterion, Rubric
from auditor.rubric.registry import get_check
from auditor.rubric.result import CheckResult, to_finding

DECIMALS = 1


def evaluate(criterion: Criterion, record: RunRecord | RunView) -> Finding:
    """One criterion on one run; a crashing check yields an ``error`` finding instead of raising."""
    meta = get_check(criterion.check)
    view = record if isinstance(record, RunView) else RunView(record)
    ctx = CheckContext(view=view, params=criterion.typed_params(), applies_to=tuple(criterion.applies_to or ()))
    try:
        result = meta.fn(ctx)
    except Exception as exc:  # one broken check must not lose the other findings
        return to_finding(meta, criterion, exc)
    return to_finding(meta, criterion, _with_caveats(result, view))


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


def run_scorecard(rubric: Rubric, subject: str, findings: list[Finding]) -> Scorecard:
    """Category and total scores of one run, 0-100."""
    categories: dict[str, float | None] = {}
    for cat in rubric.categories:
        pairs = [(f.score, f.weight) for f in findings if f.category == cat.id and f.score is not None]
        mean = _weighted(pairs)
        categories[cat.id] = None if mean is None else round(100 * mean, DECIMALS)
    total = _weighted([(score, rubric.category(c).weight) for c, score in categories.items() if score is not None])
    return Scorecard(
        subject=subject,
        categories=categories,
        total=None if total is None else round(total, DECIMALS),
        rubric=rubric.id,
        not_applicable=[f.criterion for f in findings if f.status == "not_applicable"],
        errors=[f.criterion for f in findings if f.status == "error"],
    )


def _median_and_spread(values: list[float | None]) -> tuple[float | None, float | None]:
    known = [v for v in values if v is not None]
    if not known:
        return None, None
    return round(median(known), DECIMALS), round(max(known) - min(known), DECIMALS)


def store_scorecard(rubric: Rubric, store_id: str, run_cards: list[Scorecard]) -> Scorecard:
    """Median over the store's runs per category and for the total, with max - min as spread."""
    categories: dict[str, float | None] = {}
    spreads: dict[str, float | None] = {}
    for cat in rubric.categories:
        categories[cat.id], spreads[cat.id] = _median_and_spread([c.categories.get(cat.id) for c in run_cards])
    total, spread = _median_and_spread([c.total for c in run_cards])
    everywhere = set.intersection(*(set(c.not_applicable) for c in run_cards)) if run_cards else set()
    errors = sorted({e for c in run_cards for e in c.errors})
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
    )
