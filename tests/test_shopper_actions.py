"""Primitive steps against real pages: retries on 5xx and dead ports, locators, consent, select, expect.

``FaultyStore`` is a fake on purpose: a real shop cannot be made to answer 500 then 200 on demand.
"""

import threading
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import pytest_asyncio
import yaml
from playwright.async_api import Browser, Page

from auditor.models import JournalEvent, Persona, Run, Store
from auditor.models.steps import PrimitiveStep
from auditor.shopper import ShopperOptions, launch_browser
from auditor.shopper.actions import RunSession, store_url
from auditor.shopper.errors import StepFailed
from auditor.shopper.memory import MemoryHooks
from auditor.shopper.runner import _reason
from auditor.shopper.template import template_context

in_module_loop = pytest.mark.asyncio(loop_scope="module")  # shares the module's browser

FORM = """<!doctype html><html><body>
<h1>Checkout</h1>
<form method="post" action="/crash">
  <label for="email">Email address</label><input id="email" name="email">
  <select id="country"><option value="DE">Germany</option><option value="PL">Poland</option></select>
  <input type="checkbox" id="news" checked> <label for="news">Send me offers</label>
  <input type="checkbox" id="terms">
  <button id="hidden" style="display:none">Hidden</button>
  <button id="crash" type="submit">Crash it</button>
</form></body></html>"""


AJAX = """<!doctype html><html><body>
<h1>Checkout</h1>
<button id="pay" onclick="fetch('/api/order', {method: 'POST', body: 'x'}).then(r => {
  if (!r.ok) alert('Payment declined:   the card was refused');
})">Place order</button></body></html>"""


