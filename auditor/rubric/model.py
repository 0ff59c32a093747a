"""A rubric file as data: categories with weights, criteria that point at checks.

Scoring policy lives here, never inside a check (Lighthouse's ``auditRefs``):
a team changes a weight, a threshold or a gate level in YAML, not in code.
In YAML, categories and criteria are mappings keyed by id, so ``extends:`` can
override one field of one criterion; in Python they are lists in file order
(parent first), which is the order of findings and reports.
"""

from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from auditor.models import MessageKind
from auditor.models.finding import Level
from auditor.rubric.registry import get_check
from auditor.yamlfile import field_path


class Category(BaseModel):
    """A group of criteria; the total is the weighted mean of its categories."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    weight: float = Field(default=1.0, ge=0)
    description: str = ""


class Criterion(BaseModel):
    """One check, configured: its parameters, weight, category and what it means for a CI gate.

    ``level``: ``off`` does not run the check at all, ``warn`` scores it and reports
    it, ``error`` also fails ``auditor check`` when it does not pass. ``must`` fails
    the gate whatever the total. A weight of 0 makes a criterion informative only.
    """

    model_config = ConfigDict(extra="forbid")

    id: str
    check: str
    title: str = ""
    category: str = ""
    params: dict[str, Any] = Field(default_factory=dict)
    weight: float = Field(default=1.0, ge=0)
    applies_to: list[MessageKind] | None = Field(
        default=None, description="kinds of email the check reads; default: the check's own"
    )
    level: Level = "warn"
    must: bool = False
    pass_at: float = Field(default=0.9, ge=0, le=1, description="score from which the finding passes")
    warn_at: float = Field(default=0.5, ge=0, le=1, description="score from which a miss is a warning")
    rationale: str = ""

    @field_validator("check")
    @classmethod
    def _known_check(cls, value: str) -> str:
        try:
            get_check(value)
        except KeyError as exc:
            raise ValueError(exc.args[0]) from None
        return value

    @field_validator("params")
    @classmethod
    def _params_fit_the_check(cls, value: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        check_id = info.data.get("check")
        if check_id is None:
            return value
        model = get_check(check_id).params
        try:
            return model.model_validate(value).model_dump(mode="json")
        except ValidationError as exc:
            why = "; ".join(
                f"{field_path(e['loc'])}: {e['msg'].removeprefix('Value error, ')}" if e["loc"] else e["msg"]
                for e in exc.errors()
            )
            raise ValueError(f"parameters for {check_id}: {why}") from None

    @model_validator(mode="after")
    def _defaults_from_check(self) -> "Criterion":
        meta = get_check(self.check)
        if not self.title:
            self.title = meta.title
        if not self.category:
            self.category = meta.category
        if not self.rationale:
            self.rationale = meta.rationale
        if self.applies_to is None:
            self.applies_to = list(meta.applies_to)
        if self.warn_at > self.pass_at:
            raise ValueError(f"warn_at ({self.warn_at}) is above pass_at ({self.pass_at})")
        return self

    def typed_params(self) -> BaseModel:
        """The parameters as the check's own model (defaults filled in)."""
        return get_check(self.check).params.model_validate(self.params)


def _as_list(value: Any) -> Any:
    """``{id: {...}}`` (the YAML form) -> ``[{id, ...}]`` in file order; a list passes through."""
    if not isinstance(value, dict):
        return value
    return [({**body, "id": key} if isinstance(body, dict) else body) for key, body in value.items()]


class Rubric(BaseModel):
    """A whole rubric after ``extends:`` is resolved."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str = ""
    description: str = ""
    extends: str | None = None
    categories: list[Category] = Field(min_length=1)
    criteria: list[Criterion] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _lists_from_mappings(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = {**data, "categories": _as_list(data.get("categories")), "criteria": _as_list(data.get("criteria"))}
        return data

    @model_validator(mode="after")
    def _consistent(self) -> "Rubric":
        for kind, items in (("category", self.categories), ("criterion", self.criteria)):
            ids = [i.id for i in items]
            repeated = sorted({i for i in ids if ids.count(i) > 1})
            if repeated:
                raise ValueError(f"{kind} ids used twice: {', '.join(repeated)}")
        declared = [c.id for c in self.categories]
        unknown = [f"{c.id} -> {c.category!r}" for c in self.criteria if c.category not in declared]
        if unknown:
            raise ValueError(
                f"criteria in undeclared categories: {', '.join(unknown)} (declared: {', '.join(declared)})"
            )
        return self

    def category(self, category_id: str) -> Category:
        return next(c for c in self.categories if c.id == category_id)

    def criterion(self, criterion_id: str) -> Criterion:
        return next(c for c in self.criteria if c.id == criterion_id)

    def active(self) -> list[Criterion]:
        """The criteria that run (level is not ``off``), in rubric order."""
        return [c for c in self.criteria if c.level != "off"]
