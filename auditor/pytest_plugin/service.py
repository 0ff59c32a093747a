"""One mail service per pytest process: a mailbox feeding a private campaign folder, on a background loop.

Tests are synchronous (pytest-playwright's ``page`` is Playwright's sync API) and the mailboxes are
asyncio, so the loop runs in a daemon thread and everything that touches the folder's SQLite
connection runs on it. The campaign's own ``Intake`` stores, indexes, matches (by each test's
address) and analyses every message; its ``on_record`` wakes the tests waiting on a
``threading.Condition``. Each pytest-xdist worker is its own process with its own service, folder
and sink: workers share nothing but, with ``--auditor-report``, the folder finished runs are copied to.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

from auditor.campaign.folder import CampaignFolder
from auditor.campaign.intake import Analyser, Intake
from auditor.campaign.mailwatch import MailWatch
from auditor.mail.imap import ImapMailbox
from auditor.mail.imap_config import ImapConfig
from auditor.mail.matching import RunAddress
from auditor.mail.sink import SmtpSink
from auditor.models import MessageRecord
from auditor.pytest_plugin.imap_start import skip_old_mail
from auditor.pytest_plugin.settings import ImapMailboxFile, SinkSettings

log = logging.getLogger(__name__)

T = TypeVar("T")
START_TIMEOUT = 60.0
RECHECK_SECONDS = 1.0


class MailServiceError(RuntimeError):
    """The mailbox could not be started (port taken, IMAP login refused...); the message says what to do."""


class MailService:
    """Start once (lazily, at the first test that asks for mail), ``watch`` each test's address, ``wait``."""

    def __init__(self, mailbox: SinkSettings | ImapMailboxFile, workdir: Path | None = None):
        self.settings = mailbox
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="auditor-pytest-"))
        self._own_workdir = workdir is None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._folder: CampaignFolder | None = None
        self._intake: Intake | None = None
        self._mailbox: SmtpSink | ImapMailbox | None = None
        self._records: dict[str, list[MessageRecord]] = {}
        self._changed = threading.Condition()
        self.smtp: tuple[str, int] | None = None

    # -- life cycle --------------------------------------------------------------------------------
    @property
    def started(self) -> bool:
        return self._loop is not None

    def start(self) -> None:
        loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=loop.run_forever, name="auditor-mail", daemon=True)
        self._thread.start()
        self._loop = loop
        try:
            self._call(self._start())
        except BaseException:
            self.stop()
            raise

    async def _start(self) -> None:
        self._folder = CampaignFolder(self.workdir)
        self._intake = Intake(self._folder, MailWatch(), Analyser(), on_record=self._on_record)
        settings = self.settings
        if isinstance(settings, SinkSettings):
            sink = SmtpSink(
                self._folder.mail_dir, self._intake.on_message, host=settings.host, port=settings.port, name="pytest"
            )
            try:
                await sink.start()
            except OSError as exc:  # SinkPortInUse, MailboxUnavailable
                raise MailServiceError(str(exc)) from None
            self._mailbox = sink
            self.smtp = (settings.host, sink.port)
            return
        config = ImapConfig.model_validate(settings.model_dump(exclude={"kind", "address"}))
        # A test waits seconds, not minutes: a server without IDLE is polled at least this often (with
        # IDLE the server tells at once, including of mail announced while a sync ran: see ImapMailbox).
        config = config.model_copy(update={"poll_interval": min(config.poll_interval, RECHECK_SECONDS)})
        state_db = self.workdir / "imap-state.db"
        try:
            await asyncio.to_thread(skip_old_mail, config, state_db)
        except Exception as exc:  # noqa: BLE001 - login, certificate, network: one sentence for the user
            raise MailServiceError(str(exc)) from None
        mailbox = ImapMailbox(config, self._folder.mail_dir, state_db, self._intake.on_message)
        await mailbox.start()
        self._mailbox = mailbox

    def stop(self) -> None:
        loop = self._loop
        if loop is None:
            return
        try:
            if loop.is_running():
                self._call(self._stop(), timeout=30)
        except Exception:  # noqa: BLE001 - stopping must not hide the session's own result
            log.warning("auditor: the mail service did not stop cleanly", exc_info=True)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            if self._thread is not None:
                self._thread.join(timeout=10)
            loop.close()
            self._loop = None
            if self._own_workdir:
                shutil.rmtree(self.workdir, ignore_errors=True)

    async def _stop(self) -> None:
        if self._mailbox is not None:
            try:
                await self._mailbox.stop()
            finally:
                self._mailbox = None
        if self._intake is not None:
            await asyncio.wait_for(self._intake.drain(), 30)
            self._intake.close()
        if self._folder is not None:
            self._folder.close()

    def _call(self, coro: Coroutine[Any, Any, T], timeout: float = START_TIMEOUT) -> T:
        """Run ``coro`` on the mail loop and wait for its result here."""
        assert self._loop is not None, "the mail service is not started"
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    def on_loop(self, fn: Callable[[CampaignFolder], T]) -> T:
        """Call ``fn(folder)`` on the mail loop, where the folder's connection lives."""

        async def call() -> T:
            assert self._folder is not None
            return fn(self._folder)

        return self._call(call())

    # -- per test ---------------------------------------------------------------------------------
    def watch(self, address: RunAddress) -> None:
        """Claim mail for this address from now on (and any already stored that fits it)."""
        with self._changed:
            self._records.setdefault(address.run_id, [])

        async def expect() -> None:
            assert self._intake is not None
            self._intake.expect(address)

        self._call(expect())

    def _on_record(self, record: MessageRecord) -> None:
        """In the loop: an analysed message; keep it for its test and wake whoever waits."""
        run_id = record.message.run_id
        with self._changed:
            if run_id in self._records:
                self._records[run_id].append(record)
                self._changed.notify_all()

    def records(self, run_id: str) -> list[MessageRecord]:
        """The test's analysed messages so far, by arrival."""
        with self._changed:
            found = list(self._records.get(run_id, []))
        return sorted(found, key=lambda r: (r.message.arrived_at, r.message.sha256))

    def wait(self, run_id: str, done: Callable[[list[MessageRecord]], bool], timeout: float) -> list[MessageRecord]:
        """Until ``done(records)`` holds or ``timeout`` seconds pass; the records either way."""
        deadline = time.monotonic() + max(timeout, 0.0)
        with self._changed:
            while not done(self.records(run_id)):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._changed.wait(remaining)
        return self.records(run_id)

    def raw(self, sha256: str) -> bytes:
        return (self.workdir / "mail" / f"{sha256}.eml").read_bytes()

    def forget(self, run_id: str) -> None:
        with self._changed:
            self._records.pop(run_id, None)
