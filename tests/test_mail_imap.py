"""ImapMailbox against a real private Dovecot: matching, IDLE, reconnect, UIDVALIDITY, size, TLS, login."""

from __future__ import annotations

import asyncio
import logging
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dovecot
import pytest
from dovecot import CATCH_ALL, PASSWORD, Dovecot, deliver_offline, sample_message, save_to_folder

from auditor.mail.imap import ImapError, ImapLoginError, ImapMailbox
from auditor.mail.imap_config import ImapConfig, ImapConfigError
from auditor.mail.imap_state import ImapSyncState
from auditor.mail.matching import RunAddress, match_run
from auditor.models.message import Message

dovecot_server = dovecot.dovecot_server  # the session fixture, registered for this module

WAIT = 10  # generous upper bound for one event; the awaited event normally comes in < 1 s


class Inbox:
    """Collects reported messages and lets a test await the n-th one."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.raws: list[bytes] = []
        self._changed = asyncio.Event()

    async def __call__(self, message: Message, raw: bytes) -> None:
        self.messages.append(message)
        self.raws.append(raw)
        self._changed.set()

    async def wait_for(self, count: int) -> list[Message]:
        async def _until() -> None:
            while len(self.messages) < count:
                self._changed.clear()
                await self._changed.wait()

        await asyncio.wait_for(_until(), WAIT)
        return self.messages


def config(server: Dovecot, user: str, monkeypatch: pytest.MonkeyPatch, **kw) -> ImapConfig:
    monkeypatch.setenv("AUDITOR_TEST_IMAP_PASSWORD", PASSWORD)
    defaults = {
        "host": "127.0.0.1",
        "port": server.imap_port,
        "security": "plain",
        "username": user,
        "password_env": "AUDITOR_TEST_IMAP_PASSWORD",
        "reconnect_min": 0.05,
        "reconnect_max": 0.5,
    }
    return ImapConfig(**(defaults | kw))


def mailbox(tmp_path: Path, cfg: ImapConfig, inbox: Inbox) -> ImapMailbox:
    return ImapMailbox(cfg, tmp_path / "mail", tmp_path / "campaign.db", inbox)


def plus(user: str, tag: str) -> str:
    local, _, domain = user.partition("@")
    return f"{local}+{tag}@{domain}"


async def test_plus_address_and_catch_all_matched_to_runs(dovecot_server, tmp_path, monkeypatch):
    user = dovecot_server.new_user()
    since = datetime.now(UTC) - timedelta(minutes=1)
    runs = [
        RunAddress(run_id="run-a", address=plus(user, "runa"), strategy="plus", since=since),
        RunAddress(run_id="run-b", address=plus(user, "runb"), strategy="plus", since=since),
        RunAddress(run_id="run-c", address=f"runc{time.monotonic_ns()}@catch.test", strategy="catch_all", since=since),
    ]
    # the To: header lies (a store that puts the customer's display address there): Delivered-To decides
    dovecot_server.deliver(plus(user, "runb"), sample_message("Customer <customer@elsewhere.test>", "B"))
    dovecot_server.deliver(plus(user, "runa"), sample_message(plus(user, "runa"), "A"))
    dovecot_server.deliver(runs[2].address, sample_message("customer@elsewhere.test", "C"))
    inbox, catch_inbox = Inbox(), Inbox()
    assert await mailbox(tmp_path, config(dovecot_server, user, monkeypatch), inbox).sync() == 2
    catch_cfg = config(dovecot_server, CATCH_ALL, monkeypatch)
    await mailbox(tmp_path / "c", catch_cfg, catch_inbox).sync()
    by_subject = {m.subject: match_run(m, None, runs) for m in inbox.messages + catch_inbox.messages}
    assert by_subject["A"] == "run-a"
    assert by_subject["B"] == "run-b"
    assert by_subject["C"] == "run-c"
    for message in inbox.messages:
        assert message.arrival_source == "imap_internaldate"
        assert abs(message.arrived_at - datetime.now(UTC)) < timedelta(minutes=1)
        assert (tmp_path / "mail" / f"{message.sha256}.eml").exists()


async def test_idle_notices_a_new_message(dovecot_server, tmp_path, monkeypatch):
    user = dovecot_server.new_user()
    inbox = Inbox()
    async with mailbox(tmp_path, config(dovecot_server, user, monkeypatch), inbox) as box:
        await asyncio.wait_for(box.idling("INBOX").wait(), WAIT)
        sent = time.monotonic()
        await asyncio.to_thread(dovecot_server.deliver, user, sample_message(user, "pushed"))
        [message] = await inbox.wait_for(1)
        latency = time.monotonic() - sent
        assert box.watch_mode == {"INBOX": "idle"}
    assert message.subject == "pushed"
    assert message.folder == "INBOX"
    assert latency < 5  # Dovecot notifies after 0.5 s; the benchmark measures this precisely


class DeliveringDuringFetch(ImapMailbox):
    """A real race, made to happen on demand: the first FETCH of a sync starts only after another message
    has been delivered (a real LMTP delivery), so Dovecot announces it (``* n EXISTS``) with that FETCH's
    answer, not later in IDLE."""

    def __init__(self, *args, deliver, **kwargs):  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.deliver, self.delivered = deliver, False

    async def _fetch_batch(self, client, folder, uidvalidity, batch):  # noqa: ANN001, ANN202
        if not self.delivered:
            self.delivered = True
            await asyncio.to_thread(self.deliver)
        return await super()._fetch_batch(client, folder, uidvalidity, batch)


async def test_a_message_announced_during_a_sync_is_fetched_without_waiting_for_idle(
    dovecot_server, tmp_path, monkeypatch
):
    user = dovecot_server.new_user()
    inbox = Inbox()
    cfg = config(dovecot_server, user, monkeypatch, idle_timeout=600)  # IDLE alone would hear of it in 10 min
    dovecot_server.deliver(user, sample_message(user, "first"))
    box = DeliveringDuringFetch(
        cfg, tmp_path / "mail", tmp_path / "campaign.db", inbox,
        deliver=lambda: dovecot_server.deliver(user, sample_message(user, "during the fetch")),
    )  # fmt: skip
    async with box:
        messages = await inbox.wait_for(2)
    assert box.delivered and [m.subject for m in messages] == ["first", "during the fetch"]


async def test_polling_fallback_without_idle(dovecot_server, tmp_path, monkeypatch):
    user = dovecot_server.new_user()
    inbox = Inbox()
    cfg = config(dovecot_server, user, monkeypatch, idle=False, poll_interval=0.05)
    async with mailbox(tmp_path, cfg, inbox) as box:
        await asyncio.wait_for(box.idling("INBOX").wait(), WAIT)
        await asyncio.to_thread(dovecot_server.deliver, user, sample_message(user, "polled"))
        [message] = await inbox.wait_for(1)
    assert message.subject == "polled"


async def test_connection_dropped_mid_idle_then_resynced(dovecot_server, tmp_path, monkeypatch):
    user = dovecot_server.new_user()
    inbox = Inbox()
    async with mailbox(tmp_path, config(dovecot_server, user, monkeypatch), inbox) as box:
        await asyncio.wait_for(box.idling("INBOX").wait(), WAIT)
        await asyncio.to_thread(dovecot_server.stop)
        # while the server is down an MTA still delivers (dovecot-lda writes the Maildir directly)
        await asyncio.to_thread(deliver_offline, dovecot_server, plus(user, "r1"), sample_message(user, "offline"))
        await asyncio.to_thread(dovecot_server.start)
        [message] = await inbox.wait_for(1)
        assert box.reconnects >= 1
        # and the new connection is live again: a message after the restart is pushed too
        await asyncio.wait_for(box.idling("INBOX").wait(), WAIT)
        await asyncio.to_thread(dovecot_server.deliver, user, sample_message(user, "after"))
        await inbox.wait_for(2)
    assert [m.subject for m in inbox.messages] == ["offline", "after"]
    assert message.delivered_to == [plus(user, "r1")]


async def test_uidvalidity_change_resyncs_but_stores_each_message_once(dovecot_server, tmp_path, monkeypatch):
    user = dovecot_server.new_user()
    cfg = config(dovecot_server, user, monkeypatch)
    for subject in ("one", "two"):
        dovecot_server.deliver(user, sample_message(user, subject))
    inbox = Inbox()
    assert await mailbox(tmp_path, cfg, inbox).sync() == 2
    state = ImapSyncState(tmp_path / "campaign.db", cfg.account)
    before = state.cursor("INBOX")
    assert before is not None and before.last_uid == 2
    dovecot_server.set_uidvalidity(user, before.uidvalidity + 1000)
    dovecot_server.deliver(user, sample_message(user, "three"))
    # a fresh process (new ImapMailbox) reading the same campaign.db
    assert await mailbox(tmp_path, cfg, inbox).sync() == 1
    assert [m.subject for m in inbox.messages] == ["one", "two", "three"]
    after = state.cursor("INBOX")
    assert after is not None and after.uidvalidity == before.uidvalidity + 1000
    assert len(list((tmp_path / "mail").glob("*.eml"))) == 3
    assert await mailbox(tmp_path, cfg, inbox).sync() == 0


async def test_several_folders_record_the_folder_and_dedupe_across_them(dovecot_server, tmp_path, monkeypatch):
    user = dovecot_server.new_user()
    dovecot_server.deliver(user, sample_message(user, "inbox mail"))
    spam = sample_message(user, "Confirmation in spam")
    save_to_folder(dovecot_server, user, spam, "Junk")
    twice = sample_message(user, "in both")
    save_to_folder(dovecot_server, user, twice, "INBOX")
    save_to_folder(dovecot_server, user, twice, "Junk")
    inbox = Inbox()
    cfg = config(dovecot_server, user, monkeypatch, folders=["INBOX", "Junk"])
    assert await mailbox(tmp_path, cfg, inbox).sync() == 3
    folders = {m.subject: m.folder for m in inbox.messages}
    assert folders == {"inbox mail": "INBOX", "Confirmation in spam": "Junk", "in both": "INBOX"}


async def test_same_message_id_delivered_twice_is_a_second_delivery(dovecot_server, tmp_path, monkeypatch):
    """A store sending the same confirmation twice is a finding, so both are reported."""
    user = dovecot_server.new_user()
    raw = sample_message(user, "dup", message_id="<same@shop.example>")
    dovecot_server.deliver(user, raw)
    dovecot_server.deliver(user, raw)
    inbox = Inbox()
    assert await mailbox(tmp_path, config(dovecot_server, user, monkeypatch), inbox).sync() == 2


async def test_ten_thousand_message_folder(dovecot_server, tmp_path, monkeypatch):
    """Every one of 10,000 messages reported once, then only the new one. The campaign folder is
    on tmpfs here (a real filesystem in RAM): fsync speed is the disk's business, not this test's."""
    user = dovecot_server.new_user("big")
    dovecot_server.write_maildir(user, [sample_message(user, f"m{i}", body_size=400) for i in range(10_000)])
    cfg = config(dovecot_server, user, monkeypatch)
    inbox = Inbox()
    with tempfile.TemporaryDirectory(prefix="auditor-10k-", dir=dovecot_server.root.parent) as ram:
        work = Path(ram)
        assert await mailbox(work, cfg, inbox).sync() == 10_000
        assert len({m.sha256 for m in inbox.messages}) == 10_000
        assert len(list((work / "mail").iterdir())) == 10_000
        dovecot_server.deliver(user, sample_message(user, "new one"))
        assert await mailbox(work, cfg, inbox).sync() == 1
    assert inbox.messages[-1].subject == "new one"


async def test_messages_are_never_marked_seen(dovecot_server, tmp_path, monkeypatch):
    user = dovecot_server.new_user()
    dovecot_server.deliver(user, sample_message(user, "unread 1"))
    inbox = Inbox()
    async with mailbox(tmp_path, config(dovecot_server, user, monkeypatch), inbox) as box:
        await asyncio.wait_for(box.idling("INBOX").wait(), WAIT)
        await asyncio.to_thread(dovecot_server.deliver, user, sample_message(user, "unread 2"))
        await inbox.wait_for(2)
    flags = dovecot_server.flags(user)
    assert len(flags) == 2
    assert all(b"\\Seen" not in f for f in flags.values()), flags


async def test_imaps_with_a_trusted_self_signed_certificate(dovecot_server, tmp_path, monkeypatch):
    user = dovecot_server.new_user()
    dovecot_server.deliver(user, sample_message(user, "over tls"))
    inbox = Inbox()
    cfg = config(
        dovecot_server, user, monkeypatch, security="imaps", port=dovecot_server.imaps_port,
        trust_cert=dovecot_server.cert,
    )  # fmt: skip
    assert await mailbox(tmp_path, cfg, inbox).sync() == 1
    starttls = cfg.model_copy(update={"security": "starttls", "port": dovecot_server.imap_port})
    dovecot_server.deliver(user, sample_message(user, "over starttls"))
    assert await mailbox(tmp_path, starttls, inbox).sync() == 1
    # without the explicit trust the same server is refused, with a message that says what to do
    untrusted = cfg.model_copy(update={"trust_cert": None})
    with pytest.raises(ImapError, match="not trusted.*trust_cert"):
        await mailbox(tmp_path, untrusted, inbox).sync()
    insecure = cfg.model_copy(update={"trust_cert": None, "verify_tls": False})
    assert await mailbox(tmp_path, insecure, inbox).sync() == 0


async def test_wrong_password_is_a_clear_error_without_the_password(dovecot_server, tmp_path, monkeypatch, caplog):
    user = dovecot_server.new_user()
    wrong = "Wr0ng-Pa55word-7781"
    cfg = config(dovecot_server, user, monkeypatch)
    monkeypatch.setenv("AUDITOR_TEST_IMAP_PASSWORD", wrong)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(ImapLoginError) as info:
        await mailbox(tmp_path, cfg, Inbox()).sync()
    text = str(info.value)
    assert user in text and "127.0.0.1" in text and "AUTHENTICATIONFAILED" in text.upper()
    assert wrong not in text and wrong not in repr(info.value.__cause__) and info.value.__suppress_context__
    assert wrong not in caplog.text
    # watching stops with the same error instead of retrying forever
    box = mailbox(tmp_path, cfg, Inbox())
    await box.start()
    with pytest.raises(ImapLoginError):
        await asyncio.wait_for(box.wait(), WAIT)
    with pytest.raises(ImapLoginError):
        await box.stop()


def test_password_sources_and_their_errors(tmp_path, monkeypatch):
    with pytest.raises(ValueError, match="exactly one of password_env or password_file"):
        ImapConfig(host="h", username="u")
    monkeypatch.delenv("NO_SUCH_PASSWORD_VAR", raising=False)
    with pytest.raises(ImapConfigError, match="NO_SUCH_PASSWORD_VAR is not set"):
        ImapConfig(host="h", username="u", password_env="NO_SUCH_PASSWORD_VAR").password()
    secret = tmp_path / "pw"
    secret.write_text("from-a-file\n")
    cfg = ImapConfig(host="h", username="u", password_file=secret)
    assert cfg.password().get_secret_value() == "from-a-file"
    assert "from-a-file" not in repr(cfg) and "from-a-file" not in repr(cfg.password())
    with pytest.raises(ImapConfigError, match=str(tmp_path / "missing")):
        ImapConfig(host="h", username="u", password_file=tmp_path / "missing").password()


async def test_open_keeps_one_connection_for_repeated_syncs(dovecot_server, tmp_path, monkeypatch):
    user = dovecot_server.new_user()
    box = mailbox(tmp_path, config(dovecot_server, user, monkeypatch), Inbox())
    await box.open()
    try:
        for i in range(3):
            dovecot_server.deliver(user, sample_message(user, f"n{i}"))
            assert await box.sync() == 1  # NOOP on the selected folder reveals the new message
        assert await box.sync() == 0
    finally:
        await box.close()
    logins = (dovecot_server.root / "dovecot.log").read_text().count(f"Login: user=<{user}>")
    assert logins == 1


async def test_server_without_idle_is_polled(tmp_path, monkeypatch):
    """A server that does not offer IDLE (capability list without it) is polled instead."""
    no_idle = "imap_capability = IMAP4rev1 LITERAL+ SASL-IR LOGIN-REFERRALS ID ENABLE UIDPLUS\n"
    with Dovecot(extra_config=no_idle) as server:
        user = server.new_user()
        inbox = Inbox()
        cfg = config(server, user, monkeypatch, poll_interval=0.05)  # idle stays requested
        async with mailbox(tmp_path, cfg, inbox) as box:
            await asyncio.wait_for(box.idling("INBOX").wait(), WAIT)
            await asyncio.to_thread(server.deliver, user, sample_message(user, "polled"))
            [message] = await inbox.wait_for(1)
        assert message.subject == "polled"
        assert box.watch_mode == {"INBOX": "poll"}


async def test_watching_several_folders_reports_the_spam_folder(dovecot_server, tmp_path, monkeypatch):
    user = dovecot_server.new_user()
    inbox = Inbox()
    cfg = config(dovecot_server, user, monkeypatch, folders=["INBOX", "Junk"])
    async with mailbox(tmp_path, cfg, inbox) as box:
        await asyncio.wait_for(box.idling("Junk").wait(), WAIT)
        await asyncio.to_thread(save_to_folder, dovecot_server, user, sample_message(user, "to spam"), "Junk")
        [message] = await inbox.wait_for(1)
    assert message.folder == "Junk"


async def test_missing_folder_and_unreachable_server_are_clear_errors(dovecot_server, tmp_path, monkeypatch):
    user = dovecot_server.new_user()
    cfg = config(dovecot_server, user, monkeypatch, folders=["INBOX", "No Such Folder"])
    with pytest.raises(ImapError, match="'No Such Folder' does not exist"):
        await mailbox(tmp_path, cfg, Inbox()).sync()
    closed = dovecot.free_port()  # nothing listens there
    with pytest.raises(ImapError, match=f"127.0.0.1:{closed}: cannot connect for {user}"):
        await mailbox(tmp_path, config(dovecot_server, user, monkeypatch, port=closed), Inbox()).sync()


async def test_uidvalidity_change_while_watching_reports_nothing_twice(dovecot_server, tmp_path, monkeypatch):
    user = dovecot_server.new_user()
    dovecot_server.deliver(user, sample_message(user, "before"))
    inbox = Inbox()
    cfg = config(dovecot_server, user, monkeypatch)
    async with mailbox(tmp_path, cfg, inbox) as box:
        await inbox.wait_for(1)
        await asyncio.wait_for(box.idling("INBOX").wait(), WAIT)
        cursor = ImapSyncState(tmp_path / "campaign.db", cfg.account).cursor("INBOX")
        assert cursor is not None
        await asyncio.to_thread(dovecot_server.set_uidvalidity, user, cursor.uidvalidity + 7)
        await asyncio.to_thread(dovecot_server.deliver, user, sample_message(user, "after"))
        await inbox.wait_for(2)
        # the old message under its new UIDVALIDITY must not come back: wait for the watcher to
        # settle into IDLE again after syncing, then check
        await asyncio.wait_for(box.idling("INBOX").wait(), WAIT)
    assert [m.subject for m in inbox.messages] == ["before", "after"]
    assert ImapSyncState(tmp_path / "campaign.db", cfg.account).cursor("INBOX").uidvalidity == cursor.uidvalidity + 7


async def test_a_failing_callback_is_retried_and_the_message_not_skipped(dovecot_server, tmp_path, monkeypatch):
    """The cursor only moves after on_message returns, so a callback that fails (the campaign's
    database locked, say) gets the same message again on the watcher's next attempt."""
    user = dovecot_server.new_user()
    inbox = Inbox()
    failures = ["database is locked"]

    async def flaky(message: Message, raw: bytes) -> None:
        if failures:
            raise RuntimeError(failures.pop())
        await inbox(message, raw)

    cfg = config(dovecot_server, user, monkeypatch)
    async with ImapMailbox(cfg, tmp_path / "mail", tmp_path / "campaign.db", flaky) as box:
        await asyncio.wait_for(box.idling("INBOX").wait(), WAIT)
        await asyncio.to_thread(dovecot_server.deliver, user, sample_message(user, "kept"))
        [message] = await inbox.wait_for(1)
    assert message.subject == "kept"
    assert len(box.errors) == 1 and "database is locked" in box.errors[0]
