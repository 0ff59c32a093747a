"""Follow-ups to the customer's later acts (feedback, review, unsubscribe), and pending verdicts while a
run's observation window is open."""

from datetime import timedelta

from auditor.models import FindingStatus, JournalEvent, MessageKind, RunRecord, RunStatus
from auditor.rubric import Criterion, evaluate, load_rubric, score_record
from auditor.rubric.examples import T0, message, record

K = MessageKind
HOUR = 3600.0
FEEDBACK_AT = T0 + timedelta(hours=48)
TEXT = "Fast delivery, but the box was dented."


def _run(check: str, rec: RunRecord) -> object:
    return evaluate(Criterion(id="c", check=check), rec)


def _with_act(rec: RunRecord, kind: str, at=FEEDBACK_AT, *, status=RunStatus.done, window=30 * 86400) -> RunRecord:
    act = JournalEvent(at=at, kind=kind, step=kind, data={"text": TEXT + " {persona.first_name}", "timed": 0})
    journal = rec.journal.model_copy(update={"events": [*rec.journal.events, act]})
    return rec.model_copy(
        update={
            "journal": journal,
            "run": rec.run.model_copy(update={"status": status, "started_at": T0}),
            "expectations": rec.expectations.model_copy(update={"window_seconds": window}),
        }
    )


def _answer(hours_after: float, quoted: bool = True, kind: MessageKind = K.support_reply):
    at = (FEEDBACK_AT - T0).total_seconds() + hours_after * HOUR
    m = message("r", 7, at, "Thank you for your feedback", {}, kind=kind)
    return m.model_copy(update={"text": f"Hi Anna\nYou wrote:\n> {TEXT}" if quoted else "Hi Anna, thanks!"})


def test_feedback_followed_up_in_time_late_and_never() -> None:
    on_time = _run(
        "feedback_follow_up", _with_act(record("s", "1", [_answer(6)], observed_seconds=None), "feedback_sent")
    )
    assert (on_time.score, on_time.status) == (1.0, FindingStatus.passed)
    assert on_time.value == "feedback answered after 6.0 h (within 48 h)"
    assert on_time.found_by and on_time.found_by[0].value == "matched to the journal"  # it quotes the customer
    late = _run(
        "feedback_follow_up", _with_act(record("s", "1", [_answer(54)], observed_seconds=None), "feedback_sent")
    )
    assert (late.score, late.status) == (0.3, FindingStatus.warn) and "late" in late.value
    never = _run("feedback_follow_up", _with_act(record("s", "1", [], observed_seconds=None), "feedback_sent"))
    assert (never.score, never.status) == (0.0, FindingStatus.failed)
    assert never.value.startswith("no answer to the feedback; nothing arrived")


def test_a_marketing_mail_after_the_act_is_no_answer_but_a_quote_is() -> None:
    ad = _answer(2, quoted=False, kind=K.marketing)
    rec = _with_act(record("s", "1", [ad], observed_seconds=None), "review_sent")
    assert _run("review_answered", rec).status == FindingStatus.failed
    quoted = _answer(80, kind=K.other)  # the answer's kind is unsure, its quote is not
    rec = _with_act(record("s", "1", [quoted], observed_seconds=None), "review_sent")
    finding = _run("review_answered", rec)
    assert (finding.score, finding.status) == (0.3, FindingStatus.warn) and "after 80.0 h" in finding.value


def test_a_compressed_clock_is_read_in_scenario_hours() -> None:
    rec = _with_act(record("s", "1", [], observed_seconds=None), "feedback_sent")
    scale = 0.0001  # one scenario hour is 0.36 s
    act = rec.journal.events[-1]
    m = message("r", 8, (act.at - T0).total_seconds() + 6 * HOUR * scale, "Thanks", {}, kind=K.support_reply)
    rec = rec.model_copy(
        update={"messages": [m], "expectations": rec.expectations.model_copy(update={"time_scale": scale})}
    )
    finding = _run("feedback_follow_up", rec)
    assert finding.status == FindingStatus.passed
    assert finding.value == "feedback answered after 6.0 h on the scenario's clock (2 s real) (within 48 h)"


def test_no_answer_yet_is_pending_while_the_window_is_open_and_settled_after() -> None:
    base = record("s", "1", [], observed_seconds=60 * HOUR + 5)  # watched 2.5 days of 30 from the order (T0 + 5 s)
    open_run = _with_act(base, "feedback_sent", status=RunStatus.watching)
    finding = _run("feedback_follow_up", open_run)
    assert finding.status == FindingStatus.pending and finding.score is None
    assert "observed 2 d 12 h of 30 d" in finding.value
    findings, card = score_record(load_rubric("default"), open_run)
    assert "feedback-follow-up" in card.pending
    assert card.total is not None  # the settled criteria still score while others are pending
    over = open_run.model_copy(update={"observed_until": T0 + timedelta(days=30, seconds=5)})
    assert _run("feedback_follow_up", over).status == FindingStatus.failed
    done = _with_act(base, "feedback_sent", status=RunStatus.done)
    assert _run("feedback_follow_up", done).status == FindingStatus.failed


def test_a_scheduled_act_not_yet_done_is_pending_and_without_one_not_applicable() -> None:
    rec = record("s", "1", [], observed_seconds=HOUR)
    scheduled = JournalEvent(
        at=T0 + timedelta(seconds=30),
        kind="timed_step_scheduled",
        data={"block": 0, "acts": ["review_sent"], "due_at": "2026-11-25T11:00:00+00:00"},
    )
    journal = rec.journal.model_copy(update={"events": [*rec.journal.events, scheduled]})
    watching = rec.model_copy(
        update={
            "journal": journal,
            "run": rec.run.model_copy(update={"status": RunStatus.watching, "started_at": T0}),
            "expectations": rec.expectations.model_copy(update={"window_seconds": 7 * 86400}),
        }
    )
    finding = _run("review_answered", watching)
    assert finding.status == FindingStatus.pending and "2026-11-25T11:00:00" in finding.value
    assert _run("feedback_follow_up", watching).status == FindingStatus.not_applicable  # none scheduled


def test_unsubscribe_honoured_only_when_no_marketing_followed_past_the_grace() -> None:
    at = FEEDBACK_AT
    ad = message("r", 9, (at - T0).total_seconds() + 72 * HOUR, "Black Week", {}, kind=K.marketing)
    rec = _with_act(record("s", "1", [ad], observed_seconds=None), "unsubscribed")
    bad = _run("unsubscribe_honoured", rec)
    assert bad.status == FindingStatus.failed and "72.0 h after" in bad.value
    quiet = _with_act(record("s", "1", [], observed_seconds=None), "unsubscribed")
    assert _run("unsubscribe_honoured", quiet).status == FindingStatus.passed
    still_open = _with_act(record("s", "1", [], observed_seconds=86400), "unsubscribed", status=RunStatus.watching)
    assert _run("unsubscribe_honoured", still_open).status == FindingStatus.pending


def test_a_reply_quoting_the_customers_other_words_answers_those_not_this() -> None:
    """The survey's answer came; the review's did not: the survey's answer is not the review's."""
    rec = _with_act(record("s", "1", [_answer(20)], observed_seconds=None), "feedback_sent")  # quotes TEXT
    review = JournalEvent(at=FEEDBACK_AT + timedelta(seconds=1), kind="review_sent", data={"text": "Great headphones."})
    rec = rec.model_copy(update={"journal": rec.journal.model_copy(update={"events": [*rec.journal.events, review]})})
    assert _run("feedback_follow_up", rec).status == FindingStatus.passed
    assert _run("review_answered", rec).status == FindingStatus.failed
