"""A real django-oscar store for tests: migrated once, copied per store, served on 127.0.0.1.

``migrate`` takes 12-25 s, so the migrated and seeded sqlite file is built once
and cached on disk, keyed by the installed versions and the hash of the shop's
own files (a change to settings, seed or catalogue rebuilds it). Every store
instance gets its own copy, so tests never see each other's orders.

The server (``tests/oscar_store/serve.py``) binds a free port itself and prints
``READY <url>``: we await that line instead of polling a port.

Note the module name: with pytest's default import mode ``tests/`` is on
``sys.path``, so in the test process ``import oscar`` is this helper, not
django-oscar. Nothing here imports django-oscar in-process; Django only runs in
the child processes, whose ``sys.path`` starts at ``tests/oscar_store``.
"""

from __future__ import annotations

import hashlib
import json
import os
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path
from typing import Any

from build_once import built_once
from pydantic import BaseModel

SHOP_DIR = Path(__file__).resolve().parent / "oscar_store"
MANAGE = SHOP_DIR / "manage.py"
SERVE = SHOP_DIR / "serve.py"
CATALOGUE = SHOP_DIR / "catalogue.json"
# Files whose content decides what the template database holds.
TEMPLATE_INPUTS = [
    SHOP_DIR / "oscar_shop" / "settings.py",
    SHOP_DIR / "oscar_shop" / "management" / "commands" / "seed_store.py",
    CATALOGUE,
]
READY_TIMEOUT = 30.0
BUILD_TIMEOUT = 300.0


class OscarError(RuntimeError):
    """The test store could not be built or started; the message carries the child's output."""


class CatalogueProduct(BaseModel):
    """A product as seeded from ``catalogue.json``: what a test may expect the store to show."""

    title: str
    upc: str
    price: Decimal
    currency: str
    stock: int
    path: str  # the product page, e.g. /catalogue/field-notebook-a5_1/


class PlacedLine(BaseModel):
    title: str
    quantity: int
    unit_price: Decimal


class PlacedOrder(BaseModel):
    """An order as the store's own database holds it: the third witness beside page and email."""

    number: str
    total: Decimal
    currency: str
    guest_email: str | None
    lines: list[PlacedLine]


class OscarStore(BaseModel):
    """One running store: where it answers and what it sells."""

    base_url: str
    pid: int
    db_path: Path
    log_path: Path
    products: list[CatalogueProduct]

    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + "/" + path.lstrip("/")

    def product(self, title: str) -> CatalogueProduct:
        for product in self.products:
            if product.title == title:
                return product
        raise KeyError(f"{CATALOGUE}: no product titled {title!r}")

    def orders(self) -> list[PlacedOrder]:
        """Every order in this store's database, oldest first (read-only; the server keeps running)."""
        cents = Decimal("0.01")
        with closing(sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True)) as db:
            rows = db.execute(
                "SELECT id, number, CAST(total_incl_tax AS TEXT), currency, guest_email FROM order_order ORDER BY id"
            ).fetchall()
            orders = []
            for order_id, number, total, currency, guest_email in rows:
                lines = db.execute(
                    "SELECT title, quantity, CAST(unit_price_incl_tax AS TEXT) FROM order_line"
                    " WHERE order_id = ? ORDER BY id",
                    (order_id,),
                ).fetchall()
                orders.append(
                    PlacedOrder(
                        number=number,
                        total=Decimal(total).quantize(cents),
                        currency=currency,
                        guest_email=guest_email or None,
                        lines=[
                            PlacedLine(title=t, quantity=q, unit_price=Decimal(u).quantize(cents)) for t, q, u in lines
                        ],
                    )
                )
        return orders


def load_catalogue() -> list[CatalogueProduct]:
    """The seeded products with their page paths; pks follow seeding order in a fresh database."""
    data = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    products = []
    for pk, item in enumerate(data["products"], start=1):
        slug = _slugify(item["title"])
        products.append(
            CatalogueProduct(
                title=item["title"],
                upc=item["upc"],
                price=Decimal(item["price"]),
                currency=data["currency"],
                stock=item["stock"],
                path=f"/catalogue/{slug}_{pk}/",
            )
        )
    return products


def _slugify(text: str) -> str:
    """Django's slugify for the ASCII titles in catalogue.json (no Django in this process)."""
    kept = "".join(c if c.isalnum() or c in " -_" else "" for c in text.lower())
    return "-".join(kept.split())


def _child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OSCAR_STORE_", "DJANGO_"))}
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # keep tests/oscar_store free of __pycache__ noise
    env.update(extra)
    return env


def template_key(inputs: Sequence[Path] = TEMPLATE_INPUTS) -> str:
    """Names the cached template: installed versions plus the content (not the place) of the shop's files."""
    digest = hashlib.sha256()
    for dist in ("django-oscar", "Django", "sorl-thumbnail", "django-haystack"):
        digest.update(f"{dist}={version(dist)}\n".encode())
    for path in inputs:
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return f"oscar-{version('django-oscar')}-{digest.hexdigest()[:16]}"


def template_db(cache_dir: Path | None = None) -> Path:
    """The migrated, seeded sqlite file, built on first use and reused across sessions.

    A file lock makes parallel sessions wait for one build instead of each
    migrating; the file appears by an atomic rename, so a half-built database
    is never picked up.
    """
    root = cache_dir or Path(tempfile.gettempdir()) / "auditor-oscar-template"
    return built_once(root / f"{template_key()}.sqlite3", lambda building: _migrate_and_seed(building, root))


