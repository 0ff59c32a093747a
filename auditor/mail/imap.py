"""An IMAP account as a mailbox: incremental by UID, push by IDLE, every message reported once.

The shopper's real inbox is read without changing it: folders are opened
read-only (EXAMINE) and bodies fetched with ``BODY.PEEK[]``, so nothing is
ever marked ``\\Seen``. ``INTERNALDATE`` (the server's receipt time) is the
arrival time. Each folder gets its own connection (IDLE watches only the
selected folder) in a small private thread pool, because imapclient blocks
and a blocked IDLE must not starve the rest of the program's threads.

Delivery guarantee: raw bytes on disk, then ``on_message``, then the UID
cursor moves in SQLite. A crash can re-report a message (with the same
``delivery_id``, which the campaign's ``add_message`` ignores); it cannot skip one.

Each reported message is one delivery, ``imap:<account>/<folder>/<UIDVALIDITY>/<UID>``;
what counts as a new delivery and what as the same one seen again is decided
in ``imap_state`` (a second UID in one folder counts; a re-sync, a UIDVALIDITY
change or a copy in another folder does not).
"""

from __future__ import annotations

import asyncio
import contextlib
import imaplib
import logging
import socket
import ssl
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from auditor.mail.headers import read_message
from auditor.mail.imap_config import ImapConfig, ImapConfigError
from auditor.mail.imap_state import FolderCursor, ImapSyncState, Place, SeenRow
from auditor.mail.sink import OnMessage, deliver
from auditor.mail.store import store_many
from auditor.models.message import Message

log = logging.getLogger(__name__)

T = TypeVar("T")

FETCH_BATCH = 200

# Errors after which reconnecting helps; anything else (login, config, untrusted certificate) is fatal.
_TRANSIENT = (OSError, EOFError, imaplib.IMAP4.error, IMAPClientError)


class ImapError(RuntimeError):
    """The account cannot be read as configured; retrying will not help."""


class ImapLoginError(ImapError):
    """The server refused the login. The message names the account, never the password."""


