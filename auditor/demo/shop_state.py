"""What a demo store remembers: carts per session, placed orders, questions asked.

Kept in memory behind one lock, because HTTP handler threads and email timer
threads read it at the same time; a demo shop lives only as long as its process.
"""

import secrets
import threading
from datetime import UTC, datetime
from decimal import Decimal

from pydantic import BaseModel, Field

from auditor.demo.catalogue import Product


class CartLine(BaseModel):
    """One product in a cart or an order, with the unit price at the time."""

    slug: str
    name: str
    quantity: int
    unit_price: Decimal

    @property
    def line_total(self) -> Decimal:
        return self.unit_price * self.quantity


class Customer(BaseModel):
    """The checkout form as submitted."""

    first_name: str
    last_name: str
    email: str
    phone: str = ""
    line1: str
    city: str
    postcode: str


class Order(BaseModel):
    """An order as placed; ``number`` is the store-shaped number (``EX-10001``, ``5001``, ``1042``)."""

    store_id: str
    number: str
    customer: Customer
    lines: list[CartLine]
    marketing_consent: bool
    shipping: Decimal = Decimal("0.00")
    placed_at: datetime = Field(default_factory=lambda: datetime.now(UTC))

    @property
    def subtotal(self) -> Decimal:
        return sum((line.line_total for line in self.lines), Decimal("0.00"))

    @property
    def total(self) -> Decimal:
        return self.subtotal + self.shipping


class Question(BaseModel):
    """A contact-form question; ``ticket_id`` is what a helpdesk threads its reply on."""

    store_id: str
    ticket_id: str
    name: str
    email: str
    message: str
    asked_at: datetime = Field(default_factory=lambda: datetime.now(UTC))


_FIRST_NUMBER = {"exemplary": 10001, "chatty": 5001, "bare": 1042}


def format_order_number(store_id: str, sequence: int) -> str:
    """Each store shapes its numbers differently, as real platforms do."""
    return f"EX-{sequence}" if store_id == "exemplary" else str(sequence)


class ShopState:
    """Carts, orders and questions of all three stores, safe across threads."""

    def __init__(self, store_ids: tuple[str, ...]) -> None:
        self._lock = threading.Lock()
        self._carts: dict[tuple[str, str], list[CartLine]] = {}
        self._orders: dict[str, dict[str, Order]] = {s: {} for s in store_ids}
        self._questions: dict[str, list[Question]] = {s: [] for s in store_ids}
        self._next: dict[str, int] = {s: _FIRST_NUMBER.get(s, 1) for s in store_ids}

    @staticmethod
    def new_session_id() -> str:
        return secrets.token_urlsafe(18)

    def cart(self, store_id: str, session_id: str) -> list[CartLine]:
        """A copy of the cart, so callers never mutate it outside the lock."""
        with self._lock:
            return [line.model_copy() for line in self._carts.get((store_id, session_id), [])]

    def add_to_cart(self, store_id: str, session_id: str, product: Product, quantity: int) -> None:
        """Adding a product already in the cart raises its quantity, as shops do."""
        with self._lock:
            lines = self._carts.setdefault((store_id, session_id), [])
            for line in lines:
                if line.slug == product.slug:
                    line.quantity += quantity
                    return
            lines.append(CartLine(slug=product.slug, name=product.name, quantity=quantity, unit_price=product.price))

    def place_order(self, store_id: str, session_id: str, customer: Customer, marketing_consent: bool) -> Order | None:
        """Turn the session's cart into an order and empty the cart; None if the cart is empty."""
        with self._lock:
            lines = self._carts.pop((store_id, session_id), [])
            if not lines:
                return None
            number = format_order_number(store_id, self._next[store_id])
            self._next[store_id] += 1
            order = Order(
                store_id=store_id,
                number=number,
                customer=customer,
                lines=lines,
                marketing_consent=marketing_consent,
            )
            self._orders[store_id][number] = order
            return order

    def order(self, store_id: str, number: str) -> Order | None:
        with self._lock:
            return self._orders[store_id].get(number)

    def orders(self, store_id: str) -> list[Order]:
        """Every order placed at this store, oldest first."""
        with self._lock:
            return list(self._orders[store_id].values())

    def add_question(self, store_id: str, name: str, email: str, message: str) -> Question:
        with self._lock:
            ticket = f"{len(self._questions[store_id]) + 1:05d}-{secrets.token_hex(3)}"
            question = Question(store_id=store_id, ticket_id=ticket, name=name, email=email, message=message)
            self._questions[store_id].append(question)
            return question

    def questions(self, store_id: str) -> list[Question]:
        with self._lock:
            return list(self._questions[store_id])
