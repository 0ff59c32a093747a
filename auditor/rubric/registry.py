"""The check registry: every check is one function with its metadata beside it.

Like a Lighthouse audit's static ``meta``: the rubric file refers to a check by
id, and the report shows the title and rationale without template changes, so
adding a criterion is adding one decorated function and one rubric line.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from auditor.models import MessageKind

if TYPE_CHECKING:
    from auditor.rubric.context import CheckContext
    from auditor.rubric.result import CheckResult


class NoParams(BaseModel):
    """For checks without parameters: any key in the rubric is a typo and is refused."""

    model_config = ConfigDict(extra="forbid")


CheckFn = Callable[["CheckContext"], "CheckResult"]


class Need(StrEnum):
    """What a check needs before it can judge anything, like a Lighthouse audit's ``requiredArtifacts``.

    The runner (``auditor.rubric.needs``) answers a missing need once for every check: not applicable
    when the scenario never asked for it, incomplete when the run stopped before it could happen, and
    0 for a confirmation that never came although the run watched its whole window.
    """

    order = "order"  # the journal's order: the click that placed it (``ctx.order_event``, ``ctx.order_at``)
    confirmation = "confirmation"  # this order's confirmation message (``ctx.confirmation``); implies order
    question = "question"  # the journal's question to the store (``ctx.question_event``)
    mail = "mail"  # at least one message of the kinds the criterion applies to (``ctx.relevant``)
    feedback = "feedback"  # the journal's ``feedback_sent`` (a timed step answered the store's survey)
    review = "review"  # the journal's ``review_sent`` (a timed step left a review)
    unsubscribe = "unsubscribe"  # the journal's ``unsubscribed`` (a timed step unsubscribed)


# The journal event each act-need waits for (written by timed steps, see ``auditor.models.scenario.TIMED_ACTS``).
ACTS = {Need.feedback: "feedback_sent", Need.review: "review_sent", Need.unsubscribe: "unsubscribed"}


@dataclass(frozen=True)
class CheckMeta:
    """What a check is, independent of any rubric: the rubric adds weight and level."""

    id: str
    title: str
    category: str
    rationale: str
    fn: CheckFn
    applies_to: tuple[MessageKind, ...] = ()
    params: type[BaseModel] = NoParams
    failure_title: str = ""
    needs: tuple[Need, ...] = ()


_REGISTRY: dict[str, CheckMeta] = {}


def check(
    id: str,
    *,
    title: str,
    category: str,
    rationale: str,
    applies_to: tuple[MessageKind, ...] = (),
    params: type[BaseModel] = NoParams,
    failure_title: str = "",
    needs: tuple[Need, ...] = (),
) -> Callable[[CheckFn], CheckFn]:
    """Register the decorated function as check ``id``; ids are unique across the library.

    ``needs``: what must be there before the check runs (see ``Need``); the check itself then
    never tests for it and only judges.
    """

    def register(fn: CheckFn) -> CheckFn:
        if id in _REGISTRY:
            raise ValueError(f"check id {id!r} registered twice ({_REGISTRY[id].fn.__module__}, {fn.__module__})")
        _REGISTRY[id] = CheckMeta(
            id=id,
            title=title,
            category=category,
            rationale=rationale,
            fn=fn,
            applies_to=applies_to,
            params=params,
            failure_title=failure_title,
            needs=needs,
        )
        return fn

    return register


def _load_library() -> None:
    """Import the bundled checks once so the registry is complete before lookups."""
    import auditor.rubric.checks  # noqa: F401


def get_check(check_id: str) -> CheckMeta:
    """The check named ``check_id``; a KeyError lists the known ids so a typo is obvious."""
    _load_library()
    try:
        return _REGISTRY[check_id]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise KeyError(f"unknown check {check_id!r} (known: {known})") from None


def all_checks() -> list[CheckMeta]:
    """Every registered check, sorted by id (for docs and `auditor validate`)."""
    _load_library()
    return [_REGISTRY[k] for k in sorted(_REGISTRY)]
