"""A shop under audit: where it is and where things are on it (its profile)."""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from auditor.models.steps import PrimitiveStep, raise_at, references, strings_in


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

    @model_validator(mode="after")
    def _products_fit_the_profile(self) -> "Store":
        """Every product must have what the profile reads from it: ``{product.url}`` needs a ``url``."""
        wanted: set[str] = set()
        for name, steps in self.profile.items():
            for step in steps:
                for _, text in strings_in(step.model_dump(mode="json"), (name,)):
                    wanted |= {ref for ref in references(text) if ref.split(".")[0] == "product"}
        problems = []
        for product, value in self.products.items():
            for ref in sorted(wanted):
                key = ref.partition(".")[2]
                if key and not (isinstance(value, dict) and key in value):
                    reason = f"the profile uses {{{ref}}}: give this product a mapping with '{key}'"
                    problems.append((("products", product), str(value), reason))
                elif not key and isinstance(value, dict):
                    reason = "the profile uses {product} as text: give a string, or use {product.<key>} there"
                    problems.append((("products", product), str(value), reason))
        raise_at("Store", problems)
        return self
