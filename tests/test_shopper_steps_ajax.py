"""The AJAX-checkout step kinds against a real accordion page in real Chromium: wait_for (visible,
enabled, stable), wait_for_idle and click idle, when:, select by visible text, retry_covered; and the
worked example of docs/scenarios.md run as written."""

import re
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
import yaml
from accordion_shop import AccordionShop
from playwright.async_api import Browser, Page
from playwright.async_api import Error as PlaywrightError

from auditor.models import Persona, Run, Store
from auditor.models.scenario import Scenario
from auditor.models.steps import PrimitiveStep
from auditor.shopper import ShopperOptions, launch_browser, run_scenario
from auditor.shopper.actions import RunSession
from auditor.shopper.errors import StepFailed
from auditor.shopper.memory import MemoryHooks
from auditor.shopper.template import template_context

in_module_loop = pytest.mark.asyncio(loop_scope="module")
DOCS = Path(__file__).resolve().parents[1] / "docs" / "scenarios.md"
RUNNING = "document.getAnimations().filter(a => a.playState === 'running').length"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def browser() -> AsyncIterator[Browser]:
    async with launch_browser() as b:
        yield b


@pytest_asyncio.fixture(loop_scope="module")
async def page(browser: Browser) -> AsyncIterator[Page]:
    context = await browser.new_context()
    yield await context.new_page()
    await context.close()


@pytest.fixture
def shop() -> Iterator[AccordionShop]:
    with AccordionShop(delay=0.4) as s:
        yield s


def persona() -> Persona:
    return Persona.model_validate(
        {
            "id": "p",
            "first_name": "Anna",
            "last_name": "Nowak",
            "address": {"line1": "ul. Prosta 1", "city": "Warszawa", "postcode": "00-001"},
            "email": {"kind": "plus", "mailbox": "anna@example.test"},
        }
    )


def session(page: Page, base_url: str, tmp_path: Path, **options: object) -> RunSession:
    who = persona()
    store = Store(id="accordion", name="Accordion", base_url=base_url)
    run = Run(id="r1", store_id="accordion", scenario_id="s", persona_id="p", address=who.email.address_for("r1"))
    return RunSession(
        page=page,
        store=store,
        persona=who,
        run=run,
        hooks=MemoryHooks(run.id),
        options=ShopperOptions(locator_timeout=2, **options),
        artifacts_dir=tmp_path,
        values=template_context(who, run, store),
    )


def step(text: str) -> PrimitiveStep:
    return PrimitiveStep.model_validate(yaml.safe_load(text))


async def run(s: RunSession, *texts: str) -> None:
    for text in texts:
        await s.run_step(step(text), {})


@in_module_loop
async def test_click_idle_returns_after_the_panel_request_ended(
    page: Page, shop: AccordionShop, tmp_path: Path
) -> None:
    s = session(page, shop.url, tmp_path)
    await run(s, "visit: /checkout", "fill: {locator: '#email', value: '{run.address}'}")
    started = time.monotonic()
    await run(s, "click: {locator: '#to-shipping', idle: true}")
    # the POST and the panel GET each take 0.4 s; idle means both ended, so the panel is already there
    assert time.monotonic() - started >= 0.8
    assert await page.locator("#shipping").count() == 1
    assert shop.posts == [("/api/email", {"email": "anna+r1@example.test"})]


@in_module_loop
async def test_wait_for_returns_only_once_the_panel_stopped_moving(
    page: Page, shop: AccordionShop, tmp_path: Path
) -> None:
    s = session(page, shop.url, tmp_path)
    await run(s, "visit: /checkout", "click: '#to-shipping'")
    # visible alone comes while the panel still slides (the 0.6 s transition is running)
    await page.locator("#shipping").wait_for(state="visible", timeout=5000)
    assert await page.evaluate(RUNNING) > 0
    await run(s, "wait_for: '#shipping'")
    assert await page.evaluate(RUNNING) == 0
    box = await page.locator("#shipping").bounding_box()
    await page.wait_for_timeout(100)  # a later frame: the box stays where wait_for saw it settle
    assert await page.locator("#shipping").bounding_box() == box


@in_module_loop
async def test_wait_for_enabled_and_its_failure_names_what_it_waited_for(
    page: Page, shop: AccordionShop, tmp_path: Path
) -> None:
    s = session(page, shop.url, tmp_path)
    await run(s, "visit: /checkout", "click: '#to-shipping'")  # the button disables itself while it posts
    with pytest.raises(StepFailed, match=r"css='#to-shipping' was not visible, enabled, stable within 0.3 s"):
        await run(s, "wait_for: {css: '#to-shipping', timeout: 0.3}")
    await run(s, "wait_for: {css: '#to-shipping', enabled: false, stable: false, timeout: 0.3}")


