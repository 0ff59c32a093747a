"""What analysis found in one message, each fact with the snippet it came from."""

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, field_validator

from auditor.models.money import Money


class MessageKind(StrEnum):
    """What an email is. An invoice, a credit memo, a refund and a cancellation are kinds of their own:
    none of them confirms an order or a payment, and a check that counts confirmations must not count them."""

    order_confirmation = "order_confirmation"
    payment = "payment"
    invoice = "invoice"
    credit_memo = "credit_memo"
    refund = "refund"
    cancellation = "cancellation"
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

    @field_validator("value", mode="before")
    @classmethod
    def _revive_money(cls, value: Any) -> Any:
        """Evidence read back from JSON (the campaign's SQLite) gets Money values back, not dicts."""
        if isinstance(value, dict) and set(value) == {"amount", "currency"}:
            return Money.model_validate(value)
        return value


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
    greeting: Fact | None = Field(default=None, description="value: the greeted name, or None for a generic greeting")
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
    # Added by analysis (issue 5); all optional so older stored Evidence still loads.
    subject: str = ""
    languages: dict[str, int] = Field(
        default_factory=dict, description="characters of text per detected language (mixed messages)"
    )
    subtotal: Fact | None = None
    shipping_cost: Fact | None = None
    tax: Fact | None = None
    discount: Fact | None = None
    currency: str | None = Field(default=None, description="ISO 4217 code of the total (else of most prices)")
    recommendations: Fact | None = Field(
        default=None, description="value: number of products in the block; snippet: its heading"
    )
    schema_org: list[Fact] = Field(
        default_factory=list, description="value: {'type','orderNumber','orderStatus',...}; source jsonld|microdata"
    )
    authentication: dict[str, Fact] = Field(
        default_factory=dict, description="spf/dkim/dmarc -> Fact(value='pass'|'fail'|...) from Authentication-Results"
    )
    list_unsubscribe: Fact | None = None
    html_clipped: bool = Field(default=False, description="HTML over Gmail's ~102 KB clipping limit")
    attachments: list[Fact] = Field(default_factory=list, description="value: {'filename','content_type','size'}")
    shipping_address: Fact | None = Field(
        default=None, description="value: the address as shown, lines joined with ', '; snippet: the labelled block"
    )
    returns: Fact | None = Field(
        default=None, description="value: the sentence or link words that explain returns or withdrawal"
    )
