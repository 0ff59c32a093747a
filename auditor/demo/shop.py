"""The bundled demo web shop: three stores on one real HTTP server, sending real SMTP.

``auditor demo`` audits these stores so a newcomer sees a whole campaign with
one command and no account anywhere. The page markup is a contract with the
shopper's store profiles (``auditor/demo/campaign/stores/*.yaml``): change a
selector here and the demo scenario breaks. Under ``/<store>/``:

- ``/``: ``a.product-link[href="/<store>/product/<slug>"]``
- ``product/<slug>``: ``h1.product-name``, ``.product-price``, ``form#add-to-cart-form``
  (hidden ``slug``, ``input#quantity``, ``button#add-to-cart``) → 303 to ``cart``
- ``cart``: ``tr.cart-item`` (``.item-name .item-quantity .item-price``), ``#cart-total``, ``a#checkout``
- ``checkout``: ``form#checkout-form`` with ``#first_name #last_name #email #phone #line1 #city
  #postcode``, ``#marketing_consent``, ``button#place-order``; 400 with ``.error`` items, else 303
- ``order/<number>``: ``#order-number``, ``tr.order-item``, ``#order-total``, ``#delivery-estimate``
  (exemplary only)
- ``contact``: ``form#contact-form`` (``#contact_name #contact_email textarea#message
  button#send-question``) → 303 to ``contact/sent`` with ``#question-sent``
- ``static/<slug>.svg|png``: product pictures
- ``review`` and ``survey``: ``form#review-form`` / ``form#survey-form`` (``#<kind>_email``,
  ``#<kind>_rating``, ``textarea#<kind>_text``, ``button#send-<kind>``) → 303 to ``<kind>/sent``
  with ``#<kind>-sent``; the store answers (or not, see ``shop_feedback``) by email
"""

import logging
import re
import threading
import traceback
from decimal import Decimal
from http import HTTPStatus
from http.cookies import CookieError, SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Self
from urllib.parse import parse_qs, unquote, urlsplit

from auditor.demo.catalogue import PRODUCTS, find_product, product_png, product_svg
from auditor.demo.shop_feedback import DEMO_HOUR, PAGES, Feedback, answer_to
from auditor.demo.shop_outbox import Outbox
from auditor.demo.shop_render import render
from auditor.demo.shop_state import Customer, ShopState
from auditor.demo.shop_stores import (
    DELIVERY_ESTIMATE,
    STORES,
    Outgoing,
    emails_after_order,
    emails_after_question,
)

log = logging.getLogger(__name__)

