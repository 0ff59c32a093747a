"""The purchase guard: never place a real-money order unless everyone said yes and the total fits."""

from auditor.models import Money, Store
from auditor.models.scenario import Scenario
from auditor.shopper.errors import PurchaseRefused
from auditor.shopper.options import ShopperOptions


def check_purchase(scenario: Scenario, store: Store, options: ShopperOptions, total: Money | None) -> None:
    """Raise PurchaseRefused unless placing this order is allowed.

    A store that is not ``real_money`` is always allowed. A real-money store needs the scenario's
    ``allow_purchase``, the command's ``allow_purchase`` and ``max_spend``, and a total the store
    showed (extracted before the order click) in the cap's currency and within it."""
    if not store.real_money:
        return
    missing = []
    if not scenario.allow_purchase:
        missing.append(f"scenario '{scenario.id}' does not set allow_purchase: true")
    if not options.allow_purchase:
        missing.append("--allow-purchase was not given")
    if options.max_spend is None:
        missing.append("--max-spend was not given")
    if missing:
        raise PurchaseRefused(f"purchase guard: store '{store.id}' uses real money and " + "; ".join(missing))
    cap = options.max_spend
    assert cap is not None
    if total is None:
        raise PurchaseRefused(
            f"purchase guard: store '{store.id}' uses real money and no total was shown before the order "
            "(add an extract with total: to the profile before the order click)"
        )
    if cap.currency and total.currency is None:
        raise PurchaseRefused(f"purchase guard: total {total} shows no currency to compare with the cap {cap}")
    if cap.currency and total.currency and cap.currency != total.currency:
        raise PurchaseRefused(f"purchase guard: total {total} is not in the cap's currency ({cap})")
    if total.amount > cap.amount:
        raise PurchaseRefused(f"purchase guard: total {total} is over the cap of {cap}")
