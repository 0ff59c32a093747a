"""Reading an order page into a ShownOrder: locale-aware money, patterns, attributes, unknowns as None."""

from collections.abc import AsyncIterator
from decimal import Decimal

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page

from auditor.models import Money, Store
from auditor.models.steps import ExtractArgs
from auditor.shopper import launch_browser
from auditor.shopper.extract import extract_order

in_module_loop = pytest.mark.asyncio(loop_scope="module")

OSCAR_LIKE = """<html><head><meta itemprop="priceCurrency" content="EUR"></head><body>
<p class="lead">Your order has been placed - your order number is <strong>100004</strong>.</p>
<table>
  <tr class="line"><td class="name">Ohm's Law Poster</td><td class="qty">Qty: 2</td>
      <td class="price">€1.234,50</td></tr>
  <tr class="line"><td class="name">  The  Shellcoder's
      Handbook </td><td class="qty">1</td><td class="price">€19,99</td></tr>
  <tr class="line"><td class="qty">1</td></tr>
</table>
<p id="total">Order total: €2.488,99</p>
</body></html>"""

US_STORE = """<html><body>
<span id="no">R123456789</span>
<div class="item"><b>Lamp</b><i>x3</i><em>$1,234.56</em></div>
<div id="total">Total $3,703.68</div>
<div id="eta">Arrives Tue, Dec 2</div>
</body></html>"""


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def browser() -> AsyncIterator[Browser]:
    async with launch_browser() as b:
        yield b


@pytest_asyncio.fixture(loop_scope="module")
async def page(browser: Browser) -> AsyncIterator[Page]:
    context = await browser.new_context()
    yield await context.new_page()
    await context.close()


def store(locale: str, currency: str | None = None) -> Store:
    return Store(id="s", name="S", base_url="http://x", locale=locale, currency=currency)


@in_module_loop
async def test_an_oscar_like_page_with_patterns_attributes_and_european_money(page: Page) -> None:
    await page.set_content(OSCAR_LIKE)
    args = ExtractArgs.model_validate(
        {
            "order_number": "p.lead strong",
            "items": {"row": "tr.line", "name": ".name", "quantity": ".qty", "unit_price": ".price"},
            "total": {"locator": "#total", "pattern": "total: (.*)"},
            "currency": {"locator": "meta[itemprop=priceCurrency]", "attribute": "content"},
            "delivery_estimate": "#delivery",
        }
    )
    order, notes = await extract_order(page, args, store("de-DE"))
    assert order.number == "100004"
    assert [(i.name, i.quantity) for i in order.items] == [("Ohm's Law Poster", 2), ("The Shellcoder's Handbook", 1)]
    assert order.items[0].unit_price == Money(amount=Decimal("1234.50"), currency="EUR")
    assert order.total == Money(amount=Decimal("2488.99"), currency="EUR")
    assert order.currency == "EUR"
    assert order.delivery_estimate is None
    assert notes == ["delivery_estimate: not shown", "items[2]: no name"]


@in_module_loop
async def test_an_american_page_and_a_profile_that_locates_little(page: Page) -> None:
    await page.set_content(US_STORE)
    args = ExtractArgs.model_validate(
        {
            "order_number": "#no",
            "items": {"row": ".item", "name": "b", "quantity": "i", "unit_price": "em"},
            "total": "#total",
            "delivery_estimate": "#eta",
        }
    )
    order, _ = await extract_order(page, args, store("en-US"))
    assert order.number == "R123456789"
    assert order.items[0].quantity == 3
    assert order.items[0].unit_price == Money(amount=Decimal("1234.56"), currency="USD")
    assert order.total == Money(amount=Decimal("3703.68"), currency="USD")
    assert order.delivery_estimate == "Arrives Tue, Dec 2"

    nothing, notes = await extract_order(page, ExtractArgs(), store("en-US"))
    assert nothing.number is None and nothing.items == [] and nothing.total is None
    assert notes == []


@in_module_loop
async def test_prices_without_a_currency_take_the_stores_and_unreadable_ones_are_noted(page: Page) -> None:
    await page.set_content("<p id='t'>1 299,00</p><p id='bad'>call us</p><p id='n'></p>")
    order, notes = await extract_order(
        page, ExtractArgs.model_validate({"total": "#t", "order_number": "#n"}), store("pl-PL", "PLN")
    )
    assert order.total == Money(amount=Decimal("1299.00"), currency="PLN") and order.currency == "PLN"
    assert order.number is None and notes == ["order_number: not shown"]
    unread, notes = await extract_order(page, ExtractArgs.model_validate({"total": "#bad"}), store("pl-PL"))
    assert unread.total is None and notes == ["total: could not read an amount in 'call us'"]


@in_module_loop
async def test_line_totals_give_the_unit_price_when_the_page_shows_only_them(page: Page) -> None:
    await page.set_content(OSCAR_LIKE)
    args = ExtractArgs.model_validate(
        {"items": {"row": "tr.line", "name": ".name", "quantity": ".qty", "line_total": ".price"}}
    )
    order, notes = await extract_order(page, args, store("de-DE", "EUR"))
    poster = order.items[0]
    assert poster.line_total == Money(amount=Decimal("1234.50"), currency="EUR")
    assert (poster.quantity, poster.unit_price) == (2, Money(amount=Decimal("617.25"), currency="EUR"))
    assert any("derived from the line total" in n for n in notes)