SESSION_COOKIE = "demo_session"
MAX_FORM_BYTES = 64 * 1024
CHECKOUT_FIELDS: tuple[tuple[str, str, bool], ...] = (
    ("first_name", "First name", True),
    ("last_name", "Last name", True),
    ("email", "Email", True),
    ("phone", "Phone", False),
    ("line1", "Street and number", True),
    ("city", "City", True),
    ("postcode", "Postcode", True),
)
# Static, so the error page itself cannot fail the way the route did.
_ERROR_500 = (
    "<!doctype html><html lang=en><head><meta charset=utf-8><title>Error 500</title></head>"
    "<body><h1 class=error-status>500</h1><p class=error-message>Something went wrong on our side."
    "</p></body></html>"
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class DemoShop:
    """Serves ``/exemplary/``, ``/chatty/`` and ``/bare/`` and emails their customers.

    Emails go to ``smtp_host:smtp_port`` from timer threads, ``delay *
    time_scale`` seconds after an order or question; the HTTP answer never
    waits for them.
    """

    store_ids: tuple[str, ...] = ("exemplary", "chatty", "bare")

    def __init__(
        self,
        smtp_host: str,
        smtp_port: int,
        host: str = "127.0.0.1",
        port: int = 0,
        time_scale: float = 1.0,
        hour: float = DEMO_HOUR,
    ) -> None:
        if time_scale < 0:
            raise ValueError(f"time_scale must be >= 0, got {time_scale}")
        self.host = host
        self.port = port
        self.time_scale = time_scale
        self.hour = hour  # seconds per store hour, for answers that come hours or days later (reviews, surveys)
        self.feedback: list[Feedback] = []
        self.state = ShopState(self.store_ids)
        self.outbox = Outbox(smtp_host, smtp_port, time_scale=time_scale)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._stopped = False
        # one per store; cleared, an order post waits there before the store takes it, like a checkout
        # whose payment gateway hangs: lets a test stop the shopper between its order click and the answer
        self.order_gates = {store_id: threading.Event() for store_id in self.store_ids}
        for gate in self.order_gates.values():
            gate.set()

    def start(self) -> None:
        """Bind and serve in a daemon thread; with port 0 the OS picks a free port."""
        if self._server is not None:
            raise RuntimeError("DemoShop is already started")
        if self._stopped:
            raise RuntimeError("a stopped DemoShop cannot be restarted (its emails were cancelled); make a new one")
        server = _Server((self.host, self.port), _Handler)
        server.shop = self
        self._server = server
        self.port = server.server_address[1]
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},  # stop() returns within 50 ms, not the default 0.5 s
            name="demo-shop-http",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and cancel every email not yet being sent (they end up in ``outbox.cancelled``)."""
        self._stopped = True
        for gate in self.order_gates.values():
            gate.set()  # release held order posts so their threads end
        cancelled = self.outbox.close()
        if cancelled:
            log.info("demo shop: cancelled %d pending email(s)", cancelled)
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def url_for(self, store_id: str) -> str:
        """The store's base URL without a trailing slash, e.g. ``http://127.0.0.1:43121/exemplary``."""
        if store_id not in self.store_ids:
            raise KeyError(f"unknown demo store {store_id!r}; known: {', '.join(self.store_ids)}")
        if self.port == 0:
            raise RuntimeError("DemoShop.url_for: the port is picked by start(); call start() first")
        return f"http://{self.host}:{self.port}/{store_id}"

    def wait_idle(self, timeout: float) -> bool:
        """True once no email is pending (scheduled or being sent); False after ``timeout`` s."""
        return self.outbox.wait_idle(timeout)

    def _schedule(self, outgoing: list[Outgoing]) -> None:
        """Hand a store's emails to the outbox; the envelope sender is the From address."""
        for item in outgoing:
            sender = item.message["From"].addresses[0].addr_spec
            self.outbox.schedule(item.delay, item.message, sender, item.recipient)


class _Server(ThreadingHTTPServer):
    """Handler threads are daemons (browsers hold idle keep-alive connections open)."""

    daemon_threads = True
    shop: DemoShop

    def handle_error(self, request: object, client_address: tuple[str, int]) -> None:
        # Routes catch their own errors; what reaches here is a client hanging up mid-answer.
        log.debug("demo shop: connection from %s ended abruptly", client_address, exc_info=True)


class _Response(Exception):
    """Raised inside a route to answer at once with a status (404, 400...)."""

    def __init__(self, status: HTTPStatus, body: str = "", headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}


