"""SmtpSink over real TCP with smtplib: stored before 250, envelope kept, size limit 552."""

import asyncio
import hashlib
import smtplib
from datetime import UTC, datetime

import pytest

from auditor.mail.sink import SmtpSink
from auditor.models.message import Message


def send(port: int, raw: bytes, sender: str, rcpts: list[str]) -> dict:
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        return client.sendmail(sender, rcpts, raw)


RAW = b"From: shop@shop.example\r\nTo: ann+r1@example.test\r\nSubject: Order 1\r\n\r\nThanks.\r\n"


async def test_stores_before_callback_and_records_envelope(tmp_path):
    seen: list[tuple[Message, bytes, bool]] = []
    mail = tmp_path / "mail"

    async def on_message(message: Message, raw: bytes) -> None:
        seen.append((message, raw, (mail / f"{message.sha256}.eml").exists()))

    before = datetime.now(UTC)
    async with SmtpSink(mail, on_message) as sink:
        assert sink.port > 0
        await asyncio.to_thread(send, sink.port, RAW, "Bounce@Shop.Example", ["ANN+r1@example.test", "x@y.z"])
    after = datetime.now(UTC)
    assert len(seen) == 1
    message, raw, stored_first = seen[0]
    assert stored_first
    assert raw == RAW
    assert (mail / f"{hashlib.sha256(RAW).hexdigest()}.eml").read_bytes() == RAW
    assert message.envelope_from == "bounce@shop.example"
    assert message.envelope_to == ["ann+r1@example.test", "x@y.z"]
    assert message.subject == "Order 1"
    assert message.arrival_source == "smtp"
    assert before <= message.arrived_at <= after


async def test_sync_callback_and_duplicates_reported_but_stored_once(tmp_path):
    seen: list[str] = []
    async with SmtpSink(tmp_path / "mail", lambda m, raw: seen.append(m.sha256)) as sink:
        for _ in range(3):
            await asyncio.to_thread(send, sink.port, RAW, "a@b.c", ["d@e.f"])
    assert len(seen) == 3 and len(set(seen)) == 1
    assert len(list((tmp_path / "mail").iterdir())) == 1


async def test_size_limit_answers_552(tmp_path):
    seen: list[Message] = []
    async with SmtpSink(tmp_path / "mail", lambda m, raw: seen.append(m), max_size=10_000) as sink:
        big = RAW + (b"x" * 76 + b"\r\n") * 300
        with pytest.raises(smtplib.SMTPException) as info:
            await asyncio.to_thread(send, sink.port, big, "a@b.c", ["d@e.f"])
        assert "552" in str(info.value)
        # without the SIZE hint too: a raw session past the limit
        reader, writer = await asyncio.open_connection("127.0.0.1", sink.port)
        await reader.readline()
        for line in (b"HELO x", b"MAIL FROM:<a@b.c>", b"RCPT TO:<d@e.f>", b"DATA"):
            writer.write(line + b"\r\n")
            await reader.readline()
        writer.write(big + b".\r\n")
        reply = await reader.readline()
        writer.close()
        assert reply.startswith(b"552"), reply
    assert seen == []
    assert list((tmp_path / "mail").iterdir()) == []


async def test_callback_error_still_answers_250_with_file_kept(tmp_path):
    def broken(message, raw):
        raise RuntimeError("db down")

    async with SmtpSink(tmp_path / "mail", broken) as sink:
        refused = await asyncio.to_thread(send, sink.port, RAW, "a@b.c", ["d@e.f"])
    assert refused == {}
    assert len(sink.errors) == 1 and "db down" in sink.errors[0]
    assert (tmp_path / "mail" / f"{hashlib.sha256(RAW).hexdigest()}.eml").exists()


async def test_storage_failure_answers_451_so_the_sender_retries(tmp_path):
    blocker = tmp_path / "mail"
    async with SmtpSink(blocker, lambda m, raw: None) as sink:
        blocker.rmdir()
        blocker.write_text("not a directory")  # a real OSError from the real filesystem
        with pytest.raises(smtplib.SMTPDataError) as info:
            await asyncio.to_thread(send, sink.port, RAW, "a@b.c", ["d@e.f"])
    assert info.value.smtp_code == 451


async def test_stop_closes_open_sessions(tmp_path):
    sink = SmtpSink(tmp_path / "mail", lambda m, raw: None)
    await sink.start()
    reader, writer = await asyncio.open_connection("127.0.0.1", sink.port)
    assert (await reader.readline()).startswith(b"220")
    await sink.stop()
    assert await asyncio.wait_for(reader.read(), 5) == b""
    writer.close()
    with pytest.raises(OSError):
        await asyncio.open_connection("127.0.0.1", sink.port)


TRICKY = [
    b"Subject: dots\r\n\r\n.\r\n..\r\n.leading dot\r\nends with a dot.\r\n.\r\nx.\r\n",
    b"Subject: empty body\r\n\r\n",
    b"Subject: no final newline\r\n\r\nlast line",
    b"Subject: long line\r\n\r\n" + b"y" * 5000 + b".\r\n",
    b"Subject: big\r\n\r\n" + (b"QUJD" * 19 + b"\r\n") * 50_000,  # ~3.9 MB, crosses every read chunk
]


async def test_data_is_byte_exact_through_dot_stuffing_and_chunking(tmp_path):
    """Dot-stuffed lines, lines ending in '.', long lines and multi-MB bodies come out as sent,
    several messages on one connection (smtplib reuses it, the next MAIL follows DATA at once)."""
    got: list[bytes] = []
    async with SmtpSink(tmp_path / "mail", lambda m, raw: got.append(raw)) as sink:

        def send_all() -> None:
            with smtplib.SMTP("127.0.0.1", sink.port, timeout=30) as client:
                for raw in TRICKY:
                    client.sendmail("a@b.c", ["d@e.f"], raw)

        await asyncio.to_thread(send_all)
    expected = [raw if raw.endswith(b"\r\n") else raw + b"\r\n" for raw in TRICKY]  # SMTP ends data with CRLF
    assert got == expected


async def test_connection_dropped_mid_data_acknowledges_nothing(tmp_path):
    seen: list[Message] = []
    async with SmtpSink(tmp_path / "mail", lambda m, raw: seen.append(m)) as sink:
        reader, writer = await asyncio.open_connection("127.0.0.1", sink.port)
        await reader.readline()
        for line in (b"HELO x", b"MAIL FROM:<a@b.c>", b"RCPT TO:<d@e.f>", b"DATA"):
            writer.write(line + b"\r\n")
            await reader.readline()
        writer.write(b"Subject: half\r\n\r\nthe rest never comes")
        await writer.drain()
        writer.close()
        await writer.wait_closed()
    assert seen == []
    assert list((tmp_path / "mail").iterdir()) == []
