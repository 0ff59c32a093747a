"""`auditor discover` on the three demo stores, then `auditor run scenarios/guest-checkout.yaml` with the
draft as written: each draft places an order (discovery's own, confirmed by mail), a dry run stops at
the order button, and a full run is scored. Real CLI in subprocesses, real Chromium, real SMTP."""

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from cli_process import free_port

from auditor.demo.shop import DemoShop

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "guest-checkout.yaml"
PERSONA = ROOT / "scenarios" / "personas" / "guest-pl.yaml"
STORES = ("exemplary", "chatty", "bare")


def auditor(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "auditor", *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Per store: discover (with one order), a dry run, then a scored run, all three stores side by side."""
    tmp = tmp_path_factory.mktemp("discover-demo")
    ports = {store: free_port() for store in STORES}
    shops = {store: DemoShop("127.0.0.1", ports[store], time_scale=0.05) for store in STORES}
    for shop in shops.values():
        shop.start()
    results: dict[str, dict] = {store: {"profile": tmp / store / "profile.yaml"} for store in STORES}
    try:
        started = time.monotonic()
        procs = {
            store: auditor(
                "discover",
                shops[store].url_for(store),
                "--persona",
                str(PERSONA),
                "-o",
                str(results[store]["profile"]),
                "--allow-order",
                "--mailbox",
                f"smtp://127.0.0.1:{ports[store]}",
            )  # fmt: skip
            for store in STORES
        }
        for store, proc in procs.items():
            results[store]["discover"] = (proc.wait(timeout=240), proc.communicate()[0])
        for mode in ("dry", "full"):
            procs = {
                store: auditor(
                    "run",
                    str(SCENARIO),
                    "--store",
                    str(results[store]["profile"]),
                    "--persona",
                    str(PERSONA),
                    "--mailbox",
                    f"smtp://127.0.0.1:{ports[store]}",
                    "--out",
                    str(tmp / store / mode),
                    *(["--dry-run"] if mode == "dry" else []),
                )  # fmt: skip
                for store in STORES
            }
            for store, proc in procs.items():
                results[store][mode] = (proc.wait(timeout=240), proc.communicate()[0], tmp / store / mode)
        results["minutes"] = {"all three, side by side": (time.monotonic() - started) / 60}
        return results
    finally:
        for shop in shops.values():
            shop.stop()


@pytest.mark.parametrize("store", STORES)
def test_discover_writes_a_draft_that_ordered_and_got_its_confirmation(outcomes: dict, store: str) -> None:
    code, out = outcomes[store]["discover"]
    assert code == 0, out  # 0: no TODO left
    assert "reached the place-order button, and placed one order" in out
    assert "confirmation arrived at guest+discover-" in out
    profile = yaml.safe_load(outcomes[store]["profile"].read_text())
    assert set(profile["products"]) == {"a", "b"}
    assert {"add_to_cart", "checkout", "place_order", "ask_question"} <= set(profile["profile"])
    text = outcomes[store]["profile"].read_text()
    assert "nth-child" not in text and "confidence" in text  # stable locators, each with its evidence
    assert outcomes[store]["profile"].with_suffix(".report.txt").read_text().startswith("Discovery report")


@pytest.mark.parametrize("store", STORES)
def test_a_dry_run_of_the_draft_reaches_the_order_button_and_stops(outcomes: dict, store: str) -> None:
    code, out, folder = outcomes[store]["dry"]
    assert code == 2, out  # a dry run has no score
    assert "dry run: stopped before the order" in out
    results = json.loads((folder / "results.json").read_text())
    assert results["stores"][0]["scorecard"]["total"] is None


@pytest.mark.parametrize("store", STORES)
def test_the_generic_scenario_runs_the_draft_as_is_and_is_scored(outcomes: dict, store: str) -> None:
    code, out, folder = outcomes[store]["full"]
    assert code == 0, out
    results = json.loads((folder / "results.json").read_text())
    scorecard = results["stores"][0]["scorecard"]
    assert scorecard["total"] is not None and scorecard["total"] > 0
    print(f"{store}: scored {scorecard['total']:.0f}; {outcomes['minutes']}")


def test_without_allow_order_discovery_never_orders_and_leaves_the_thank_you_page_todo(tmp_path: Path) -> None:
    port = free_port()
    profile = tmp_path / "exemplary.yaml"
    with DemoShop("127.0.0.1", port, time_scale=0.05) as shop:
        proc = auditor("discover", shop.url_for("exemplary"), "--persona", str(PERSONA), "-o", str(profile))
        code, out = proc.wait(timeout=240), proc.communicate()[0]
        assert shop.state.orders("exemplary") == []  # the order button was found, never clicked
        assert shop.state.questions("exemplary") == []  # nor was the question sent
    assert code == 1, out  # one TODO: the thank-you page was not seen
    assert "reached the place-order button (not clicked)" in out
    text = profile.read_text()
    assert "# TODO: the thank-you page was not seen" in text and "todo-1-place_order.png" in text
    assert (tmp_path / "exemplary-todo" / "todo-1-place_order.png").read_bytes().startswith(b"\x89PNG")
    placed = yaml.safe_load(text)["profile"]["place_order"][0]["click"]
    assert placed["submits"] == "order" and placed["locator"]["name"] == "Place order"


def test_allow_order_is_refused_on_a_real_money_store(tmp_path: Path) -> None:
    proc = auditor(
        "discover", "http://127.0.0.1:9/", "--persona", str(PERSONA), "-o", str(tmp_path / "x.yaml"),
        "--allow-order", "--real-money",
    )  # fmt: skip
    code, out = proc.wait(timeout=60), proc.communicate()[0]
    assert code == 2 and "refused on a real-money store" in out and "Traceback" not in out
    assert not (tmp_path / "x.yaml").exists()
