"""Who shops, and how each run gets an address of its own."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class PostalAddress(BaseModel):
    model_config = ConfigDict(extra="forbid")

    line1: str
    line2: str = ""
    city: str
    postcode: str
    country: str = "PL"


class AddressStrategy(BaseModel):
    """How a run's unique address is made from the persona's mailbox.

    ``plus``: ``box+RUNID@domain``; ``catch_all``: ``RUNID@domain``;
    ``fixed``: the mailbox itself, matched to a run by time window and sender.
    """

    model_config = ConfigDict(extra="forbid")

    kind: Literal["plus", "catch_all", "fixed"] = "plus"
    mailbox: str = Field(description="the base address, e.g. shopper@example.test")

    def address_for(self, run_id: str) -> str:
        local, _, domain = self.mailbox.partition("@")
        if self.kind == "plus":
            return f"{local}+{run_id}@{domain}"
        if self.kind == "catch_all":
            return f"{run_id}@{domain}"
        return self.mailbox


class Persona(BaseModel):
    """Who shops. A typo in a persona file (``zip:``) is an error, not a silently missing field."""

    model_config = ConfigDict(extra="forbid")

    id: str
    first_name: str
    last_name: str
    phone: str = ""
    language: str = "en"
    timezone: str = "UTC"
    marketing_consent: bool = False
    address: PostalAddress
    email: AddressStrategy

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"
