"""An SMTP server a store's staging system can send to: every message kept before ``250``.

It runs inside the caller's asyncio loop (not aiosmtpd's threaded Controller)
so ``on_message`` runs in-loop, next to the campaign's other work, without
locks. The order is fixed: store durably, tell the caller, then answer 250; if
the sender got a 250, the message is on disk. The caller's ``on_message`` must be
quick (index it, queue its analysis): it is on the path of the next 250.

Each SMTP transaction is its own delivery (``Message.delivery_id``), so the same
bytes sent twice are stored once and counted twice. Out of file descriptors,
the sink answers ``421`` (also to connections it cannot accept, from a spare
descriptor kept for that) and logs once per starved stretch, not per attempt.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import inspect
import logging
import os
import re
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from aiosmtpd.smtp import MISSING, SMTP, Envelope, Session, syntax

from auditor.mail.errors import MailboxUnavailable, SinkPortInUse
from auditor.mail.headers import read_message
from auditor.mail.sink_state import HEARTBEAT_SECONDS, SinkUptime
from auditor.mail.store import WriterLock, store_raw, sweep_temps
from auditor.models.message import Message

log = logging.getLogger(__name__)

OnMessage = Callable[[Message, bytes], Awaitable[None] | None]

DEFAULT_MAX_SIZE = 32 * 1024 * 1024
DATA_READ_LIMIT = 256 * 1024
_PLAIN_PATH = re.compile(r"\s*<([A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9.-]+)>(.*)", re.DOTALL)
_STARVED = (errno.EMFILE, errno.ENFILE)
REPLY_STARVED = "421 4.3.2 Out of file descriptors; try again later"


def _unstuff(data: bytes) -> bytes:
    """Undo SMTP dot-stuffing (RFC 5321 4.5.2): drop the first dot of every line starting with one.
    ``bytes.replace`` runs at memchr speed, several times faster than a multiline regex."""
    if data.startswith(b"."):
        data = data[1:]
    return data.replace(b"\n.", b"\n") if b"\n." in data else data


async def deliver(on_message: OnMessage, message: Message, raw: bytes) -> None:
    """Call a sync or async ``on_message`` the same way."""
    result = on_message(message, raw)
    if inspect.isawaitable(result):
        await result


class Starvation:
    """Out of file descriptors: one log line when it starts, one when it ends, a count between.

    Thousands of refused attempts in a starved minute are one fact, not thousands of tracebacks."""

    def __init__(self, name: str):
        self.name = name
        self.since: float | None = None
        self.refused = 0
        self.episodes = 0

    def hit(self, where: str, exc: OSError) -> None:
        self.refused += 1
        if self.since is None:
            self.since = time.monotonic()
            self.episodes += 1
            log.error(
                "%s: out of file descriptors (%s) while %s; answering 421 until some are free "
                "(raise the limit: ulimit -n)", self.name, exc.strerror or exc, where,
            )  # fmt: skip

    def ok(self) -> None:
        if self.since is not None:
            log.warning(
                "%s: file descriptors available again after %.1f s; %d attempt(s) answered 421",
                self.name, time.monotonic() - self.since, self.refused,
            )  # fmt: skip
            self.since = None
            self.refused = 0


class _Handler:
    def __init__(self, sink: SmtpSink):
        self.sink = sink

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        raw = envelope.original_content or b""
        if isinstance(envelope.content, str):  # only with decode_data=True, which we never set
            raw = envelope.content.encode("utf-8", "surrogateescape")
        message = read_message(
            raw,
            arrived_at=datetime.now(UTC),
            mailbox=self.sink.name,
            envelope_from=envelope.mail_from,
            envelope_to=envelope.rcpt_tos,
            arrival_source="smtp",
        )
        message.delivery_id = f"smtp:{uuid.uuid4().hex}"  # each transaction is a delivery, same bytes or not
        try:
            await asyncio.to_thread(store_raw, self.sink.mail_dir, raw, message.sha256)
        except OSError as exc:
            if exc.errno in _STARVED:
                self.sink.starvation.hit("storing a message", exc)
                return REPLY_STARVED
            log.error("sink could not store %s in %s: %s", message.sha256, self.sink.mail_dir, exc)
            return f"451 4.3.0 Could not store the message ({exc.strerror or exc}); try again later"
        self.sink.starvation.ok()
        self.sink.received += 1
        try:
            await deliver(self.sink.on_message, message, raw)
        except Exception as exc:  # noqa: BLE001 - stored already; the sender must not resend
            log.exception("on_message failed for %s (kept as %s)", message.sha256, message.path)
            self.sink.errors.append(f"{message.sha256}: {exc!r}")
        return f"250 2.0.0 OK stored {message.sha256}"


class SinkSMTP(SMTP):
    """aiosmtpd's protocol with a bulk DATA reader.

    aiosmtpd reads DATA one line at a time through a 1001-byte stream limit,
    which caps it near 700 messages/s of 30 KB on this hardware before any
    work is done. Here DATA is read in large chunks up to the next ``.\r\n``
    and un-dot-stuffed with one regex; everything else (commands, SIZE, the
    handler call) stays aiosmtpd's. Over-long lines are accepted rather than
    refused: a store's odd mail is exactly what an audit must keep.
    """

    def _getaddr(self, arg: str) -> tuple[str | None, str | None]:
        """``<local@domain>`` as nearly every MTA sends it, by one regex; anything unusual
        (quoted local parts, source routes, ``<>``) goes through aiosmtpd's full parser."""
        plain = _PLAIN_PATH.fullmatch(arg)
        if plain:
            return plain.group(1), plain.group(2).lstrip()
        return super()._getaddr(arg)

    @syntax("DATA")
    async def smtp_DATA(self, arg: str) -> None:  # noqa: N802 - aiosmtpd's hook name
        if await self.check_helo_needed() or await self.check_auth_needed("DATA"):
            return
        assert self.envelope is not None
        if not self.envelope.rcpt_tos:
            await self.push("503 Error: need RCPT command")
            return
        if arg:
            await self.push("501 Syntax: DATA")
            return
        await self.push("354 End data with <CR><LF>.<CR><LF>")
        try:
            data, too_much = await self._read_data()
        except asyncio.CancelledError:
            log.info("connection lost during DATA")
            self._writer.close()
            raise
        except asyncio.IncompleteReadError:
            log.info("connection closed during DATA; nothing was acknowledged")
            self._writer.close()
            return
        if too_much:
            self._set_post_data_state()
            await self.push(f"552 5.3.4 Message too big: the limit is {self.data_size_limit} bytes")
            return
        content = _unstuff(data)
        self.envelope.content = content
        self.envelope.original_content = content
        status = await self._call_handler_hook("DATA")
        self._set_post_data_state()
        await self.push("250 OK" if status is MISSING else status)
        if status == REPLY_STARVED:
            self._writer.close()  # 421 closes the session (RFC 5321 3.8) and gives a descriptor back

    async def _read_data(self) -> tuple[bytes, bool]:
        """Bytes up to the lone ``.`` line (kept: the final CRLF), and whether the limit was passed."""
        reader = self._reader
        limit = self.data_size_limit
        chunks: list[bytes] = []
        size = 0
        too_much = False
        at_line_start = True
        saved_limit = reader._limit  # type: ignore[attr-defined]
        reader._limit = DATA_READ_LIMIT  # type: ignore[attr-defined]
        try:
            while True:
                try:
                    chunk = await reader.readuntil(b".\r\n")
                    found = True
                except asyncio.LimitOverrunError as exc:
                    chunk = await reader.read(exc.consumed)
                    found = False
                if found and ((len(chunk) == 3 and at_line_start) or chunk[-4:-3] == b"\n"):
                    chunk = chunk[:-3]
                    size += len(chunk)
                    if not too_much:
                        chunks.append(chunk)
                    break
                size += len(chunk)
                at_line_start = chunk.endswith(b"\n")
                if limit and size > limit:
                    too_much = True
                    chunks.clear()
                if not too_much:
                    chunks.append(chunk)
        finally:
            reader._limit = saved_limit  # type: ignore[attr-defined]
        if limit and size > limit:
            return b"", True
        return b"".join(chunks), False