class FaultyStore:
    """A store that answers ``/flaky`` with 500 for the first ``failures`` requests, then 200;
    ``/down`` always 500; ``/form`` a checkout form whose POST ``/crash`` answers 500; ``/ajax`` an
    AJAX checkout whose order request answers 500 and whose page then alerts the store's error text."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.hits: dict[str, int] = {}
        store = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _answer(self, status: int, body: str) -> None:
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                store.hits[self.path] = store.hits.get(self.path, 0) + 1
                if self.path == "/flaky":
                    if store.hits[self.path] <= store.failures:
                        self._answer(500, "<h1>Internal Server Error</h1>")
                    else:
                        self._answer(200, "<h1 id='ok'>Back again</h1>")
                elif self.path == "/down":
                    self._answer(503, "<h1>Service Unavailable</h1>")
                elif self.path == "/busy":
                    if store.hits[self.path] <= store.failures:
                        self._answer(429, "<h1>Too Many Requests</h1>")
                    else:
                        self._answer(200, "<h1 id='ok'>Served</h1>")
                elif self.path == "/form":
                    self._answer(200, FORM)
                elif self.path == "/ajax":
                    self._answer(200, AJAX)
                else:
                    self._answer(404, "<h1>Not Found</h1>")

            def do_POST(self) -> None:  # noqa: N802
                store.hits[self.path] = store.hits.get(self.path, 0) + 1
                self._answer(500, "<h1>Traceback</h1>")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FaultyStore":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def browser() -> AsyncIterator[Browser]:
    async with launch_browser() as b:
        yield b


@pytest.fixture
def faulty() -> Iterator[FaultyStore]:
    with FaultyStore(failures=2) as store:
        yield store


@pytest_asyncio.fixture(loop_scope="module")
async def page(browser: Browser) -> AsyncIterator[Page]:
    context = await browser.new_context()
    yield await context.new_page()
    await context.close()


def persona(consent: bool = False) -> Persona:
    return Persona.model_validate(
        {
            "id": "p",
            "first_name": "Anna",
            "last_name": "Kowalska",
            "marketing_consent": consent,
            "address": {"line1": "ul. Długa 1", "city": "Gdańsk", "postcode": "80-001"},
            "email": {"kind": "plus", "mailbox": "anna@example.test"},
        }
    )


def session(page: Page, base_url: str, tmp_path: Path, consent: bool = False, **options: object) -> RunSession:
    who = persona(consent)
    store = Store(id="faulty", name="Faulty", base_url=base_url)
    run = Run(id="r1", store_id="faulty", scenario_id="s", persona_id="p", address=who.email.address_for("r1"))
    return RunSession(
        page=page,
        store=store,
        persona=who,
        run=run,
        hooks=MemoryHooks(run.id),
        options=ShopperOptions(retry_backoff=0.05, locator_timeout=0.5, **options),
        artifacts_dir=tmp_path,
        values=template_context(who, run, store),
    )


def step(text: str) -> PrimitiveStep:
    return PrimitiveStep.model_validate(yaml.safe_load(text))


def test_paths_are_relative_to_the_store_base_url() -> None:
    assert store_url("http://h:1/exemplary", "/cart") == "http://h:1/exemplary/cart"
    assert store_url("http://h:1/exemplary/", "/") == "http://h:1/exemplary/"
    assert store_url("http://h:1", "checkout/") == "http://h:1/checkout/"
    assert store_url("http://h:1/x", "https://other.test/y") == "https://other.test/y"


@in_module_loop
async def test_a_500_then_200_answer_is_retried_and_succeeds(page: Page, faulty: FaultyStore, tmp_path: Path) -> None:
    s = session(page, faulty.url, tmp_path)
    await s.run_step(step("visit: /flaky"), {})
    assert faulty.hits["/flaky"] == 3  # two 500s, then the page
    assert await page.locator("#ok").text_content() == "Back again"


@in_module_loop
async def test_a_store_that_keeps_failing_fails_after_a_bounded_number_of_attempts(
    page: Page, faulty: FaultyStore, tmp_path: Path
) -> None:
    s = session(page, faulty.url, tmp_path, retries=2)
    with pytest.raises(StepFailed, match=r"/down: HTTP 503 \(after 3 attempts\)"):
        await s.run_step(step("visit: /down"), {})
    assert faulty.hits["/down"] == 3


@in_module_loop
async def test_a_404_fails_at_once_and_a_429_is_retried(page: Page, faulty: FaultyStore, tmp_path: Path) -> None:
    s = session(page, faulty.url, tmp_path)
    with pytest.raises(StepFailed, match=r"could not load .*/nowhere: HTTP 404 \(not retried"):
        await s.run_step(step("visit: /nowhere"), {})
    assert faulty.hits["/nowhere"] == 1
    await s.run_step(step("visit: /busy"), {})
    assert faulty.hits["/busy"] == 3


@in_module_loop
async def test_a_dead_port_is_a_navigation_error_retried_then_reported(page: Page, tmp_path: Path) -> None:
    with FaultyStore(0) as gone:
        url = gone.url
    s = session(page, url, tmp_path, retries=1)
    with pytest.raises(StepFailed, match=r"ERR_CONNECTION_REFUSED.*after 2 attempts"):
        await s.run_step(step("visit: /"), {})


@in_module_loop
async def test_a_click_whose_post_answers_500_fails_and_is_not_repeated(
    page: Page, faulty: FaultyStore, tmp_path: Path
) -> None:
    s = session(page, faulty.url, tmp_path)
    await s.run_step(step("visit: /form"), {})
    with pytest.raises(StepFailed, match=r"HTTP 500 at .*/crash"):
        await s.run_step(step("click: '#crash'"), {})
        await page.wait_for_url("**/crash")
        await s.run_step(step("expect: h1"), {})
    assert faulty.hits["/crash"] == 1


@in_module_loop
async def test_a_locator_that_matches_nothing_names_itself_and_the_page(
    page: Page, faulty: FaultyStore, tmp_path: Path
) -> None:
    s = session(page, faulty.url, tmp_path)
    await s.run_step(step("visit: /form"), {})
    with pytest.raises(StepFailed) as caught:
        await s.run_step(step("click: {role: button, name: Pay now}"), {})
    assert caught.value.reason == f"locator role='button' name='Pay now' matched nothing on {faulty.url}/form"
    with pytest.raises(StepFailed, match="matched 1 element\\(s\\), none visible"):
        await s.run_step(step("click: '#hidden'"), {})


@in_module_loop
async def test_a_fill_waits_for_a_field_shown_but_not_ready_and_fails_at_once_on_a_missing_one(
    page: Page, faulty: FaultyStore, tmp_path: Path
) -> None:
    """A fill is one round trip when its field is there; past the locator's time it tells a field not
    shown (fails now, naming it) from one shown but still disabled (it gets the rest of its time)."""
    s = session(page, faulty.url, tmp_path)  # locator_timeout 0.5 s
    await s.run_step(step("visit: /form"), {})
    await page.evaluate(
        """() => { const i = Object.assign(document.createElement('input'), {id: 'late', disabled: true});
                   document.forms[0].append(i); setTimeout(() => { i.disabled = false; }, 1200); }"""
    )
    await s.run_step(step("fill: {locator: '#late', value: 'ready now'}"), {})
    assert await page.input_value("#late") == "ready now"
    with pytest.raises(StepFailed) as caught:
        await s.run_step(step("fill: {locator: '#nowhere', value: 'x'}"), {})
    assert caught.value.reason == f"locator css='#nowhere' matched nothing on {faulty.url}/form"
    with pytest.raises(StepFailed, match="matched 1 element\\(s\\), none visible"):
        await s.run_step(step("check: {locator: '#hidden'}"), {})


@in_module_loop
@pytest.mark.parametrize("consent", [False, True])
async def test_consent_follows_the_persona(page: Page, faulty: FaultyStore, tmp_path: Path, consent: bool) -> None:
    s = session(page, faulty.url, tmp_path, consent=consent)
    await s.run_step(step("visit: /form"), {})
    await s.run_step(step("consent: '#news'"), {})  # ticked on the page to start with
    await s.run_step(step("check: {locator: '#terms'}"), {})
    assert await page.is_checked("#news") is consent
    assert await page.is_checked("#terms")


@in_module_loop
async def test_fill_by_label_with_persona_values_and_select_by_label(
    page: Page, faulty: FaultyStore, tmp_path: Path
) -> None:
    s = session(page, faulty.url, tmp_path)
    await s.run_step(step("visit: /form"), {})
    await s.run_step(step('fill: {label: Email address, value: "{run.address}"}'), {})
    await s.run_step(step("select: {css: '#country', label: Poland}"), {})
    assert await page.input_value("#email") == "anna+r1@example.test"
    assert await page.input_value("#country") == "PL"
    with pytest.raises(StepFailed, match="has no option with value 'Narnia'.*it has: 'DE', 'PL'"):
        await s.run_step(step("select: {css: '#country', value: Narnia}"), {})


@in_module_loop
async def test_expect_fails_with_what_it_wanted_and_where(page: Page, faulty: FaultyStore, tmp_path: Path) -> None:
    s = session(page, faulty.url, tmp_path)
    await s.run_step(step("visit: /form"), {})
    await s.run_step(step("expect: {css: h1, text: Checkout}"), {})
    with pytest.raises(StepFailed, match=r"expected css='h1' with text 'Thank you' on .*/form"):
        await s.run_step(step("expect: {css: h1, text: Thank you, timeout: 0.3}"), {})


@in_module_loop
async def test_screenshot_is_saved_under_the_run_folder_and_journaled(
    page: Page, faulty: FaultyStore, tmp_path: Path
) -> None:
    s = session(page, faulty.url, tmp_path)
    await s.run_step(step("visit: /form"), {})
    await s.run_step(step("screenshot: checkout"), {})
    shot = tmp_path / "checkout.png"
    assert shot.read_bytes().startswith(b"\x89PNG") and s.artifacts == [shot]
    assert isinstance(s.hooks, MemoryHooks)
    event: JournalEvent | None = s.hooks.journal.first("screenshot")
    assert event is not None and event.data["path"] == str(shot)


@in_module_loop
async def test_a_parameter_the_step_was_not_given_fails_clearly(
    page: Page, faulty: FaultyStore, tmp_path: Path
) -> None:
    s = session(page, faulty.url, tmp_path)
    with pytest.raises(StepFailed, match=r"'\{product\}' has no value here"):
        await s.run_step(step("visit: /product/{product}"), {"quantity": 1})


@in_module_loop
async def test_an_ajax_order_refused_by_the_store_is_named_in_the_failure(
    page: Page, faulty: FaultyStore, tmp_path: Path
) -> None:
    """The order click is answered (journaled as such), and the store's 500 and its alert text explain
    the next step's failure instead of a bare "never reached the thank-you page"."""
    s = session(page, faulty.url, tmp_path)
    await s.run_step(step("visit: /ajax"), {})
    async with page.expect_event("dialog"):
        await s.run_step(step("click: '#pay'"), {}, submits="order")
    events = {e.kind: e for e in s.hooks.journal.events}
    assert events["order_answered"].data["status"] == 500
    assert events["order_answered"].data["method"] == "POST"
    with pytest.raises(StepFailed) as failed:
        await s.run_step(step("wait_for_url: {url: '**/thank-you', timeout: 1}"), {})
    reason = _reason(failed.value, "place_order[1].wait_for_url", s.store_answer())
    assert reason.startswith("place_order[1].wait_for_url: the page never reached **/thank-you")
    assert "the store answered HTTP 500 to POST " in reason and reason.count("/api/order") == 1
    assert "the store said: 'Payment declined: the card was refused'" in reason
