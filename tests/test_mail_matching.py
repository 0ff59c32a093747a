"""match_run: a run's own address wherever it appears; fixed addresses by sender and window."""

from datetime import UTC, datetime, timedelta
from email import message_from_bytes

from auditor.mail.headers import read_message
from auditor.mail.matching import RunAddress, match_run

T0 = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)


def msg(headers: str, *, at: datetime = T0 + timedelta(minutes=1), envelope_to=(), envelope_from=None):
    raw = (headers.strip().replace("\n", "\r\n") + "\r\n\r\nbody\r\n").encode()
    m = read_message(raw, arrived_at=at, mailbox="t", envelope_to=envelope_to, envelope_from=envelope_from)
    return m, raw


RUNS = [
    RunAddress(run_id="r1", address="Ann+R1@example.test", strategy="plus", since=T0),
    RunAddress(run_id="r2", address="ann+r2@example.test", strategy="plus", since=T0),
    RunAddress(run_id="c3", address="c3@catch.test", strategy="catch_all", since=T0),
]


def test_plus_address_in_to_case_insensitive():
    m, _ = msg("From: shop@s.example\nTo: ANN+r2@EXAMPLE.test")
    assert match_run(m, None, RUNS) == "r2"


def test_delivered_to_beats_a_misleading_to_header():
    m, _ = msg("From: shop@s.example\nTo: customer@nowhere.test\nDelivered-To: ann+r1@example.test")
    assert match_run(m, None, RUNS) == "r1"


def test_x_original_to_and_cc_and_envelope():
    m, _ = msg("From: s@s.example\nTo: x@y.test\nX-Original-To: c3@catch.test")
    assert match_run(m, None, RUNS) == "c3"
    m, _ = msg("From: s@s.example\nTo: x@y.test\nCc: Ann <ann+r1@example.test>")
    assert match_run(m, None, RUNS) == "r1"
    m, _ = msg("From: s@s.example\nTo: x@y.test", envelope_to=["c3@catch.test"])
    assert match_run(m, None, RUNS) == "c3"


def test_raw_headers_are_searched_too():
    m, raw = msg("From: s@s.example\nTo: x@y.test")
    extra = message_from_bytes(b"Delivered-To: ann+r2@example.test\r\n\r\n")
    assert match_run(m, extra, RUNS) == "r2"
    assert match_run(m, {"x-original-to": ["c3@catch.test"]}, RUNS) == "c3"
    assert match_run(m, {"X-Original-To": "nobody@catch.test"}, RUNS) is None


def test_unrelated_message_matches_nothing():
    m, _ = msg("From: s@s.example\nTo: ann@example.test")
    assert match_run(m, None, RUNS) is None
    assert match_run(m, None, []) is None


FIXED = [
    RunAddress(
        run_id="f1",
        address="box@fixed.test",
        strategy="fixed",
        since=T0,
        until=T0 + timedelta(minutes=30),
        sender_domains=["shop.example"],
    ),
    RunAddress(
        run_id="f2",
        address="box@fixed.test",
        strategy="fixed",
        since=T0 + timedelta(minutes=10),
        until=T0 + timedelta(minutes=40),
        sender_domains=["shop.example"],
    ),
]


def test_fixed_by_sender_domain_and_window():
    m, _ = msg("From: orders@mail.shop.example\nTo: box@fixed.test", at=T0 + timedelta(minutes=5))
    assert match_run(m, None, FIXED) == "f1"
    # in both windows: the run that started last owns it
    m, _ = msg("From: orders@shop.example\nTo: box@fixed.test", at=T0 + timedelta(minutes=15))
    assert match_run(m, None, FIXED) == "f2"
    # before the first action, after the window, or from another shop: nobody's
    for at, sender in (
        (T0 - timedelta(seconds=1), "orders@shop.example"),
        (T0 + timedelta(minutes=41), "orders@shop.example"),
        (T0 + timedelta(minutes=5), "news@othershop.example"),
        (T0 + timedelta(minutes=5), "x@evilshop.example"),
    ):
        m, _ = msg(f"From: {sender}\nTo: box@fixed.test", at=at)
        assert match_run(m, None, FIXED) is None, (at, sender)


def test_fixed_by_envelope_sender_domain():
    m, _ = msg("From: noreply@platform.test\nTo: box@fixed.test", envelope_from="bounce@shop.example")
    assert match_run(m, None, FIXED) == "f1"


def test_own_address_wins_over_fixed_window():
    m, _ = msg("From: orders@shop.example\nTo: ann+r1@example.test", at=T0 + timedelta(minutes=5))
    assert match_run(m, None, FIXED + RUNS) == "r1"


def test_headers_parsed_with_the_modern_policy_and_mangled_ones_do_not_raise():
    from email.parser import BytesHeaderParser
    from email.policy import default

    m, raw = msg("From: s@s.example\nTo: x@y.test")
    parsed = BytesHeaderParser(policy=default).parsebytes(
        b"Delivered-To: ann+r1@example.test\r\nCc: =?utf-8?q?broken <<<@@>\r\nTo: \xff\xfe\r\n\r\n"
    )
    assert match_run(m, parsed, RUNS) == "r1"
