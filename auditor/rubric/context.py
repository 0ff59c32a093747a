"""What a check sees: one run's record, its criterion's parameters, and shared lookups.

Checks stay short because the questions every check asks (when was the order
placed, which messages are confirmations, what else arrived) are answered here
once, the same way, in a deterministic order. ``RunView`` answers them once per
run; ``CheckContext`` adds one criterion's parameters and kinds.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from typing import TypeVar

from pydantic import BaseModel

from auditor.models import JournalEvent, MessageKind, MessageRecord, RunRecord, ShownOrder
from auditor.rubric.matching import find_order_number, order_numbers_match

P = TypeVar("P", bound=BaseModel)


def plural(count: int, word: str, words: str | None = None) -> str:
    """'1 email', '3 emails': findings are read by people."""
    return f"{count} {word if count == 1 else (words or word + 's')}"


def seconds_words(seconds: float) -> str:
    """42 -> '42 s', 300 -> '5 min', 5400 -> '1.5 h', 200000 -> '2.3 days'."""
    if seconds < 0:
        return f"-{seconds_words(-seconds)}"
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 2 * 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


@dataclass(frozen=True)
class RunView:
    """One run's record with the lookups every check shares, computed once per run."""

    record: RunRecord

    @cached_property
    def messages(self) -> list[MessageRecord]:
        """Every message of the run by arrival (hash breaks ties, so order never depends on input order)."""
        return sorted(self.record.messages, key=lambda m: (m.message.arrived_at, m.message.sha256))

    def event(self, kind: str) -> JournalEvent | None:
        return self.record.journal.first(kind)

    @cached_property
    def order_event(self) -> JournalEvent | None:
        """The click that placed the order (falling back to the order page if the click was not logged)."""
        return self.event("order_submitted") or self.event("order_shown")

    @cached_property
    def question_event(self) -> JournalEvent | None:
        return self.event("question_sent")

    @cached_property
    def order(self) -> ShownOrder | None:
        """The order as the store's page showed it: the ground truth for order details."""
        return self.record.journal.order

    @cached_property
    def watch_start(self) -> datetime | None:
        """The first action the store could answer: the order, else the question, else the run's start."""
        if self.order_event is not None:
            return self.order_event.at
        if self.question_event is not None:
            return self.question_event.at
        return self.record.journal.started_at

    @cached_property
    def watched_until(self) -> datetime | None:
        """When the mailbox stopped watching: ``observed_until`` or the end of the expected window."""
        if self.record.observed_until is not None:
            return self.record.observed_until
        if self.watch_start is None:
            return None
        return self.watch_start + timedelta(seconds=self.record.expectations.window_seconds)


def clock_resolution(record: MessageRecord) -> timedelta:
    """How coarse a message's arrival clock is: IMAP INTERNALDATE and headers carry whole seconds,
    so a reply stamped 12:00:01 may have come at 12:00:01.9, after a click at 12:00:01.5."""
    return timedelta(0) if record.message.arrival_source in ("smtp", "file_mtime") else timedelta(seconds=1)


@dataclass(frozen=True)
class CheckContext:
    """A run seen by one criterion: its parameters and the kinds it applies to (empty: every kind)."""

    view: RunView
    params: BaseModel
    applies_to: tuple[MessageKind, ...] = ()

    @classmethod
    def of(cls, record: RunRecord, params: BaseModel, applies_to: tuple[MessageKind, ...] = ()) -> "CheckContext":
        return cls(view=RunView(record), params=params, applies_to=applies_to)

    def p(self, model: type[P]) -> P:
        """The parameters, typed as the check declared them."""
        if not isinstance(self.params, model):
            raise TypeError(f"parameters are {type(self.params).__name__}, the check expects {model.__name__}")
        return self.params

    @property
    def record(self) -> RunRecord:
        return self.view.record

    @property
    def messages(self) -> list[MessageRecord]:
        return self.view.messages

    @cached_property
    def relevant(self) -> list[MessageRecord]:
        """The messages of the kinds this criterion applies to, by arrival."""
        if not self.applies_to:
            return list(self.messages)
        return [m for m in self.messages if m.evidence.kind in self.applies_to]

    def of_kind(self, *kinds: MessageKind) -> list[MessageRecord]:
        return [m for m in self.messages if m.evidence.kind in kinds]

    @property
    def persona_first_name(self) -> str:
        return self.record.persona.first_name

    def event(self, kind: str) -> JournalEvent | None:
        return self.view.event(kind)

    @property
    def order_event(self) -> JournalEvent | None:
        return self.view.order_event

    @property
    def order_click(self) -> JournalEvent:
        """The order's journal event, for checks that declare ``needs=(Need.order,)``."""
        if self.view.order_event is None:
            raise RuntimeError("no order in this run: the check must declare needs=(Need.order,)")
        return self.view.order_event

    @property
    def question(self) -> JournalEvent:
        """The question's journal event, for checks that declare ``needs=(Need.question,)``."""
        if self.view.question_event is None:
            raise RuntimeError("no question in this run: the check must declare needs=(Need.question,)")
        return self.view.question_event

    @property
    def order_at(self) -> datetime | None:
        return self.view.order_event.at if self.view.order_event else None

    @property
    def question_event(self) -> JournalEvent | None:
        return self.view.question_event

    @property
    def order(self) -> ShownOrder | None:
        return self.view.order

    @property
    def watch_start(self) -> datetime | None:
        return self.view.watch_start

    @property
    def watched_until(self) -> datetime | None:
        return self.view.watched_until

    def after(self, start: datetime, seconds: float | None = None, *, relevant: bool = False) -> list[MessageRecord]:
        """Messages arriving at or after ``start`` (and within ``seconds`` of it, if given);
        ``relevant=True`` keeps only the kinds this criterion applies to."""
        end = start + timedelta(seconds=seconds) if seconds is not None else None
        pool = self.relevant if relevant else self.messages
        return [
            m
            for m in pool
            if m.message.arrived_at >= start - clock_resolution(m) and (end is None or m.message.arrived_at <= end)
        ]

    def describe(self, message: MessageRecord, since: datetime | None = None) -> str:
        """'payment "Payment received" after 3 s': how a finding names a message."""
        m = message.message
        words = f'{message.evidence.kind.value} "{m.subject}"'
        if since is not None:
            words += f" after {seconds_words((m.arrived_at - since).total_seconds())}"
        return words

    def arrived_summary(self, since: datetime | None = None, limit: int = 6) -> str:
        """What did arrive, for a finding that says something did not: never a bare timeout."""
        shown = self.after(since) if since is not None else self.messages
        if not shown:
            return "nothing arrived"
        parts = [self.describe(m, since) for m in shown[:limit]]
        more = f" and {len(shown) - limit} more" if len(shown) > limit else ""
        return f"arrived: {'; '.join(parts)}{more}"

    @cached_property
    def confirmation(self) -> MessageRecord | None:
        """This order's confirmation among the criterion's kinds (an invoice is not one): the first whose
        order number analysis read as the journal's, else the first that mentions it, else the first."""
        number = self.order.number if self.order else None
        if number:
            for record in self.relevant:
                fact = record.evidence.order_number
                if fact is not None and order_numbers_match(fact.value, number):
                    return record
            for record in self.relevant:
                if find_order_number(f"{record.message.subject}\n{record.text}", number):
                    return record
        return self.relevant[0] if self.relevant else None

    @property
    def kinds_words(self) -> str:
        """'order_confirmation' or 'payment/shipping': how a finding names the kinds it looked for."""
        return "/".join(k.value for k in self.applies_to) or "email"
