"""A campaign file: stores × scenarios × personas, repeated, with one mailbox.

Paths inside a campaign file are relative to the file, so a campaign folder
of YAML can be moved as a whole.
"""

from pathlib import Path

from pydantic import BaseModel, Field

from auditor.campaign.mailboxes import MailboxSpec, SmtpSinkSpec
from auditor.models import Persona, Store
from auditor.models.scenario import Scenario
from auditor.yamlfile import ConfigError, load_model


class CampaignSpec(BaseModel):
    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    title: str = ""
    rubric: str = "default"
    stores: list[str] = Field(min_length=1)
    scenarios: list[str] = Field(min_length=1)
    personas: list[str] = Field(min_length=1)
    repeat: int = Field(default=1, ge=1)
    concurrency: int = Field(default=3, ge=1, le=32)
    mailbox: MailboxSpec = Field(default_factory=SmtpSinkSpec)
    db: str | None = Field(
        default=None,
        description="a team's PostgreSQL (postgresql://…) instead of the folder's SQLite; see docs/team.md",
    )


class PlannedRun(BaseModel):
    """One cell of the campaign grid; ``key`` identifies it across resumes."""

    key: str
    store: Store
    scenario: Scenario
    persona: Persona


class Campaign(BaseModel):
    spec: CampaignSpec
    stores: list[Store]
    scenarios: list[Scenario]
    personas: list[Persona]

    def plan(self) -> list[PlannedRun]:
        return [
            PlannedRun(
                key=f"{store.id}/{scenario.id}/{persona.id}/{i}",
                store=store,
                scenario=scenario,
                persona=persona,
            )
            for i in range(self.spec.repeat)
            for store in self.stores
            for scenario in self.scenarios
            for persona in self.personas
        ]


def load_campaign(path: Path | str) -> Campaign:
    """Load a campaign file and every file it names; errors name the file and line."""
    from auditor.config import load_persona, load_scenario, load_store

    path = Path(path)
    spec = load_model(path, CampaignSpec)
    base = path.parent
    campaign = Campaign(
        spec=spec,
        stores=[load_store(base / p) for p in spec.stores],
        scenarios=[load_scenario(base / p) for p in spec.scenarios],
        personas=[load_persona(base / p) for p in spec.personas],
    )
    require_fit(
        [
            (base / sc_path, scenario, base / st_path, store, persona)
            for sc_path, scenario in zip(spec.scenarios, campaign.scenarios, strict=True)
            for st_path, store in zip(spec.stores, campaign.stores, strict=True)
            for persona in campaign.personas
        ]
    )
    return campaign


def require_fit(cells: list[tuple[Path | str, Scenario, Path | str, Store, Persona]]) -> None:
    """Refuse, before anything is bought, a scenario its store or persona cannot serve (a product the
    store does not list, a placeholder with no value): the same checks as ``auditor validate``."""
    from auditor.crossfile import check_fit

    problems = [
        problem
        for scenario_path, scenario, store_path, store, persona in cells
        for problem in check_fit(Path(scenario_path), scenario, Path(store_path), store, persona)
    ]
    if problems:
        raise ConfigError(list({str(p): p for p in problems}.values()))
