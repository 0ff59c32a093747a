"""The CI gate as a library: does a run hold up under a rubric?

In the manner of Lighthouse CI assertions: an ``error``-level criterion must
pass, a ``must`` fails the gate whatever the total, ``warn`` only reports, and
an optional minimum total. Optionally a baseline scorecard (an earlier run or
store card): a category or total that dropped by more than the tolerance (or
the baseline's own spread, when that is larger: runs are noisy) is a
regression. ``auditor check`` turns the result into an exit code.
"""

from typing import Literal

from pydantic import BaseModel, Field

from auditor.models import Finding, FindingStatus, Scorecard
from auditor.rubric.model import Rubric

HOLDS = (FindingStatus.passed, FindingStatus.not_applicable)


class GateFailure(BaseModel):
    """One reason the gate failed; ``criterion`` is None for the minimum total and regressions."""

    criterion: str | None
    title: str
    reason: str
    value: str = ""
    kind: Literal["criterion", "min_score", "regression"] = "criterion"


class GateResult(BaseModel):
    passed: bool
    failures: list[GateFailure] = Field(default_factory=list)
    warnings: list[GateFailure] = Field(default_factory=list, description="warn-level criteria that did not pass")
    total: float | None = None
    min_score: float | None = None
    baseline: str | None = Field(default=None, description="subject of the baseline scorecard compared against")


def holds(finding: Finding) -> bool:
    """Passed or not applicable; a degraded (warn), failed or crashed check does not hold."""
    return finding.status in HOLDS


def regressions(rubric: Rubric, current: Scorecard, baseline: Scorecard, tolerance: float = 5.0) -> list[GateFailure]:
    """Categories (in rubric order), then the total, that fell by more than the allowed drop.

    The allowed drop is ``tolerance`` points, or the baseline's spread over its
    runs when that is larger. A category with no score on either side is skipped.
    """
    out = []
    rows = [(c.id, c.title, current.categories.get(c.id), baseline.categories.get(c.id)) for c in rubric.categories]
    rows.append(("total", "Total", current.total, baseline.total))
    for key, title, now, before in rows:
        if now is None or before is None:
            continue
        spread = baseline.spread if key == "total" else baseline.category_spread.get(key)
        allowed = max(tolerance, spread or 0.0)
        if before - now > allowed:
            out.append(
                GateFailure(
                    criterion=None,
                    kind="regression",
                    title=f"Regression: {title}",
                    reason=f"{key} fell from {before:g} to {now:g} (allowed drop {allowed:g})",
                )
            )
    return out


def evaluate_gate(
    rubric: Rubric,
    findings: list[Finding],
    scorecard: Scorecard,
    min_score: float | None = None,
    *,
    baseline: Scorecard | None = None,
    tolerance: float = 5.0,
) -> GateResult:
    """Failures in rubric order, then the minimum total, then regressions against ``baseline``."""
    failures: list[GateFailure] = []
    warnings: list[GateFailure] = []
    by_id = {f.criterion: f for f in findings}
    for criterion in rubric.active():
        finding = by_id.get(criterion.id)
        if finding is None:
            if criterion.must or criterion.level == "error":
                failures.append(
                    GateFailure(criterion=criterion.id, title=criterion.title, reason="no finding for this criterion")
                )
            continue
        if holds(finding):
            continue
        gated = [why for why, on in (("must", criterion.must), ("error level", criterion.level == "error")) if on]
        entry = GateFailure(
            criterion=criterion.id,
            title=criterion.title,
            reason=f"{' and '.join(gated) or 'warn level'}: {finding.status.value}"
            + (f" (score {finding.score:.2f})" if finding.score is not None else ""),
            value=finding.value,
        )
        (failures if gated else warnings).append(entry)
    if min_score is not None and (scorecard.total is None or scorecard.total < min_score):
        shown = "no score" if scorecard.total is None else f"{scorecard.total:g}"
        failures.append(
            GateFailure(
                criterion=None, kind="min_score", title="Minimum total", reason=f"total {shown} is below {min_score:g}"
            )
        )
    if baseline is not None:
        failures += regressions(rubric, scorecard, baseline, tolerance)
    return GateResult(
        passed=not failures,
        failures=failures,
        warnings=warnings,
        total=scorecard.total,
        min_score=min_score,
        baseline=baseline.subject if baseline is not None else None,
    )
