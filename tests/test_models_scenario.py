"""The scenario language as data: step shapes, shorthands, locators and template references."""

import pytest
import yaml
from pydantic import ValidationError

from auditor.models import MessageKind
from auditor.models.scenario import Scenario
from auditor.models.steps import LocatorSpec, PrimitiveStep, Step, references


def scenario(text: str) -> Scenario:
    return Scenario.model_validate(yaml.safe_load(text))


def errors(text: str) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        scenario(text)
    return [
        (".".join(str(p) for p in e["loc"] if not str(p).startswith("function-")), e["msg"])
        for e in caught.value.errors()
    ]


def test_steps_are_one_key_mappings_with_shorthands() -> None:
    s = scenario("""
id: s
steps:
  - visit: /
  - add_to_cart: {product: headphones, colour: black}
  - checkout:
  - click: "#buy"
  - click: {role: button, name: Place order, submits: order}
  - fill: {label: Email, value: "{run.address}"}
  - wait_for_url: "**/thank-you/"
  - screenshot: done
  - do: subscribe_newsletter
  - wait_for_mail: {kinds: [order_confirmation], timeout: 20, settle: 4}
""")
    assert [st.kind for st in s.steps] == [
        "visit",
        "add_to_cart",
        "checkout",
        "click",
        "click",
        "fill",
        "wait_for_url",
        "screenshot",
        "do",
        "wait_for_mail",
    ]
    assert s.steps[0].visit is not None and s.steps[0].visit.url == "/"
    assert s.steps[1].params == {"product": "headphones", "quantity": 1, "colour": "black"}
    assert s.steps[3].click is not None and s.steps[3].click.locator == LocatorSpec(css="#buy")
    assert s.steps[4].click is not None and s.steps[4].click.submits == "order"
    assert s.steps[4].click.locator.describe() == "role='button' name='Place order'"
    assert s.steps[5].fill is not None and s.steps[5].fill.locator.label == "Email"
    assert s.steps[8].profile_step == "subscribe_newsletter"
    assert s.steps[9].wait_for_mail is not None and s.steps[9].wait_for_mail.kinds == [MessageKind.order_confirmation]
    assert s.profile_steps == ["add_to_cart", "checkout", "subscribe_newsletter"]
    assert s.expectations.kinds == []  # defaults from auditor.models.Expectations


def test_an_unknown_persona_field_is_named_at_its_field() -> None:
    assert errors("id: s\nsteps:\n  - visit: /\n  - fill: {css: '#zip', value: '{persona.zip}'}\n") == [
        ("steps.1.fill.value", "persona has no field 'zip'")
    ]


def test_references_are_checked_against_the_models_including_nested_fields_and_properties() -> None:
    ok = scenario(
        "id: s\nsteps:\n  - fill: {css: '#a', value: "
        "'{persona.full_name}, {persona.address.city} {run.id} {store.currency} {{literal}}'}\n"
    )
    assert ok.steps[0].fill is not None
    found = errors(
        "id: s\nsteps:\n  - fill: {css: '#a', value: '{persona.address.zip}'}\n"
        "  - visit: '/{run.email}'\n  - ask_question: {text: 'about {product}'}\n"
    )
    assert found[0] == ("steps.0.fill.value", "persona has no field 'address.zip'")
    assert found[1][0] == "steps.1.visit.url" and "run has no field 'email'" in found[1][1]
    assert found[2][0] == "steps.2.ask_question.text" and "only known inside a store profile" in found[2][1]


def test_profile_steps_may_use_parameters() -> None:
    step = PrimitiveStep.model_validate({"visit": "/product/{product.slug}?q={quantity}"})
    assert step.visit is not None
    with pytest.raises(ValidationError, match="persona has no field 'age'"):
        PrimitiveStep.model_validate({"fill": {"css": "#a", "value": "{persona.age}"}})


def test_profiles_cannot_nest_high_level_steps() -> None:
    with pytest.raises(ValidationError, match="unknown step kind 'checkout'"):
        PrimitiveStep.model_validate({"checkout": {}})
    assert Step.model_validate({"checkout": None}).kind == "checkout"


def test_step_shape_mistakes() -> None:
    found = dict(
        errors("""
id: s
steps:
  - clik: "#buy"
  - {visit: /, click: "#x"}
  - click: {role: button, text: Buy}
  - select: {css: "#c"}
  - wait_for_url: {url: "**/x", regex: "x"}
  - click: {css: "#x", submits: payment}
""")
    )
    assert found["steps.0"].startswith("Value error, unknown step kind 'clik' (known: visit, click")
    assert found["steps.1"] == "Value error, a step has exactly one kind, got visit, click"
    assert "exactly one of css, role" in found["steps.2.click.locator"]
    assert "exactly one of 'value' or 'label'" in found["steps.3.select"]
    assert "exactly one of 'url' or 'regex'" in found["steps.4.wait_for_url"]
    assert "steps.5.click.submits" in found


def test_inline_locator_keys_never_take_a_steps_own_field() -> None:
    s = scenario("id: s\nsteps:\n  - select: {css: '#country', label: Poland}\n  - expect: {css: h1, text: Thanks}\n")
    assert s.steps[0].select is not None and s.steps[0].select.label == "Poland"
    assert s.steps[0].select.locator == LocatorSpec(css="#country")
    assert s.steps[1].expect is not None and s.steps[1].expect.text == "Thanks"


def test_references_syntax() -> None:
    assert references("{persona.first_name} {{not}} {run.address}") == ["persona.first_name", "run.address"]
    assert references("a { b } {1x}") == []


def test_scenario_needs_steps_and_a_safe_id() -> None:
    found = dict(errors("id: 'a b'\nsteps: []\n"))
    assert "id" in found and "steps" in found


def test_a_scenario_survives_a_json_round_trip_as_a_campaign_folder_stores_it() -> None:
    s = scenario("""
id: s
steps:
  - visit: /
  - click: {role: button, name: Buy, submits: order}
  - add_to_cart: {product: headphones, colour: black}
  - checkout:
  - wait_for_mail: {kinds: [order_confirmation]}
""")
    dumped = s.model_dump(mode="json")
    assert dumped["steps"][0] == {"visit": {"url": "/"}}
    assert Scenario.model_validate(dumped) == s
    assert Scenario.model_validate_json(s.model_dump_json()) == s
