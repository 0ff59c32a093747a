"""Rendering step values against a live persona, run, store and step parameters."""

import pytest

from auditor.models import Persona, Run, Store
from auditor.shopper.errors import StepFailed
from auditor.shopper.template import render, step_params, template_context

PERSONA = Persona.model_validate(
    {
        "id": "anna",
        "first_name": "Anna",
        "last_name": "Kowalska",
        "marketing_consent": False,
        "address": {"line1": "ul. Długa 1", "city": "Gdańsk", "postcode": "80-001"},
        "email": {"kind": "catch_all", "mailbox": "box@shop.test"},
    }
)
STORE = Store(
    id="s",
    name="S",
    base_url="http://h",
    currency="PLN",
    products={"headphones": "wireless-headphones", "watch": {"slug": "smartwatch", "url": "/p/3"}},
)
RUN = Run(id="r9", store_id="s", scenario_id="x", persona_id="anna", address=PERSONA.email.address_for("r9"))
CONTEXT = template_context(PERSONA, RUN, STORE)


def test_persona_run_and_store_values() -> None:
    text = "{persona.full_name}, {persona.address.city} <{run.address}> {store.currency} {{x}}"
    assert render(text, CONTEXT) == "Anna Kowalska, Gdańsk <r9@shop.test> PLN {x}"
    assert render("{persona.marketing_consent}", CONTEXT) == "false"
    assert render("{persona.address.line2}", CONTEXT) == ""


def test_products_are_mapped_to_what_the_store_calls_them() -> None:
    params = step_params({"product": "headphones", "quantity": 2}, STORE)
    assert render("/product/{product}?q={quantity}", {**CONTEXT, **params}) == "/product/wireless-headphones?q=2"
    watch = step_params({"product": "watch"}, STORE)
    assert render("{product.url} {product.slug}", {**CONTEXT, **watch}) == "/p/3 smartwatch"
    assert step_params({"product": "unlisted-slug"}, STORE)["product"] == "unlisted-slug"


def test_a_mapping_used_whole_or_a_missing_name_fails_the_step() -> None:
    watch = step_params({"product": "watch"}, STORE)
    with pytest.raises(StepFailed, match="is a mapping; use one of its keys: slug, url"):
        render("{product}", {**CONTEXT, **watch})
    with pytest.raises(StepFailed, match=r"'\{text\}' has no value here"):
        render("{text}", CONTEXT)


def test_a_scenario_steps_own_references_are_rendered_before_the_profile_uses_them() -> None:
    params = step_params({"text": "Hello, {persona.first_name} ({run.address}) {{ok}}"}, STORE, CONTEXT)
    assert render("{text}", {**CONTEXT, **params}) == "Hello, Anna (r9@shop.test) {ok}"