def _migrate_and_seed(building: Path, root: Path) -> None:
    env = _child_env(OSCAR_STORE_DB=str(building), OSCAR_STORE_MEDIA=str(root / "media"))
    for command in (["migrate", "--noinput", "-v0"], ["seed_store"]):
        _manage(command, env)


def _manage(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, str(MANAGE), *command],
        env=env,
        cwd=SHOP_DIR,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
    )
    if done.returncode != 0:
        raise OscarError(
            f"{MANAGE} {' '.join(command)} exited {done.returncode}:\n{done.stdout[-2000:]}{done.stderr[-4000:]}"
        )


@contextmanager
def running_store(
    template: Path, workdir: Path, smtp_host: str, smtp_port: int, *, currency: str | None = None
) -> Iterator[OscarStore]:
    """Copy the template into ``workdir``, serve it, yield the store, stop it (whole process group).

    Start the SMTP server first: Oscar sends its confirmation inside the POST
    that places the order, so a missing mailbox fails the checkout.
    ``currency`` reprices this copy's stock records (same amounts) in another
    currency, e.g. PLN, without another migrate.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    db_path = workdir / "oscar.sqlite3"
    shutil.copyfile(template, db_path)
    products = load_catalogue()
    if currency is not None:
        with closing(sqlite3.connect(db_path)) as db, db:
            db.execute("UPDATE partner_stockrecord SET price_currency = ?", (currency,))
        products = [p.model_copy(update={"currency": currency}) for p in products]
    log_path = workdir / "oscar-server.log"
    env = _child_env(
        OSCAR_STORE_DB=str(db_path),
        OSCAR_STORE_SMTP_HOST=smtp_host,
        OSCAR_STORE_SMTP_PORT=str(smtp_port),
        OSCAR_STORE_MEDIA=str(workdir / "media"),
        OSCAR_STORE_CURRENCY=currency or products[0].currency,
    )
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, str(SERVE), "--host", "127.0.0.1", "--port", "0"],
            env=env,
            cwd=SHOP_DIR,
            stdout=subprocess.PIPE,
            stderr=log,
            bufsize=0,
            start_new_session=True,
        )
    try:
        base_url = _await_ready(process, log_path)
        yield OscarStore(base_url=base_url, pid=process.pid, db_path=db_path, log_path=log_path, products=products)
    finally:
        _stop(process)


def _await_ready(process: subprocess.Popen[bytes], log_path: Path) -> str:
    """Block until the server prints its READY line; fail with its log if it dies or stalls.

    Reads the raw pipe (no Python buffer between ``select`` and the data), so a
    line that arrives together with others is never left unseen.
    """
    assert process.stdout is not None
    fd = process.stdout.fileno()
    seen = b""
    deadline = time.monotonic() + READY_TIMEOUT
    while (remaining := deadline - time.monotonic()) > 0:
        readable, _, _ = select.select([fd], [], [], remaining)
        if not readable:
            break
        chunk = os.read(fd, 4096)
        if not chunk:  # EOF: the server exited
            process.wait(timeout=5)
            raise OscarError(f"{SERVE} exited {process.returncode} before READY:\n{_tail(log_path)}")
        seen += chunk
        for line in seen.decode(errors="replace").splitlines(keepends=True):
            if line.startswith("READY ") and line.endswith("\n"):
                return line.split(" ", 1)[1].strip()
    raise OscarError(f"{SERVE} not READY after {READY_TIMEOUT:.0f} s:\n{_tail(log_path)}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=5)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
    if process.stdout is not None:
        process.stdout.close()


def _tail(path: Path, chars: int = 4000) -> str:
    try:
        return path.read_text(errors="replace")[-chars:]
    except OSError as exc:
        return f"(no log: {exc})"


async def guest_checkout(
    page: Any, store: OscarStore, email: str, address: dict[str, str], *, twice: str | None = None
) -> str:
    """Oscar's guest checkout by hand (selectors from COMPONENTS.md), independent of our scenario language;
    ``address`` holds first_name, last_name, line1, line4 (city), postcode; ``twice`` adds that product twice.
    Returns the order number the thank-you page shows."""
    for product in store.products:
        for _ in range(2 if product.title == twice else 1):
            await page.goto(store.url(product.path))
            await page.click("#add_to_basket_form button[type=submit]")
            # the POST must finish before the next goto, or the browser aborts it and the basket misses a line
            await page.wait_for_selector("#messages .alert-success")
    await page.goto(store.url("/basket/"))
    await page.click("a[href='/checkout/']")
    await page.fill("#id_username", email)
    await page.check("input[name=options][value=anonymous]")
    await page.click("form:has(#id_username) button[type=submit]")
    await page.wait_for_url("**/checkout/shipping-address/")
    for field in ("first_name", "last_name", "line1", "line4", "postcode"):
        await page.fill(f"#id_{field}", address[field])
    await page.click("#new_shipping_address button[type=submit]")
    await page.wait_for_url("**/checkout/payment-details/")  # free shipping: method step skipped
    await page.click("#view_preview")  # the default payment step takes nothing
    await page.wait_for_url("**/checkout/preview/")
    await page.click("#place-order")
    await page.wait_for_url("**/checkout/thank-you/")
    return (await page.inner_text("p.lead strong")).strip()
