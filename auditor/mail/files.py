"""Mail from files: a folder of ``.eml``, a Maildir, an mbox; for re-scoring archived mail.

A file has no mailbox clock, so the arrival time is the best one left, in this
order, and ``Message.arrival_source`` says which was used:
1. ``received``: the date of the topmost ``Received:`` header, stamped by the
   last server that took the message in (the mailbox's own MTA);
2. ``date_header``: the sender's ``Date:`` (the sender's clock: skew is possible);
3. ``file_mtime``: when the file was last written (for Maildir, delivery time).
A file that cannot be read is skipped and listed in ``problems`` with its path;
it never stops the rest of the import.

Each file (each mbox entry) is one delivery, named by where it lies and what it
holds: importing the same files again adds nothing, two files with the same
bytes are two deliveries (the mailbox received it twice).
"""

from __future__ import annotations

import asyncio
import mailbox as stdlib_mailbox
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

from pydantic import BaseModel, Field

from auditor.mail.headers import header_items, parse_date, read_message
from auditor.mail.sink import OnMessage, deliver
from auditor.mail.store import store_many
from auditor.models.message import ArrivalSource, Message

Item = tuple[Message, bytes]
IMPORT_BATCH = 200
_HEADER_LINE = re.compile(rb"[!-9;-~]+:[^\r\n]*\r?\n")


def arrival_of(raw: bytes, mtime: float | None) -> tuple[datetime, ArrivalSource]:
    """The arrival time of a stored message and which clock it came from (see module doc)."""
    headers = header_items(raw)
    for name, value in headers:
        if name.lower() == "received":
            when = parse_date(value.rpartition(";")[2]) if ";" in value else None
            if when is not None:
                return when, "received"
            break  # only the topmost Received is the mailbox's own; older hops are not arrival
    for name, value in headers:
        if name.lower() == "date" and (when := parse_date(value)) is not None:
            return when, "date_header"
    return datetime.fromtimestamp(mtime if mtime is not None else 0, UTC), "file_mtime"


class _FileSource:
    kind = "files"

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.problems: list[str] = []

    @property
    def label(self) -> str:
        return f"{self.kind}:{self.path}"

    def _read(self, file: Path) -> tuple[bytes, float] | None:
        from auditor.inputfile import InputFileError, read_limited

        try:  # a FIFO or device named *.eml is refused unread, never waited on
            return read_limited(file, MAX_FILE_BYTES), file.stat().st_mtime
        except InputFileError as exc:
            self.problems.append(f"{file}: cannot read: {exc.reason}")
            return None
        except OSError as exc:
            self.problems.append(f"{file}: cannot read: {exc.strerror or exc}")
            return None

    def _message(
        self, raw: bytes, mtime: float | None, folder: str | None, where: str, envelope_from: str | None = None
    ) -> Item:
        arrived, source = arrival_of(raw, mtime)
        message = read_message(
            raw, arrived_at=arrived, mailbox=self.label, folder=folder, envelope_from=envelope_from,
            arrival_source=source,
        )  # fmt: skip
        message.delivery_id = f"{self.kind}:{where}:{message.sha256[:16]}"
        return message, raw


class EmlDirectory(_FileSource):
    """Every ``*.eml`` under a folder (recursively, sorted), or one ``.eml`` file."""

    kind = "eml"

    def __iter__(self) -> Iterator[Item]:
        files = [self.path] if self.path.is_file() else sorted(self.path.rglob("*.eml"))
        for file in files:
            read = self._read(file)
            if read is not None:
                yield self._message(read[0], read[1], None, str(file.resolve()))


