"""What the shopper did and what the store showed: the ground truth for scoring."""

from datetime import datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, Field

from auditor.models.money import Money


class OrderItem(BaseModel):
    name: str
    quantity: int | None = None
    unit_price: Money | None = None
    line_total: Money | None = None


class ShownOrder(BaseModel):
    """The order as the store's pages showed it; ``None`` means the store did not show it."""

    number: str | None = None
    items: list[OrderItem] = Field(default_factory=list)
    total: Money | None = None
    currency: str | None = Field(default=None, description="ISO 4217 code of the prices shown, when known")
    delivery_estimate: str | None = None


class JournalEvent(BaseModel):
    """One timestamped thing that happened in a run.

    Kinds used across stages: ``run_started``, ``step_started``, ``step_done``,
    ``step_failed``, ``order_submitted`` (the click that placed the order),
    ``order_shown`` (data: a ShownOrder), ``question_sent``, ``run_finished``.
    """

    at: AwareDatetime
    kind: str
    step: str | None = None
    data: dict[str, Any] = Field(default_factory=dict)


class Journal(BaseModel):
    run_id: str
    events: list[JournalEvent] = Field(default_factory=list)

    def first(self, kind: str) -> JournalEvent | None:
        return next((e for e in self.events if e.kind == kind), None)

    def time_of(self, kind: str) -> datetime | None:
        event = self.first(kind)
        return event.at if event else None

    @property
    def order(self) -> ShownOrder | None:
        event = self.first("order_shown")
        return ShownOrder.model_validate(event.data) if event else None

    @property
    def started_at(self) -> datetime | None:
        return self.events[0].at if self.events else None
