"""`auditor discover` on an AJAX shop (tests/ajax_shop.py, Polish): products from schema.org, a cart filled by
fetch, an accordion checkout whose panels arrive by fetch and slide open, a checkbox only the store's
validation message points at, a payment method that needs no card, an order answered in place. The draft
orders with a confirmation by mail, and the generic scenario runs it as written and is scored."""

import json
from pathlib import Path

import pytest
import yaml
from ajax_shop import AjaxShop
from cli_process import auditor, free_port

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "guest-checkout.yaml"
PERSONA = ROOT / "scenarios" / "personas" / "guest-pl.yaml"


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("discover-ajax")
    port = free_port()
    profile = tmp / "sklep.yaml"
    with AjaxShop(smtp_port=port) as shop:
        discover = auditor(
            "discover", shop.url, "--persona", str(PERSONA), "-o", str(profile), "--allow-order",
            "--mailbox", f"smtp://127.0.0.1:{port}",
        )  # fmt: skip
        after_discovery = list(shop.orders)
        run = auditor(
            "run", str(SCENARIO), "--store", str(profile), "--persona", str(PERSONA),
            "--mailbox", f"smtp://127.0.0.1:{port}", "--out", str(tmp / "run"),
        )  # fmt: skip
        return {"discover": discover, "run": run, "profile": profile, "orders": list(shop.orders),
                "after_discovery": after_discovery, "out": tmp / "run"}  # fmt: skip


def steps(profile: dict, entry: str) -> list[str]:
    """Each step of an entry as one comparable line."""
    return [json.dumps(step, ensure_ascii=False, sort_keys=True) for step in profile["profile"][entry]]


def test_discovery_walks_the_accordion_and_orders(outcome: dict) -> None:
    code, out = outcome["discover"]
    assert code == 0, out
    assert "confirmation arrived at guest+discover-" in out and "Potwierdzenie zamówienia PL-0001" in out
    [order] = outcome["after_discovery"]
    assert order["platnosc"] == "pobranie" and order["items"] == ["dlugopis-zelowy", "notes-a5"]
    profile = yaml.safe_load(outcome["profile"].read_text())
    # the two cheapest usable: the cheaper T-shirt needs a size, the mug is out of stock
    assert [p["name"] for p in profile["products"].values()] == ["Długopis żelowy", "Notes A5 w kratkę"]
    checkout = steps(profile, "checkout")
    # after each "Dalej" the next panel's first field is awaited (visible, enabled, stable) before use
    assert checkout.index('{"wait_for": "#imie"}') == checkout.index('{"fill": {"locator": "#imie", "value": '
                                                                       '"{persona.first_name}"}}') - 1  # fmt: skip
    # the statement checkbox was found only through the store's refusal, and is ticked before the one click
    ticked = checkout.index('{"check": "#oswiadczenie"}')
    assert checkout[ticked + 1] == '{"click": {"idle": true, "locator": "#dalej-2"}}'
    assert sum('"#dalej-2"' in line for line in checkout) == 1
    assert '{"check": "#platnosc-pobranie"}' in checkout and '{"consent": "#newsletter"}' in checkout
    assert steps(profile, "place_order")[1:] == [
        '{"wait_for": "#numer-zamowienia"}',
        '{"extract": {"order_number": "#numer-zamowienia"}}',
    ]
    text = outcome["profile"].read_text()
    assert "pointed at by the store's validation message" in text and "TODO" not in text


def test_the_generic_scenario_runs_the_ajax_draft_and_is_scored(outcome: dict) -> None:
    code, out = outcome["run"]
    assert code == 0, out
    scorecard = json.loads((outcome["out"] / "results.json").read_text())["stores"][0]["scorecard"]
    assert scorecard["total"] is not None and scorecard["total"] > 0
    first, second = outcome["orders"]
    assert second["email"].startswith("guest+") and second["email"] != first["email"]
    assert second["items"] == ["dlugopis-zelowy", "notes-a5"] and second["platnosc"] == "pobranie"
