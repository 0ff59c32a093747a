"""Loading user files, `auditor validate` and `auditor schema`."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.config import detect_kind, load_persona, load_scenario, load_store
from auditor.validation import validate_files, write_schemas
from auditor.yamlfile import ConfigError

DEMO = Path(__file__).parents[1] / "auditor" / "demo" / "campaign"
DEMO_FILES = [DEMO / "scenario.yaml", DEMO / "persona.yaml", *sorted((DEMO / "stores").glob("*.yaml"))]

THREE_MISTAKES = """\
id: three-mistakes
title: a scenario with three different mistakes
steps:
  - visit: /
  - add_to_cart: {product: headphones}
  - fill: {locator: "#zip", value: "{persona.zip}"}
  - clik: "#place-order"
  - wait_for_mail: {kinds: [order_confirmaton], timeout: 20}
"""


def test_the_demo_files_load_and_validate() -> None:
    assert load_scenario(DEMO / "scenario.yaml").profile_steps == [
        "add_to_cart",
        "checkout",
        "place_order",
        "ask_question",
        "answer_survey",  # timed steps, after the order
        "leave_review",
    ]
    assert load_persona(DEMO / "persona.yaml").marketing_consent is False
    for store_id in ("exemplary", "chatty", "bare"):
        store = load_store(DEMO / "stores" / f"{store_id}.yaml")
        assert store.id == store_id and store.currency == "PLN" and not store.real_money
    assert validate_files(DEMO_FILES) == []


def test_kinds_are_told_by_their_keys() -> None:
    kinds = [detect_kind(p) for p in DEMO_FILES]
    assert kinds == ["scenario", "persona", "store", "store", "store"]


def test_validate_prints_three_line_numbered_errors_for_three_mistakes(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(THREE_MISTAKES)
    result = CliRunner().invoke(app, ["validate", str(bad), str(DEMO / "persona.yaml")])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines == [
        f"{bad}:6: steps[2].fill.value: persona has no field 'zip'",
        f"{bad}:7: steps[3]: unknown step kind 'clik' (known: visit, click, fill, select, check, consent, "
        "wait_for_url, extract, expect, screenshot, wait_for, wait_for_idle, add_to_cart, checkout, place_order, "
        "ask_question, do, wait_for_mail)",
        lines[2],
    ]
    assert lines[2].startswith(f"{bad}:8: steps[4].wait_for_mail.kinds[0]: Input should be 'order_confirmation'")


def test_validate_passes_good_files_and_exits_0() -> None:
    result = CliRunner().invoke(app, ["validate", *map(str, DEMO_FILES)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_a_store_missing_a_step_the_scenario_uses_is_reported(tmp_path: Path) -> None:
    store = tmp_path / "store.yaml"
    store.write_text("id: tiny\nname: Tiny\nbase_url: http://x\nprofile:\n  add_to_cart:\n    - visit: /\n")
    problems = validate_files([DEMO / "scenario.yaml", store])
    assert [str(p) for p in problems] == [
        f"{store}:4: profile: no entry for checkout, place_order, ask_question, answer_survey, leave_review, "
        f"which {DEMO / 'scenario.yaml'} uses"
    ]


def test_store_and_persona_mistakes_have_lines(tmp_path: Path) -> None:
    store = tmp_path / "s.yaml"
    store.write_text(
        "id: s\nname: S\nbase_url: http://x\nprofile:\n  checkout:\n    - visit: /\n"
        "    - fill: {css: '#e', value: '{persona.emial}'}\n    - checkout: {}\n"
    )
    persona = tmp_path / "p.yaml"
    persona.write_text(
        "id: p\nfirst_name: A\nlast_name: B\nzip: 1\naddress: {line1: x, city: y, postcode: z}\n"
        "email: {kind: plus, mailbox: a@b.test}\n"
    )
    out = [str(p) for p in validate_files([store, persona])]
    assert out == [
        f"{store}:7: profile.checkout[1].fill.value: persona has no field 'emial'",
        f"{store}:8: profile.checkout[2]: unknown step kind 'checkout' (known: visit, click, fill, select, check, "
        "consent, wait_for_url, extract, expect, screenshot, wait_for, wait_for_idle)",
        f"{persona}:4: zip: Extra inputs are not permitted",
    ]


def test_an_unrecognisable_file_says_so(tmp_path: Path) -> None:
    odd = tmp_path / "odd.yaml"
    odd.write_text("hello: world\n")
    with pytest.raises(ConfigError, match="cannot tell what kind of file this is"):
        detect_kind(odd)


def test_schema_writes_one_json_schema_per_kind(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["schema", str(tmp_path / "schemas")])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (tmp_path / "schemas").iterdir())
    assert {"scenario.schema.json", "store.schema.json", "persona.schema.json"} <= set(written)
    scenario = json.loads((tmp_path / "schemas" / "scenario.schema.json").read_text())
    step = scenario["$defs"]["Step"]
    assert {"visit", "add_to_cart", "wait_for_mail"} <= set(step["properties"])
    assert step["additionalProperties"] is False and step["maxProperties"] == 2  # the kind, and a when: modifier


def test_the_schemas_accept_the_demo_files_as_written(tmp_path: Path) -> None:
    import jsonschema  # not a project dependency yet: the lead is asked to add it to the test extras
    import yaml

    schemas = {p.name.split(".")[0]: json.loads(p.read_text()) for p in write_schemas(tmp_path)}
    for path in DEMO_FILES:
        jsonschema.validate(yaml.safe_load(path.read_text()), schemas[detect_kind(path)])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"id": "x", "steps": [{"fill": {"label": "E", "valeu": "x"}}]}, schemas["scenario"])


def test_a_store_can_extend_another_and_override_fields_products_and_whole_profile_entries(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        f"extends: {DEMO / 'stores' / 'exemplary.yaml'}\nid: mine\nname: Mine\nbase_url: https://mine.test/shop\n"
        "products:\n  headphones: studio-headphones\n"
        "profile:\n  ask_question:\n    - visit: /help\n"
    )
    store = load_store(mine)
    base = load_store(DEMO / "stores" / "exemplary.yaml")
    assert (store.id, store.name, store.base_url, store.locale) == ("mine", "Mine", "https://mine.test/shop", "en-PL")
    assert store.products["headphones"] == "studio-headphones" and store.products["charger"] == "usb-c-charger"
    assert store.profile["checkout"] == base.profile["checkout"]
    assert [s.kind for s in store.profile["ask_question"]] == ["visit"]
    assert detect_kind(mine) == "store"


def test_a_mistake_in_an_extended_store_is_blamed_on_the_file_that_wrote_it(tmp_path: Path) -> None:
    base = tmp_path / "base.yaml"
    base.write_text("id: base\nname: Base\nbase_url: http://b\nprofile:\n  checkout:\n    - clik: '#go'\n")
    child = tmp_path / "child.yaml"
    child.write_text("extends: base.yaml\nid: child\nreal_money: maybe\n")
    with pytest.raises(ConfigError) as caught:
        load_store(child)
    assert [str(p) for p in caught.value.problems] == [
        f"{base}:6: profile.checkout[0]: unknown step kind 'clik' (known: visit, click, fill, select, check, "
        "consent, wait_for_url, extract, expect, screenshot, wait_for, wait_for_idle)",
        f"{child}:3: real_money: Input should be a valid boolean, unable to interpret input",
    ]


def test_an_extends_loop_or_missing_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("extends: b.yaml\nid: a\n")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\nid: b\n")
    with pytest.raises(ConfigError, match="b.yaml:1: extends: extends loops back to .*a.yaml"):
        load_store(tmp_path / "a.yaml")
    (tmp_path / "c.yaml").write_text("id: c\nextends: nowhere.yaml\n")
    with pytest.raises(ConfigError, match="c.yaml:2: extends: no such file: .*nowhere.yaml"):
        load_store(tmp_path / "c.yaml")
