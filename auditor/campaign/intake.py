"""Where every message from any mailbox enters a campaign.

Stored first (the mailbox already wrote ``mail/<sha256>.eml``), then indexed as
a delivery and matched to a run; that is all a mailbox waits for, so the SMTP
sink can answer 250 at once. Analysis runs afterwards, off that path, in a
worker pool; a message without evidence is itself the durable "to analyse"
mark (``CampaignFolder.unanalysed``), so a crash loses no analysis: the next
start queues what is left, and scoring analyses on demand what is still missing.
When its evidence is ready the delivery is announced to the run waiting for it.

A message that matches no run is kept too (run_id ``None``): nothing is lost,
and ``expect`` claims such mail for a run whose address and window it fits.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import UTC, datetime
from pathlib import Path

from auditor.analysis import analyze
from auditor.campaign.folder import CampaignFolder
from auditor.campaign.mailwatch import MailWatch
from auditor.mail.headers import read_message
from auditor.mail.matching import RunAddress, match_run
from auditor.mail.store import unindexed
from auditor.models import Evidence, Message, MessageRecord

log = logging.getLogger(__name__)

OnRecord = Callable[[MessageRecord], None]


def _analyse_file(path: str) -> Evidence:
    """In a worker: read the stored bytes (not shipped through a pipe) and analyse them."""
    raw = Path(path).read_bytes()
    return analyze(raw).model_copy(update={"message_sha256": hashlib.sha256(raw).hexdigest()})


def _lower_priority() -> None:
    """Worker processes yield the CPU to the process answering SMTP."""
    import os

    with contextlib.suppress(OSError):
        os.nice(10)


class Analyser:
    """Runs analysis off the mail path: at most one job per content hash, results applied in-loop.

    ``processes=True`` uses worker processes at a lower priority (analysis is CPU work and
    would otherwise share one interpreter lock with the sink); the default is one thread,
    cheap to start, for short-lived and test use. ``idle_gap``: start an analysis only
    when no message was accepted for that long (so on 2 cores a burst is taken in first
    and analysed right after), but never hold one back longer than ``max_defer``."""

    def __init__(self, workers: int = 1, processes: bool = False, idle_gap: float = 0.0, max_defer: float = 10.0):
        self.workers = workers
        self.processes = processes
        self.idle_gap = idle_gap
        self.max_defer = max_defer
        self._executor: Executor | None = None

    def executor(self) -> Executor:
        if self._executor is None:
            if self.processes:
                self._executor = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=multiprocessing.get_context("spawn"),  # never fork a process running threads
                    initializer=_lower_priority,
                )
            else:
                self._executor = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="analyse")
        return self._executor

    async def run(self, path: Path) -> Evidence:
        try:
            return await asyncio.get_running_loop().run_in_executor(self.executor(), _analyse_file, str(path))
        except BrokenProcessPool:
            # the worker died on this message (a crash, the OOM killer): a fresh pool for the next ones;
            # this one is left unanalysed, never retried inside the process that answers SMTP
            self.shutdown()
            raise RuntimeError(f"the analysis worker died while analysing {path.name}") from None

    def shutdown(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None


class Intake:
    """The ``on_message`` callback every mailbox is given."""

    def __init__(
        self,
        folder: CampaignFolder,
        watch: MailWatch,
        analyser: Analyser | None = None,
        on_record: OnRecord | None = None,
    ):
        self.folder = folder
        self.watch = watch
        self.analyser = analyser or Analyser()
        self.on_record = on_record
        self.candidates: dict[str, RunAddress] = {}
        self._jobs: dict[str, asyncio.Task[Evidence | None]] = {}
        self._waiting: dict[str, list[Message]] = {}
        self._slots: asyncio.Semaphore | None = None
        self._last_accept = 0.0
        self._forced = False
        self.analysis_errors: list[str] = []

    def expect(self, address: RunAddress) -> None:
        """Start claiming mail for a run (call before its first action); mail already stored that
        no run claimed and that fits this run's address and window is claimed now."""
        self.candidates[address.run_id] = address
        for delivery in self.folder.deliveries(unmatched=True):
            if match_run(delivery, None, [address]) == address.run_id:
                self.folder.assign_message(delivery.sha256, address.run_id, delivery.delivery_key)

    async def __call__(self, message: Message, raw: bytes) -> MessageRecord | None:
        """Index, match and analyse one delivery; its record, or None if this delivery was known.

        For mailboxes that can wait for analysis (file imports, tests). The SMTP sink uses
        ``accept``, which returns as soon as the delivery is indexed."""
        accepted = self.accept(message)
        if accepted is None:
            return None
        return await self._record_when_analysed(accepted)

    def accept(self, message: Message, raw: bytes | None = None) -> Message | None:
        """Index and match one delivery, queue its analysis, return at once (None: already known).

        Its record is announced (``watch.deliver``, ``on_record``) when its evidence is ready."""
        self._last_accept = time.monotonic()
        run_id = match_run(message, None, list(self.candidates.values()))
        message = message.model_copy(update={"run_id": run_id})
        if not self.folder.add_message(message):
            log.info("delivery %s of %s already indexed; not counted twice", message.delivery_key, message.sha256[:12])
            return None
        evidence = self.folder.evidence(message.sha256)
        if evidence is not None:
            self._announce(MessageRecord(message=message, evidence=evidence))
        else:
            self._waiting.setdefault(message.sha256, []).append(message)
            self._queue(message.sha256)
        return message

    async def on_message(self, message: Message, raw: bytes) -> None:
        """The fast door for the SMTP sink: nothing but index and queue before the 250."""
        self.accept(message, raw)

    def _queue(self, sha256: str) -> asyncio.Task[Evidence | None]:
        job = self._jobs.get(sha256)
        if job is None:
            job = self._jobs[sha256] = asyncio.get_running_loop().create_task(self._analyse(sha256))
        return job

    async def _turn(self, queued_at: float) -> bool:
        """Wait until the mail path has been quiet for ``idle_gap``; a job that waited ``max_defer``
        goes anyway, but only one such at a time (so busy mail never has every core taken from it).
        True when the job goes while mail is still arriving."""
        gap, deadline = self.analyser.idle_gap, queued_at + self.analyser.max_defer
        while gap > 0:
            now = time.monotonic()
            quiet_at = self._last_accept + gap
            if now >= quiet_at:
                return False
            if now >= deadline and not self._forced:
                self._forced = True
                return True
            await asyncio.sleep(max(quiet_at - now, 0.001) if now < deadline else gap)
        return False

    async def _analyse(self, sha256: str) -> Evidence | None:
        queued_at = time.monotonic()
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.analyser.workers)
        try:
            async with self._slots:
                forced = await self._turn(queued_at)
                try:
                    evidence = await self.analyser.run(self.folder.mail_dir / f"{sha256}.eml")
                finally:
                    if forced:
                        self._forced = False
        except Exception as exc:  # noqa: BLE001 - left unanalysed: scoring analyses it on demand
            log.error("analysis of %s failed: %r (scoring will try again)", sha256[:12], exc)
            self.analysis_errors.append(f"{sha256}: {exc!r}")
            self._jobs.pop(sha256, None)
            return None
        self.folder.put_evidence(evidence)
        self._jobs.pop(sha256, None)
        for message in self._waiting.pop(sha256, []):
            self._announce(MessageRecord(message=message, evidence=evidence))
        return evidence

    async def _record_when_analysed(self, message: Message) -> MessageRecord | None:
        evidence = self.folder.evidence(message.sha256)
        if evidence is None:
            job = self._jobs.get(message.sha256)
            evidence = await asyncio.shield(job) if job is not None else None
        if evidence is None:
            return None
        return MessageRecord(message=message, evidence=evidence)

    def _announce(self, record: MessageRecord) -> None:
        if record.message.run_id is not None:
            self.watch.deliver(record.message.run_id, record)
        if self.on_record is not None:
            self.on_record(record)

    @property
    def backlog(self) -> int:
        """Messages accepted and not yet analysed by this intake."""
        return len(self._jobs)

    async def drain(self) -> None:
        """Until every queued analysis has finished (for a clean stop and for measurements)."""
        while self._jobs:
            await asyncio.gather(*list(self._jobs.values()), return_exceptions=True)

    def resume(self) -> int:
        """After a crash: index ``.eml`` files the index never got, queue every message still without
        evidence. Returns how many files were indexed. Call inside the running loop."""
        recovered = 0
        for path in unindexed(self.folder.mail_dir, self.folder.indexed()):
            raw = path.read_bytes()
            if hashlib.sha256(raw).hexdigest() != path.stem:
                path.unlink(missing_ok=True)  # cut short between rename and sync: never acknowledged
                continue
            message = read_message(
                raw, arrived_at=datetime.fromtimestamp(path.stat().st_mtime, UTC), mailbox="recovered",
                arrival_source="file_mtime",
            )  # fmt: skip
            message.delivery_id = f"recovered:{message.sha256}"
            if self.accept(message) is not None:
                recovered += 1
        for sha256 in self.folder.unanalysed():
            if sha256 not in self._jobs:
                self._waiting.setdefault(sha256, []).extend(self.folder.deliveries(sha256=sha256))
                self._queue(sha256)
        return recovered

    def close(self) -> None:
        for job in self._jobs.values():
            job.cancel()
        self._jobs.clear()
        self.analyser.shutdown()
