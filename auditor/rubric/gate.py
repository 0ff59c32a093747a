"""The CI gate as a library: does a run hold up under a rubric?

In the manner of Lighthouse CI assertions: an ``error``-level criterion must
pass, a ``must`` fails the gate whatever the total, ``warn`` only reports, and
an optional minimum total. ``auditor check`` turns the result into an exit code.
"""

from pydantic import BaseModel, Field

from auditor.models import Finding, FindingStatus, Scorecard
from auditor.rubric.model import Rubric

HOLDS = (FindingStatus.passed, FindingStatus.not_applicable)


class GateFailure(BaseModel):
    """One reason the gate failed; ``criterion`` is None for the minimum total."""

    criterion: str | None
    title: str
    reason: str
    value: str = ""


class GateResult(BaseModel):
    passed: bool
    failures: list[GateFailure] = Field(default_factory=list)
    warnings: list[GateFailure] = Field(default_factory=list, description="warn-level criteria that did not pass")
    total: float | None = None
    min_score: float | None = None


def holds(finding: Finding) -> bool:
    """Passed or not applicable; a degraded (warn), failed or crashed check does not hold."""
    return finding.status in HOLDS


def evaluate_gate(
    rubric: Rubric, findings: list[Finding], scorecard: Scorecard, min_score: float | None = None
) -> GateResult:
    """Failures in rubric order (musts and errors first within a criterion), then the total."""
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
            GateFailure(criterion=None, title="Minimum total", reason=f"total {shown} is below {min_score:g}")
        )
    return GateResult(
        passed=not failures, failures=failures, warnings=warnings, total=scorecard.total, min_score=min_score
    )
