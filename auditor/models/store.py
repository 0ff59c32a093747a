"""A shop under audit: where it is and where things are on it (its profile)."""

from typing import Any

from pydantic import BaseModel, Field


class Store(BaseModel):
    """``profile`` maps a step kind (``add_to_cart``, ``checkout``...) to the URLs
    and selectors that do it on this store, so one scenario serves many stores."""

    id: str
    name: str
    base_url: str
    locale: str = "en"
    currency: str | None = None
    real_money: bool = False
    profile: dict[str, Any] = Field(default_factory=dict)