@in_module_loop
async def test_when_skips_a_step_whose_element_is_absent_and_runs_it_when_present(page: Page, tmp_path: Path) -> None:
    guarded = "check: '#guest'\nwhen: '#guest'"
    for guest_choice in (True, False):
        with AccordionShop(guest_choice=guest_choice) as shop:
            s = session(page, shop.url, tmp_path)
            await run(s, "visit: /checkout", guarded)
            assert isinstance(s.hooks, MemoryHooks)
            skipped = s.hooks.journal.first("step_skipped")
            if guest_choice:
                assert await page.is_checked("#guest") and skipped is None
            else:
                assert skipped is not None and skipped.data["when"] == "css='#guest'"
    with pytest.raises(StepFailed, match="matched nothing"):  # without when: the same step fails
        await run(s, "check: '#guest'")


def test_when_is_a_modifier_of_primitive_steps_only() -> None:
    parsed = step("click: '#go'\nwhen: {role: button, name: Go}")
    assert parsed.kind == "click" and parsed.when is not None and parsed.when.role == "button"
    assert parsed.model_dump(mode="json", exclude_none=True)["when"]["name"] == "Go"
    with pytest.raises(ValueError, match="'when' goes only with a primitive step"):
        Scenario.model_validate({"id": "x", "steps": [{"checkout": {}, "when": "#x"}]})
    with pytest.raises(ValueError, match="exactly one kind"):
        step("click: '#go'\nfill: {locator: '#x', value: y}")


@in_module_loop
async def test_select_by_visible_text(page: Page, shop: AccordionShop, tmp_path: Path) -> None:
    s = session(page, shop.url, tmp_path)
    await run(s, "visit: /checkout", "click: {locator: '#to-shipping', idle: true}", "wait_for: '#shipping'")
    await run(s, "select: {css: '#shipping', label: Cash on delivery}")
    assert await page.input_value("#shipping") == "cod"


@in_module_loop
async def test_retry_covered_clicks_once_the_overlay_is_gone(page: Page, tmp_path: Path) -> None:
    with AccordionShop(delay=0.05, cover=1.5) as shop:
        s = session(page, shop.url, tmp_path, action_timeout=0.5)
        prepare = ("visit: /checkout", "click: {locator: '#to-shipping', idle: true}", "wait_for: '#shipping'")
        await run(s, *prepare, "click: {locator: '#to-payment', idle: true}", "wait_for: '#place-order'")
        with pytest.raises(PlaywrightError, match="intercepts pointer events"):  # covered past the action timeout
            await run(s, "click: '#place-order'")
        assert [path for path, _ in shop.posts].count("/api/order") == 0

        await run(s, *prepare, "click: {locator: '#to-payment', idle: true}", "wait_for: '#place-order'")
        await run(s, "click: {locator: '#place-order', retry_covered: 5, idle: true}")
        assert [path for path, _ in shop.posts].count("/api/order") == 1
        assert await page.locator("#thanks").is_visible()
        assert isinstance(s.hooks, MemoryHooks)
        assert any(e.kind == "click_retried" for e in s.hooks.journal.events)


@in_module_loop
async def test_wait_for_idle_names_the_request_that_hangs(page: Page, tmp_path: Path) -> None:
    with AccordionShop(delay=1.5) as shop:
        s = session(page, shop.url, tmp_path)
        await run(s, "visit: /checkout", "click: '#to-shipping'")
        with pytest.raises(StepFailed, match=r"did not go quiet within 0.5 s .*still pending: POST .*/api/email"):
            await run(s, "wait_for_idle: {timeout: 0.5}")


def docs_example() -> dict:
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("### Accordion and AJAX checkouts", 1)[1]
    block = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert block, "docs/scenarios.md lost its accordion example"
    return yaml.safe_load(block.group(1))


@in_module_loop
async def test_the_documented_accordion_profile_places_one_order(browser: Browser, tmp_path: Path) -> None:
    with AccordionShop(delay=0.3, cover=1.0) as shop:
        store = Store.model_validate({**docs_example(), "base_url": shop.url})
        scenario = Scenario.model_validate({"id": "accordion", "steps": [{"checkout": {}}, {"place_order": {}}]})
        who = persona()
        run_ = Run(
            id="r2", store_id=store.id, scenario_id="accordion", persona_id="p", address=who.email.address_for("r2")
        )
        hooks = MemoryHooks(run_.id)
        result = await run_scenario(
            scenario, store, who, run_, browser=browser, hooks=hooks, artifacts_dir=tmp_path,
            options=ShopperOptions(trace="off", action_timeout=0.8),
        )  # fmt: skip
        assert result.ok, result.reason
        assert [path for path, _ in shop.posts] == ["/api/email", "/api/shipping", "/api/order"]
        assert shop.posts[1][1] == {"method": "cod"}
        assert result.shown_order is not None and result.shown_order.number == "A-0003"
