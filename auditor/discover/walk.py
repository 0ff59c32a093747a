"""Walk a store like a first-time shopper, writing down each step as the shopper will run it.

Every step discovery finds is run at once through the shopper's own ``RunSession`` (``record.py``), so
what the draft says is what was just done on the real page: a step that does not work fails here, not
in the first audit. ``Walker`` is the one object ``discover()`` drives; each step of the walk is its
own module: the products (``walk_products``), the cart (``walk_cart``), the checkout's steps and forms
(``walk_checkout``, ``walk_form``), the order button and thank-you page (``walk_order``: the button is
never clicked unless the caller allows an order), and the question (``walk_question``).
"""

from collections.abc import Callable
from pathlib import Path

from auditor.discover.lexicon import DiscoveryLexicon
from auditor.discover.record import Recorder, Walk
from auditor.discover.scan import Action, PageScan
from auditor.discover.walk_cart import add_to_cart, to_checkout
from auditor.discover.walk_checkout import Checkout
from auditor.discover.walk_order import place_order
from auditor.discover.walk_products import find_products
from auditor.discover.walk_question import contact
from auditor.shopper.actions import RunSession


class Walker:
    """Discovers on one page with one session; ``say`` reports progress."""

    def __init__(
        self,
        session: RunSession,
        lex: DiscoveryLexicon,
        base_url: str,
        shots: Path,
        say: Callable[[str], None],
        *,
        allow_order: bool,
    ) -> None:
        self.r = Recorder(session, lex, base_url, shots, say)
        self.allow_order = allow_order
        self.checkout = Checkout(self.r)

    @property
    def s(self) -> RunSession:
        return self.r.s

    @property
    def walk(self) -> Walk:
        return self.r.walk

    @property
    def lex(self) -> DiscoveryLexicon:
        return self.r.lex

    @lex.setter
    def lex(self, value: DiscoveryLexicon) -> None:  # the page's own language first, once it is known
        self.r.lex = value

    def rel(self, url: str) -> str:
        return self.r.rel(url)

    async def todo(self, entry: str, what: str) -> None:
        await self.r.todo(entry, what)

    async def settle(self) -> None:
        await self.r.settle()

    async def find_products(self, hints: list[str]) -> None:
        await find_products(self.r, hints)

    async def add_to_cart(self) -> None:
        await add_to_cart(self.r)

    async def to_checkout(self) -> bool:
        return await to_checkout(self.r)

    async def walk_checkout(self) -> Action | None:
        """Step through the checkout until a place-order button shows; returns it (not clicked)."""
        return await self.checkout.walk_checkout()

    async def place_order(self) -> None:
        await place_order(self.r, self.checkout.place, allow_order=self.allow_order)

    async def contact(self, home_scan: PageScan) -> None:
        await contact(self.r, home_scan)
