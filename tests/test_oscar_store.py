"""The test store itself: a real django-oscar, a real Chromium, a real SMTP server.

Proves the store is fit for end-to-end tests before the shopper drives it
(only the browser launch is ours): a guest buys two products by hand-written
Playwright calls and Oscar's own confirmation email arrives.
"""

import asyncio
import email
import os
import re
import shutil
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator
from decimal import Decimal
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

import oscar_fixture as oscar_helper
import pytest
from aiosmtpd.smtp import SMTP, Envelope, Session
from bs4 import BeautifulSoup
from oscar_fixture import (
    TEMPLATE_INPUTS,
    OscarError,
    OscarStore,
    guest_checkout,
    running_store,
    template_db,
    template_key,
)

from auditor.shopper import launch_browser

GUEST = "guest+oscar1@example.test"


class Inbox:
    """An aiosmtpd handler that keeps every message and wakes waiters on arrival."""

    def __init__(self) -> None:
        self.messages: list[tuple[Envelope, EmailMessage]] = []
        self.arrived = asyncio.Event()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content
        assert isinstance(raw, bytes)
        self.messages.append((envelope, email.message_from_bytes(raw, policy=default_policy)))
        self.arrived.set()
        return "250 OK"

    async def next_message(self, timeout: float = 10) -> tuple[Envelope, EmailMessage]:
        await asyncio.wait_for(self.arrived.wait(), timeout)
        return self.messages[-1]


@pytest.fixture
async def smtp() -> AsyncIterator[tuple[Inbox, int]]:
    """A real SMTP server on a kernel-chosen port, in the test's own event loop."""
    inbox = Inbox()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(inbox), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield inbox, port
    finally:
        server.close()
        await server.wait_closed()


@pytest.fixture(scope="session")
def oscar_template() -> Path:
    """Migrated and seeded once per machine and shop version (see tests/oscar_fixture.py)."""
    return template_db()


@pytest.fixture
def store(oscar_template: Path, smtp: tuple[Inbox, int], tmp_path: Path) -> Iterator[OscarStore]:
    with running_store(oscar_template, tmp_path / "oscar", "127.0.0.1", smtp[1]) as running:
        yield running


def test_product_pages_show_the_seeded_prices(store: OscarStore) -> None:
    for product in store.products:
        with urllib.request.urlopen(store.url(product.path), timeout=10) as answer:
            html = answer.read().decode()
        assert product.title in html
        assert f"€{product.price}" in html  # zero tax: incl. = excl. = the seeded price


NOWAK = {"first_name": "Anna", "last_name": "Nowak", "line1": "ul. Prosta 1", "line4": "Warszawa", "postcode": "00-001"}


async def test_guest_checkout_of_two_products_sends_oscar_confirmation(
    store: OscarStore, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    async with launch_browser() as browser:
        page = await browser.new_page()
        number = await guest_checkout(page, store, GUEST, NOWAK)

    assert re.fullmatch(r"1\d{5}", number), number
    envelope, message = await inbox.next_message()
    assert envelope.rcpt_tos == [GUEST]
    assert message["Subject"] == f"Confirmation of order {number}"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    total = sum((p.price for p in store.products), Decimal(0))
    html_text = " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())
    for product in store.products:
        assert f"{product.title} - quantity: 1 - price: €{product.price}" in text
        assert f"{product.title} × 1 €{product.price}" in html_text
    for body in (text, html_text):
        assert f"Order Total: €{total}" in body
        assert f"your order {number} has been received" in body
    # The order-status link points at this store: serve.py set the Site domain to its own port.
    host_port = store.base_url.removeprefix("http://").rstrip("/")
    assert f"http://{host_port}/" in text
    assert len(inbox.messages) == 1


def test_a_store_that_cannot_start_says_why(tmp_path: Path) -> None:
    broken = tmp_path / "not-a-database.sqlite3"
    broken.write_text("this is not sqlite")
    with (
        pytest.raises(OscarError, match="exited .* before READY"),
        running_store(broken, tmp_path / "oscar", "127.0.0.1", 9),
    ):
        pass


def test_stopping_a_store_ends_its_process_group(oscar_template: Path, tmp_path: Path) -> None:
    with running_store(oscar_template, tmp_path / "oscar", "127.0.0.1", 9) as live:
        with urllib.request.urlopen(live.url("/basket/"), timeout=10) as answer:
            assert answer.status == 200
        assert os.getpgid(live.pid) == live.pid  # its own session: stopping it cannot hit pytest
    with pytest.raises(ProcessLookupError):
        os.killpg(live.pid, 0)
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(live.url("/basket/"), timeout=5)


def test_each_store_gets_its_own_copy_of_the_template(oscar_template: Path, tmp_path: Path) -> None:
    with (
        running_store(oscar_template, tmp_path / "a", "127.0.0.1", 9) as a,
        running_store(oscar_template, tmp_path / "b", "127.0.0.1", 9) as b,
    ):
        assert a.base_url != b.base_url
        assert a.db_path != b.db_path and a.db_path != oscar_template
        assert a.orders() == b.orders() == []
    assert oscar_template.read_bytes()[:16] == b"SQLite format 3\x00"  # the template itself is untouched


def test_template_key_follows_file_content_not_place(tmp_path: Path) -> None:
    copies = []
    for i, path in enumerate(TEMPLATE_INPUTS):
        copies.append(tmp_path / f"{i}-{path.name}")
        shutil.copyfile(path, copies[-1])
    assert template_key(copies) == template_key()
    copies[-1].write_text(copies[-1].read_text().replace("19.99", "18.99"))
    assert template_key(copies) != template_key()


def test_a_failed_template_build_says_why_and_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    failing_manage = tmp_path / "failing_manage.py"  # stands in for a migrate that breaks
    failing_manage.write_text("import sys\nprint('no such table: boom', file=sys.stderr)\nsys.exit(3)\n")
    monkeypatch.setattr(oscar_helper, "MANAGE", failing_manage)
    cache = tmp_path / "cache"
    with pytest.raises(OscarError, match=r"failing_manage.py migrate .* exited 3:\n.*no such table: boom"):
        template_db(cache_dir=cache)
    assert sorted(p.name for p in cache.iterdir()) == ["build.lock"]  # no half-built database to pick up
