"""The purchase guard: a real-money order needs every permission and a total within the cap."""

from decimal import Decimal

import pytest

from auditor.models import Money, Store
from auditor.models.scenario import Scenario
from auditor.shopper.errors import PurchaseRefused
from auditor.shopper.guard import check_purchase
from auditor.shopper.options import ShopperOptions


def pln(amount: str, currency: str | None = "PLN") -> Money:
    return Money(amount=Decimal(amount), currency=currency)


def scenario(allow: bool) -> Scenario:
    return Scenario.model_validate({"id": "s", "allow_purchase": allow, "steps": [{"place_order": {}}]})


REAL = Store(id="real", name="Real", base_url="https://shop.example", real_money=True)
TEST = Store(id="test", name="Test", base_url="http://127.0.0.1:1")
ALLOWED = ShopperOptions(allow_purchase=True, max_spend=pln("100"))


def test_a_test_store_needs_no_permission() -> None:
    check_purchase(scenario(False), TEST, ShopperOptions(), None)


def test_a_real_store_with_every_permission_and_a_total_within_the_cap_is_allowed() -> None:
    check_purchase(scenario(True), REAL, ALLOWED, pln("100.00"))


@pytest.mark.parametrize(
    ("allow", "options", "total", "reason"),
    [
        (False, ALLOWED, pln("10"), "scenario 's' does not set allow_purchase: true"),
        (True, ShopperOptions(max_spend=pln("100")), pln("10"), "--allow-purchase was not given"),
        (True, ShopperOptions(allow_purchase=True), pln("10"), "--max-spend was not given"),
        (True, ALLOWED, None, "no total was shown before the order"),
        (True, ALLOWED, pln("100.01"), "total 100.01 PLN is over the cap of 100 PLN"),
        (True, ALLOWED, pln("10", "EUR"), "not in the cap's currency"),
        (True, ALLOWED, pln("10", None), "shows no currency"),
    ],
)
def test_a_real_store_is_refused_unless_everything_holds(
    allow: bool, options: ShopperOptions, total: Money | None, reason: str
) -> None:
    with pytest.raises(PurchaseRefused, match="purchase guard") as caught:
        check_purchase(scenario(allow), REAL, options, total)
    assert reason in caught.value.reason


def test_every_missing_permission_is_named_at_once() -> None:
    with pytest.raises(PurchaseRefused) as caught:
        check_purchase(scenario(False), REAL, ShopperOptions(), pln("1"))
    assert caught.value.reason.count(";") == 2
