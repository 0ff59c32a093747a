"""JUnit XML for CI: one testcase per criterion, so a pipeline shows which one broke.

Mapping, in the manner of Lighthouse CI assertions: an ``error``-level criterion
or a ``must`` that does not pass is a ``<failure>`` (an ``<error>`` if its check
crashed); not applicable is ``<skipped>``; a ``warn``-level miss is a passing
case whose ``<system-out>`` says what was wrong; a criterion the run could not judge (incomplete)
is ``<skipped>``, or an ``<error>`` when the gate needs it. The minimum total and, with a
baseline, each category's regression check are cases of their own. No timestamps or durations, so
the same findings always give the same bytes.

A run that could not be done (``junit_not_run``) is one ``<error>`` case naming the step, the page
and the artifacts, so CI shows why there is no verdict instead of an empty or missing file.
"""

import xml.etree.ElementTree as ET

from auditor.models import Finding, FindingStatus, Scorecard
from auditor.models.results import RunProblem
from auditor.rubric import Criterion, GateResult, Rubric
from auditor.rubric.gate import holds


def _details(finding: Finding) -> str:
    lines = [finding.value]
    for ref in finding.evidence:
        where = f"message {ref.message_sha256[:12]}" if ref.message_sha256 else f"journal {ref.journal_event}"
        note = f" ({ref.note})" if ref.note else ""
        how = f" [{ref.found_by.value}]" if ref.found_by else ""
        lines.append(f"  {where}{note}{how}: {ref.snippet}")
    if finding.rationale:
        lines.append(f"why it matters: {finding.rationale}")
    return "\n".join(lines)


def _gated(criterion: Criterion | None, finding: Finding) -> list[str]:
    must = criterion.must if criterion else finding.must
    level = criterion.level if criterion else finding.level
    return [why for why, on in (("must", must), ("error level", level == "error")) if on]


def _case(suite: ET.Element, criterion: Criterion | None, finding: Finding, counts: dict[str, int]) -> None:
    case = ET.SubElement(
        suite,
        "testcase",
        {"classname": f"auditor.{finding.category}", "name": f"{finding.criterion}: {finding.title}", "time": "0"},
    )
    counts["tests"] += 1
    if finding.status == FindingStatus.not_applicable:
        ET.SubElement(case, "skipped", {"message": f"not applicable: {finding.value}"})
        counts["skipped"] += 1
        return
    if finding.status == FindingStatus.incomplete and not _gated(criterion, finding):
        ET.SubElement(case, "skipped", {"message": f"not judged: {finding.value}"})
        counts["skipped"] += 1
        return
    score = "" if finding.score is None else f" (score {finding.score:.2f})"
    if holds(finding):
        ET.SubElement(case, "system-out").text = f"pass{score}: {_details(finding)}"
        return
    gated = _gated(criterion, finding)
    if not gated:
        ET.SubElement(case, "system-out").text = f"warning, {finding.status.value}{score}: {_details(finding)}"
        return
    tag = "error" if finding.status in (FindingStatus.error, FindingStatus.incomplete) else "failure"
    counts["errors" if tag == "error" else "failures"] += 1
    said = f"{finding.failure_title}: " if finding.failure_title else ""
    message = f"{' and '.join(gated)}: {finding.status.value}{score}: {said}{finding.value}"
    ET.SubElement(case, tag, {"message": message, "type": finding.status.value}).text = _details(finding)


