"""What a run's shopping part came to: ok, failed (which step, why, artifacts) or stopped by a dry run."""

from pathlib import Path

from pydantic import BaseModel, Field

from auditor.models import Message, ShownOrder


class FailedStep(BaseModel):
    index: int = Field(description="position in the scenario's steps, from 0")
    kind: str = Field(description="the scenario step's kind: checkout, click...")
    detail: str | None = Field(default=None, description="the profile step inside it: 'checkout[2].fill'")


class ShopperResult(BaseModel):
    ok: bool
    failed_step: FailedStep | None = None
    reason: str | None = None
    url: str | None = Field(default=None, description="the page the browser was on when the run stopped")
    stopped: str | None = Field(default=None, description="why a dry run stopped early (ok stays True)")
    artifacts: list[Path] = Field(default_factory=list, description="screenshots, page HTML, trace")
    shown_order: ShownOrder | None = Field(default=None, description="what the order page showed, if reached")
    mail: list[Message] = Field(default_factory=list, description="what wait_for_mail steps returned")
    purchase_refused: bool = Field(default=False, description="the purchase guard said no (not worth a retry)")
    order_clicked: bool = Field(default=False, description="whether the order click happened in this attempt")
    retried: str | None = Field(
        default=None, description="why the first attempt failed, when this result is from a retry with the trace on"
    )
