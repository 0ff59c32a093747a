"""``discover()``: open a store, walk it, write a draft profile and its report beside it.

With ``allow_order`` (refused for a real-money store) the walk places one order and, given an
SMTP sink address the store sends to, waits for the confirmation at the persona's address for
this discovery: the draft is then known to buy, and the store known to mail.
"""

import asyncio
import re
import time
import uuid
from collections.abc import Callable
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, Field

from auditor.discover.draft import DraftInfo, profile_text, report_text
from auditor.discover.lexicon import lexicon
from auditor.discover.platforms import PlatformGuess, detect_platform, page_signals, rules
from auditor.discover.record import Recorder
from auditor.discover.scan import scan
from auditor.discover.walk_cart import add_to_cart, to_checkout
from auditor.discover.walk_checkout import Checkout
from auditor.discover.walk_order import place_order
from auditor.discover.walk_products import find_products
from auditor.discover.walk_question import contact
from auditor.models import Message, Persona, Run, Store
from auditor.models.steps import PrimitiveStep
from auditor.shopper.actions import RunSession
from auditor.shopper.browser import BrowserOptions, launch_browser
from auditor.shopper.errors import StepFailed
from auditor.shopper.memory import MemoryHooks
from auditor.shopper.options import ShopperOptions
from auditor.shopper.template import template_context


class DiscoverOptions(BaseModel):
    url: str
    out: Path = Field(description="the profile YAML to write; screenshots and the report go beside it")
    platform: str = Field(default="auto", description="auto, generic (never a bundled profile), or a platform name")
    allow_order: bool = False
    real_money: bool = False
    products: list[str] = Field(default_factory=list, description="product page URLs to start from")
    smtp: tuple[str, int] | None = Field(default=None, description="an SMTP sink to start, where the store sends")
    mail_timeout: float = 60
    store_id: str | None = None
    browser: BrowserOptions = Field(default_factory=BrowserOptions)


class DiscoveryResult(BaseModel):
    profile: Path
    report: Path
    report_text: str
    platform: str | None
    todos: int
    ordered: bool
    order_number: str | None = None
    confirmation: str | None = Field(default=None, description="the subject of the confirmation that arrived")
    confirmation_seconds: float | None = None
    seconds: float


class RefusedOrder(ValueError):
    """--allow-order on a store marked real_money: discovery never buys with real money."""


async def discover(options: DiscoverOptions, persona: Persona, say: Callable[[str], None] = print) -> DiscoveryResult:
    if options.allow_order and options.real_money:
        raise RefusedOrder("--allow-order is refused on a real-money store: discovery never pays")
    started = time.monotonic()
    base_url = options.url.rstrip("/")
    run_id = "discover-" + uuid.uuid4().hex[:8]
    address = persona.email.address_for(run_id)
    folder = options.out.parent
    folder.mkdir(parents=True, exist_ok=True)
    arrived: list[tuple[float, Message]] = []
    got_mail = asyncio.Event()

    async def on_message(message: Message, raw: bytes) -> None:
        if address.lower() in [r.lower() for r in message.recipients]:
            arrived.append((time.monotonic(), message))
            got_mail.set()

    async with AsyncExitStack() as stack:
        if options.allow_order and options.smtp is not None:
            from auditor.mail import SmtpSink

            host, port = options.smtp
            await stack.enter_async_context(SmtpSink(folder / f"{options.out.stem}-mail", on_message, host, port))
        browser = await stack.enter_async_context(launch_browser(options.browser))
        context = await browser.new_context(locale=persona.language, timezone_id=persona.timezone)
        stack.push_async_callback(context.close)
        page = await context.new_page()
        store = Store(id="draft", name="draft", base_url=base_url)
        run = Run(id=run_id, store_id="draft", scenario_id="discover", persona_id=persona.id, address=address)
        session = RunSession(
            page=page,
            store=store,
            persona=persona,
            run=run,
            hooks=MemoryHooks(run_id),
            options=ShopperOptions(locator_timeout=5, trace="off"),
            artifacts_dir=folder,
            values=template_context(persona, run, store),
        )
        # each step of the walk is run at once through the shopper's own session and recorded (record.py):
        # products (walk_products), cart (walk_cart), checkout steps and forms (walk_checkout, walk_form),
        # the order button and thank-you page (walk_order: never clicked without allow_order), the question
        r = Recorder(session, lexicon(), base_url, folder / f"{options.out.stem}-todo", say)
        await session.goto(options.url)
        await r.settle()
        home = await scan(page)
        if home.lang:
            r.lex = r.lex.preferring(home.lang)  # the page's own language first
        guess = await _platform(options.platform, page, context)
        say(f"platform: {guess.describe()}")
        bundled = _bundled(guess) if options.platform != "generic" else None
        order_at: float | None = None
        try:
            await find_products(r, options.products)
            if len(r.walk.products) < 2:
                await r.todo("products", f"found {len(r.walk.products)} usable product(s), need 2")
            elif bundled is not None:
                say(f"using the bundled {guess.platform} profile for the checkout")
                order_at = await _run_bundled(r, bundled, options.allow_order)
                if "ask_question" not in bundled:
                    await contact(r, home)
            else:
                await add_to_cart(r)
                checkout = Checkout(r)
                reached = "add_to_cart" in r.walk.profile and await to_checkout(r)
                if reached and await checkout.walk_checkout() is not None:
                    order_at = time.monotonic() if options.allow_order else None
                    await place_order(r, checkout.place, allow_order=options.allow_order)
                await contact(r, home)
        except StepFailed as exc:
            await r.todo("walk", f"stopped: {exc.reason}")
        if order_at is not None and options.smtp is not None:
            try:
                await asyncio.wait_for(got_mail.wait(), options.mail_timeout)
            except TimeoutError:
                r.walk.notes.append(f"no mail to {address} within {options.mail_timeout:g} s of the order")
    walk = r.walk
    info = DraftInfo(
        store_id=options.store_id or _store_id(base_url, home.title),
        name=_store_name(home.title) or _store_id(base_url, home.title),
        base_url=base_url,
        locale=home.lang or persona.language,
        currency=next((p.currency for p in walk.products if p.currency), None),
        platform=guess,
        bundled=bundled,
    )
    confirmation = seconds = None
    if arrived and order_at is not None:
        at, message = arrived[0]
        confirmation, seconds = message.subject or "(no subject)", at - order_at
        walk.notes.append(f"confirmation arrived at {address} {seconds:.1f} s after the order: {confirmation!r}")
    info.minutes["minutes from start to draft"] = (time.monotonic() - started) / 60
    text = profile_text(walk, info, persona.id)
    from auditor.config import load_store  # late: config imports much of the package

    options.out.write_text(text, encoding="utf-8")
    load_store(options.out)  # a draft that would not load is our bug: fail here, loudly
    report_path = options.out.with_suffix(".report.txt")
    report = report_text(walk, info, options.out)
    report_path.write_text(report, encoding="utf-8")
    return DiscoveryResult(
        profile=options.out,
        report=report_path,
        report_text=report,
        platform=guess.platform,
        todos=len(walk.todos),
        ordered=walk.ordered,
        order_number=walk.order_number,
        confirmation=confirmation,
        confirmation_seconds=seconds,
        seconds=time.monotonic() - started,
    )


