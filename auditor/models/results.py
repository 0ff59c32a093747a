"""The scored campaign as reports and CI read it: the shape of ``results.json``.

Documented in the README; change it only by adding fields, and bump
``SCHEMA`` when a field changes meaning.
"""

from pydantic import AwareDatetime, BaseModel, Field

from auditor.models.evidence import MessageKind
from auditor.models.finding import Finding
from auditor.models.run import Run
from auditor.models.scorecard import Scorecard

SCHEMA = "post-purchase-auditor/results@1"


class CategoryInfo(BaseModel):
    id: str
    title: str
    weight: float


class MessageSummary(BaseModel):
    """One email on a run's timeline; ``after_order_s`` is measured from the order click."""

    sha256: str
    arrived_at: AwareDatetime
    after_order_s: float | None = None
    date_header: AwareDatetime | None = None
    from_addr: str
    subject: str
    kind: MessageKind
    malformed: str | None = None


class RunProblem(BaseModel):
    """Why a run could not be done, for CI: what failed, at which step, on which page, and what to look at."""

    reason: str
    step: str | None = Field(default=None, description="'step 5 place_order (checkout[2].click)', or 'mailbox'")
    page: str | None = Field(default=None, description="the URL the browser was on")
    artifacts: list[str] = Field(
        default_factory=list, description="screenshots, trace, page HTML: paths relative to the report folder"
    )


class MailboxGap(BaseModel):
    """A stretch of a run's window when the campaign's SMTP sink was not listening: mail a store sent
    then was refused or lost (IMAP keeps mail while nobody reads; a sink cannot)."""

    since: AwareDatetime
    until: AwareDatetime | None = None
    cause: str


class RunAnchors(BaseModel):
    """The journal's moments a run's timeline is drawn against, in seconds after the order click."""

    ordered_at: AwareDatetime | None = None
    question_after_s: float | None = None
    observed_s: float | None = Field(default=None, description="how long the mailbox watched, from the order")
    expected: list[MessageKind] = Field(default_factory=list, description="the kinds the scenario expects")
    window_s: float | None = Field(default=None, description="the run's observation window, in seconds")
    observed: str | None = Field(
        default=None, description="how much of its window the run observed, in words: '2 d 4 h of 30 d'"
    )
    mailbox_down: list[MailboxGap] = Field(
        default_factory=list, description="when the SMTP sink was down during the run's observed window"
    )


class RunResult(BaseModel):
    run: Run
    scorecard: Scorecard
    findings: list[Finding]
    messages: list[MessageSummary]
    anchors: RunAnchors | None = None  # added later: absent in older results.json


class StoreResult(BaseModel):
    id: str
    name: str
    scorecard: Scorecard
    runs: list[RunResult]


class CampaignResults(BaseModel):
    schema_: str = Field(default=SCHEMA, alias="schema")
    campaign: str
    rubric: str
    categories: list[CategoryInfo]
    stores: list[StoreResult] = Field(description="best total first")

    model_config = {"populate_by_name": True}
