"""Importing .eml folders, Maildirs and mbox files: arrival clock named, bad files listed, nothing lost."""

import hashlib
import mailbox
import os
from datetime import UTC, datetime

import pytest

from auditor.mail.files import (
    EmlDirectory,
    Maildir,
    Mbox,
    NotAMailSource,
    arrival_of,
    import_files,
    open_mail_files,
)

RECEIVED = (
    b"Received: from mx.shop.example by mail.example.test with ESMTP id 1;\r\n"
    b"\tMon, 23 Nov 2026 11:00:07 +0100\r\n"
    b"Received: from app.shop.example by mx.shop.example; Mon, 23 Nov 2026 09:59:00 +0000\r\n"
)


def eml(subject: str, *, received: bool = True, date: bool = True) -> bytes:
    head = RECEIVED if received else b""
    head += b"From: Shop <orders@shop.example>\r\nTo: ann+r1@example.test\r\n"
    head += f"Subject: {subject}\r\n".encode()
    if date:
        head += b"Date: Mon, 23 Nov 2026 09:58:00 +0000\r\n"
    return head + b"\r\nHello.\r\n"


def test_arrival_prefers_topmost_received_then_date_then_mtime():
    assert arrival_of(eml("a"), 0) == (datetime(2026, 11, 23, 10, 0, 7, tzinfo=UTC), "received")
    assert arrival_of(eml("a", received=False), 0) == (datetime(2026, 11, 23, 9, 58, tzinfo=UTC), "date_header")
    assert arrival_of(eml("a", received=False, date=False), 1_700_000_000) == (
        datetime.fromtimestamp(1_700_000_000, UTC),
        "file_mtime",
    )
    # a topmost Received without a date does not fall through to an older hop
    odd = b"Received: by mx without a date\r\nReceived: x; Mon, 23 Nov 2026 09:00:00 +0000\r\n\r\n"
    assert arrival_of(odd, 5)[1] == "file_mtime"


def test_eml_directory_recursive_and_single_file(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.eml").write_bytes(eml("A"))
    (tmp_path / "sub" / "b.eml").write_bytes(eml("B", received=False))
    (tmp_path / "notes.txt").write_text("ignored")
    items = list(EmlDirectory(tmp_path))
    assert [m.subject for m, _ in items] == ["A", "B"]
    assert [m.arrival_source for m, _ in items] == ["received", "date_header"]
    assert items[0][0].sha256 == hashlib.sha256(eml("A")).hexdigest()
    assert items[0][0].mailbox == f"eml:{tmp_path}"
    [(single, _)] = list(EmlDirectory(tmp_path / "a.eml"))
    assert single.subject == "A"


def test_unreadable_file_is_listed_not_fatal(tmp_path):
    (tmp_path / "good.eml").write_bytes(eml("good"))
    (tmp_path / "dangling.eml").symlink_to(tmp_path / "missing")
    source = EmlDirectory(tmp_path)
    assert [m.subject for m, _ in source] == ["good"]
    assert len(source.problems) == 1 and "dangling.eml" in source.problems[0]


def test_maildir_with_subfolders_uses_file_mtime_when_nothing_else(tmp_path):
    box = mailbox.Maildir(tmp_path / "md", create=True)
    box.add(eml("inbox one"))
    junk = box.add_folder("Junk")
    junk.add(eml("spam one", received=False, date=False))
    source = open_mail_files(tmp_path / "md")
    assert isinstance(source, Maildir)
    items = {m.subject: m for m, _ in source}
    assert items["inbox one"].folder == "INBOX"
    assert items["spam one"].folder == "Junk"
    assert items["spam one"].arrival_source == "file_mtime"
    assert abs((items["spam one"].arrived_at - datetime.now(UTC)).total_seconds()) < 120


def test_mbox_keeps_envelope_sender_and_bytes(tmp_path):
    path = tmp_path / "archive.mbox"
    box = mailbox.mbox(path)
    for i in range(3):
        msg = mailbox.mboxMessage(eml(f"m{i}"))
        msg.set_from("bounce@shop.example", datetime(2026, 11, 23, 10, 0).timetuple())
        box.add(msg)
    box.flush()
    box.close()
    source = open_mail_files(path)
    assert isinstance(source, Mbox)
    items = list(source)
    assert [m.subject for m, _ in items] == ["m0", "m1", "m2"]
    assert all(m.envelope_from == "bounce@shop.example" for m, _ in items)
    assert items[0][1].startswith(b"Received:")
    assert b"Hello." in items[0][1]


def test_open_mail_files_refuses_what_it_cannot_read(tmp_path):
    with pytest.raises(NotAMailSource, match="no such file"):
        open_mail_files(tmp_path / "nope")
    binary = tmp_path / "x.bin"
    binary.write_bytes(bytes(range(256)) * 10)
    with pytest.raises(NotAMailSource, match="x.bin"):
        open_mail_files(binary)
    with pytest.raises(NotAMailSource, match="not a Maildir"):
        list(Maildir(tmp_path))


async def test_import_files_stores_once_and_reports_every_message(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for i in range(450):  # more than one batch
        (src / f"{i:04}.eml").write_bytes(eml(f"m{i}"))
    (src / "copy.eml").write_bytes(eml("m0"))  # same bytes as 0000.eml
    seen = []
    summary = await import_files(EmlDirectory(src), tmp_path / "mail", lambda m, raw: seen.append(m.sha256))
    assert summary.read == 451 and summary.new_files == 450 and summary.problems == []
    assert len(seen) == 451
    assert len(os.listdir(tmp_path / "mail")) == 450
    again = await import_files(EmlDirectory(src), tmp_path / "mail", lambda m, raw: None)
    assert again.new_files == 0


def test_a_fifo_or_device_is_refused_unread_as_a_source_and_inside_a_folder(tmp_path):
    """Opening a FIFO waits for a writer forever: it must be named and skipped, never opened."""
    with pytest.raises(NotAMailSource, match="is a character device, not a mail file or folder"):
        open_mail_files("/dev/zero")
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(NotAMailSource, match="is a FIFO"):
        open_mail_files(tmp_path / "pipe")
    folder = tmp_path / "mail"
    folder.mkdir()
    (folder / "good.eml").write_bytes(eml("good"))
    os.mkfifo(folder / "stuck.eml")
    source = open_mail_files(folder)
    assert [m.subject for m, _ in source] == ["good"]
    assert source.problems == [f"{folder / 'stuck.eml'}: cannot read: is a FIFO (named pipe), not a regular file"]
