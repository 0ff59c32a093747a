"""A real Cartridge shop (Mezzanine's e-commerce app, from PyPI) for tests: built once, copied per store.

Cartridge 1.3.4 pins Django 4.2 while the project's Oscar needs 5.2, so it lives in a venv of its own,
``<venv>/cartridge``, made by scripts/install.sh. The project comes from Cartridge's own project template
(``mezzanine-project -a cartridge``) with our settings appended (SETTINGS below: no payment step, mail
to a given SMTP port, an en_US locale for prices) and ``createdb`` with its demo content, plus two
products without options (SEED). ``createdb`` takes ~30 s, so the built project is cached on disk,
keyed by the Cartridge version and the text of SETTINGS and SEED. The products are put in createdb's
"Shop" category, whose page lists them, so the home page leads to them.

Cartridge formats prices with the C library's locale and refuses to start without one that has
currency digits; the en_US locale is compiled with ``localedef`` into the cache and found through
``LOCPATH``, so the machine's locales are not touched.
"""

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from build_once import built_once

VENV = Path(sys.prefix) / "cartridge"
PYTHON = VENV / "bin" / "python"
VERSION = "1.3.4"
SETTINGS = """
# appended by tests/cartridge_fixture.py
import os
SHOP_CURRENCY_LOCALE = "en_US.UTF-8"
SHOP_PAYMENT_STEP_ENABLED = False  # no card form: billing/shipping, then a review step whose Next orders
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ.get("CARTRIDGE_SMTP_PORT", "25"))
DEFAULT_FROM_EMAIL = "shop@cartridge.test"
SHOP_ORDER_FROM_EMAIL = "shop@cartridge.test"
DATABASES["default"]["NAME"] = os.environ.get("CARTRIDGE_DB", DATABASES["default"]["NAME"])
"""
SEED = """
from decimal import Decimal
from cartridge.shop.models import Category, Product
from mezzanine.core.models import CONTENT_STATUS_PUBLISHED
shop = Category.objects.get(slug="shop")  # createdb's demo category: its page lists its products
for title, price, sku in (("Field Notebook A5", "19.99", "NB-A5"), ("Brass Fountain Pen", "42.50", "PEN-B")):
    product = Product.objects.create(title=title, available=True, status=CONTENT_STATUS_PUBLISHED)
    product.variations.manage_empty()
    default = product.variations.get(default=True)
    default.unit_price, default.num_in_stock, default.sku = Decimal(price), 1000, sku
    default.save()
    product.copy_default_variation()
    shop.products.add(product)
"""
READY_TIMEOUT = 60.0


class CartridgeUnavailable(RuntimeError):
    """No Cartridge venv: scripts/install.sh makes it."""


def available() -> bool:
    return (VENV / "bin" / "mezzanine-project").exists()


def template(cache: Path | None = None) -> Path:
    """The built project folder (``cshop/`` with ``dev.db`` and the compiled locale), built on first use."""
    if not available():
        raise CartridgeUnavailable(f"no Cartridge venv at {VENV}: run scripts/install.sh")
    key = hashlib.sha256(f"{VERSION}\n{SETTINGS}\n{SEED}".encode()).hexdigest()[:16]
    root = cache or Path(tempfile.gettempdir()) / "auditor-cartridge-template"
    return built_once(root / f"cartridge-{VERSION}-{key}", _build)


def _build(folder: Path) -> None:
    folder.mkdir()
    locale = folder / "locale"
    locale.mkdir()
    _run(["localedef", "-i", "en_US", "-f", "UTF-8", str(locale / "en_US.UTF-8")], folder)
    _run([str(VENV / "bin" / "mezzanine-project"), "-a", "cartridge", "cshop"], folder)
    project = folder / "cshop"
    with open(project / "cshop" / "local_settings.py", "a", encoding="utf-8") as settings:
        settings.write(SETTINGS)
    env = _env(folder, CARTRIDGE_DB=str(project / "dev.db"))
    _run([str(PYTHON), "manage.py", "createdb", "--noinput"], project, env)
    _run([str(PYTHON), "manage.py", "shell", "-c", SEED], project, env)


def _env(folder: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CARTRIDGE_"))}
    env.update(LOCPATH=str(folder / "locale"), PYTHONDONTWRITEBYTECODE="1", PYTHONUNBUFFERED="1", **extra)
    return env


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> None:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}:\n{done.stdout[-2000:]}{done.stderr[-3000:]}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_cartridge(built: Path, workdir: Path, smtp_port: int) -> Iterator[str]:
    """Copy the built project into ``workdir``, serve it on a free port, yield its base URL, stop it."""
    shutil.copytree(built, workdir)
    port = _free_port()
    env = _env(workdir, CARTRIDGE_DB=str(workdir / "cshop" / "dev.db"), CARTRIDGE_SMTP_PORT=str(smtp_port))
    log = open(workdir / "server.log", "w")  # noqa: SIM115 - closed in finally, after the server
    process = subprocess.Popen(
        [str(PYTHON), "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=workdir / "cshop",
        env=env,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        start_new_session=True,
    )
    try:
        _await_ready(process, workdir / "server.log")
        yield f"http://127.0.0.1:{port}"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=10)
        log.close()


def _await_ready(process: subprocess.Popen, log_path: Path) -> None:
    """Django prints "Quit the server with CONTROL-C." once its socket is bound: await that line."""
    assert process.stdout is not None
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            raise RuntimeError(
                f"Cartridge exited {process.wait()} before it was ready:\n{log_path.read_text()[-3000:]}"
            )
        if "Quit the server with" in line:
            return
    raise RuntimeError(f"Cartridge not ready after {READY_TIMEOUT:.0f} s:\n{log_path.read_text()[-3000:]}")
