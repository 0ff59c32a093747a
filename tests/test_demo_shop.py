"""The demo stores over real HTTP, sending real SMTP to an aiosmtpd server in the test.

Waiting is event-driven: ``DemoShop.wait_idle`` returns once every email has
been accepted by the SMTP server (the handler has stored it by then), so
"exactly N emails" is checked without sleeping.
"""

import asyncio
import email
import http.client
import http.cookiejar
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from email import policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from bs4 import BeautifulSoup

from auditor.demo import DemoShop
from auditor.demo.catalogue import PRODUCTS, format_pln, product_png

CUSTOMER = {
    "first_name": "Anna",
    "last_name": "Kowalska",
    "phone": "+48 600 100 200",
    "line1": "ul. Długa 5",
    "city": "Kraków",
    "postcode": "31-147",
}


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage


class Collector:
    """aiosmtpd handler keeping every message; tests read it after ``wait_idle``."""

    def __init__(self) -> None:
        self.items: list[Received] = []
        self.gate = threading.Event()  # clear it to make the server hold every DATA (a slow server)
        self.gate.set()
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd hook name
        await asyncio.to_thread(self.gate.wait, 10)
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.items.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        with self._lock:
            return [r.message for r in self.items if address in r.recipients]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def sink() -> Iterator[tuple[Collector, int]]:
    collector = Collector()
    port = _free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield collector, port
    finally:
        controller.stop()


@pytest.fixture
def shop(sink: tuple[Collector, int]) -> Iterator[DemoShop]:
    with DemoShop("127.0.0.1", sink[1], time_scale=0.05) as running:
        yield running


@pytest.fixture
def mail(sink: tuple[Collector, int]) -> Collector:
    return sink[0]


