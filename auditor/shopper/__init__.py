"""The shopper: Playwright drives a store through a scenario and journals what it did and saw.

Public surface (everything else is private to the package):
``launch_browser``/``BrowserOptions`` to get a browser, ``run_scenario`` with a
``RunHooks`` object (``MemoryHooks`` outside a campaign) and ``ShopperOptions``
to run one scenario, ``ShopperResult`` for what came of it.
"""

from auditor.shopper.browser import BrowserNotFound, BrowserOptions, launch_browser
from auditor.shopper.hooks import RunHooks
from auditor.shopper.memory import MemoryHooks
from auditor.shopper.options import ShopperOptions
from auditor.shopper.result import FailedStep, ShopperResult
from auditor.shopper.runner import run_scenario

__all__ = [
    "BrowserNotFound",
    "BrowserOptions",
    "FailedStep",
    "MemoryHooks",
    "RunHooks",
    "ShopperOptions",
    "ShopperResult",
    "launch_browser",
    "run_scenario",
]
