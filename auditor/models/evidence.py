"""What analysis found in one message, each fact with the snippet it came from."""

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from auditor.models.money import Money


class MessageKind(StrEnum):
    order_confirmation = "order_confirmation"
    payment = "payment"
    shipping = "shipping"
    delivery = "delivery"
    review_request = "review_request"
    support_reply = "support_reply"
    account = "account"
    marketing = "marketing"
    abandoned_cart = "abandoned_cart"
    other = "other"


class Fact(BaseModel):
    """A value and where it was read: ``source`` is subject, text, html or a header name."""

    value: Any = None
    snippet: str = ""
    source: str = "text"


class ItemFact(BaseModel):
    name: str
    quantity: int | None = None
    unit_price: Money | None = None
    line_total: Money | None = None
    snippet: str = ""


class Evidence(BaseModel):
    """Per message. Absent facts are ``None`` or empty: the rubric decides what that costs."""

    message_sha256: str
    kind: MessageKind = MessageKind.other
    kind_confidence: float = 0.0
    kind_reasons: list[str] = Field(default_factory=list)
    language: str | None = None
    greeting: Fact | None = Field(
        default=None, description="value: the greeted name, or None for a generic greeting"
    )
    order_number: Fact | None = None
    items: list[ItemFact] = Field(default_factory=list)
    prices: list[Fact] = Field(default_factory=list, description="every amount seen (Money values)")
    total: Fact | None = None
    delivery_estimate: Fact | None = None
    images: list[Fact] = Field(default_factory=list)
    links: list[Fact] = Field(default_factory=list, description="value: {'url','role','text'}")
    has_text_part: bool = False
    html_size: int = 0
    malformed: str | None = Field(default=None, description="why the message could not be fully read")
    extra: dict[str, Any] = Field(default_factory=dict)
