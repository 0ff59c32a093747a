"""read_message: headers decoded from whatever stores send, never raising."""

import hashlib
from datetime import UTC, datetime, timedelta, timezone

from auditor.mail.headers import decode_header_value, header_items, parse_addresses, parse_date, read_message

ARRIVED = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)


def read(raw: bytes, **kw):
    return read_message(raw, arrived_at=ARRIVED, mailbox="test", **kw)


def test_basic_fields_and_hash():
    raw = (
        b"From: Shop <Orders@Shop.Example>\r\n"
        b"To: Ann <Ann+Run42@Example.test>, bob@example.test\r\n"
        b"Cc: c@example.test\r\n"
        b"Delivered-To: ann+run42@example.test\r\n"
        b"X-Original-To: Ann+Run42@example.test\r\n"
        b"Subject: Confirmation of order 100001\r\n"
        b"Message-ID: <abc@shop.example>\r\n"
        b"Date: Mon, 23 Nov 2026 12:00:00 +0100\r\n\r\nbody\r\n"
    )
    m = read(raw, envelope_from="Bounce@Shop.Example", envelope_to=["ANN+run42@example.test"])
    assert m.sha256 == hashlib.sha256(raw).hexdigest()
    assert m.size == len(raw)
    assert m.from_addr == "orders@shop.example"
    assert m.to_addrs == ["ann+run42@example.test", "bob@example.test"]
    assert m.cc_addrs == ["c@example.test"]
    assert m.delivered_to == ["ann+run42@example.test"]
    assert m.envelope_from == "bounce@shop.example"
    assert m.envelope_to == ["ann+run42@example.test"]
    assert m.subject == "Confirmation of order 100001"
    assert m.message_id == "<abc@shop.example>"
    assert m.date_header == datetime(2026, 11, 23, 11, 0, tzinfo=UTC)
    assert m.arrived_at == ARRIVED
    assert m.recipients[0] == "ann+run42@example.test"
    assert "c@example.test" in m.recipients


def test_rfc2047_in_many_charsets():
    assert decode_header_value("=?utf-8?b?WmFtw7N3aWVuaWU=?= =?UTF-8?Q?_nr_123?=") == "Zamówienie nr 123"
    assert decode_header_value("=?iso-8859-2?q?=B1=EA?= and =?koi8-r?b?8NLJ18XU?=") == "ąę and Привет"
    assert decode_header_value("=?windows-1251?b?yuvo5e3y?=") == "Клиент"
    # a character split across two encoded words (UTF-8 bytes C5 82) survives
    assert decode_header_value("=?utf-8?q?Za=C5?= =?utf-8?q?=82o?=") == "Zało"
    # whitespace between a word and plain text is kept, folding is undone
    assert decode_header_value("Re:\r\n =?utf-8?q?caf=C3=A9?= now") == "Re: café now"


def test_broken_headers_degrade_instead_of_raising():
    assert decode_header_value("=?x-unknown?q?caf=C3=A9?=") == "café"  # unknown charset: try UTF-8
    assert isinstance(decode_header_value("=?utf-8?b?!!!not base64?=="), str)
    raw = (
        "Subject: Zamówienie gotowe\r\nFrom: sklep@przyklad.pl\r\n".encode()
        + b"To: \xff\xfe garbage <<<\r\nDate: yesterday-ish\r\nMessage-ID:\r\n\r\n"
    )
    m = read(raw)
    assert m.subject == "Zamówienie gotowe"  # raw 8-bit UTF-8 in a header
    assert m.from_addr == "sklep@przyklad.pl"
    assert m.date_header is None
    assert m.message_id is None


def test_latin1_8bit_header_falls_back():
    m = read(b"Subject: caf\xe9\r\n\r\n")
    assert m.subject == "café"


def test_garbage_and_empty_input():
    for raw in (b"", b"\x00\x01\x02", b"no headers at all", b"\r\n\r\n\r\n", bytes(range(256)) * 4):
        m = read(raw)
        assert m.sha256 == hashlib.sha256(raw).hexdigest()
        assert m.size == len(raw)


def test_naive_arrival_is_taken_as_utc():
    m = read_message(b"Subject: x\r\n\r\n", arrived_at=datetime(2026, 1, 1, 8, 0), mailbox="t")
    assert m.arrived_at == datetime(2026, 1, 1, 8, 0, tzinfo=UTC)
    other = read_message(b"", arrived_at=datetime(2026, 1, 1, 9, 0, tzinfo=timezone(timedelta(hours=1))), mailbox="t")
    assert other.arrived_at == datetime(2026, 1, 1, 8, 0, tzinfo=UTC)
    assert other.arrived_at.utcoffset() == timedelta(0)


def test_dates():
    assert parse_date("Mon, 23 Nov 2026 12:00:00 -0000") == datetime(2026, 11, 23, 12, tzinfo=UTC)
    assert parse_date("23 Nov 2026 12:00:00 PST") == datetime(2026, 11, 23, 20, tzinfo=UTC)
    assert parse_date("Mon, 99 Foo 2026") is None
    assert parse_date("") is None


def test_addresses_with_encoded_names_and_groups():
    addrs = parse_addresses(["=?utf-8?q?Kowalski=2C_Jan?= <JAN@x.pl>, undisclosed-recipients:;", "not-an-addr"])
    assert addrs == ["jan@x.pl"]


def test_header_items_unfold_and_skip_junk_lines():
    raw = b"Subject: a\r\n  folded\r\nnot a header line\r\nX-Empty:\r\nTo: x@y.z\r\n\r\nBody: not a header\r\n"
    assert header_items(raw) == [("Subject", "a\r\n  folded"), ("X-Empty", ""), ("To", "x@y.z")]
    assert header_items(b"\n\nSubject: body only\n") == []
    assert header_items(b"Subject: lf only\nFrom: a@b\n\nbody") == [("Subject", "lf only"), ("From", "a@b")]