async def _platform(choice: str, page: Any, context: Any) -> PlatformGuess:
    if choice in ("auto", "generic"):
        return detect_platform(await page_signals(page, context))
    if choice not in rules():
        raise ValueError(f"unknown platform {choice!r} (known: auto, generic, {', '.join(sorted(rules()))})")
    rule = rules()[choice]
    from auditor.discover.platforms import PROFILES

    return PlatformGuess(choice, 0, ["given with --platform"], PROFILES / rule.profile if rule.profile else None)


def _bundled(guess: PlatformGuess) -> dict[str, list[dict[str, Any]]] | None:
    if guess.profile is None:
        return None
    data = yaml.safe_load(guess.profile.read_text(encoding="utf-8"))
    return data["profile"]


async def _run_bundled(r: Recorder, entries: dict[str, list[dict[str, Any]]], allow_order: bool) -> float | None:
    """Check a bundled platform profile on this store by running it: both products, the checkout, and
    (only with --allow-order) the order. Returns when the order was clicked."""
    session = r.s
    for product in r.walk.products:
        params = {"product": {"url": r.rel(product.url), "name": product.name}, "quantity": 1}
        for step in entries.get("add_to_cart", []):
            await session.run_step(PrimitiveStep.model_validate(step), params)
    for step in entries.get("checkout", []):
        await session.run_step(PrimitiveStep.model_validate(step), {})
    r.walk.reached_place_order = True
    if not allow_order:
        return None
    at = time.monotonic()
    steps = [PrimitiveStep.model_validate(s) for s in entries.get("place_order", [])]
    for step in steps:
        submits = "order" if step.click is not None and step.click.submits == "order" else None
        await session.run_step(step, {}, submits=submits)
    r.walk.ordered = True
    r.walk.order_number = session.shown.number if session.shown else None
    return at


def _store_name(title: str) -> str:
    """``Cart · Exemplary Electronics`` / ``Oscar Test Shop -`` -> the shop's name."""
    parts = [p.strip(" -|·–") for p in re.split(r"\s[|·–-]\s|\s[|·–-]$", title) if p.strip(" -|·–")]
    return parts[-1] if parts else ""


def _store_id(base_url: str, title: str = "") -> str:
    """The last path segment (``/exemplary``), else the shop's name, else the host, as an id."""
    parts = urlsplit(base_url)
    tail = [p for p in parts.path.split("/") if p]
    raw = tail[-1] if tail else _store_name(title) or parts.hostname or "store"
    return re.sub(r"[^\w.-]+", "-", raw.lower()).strip("-") or "store"
