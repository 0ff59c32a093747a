"""store_raw: durable, content-addressed, written once."""

import hashlib

from auditor.mail.store import eml_path, store_many, store_raw


def test_writes_once_and_leaves_no_temp(tmp_path):
    raw = b"Subject: hi\r\n\r\nbody\r\n"
    mail = tmp_path / "mail"
    assert store_raw(mail, raw) is True
    sha = hashlib.sha256(raw).hexdigest()
    assert eml_path(mail, sha).read_bytes() == raw
    assert store_raw(mail, raw) is False
    assert [p.name for p in mail.iterdir()] == [f"{sha}.eml"]


def test_failed_write_leaves_nothing(tmp_path, monkeypatch):
    import os

    mail = tmp_path / "mail"

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    try:
        store_raw(mail, b"x")
    except OSError as exc:
        assert exc.errno == 28
    else:
        raise AssertionError("expected the disk error to surface")
    assert list(mail.iterdir()) == []


def test_store_many_reports_what_was_new(tmp_path):
    mail = tmp_path / "mail"
    items = [(hashlib.sha256(raw).hexdigest(), raw) for raw in (b"one", b"two", b"three")]
    assert store_raw(mail, b"two") is True
    assert store_many(mail, items) == [True, False, True]
    assert sorted(p.read_bytes() for p in mail.iterdir()) == [b"one", b"three", b"two"]
    assert store_many(mail, []) == []


def test_concurrent_writers_share_folder_fsyncs(tmp_path, monkeypatch):
    """While one folder fsync runs, everyone who renamed meanwhile waits for the next one and
    shares it: many messages, few fsyncs, each caller still returns only after a sync that
    started after its own rename."""
    import threading

    import auditor.mail.store as store

    mail = tmp_path / "mail"
    mail.mkdir()
    writers = 16
    arrived = threading.Semaphore(0)
    calls: list[int] = []
    real = store._fsync_dir

    def counted(directory):
        calls.append(1)
        if len(calls) == 1:  # hold the first fsync until every writer is inside sync_dir
            for _ in range(writers - 1):
                assert arrived.acquire(timeout=30)
        real(directory)

    monkeypatch.setattr(store, "_fsync_dir", counted)
    original_sync = store.sync_dir

    def entering(directory):
        arrived.release()
        original_sync(directory)

    monkeypatch.setattr(store, "sync_dir", entering)
    threads = [threading.Thread(target=store_raw, args=(mail, f"m{i}".encode())) for i in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(list(mail.glob("*.eml"))) == writers
    assert 2 <= len(calls) < writers // 2, calls
