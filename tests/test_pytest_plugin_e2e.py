"""The pytest plugin end to end, as a store team would use it: pytest-playwright's ``page`` drives a
real Chromium through the demo stores and a real django-oscar store, types ``audit_mailbox.address``
at checkout, and asserts on the mail the plugin's embedded SMTP sink received.

Each pytester project runs in a subprocess (the plugin loads from its entry point), with one
browser, one demo shop and one Oscar store per session; the demo shop runs at 0.3x its delays.
"""

from __future__ import annotations

import json
import re
import socket
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

# the inner sessions run with this venv's plugins; pytest-asyncio warns without this setting
QUIET_INI = "[pytest]\nasyncio_default_fixture_loop_scope = function\n"

TESTS_DIR = Path(__file__).resolve().parent

DOCS = TESTS_DIR.parent / "docs" / "pytest.md"


def _docs_example() -> tuple[str, str]:
    """The conftest and test module that docs/pytest.md offers to copy (its first two Python blocks)."""
    blocks = re.findall(r"```python\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.DOTALL)
    return blocks[0], blocks[1]


# The documented conftest (its demo store, its system-Chromium launch), plus two stores of our own.
CONFTEST = (
    _docs_example()[0]
    + f"""

import sys

sys.path.insert(0, {str(TESTS_DIR)!r})  # tests/oscar_fixture.py


@pytest.fixture(scope="session")
def shop(audit_smtp):
    \"\"\"The demo stores at 0.3x their delays, sending to this worker's sink (started before any test).\"\"\"
    host, port = audit_smtp
    with DemoShop(host, port, time_scale=0.3) as shop:
        yield shop


@pytest.fixture(scope="session")
def oscar(audit_smtp, tmp_path_factory):
    \"\"\"A django-oscar store whose SMTP is this worker's sink: it mails inside the order POST.\"\"\"
    from oscar_fixture import running_store, template_db

    host, port = audit_smtp
    with running_store(template_db(), tmp_path_factory.mktemp("oscar"), host, port) as store:
        yield store
"""
)

DEMO_CHECKOUT = """
ANNA = dict(first_name="Anna", last_name="Nowak", line1="ul. Prosta 1", city="Warszawa", postcode="00-001")


def buy_headphones(page, store_url, audit_mailbox, audit_order):
    page.goto(f"{store_url}/product/wireless-headphones")
    page.click("#add-to-cart")
    page.wait_for_url("**/cart")
    page.click("a#checkout")
    for field in ("first_name", "last_name", "line1", "city", "postcode"):
        page.fill(f"#{field}", ANNA[field])
    page.fill("#email", audit_mailbox.address)
    audit_order.customer(**ANNA)
    audit_order.clicked()
    page.click("#place-order")
    page.wait_for_url("**/order/*")
    rows = page.locator("tr.order-item").all()
    return audit_order.shown(
        order_number=page.inner_text("#order-number"),
        items=[
            (r.locator(".item-name").inner_text(), int(r.locator(".item-quantity").inner_text()),
             r.locator(".item-price").inner_text())
            for r in rows
        ],
        total=page.inner_text("#order-total"),
    )
"""

STORE_TESTS = (
    DEMO_CHECKOUT
    + """

def test_exemplary(page, shop, audit_mailbox, audit_order, audit_score):
    audit_order.store("exemplary")
    order = buy_headphones(page, shop.url_for("exemplary"), audit_mailbox, audit_order)
    confirmation = audit_mailbox.expect("order_confirmation", within=10)
    assert order.number in confirmation.message.subject
    assert confirmation.evidence.order_number.value == order.number
    audit_mailbox.assert_exactly_one("order_confirmation", within=3)
    audit_mailbox.expect_none("marketing", within=3)
    audit_score("ci-strict").assert_passes()


def test_chatty(page, shop, audit_mailbox, audit_order):
    audit_order.store("chatty")
    buy_headphones(page, shop.url_for("chatty"), audit_mailbox, audit_order)
    audit_mailbox.assert_exactly_one("order_confirmation", within=3)


def test_bare(page, shop, audit_mailbox, audit_order, audit_score):
    audit_order.store("bare")
    buy_headphones(page, shop.url_for("bare"), audit_mailbox, audit_order)
    audit_mailbox.assert_exactly_one("order_confirmation", within=3)
    audit_score("ci-strict").assert_passes()


def test_oscar(page, oscar, audit_mailbox, audit_order):
    audit_order.store("oscar", "Oscar Test Shop", oscar.base_url)
    notebook = oscar.product("Field Notebook A5")
    page.goto(oscar.url(notebook.path))
    page.click("#add_to_basket_form button[type=submit]")
    page.wait_for_selector("#messages .alert-success")
    page.goto(oscar.url("/basket/"))
    page.click("a[href='/checkout/']")
    page.fill("#id_username", audit_mailbox.address)
    page.check("input[name=options][value=anonymous]")
    page.click("form:has(#id_username) button[type=submit]")
    page.wait_for_url("**/checkout/shipping-address/")
    for field, value in dict(first_name="Anna", last_name="Nowak", line1="ul. Prosta 1", line4="Warszawa",
                             postcode="00-001").items():
        page.fill(f"#id_{field}", value)
    page.click("#new_shipping_address button[type=submit]")
    page.wait_for_url("**/checkout/payment-details/")
    page.click("#view_preview")
    page.wait_for_url("**/checkout/preview/")
    audit_order.customer("Anna", "Nowak", line1="ul. Prosta 1", city="Warszawa", postcode="00-001")
    audit_order.clicked()
    page.click("#place-order")
    page.wait_for_url("**/checkout/thank-you/")
    number = page.inner_text("p.lead strong").strip()
    audit_order.shown(
        order_number=number,
        items=[(notebook.title, 1, f"{notebook.price} {notebook.currency}")],
        total=page.inner_text("h3.price_color"),
        currency=notebook.currency,
    )
    confirmation = audit_mailbox.expect("order_confirmation", within=20)
    assert number in confirmation.message.subject + confirmation.evidence.order_number.value
    audit_mailbox.assert_exactly_one("order_confirmation", within=2)
    assert [o.guest_email for o in oscar.orders()][-1] == audit_mailbox.address
"""
)

PARALLEL_TESTS = (
    DEMO_CHECKOUT
    + """

@pytest.mark.parametrize("buyer", ["first", "second"])
def test_own_mail_only(page, shop, buyer, audit_mailbox, audit_order, record_property):
    record_property("smtp_port", audit_mailbox.smtp[1])
    order = buy_headphones(page, shop.url_for("chatty"), audit_mailbox, audit_order)
    audit_mailbox.expect("marketing", within=10)
    assert audit_mailbox.messages
    for record in audit_mailbox.messages:
        assert record.message.recipients == [audit_mailbox.address]
        assert order.number in record.message.subject or record.evidence.kind != "order_confirmation"
"""
)


def _properties(junit: Path) -> dict[str, dict[str, str]]:
    return {
        case.get("name"): {p.get("name"): p.get("value") for p in case.iter("property")}
        for case in ET.parse(junit).iter("testcase")
    }


@pytest.mark.slow
def test_demo_stores_and_oscar_with_pytest_playwright(pytester: pytest.Pytester) -> None:
    pytester.makeini(QUIET_INI)
    pytester.makeconftest(CONFTEST)
    # the documented test as written, with windows of seconds instead of a minute
    pytester.makepyfile(test_store="import pytest\n" + STORE_TESTS, test_docs=_docs_example()[1].replace("=60", "=3"))
    report = pytester.path / "audit"
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "--junitxml=junit.xml", f"--auditor-report={report}", timeout=300
    )
    outcomes = {name: props for name, props in _properties(pytester.path / "junit.xml").items()}
    result.assert_outcomes(passed=3, failed=2)
    summary = result.stdout.str().split("short test summary info")[-1]
    assert "test_exemplary" not in summary and "test_oscar" not in summary and "test_confirmation" not in summary
    # chatty: its duplicate confirmation, both listed
    result.stdout.fnmatch_lines(
        [
            "*MailAssertionError: expected exactly one order_confirmation within 3 s of the order click; 2 came.",
            "*2 messages arrived for shopper+main-*@auditor.test:",
            "*+*s  order_confirmation 'Your order #5001'  from shop@chatty.demo.test",
            "*+*s  order_confirmation 'Your order #5001'  from shop@chatty.demo.test",
        ]
    )
    # bare: ci-strict's gate fails on the lost items and total, with the measured values and evidence
    result.stdout.fnmatch_lines(
        [
            "*ScoreAssertionError: rubric ci-strict: total *; the gate failed on 2:",
            "*✗ items: * — error level: fail (score 0.00)",
            "*measured: names 0/1, quantities 0/1, prices 0/1*",
            "*evidence: *Order 1042 received*",
            "*✗ total: * — error level: fail (score 0.00)",
        ]
    )
    results = json.loads((report / "results.json").read_text())
    totals = {s["id"]: s["scorecard"]["total"] for s in results["stores"]}
    assert set(totals) == {"exemplary", "chatty", "bare", "oscar", "test_docs"}
    assert totals["exemplary"] >= 80 > totals["bare"]
    assert all("auditor_evidence" in props for props in outcomes.values())


