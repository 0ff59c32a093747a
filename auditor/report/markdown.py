"""A Markdown summary of one scored run or store, for ``$GITHUB_STEP_SUMMARY`` or a PR comment.

It leads with the verdict and lists what failed and why (value and evidence),
then warnings; passing criteria are only counted, because a reviewer reads the
first screen. Text from emails is escaped, so a subject cannot inject markup.
"""

import re

from auditor.models import Finding, FindingStatus, Scorecard, band_for
from auditor.models.results import RunProblem
from auditor.rubric import GateResult, Rubric
from auditor.rubric.gate import holds

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#!~])")
BAND_WORDS = {"good": "good", "needs_work": "needs work", "poor": "poor"}


def md_escape(text: str) -> str:
    """One line of plain text, safe inside Markdown (tables included)."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _score(value: float | None) -> str:
    if value is None:
        return "n/a"
    band = band_for(value)
    return f"{value:g} ({BAND_WORDS[band.value]})" if band else f"{value:g}"


def _evidence_lines(finding: Finding, limit: int = 3) -> list[str]:
    lines = []
    for ref in finding.evidence[:limit]:
        where = f"message `{ref.message_sha256[:12]}`" if ref.message_sha256 else f"journal `{ref.journal_event}`"
        note = f" ({md_escape(ref.note)})" if ref.note else ""
        how = f" _{ref.found_by.value}_" if ref.found_by else ""
        quote = f": “{md_escape(ref.snippet)}”" if ref.snippet else ""
        lines.append(f"  - {where}{note}{how}{quote}")
    if len(finding.evidence) > limit:
        lines.append(f"  - and {len(finding.evidence) - limit} more")
    return lines


def _item(finding: Finding, why: str) -> list[str]:
    score = "" if finding.score is None else f", score {finding.score:.2f}"
    name = md_escape(finding.failure_title or finding.title)
    head = f"- **{name}** (`{finding.criterion}`, {why}{score}): {md_escape(finding.value)}"
    return [head, *_evidence_lines(finding)]


def _why(finding: Finding) -> str:
    parts = [p for p, on in (("must", finding.must), ("error level", finding.level == "error")) if on]
    return " and ".join(parts) or f"{finding.level} level"


def markdown_summary(
    rubric: Rubric,
    findings: list[Finding],
    scorecard: Scorecard,
    gate: GateResult | None = None,
    *,
    title: str | None = None,
) -> str:
    """The summary as Markdown text; deterministic for the same inputs."""
    name = md_escape(title or scorecard.subject)
    order = {c.id: i for i, c in enumerate(rubric.criteria)}
    ordered = sorted(findings, key=lambda f: (order.get(f.criterion, len(order)), f.criterion))
    unjudged = [f for f in ordered if f.status == FindingStatus.incomplete]
    pending = [f for f in ordered if f.status == FindingStatus.pending]  # its window is not over yet
    judged = [f for f in ordered if f.status not in (FindingStatus.incomplete, FindingStatus.pending)]
    gated = [f for f in judged if not holds(f) and (f.must or f.level == "error")]
    warned = [f for f in judged if not holds(f) and not (f.must or f.level == "error")]
    skipped = [f for f in ordered if f.status == FindingStatus.not_applicable]
    passed = [f for f in ordered if f.status == FindingStatus.passed]

    if gate is None:
        verdict = f"Post-purchase audit of {name}"
    else:
        verdict = f"{'✅' if gate.passed else '❌'} Post-purchase audit {'passed' if gate.passed else 'failed'}: {name}"
    out = [
        f"## {verdict}",
        "",
        f"Total **{_score(scorecard.total)}** with rubric `{rubric.id}`: "
        f"{len(passed)} passed, {len(gated)} failed, {len(warned)} warnings, {len(skipped)} not applicable"
        + (f", {len(unjudged)} not judged" if unjudged else "")
        + (f", {len(pending)} pending (window not over)." if pending else "."),
        *(["", f"**No score:** {md_escape(scorecard.unscored)}"] if scorecard.unscored else []),
        "",
        "| Category | Score |",
        "|---|---:|",
    ]
    for category in rubric.categories:
        out.append(f"| {md_escape(category.title)} | {_score(scorecard.categories.get(category.id))} |")
    out.append(f"| **Total** | **{_score(scorecard.total)}** |")

    if gate is not None and gate.min_score is not None:
        ok = scorecard.total is not None and scorecard.total >= gate.min_score
        shown = "no score" if scorecard.total is None else f"{scorecard.total:g}"
        out += ["", f"Minimum total {gate.min_score:g}: {'met' if ok else 'not met'} ({shown})."]
    fell = [f for f in gate.failures if f.kind == "regression"] if gate is not None else []
    if gated or fell:
        out += ["", "### What failed", ""]
        for finding in gated:
            out += _item(finding, _why(finding))
        out += [f"- **{md_escape(f.title)}** (against `{md_escape(gate.baseline or '')}`): {f.reason}" for f in fell]
    if warned:
        out += ["", "### Warnings", ""]
        for finding in warned:
            out += _item(finding, _why(finding))
    if unjudged:
        out += ["", "### Not judged (the run did not get that far)", ""]
        for finding in unjudged:
            out += _item(finding, _why(finding))
    if skipped:
        out += ["", f"<details><summary>Not applicable ({len(skipped)})</summary>", ""]
        out += [f"- `{f.criterion}`: {md_escape(f.value)}" for f in skipped]
        out += ["", "</details>"]
    return "\n".join(out) + "\n"


def markdown_not_run(problem: RunProblem, *, title: str, rubric: Rubric | None = None) -> str:
    """The summary of a run that could not be done: no verdict, no score, and where to look."""
    out = [
        f"## ⚠️ Post-purchase audit could not be done: {md_escape(title)}",
        "",
        f"**No score:** the run could not be done, so nothing was judged (exit code 2). {md_escape(problem.reason)}",
        "",
    ]
    if rubric is not None:
        out += [f"- Rubric: `{rubric.id}`"]
    out += [f"- Step: {md_escape(problem.step)}"] if problem.step else []
    out += [f"- Page: {md_escape(problem.page)}"] if problem.page else []
    out += [f"- Artifact: {md_escape(path)}" for path in problem.artifacts]
    return "\n".join(out) + "\n"
