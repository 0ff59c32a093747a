"""Rubric files: bundled names, extends, and errors that name file, line and field."""

from pathlib import Path

import pytest

from auditor.rubric import bundled_names, examples, load_rubric, rubric_json_schema, score_run
from auditor.yamlfile import ConfigError


def test_bundled_rubrics_load_by_name_and_by_top_level_path() -> None:
    assert {"default", "ci-strict"} <= set(bundled_names())
    by_name = load_rubric("default")
    by_path = load_rubric(Path(__file__).parents[1] / "rubrics" / "default.yaml")
    assert by_name == by_path
    assert [c.id for c in by_name.categories] == [
        "order_details",
        "response_time",
        "frequency",
        "personalization",
        "hygiene",
    ]


def test_every_default_criterion_names_its_source() -> None:
    rubric = load_rubric("default")
    for criterion in rubric.criteria:
        assert criterion.rationale.strip(), criterion.id
        assert len(criterion.rationale) < 200, f"{criterion.id}: one line, please"


def test_ci_strict_extends_default_and_tightens_only_the_gate() -> None:
    default, strict = load_rubric("default"), load_rubric("ci-strict")
    assert [c.id for c in strict.criteria] == [c.id for c in default.criteria]
    assert strict.criterion("order-number").must and strict.criterion("one-confirmation").must
    assert all(c.level == "error" for c in strict.criteria if c.category == "frequency")
    assert strict.criterion("order-number").weight == default.criterion("order-number").weight
    assert strict.criterion("emails-first-30-min").params == default.criterion("emails-first-30-min").params


def test_raising_one_threshold_changes_exactly_that_finding(tmp_path: Path) -> None:
    (tmp_path / "team.yaml").write_text(
        "id: team\nextends: default\ncriteria:\n  emails-first-30-min:\n    params: {max_emails: 0, worst: 1}\n"
    )
    team, default = load_rubric(tmp_path / "team.yaml"), load_rubric("default")
    assert team.criterion("emails-first-30-min").params["window_minutes"] == 30  # merged, not replaced
    record = examples.exemplary()
    before = {f.criterion: f for f in score_run(default, record)}
    after = {f.criterion: f for f in score_run(team, record)}
    changed = sorted(k for k in before if before[k] != after[k])
    assert changed == ["emails-first-30-min"]
    assert (before["emails-first-30-min"].score, after["emails-first-30-min"].score) == (1.0, 0.0)


def test_extends_a_file_relative_to_the_extending_one(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(
        "id: base\ncategories:\n  frequency: {title: F}\ncriteria:\n  one:\n    check: exactly_one\n    weight: 2\n"
    )
    (tmp_path / "child.yaml").write_text("id: child\nextends: ./base.yaml\ncriteria:\n  one: {weight: 5}\n")
    child = load_rubric(tmp_path / "child.yaml")
    assert child.id == "child" and child.criterion("one").weight == 5
    assert child.criterion("one").category == "frequency"  # the check's own category by default


def test_an_unknown_check_is_reported_with_file_line_and_field(tmp_path: Path) -> None:
    f = tmp_path / "r.yaml"
    f.write_text("id: r\ncategories:\n  frequency: {title: F}\ncriteria:\n  x:\n    check: exactly_two\n")
    with pytest.raises(ConfigError) as caught:
        load_rubric(f)
    message = str(caught.value)
    assert message.startswith(f"{f}:6: criteria.x.check: unknown check 'exactly_two'")
    assert "exactly_one" in message  # the known ids are listed


def test_a_wrong_parameter_is_reported_on_its_line(tmp_path: Path) -> None:
    f = tmp_path / "r.yaml"
    f.write_text(
        "id: r\ncategories:\n  frequency: {title: F}\ncriteria:\n  x:\n    check: emails_after_order\n"
        "    params:\n      max_emails: lots\n"
    )
    with pytest.raises(ConfigError) as caught:
        load_rubric(f)
    assert str(caught.value).startswith(f"{f}:8: criteria.x.params: parameters for emails_after_order")
    assert "max_emails" in str(caught.value)


def test_an_error_in_the_extending_file_is_blamed_on_it(tmp_path: Path) -> None:
    f = tmp_path / "team.yaml"
    f.write_text("id: team\nextends: default\ncriteria:\n  night-sending:\n    params: {night_starts: 25}\n")
    with pytest.raises(ConfigError) as caught:
        load_rubric(f)
    assert str(caught.value).startswith(f"{f}:5: criteria.night-sending.params")


def test_a_typo_in_a_field_name_is_caught_per_file(tmp_path: Path) -> None:
    f = tmp_path / "team.yaml"
    f.write_text("id: team\nextends: default\ncriteria:\n  night-sending:\n    wieght: 2\n")
    with pytest.raises(ConfigError) as caught:
        load_rubric(f)
    assert str(caught.value).startswith(f"{f}:5: criteria.night-sending.wieght: Extra inputs are not permitted")


def test_a_criterion_in_an_undeclared_category_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "r.yaml"
    f.write_text("id: r\ncategories:\n  frequency: {title: F}\ncriteria:\n  x: {check: greeting_name}\n")
    with pytest.raises(ConfigError, match="undeclared categories: x -> 'personalization'"):
        load_rubric(f)


def test_an_extends_cycle_is_reported(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("id: a\nextends: ./b.yaml\n")
    (tmp_path / "b.yaml").write_text("id: b\nextends: ./a.yaml\n")
    with pytest.raises(ConfigError, match="cycle"):
        load_rubric(tmp_path / "a.yaml")


def test_an_unknown_bundled_name_lists_the_bundled_ones() -> None:
    with pytest.raises(ConfigError, match="no bundled rubric named 'strictest'.*default"):
        load_rubric("strictest")


def test_level_off_drops_the_criterion(tmp_path: Path) -> None:
    f = tmp_path / "quiet.yaml"
    f.write_text("id: quiet\nextends: default\ncriteria:\n  night-sending: {level: 'off'}\n")
    findings = score_run(load_rubric(f), examples.chatty())
    assert "night-sending" not in [x.criterion for x in findings]


def test_json_schema_describes_files_and_each_checks_parameters() -> None:
    schema = rubric_json_schema()
    criterion = schema["$defs"]["CriterionEntry"]
    assert "emails_after_order" in criterion["properties"]["check"]["enum"]
    branch = next(b for b in criterion["allOf"] if b["if"]["properties"]["check"]["const"] == "confirmation_time")
    params = branch["then"]["properties"]["params"]
    assert params["additionalProperties"] is False
    assert params["properties"]["bands"]["items"] == {"$ref": "#/$defs/TimeBand"}
    assert "TimeBand" in schema["$defs"] and schema["additionalProperties"] is False


def test_pointing_a_criterion_at_another_check_drops_the_old_params(tmp_path: Path) -> None:
    f = tmp_path / "swap.yaml"
    f.write_text("id: swap\nextends: default\ncriteria:\n  total-emails: {check: exactly_one}\n")
    swapped = load_rubric(f).criterion("total-emails")
    assert swapped.check == "exactly_one" and swapped.params == {} and swapped.category == "frequency"
