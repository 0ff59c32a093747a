"""Raw mail on disk, durably: ``mail/<sha256>.eml`` written so a crash leaves it whole or absent.

Every mailbox hands its bytes here before it acknowledges anything (a 250, an
IMAP sync cursor), so a message is never "received" without being on disk.

The recipe is the classic one: write a temp file, make its bytes durable,
rename it to its final name, make the rename durable. What "make durable"
costs decides how fast the sink can be: one ``fsync`` per file is one disk
journal commit per message (about 350 messages/s on a disk shared with other
work). So on Linux the two "make durable" steps are *group barriers*: one
``syncfs`` of the mail folder's filesystem, shared by every writer that
arrived while the previous one ran (group commit, as databases do). Elsewhere
it falls back to ``fsync`` of the file and of the folder.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import os
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path


def eml_path(mail_dir: Path, sha256: str) -> Path:
    return mail_dir / f"{sha256}.eml"


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _load_syncfs() -> Callable[[int], int] | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.syncfs
    except (OSError, AttributeError):
        return None


_libc_syncfs = _load_syncfs()


def _syncfs(directory: Path) -> None:
    """Everything written on ``directory``'s filesystem so far is on disk when this returns."""
    assert _libc_syncfs is not None
    fd = os.open(directory, os.O_RDONLY)
    try:
        if _libc_syncfs(fd) != 0:
            errno = ctypes.get_errno()
            raise OSError(errno, f"syncfs failed for {directory}: {os.strerror(errno)}")
    finally:
        os.close(fd)


class _GroupBarrier:
    """One durability barrier per folder, shared by concurrent callers.

    A caller needs *a* sync that started after its own writes. If one is
    already running it waits for it and then for the next, which it shares
    with everyone who arrived meanwhile: under concurrent SMTP sessions many
    messages ride on one sync instead of one each.
    """

    def __init__(self, directory: Path, flush: Callable[[Path], None]):
        self.directory = directory
        self.flush = flush
        self._cond = threading.Condition()
        self._started = 0
        self._done = 0
        self._running = False
        self._errors: dict[int, OSError] = {}

    def wait(self) -> None:
        with self._cond:
            needed = self._started + 1  # the first sync to start after this call
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
                    self.flush(self.directory)
                except OSError as exc:
                    error = exc
                finally:
                    self._cond.acquire()
                    self._running = False
                    self._done = generation
                    if error is not None:
                        self._errors[generation] = error
                    self._cond.notify_all()
            error = self._errors.get(needed)
        if error is not None:
            raise error


_barriers: dict[tuple[Path, str], _GroupBarrier] = {}
_barriers_lock = threading.Lock()


def _barrier(directory: Path, kind: str) -> None:
    """``kind`` ``fs``: a shared ``syncfs``; ``dir``: a shared fsync of the folder itself."""
    with _barriers_lock:
        barrier = _barriers.get((directory, kind))
        if barrier is None:
            flush = (lambda d: _syncfs(d)) if kind == "fs" else (lambda d: _fsync_dir(d))
            barrier = _barriers[(directory, kind)] = _GroupBarrier(directory, flush)
    barrier.wait()


def _already_stored(target: Path, size: int) -> bool:
    """Present with the right size. A crash between rename and sync can only leave a short
    file under the final name (never acknowledged), and the next delivery rewrites it."""
    try:
        return target.stat().st_size == size
    except FileNotFoundError:
        return False


def _write_temp(mail_dir: Path, raw: bytes, sha: str, fsync: bool) -> str:
    fd, tmp_name = tempfile.mkstemp(prefix=f".{sha[:16]}-", suffix=".tmp", dir=mail_dir)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            if fsync:
                handle.flush()
                os.fsync(handle.fileno())
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return tmp_name


def store_many(mail_dir: Path, items: Sequence[tuple[str, bytes]]) -> list[bool]:
    """Write each ``(sha256, raw)`` as ``<sha256>.eml`` durably; per item, whether it was new.

    The whole batch shares the two barriers (or, without ``syncfs``, fsyncs each file).
    On an error nothing half-written is left under a final name, and the error is raised."""
    if not items:
        return []
    mail_dir.mkdir(parents=True, exist_ok=True)
    grouped = _libc_syncfs is not None
    new = [not _already_stored(eml_path(mail_dir, sha), len(raw)) for sha, raw in items]
    temps: list[tuple[str, Path]] = []
    try:
        for (sha, raw), is_new in zip(items, new, strict=True):
            if is_new:
                temps.append((_write_temp(mail_dir, raw, sha, fsync=not grouped), eml_path(mail_dir, sha)))
        if not temps:
            return new
        if grouped:
            _barrier(mail_dir, "fs")  # the bytes are on disk before any final name points at them
        for tmp_name, target in temps:
            os.replace(tmp_name, target)
        temps = []
        _barrier(mail_dir, "fs" if grouped else "dir")  # and the names are on disk before we return
    finally:
        for tmp_name, _ in temps:
            Path(tmp_name).unlink(missing_ok=True)
    return new


def store_raw(mail_dir: Path, raw: bytes, sha256: str | None = None) -> bool:
    """Write ``raw`` as ``<sha256>.eml`` durably; False when it was already there.

    Same bytes, same name: a duplicate costs one ``stat`` and is never written twice.
    """
    sha = sha256 or hashlib.sha256(raw).hexdigest()
    return store_many(mail_dir, [(sha, raw)])[0]


TEMP_GRACE_SECONDS = 600.0


class WriterLock:
    """A shared ``flock`` on the mail folder itself, held by each live writer (a sink, say).

    Whoever gets it exclusively knows no other writer is alive, so every ``.tmp``
    file is a crash's leftover; otherwise only old ones can be."""

    def __init__(self, mail_dir: Path):
        self.path = mail_dir  # a directory can be flock'ed: no lock file to litter the folder
        self._fd: int | None = None

    def alone(self) -> bool:
        import fcntl

        fd = os.open(self.path, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        finally:
            os.close(fd)  # closing drops the lock
        return True

    def hold(self) -> None:
        import fcntl

        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDONLY)
            fcntl.flock(self._fd, fcntl.LOCK_SH)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def sweep_temps(mail_dir: Path, *, alone: bool, grace: float = TEMP_GRACE_SECONDS) -> int:
    """Remove ``.tmp`` files a crash left (never acknowledged: the sender retries); how many.

    ``alone``: no other writer holds the folder, so every temp file is a leftover; otherwise
    only those untouched for ``grace`` seconds are, a live writer's are kept."""
    import time

    removed = 0
    cutoff = time.time() - grace
    for tmp in mail_dir.glob(".*.tmp"):
        try:
            if alone or tmp.stat().st_mtime < cutoff:
                tmp.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed


def unindexed(mail_dir: Path, known: set[str]) -> list[Path]:
    """``<sha256>.eml`` files on disk that the index does not know: a crash between store and index."""
    return sorted(p for p in mail_dir.glob("*.eml") if p.stem not in known and len(p.stem) == 64)
