"""`auditor validate` across files: a scenario with its store and persona, a campaign as a whole, rubrics by name."""

import shutil
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from auditor.cli import app

ROOT = Path(__file__).parents[1]
SCENARIO = ROOT / "scenarios" / "oscar-guest-checkout.yaml"
STORE = ROOT / "scenarios" / "stores" / "oscar.yaml"
PERSONA = ROOT / "scenarios" / "personas" / "guest-pl.yaml"
DEMO = ROOT / "auditor" / "demo" / "campaign"


def validate(*args: str | Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(app, ["validate", *map(str, args)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout.splitlines()


def test_the_shipped_scenario_store_and_persona_fit() -> None:
    assert validate(SCENARIO, "--store", STORE, "--persona", PERSONA) == (0, [])


def test_a_product_missing_from_the_store_is_named_at_the_scenario_line(tmp_path: Path) -> None:
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(SCENARIO.read_text().replace("{product: pen}", "{product: pencil}"))
    code, lines = validate(scenario, "--store", STORE, "--persona", PERSONA)
    assert code == 1
    line = scenario.read_text().splitlines().index("  - add_to_cart: {product: pencil}") + 1
    assert lines == [
        f"{scenario}:{line}: steps[1].add_to_cart.product: no product 'pencil' in {STORE}'s products "
        "(it has: notebook, pen)"
    ]


def test_a_placeholder_with_no_value_is_named_at_the_profile_line(tmp_path: Path) -> None:
    """The profile reads a parameter the scenario's step does not give: the shopper would fail there."""
    store = tmp_path / "store.yaml"
    text = STORE.read_text().replace('value: "{persona.phone}"', 'value: "{gift_note}"')
    store.write_text(text)
    code, lines = validate(SCENARIO, "--store", store, "--persona", PERSONA)
    assert code == 1
    line = text.splitlines().index('    - fill: {locator: "#id_phone_number", value: "{gift_note}"}') + 1
    assert len(lines) == 1
    assert lines[0].startswith(
        f"{store}:{line}: profile.checkout[14].fill.value: '{{gift_note}}' has no value for {SCENARIO} steps[2] "
        "(no 'gift_note' in "
    )


def test_a_profile_entry_the_scenario_needs_is_missing(tmp_path: Path) -> None:
    store = tmp_path / "store.yaml"
    text = STORE.read_text()
    store.write_text(text[: text.index("  place_order:")])
    code, lines = validate(SCENARIO, "--store", store)
    assert code == 1
    assert lines == [f"{store}:22: profile: no entry for place_order, which {SCENARIO} uses"]


def test_store_and_persona_options_must_be_files_of_that_kind() -> None:
    code, lines = validate(SCENARIO, "--store", PERSONA)
    assert code == 1
    assert lines == [f"{PERSONA}:1: given as --store but is a persona file"]


def test_the_shipped_rubrics_validate_and_extends_resolves_by_name() -> None:
    assert validate(ROOT / "rubrics" / "ci-strict.yaml", ROOT / "rubrics" / "default.yaml") == (0, [])


def test_a_rubric_extending_an_unknown_name_says_so(tmp_path: Path) -> None:
    rubric = tmp_path / "mine.yaml"
    rubric.write_text("id: mine\nextends: defualt\ncriteria:\n  order-number: {weight: 2}\n")
    code, lines = validate(rubric)
    assert code == 1
    assert lines[0].startswith("defualt: no bundled rubric named 'defualt'")


def test_the_demo_campaign_validates_as_a_whole() -> None:
    assert validate(DEMO / "campaign.yaml") == (0, [])


def test_a_campaign_reports_every_problem_in_every_file_it_names(tmp_path: Path) -> None:
    camp = tmp_path / "camp"
    shutil.copytree(DEMO, camp)
    exemplary = camp / "stores" / "exemplary.yaml"  # the other two demo stores extend it
    exemplary.write_text(exemplary.read_text().replace("  headphones:", "  earbuds:", 1))
    spec = camp / "campaign.yaml"
    spec.write_text(
        spec.read_text()
        .replace("  - stores/bare.yaml\n", "  - stores/bare.yaml\n  - stores/gone.yaml\n")
        .replace("rubric: default", "rubric: strict-ish")
    )
    code, lines = validate(spec)
    assert code == 1
    text = spec.read_text().splitlines()
    scenario = camp / "scenario.yaml"
    at = next(i + 1 for i, line in enumerate(scenario.read_text().splitlines()) if "headphones" in line)
    assert lines[:2] == [
        f"{spec}:{text.index('  - stores/gone.yaml') + 1}: stores[3]: no such file: {camp}/stores/gone.yaml",
        lines[1],
    ]
    assert lines[1].startswith(f"{spec}:{text.index('rubric: strict-ish') + 1}: rubric: strict-ish: no bundled rubric")
    assert lines[2:] == [
        f"{scenario}:{at}: steps[1].add_to_cart.product: no product 'headphones' in {camp}/stores/{store}.yaml's "
        "products (it has: charger, earbuds, smartwatch)"
        for store in ("exemplary", "chatty", "bare")
    ]


def test_run_and_campaign_refuse_a_scenario_that_does_not_fit_before_buying_anything(tmp_path: Path) -> None:
    """The same checks gate `auditor run` and `auditor campaign`: exit 2, nothing opened, no browser."""
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(SCENARIO.read_text().replace("{product: pen}", "{product: pencil}"))
    expected = f"{scenario}:9: steps[1].add_to_cart.product: no product 'pencil' in {STORE}'s products"
    run = subprocess.run(
        [sys.executable, "-m", "auditor", "run", str(scenario), "--store", str(STORE), "--persona", str(PERSONA),
         "--mailbox", "smtp://127.0.0.1:0", "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=60, cwd=ROOT,
    )  # fmt: skip
    assert run.returncode == 2
    assert run.stderr.startswith(expected)
    assert not (tmp_path / "out").exists()
    camp = tmp_path / "camp"
    shutil.copytree(DEMO, camp)
    exemplary = camp / "stores" / "exemplary.yaml"
    exemplary.write_text(exemplary.read_text().replace("  headphones:", "  earbuds:", 1))
    campaign = subprocess.run(
        [sys.executable, "-m", "auditor", "campaign", str(camp / "campaign.yaml"), "--out", str(tmp_path / "c")],
        capture_output=True, text=True, timeout=60, cwd=ROOT,
    )  # fmt: skip
    assert campaign.returncode == 2
    assert "no product 'headphones' in" in campaign.stderr
    assert not (tmp_path / "c").exists()


def test_a_placeholder_problem_in_an_inherited_profile_entry_is_blamed_on_the_parent(tmp_path: Path) -> None:
    shutil.copytree(DEMO, tmp_path / "demo")
    stores = tmp_path / "demo" / "stores"
    exemplary = stores / "exemplary.yaml"
    text = exemplary.read_text().replace('"{persona.phone}"', '"{gift_note}"')
    assert text != exemplary.read_text()
    exemplary.write_text(text)
    code, lines = validate(tmp_path / "demo" / "scenario.yaml", "--store", stores / "chatty.yaml")
    assert code == 1
    line = next(i + 1 for i, row in enumerate(text.splitlines()) if "{gift_note}" in row)
    assert len(lines) == 1 and lines[0].startswith(f"{exemplary}:{line}: profile.checkout[")
    assert "'{gift_note}' has no value for" in lines[0]