def junit_xml(
    rubric: Rubric,
    findings: list[Finding],
    scorecard: Scorecard,
    gate: GateResult | None = None,
    *,
    suite_name: str | None = None,
) -> str:
    """The XML document as text (UTF-8 declaration included); findings in rubric order."""
    criteria = {c.id: c for c in rubric.criteria}
    order = {c.id: i for i, c in enumerate(rubric.criteria)}
    ordered = sorted(findings, key=lambda f: (order.get(f.criterion, len(order)), f.criterion))
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    root = ET.Element("testsuites", {"name": "post-purchase-auditor"})
    total = "no score" if scorecard.total is None else f"{scorecard.total:g}"
    suite = ET.SubElement(root, "testsuite", {"name": suite_name or f"{scorecard.subject} ({rubric.id})"})
    props = ET.SubElement(suite, "properties")
    for name, value in (("rubric", rubric.id), ("subject", scorecard.subject), ("total", total)):
        ET.SubElement(props, "property", {"name": name, "value": value})
    for category, score in scorecard.categories.items():
        shown = "not applicable" if score is None else f"{score:g}"
        ET.SubElement(props, "property", {"name": f"category.{category}", "value": shown})
    for finding in ordered:
        _case(suite, criteria.get(finding.criterion), finding, counts)
    if gate is not None and gate.min_score is not None:
        case = ET.SubElement(
            suite, "testcase", {"classname": "auditor.total", "name": f"total >= {gate.min_score:g}", "time": "0"}
        )
        counts["tests"] += 1
        if scorecard.total is None or scorecard.total < gate.min_score:
            counts["failures"] += 1
            ET.SubElement(
                case, "failure", {"message": f"total {total} is below {gate.min_score:g}", "type": "min_score"}
            )
        else:
            ET.SubElement(case, "system-out").text = f"total {total}"
    if gate is not None and gate.baseline is not None:
        fell = {f.title: f for f in gate.failures if f.kind == "regression"}
        for title in [f"Regression: {c.title}" for c in rubric.categories] + ["Regression: Total"]:
            name = f"no regression in {title.removeprefix('Regression: ')} against {gate.baseline}"
            case = ET.SubElement(suite, "testcase", {"classname": "auditor.baseline", "name": name, "time": "0"})
            counts["tests"] += 1
            if title in fell:
                counts["failures"] += 1
                ET.SubElement(case, "failure", {"message": fell[title].reason, "type": "regression"})
    for element in (root, suite):
        for key in ("tests", "failures", "errors", "skipped"):
            element.set(key, str(counts[key]))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def junit_not_run(
    problem: RunProblem, *, subject: str, rubric: Rubric | None = None, findings: list[Finding] | None = None
) -> str:
    """JUnit for a run that could not be done: one ``<error>`` case naming the step, the page and the
    artifacts; each criterion (when known) a ``<skipped>`` case, since none of them was judged."""
    counts = {"tests": 1, "failures": 0, "errors": 1, "skipped": 0}
    root = ET.Element("testsuites", {"name": "post-purchase-auditor"})
    rubric_id = rubric.id if rubric is not None else "no rubric"
    suite = ET.SubElement(root, "testsuite", {"name": f"{subject} ({rubric_id})"})
    props = ET.SubElement(suite, "properties")
    for name, value in (("rubric", rubric_id), ("subject", subject), ("total", "no score")):
        ET.SubElement(props, "property", {"name": name, "value": value})
    case = ET.SubElement(
        suite, "testcase", {"classname": "auditor.run", "name": f"the run could be done: {subject}", "time": "0"}
    )
    where = f" at {problem.step}" if problem.step else ""
    lines = [f"reason: {problem.reason}"]
    lines += [f"step: {problem.step}"] if problem.step else []
    lines += [f"page: {problem.page}"] if problem.page else []
    lines += [f"artifact: {path}" for path in problem.artifacts]
    lines.append("no score: a run that could not be done is not judged (exit code 2)")
    ET.SubElement(
        case, "error", {"message": f"the run could not be done{where}: {problem.reason}", "type": "run_failed"}
    ).text = "\n".join(lines)
    order = {c.id: i for i, c in enumerate(rubric.criteria)} if rubric is not None else {}
    for finding in sorted(findings or [], key=lambda f: (order.get(f.criterion, len(order)), f.criterion)):
        skipped = ET.SubElement(
            suite,
            "testcase",
            {"classname": f"auditor.{finding.category}", "name": f"{finding.criterion}: {finding.title}", "time": "0"},
        )
        ET.SubElement(skipped, "skipped", {"message": "not judged: the run could not be done"})
        counts["tests"] += 1
        counts["skipped"] += 1
    for element in (root, suite):
        for key in ("tests", "failures", "errors", "skipped"):
            element.set(key, str(counts[key]))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