class ImapMailbox:
    """Watches the configured folders of one account and reports each new message once.

    ``await sync()`` reads what is new and returns; ``async with mailbox:`` (or
    ``start()``/``stop()``) keeps watching with IDLE, or polling when the server
    has no IDLE, reconnecting with backoff and resyncing after every reconnect.
    """

    def __init__(self, config: ImapConfig, mail_dir: Path, db_path: Path | ImapSyncState, on_message: OnMessage):
        self.config = config
        self.mail_dir = Path(mail_dir)
        self.on_message = on_message
        # a folder's campaign.db, or a ready state (a team's, in the campaign's database)
        self.state = db_path if isinstance(db_path, ImapSyncState) else ImapSyncState(db_path, config.account)
        self.reconnects = 0
        self.reported = 0
        self.errors: list[str] = []  # failures the watcher retried (a failing on_message, say)
        self._pool: ThreadPoolExecutor | None = None
        # UIDs this object claimed itself, by identity: folders synced at the same time see each other's claims
        self._claimed: dict[str, set[Place]] = {}
        self._stopping: asyncio.Event | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._clients: set[IMAPClient] = set()
        self._idling: dict[str, asyncio.Event] = {}
        self._kept: IMAPClient | None = None
        self._kept_folders: dict[str, int] = {}
        self.watch_mode: dict[str, str] = {}  # folder -> "idle" or "poll", as negotiated with the server

    # -- blocking helpers, run in the private pool ---------------------------------------------
    async def _run(self, func: Callable[..., T], *args: Any) -> T:
        if self._pool is None:
            workers = len(self.config.folders) + 1
            self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="imap")
        return await asyncio.get_running_loop().run_in_executor(self._pool, func, *args)

    def _connect(self) -> IMAPClient:
        """Connect, secure and log in; login and trust problems become ``ImapError``."""
        cfg = self.config
        where = f"{cfg.host}:{cfg.effective_port}"
        context = cfg.ssl_context() if cfg.security != "plain" else None
        password = cfg.password()
        try:
            client = IMAPClient(
                cfg.host, cfg.effective_port, ssl=cfg.security == "imaps", ssl_context=context, timeout=cfg.timeout
            )
            if cfg.security == "starttls":
                client.starttls(context)
        except ssl.SSLCertVerificationError as exc:
            raise ImapError(
                f"IMAP {where}: the server certificate is not trusted ({exc.verify_message}); "
                "set trust_cert to its certificate file, or verify_tls: false to skip checks"
            ) from None
        client.normalise_times = False  # keep INTERNALDATE's zone: we convert to UTC ourselves
        try:
            client.login(cfg.username, password.get_secret_value())
        except LoginError as exc:
            with contextlib.suppress(Exception):
                client.shutdown()
            reason = str(exc).removeprefix("b'").removesuffix("'").replace(password.get_secret_value(), "***")
            raise ImapLoginError(f"IMAP login failed for {cfg.username} at {where}: {reason}") from None
        return client

    @staticmethod
    def _close(client: IMAPClient) -> None:
        with contextlib.suppress(Exception):
            client.logout()
        with contextlib.suppress(Exception):
            client.shutdown()

    @staticmethod
    def _select(client: IMAPClient, folder: str) -> int:
        """EXAMINE, never SELECT: a read-only folder cannot get ``\\Seen`` set by us."""
        try:
            info = client.select_folder(folder, readonly=True)
        except IMAPClientError as exc:
            if "NONEXISTENT" in str(exc).upper() or "doesn't exist" in str(exc):
                raise ImapError(f"IMAP folder {folder!r} does not exist: {exc}") from None
            raise
        return int(info[b"UIDVALIDITY"])

    # -- syncing ----------------------------------------------------------------------------------
    def _claim(self, identity: str, known: set[Place], folder: str, uidvalidity: int, uid: int) -> Place | None:
        """Record this UID as read; None if it was read already. ``counted`` (a new delivery) when this
        folder now holds more copies of the message than deliveries were counted for it anywhere."""
        seen = known | self._claimed.get(identity, set())
        if any(p[:3] == (folder, uidvalidity, uid) for p in seen):
            return None
        here = sum(1 for p in seen if p[:2] == (folder, uidvalidity))
        counted = here + 1 > sum(1 for p in seen if p[3])
        place = (folder, uidvalidity, uid, counted)
        self._claimed.setdefault(identity, set()).add(place)  # before any await
        return place

    async def _sync_folder(self, client: IMAPClient, folder: str, uidvalidity: int) -> int:
        cursor = await self._run(self.state.cursor, folder)
        last = 0
        if cursor is not None and cursor.uidvalidity == uidvalidity:
            last = cursor.last_uid
        elif cursor is not None:
            log.warning(
                "%s %s: UIDVALIDITY changed %s -> %s; full resync (known messages are skipped)",
                self.config.label, folder, cursor.uidvalidity, uidvalidity,
            )  # fmt: skip
        found = await self._run(client.search, ["UID", f"{last + 1}:*"])
        uids = sorted(uid for uid in found if uid > last)
        if not uids:
            if cursor is None or cursor.uidvalidity != uidvalidity:
                await self._run(self.state.advance, folder, FolderCursor(uidvalidity=uidvalidity, last_uid=last), [])
            return 0
        count = 0
        for batch in _chunks(uids, FETCH_BATCH):
            count += await self._fetch_batch(client, folder, uidvalidity, batch)
        return count

    async def _fetch_batch(self, client: IMAPClient, folder: str, uidvalidity: int, batch: list[int]) -> int:
        data = await self._run(client.fetch, batch, ["INTERNALDATE", "BODY.PEEK[]"])
        fetched: list[tuple[int, Message, bytes]] = []
        for uid in batch:
            item = data.get(uid)
            if item is None or b"BODY[]" not in item:
                continue  # expunged between SEARCH and FETCH
            raw = bytes(item[b"BODY[]"])
            arrived = item.get(b"INTERNALDATE") or datetime.now(UTC)
            message = read_message(
                raw, arrived_at=arrived, mailbox=self.config.label, folder=folder,
                arrival_source="imap_internaldate",
            )  # fmt: skip
            fetched.append((uid, message, raw))
        known = await self._run(self.state.places, [_identity(m) for _, m, _ in fetched])
        claimed: list[tuple[int, Message, bytes, Place]] = []
        for uid, message, raw in fetched:
            place = self._claim(_identity(message), known.get(_identity(message), set()), folder, uidvalidity, uid)
            if place is not None:
                message.delivery_id = f"imap:{self.config.account}/{folder}/{uidvalidity}/{uid}"
                claimed.append((uid, message, raw, place))
        fresh = [(uid, m, raw) for uid, m, raw, place in claimed if place[3]]
        delivered = 0
        try:
            await self._run(store_many, self.mail_dir, [(m.sha256, raw) for _, m, raw in fresh])
            for _, message, raw in fresh:
                await deliver(self.on_message, message, raw)
                delivered += 1
                self.reported += 1
        except BaseException:
            # not recorded: unclaim, so the retry (same batch, the cursor has not moved) reads them again
            for _, message, _, place in claimed:
                self._claimed.get(_identity(message), set()).discard(place)
            raise
        rows = [
            SeenRow(
                sha256=m.sha256, identity=_identity(m), folder=folder, uid=uid, uidvalidity=uidvalidity,
                counted=place[3],
            )
            for uid, m, _, place in claimed
        ]  # fmt: skip
        await self._run(self.state.advance, folder, FolderCursor(uidvalidity=uidvalidity, last_uid=batch[-1]), rows)
        return len(fresh)

    async def sync(self) -> int:
        """One pass over every folder; returns how many new messages were reported.

        Between ``open()`` and ``close()`` the connection (and the selected folder) is
        kept, so repeated syncs cost only the new mail; otherwise each sync connects."""
        if self._kept is None:
            client = await self._connect_once()
            try:
                return await self._sync_all(client, {})
            finally:
                await self._run(self._close, client)
        try:
            return await self._sync_all(self._kept, self._kept_folders)
        except _TRANSIENT:
            await self.close()  # dropped: reconnect and resync from the stored cursor
            await self.open()
            assert self._kept is not None
            return await self._sync_all(self._kept, self._kept_folders)

    async def _sync_all(self, client: IMAPClient, selected: dict[str, int]) -> int:
        total = 0
        for folder in self.config.folders:
            if len(self.config.folders) == 1 and folder in selected:
                await self._run(client.noop)  # the server tells a selected folder's news on NOOP
                uidvalidity = selected[folder]
            else:
                uidvalidity = await self._run(self._select, client, folder)
                selected.clear()
                selected[folder] = uidvalidity
            total += await self._sync_folder(client, folder, uidvalidity)
        return total

    async def _connect_once(self) -> IMAPClient:
        """For a single sync an unreachable server is an error to report, not to wait out."""
        try:
            return await self._run(self._connect)
        except _TRANSIENT as exc:
            where = f"{self.config.host}:{self.config.effective_port}"
            raise ImapError(f"IMAP {where}: cannot connect for {self.config.username}: {exc}") from None

    async def check(self) -> None:
        """Log in and select every configured folder, then log out: what a campaign does before it
        buys anything, so a wrong password, a refused port, an untrusted certificate or a missing
        folder stops it with ``ImapError`` before there is an order whose mail nobody can read."""
        client = await self._connect_once()
        try:
            for folder in self.config.folders:
                await self._run(self._select, client, folder)
        except _TRANSIENT as exc:
            where = f"{self.config.host}:{self.config.effective_port}"
            raise ImapError(f"IMAP {where}: connection lost while checking {self.config.username}: {exc}") from None
        finally:
            await self._run(self._close, client)

    async def open(self) -> None:
        """Keep one connection for ``sync()`` calls until ``close()``."""
        if self._kept is None:
            self._kept = await self._connect_once()
            self._kept_folders = {}

    async def close(self) -> None:
        client, self._kept = self._kept, None
        if client is not None:
            await self._run(self._close, client)

    # -- watching ---------------------------------------------------------------------------------
    def idling(self, folder: str = "INBOX") -> asyncio.Event:
        """Set while ``folder`` is synced and waiting for news (in IDLE or between polls)."""
        return self._idling.setdefault(folder, asyncio.Event())

    async def start(self) -> None:
        """Watch every folder in the background; fatal errors surface from ``stop()``/``wait()``."""
        self._stopping = asyncio.Event()
        self._tasks = [asyncio.create_task(self._watch_folder(f), name=f"imap:{f}") for f in self.config.folders]

    async def wait(self) -> None:
        """Until stopped, or raise the first fatal error (wrong password, untrusted certificate)."""
        done, _ = await asyncio.wait(self._tasks, return_when=asyncio.FIRST_EXCEPTION)
        for task in done:
            if not task.cancelled() and task.exception() is not None:
                raise task.exception()  # type: ignore[misc]

    async def stop(self) -> None:
        await self.close()
        if self._stopping is not None:
            self._stopping.set()
        for client in list(self._clients):
            with contextlib.suppress(Exception):
                client.socket().shutdown(socket.SHUT_RDWR)  # wakes a thread blocked in IDLE
        results = await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        if self._pool is not None:
            self._pool.shutdown(wait=False)
            self._pool = None
        for result in results:
            if isinstance(result, ImapError | ImapConfigError):
                raise result

    async def __aenter__(self) -> ImapMailbox:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    async def _pause(self, seconds: float) -> None:
        """Sleep, but wake at once when stopping."""
        assert self._stopping is not None
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

    async def _watch_folder(self, folder: str) -> None:
        assert self._stopping is not None
        delay = self.config.reconnect_min
        idling = self.idling(folder)
        while not self._stopping.is_set():
            client: IMAPClient | None = None
            try:
                client = await self._run(self._connect)
                self._clients.add(client)
                uidvalidity = await self._run(self._select, client, folder)
                await self._sync_folder(client, folder, uidvalidity)  # catch up on whatever came meanwhile
                delay = self.config.reconnect_min
                use_idle = self.config.idle and b"IDLE" in await self._run(client.capabilities)
                self.watch_mode[folder] = "idle" if use_idle else "poll"
                while not self._stopping.is_set():
                    if _news_heard(client):  # a message that came while we searched or fetched: sync, not IDLE
                        await self._sync_folder(client, folder, uidvalidity)
                        continue
                    if use_idle:
                        await self._run(client.idle)
                        idling.set()
                        responses = await self._run(client.idle_check, self.config.idle_timeout)
                        idling.clear()
                        if self._stopping.is_set():
                            break
                        if any(r and r[0] == b"BYE" for r in responses):
                            raise ConnectionResetError(f"server said BYE: {responses}")
                        await self._run(client.idle_done)
                    else:
                        idling.set()
                        await self._pause(self.config.poll_interval)
                        idling.clear()
                        if self._stopping.is_set():
                            break
                        await self._run(client.noop)
                    await self._sync_folder(client, folder, uidvalidity)
            except (ImapError, ImapConfigError):
                raise
            except _TRANSIENT as exc:
                idling.clear()
                if self._stopping.is_set():
                    break
                self.reconnects += 1
                log.warning(
                    "%s %s: connection lost (%s); reconnecting in %.1fs", self.config.label, folder,
                    exc.__class__.__name__, delay,
                )  # fmt: skip
                await self._pause(delay)
                delay = min(delay * 2, self.config.reconnect_max)
            except Exception as exc:  # noqa: BLE001 - e.g. on_message failed: retry, never skip mail
                idling.clear()
                if self._stopping.is_set():
                    break
                log.exception("%s %s: sync failed; retrying in %.1fs", self.config.label, folder, delay)
                self.errors.append(f"{folder}: {exc!r}")
                await self._pause(delay)
                delay = min(delay * 2, self.config.reconnect_max)
            finally:
                if client is not None:
                    self._clients.discard(client)
                    await asyncio.get_running_loop().run_in_executor(None, self._close, client)


def _news_heard(client: IMAPClient) -> bool:
    """Whether the server announced new mail (``* n EXISTS``) alongside our own commands since the last look.

    A message delivered while SEARCH or FETCH runs is announced with that command's answer, which imaplib
    files away; IDLE would then wait for the *next* message (or its timeout) to hear of it. Popped here, so
    each announcement leads to one more sync. imaplib's ``untagged_responses`` is where imapclient's own
    ``select_folder`` reads such answers from."""
    heard = client._imap.untagged_responses  # noqa: SLF001 - the only place these answers are kept
    return bool(heard.pop("EXISTS", None)) | bool(heard.pop("RECENT", None))


def _identity(message: Message) -> str:
    """The same message in two places: same Message-ID, else same bytes."""
    return message.message_id or message.sha256


def _chunks(items: Sequence[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])
