"""Verdict honesty, decided by the runner: failed, dry and interrupted runs have no total, and what a
check needs but the run never reached is incomplete, never a pass and never the store's failure."""

from datetime import timedelta

from auditor.models import FindingStatus, JournalEvent, RunRecord, RunStatus
from auditor.rubric import Need, all_checks, examples, load_rubric, score_record, store_scorecard
from auditor.rubric.examples import T0

RUBRIC = load_rubric("default")
ORDER_DETAILS = ("order-number", "items", "total")


def _with(record: RunRecord, status: RunStatus, error: str | None = None, **changes: object) -> RunRecord:
    return record.model_copy(
        update={"run": record.run.model_copy(update={"status": status, "error": error}), **changes}
    )


def _failed_before_the_order() -> RunRecord:
    """The place-order click failed: no order in the journal, no mail, a step_failed event with its page."""
    base = examples.record("down", None, [], order=False, question=False)
    failed = JournalEvent(
        at=T0 + timedelta(seconds=4),
        kind="step_failed",
        step="place_order",
        data={"index": 5, "detail": "checkout[2].click", "url": "http://shop.test/checkout", "reason": "timeout"},
    )
    journal = base.journal.model_copy(update={"events": [*base.journal.events, failed]})
    return _with(base, RunStatus.failed, "checkout[2].click: timeout", journal=journal)


def test_a_run_whose_order_click_failed_has_no_total_and_says_where() -> None:
    findings, card = score_record(RUBRIC, _failed_before_the_order())
    assert card.total is None and all(v is None for v in card.categories.values())
    assert card.unscored == (
        "the run failed at step 5 place_order (checkout[2].click) on http://shop.test/checkout: "
        "checkout[2].click: timeout"
    )
    by_id = {f.criterion: f for f in findings}
    for criterion in ORDER_DETAILS:  # never "not applicable" (it did apply) and never a pass
        assert by_id[criterion].status == FindingStatus.incomplete, by_id[criterion]
        assert by_id[criterion].value.startswith("no order placed in this run: the run failed at step 5")


def test_the_same_run_done_would_score() -> None:
    """Control: the identical journal with status done is scored, so the failure alone removed the total."""
    record = _failed_before_the_order()
    _, card = score_record(RUBRIC, _with(record, RunStatus.done))
    assert card.total is not None and card.unscored is None


def test_a_dry_run_has_no_total() -> None:
    base = examples.record("dry", None, [], order=False, question=False)
    stopped = JournalEvent(at=T0 + timedelta(seconds=3), kind="dry_run_stopped", step="place_order")
    record = _with(base, RunStatus.done, journal=base.journal.model_copy(update={"events": [stopped]}))
    findings, card = score_record(RUBRIC, record)
    assert card.total is None and card.unscored and card.unscored.startswith("dry run")
    store = store_scorecard(RUBRIC, "dry", [card])
    assert store.total is None and store.band is None  # never "good" having tested nothing
    assert store.unscored == f"its only run has no score: {card.unscored}"


def test_an_interrupted_run_without_mail_is_excluded_and_not_failed() -> None:
    """The store may never have received the order: 'no confirmation' is a doubt, not 11 failed findings."""
    base = examples.record("held", "1", [])
    record = _with(base, RunStatus.interrupted, "interrupted: the auditor stopped after the order click")
    findings, card = score_record(RUBRIC, record)
    assert card.total is None and "no mail came for it" in (card.unscored or "")
    failed = [f.criterion for f in findings if f.status == FindingStatus.failed]
    assert failed == []
    by_id = {f.criterion: f for f in findings}
    assert by_id["order-number"].status == FindingStatus.incomplete
    assert "store may never have received the order" in by_id["order-number"].value
    assert by_id["one-confirmation"].status == FindingStatus.incomplete


def test_an_interrupted_run_whose_mail_arrived_is_scored() -> None:
    scored = examples.exemplary()
    _, card = score_record(RUBRIC, _with(scored, RunStatus.interrupted, "interrupted"))
    _, done = score_record(RUBRIC, _with(scored, RunStatus.done))
    assert card.unscored is None and card.total == done.total


def test_a_store_score_leaves_out_runs_without_one_and_says_why() -> None:
    _, good = score_record(RUBRIC, _with(examples.exemplary(), RunStatus.done))
    _, failed = score_record(RUBRIC, _failed_before_the_order())
    store = store_scorecard(RUBRIC, "s", [good, failed])
    assert store.total == good.total and store.runs == 1
    assert store.excluded == {failed.subject: failed.unscored} and store.unscored is None
    none = store_scorecard(RUBRIC, "s", [failed, failed.model_copy(update={"subject": "other"})])
    assert none.total is None and none.unscored and none.unscored.startswith("none of its 2 runs has a score")


def test_a_done_run_without_confirmation_fails_the_order_details() -> None:
    """The runner's answer when the run watched its whole window: 0, naming what did arrive."""
    findings, card = score_record(RUBRIC, _with(examples.record("silent", "1", []), RunStatus.done))
    by_id = {f.criterion: f for f in findings}
    for criterion in ORDER_DETAILS:
        assert by_id[criterion].status == FindingStatus.failed
        assert by_id[criterion].value == "no order confirmation arrived; nothing arrived"
    assert card.total is not None


def test_order_details_checks_declare_the_confirmation_instead_of_finding_it() -> None:
    needing = sorted(c.id for c in all_checks() if Need.confirmation in c.needs)
    assert len(needing) >= 9
    assert {"order_number", "items_match", "total_matches", "returns_info", "shipping_address"} <= set(needing)


def test_a_planned_run_that_never_started_has_no_total() -> None:
    """A campaign stopped before a run began: zero emails is not a perfect score."""
    base = examples.record("later", None, [], order=False, question=False)
    record = base.model_copy(update={"journal": base.journal.model_copy(update={"events": []})})
    _, card = score_record(RUBRIC, record)
    assert card.total is None and card.unscored == "the run has not started: resume the campaign to run it"
