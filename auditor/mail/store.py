"""Raw mail on disk, durably: ``mail/<sha256>.eml`` written so a crash leaves it whole or absent.

Every mailbox hands its bytes here before it acknowledges anything (a 250, an
IMAP sync cursor), so a message is never "received" without being on disk.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

# fsync waits for the disk's journal commit; parallel fsyncs share one commit (group commit),
# so a batch of N files costs about one commit instead of N.
_FSYNC_THREADS = 16


def eml_path(mail_dir: Path, sha256: str) -> Path:
    return mail_dir / f"{sha256}.eml"


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class _GroupDirSync:
    """Makes renames in one folder durable with as few folder fsyncs as possible.

    A caller needs *a* folder fsync that started after its rename. If one is
    already running, it waits for it and then for the next, which it may share
    with every other caller that arrived meanwhile: under concurrent SMTP
    sessions many messages ride on one fsync instead of one each.
    """

    def __init__(self, directory: Path):
        self.directory = directory
        self._cond = threading.Condition()
        self._started = 0
        self._done = 0
        self._running = False
        self._error: dict[int, OSError] = {}

    def sync(self) -> None:
        with self._cond:
            needed = self._started + 1  # the first fsync to start after this call
            while self._done < needed:
                if self._running:
                    self._cond.wait()
                    continue
                self._running = True
                self._started += 1
                generation = self._started
                self._cond.release()
                error: OSError | None = None
                try:
                    _fsync_dir(self.directory)
                except OSError as exc:
                    error = exc
                finally:
                    self._cond.acquire()
                    self._running = False
                    self._done = generation
                    if error is not None:
                        self._error[generation] = error
                    self._cond.notify_all()
            error = self._error.get(needed)
        if error is not None:
            raise error


_dir_syncs: dict[Path, _GroupDirSync] = {}
_dir_syncs_lock = threading.Lock()


def sync_dir(directory: Path) -> None:
    """fsync ``directory`` so renames done before this call survive a crash (shared by concurrent callers)."""
    with _dir_syncs_lock:
        syncer = _dir_syncs.setdefault(directory, _GroupDirSync(directory))
    syncer.sync()


def _write_file(mail_dir: Path, raw: bytes, sha: str) -> bool:
    """Temp file, fsync, rename; the caller fsyncs the folder."""
    target = eml_path(mail_dir, sha)
    if target.exists():
        return False
    fd, tmp_name = tempfile.mkstemp(prefix=f".{sha[:16]}-", suffix=".tmp", dir=mail_dir)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return True


def store_many(mail_dir: Path, items: Sequence[tuple[str, bytes]]) -> list[bool]:
    """``store_raw`` for a batch of ``(sha256, raw)``: files fsynced in parallel, the folder once.
    Returns, per item, whether it was new. Raises the first OSError after the batch settles."""
    if not items:
        return []
    mail_dir.mkdir(parents=True, exist_ok=True)
    if len(items) == 1:
        written = [_write_file(mail_dir, items[0][1], items[0][0])]
    else:
        with ThreadPoolExecutor(min(_FSYNC_THREADS, len(items)), thread_name_prefix="fsync") as pool:
            written = list(pool.map(lambda item: _write_file(mail_dir, item[1], item[0]), items))
    if any(written):
        sync_dir(mail_dir)
    return written


def store_raw(mail_dir: Path, raw: bytes, sha256: str | None = None) -> bool:
    """Write ``raw`` as ``<sha256>.eml`` (temp file, fsync, rename, fsync the folder).

    Returns False when that file was already there: same bytes, same name, so a
    duplicate costs nothing and is never written twice.
    """
    sha = sha256 or hashlib.sha256(raw).hexdigest()
    if eml_path(mail_dir, sha).exists():
        return False
    mail_dir.mkdir(parents=True, exist_ok=True)
    if not _write_file(mail_dir, raw, sha):
        return False
    sync_dir(mail_dir)
    return True
