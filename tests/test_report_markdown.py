"""Markdown summary: verdict first, then what failed and why; email text escaped."""

from auditor.report.markdown import markdown_summary, md_escape
from auditor.rubric import evaluate_gate, examples, load_rubric, run_scorecard, score_run


def _summary(rubric_name: str, build, min_score: float | None = None, **kw) -> str:
    rubric = load_rubric(rubric_name)
    record = build()
    findings = score_run(rubric, record)
    card = run_scorecard(rubric, record.run.id, findings)
    return markdown_summary(rubric, findings, card, evaluate_gate(rubric, findings, card, min_score), **kw)


def test_a_failing_run_leads_with_the_verdict_and_lists_failures_with_evidence() -> None:
    text = _summary("ci-strict", examples.chatty, min_score=80, title="chatty")
    lines = text.splitlines()
    assert lines[0] == "## ❌ Post-purchase audit failed: chatty"
    failed = text.split("### What failed")[1].split("### Warnings")[0]
    assert (
        "- **No order confirmation, or more than one** (`one-confirmation`, must and error level, score 0.00): "
        "order\\_confirmation arrived 2 times"
    ) in failed
    assert "`emails-first-30-min`" in failed and "`marketing-consent`" in failed
    assert "“Subject: Black Week: -30% on headphones”" in failed
    rubric = load_rubric("ci-strict")
    findings = score_run(rubric, examples.chatty())
    total = run_scorecard(rubric, "r", findings).total
    assert total < 80 and f"Minimum total 80: not met ({total:g})." in text
    assert "| Frequency | 27.3 (poor) |" in text
    skipped = sum(1 for f in findings if f.score is None)
    assert skipped and f"<summary>Not applicable ({skipped})</summary>" in text


def test_a_passing_run_has_no_failure_section() -> None:
    text = _summary("ci-strict", examples.exemplary, min_score=90)
    assert text.startswith("## ✅ Post-purchase audit passed: run-exemplary")
    assert "### What failed" not in text


def test_markup_in_email_text_is_escaped() -> None:
    assert md_escape("<script>|x|*y*\n`z`") == "\\<script\\>\\|x\\|\\*y\\* \\`z\\`"


def test_the_summary_is_deterministic() -> None:
    assert _summary("default", examples.bare) == _summary("default", examples.bare)


def test_regressions_against_a_baseline_are_listed_as_failures() -> None:
    rubric = load_rubric("default")
    record = examples.chatty()
    findings = score_run(rubric, record)
    card = run_scorecard(rubric, record.run.id, findings)
    better = card.model_copy(update={"subject": "main", "categories": {**card.categories, "frequency": 100.0}})
    text = markdown_summary(rubric, findings, card, evaluate_gate(rubric, findings, card, baseline=better))
    assert "- **Regression: Frequency** (against `main`): frequency fell from 100 to 27.3 (allowed drop 5)" in text


def test_a_run_without_a_score_says_so_and_lists_what_was_not_judged() -> None:
    from auditor.models import RunStatus
    from auditor.rubric import score_record

    rubric = load_rubric("default")
    base = examples.record("held", "1", [])
    record = base.model_copy(update={"run": base.run.model_copy(update={"status": RunStatus.interrupted})})
    findings, card = score_record(rubric, record)
    text = markdown_summary(rubric, findings, card, title="held")
    assert "Total **n/a**" in text and "**No score:** interrupted across the order click" in text
    unjudged = text.split("### Not judged (the run did not get that far)")[1]
    assert "`order-number`" in unjudged and "store may never have received the order" in unjudged


def test_a_not_run_summary_names_step_page_and_artifacts() -> None:
    from auditor.models.results import RunProblem
    from auditor.report.markdown import markdown_not_run

    problem = RunProblem(
        reason="net::ERR_CONNECTION_REFUSED", step="step 0 visit", page="http://a.test/", artifacts=["x.png"]
    )
    text = markdown_not_run(problem, title="down", rubric=load_rubric("ci-strict"))
    assert text.startswith("## ⚠️ Post-purchase audit could not be done: down")
    assert "**No score:**" in text and "- Step: step 0 visit" in text and "- Artifact: x.png" in text
