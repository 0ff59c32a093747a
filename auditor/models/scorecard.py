"""Category scores and a total, 0-100, for a run or a store; bands like Lighthouse's."""

from enum import StrEnum

from pydantic import BaseModel, Field


class Band(StrEnum):
    poor = "poor"
    needs_work = "needs_work"
    good = "good"


def band_for(score: float | None) -> Band | None:
    """0-49 poor, 50-89 needs work, 90-100 good (rounded as displayed)."""
    if score is None:
        return None
    shown = round(score)
    return Band.good if shown >= 90 else Band.needs_work if shown >= 50 else Band.poor


class Scorecard(BaseModel):
    """Scores 0-100; ``None`` where nothing in a category applied (excluded, not zero)."""

    subject: str = Field(description="a run id or a store id")
    categories: dict[str, float | None]
    total: float | None
    rubric: str | None = Field(default=None, description="id of the rubric that scored it")
    runs: int = Field(default=1, ge=0, description="how many run scorecards a store's card aggregates")
    spread: float | None = Field(default=None, description="max - min of the runs' totals (store cards)")
    category_spread: dict[str, float | None] = Field(
        default_factory=dict, description="max - min per category over the runs (store cards)"
    )
    not_applicable: list[str] = Field(
        default_factory=list, description="criteria excluded as not applicable (in every run, for a store)"
    )
    errors: list[str] = Field(default_factory=list, description="criteria whose check failed to run")
    pending: list[str] = Field(
        default_factory=list,
        description="criteria still open because the observation window is not over (in any run, for a store)",
    )
    unscored: str | None = Field(
        default=None,
        description="why there is no total: the run failed, was dry or interrupted (for a store: no run counted)",
    )
    excluded: dict[str, str] = Field(
        default_factory=dict, description="store cards: run id -> why that run does not count toward the score"
    )

    @property
    def band(self) -> Band | None:
        return band_for(self.total)


class Comparison(BaseModel):
    """Store scorecards side by side, best total first."""

    scorecards: list[Scorecard]
