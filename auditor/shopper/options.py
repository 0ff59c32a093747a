"""How a run may behave: purchase permissions, timeouts, retries, tracing, concurrency."""

import asyncio
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from auditor.models import Money


class ShopperOptions(BaseModel):
    """Set by the command line (``--allow-purchase --max-spend``, ``--dry-run``) or a test."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    allow_purchase: bool = Field(default=False, description="--allow-purchase: may buy on a real-money store")
    max_spend: Money | None = Field(default=None, description="--max-spend: the most one order may cost")
    dry_run: bool = Field(default=False, description="stop before place_order on any store")
    action_timeout: float = Field(default=15, gt=0, description="seconds for one click/fill/select")
    locator_timeout: float = Field(
        default=5, gt=0, description="seconds a locator may take to appear before the step fails (not retried)"
    )
    navigation_timeout: float = Field(default=30, gt=0, description="seconds for one page load")
    retries: int = Field(default=3, ge=0, description="extra attempts after a navigation error or 5xx answer")
    retry_backoff: float = Field(default=0.5, ge=0, description="seconds before the first retry; doubles each time")
    trace: Literal["on_retry", "on_failure", "always", "off"] = Field(
        default="on_retry",
        description=(
            "on_retry: no trace on the first attempt; a run that fails before its order click is tried once more "
            "with the trace on (as Playwright Test's on-first-retry), so a passing run pays nothing for it; "
            "on_failure: every run recorded, kept when it fails; always; off"
        ),
    )
    limiter: asyncio.Semaphore | None = Field(
        default=None, description="shared by concurrent runs: at most this many browser contexts at once"
    )
