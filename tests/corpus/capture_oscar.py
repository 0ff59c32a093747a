"""Capture real django-oscar confirmation emails into the corpus (run by hand; the files are committed).

``python -m tests.corpus.capture_oscar`` starts the test store (``tests/oscar_fixture.py``),
a real SMTP server, and Chromium; a guest buys products (one of them twice) in
EUR and in PLN; Oscar's own confirmation is written as
``messages/oscar_real_<currency>_<number>.eml``. Its labels come from the store's
database (``OscarStore.orders()``), never from the analyser.
"""

import asyncio
import sys
import tempfile
from pathlib import Path

from aiosmtpd.smtp import SMTP, Envelope, Session

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/ for the oscar helper

import oscar_fixture as oscar_helper  # noqa: E402

from auditor.shopper import launch_browser  # noqa: E402
from tests.corpus.make_corpus import write  # noqa: E402

GUEST = "anna.kowalska+oscar@mailbox.example"


class Inbox:
    def __init__(self) -> None:
        self.raw: list[bytes] = []
        self.arrived = asyncio.Event()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or envelope.content
        assert isinstance(content, bytes)
        self.raw.append(content)
        self.arrived.set()
        return "250 OK"


KOWALSKA = {
    "first_name": "Anna",
    "last_name": "Kowalska",
    "line1": "ul. Długa 5",
    "line4": "Kraków",
    "postcode": "30-001",
}


async def capture(currency: str, twice: str) -> None:
    inbox = Inbox()
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(inbox), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        with (
            tempfile.TemporaryDirectory() as tmp,
            oscar_helper.running_store(
                oscar_helper.template_db(), Path(tmp), "127.0.0.1", port, currency=currency
            ) as store,
        ):
            async with launch_browser() as browser:
                page = await browser.new_page()
                number = await oscar_helper.guest_checkout(page, store, GUEST, KOWALSKA, twice=twice)
            await asyncio.wait_for(inbox.arrived.wait(), 10)
            order = next(o for o in store.orders() if o.number == number)
    finally:
        server.close()
        await server.wait_closed()
    expected = {
        "kind": "order_confirmation",
        "language": "en",
        "greeting": {"generic": True},
        "order_number": number,
        "items": [
            {
                "name": line.title,
                "quantity": line.quantity,
                "unit_price": str(line.unit_price),
                "line_total": str(line.unit_price * line.quantity),
            }
            for line in order.lines
        ],
        "currency": order.currency,
        "total": str(order.total),
        "subtotal": str(order.total),
        "shipping": "0.00",
        "delivery_estimate": None,
        "links": ["order_status"],
        "recommendations": False,
        "has_text_part": True,
        "list_unsubscribe": False,
        "schema_org": [],
        "product_images": 0,
        # Oscar's template repeats the shipping address the checkout entered; it says nothing about returns
        "shipping_address": "Anna Kowalska, ul. Długa 5, Kraków, 30-001, Poland",
        "returns": False,
    }
    write(f"oscar_real_{currency.lower()}_{number}", inbox.raw[0], expected)
    print(f"captured order {number} in {currency}: {len(inbox.raw[0])} bytes")


async def main() -> None:
    await capture("EUR", "Brass Fountain Pen")
    await capture("PLN", "Field Notebook A5")


if __name__ == "__main__":
    asyncio.run(main())