class Maildir(_FileSource):
    """A Maildir (``cur/`` and ``new/``) and its Maildir++ subfolders (``.Junk`` -> folder ``Junk``)."""

    kind = "maildir"

    def _folders(self) -> Iterator[tuple[str, Path]]:
        yield "INBOX", self.path
        for sub in sorted(self.path.iterdir()):
            if sub.is_dir() and sub.name.startswith(".") and (sub / "cur").is_dir():
                yield sub.name[1:].replace(".", "/"), sub

    def __iter__(self) -> Iterator[Item]:
        if not (self.path / "cur").is_dir() and not (self.path / "new").is_dir():
            raise NotAMailSource(f"{self.path}: not a Maildir (no cur/ or new/ inside)")
        for folder, box in self._folders():
            for part in ("new", "cur"):
                directory = box / part
                if not directory.is_dir():
                    continue
                for file in sorted(directory.iterdir(), key=lambda f: f.name):
                    if file.name.startswith(".") or not file.is_file():
                        continue
                    read = self._read(file)
                    if read is not None:
                        # a Maildir file keeps its unique name when its flags (after ':') change
                        yield self._message(read[0], read[1], folder, f"{box.resolve()}/{file.name.split(':')[0]}")


class Mbox(_FileSource):
    """One mbox file; the ``From `` line's sender becomes the envelope sender."""

    kind = "mbox"

    def __iter__(self) -> Iterator[Item]:
        try:
            mtime = self.path.stat().st_mtime
            box = stdlib_mailbox.mbox(str(self.path), create=False)
        except (OSError, stdlib_mailbox.Error) as exc:
            raise NotAMailSource(f"{self.path}: cannot open as mbox: {exc}") from None
        try:
            for key in box.iterkeys():
                try:
                    with_from = box.get_bytes(key, from_=True)
                except (OSError, KeyError, stdlib_mailbox.Error) as exc:
                    self.problems.append(f"{self.path}: message {key}: cannot read: {exc}")
                    continue
                first, _, raw = with_from.partition(b"\n")
                sender = first.split()[1].decode("ascii", "replace") if len(first.split()) > 1 else None
                if sender in ("MAILER-DAEMON", "-"):
                    sender = None
                yield self._message(raw, mtime, None, f"{self.path.resolve()}#{key}", envelope_from=sender)
        finally:
            box.close()


MAX_FILE_BYTES = 256 * 1024 * 1024
"""One message file bigger than this is refused, not read into memory."""


class NotAMailSource(ValueError):
    """The path is neither an .eml file or folder, a Maildir, nor an mbox."""


def open_mail_files(path: Path | str) -> EmlDirectory | Maildir | Mbox:
    """Pick the reader for ``path``: a Maildir (has ``cur/``), a folder or file of ``.eml``, or an mbox
    (a file starting with ``From ``)."""
    path = Path(path)
    if not path.exists():
        raise NotAMailSource(f"{path}: no such file or folder")
    if path.is_dir():
        return Maildir(path) if (path / "cur").is_dir() or (path / "new").is_dir() else EmlDirectory(path)
    if not path.is_file():  # opening a FIFO would wait for a writer forever
        from auditor.inputfile import describe_mode

        raise NotAMailSource(f"{path}: is {describe_mode(path.stat().st_mode)}, not a mail file or folder")
    with path.open("rb") as handle:
        head = handle.read(1000)
    if head.startswith(b"From "):
        return Mbox(path)
    if path.suffix.lower() == ".eml" or _HEADER_LINE.match(head):
        return EmlDirectory(path)
    raise NotAMailSource(f"{path}: not an .eml file, a folder of them, a Maildir or an mbox")


class ImportSummary(BaseModel):
    """What an import did; ``problems`` name each file that was skipped and why."""

    source: str
    read: int = 0
    new_files: int = 0
    problems: list[str] = Field(default_factory=list)


async def import_files(source: EmlDirectory | Maildir | Mbox, mail_dir: Path, on_message: OnMessage) -> ImportSummary:
    """Store every message of ``source`` under ``mail_dir`` (durably, once per content) and report
    each to ``on_message``, like the sink: the caller decides what a duplicate means."""
    summary = ImportSummary(source=source.label)
    iterator = iter(source)
    while batch := await asyncio.to_thread(lambda: list(islice(iterator, IMPORT_BATCH))):
        summary.read += len(batch)
        written = await asyncio.to_thread(store_many, mail_dir, [(m.sha256, raw) for m, raw in batch])
        summary.new_files += sum(written)
        for message, raw in batch:
            await deliver(on_message, message, raw)
    summary.problems = list(source.problems)
    return summary