class SmtpSink:
    """Accepts any recipient, records the envelope, refuses over ``max_size`` with ``552``.

    Use as ``async with SmtpSink(mail_dir, on_message) as sink:``; ``sink.port``
    is the bound port (``port=0`` picks a free one). With ``state_db`` (the
    campaign's ``campaign.db``) it records when it was up (see ``sink_state``).
    """

    def __init__(
        self,
        mail_dir: Path,
        on_message: OnMessage,
        host: str = "127.0.0.1",
        port: int = 0,
        max_size: int = DEFAULT_MAX_SIZE,
        name: str = "smtp-sink",
        state_db: Path | SinkUptime | None = None,
    ):
        self.mail_dir = Path(mail_dir)
        self.on_message = on_message
        self.host = host
        self.port = port
        self.max_size = max_size
        self.name = name
        self.received = 0
        self.errors: list[str] = []
        self.swept = 0
        self.starvation = Starvation(name)
        # a folder's campaign.db, or a ready SinkUptime (a team's, writing to the campaign's database)
        self.uptime = state_db if state_db is None or isinstance(state_db, SinkUptime) else SinkUptime(state_db, name)
        self._server: asyncio.base_events.Server | None = None
        self._sessions: set[SMTP] = set()
        self._lock: WriterLock | None = None
        self._heartbeat: asyncio.Task[None] | None = None
        self._spare: int | None = None
        self._previous_handler: Any = None

    def _protocol(self) -> SMTP:
        sink = self

        class _Tracked(SinkSMTP):
            def connection_made(self, transport: Any) -> None:
                sink._sessions.add(self)
                super().connection_made(transport)

            def connection_lost(self, exc: Exception | None) -> None:
                sink._sessions.discard(self)
                super().connection_lost(exc)

        return _Tracked(
            _Handler(self),
            data_size_limit=self.max_size,
            enable_SMTPUTF8=True,
            hostname="auditor-sink",
            ident="auditor SMTP sink",
        )

    async def start(self) -> None:
        """Bind and serve in the running loop; returns once the port accepts connections.

        A crash's leftovers go first: half-written ``.tmp`` files (never acknowledged) are removed.
        A taken port is a ``SinkPortInUse`` saying which port and what to do."""
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        self._lock = WriterLock(self.mail_dir)
        alone = self._lock.alone()  # no other live sink on this folder: what is left open is a crash's
        self.swept = sweep_temps(self.mail_dir, alone=alone)
        self._lock.hold()
        loop = asyncio.get_running_loop()
        try:
            self._server = await loop.create_server(self._protocol, self.host, self.port)
        except OSError as exc:
            self._lock.release()
            where = f"{self.host}:{self.port}"
            if exc.errno == errno.EADDRINUSE:
                raise SinkPortInUse(
                    f"SMTP sink: port {self.port} on {self.host} is already in use (another sink or mail server?); "
                    "stop that process or choose another port (0 picks a free one)"
                ) from None
            raise MailboxUnavailable(f"SMTP sink: cannot listen on {where}: {exc.strerror or exc}") from None
        self.port = self._server.sockets[0].getsockname()[1]
        self._spare = _open_spare()
        self._previous_handler = loop.get_exception_handler()
        loop.set_exception_handler(self._loop_exception)
        if self.uptime is not None:
            await asyncio.to_thread(self.uptime.started, f"{self.host}:{self.port}", alone)
            self._heartbeat = asyncio.create_task(self._beat(), name=f"{self.name}:heartbeat")

    async def _beat(self) -> None:
        assert self.uptime is not None
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            try:
                await asyncio.to_thread(self.uptime.beat)
            except Exception:  # noqa: BLE001 - a locked database must not stop the sink
                log.warning("%s: could not record its heartbeat", self.name, exc_info=True)

    def _loop_exception(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        """asyncio logs a traceback for every failed accept() when out of descriptors; for our
        sockets, answer the waiting client 421 from the spare descriptor and count it instead."""
        exc = context.get("exception")
        sock = context.get("socket")
        ours = (
            self._server is not None
            and sock is not None
            and any(s.fileno() == sock.fileno() for s in self._server.sockets)
        )
        if ours and isinstance(exc, OSError) and exc.errno in _STARVED:
            self.starvation.hit("accepting a connection", exc)
            self._refuse_waiting(getattr(sock, "_sock", sock))  # asyncio's TransportSocket hides accept()
            return
        if self._previous_handler is not None:
            self._previous_handler(loop, context)
        else:
            loop.default_exception_handler(context)

    def _refuse_waiting(self, sock: Any, most: int = 100) -> None:
        """For each client waiting to be accepted: free the spare descriptor, accept, tell it 421,
        close, take the spare back; so a client learns to retry instead of hanging in the backlog."""
        for _ in range(most):
            if self._spare is None:
                self._spare = _open_spare()
                if self._spare is None:
                    return
            os.close(self._spare)
            self._spare = None
            try:
                conn, _ = sock.accept()
            except OSError:  # nobody waiting any more (or still starved): asyncio retries in a second
                self._spare = _open_spare()
                return
            with contextlib.suppress(OSError):
                conn.setblocking(False)
                conn.send((REPLY_STARVED + "\r\n").encode())
            conn.close()
            self.starvation.refused += 1
            self._spare = _open_spare()

    async def stop(self) -> None:
        """Stop listening and drop open sessions; messages already answered 250 are on disk."""
        if self._server is None:
            return
        self._server.close()
        for session in list(self._sessions):
            if session.transport is not None:
                session.transport.close()
        await self._server.wait_closed()
        self._server = None
        loop = asyncio.get_running_loop()
        if loop.get_exception_handler() == self._loop_exception:
            loop.set_exception_handler(self._previous_handler)
        if self._spare is not None:
            os.close(self._spare)
            self._spare = None
        if self._heartbeat is not None:
            self._heartbeat.cancel()
            self._heartbeat = None
        if self.uptime is not None:
            await asyncio.to_thread(self.uptime.stopped)
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    async def __aenter__(self) -> SmtpSink:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()


def _open_spare() -> int | None:
    """One descriptor held in reserve, to answer 421 when no other is left."""
    try:
        return os.open(os.devnull, os.O_RDONLY)
    except OSError:
        return None