class _Handler(BaseHTTPRequestHandler):
    """One request; routes by ``/<store>/<rest>`` and never lets an exception kill the thread."""

    server_version = "DemoShop/1.0"
    protocol_version = "HTTP/1.1"
    timeout = 30  # idle keep-alive connections (browsers hold them) end instead of living forever

    @property
    def shop(self) -> DemoShop:
        return self.server.shop  # type: ignore[attr-defined]  # set on _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        log.debug("demo shop %s: " + format, self.address_string(), *args)

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        self._dispatch("GET")

    def do_HEAD(self) -> None:  # noqa: N802 - stdlib naming
        self._dispatch("GET")

    def do_POST(self) -> None:  # noqa: N802 - stdlib naming
        self._dispatch("POST")

    def _dispatch(self, method: str) -> None:
        self._new_cookie: str | None = None
        try:
            self._route(method)
        except _Response as answer:
            self.close_connection = True  # a request body may be left unread
            self._send(answer.status, answer.body, headers=answer.headers)
        except Exception:  # the server must survive any bug in a route
            log.error("demo shop: %s %s failed:\n%s", method, self.path, traceback.format_exc())
            self.close_connection = True
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, _ERROR_500)

    # -- plumbing -------------------------------------------------------------------------------

    def _send(
        self,
        status: HTTPStatus,
        body: str | bytes,
        content_type: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        if self._new_cookie:
            self.send_header("Set-Cookie", f"{SESSION_COOKIE}={self._new_cookie}; Path=/; HttpOnly; SameSite=Lax")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _session_id(self) -> str:
        raw = self.headers.get("Cookie", "")
        try:
            jar = SimpleCookie(raw)
        except CookieError:
            jar = SimpleCookie()
        if SESSION_COOKIE in jar and jar[SESSION_COOKIE].value:
            return jar[SESSION_COOKIE].value
        if self._new_cookie is None:
            self._new_cookie = ShopState.new_session_id()
        return self._new_cookie

    def _form(self) -> dict[str, str]:
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError as exc:
            raise _Response(HTTPStatus.BAD_REQUEST, "Bad Content-Length") from exc
        if length > MAX_FORM_BYTES:
            raise _Response(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "Form too large")
        raw = self.rfile.read(length).decode("utf-8", errors="replace")
        return {key: values[-1].strip() for key, values in parse_qs(raw, keep_blank_values=True).items()}

    def _redirect(self, location: str) -> None:
        self._send(HTTPStatus.SEE_OTHER, "", headers={"Location": location})

    def _error(self, store_id: str | None, status: HTTPStatus, message: str) -> _Response:
        """An error page in the store's own look, the message in ``.error``."""
        store = STORES.get(store_id) if store_id else None
        body = render("error.html", store=store, base=f"/{store_id}", cart_count=0, status=int(status), message=message)
        return _Response(status, body)

    def _not_found(self, store_id: str | None = None) -> _Response:
        return self._error(store_id, HTTPStatus.NOT_FOUND, "This page does not exist.")

    # -- routes ---------------------------------------------------------------------------------

    def _route(self, method: str) -> None:
        path = urlsplit(self.path).path
        parts = [unquote(p) for p in path.split("/") if p]
        if not parts:
            if method != "GET":
                raise _Response(HTTPStatus.METHOD_NOT_ALLOWED, "", {"Allow": "GET"})
            stores = [(STORES[s], f"/{s}/") for s in self.shop.store_ids]
            self._send(HTTPStatus.OK, render("index.html", store=None, stores=stores))
            return
        store_id, rest = parts[0], parts[1:]
        if store_id not in self.shop.store_ids:
            raise self._not_found()
        if not rest and not path.endswith("/"):
            self._redirect(f"/{store_id}/")
            return
        routes = {
            ("GET", ()): self._products,
            ("GET", ("product", "*")): self._product,
            ("POST", ("cart", "add")): self._cart_add,
            ("GET", ("cart",)): self._cart,
            ("GET", ("checkout",)): self._checkout_form,
            ("POST", ("checkout",)): self._checkout_submit,
            ("GET", ("order", "*")): self._order,
            ("GET", ("contact",)): self._contact_form,
            ("POST", ("contact",)): self._contact_submit,
            ("GET", ("contact", "sent")): self._contact_sent,
            ("GET", ("static", "*")): self._static,
            ("GET", ("unsubscribe",)): self._unsubscribe,
            ("GET", ("returns",)): self._returns,
            ("GET", ("review",)): lambda s: self._feedback_form(s, "review"),
            ("POST", ("review",)): lambda s: self._feedback_submit(s, "review"),
            ("GET", ("review", "sent")): lambda s: self._page(s, "review_sent.html", kind="review"),
            ("GET", ("survey",)): lambda s: self._feedback_form(s, "survey"),
            ("POST", ("survey",)): lambda s: self._feedback_submit(s, "survey"),
            ("GET", ("survey", "sent")): lambda s: self._page(s, "review_sent.html", kind="survey"),
        }
        allowed = []
        for (verb, shape), handler in routes.items():
            if len(shape) == len(rest) and all(s in ("*", r) for s, r in zip(shape, rest, strict=True)):
                if verb == method:
                    args = [r for s, r in zip(shape, rest, strict=True) if s == "*"]
                    handler(store_id, *args)
                    return
                allowed.append(verb)
        if allowed:
            raise _Response(HTTPStatus.METHOD_NOT_ALLOWED, "", {"Allow": ", ".join(allowed)})
        raise self._not_found(store_id)

    def _page(self, store_id: str, template: str, status: HTTPStatus = HTTPStatus.OK, **context: object) -> None:
        cart = self.shop.state.cart(store_id, self._session_id())
        self._send(
            status,
            render(
                template,
                store=STORES[store_id],
                base=f"/{store_id}",
                cart_count=sum(line.quantity for line in cart),
                **context,
            ),
        )

    def _products(self, store_id: str) -> None:
        self._page(store_id, "products.html", products=PRODUCTS)

    def _product(self, store_id: str, slug: str) -> None:
        product = find_product(slug)
        if product is None:
            raise self._not_found(store_id)
        self._page(store_id, "product.html", product=product)

    def _cart_add(self, store_id: str) -> None:
        form = self._form()
        product = find_product(form.get("slug", ""))
        if product is None:
            raise self._error(store_id, HTTPStatus.BAD_REQUEST, f"Unknown product {form.get('slug', '')!r}.")
        try:
            quantity = int(form.get("quantity", "1") or "1")
        except ValueError:
            quantity = 0
        if not 1 <= quantity <= 99:
            raise self._error(store_id, HTTPStatus.BAD_REQUEST, "Quantity must be a whole number from 1 to 99.")
        self.shop.state.add_to_cart(store_id, self._session_id(), product, quantity)
        self._redirect(f"/{store_id}/cart")

    def _cart(self, store_id: str) -> None:
        lines = self.shop.state.cart(store_id, self._session_id())
        total = sum((line.line_total for line in lines), Decimal("0.00"))
        self._page(store_id, "cart.html", lines=lines, total=total)

    def _checkout_form(
        self,
        store_id: str,
        errors: list[str] | None = None,
        values: dict | None = None,
        status: HTTPStatus = HTTPStatus.OK,
    ) -> None:
        lines = self.shop.state.cart(store_id, self._session_id())
        total = sum((line.line_total for line in lines), Decimal("0.00"))
        self._page(
            store_id,
            "checkout.html",
            status=status,
            lines=lines,
            total=total,
            fields=CHECKOUT_FIELDS,
            errors=errors or [],
            values=values or {},
        )

    def _checkout_submit(self, store_id: str) -> None:
        form = self._form()
        self.shop.order_gates[store_id].wait()
        errors = [
            f"{label} is required." for name, label, required in CHECKOUT_FIELDS if required and not form.get(name)
        ]
        if form.get("email") and not _EMAIL.match(form["email"]):
            errors.append("Email does not look like an email address.")
        session = self._session_id()
        if not self.shop.state.cart(store_id, session):
            errors.append("Your cart is empty.")
        if errors:
            self._checkout_form(store_id, errors=errors, values=form, status=HTTPStatus.BAD_REQUEST)
            return
        customer = Customer(**{name: form.get(name, "") for name, _, _ in CHECKOUT_FIELDS})
        consent = form.get("marketing_consent", "") not in ("", "0", "off", "false", "no")
        order = self.shop.state.place_order(store_id, session, customer, consent)
        if order is None:  # another request emptied the cart meanwhile
            self._checkout_form(store_id, errors=["Your cart is empty."], values=form, status=HTTPStatus.BAD_REQUEST)
            return
        self.shop._schedule(emails_after_order(order, self.shop.url_for(store_id)))
        self._redirect(f"/{store_id}/order/{order.number}")

    def _order(self, store_id: str, number: str) -> None:
        order = self.shop.state.order(store_id, number)
        if order is None:
            raise self._not_found(store_id)
        self._page(store_id, "order.html", order=order, delivery_estimate=DELIVERY_ESTIMATE)

    def _contact_form(
        self,
        store_id: str,
        errors: list[str] | None = None,
        values: dict | None = None,
        status: HTTPStatus = HTTPStatus.OK,
    ) -> None:
        self._page(store_id, "contact.html", status=status, errors=errors or [], values=values or {})

    def _contact_submit(self, store_id: str) -> None:
        form = self._form()
        errors = []
        if not form.get("contact_name"):
            errors.append("Your name is required.")
        if not _EMAIL.match(form.get("contact_email", "")):
            errors.append("A valid email address is required.")
        if not form.get("message"):
            errors.append("Please write your question.")
        if errors:
            self._contact_form(store_id, errors=errors, values=form, status=HTTPStatus.BAD_REQUEST)
            return
        question = self.shop.state.add_question(store_id, form["contact_name"], form["contact_email"], form["message"])
        orders = [o for o in self.shop.state.orders(store_id) if o.customer.email.lower() == question.email.lower()]
        self.shop._schedule(emails_after_question(question, self.shop.url_for(store_id), orders))
        self._redirect(f"/{store_id}/contact/sent")

    def _contact_sent(self, store_id: str) -> None:
        self._page(store_id, "contact_sent.html")

    def _static(self, store_id: str, filename: str) -> None:
        slug, _, ext = filename.rpartition(".")
        product = find_product(slug)
        if product is None or ext not in ("svg", "png"):
            raise self._not_found(store_id)
        cache = {"Cache-Control": "max-age=3600"}
        if ext == "svg":
            self._send(HTTPStatus.OK, product_svg(product), content_type="image/svg+xml", headers=cache)
        else:
            self._send(HTTPStatus.OK, product_png(product), content_type="image/png", headers=cache)

    def _unsubscribe(self, store_id: str) -> None:
        self._page(store_id, "unsubscribe.html")

    def _returns(self, store_id: str) -> None:
        self._page(store_id, "returns.html")

    def _feedback_form(
        self, store_id: str, kind: str, errors: list[str] | None = None, values: dict | None = None,
        status: HTTPStatus = HTTPStatus.OK,
    ) -> None:  # fmt: skip
        heading, prompt = PAGES[kind]  # type: ignore[index]
        self._page(store_id, "review.html", status=status, kind=kind, heading=heading, prompt=prompt,
                   errors=errors or [], values=values or {})  # fmt: skip

    def _feedback_submit(self, store_id: str, kind: str) -> None:
        form = self._form()
        errors = []
        if not _EMAIL.match(form.get("email", "")):
            errors.append("A valid email address is required.")
        if not form.get("text"):
            errors.append("Please write a few words.")
        rating = form.get("rating", "")
        if rating not in ("1", "2", "3", "4", "5"):
            errors.append("Choose a rating from 1 to 5.")
        if errors:
            self._feedback_form(store_id, kind, errors=errors, values=form, status=HTTPStatus.BAD_REQUEST)
            return
        feedback = Feedback(store_id=store_id, kind=kind, email=form["email"], rating=int(rating), text=form["text"])
        self.shop.feedback.append(feedback)
        self.shop._schedule(answer_to(feedback, self.shop.hour))
        self._redirect(f"/{store_id}/{kind}/sent")
