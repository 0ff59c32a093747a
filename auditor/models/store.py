"""A shop under audit: where it is and where things are on it (its profile)."""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from auditor.models.steps import PrimitiveStep


class Store(BaseModel):
    """``profile`` maps a step kind (``add_to_cart``, ``checkout``...) to the primitive steps that do it
    on this store, so one scenario serves many stores.

    ``products`` maps the names a scenario uses (``headphones``) to what this store calls them: a string
    (``{product}`` in the profile becomes it) or a mapping (``{product.url}``, ``{product.name}``).
    """

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[\w.-]+$")
    name: str
    base_url: str = Field(description="replaced at run time for local test stores")
    locale: str = Field(default="en", description="how prices are written on its pages: pl-PL, de-DE, en-US")
    currency: str | None = Field(default=None, description="ISO 4217, used when a price shows no currency")
    real_money: bool = Field(default=False, description="placing an order here costs real money")
    profile: dict[str, list[PrimitiveStep]] = Field(default_factory=dict)
    products: dict[str, str | dict[str, Any]] = Field(default_factory=dict)