@pytest.mark.slow
def test_parallel_workers_get_their_own_mail(pytester: pytest.Pytester) -> None:
    pytester.makeini(QUIET_INI)
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_parallel="import pytest\n" + PARALLEL_TESTS)
    base = _two_free_ports()
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "-n", "2", f"--auditor-smtp-port={base}", "--junitxml=junit.xml",
        f"--auditor-report={pytester.path / 'audit'}", timeout=300,
    )  # fmt: skip
    result.assert_outcomes(passed=2)
    # both workers' runs in one report, each with its own messages only
    runs = [r for s in json.loads((pytester.path / "audit" / "results.json").read_text())["stores"] for r in s["runs"]]
    assert sorted(r["run"]["id"].split("-")[0] for r in runs) == ["gw0", "gw1"]
    for run in runs:
        assert run["messages"] and {m["sha256"] for m in run["messages"]}.isdisjoint(
            m["sha256"] for other in runs if other is not run for m in other["messages"]
        )
    properties = list(_properties(pytester.path / "junit.xml").values())
    by_worker = {p["auditor_address"].split("+")[1].split("-")[0]: int(p["smtp_port"]) for p in properties}
    assert by_worker == {"gw0": base, "gw1": base + 1}, properties


def _two_free_ports() -> int:
    """A port N with N+1 also free (worker gwK's sink listens on N+K)."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            base = probe.getsockname()[1]
        if base >= 65535:
            continue
        try:
            with socket.socket() as a, socket.socket() as b:
                a.bind(("127.0.0.1", base))
                b.bind(("127.0.0.1", base + 1))
        except OSError:
            continue
        return base
    raise RuntimeError("no two consecutive free ports")
