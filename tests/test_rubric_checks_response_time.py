"""Response-time checks: bands from the journal click to mailbox arrival; degraded and never."""

from datetime import timedelta

from auditor.models import FindingStatus, MessageKind
from auditor.rubric import Criterion, evaluate
from auditor.rubric.examples import ORDER_AT, QUESTION_AT, T0, message, record

K = MessageKind


def _run(check: str, rec, **criterion):
    return evaluate(Criterion(id="c", check=check, **criterion), rec)


def _conf_after(seconds: float, observed: float = 3 * 86400):
    at = (ORDER_AT - T0).total_seconds() + seconds  # message() takes seconds after T0
    return record("s", "1", [message("r", 1, at, "Order 1", {}, kind=K.order_confirmation)], observed_seconds=observed)


def test_confirmation_bands() -> None:
    expected = [(30, 1.0, "pass"), (240, 0.9, "pass"), (1200, 0.6, "warn"), (7200, 0.25, "warn")]
    for seconds, score, status in expected:
        finding = _run("confirmation_time", _conf_after(seconds))
        assert (finding.score, finding.status.value) == (score, status), seconds
    assert finding.value == "order confirmation after 2.0 h: degraded, later than 30 min"
    first = _run("confirmation_time", _conf_after(30))
    assert first.value == "order confirmation after 30 s (within 60 s)"
    assert [e.journal_event for e in first.evidence] == ["order_submitted", None]
    assert first.evidence[0].snippet == f"order_submitted at {ORDER_AT.isoformat()}"


def test_a_late_confirmation_says_what_came_before_it() -> None:
    rec = record(
        "s",
        "1",
        [
            message("r", 1, 9, "Payment received", {}, kind=K.payment),
            message("r", 2, 5 + 7200, "Order 1", {}, kind=K.order_confirmation),
        ],
        observed_seconds=3 * 86400,
    )
    finding = _run("confirmation_time", rec)
    assert finding.status == FindingStatus.warn
    assert finding.value.endswith(
        'degraded, later than 30 min; before it 1 other email arrived: payment "Payment received" after 4 s'
    )


def test_confirmation_that_never_arrives_fails_and_lists_what_did() -> None:
    rec = record("s", "1", [message("r", 1, 9, "Payment received", {}, kind=K.payment)], observed_seconds=65)
    finding = _run("confirmation_time", rec)
    assert finding.score == 0.0 and finding.status == FindingStatus.failed
    assert finding.value == (
        'no order confirmation arrived within the window (watched 60 s); arrived: payment "Payment received" after 4 s'
    )


def test_window_falls_back_to_the_expectations_when_the_watch_end_is_unknown() -> None:
    finding = _run("confirmation_time", record("s", "1", [], observed_seconds=None))
    assert "watched 60 s" in finding.value and "nothing arrived" in finding.value


def test_reply_bands_follow_the_published_figures() -> None:
    expected = [(300, 1.0), (1800, 0.8), (12 * 3600, 0.5), (40 * 3600, 0.3), (72 * 3600, 0.1)]
    q = (QUESTION_AT - ORDER_AT).total_seconds() + 5
    for seconds, score in expected:
        reply = message("r", 1, q + seconds, "Re: your question", {}, kind=K.support_reply)
        finding = _run("reply_time", record("s", "1", [reply], observed_seconds=4 * 86400))
        assert finding.score == score, seconds
        assert finding.status != FindingStatus.failed  # late is degraded, never failed
    assert finding.status == FindingStatus.warn and "degraded" in finding.value


def test_a_question_never_answered_fails_and_no_question_is_not_applicable() -> None:
    conf = message("r", 1, 7, "Order 1", {}, kind=K.order_confirmation)
    never = _run("reply_time", record("s", "1", [conf]))
    assert never.status == FindingStatus.failed
    assert never.value == "no reply arrived within the window (watched 45 s); nothing arrived"
    assert _run("reply_time", record("s", "1", [conf], question=False)).status == FindingStatus.not_applicable


def test_a_reply_before_the_question_is_not_a_reply() -> None:
    early = message("r", 1, 10, "Re: something else", {}, kind=K.support_reply)
    assert _run("reply_time", record("s", "1", [early])).status == FindingStatus.failed


def test_clock_skew_between_date_header_and_arrival_is_reported() -> None:
    rec = _conf_after(30)
    rec.messages[0].message.date_header = rec.messages[0].message.arrived_at - timedelta(minutes=10)
    finding = _run("confirmation_time", rec)
    assert finding.score == 1.0  # measured on the mailbox clock
    assert "Date header says 10 min before arrival" in finding.value


def test_custom_bands_are_validated_in_order() -> None:
    bands = {"bands": [{"within": 10, "score": 1}, {"within": 20, "score": 0.5}]}
    assert _run("confirmation_time", _conf_after(15), params=bands).score == 0.5
    try:
        Criterion(
            id="c",
            check="confirmation_time",
            params={"bands": [{"within": 20, "score": 1}, {"within": 10, "score": 0.5}]},
        )
    except ValueError as exc:
        assert "ascending" in str(exc)
    else:
        raise AssertionError("unordered bands accepted")


def test_shipping_notification_needs_a_long_enough_window() -> None:
    short = _run("shipping_notification", record("s", "1", []))
    assert short.status == FindingStatus.not_applicable and "shorter than the 72 h" in short.value
    long_none = _run("shipping_notification", record("s", "1", [], observed_seconds=4 * 86400))
    assert long_none.score == 0.0
    shipped = record("s", "1", [message("r", 1, 86400, "Shipped", {}, kind=K.shipping)], observed_seconds=4 * 86400)
    assert _run("shipping_notification", shipped).score == 1.0


def test_review_request_only_after_delivery() -> None:
    early = [message("r", 1, 3600, "Review us", {}, kind=K.review_request)]
    assert _run("review_after_delivery", record("s", "1", early)).score == 0.0
    after = [
        message("r", 1, 86400, "Delivered", {}, kind=K.delivery),
        message("r", 2, 2 * 86400, "Review us", {}, kind=K.review_request),
    ]
    assert _run("review_after_delivery", record("s", "1", after)).score == 1.0
    late_enough = [message("r", 1, 3 * 86400, "Review us", {}, kind=K.review_request)]
    assert _run("review_after_delivery", record("s", "1", late_enough)).score == 1.0
    assert _run("review_after_delivery", record("s", "1", [])).status == FindingStatus.not_applicable


def test_a_time_from_an_imported_files_mtime_is_labelled() -> None:
    rec = _conf_after(30)
    rec.messages[0].message.arrival_source = "file_mtime"
    assert "file's modification time" in _run("confirmation_time", rec).value


def test_an_imap_arrival_stamped_in_the_same_second_as_the_click_counts_as_after_it() -> None:
    """INTERNALDATE has whole seconds: a confirmation stamped 0.4 s before the click came right after it."""
    at = (ORDER_AT - T0).total_seconds() - 0.4
    mail = message("r", 1, at, "Order 1", {}, kind=K.order_confirmation)
    imap = mail.model_copy(update={"message": mail.message.model_copy(update={"arrival_source": "imap_internaldate"})})
    finding = _run("confirmation_time", record("s", "1", [imap], observed_seconds=3 * 86400))
    assert (finding.score, finding.value) == (1.0, "order confirmation after 0 s (within 60 s)")
    smtp_clock = _run("confirmation_time", record("s", "1", [mail], observed_seconds=3 * 86400))
    assert smtp_clock.score == 0.0  # our own sink's clock is exact: before the click is not a reply to it
