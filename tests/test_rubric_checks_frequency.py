"""Frequency checks: volume after the order, duplicates, consent, night sending."""

from auditor.models import FindingStatus, MessageKind
from auditor.rubric import Criterion, evaluate
from auditor.rubric.examples import message, record

K = MessageKind


def _run(check: str, rec, **criterion):
    return evaluate(Criterion(id="c", check=check, **criterion), rec)


def _msgs(*spec: tuple[float, MessageKind]):
    return [message("r", i, at, f"mail {i}", {}, kind=kind) for i, (at, kind) in enumerate(spec)]


def test_emails_in_the_first_30_minutes_score_linearly_from_max_to_worst() -> None:
    base = [(6, K.order_confirmation), (7, K.payment)]
    rec = record("s", "1", _msgs(*base), observed_seconds=4000)
    assert _run("emails_after_order", rec).score == 1.0
    three = record("s", "1", _msgs(*base, (60, K.account)), observed_seconds=4000)
    finding = _run("emails_after_order", three)
    assert round(finding.score, 4) == 0.6667 and finding.status == FindingStatus.warn
    assert finding.value == "3 emails in 30 min after the order (account, order_confirmation, payment)"
    five = record("s", "1", _msgs(*base, (60, K.account), (70, K.marketing), (80, K.marketing)), observed_seconds=4000)
    assert _run("emails_after_order", five).score == 0.0


def test_replies_and_mail_after_the_window_do_not_count() -> None:
    spec = [(6, K.order_confirmation), (30, K.support_reply), (8 + 1800, K.marketing), (9 + 1800, K.marketing)]
    finding = _run("emails_after_order", record("s", "1", _msgs(*spec), observed_seconds=4000))
    assert finding.value == "1 email in 30 min after the order (order_confirmation)"


def test_a_short_watch_is_said_and_thresholds_are_parameters() -> None:
    rec = record("s", "1", _msgs((6, K.order_confirmation), (7, K.payment)))
    finding = _run("emails_after_order", rec, params={"max_emails": 1, "worst": 3})
    assert finding.score == 0.5 and finding.value.endswith("watched only 60 s")


def test_no_order_makes_volume_after_order_not_applicable() -> None:
    finding = _run("emails_after_order", record("s", None, [], order=False))
    assert finding.status == FindingStatus.not_applicable


def test_exactly_one_confirmation() -> None:
    one = _run("exactly_one", record("s", "1", _msgs((6, K.order_confirmation))))
    assert one.score == 1.0
    two = _run("exactly_one", record("s", "1", _msgs((6, K.order_confirmation), (7, K.order_confirmation))))
    assert two.score == 0.0 and two.value == "order_confirmation arrived 2 times" and len(two.evidence) == 2
    none = _run("exactly_one", record("s", "1", _msgs((7, K.payment))))
    assert none.status == FindingStatus.failed
    assert none.value == 'no order_confirmation arrived; arrived: payment "mail 0" after 2 s'


def test_duplicates_of_one_kind() -> None:
    finding = _run("no_duplicates", record("s", "1", _msgs((7, K.payment), (8, K.payment), (9, K.account))))
    assert finding.score == 0.0 and finding.value == "repeated: payment x2 (1 extra)"
    assert _run("no_duplicates", record("s", "1", _msgs((7, K.payment), (9, K.account)))).score == 1.0
    assert _run("no_duplicates", record("s", "1", [])).status == FindingStatus.not_applicable


def test_marketing_without_consent() -> None:
    spam = _msgs((6, K.order_confirmation), (9, K.marketing), (12, K.marketing))
    finding = _run("marketing_without_consent", record("s", "1", spam))
    assert finding.score == 0.0 and finding.value == "2 marketing emails although consent was refused"
    assert [e.note for e in finding.evidence] == ['marketing "mail 1" after 4 s', 'marketing "mail 2" after 7 s']
    assert _run("marketing_without_consent", record("s", "1", spam[:1])).score == 1.0
    consented = _run("marketing_without_consent", record("s", "1", spam, consent=True))
    assert consented.status == FindingStatus.not_applicable


def test_night_sending_in_the_personas_time_zone() -> None:
    # T0 is 11:00 UTC. +11 h = 22:00 UTC: 23:00 in Warsaw (night), 07:00 in Tokyo (morning);
    # +1 h = 12:00 UTC: 13:00 in Warsaw, 21:00 in Tokyo. The confirmation at night is the customer's doing.
    spec = [(11 * 3600, K.marketing), (3600, K.marketing), (11 * 3600 + 60, K.order_confirmation)]
    warsaw = _run("night_sending", record("s", "1", _msgs(*spec)))
    assert warsaw.score == 0.5 and warsaw.value.startswith("1 of 2 unprompted emails sent at night")
    assert warsaw.evidence[0].note == "arrived 23:00 Europe/Warsaw"
    tokyo = _run("night_sending", record("s", "1", _msgs(*spec), timezone="Asia/Tokyo"))
    assert tokyo.score == 1.0
    unknown = _run("night_sending", record("s", "1", _msgs(*spec), timezone="Mars/Olympus"))
    assert unknown.status == FindingStatus.not_applicable


def test_total_emails_over_the_whole_window() -> None:
    spec = [(6 + i * 3600, K.marketing) for i in range(8)]
    params = {"window_minutes": None, "max_emails": 6, "worst": 10}
    finding = _run("total_emails", record("s", "1", _msgs(*spec), observed_seconds=9 * 3600), params=params)
    assert finding.score == 0.5 and finding.value == "8 emails in 9.0 h"
