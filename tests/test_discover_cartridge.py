"""`auditor discover` on a second real platform, Cartridge (Mezzanine's shop, from PyPI), unlike Oscar:
products reached from the home page through the shop's listing (no hints), a review step whose "Next" places
the order (taken for the order button, never pressed as a mere step), a receipt mailed by the shop, a contact
form whose subject is a select. Then the generic scenario runs the draft as written and the run is done.
Real CLI, real Chromium, real Cartridge, real SMTP."""

import json
import sqlite3
import time
from contextlib import closing
from pathlib import Path

import cartridge_fixture
import pytest
import yaml
from cli_process import auditor, free_port

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "guest-checkout.yaml"
PERSONA = ROOT / "scenarios" / "personas" / "guest-pl.yaml"


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> dict:
    built = cartridge_fixture.template()
    tmp = tmp_path_factory.mktemp("discover-cartridge")
    port = free_port()
    profile = tmp / "cartridge.yaml"
    db_path = tmp / "shop" / "cshop" / "dev.db"
    with cartridge_fixture.running_cartridge(built, tmp / "shop", port) as base_url:
        dry = auditor("discover", base_url, "--persona", str(PERSONA), "-o", str(tmp / "no-order.yaml"))
        with closing(sqlite3.connect(db_path)) as db:
            orders_without_allow = db.execute("SELECT COUNT(*) FROM shop_order").fetchone()[0]
        started = time.monotonic()
        discover = auditor(
            "discover", base_url, "--persona", str(PERSONA), "-o", str(profile), "--allow-order",
            "--mailbox", f"smtp://127.0.0.1:{port}",
        )  # fmt: skip
        run = auditor(
            "run", str(SCENARIO), "--store", str(profile), "--persona", str(PERSONA),
            "--mailbox", f"smtp://127.0.0.1:{port}", "--out", str(tmp / "run"),
        )  # fmt: skip
        minutes = (time.monotonic() - started) / 60
    with closing(sqlite3.connect(db_path)) as db:
        orders = db.execute(
            "SELECT billing_detail_email, item_total, (SELECT COUNT(*) FROM shop_orderitem i WHERE i.order_id = o.id)"
            " FROM shop_order o ORDER BY o.id"
        ).fetchall()
    return {"dry": dry, "orders_without_allow": orders_without_allow, "discover": discover, "run": run,
            "profile": profile, "orders": orders, "out": tmp / "run", "minutes": minutes}  # fmt: skip


def test_without_allow_order_the_review_steps_next_is_never_pressed(outcome: dict) -> None:
    code, out = outcome["dry"]
    assert outcome["orders_without_allow"] == 0, out
    assert "is taken for the order button" in out and "reached the place-order button (not clicked)" in out


def test_discovery_finds_the_products_and_takes_the_review_steps_next_for_the_order(outcome: dict) -> None:
    code, out = outcome["discover"]
    assert code == 1, out  # one TODO: Cartridge's thank-you page shows no order number
    assert "platform: cartridge" in out
    assert "confirmation arrived at guest+discover-" in out and "'Order Receipt'" in out
    text = outcome["profile"].read_text()
    profile = yaml.safe_load(text)
    # found from the home page through the Shop page: the two cheapest (the demo pony's options come preset)
    assert [p["name"] for p in profile["products"].values()] == ["Django Pony", "Field Notebook A5"]
    order_click = profile["profile"]["place_order"][0]["click"]
    assert order_click["submits"] == "order" and order_click["locator"]["name"] == "Next"
    assert "a review step" in text and "# TODO: the thank-you page shows no order number" in text
    assert "#id_billing_detail_country" in text  # a required country typed as the persona's code


def test_the_generic_scenario_runs_the_cartridge_draft(outcome: dict) -> None:
    code, out = outcome["run"]
    assert "run " in out and " done" in out, out
    results = json.loads((outcome["out"] / "results.json").read_text())
    assert results["stores"][0]["runs"], out
    # Cartridge's own database: discovery's order and the run's, by guests at their own addresses
    emails = [email for email, _, _ in outcome["orders"]]
    assert len(emails) == 2 and len(set(emails)) == 2 and all(e.startswith("guest+") for e in emails)
    (_, first_total, first_lines), (_, second_total, second_lines) = outcome["orders"]
    assert first_lines == second_lines == 2 and first_total == second_total > 0  # the same two products
    print(f"cartridge: {outcome['minutes']:.2f} min discover -> run, exit {code}")
