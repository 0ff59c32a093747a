"""Verdict honesty, decided once: which runs may be scored, and whether a run watched long enough.

A score that is wrong without saying so is worse than no score. A run that
failed, was dry, or was interrupted across its order click (with no mail to
settle the doubt) has no total, and its store's score leaves it out, saying
why. A run whose watch was cut short cannot prove that a message never came:
"none arrived" is then incomplete, not a failure of the store.
"""

from datetime import datetime, timedelta

from auditor.models import JournalEvent, RunRecord, RunStatus
from auditor.models.duration import duration_words


def failed_step(record: RunRecord) -> JournalEvent | None:
    """The journal's ``step_failed`` event: which step, on which page, with which artifacts."""
    return record.journal.first("step_failed")


def where_it_failed(record: RunRecord) -> str:
    """'step 5 place_order (checkout[2].click) on http://…/checkout': the step, the part and the page."""
    event = failed_step(record)
    if event is None:
        return ""
    data = event.data
    words = f"step {data['index']} {event.step}" if "index" in data else f"step {event.step}"
    if data.get("detail"):
        words += f" ({data['detail']})"
    if page := shown_page(data.get("url")):
        words += f" on {page}"
    return words


def shown_page(url: object) -> str | None:
    """The page a step failed on, or None when the browser only showed its own error page."""
    text = str(url or "")
    return None if not text or text.startswith(("chrome-error:", "about:blank", "data:")) else text


def is_dry(record: RunRecord) -> bool:
    return record.journal.first("dry_run_stopped") is not None


def unscored_reason(record: RunRecord) -> str | None:
    """Why this run gets no total, or None when it may be scored.

    An interrupted run counts once mail for it arrived: the store evidently has the order.
    """
    run = record.run
    if run.status == RunStatus.failed:
        at = where_it_failed(record)
        return f"the run failed{f' at {at}' if at else ''}: {run.error or 'no reason recorded'}"
    if is_dry(record):
        return "dry run: stopped before the order click, so nothing was bought and nothing can be judged"
    if run.status == RunStatus.interrupted and not record.messages:
        why = run.error or "interrupted across the order click"
        return f"{why}; no mail came for it, so whether the store has the order is unknown"
    if run.status == RunStatus.shopping:
        return f"the run has not finished (status {run.status.value}): resume the campaign to complete it"
    if run.status == RunStatus.pending and not record.journal.events:
        return "the run has not started: resume the campaign to run it"
    return None


def watch_cut_short(record: RunRecord) -> str | None:
    """Why "nothing arrived" would not be a verdict for this run, or None when its watch ran its course."""
    run = record.run
    if run.status == RunStatus.failed:
        return "the run failed before its observation window ended"
    if run.status == RunStatus.interrupted:
        return "the run was interrupted across the order click: the store may never have received the order"
    if run.status == RunStatus.shopping:
        return "the run stopped while shopping: resume the campaign to complete it"
    if is_dry(record):
        return "dry run: stopped before the order click"
    return None


def window_start(record: RunRecord) -> datetime | None:
    """Where a run's observation window starts: the order click (what a store's mail answers, and what
    timed steps count from), else the run's first action."""
    return record.journal.time_of("order_submitted") or record.run.started_at or record.journal.started_at


def window_end(record: RunRecord) -> datetime | None:
    start = window_start(record)
    return start + timedelta(seconds=record.expectations.window_seconds) if start else None


def observed_words(record: RunRecord) -> str | None:
    """'2 d 4 h of 30 d': how much of its window a run has observed, or None without a start."""
    start, end = window_start(record), window_end(record)
    if start is None or end is None:
        return None
    until = min(record.observed_until or end, end)
    return f"{duration_words((until - start).total_seconds())} of {duration_words((end - start).total_seconds())}"


def window_open(record: RunRecord) -> str | None:
    """Why an outcome that has not happened yet is still open: the run is watching and has observed
    only part of its window ("observed 20 s of 60 s"); None when the window is over (or never ran)."""
    if record.run.status != RunStatus.watching:
        return None
    end = window_end(record)
    if end is None or (record.observed_until is not None and record.observed_until >= end):
        return None
    return f"the observation window is not over (observed {observed_words(record)})"
