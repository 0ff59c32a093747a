"""JUnit XML: one testcase per criterion, parsed back with xml.etree."""

import xml.etree.ElementTree as ET

from auditor.models import FindingStatus
from auditor.report.junit import junit_xml
from auditor.rubric import evaluate_gate, examples, load_rubric, run_scorecard, score_run


def _scored(rubric_name: str, build, min_score: float | None = None):
    rubric = load_rubric(rubric_name)
    record = build()
    findings = score_run(rubric, record)
    card = run_scorecard(rubric, record.run.id, findings)
    return rubric, findings, card, evaluate_gate(rubric, findings, card, min_score)


def _cases(xml: str) -> dict[str, ET.Element]:
    root = ET.fromstring(xml.encode())
    return {c.get("name").split(":")[0]: c for c in root.iter("testcase")}


def test_one_testcase_per_criterion_with_failures_for_gated_misses() -> None:
    rubric, findings, card, gate = _scored("ci-strict", examples.chatty, min_score=80)
    xml = junit_xml(rubric, findings, card, gate)
    root = ET.fromstring(xml.encode())
    suite = root.find("testsuite")
    cases = _cases(xml)
    assert list(cases)[: len(rubric.criteria)] == [c.id for c in rubric.criteria]
    assert "total >= 80" in cases
    failed = sorted(name for name, c in cases.items() if c.find("failure") is not None)
    assert failed == ["emails-first-30-min", "items", "marketing-consent", "one-confirmation", "total >= 80"]
    assert suite.get("failures") == "5" and suite.get("tests") == str(len(rubric.criteria) + 1)
    failure = cases["one-confirmation"].find("failure")
    assert failure.get("message").startswith("must and error level: fail")
    assert "order_confirmation arrived 2 times" in failure.text
    assert cases["one-confirmation"].get("classname") == "auditor.frequency"


def test_not_applicable_is_skipped_and_a_warning_passes_with_output() -> None:
    rubric, findings, card, gate = _scored("ci-strict", examples.chatty)
    cases = _cases(junit_xml(rubric, findings, card, gate))
    skipped = cases["authentication"].find("skipped")
    assert skipped is not None and "Authentication-Results" in skipped.get("message")
    warn = cases["delivery-estimate"]
    assert warn.find("failure") is None and warn.find("skipped") is None
    assert warn.find("system-out").text.startswith("warning, fail (score 0.00): no delivery estimate")
    n_skipped = sum(1 for f in findings if f.status == FindingStatus.not_applicable)
    assert ET.fromstring(junit_xml(rubric, findings, card, gate).encode()).get("skipped") == str(n_skipped)


def test_a_passing_run_has_no_failures_and_the_output_is_deterministic() -> None:
    rubric, findings, card, gate = _scored("ci-strict", examples.exemplary, min_score=90)
    xml = junit_xml(rubric, findings, card, gate)
    assert ET.fromstring(xml.encode()).get("failures") == "0"
    again = _scored("ci-strict", examples.exemplary, min_score=90)
    assert junit_xml(*again) == xml
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>')


def test_a_crashed_gated_check_is_an_error_case() -> None:
    rubric, findings, card, gate = _scored("ci-strict", examples.exemplary)
    broken = [
        f.model_copy(update={"status": FindingStatus.error, "score": None, "value": "check failed: KeyError: 'x'"})
        if f.criterion == "order-number"
        else f
        for f in findings
    ]
    xml = junit_xml(rubric, broken, card)
    error = _cases(xml)["order-number"].find("error")
    assert error is not None and "KeyError" in error.get("message")
    assert ET.fromstring(xml.encode()).get("errors") == "1"


def test_email_text_cannot_break_the_xml() -> None:
    rubric, findings, card, gate = _scored("default", examples.chatty)
    nasty = [f.model_copy(update={"value": 'a <b> & "c" ]]> \u00e9'}) for f in findings]
    root = ET.fromstring(junit_xml(rubric, nasty, card, gate).encode())
    outs = [e.text for e in root.iter("system-out")]
    assert any('a <b> & "c" ]]> é' in (t or "") for t in outs)


def test_a_baseline_adds_one_regression_case_per_category_and_the_total() -> None:
    rubric, findings, card, _ = _scored("default", examples.chatty)
    better = card.model_copy(update={"subject": "main", "categories": {**card.categories, "frequency": 100.0}})
    gate = evaluate_gate(rubric, findings, card, baseline=better)
    cases = _cases(junit_xml(rubric, findings, card, gate))
    regression = [n for n in cases if n.startswith("no regression in ")]
    assert len(regression) == len(rubric.categories) + 1
    failed = [n for n in regression if cases[n].find("failure") is not None]
    assert failed == ["no regression in Frequency against main"]
    message = cases["no regression in Frequency against main"].find("failure").get("message")
    assert message.startswith("frequency fell from 100 to 27.3")


def test_a_run_that_could_not_be_done_is_one_error_naming_step_page_and_artifacts() -> None:
    from auditor.models.results import RunProblem
    from auditor.report.junit import junit_not_run

    rubric, findings, _, _ = _scored("ci-strict", examples.bare)
    problem = RunProblem(
        reason="checkout[2].click: timeout 15000 ms",
        step="step 4 place_order (checkout[2].click)",
        page="http://shop.test/checkout",
        artifacts=["runs/r1/failure.png", "runs/r1/trace.zip"],
    )
    xml = junit_not_run(problem, subject="Bare", rubric=rubric, findings=findings)
    assert xml == junit_not_run(problem, subject="Bare", rubric=rubric, findings=findings)  # same bytes
    suite = ET.fromstring(xml.encode()).find("testsuite")
    errors = [c.find("error") for c in suite.iter("testcase") if c.find("error") is not None]
    assert len(errors) == 1 and suite.get("errors") == "1" and suite.get("failures") == "0"
    assert errors[0].get("message") == (
        "the run could not be done at step 4 place_order (checkout[2].click): checkout[2].click: timeout 15000 ms"
    )
    assert "page: http://shop.test/checkout" in errors[0].text and "artifact: runs/r1/trace.zip" in errors[0].text
    assert int(suite.get("skipped")) == len(findings)  # every criterion listed, none judged
    assert {p.get("name"): p.get("value") for p in suite.iter("property")}["total"] == "no score"


def test_an_incomplete_finding_is_skipped_and_says_how_values_were_found() -> None:
    from auditor.models import EvidenceRef, FoundBy

    rubric, findings, card, gate = _scored("default", examples.exemplary)
    first = findings[0].model_copy(update={"status": FindingStatus.incomplete, "score": None, "value": "not judged"})
    second = findings[1].model_copy(
        update={"evidence": [EvidenceRef(message_sha256="a" * 64, snippet="Order 7", found_by=FoundBy.matched)]}
    )
    xml = junit_xml(rubric, [first, second, *findings[2:]], card, gate)
    cases = _cases(xml)
    assert cases[first.criterion].find("skipped").get("message") == "not judged: not judged"
    assert "[matched to the journal]: Order 7" in cases[second.criterion].find("system-out").text