class Client:
    """A cookie-keeping HTTP client: the cart lives in a cookie-identified session."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> tuple[int, str, BeautifulSoup]:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, form: dict[str, str]) -> tuple[int, str, BeautifulSoup]:
        data = urllib.parse.urlencode(form).encode()
        return self._open(urllib.request.Request(self.base + path, data=data, method="POST"))

    def _open(self, request: urllib.request.Request) -> tuple[int, str, BeautifulSoup]:
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, response.url, BeautifulSoup(response.read(), "html.parser")
        except urllib.error.HTTPError as error:
            return error.code, error.url, BeautifulSoup(error.read(), "html.parser")

    def order(self, email_address: str, consent: bool = False, slug: str = "wireless-headphones", qty: int = 2):
        """Add, check out, and return (order page URL, order page)."""
        self.post("/cart/add", {"slug": slug, "quantity": str(qty)})
        form = {**CUSTOMER, "email": email_address}
        if consent:
            form["marketing_consent"] = "yes"
        status, url, page = self.post("/checkout", form)
        assert status == 200, page.get_text()
        return url, page


def _text(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def _html(message: EmailMessage) -> BeautifulSoup:
    return BeautifulSoup(message.get_body(("html",)).get_content(), "html.parser")


def _one(page: BeautifulSoup, selector: str):
    found = page.select(selector)
    assert len(found) == 1, f"expected one {selector!r}, found {len(found)}"
    return found[0]


# -- catalogue ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "shown"),
    [("129", "129,00 zł"), ("1299.00", "1 299,00 zł"), ("0", "0,00 zł"), ("1234567.505", "1 234 567,51 zł")],
)
def test_prices_are_shown_polish_style(amount: str, shown: str) -> None:
    assert format_pln(Decimal(amount)) == shown


def test_catalogue_has_three_priced_products() -> None:
    assert len({p.slug for p in PRODUCTS}) >= 3
    assert all(isinstance(p.price, Decimal) and p.price > 0 for p in PRODUCTS)


# -- pages --------------------------------------------------------------------------------------


@pytest.mark.parametrize("store_id", DemoShop.store_ids)
def test_page_contract_from_product_list_to_thank_you(shop: DemoShop, store_id: str) -> None:
    client = Client(shop.url_for(store_id))
    status, _, listing = client.get("/")
    assert status == 200
    links = {a["href"]: a.get_text(strip=True) for a in listing.select("a.product-link")}
    assert links == {f"/{store_id}/product/{p.slug}": p.name for p in PRODUCTS}

    status, _, product = client.get("/product/smartwatch")
    assert _one(product, "h1.product-name").get_text(strip=True) == "Smartwatch Pro"
    assert _one(product, ".product-price").get_text(strip=True) == "1 299,00 zł"
    form = _one(product, "form#add-to-cart-form")
    assert form["action"] == f"/{store_id}/cart/add" and form["method"] == "post"
    assert _one(form, "input[name=slug][type=hidden]")["value"] == "smartwatch"
    assert _one(form, "input#quantity")["value"] == "1"
    _one(form, "button#add-to-cart")

    status, url, cart = client.post("/cart/add", {"slug": "smartwatch", "quantity": "1"})
    assert url == f"{shop.url_for(store_id)}/cart"
    client.post("/cart/add", {"slug": "usb-c-charger", "quantity": "2"})
    status, _, cart = client.get("/cart")
    rows = cart.select("tr.cart-item")
    assert [(r.select_one(".item-name").text, r.select_one(".item-quantity").text) for r in rows] == [
        ("Smartwatch Pro", "1"),
        ("USB-C Charger 65W", "2"),
    ]
    assert [r.select_one(".item-price").text for r in rows] == ["1 299,00 zł", "89,90 zł"]
    assert _one(cart, "#cart-total").text == "1 478,80 zł"
    assert _one(cart, "a#checkout")["href"] == f"/{store_id}/checkout"

    status, _, checkout = client.get("/checkout")
    form = _one(checkout, "form#checkout-form")
    for field in ("first_name", "last_name", "email", "phone", "line1", "city", "postcode"):
        _one(form, f"input#{field}")
    assert not _one(form, "input#marketing_consent[type=checkbox]").has_attr("checked")
    _one(form, "button#place-order")

    url, thanks = client.order("anna@example.test", slug="wireless-headphones", qty=1)
    expected_number = {"exemplary": "EX-10001", "chatty": "5001", "bare": "1042"}[store_id]
    assert url == f"{shop.url_for(store_id)}/order/{expected_number}"
    assert _one(thanks, "#order-number").get_text(strip=True) == expected_number
    items = [
        (r.select_one(".item-name").text, r.select_one(".item-quantity").text, r.select_one(".item-price").text)
        for r in thanks.select("tr.order-item")
    ]
    assert items == [
        ("Smartwatch Pro", "1", "1 299,00 zł"),
        ("USB-C Charger 65W", "2", "89,90 zł"),
        ("Wireless Headphones", "1", "129,00 zł"),
    ]
    assert _one(thanks, "#order-total").text == "1 607,80 zł"
    estimate = thanks.select_one("#delivery-estimate")
    if store_id == "exemplary":
        assert estimate is not None and estimate.text == "Delivery in 2–3 business days"
    else:
        assert estimate is None
    # the cart was emptied by the order
    assert client.get("/cart")[2].select("tr.cart-item") == []


def test_order_numbers_count_up_per_store(shop: DemoShop) -> None:
    numbers = []
    for store_id in ("exemplary", "exemplary", "bare", "bare", "chatty"):
        url, page = Client(shop.url_for(store_id)).order("n@example.test")
        numbers.append(_one(page, "#order-number").text)
    assert numbers == ["EX-10001", "EX-10002", "1042", "1043", "5001"]


def test_add_to_cart_answers_303_and_sets_a_session_cookie(shop: DemoShop) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", shop.port, timeout=5)
    try:
        body = urllib.parse.urlencode({"slug": "smartwatch", "quantity": "1"})
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        connection.request("POST", "/chatty/cart/add", body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        assert response.status == 303
        assert response.getheader("Location") == "/chatty/cart"
        assert "demo_session=" in (response.getheader("Set-Cookie") or "")
    finally:
        connection.close()


def test_carts_are_per_session_and_per_store(shop: DemoShop) -> None:
    first = Client(shop.url_for("exemplary"))
    first.post("/cart/add", {"slug": "smartwatch", "quantity": "1"})
    assert len(first.get("/cart")[2].select("tr.cart-item")) == 1
    assert Client(shop.url_for("exemplary")).get("/cart")[2].select("tr.cart-item") == []
    same_cookies_other_store = Client(shop.url_for("chatty"))
    same_cookies_other_store.opener = first.opener
    assert same_cookies_other_store.get("/cart")[2].select("tr.cart-item") == []


@pytest.mark.parametrize(
    "path",
    [
        "/nowhere/",
        "/exemplary/product/no-such-thing",
        "/exemplary/order/EX-99999",
        "/bare/order/1042",
        "/chatty/static/none.svg",
        "/chatty/admin",
    ],
)
def test_unknown_pages_are_404(shop: DemoShop, path: str) -> None:
    status, _, page = Client(f"http://127.0.0.1:{shop.port}").get(path)
    assert status == 404
    assert "does not exist" in page.get_text()


@pytest.mark.parametrize(
    ("name", "kind", "magic"),
    [("smartwatch.svg", "image/svg+xml", b"<svg"), ("smartwatch.png", "image/png", b"\x89PNG\r\n")],
)
def test_product_images_are_served(shop: DemoShop, name: str, kind: str, magic: bytes) -> None:
    with urllib.request.urlopen(f"{shop.url_for('bare')}/static/{name}", timeout=5) as response:
        assert response.headers["Content-Type"] == kind
        assert response.read().startswith(magic)


def test_product_png_is_a_valid_image_in_the_product_colour() -> None:
    product = PRODUCTS[0]
    png = product_png(product, size=4)
    assert png[12:16] == b"IHDR" and png[16:24] == (4).to_bytes(4, "big") * 2
    idat_len = int.from_bytes(png[33:37], "big")
    pixels = zlib.decompress(png[41 : 41 + idat_len])
    assert pixels[1:4] == bytes.fromhex(product.colour.lstrip("#"))


def test_checkout_with_missing_fields_is_400_and_places_no_order(shop: DemoShop) -> None:
    client = Client(shop.url_for("exemplary"))
    client.post("/cart/add", {"slug": "smartwatch", "quantity": "1"})
    status, _, page = client.post("/checkout", {"first_name": "Anna", "email": "not-an-address"})
    assert status == 400
    errors = [e.get_text() for e in page.select(".error")]
    assert "Last name is required." in errors and "Postcode is required." in errors
    assert any("Email does not look like" in e for e in errors)
    assert _one(page, "input#first_name")["value"] == "Anna"  # what was typed is kept
    assert shop.state.orders("exemplary") == []
    assert len(client.get("/cart")[2].select("tr.cart-item")) == 1


def test_checkout_with_an_empty_cart_is_400(shop: DemoShop) -> None:
    status, _, page = Client(shop.url_for("bare")).post("/checkout", {**CUSTOMER, "email": "a@example.test"})
    assert status == 400
    assert "Your cart is empty." in [e.get_text() for e in page.select(".error")]


def test_bad_cart_additions_are_400(shop: DemoShop) -> None:
    client = Client(shop.url_for("chatty"))
    assert client.post("/cart/add", {"slug": "ghost", "quantity": "1"})[0] == 400
    assert client.post("/cart/add", {"slug": "smartwatch", "quantity": "zero"})[0] == 400
    assert client.post("/cart/add", {"slug": "smartwatch", "quantity": "0"})[0] == 400


def test_contact_form_contract_and_validation(shop: DemoShop) -> None:
    client = Client(shop.url_for("bare"))
    form = _one(client.get("/contact")[2], "form#contact-form")
    for selector in ("input#contact_name", "input#contact_email", "textarea#message", "button#send-question"):
        _one(form, selector)
    status, _, page = client.post("/contact", {"contact_name": "", "contact_email": "x", "message": ""})
    assert status == 400 and len(page.select(".error")) == 3
    status, url, page = client.post(
        "/contact", {"contact_name": "Anna", "contact_email": "a@example.test", "message": "Hi?"}
    )
    assert url == f"{shop.url_for('bare')}/contact/sent"
    _one(page, "#question-sent")


def test_consent_is_recorded_on_the_order(shop: DemoShop) -> None:
    Client(shop.url_for("exemplary")).order("yes@example.test", consent=True)
    Client(shop.url_for("exemplary")).order("no@example.test", consent=False)
    assert [(o.customer.email, o.marketing_consent) for o in shop.state.orders("exemplary")] == [
        ("yes@example.test", True),
        ("no@example.test", False),
    ]


def test_a_bug_in_a_route_is_a_500_and_the_server_keeps_serving(
    shop: DemoShop, monkeypatch: pytest.MonkeyPatch
) -> None:
    def faulty_cart(*args: object) -> list:
        raise RuntimeError("FaultyState: cart storage broke")

    monkeypatch.setattr(shop.state, "cart", faulty_cart)
    client = Client(shop.url_for("chatty"))
    status, _, page = client.get("/cart")
    assert status == 500 and "went wrong" in page.get_text()
    monkeypatch.undo()
    assert client.get("/cart")[0] == 200


# -- emails after an order ----------------------------------------------------------------------


def test_exemplary_sends_exactly_one_rich_confirmation(shop: DemoShop, mail: Collector) -> None:
    Client(shop.url_for("exemplary")).order("anna+run1@example.test", qty=2)
    assert shop.wait_idle(10)
    messages = mail.to("anna+run1@example.test")
    assert len(messages) == 1
    msg = messages[0]
    assert msg["Subject"] == "Order EX-10001 confirmed – thank you, Anna!"
    assert msg["From"].addresses[0].display_name == "Exemplary Electronics"
    assert msg["From"].addresses[0].addr_spec == "shop@exemplary.demo.test"
    assert msg["To"] == "anna+run1@example.test"
    assert msg["Date"].datetime.tzinfo is not None
    assert msg["Message-ID"].endswith("@exemplary.demo.test>")
    assert msg.get_content_type() == "multipart/alternative"

    text = _text(msg)
    assert text.startswith("Hi Anna,")
    for fact in (
        "Wireless Headphones",
        "× 2",
        "129,00 zł",
        "Subtotal: 258,00 zł",
        "Shipping: 0,00 zł",
        "Total: 258,00 zł",
        "Estimated delivery: 2–3 business days",
        f"{shop.url_for('exemplary')}/order/EX-10001",
        "support@exemplary.demo.test",
    ):
        assert fact in text, fact

    html = _html(msg)
    assert html.find("table") is not None and "style=" in str(html)
    image = _one(html, "img[alt='Wireless Headphones']")
    assert image["src"] == f"{shop.url_for('exemplary')}/static/wireless-headphones.png"
    with urllib.request.urlopen(image["src"], timeout=5) as picture:  # the link really works
        assert picture.headers["Content-Type"] == "image/png"
    assert any(a["href"] == f"{shop.url_for('exemplary')}/order/EX-10001" for a in html.select("a[href]"))
    assert "Hi Anna," in html.get_text() and "0,00 zł" in html.get_text()
    assert '"orderNumber": "EX-10001"' in html.select_one("script[type='application/ld+json']").string


@pytest.mark.parametrize("consent", [True, False])
def test_exemplary_recommends_products_only_with_consent(shop: DemoShop, mail: Collector, consent: bool) -> None:
    Client(shop.url_for("exemplary")).order("c@example.test", consent=consent, slug="smartwatch")
    assert shop.wait_idle(10)
    [msg] = mail.to("c@example.test")
    recommended = "Picked for you" in _text(msg)
    assert recommended is consent
    if consent:
        assert "Wireless Headphones" in _text(msg) and "Smartwatch Pro (" not in _text(msg)


def test_customer_input_is_encoded_and_escaped_in_emails(shop: DemoShop, mail: Collector) -> None:
    client = Client(shop.url_for("exemplary"))
    client.post("/cart/add", {"slug": "smartwatch", "quantity": "1"})
    form = {**CUSTOMER, "first_name": "Łucja <b>", "email": "lucja@example.test"}
    assert client.post("/checkout", form)[0] == 200
    assert shop.wait_idle(10)
    [msg] = mail.to("lucja@example.test")
    assert msg["Subject"] == "Order EX-10001 confirmed – thank you, Łucja <b>!"
    assert _text(msg).startswith("Hi Łucja <b>,")
    html = msg.get_body(("html",)).get_content()
    assert "Hi Łucja &lt;b&gt;," in html and "Łucja <b>" not in html


def test_chatty_floods_the_inbox_and_ignores_refused_consent(shop: DemoShop, mail: Collector) -> None:
    Client(shop.url_for("chatty")).order("anna+run2@example.test", consent=False, qty=1)
    assert shop.wait_idle(10)
    messages = mail.to("anna+run2@example.test")
    subjects = [m["Subject"] for m in messages]
    assert sorted(subjects) == sorted(
        [
            "Your order #5001",
            "Your order #5001",
            "Payment received for order #5001",
            "Welcome! Your account was created",
            "Black Week: -30% on headphones",
            "You might also like…",
        ]
    )
    first, second = (m for m in messages if m["Subject"] == "Your order #5001")
    assert first["Message-ID"] != second["Message-ID"]
    assert _text(first) == _text(second) and _html(first) == _html(second)
    assert _text(first).startswith("Hello Anna")
    assert "Wireless Headphones" in _text(first) and "129,00 zł" in _text(first)

    assert shop.state.orders("chatty")[0].marketing_consent is False
    for marketing in (m for m in messages if m["Subject"].startswith(("Black Week", "You might"))):
        assert marketing["Precedence"] == "bulk"
        assert "mailto:unsubscribe@chatty.demo.test" in marketing["List-Unsubscribe"]
    transactional = [m for m in messages if m["Subject"] == "Payment received for order #5001"]
    assert transactional[0]["Precedence"] is None


def test_bare_sends_one_plain_text_line_and_nothing_else(shop: DemoShop, mail: Collector) -> None:
    Client(shop.url_for("bare")).order("anna+run3@example.test")
    assert shop.wait_idle(10)
    messages = mail.to("anna+run3@example.test")
    assert len(messages) == 1
    msg = messages[0]
    assert msg["Subject"] == "Order 1042 received"
    assert not msg.is_multipart() and msg.get_content_type() == "text/plain"
    body = msg.get_content()
    assert body.startswith("Order 1042 received.") and "Bare Shop" in body
    for absent in ("Anna", "Kowalska", "Wireless", "zł", "Hi", "Hello", "Dear"):
        assert absent not in body, absent


def test_the_http_answer_never_waits_for_the_smtp_server(sink: tuple[Collector, int]) -> None:
    """The SMTP server holds DATA until released: the thank-you page must come anyway."""
    collector, port = sink
    collector.gate.clear()
    with DemoShop("127.0.0.1", port, time_scale=0.0) as shop:
        _, page = Client(shop.url_for("exemplary")).order("late@example.test")
        assert _one(page, "#order-number").text == "EX-10001"
        assert shop.outbox.pending == 1
        assert collector.to("late@example.test") == []
        collector.gate.set()
        assert shop.wait_idle(10)
    assert len(collector.to("late@example.test")) == 1


def test_stop_cancels_pending_emails(sink: tuple[Collector, int]) -> None:
    collector, port = sink
    shop = DemoShop("127.0.0.1", port, time_scale=1.0)
    shop.start()
    base = shop.url_for("chatty")
    try:
        Client(base).order("cancel@example.test")
        assert shop.outbox.pending == 6
    finally:
        shop.stop()
    assert shop.wait_idle(0)
    assert sorted(m["Subject"] for m in shop.outbox.cancelled)[0] == "Black Week: -30% on headphones"
    assert len(shop.outbox.cancelled) + len(shop.outbox.sent) == 6
    assert len(collector.to("cancel@example.test")) == len(shop.outbox.sent)
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(base + "/", timeout=2)
    with pytest.raises(RuntimeError, match="cannot be restarted"):
        shop.start()


def test_unreachable_smtp_server_is_retried_then_kept_as_failed() -> None:
    port = _free_port()  # nothing listens here: a real refused connection
    with DemoShop("127.0.0.1", port, time_scale=0.01) as shop:
        shop.outbox.retry_delay = 0.1
        Client(shop.url_for("exemplary")).order("nobody@example.test")
        assert shop.wait_idle(10)
    assert shop.outbox.sent == []
    [failure] = shop.outbox.failed
    assert failure.recipient == "nobody@example.test"
    assert failure.message["Subject"].startswith("Order EX-10001")
    assert "refused" in failure.error.lower()


# -- emails after a question --------------------------------------------------------------------


def _ask(shop: DemoShop, store_id: str, address: str, text: str) -> None:
    status, _, _ = Client(shop.url_for(store_id)).post(
        "/contact", {"contact_name": "Anna Kowalska", "contact_email": address, "message": text}
    )
    assert status == 200


def test_exemplary_answers_a_question_like_a_helpdesk(shop: DemoShop, mail: Collector) -> None:
    _ask(shop, "exemplary", "q1@example.test", "When will my headphones be delivered?")
    assert shop.wait_idle(10)
    [reply] = mail.to("q1@example.test")
    assert reply["Subject"] == "Re: your question"
    assert reply["From"].addresses[0].addr_spec == "support@exemplary.demo.test"
    ticket = shop.state.questions("exemplary")[0].ticket_id
    assert reply["In-Reply-To"] == f"<ticket-{ticket}@exemplary.demo.test>"
    assert reply["References"] == reply["In-Reply-To"]
    text = _text(reply)
    assert text.startswith("Hi Anna,")
    assert "2–3 business days" in text and "tracking" in text
    assert "> When will my headphones be delivered?" in text


def test_exemplary_looks_up_the_askers_order_before_answering(shop: DemoShop, mail: Collector) -> None:
    client = Client(shop.url_for("exemplary"))
    client.order("anna+q@example.test")
    status, _, _ = client.post(
        "/contact",
        {
            "contact_name": "Anna Kowalska",
            "contact_email": "anna+q@example.test",
            "message": "Hello, can I change the delivery address of my order? Thank you, Anna",
        },
    )
    assert status == 200
    assert shop.wait_idle(10)
    [reply] = [m for m in mail.to("anna+q@example.test") if m["Subject"] == "Re: your question"]
    text = _text(reply)
    assert "change the delivery address" in text and "your order EX-10001" in text


def test_chatty_answers_generically_and_bare_never(shop: DemoShop, mail: Collector) -> None:
    _ask(shop, "chatty", "q2@example.test", "Can I return the watch?")
    _ask(shop, "bare", "q3@example.test", "Hello?")
    assert shop.wait_idle(10)
    [reply] = mail.to("q2@example.test")
    assert reply["Subject"] == "Re: your question"
    assert _text(reply).startswith("Dear customer,")
    assert "Anna" not in _text(reply)
    assert mail.to("q3@example.test") == []
    assert len(shop.state.questions("bare")) == 1


# -- running the stores on their own ------------------------------------------------------------


def test_shop_serve_runs_until_sigterm(sink: tuple[Collector, int]) -> None:
    command = [sys.executable, "-m", "auditor.demo.shop_serve", "--port", "0", "--smtp-port", str(sink[1])]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        first_line = process.stdout.readline()  # printed once the server listens
        assert first_line.startswith("exemplary: http://127.0.0.1:"), first_line
        status, _, page = Client(first_line.split(": ", 1)[1].strip().rstrip("/")).get("/")
        assert status == 200 and page.select("a.product-link")
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()


def test_the_returns_page_that_exemplary_links_to_exists(shop: DemoShop) -> None:
    with urllib.request.urlopen(shop.url_for("exemplary") + "/returns") as answer:
        assert answer.status == 200
        assert "within 14 days" in answer.read().decode()
