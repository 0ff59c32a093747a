"""The CI gate as a library: error levels, musts, warnings and the minimum total."""

from pathlib import Path

from auditor.rubric import evaluate_gate, examples, load_rubric, run_scorecard, score_run


def _gate(rubric_name: str | Path, build, min_score: float | None = None):
    rubric = load_rubric(rubric_name)
    record = build()
    findings = score_run(rubric, record)
    return evaluate_gate(rubric, findings, run_scorecard(rubric, record.run.id, findings), min_score)


def test_exemplary_passes_ci_strict_and_chatty_fails_it_on_frequency() -> None:
    assert _gate("ci-strict", examples.exemplary, min_score=90).passed
    chatty = _gate("ci-strict", examples.chatty)
    assert not chatty.passed
    assert [f.criterion for f in chatty.failures] == [
        "items",  # its confirmation lists no quantities
        "emails-first-30-min",
        "one-confirmation",
        "marketing-consent",
    ]
    one = chatty.failures[2]
    assert one.reason == "must and error level: fail (score 0.00)" and one.value == "order_confirmation arrived 2 times"


def test_warn_level_misses_are_warnings_not_failures() -> None:
    gate = _gate("default", examples.chatty)
    assert gate.passed and gate.failures == []
    assert "delivery-estimate" in [w.criterion for w in gate.warnings]


def test_a_must_fails_whatever_the_total(tmp_path: Path) -> None:
    f = tmp_path / "must.yaml"
    f.write_text("id: must\nextends: default\ncriteria:\n  schema-org-order: {must: true}\n")
    gate = _gate(f, examples.bare, min_score=0)
    assert not gate.passed and [x.criterion for x in gate.failures] == ["schema-org-order"]
    assert gate.failures[0].reason.startswith("must: fail")


def test_a_degraded_error_level_criterion_does_not_hold(tmp_path: Path) -> None:
    f = tmp_path / "fast.yaml"
    f.write_text(
        "id: fast\nextends: default\ncriteria:\n  confirmation-time:\n    level: error\n"
        "    params: {bands: [{within: 1, score: 1.0}], late_score: 0.3}\n"
    )
    gate = _gate(f, examples.bare)
    assert [x.criterion for x in gate.failures] == ["confirmation-time"]
    assert gate.failures[0].reason.startswith("error level: warn")


def test_not_applicable_holds_even_for_a_must(tmp_path: Path) -> None:
    f = tmp_path / "na.yaml"
    f.write_text("id: na\nextends: default\ncriteria:\n  authentication: {must: true, level: error}\n")
    assert _gate(f, examples.exemplary).passed


def test_minimum_total() -> None:
    gate = _gate("default", examples.bare, min_score=80)
    assert not gate.passed
    assert gate.failures[-1].criterion is None and gate.failures[-1].reason.startswith("total 5")
    assert gate.failures[-1].reason.endswith("is below 80")
    assert _gate("default", examples.bare, min_score=50).passed


def _card(subject: str, frequency: float, total: float, spread: float | None = None):
    from auditor.models import Scorecard

    return Scorecard(
        subject=subject,
        categories={"frequency": frequency, "order_details": 90.0},
        total=total,
        spread=spread,
        category_spread={"frequency": spread} if spread is not None else {},
    )


def test_a_drop_beyond_the_tolerance_is_a_regression() -> None:
    rubric = load_rubric("default")
    now, before = _card("now", 70.0, 84.0), _card("last-release", 90.0, 86.0)
    gate = evaluate_gate(rubric, [], now, baseline=before)
    assert not gate.passed and gate.baseline == "last-release"
    assert [(f.kind, f.title, f.reason) for f in gate.failures] == [
        ("regression", "Regression: Frequency", "frequency fell from 90 to 70 (allowed drop 5)")
    ]
    assert evaluate_gate(rubric, [], now, baseline=before, tolerance=25).passed


def test_a_noisy_baseline_widens_the_allowed_drop() -> None:
    rubric = load_rubric("default")
    gate = evaluate_gate(rubric, [], _card("now", 70.0, 84.0), baseline=_card("base", 90.0, 86.0, spread=30.0))
    assert gate.passed
