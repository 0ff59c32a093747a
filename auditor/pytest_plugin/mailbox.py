"""``audit_mailbox``: this test's own address, and assertions on the mail that arrives for it.

Every wait counts from the order click when ``audit_order`` recorded one (``within=60``: the
confirmation must come within a minute of the click, however long the test took to get there),
else from the call. A failure lists every message that did arrive for the address, with its kind,
subject and arrival offset, because "no confirmation" is only half the story when five other
emails came instead.
"""

from __future__ import annotations

from datetime import UTC, datetime

from auditor.models import MessageKind, MessageRecord
from auditor.pytest_plugin.testrun import TestRun

DEFAULT_WITHIN = 60.0
SUBJECT_WIDTH = 60


class MailAssertionError(AssertionError):
    """An ``audit_mailbox`` expectation did not hold; the message lists what arrived."""

    __module__ = "auditor.pytest_plugin"  # as pytest prints it: the public name


def as_kind(kind: MessageKind | str) -> MessageKind:
    try:
        return MessageKind(kind)
    except ValueError:
        known = ", ".join(k.value for k in MessageKind)
        raise ValueError(f"audit_mailbox: unknown kind {kind!r}; one of: {known}") from None


def _subject(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SUBJECT_WIDTH else text[: SUBJECT_WIDTH - 1] + "…"


def describe(test: TestRun, records: list[MessageRecord], since: str) -> str:
    """One line per message: offset, kind, subject, sender; or why there may be none."""
    if not records:
        return f"no message arrived for {test.address}{since}." + _hint(test)
    lines = [f"{len(records)} message{'s' if len(records) != 1 else ''} arrived for {test.address}{since}:"]
    for r in records:
        lines.append(
            f"  {test.offset(r):+7.1f} s  {r.evidence.kind.value:<18} {_subject(r.message.subject)!r}"
            f"  from {r.message.from_addr or '(no From)'}"
        )
    return "\n".join(lines)


def _hint(test: TestRun) -> str:
    smtp = test.service.smtp
    if smtp is not None:
        return f" (the SMTP sink listens on {smtp[0]}:{smtp[1]}: is the store's SMTP pointed at it?)"
    return " (is the store sending to this address, and the inbox's folders right?)"


class AuditMailbox:
    """Per test: ``.address`` to type at checkout, ``.smtp`` to point a staging store at, and assertions."""

    def __init__(self, test: TestRun):
        self._test = test

    def __repr__(self) -> str:  # pytest prints fixtures in a failure's traceback: say whose mail it is
        smtp = f"smtp {self.smtp[0]}:{self.smtp[1]}, " if self.smtp else ""
        count = len(self.messages)
        return f"<AuditMailbox {self.address} ({smtp}{count} message{'s' if count != 1 else ''})>"

    @property
    def address(self) -> str:
        """Unique to this test (worker, test and random), plus-addressed or catch-all as configured."""
        return self._test.address

    @property
    def smtp(self) -> tuple[str, int] | None:
        """``(host, port)`` of the embedded SMTP sink; None when reading an IMAP inbox."""
        return self._test.service.smtp

    @property
    def messages(self) -> list[MessageRecord]:
        """Every analysed message for this address so far, by arrival (``.message``, ``.evidence``)."""
        return self._test.records()

    def _timing(self, within: float) -> tuple[float, str]:
        """Seconds left to wait, and how to say what they count from."""
        if within < 0:
            raise ValueError(f"audit_mailbox: within must be >= 0, got {within}")
        clicked = self._test.order.clicked_at
        if clicked is None:
            return within, f" within {within:g} s"
        left = within - (datetime.now(UTC) - clicked).total_seconds()
        return left, f" within {within:g} s of the order click"

    def _of(self, records: list[MessageRecord], kind: MessageKind) -> list[MessageRecord]:
        return [r for r in records if r.evidence.kind == kind]

    def expect(self, kind: MessageKind | str, within: float = DEFAULT_WITHIN) -> MessageRecord:
        """The first message of ``kind`` (waiting up to ``within`` s), or fail listing what did arrive."""
        __tracebackhide__ = True
        wanted = as_kind(kind)
        left, window = self._timing(within)
        records = self._test.service.wait(self._test.run_id, lambda rs: bool(self._of(rs, wanted)), left)
        found = self._of(records, wanted)
        if found:
            return found[0]
        raise MailAssertionError(f"expected {_a(wanted)}{window}; none came.\n{describe(self._test, records, '')}")

    def expect_none(self, kind: MessageKind | str, within: float = DEFAULT_WITHIN) -> None:
        """Watch for ``within`` s: fail as soon as a message of ``kind`` arrives (e.g. marketing without consent)."""
        __tracebackhide__ = True
        unwanted = as_kind(kind)
        left, window = self._timing(within)
        records = self._test.service.wait(self._test.run_id, lambda rs: bool(self._of(rs, unwanted)), left)
        found = self._of(records, unwanted)
        if found:
            raise MailAssertionError(
                f"expected no {unwanted.value}{window}; {len(found)} came.\n{describe(self._test, records, '')}"
            )

    def assert_exactly_one(self, kind: MessageKind | str, within: float = DEFAULT_WITHIN) -> MessageRecord:
        """Watch for ``within`` s (a duplicate can come late): exactly one message of ``kind``, or fail
        listing them all. Fails at once when a second one arrives."""
        __tracebackhide__ = True
        wanted = as_kind(kind)
        left, window = self._timing(within)
        records = self._test.service.wait(self._test.run_id, lambda rs: len(self._of(rs, wanted)) > 1, left)
        found = self._of(records, wanted)
        if len(found) == 1:
            return found[0]
        got = "none came" if not found else f"{len(found)} came"
        raise MailAssertionError(
            f"expected exactly one {wanted.value}{window}; {got}.\n{describe(self._test, records, '')}"
        )


def _a(kind: MessageKind) -> str:
    word = kind.value
    return f"an {word}" if word[0] in "aeiou" else f"a {word}"
