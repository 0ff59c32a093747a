"""An amount with its currency: prices are compared as Decimals, never floats."""

from decimal import Decimal

from pydantic import BaseModel, ConfigDict


class Money(BaseModel):
    """A price as a store showed it; ``currency`` is an ISO 4217 code when known."""

    model_config = ConfigDict(frozen=True)

    amount: Decimal
    currency: str | None = None

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}" if self.currency else str(self.amount)
