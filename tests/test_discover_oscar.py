"""`auditor discover` on a real django-oscar, then `auditor run scenarios/guest-checkout.yaml` with the draft
as written: generic discovery (from the page's signals alone) and --platform auto (Oscar recognised, its
bundled profile checked on this store). Each places one order during discovery, confirmed by Oscar's own
email at the persona's address, and a full run is scored. Real CLI, real Chromium, real Oscar, real SMTP.

Oscar's browse pages list products from a search index the test store does not build, so the
product pages are given with --product, as a user would for a store whose home page lists none."""

import json
import time
from pathlib import Path

import pytest
import yaml
from cli_process import auditor, free_port
from oscar_fixture import running_store, template_db

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "guest-checkout.yaml"
PERSONA = ROOT / "scenarios" / "personas" / "guest-pl.yaml"


@pytest.fixture(scope="module", params=["generic", "auto"])
def discovered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict:
    platform = request.param
    tmp = tmp_path_factory.mktemp(f"discover-oscar-{platform}")
    port = free_port()
    with running_store(template_db(), tmp / "oscar", "127.0.0.1", port) as live:
        profile = tmp / "oscar.yaml"
        started = time.monotonic()
        hints = [arg for p in live.products for arg in ("--product", p.path)]
        discover = auditor(
            "discover", live.base_url, "--persona", str(PERSONA), "-o", str(profile), "--platform", platform,
            "--allow-order", "--mailbox", f"smtp://127.0.0.1:{port}", *hints,
        )  # fmt: skip
        run = auditor(
            "run", str(SCENARIO), "--store", str(profile), "--persona", str(PERSONA),
            "--mailbox", f"smtp://127.0.0.1:{port}", "--out", str(tmp / "run"),
        )  # fmt: skip
        minutes = (time.monotonic() - started) / 60
        orders = live.orders()
    return {"platform": platform, "profile": profile, "discover": discover, "run": run, "out": tmp / "run",
            "orders": orders, "minutes": minutes}  # fmt: skip


def test_discovery_recognises_oscar_and_orders_with_a_confirmation(discovered: dict) -> None:
    code, out = discovered["discover"]
    assert code == 0, out
    assert "platform: django-oscar" in out
    assert "confirmation arrived at guest+discover-" in out and "'Confirmation of order 1000" in out
    text = discovered["profile"].read_text()
    profile = yaml.safe_load(text)
    assert [p["name"] for p in profile["products"].values()] == ["Field Notebook A5", "Brass Fountain Pen"]
    if discovered["platform"] == "generic":  # found from the pages, not from our Oscar profile
        assert "bundled" not in text and "#id_first_name" in text and "'Place order'" in text
        assert "radio label 'I am a new customer and want to checkout as a guest'" in text
    else:
        assert "entries from the bundled django-oscar platform profile" in text


def test_the_generic_scenario_runs_the_oscar_draft_and_is_scored(discovered: dict) -> None:
    code, out = discovered["run"]
    assert code == 0, out
    scorecard = json.loads((discovered["out"] / "results.json").read_text())["stores"][0]["scorecard"]
    assert scorecard["total"] is not None and scorecard["total"] > 0
    # Oscar's own database: discovery's order and the run's, each by a guest at its own address
    orders = discovered["orders"]
    assert len(orders) == 2 and all(o.guest_email and o.guest_email.startswith("guest+") for o in orders)
    assert [len(o.lines) for o in orders] == [2, 2]
    print(
        f"oscar ({discovered['platform']}): {discovered['minutes']:.2f} min discover -> scored {scorecard['total']:.0f}"
    )
