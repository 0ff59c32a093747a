"""One scenario executed once against one store as one persona."""

from enum import StrEnum

from pydantic import AwareDatetime, BaseModel


class RunStatus(StrEnum):
    pending = "pending"
    shopping = "shopping"
    watching = "watching"
    done = "done"
    failed = "failed"
    # resumed across an order click whose answer (navigation or response) was never observed:
    # the store may or may not have the order, so the run is neither shopped again nor scored
    interrupted = "interrupted"


class Run(BaseModel):
    id: str
    store_id: str
    scenario_id: str
    persona_id: str
    address: str
    plan_key: str = ""
    status: RunStatus = RunStatus.pending
    error: str | None = None
    started_at: AwareDatetime | None = None
    finished_at: AwareDatetime | None = None
