"""Read a file a user named without trusting what it is: a FIFO, a device or a huge file cannot hang us.

A path on the command line may point at ``/dev/zero``, a named pipe that no one
writes to, a directory or a file of gigabytes. Each would hang the auditor or
fill its memory if simply read, so the file's type is checked *before* any read
(a FIFO is opened non-blocking and refused unread), and no more than a limit is
ever read. Every refusal is an ``InputFileError`` whose text is one line saying
what the path is.
"""

import os
import stat
from pathlib import Path


class InputFileError(ValueError):
    """A path that is not a readable regular file of acceptable size; ``str()`` is one line."""

    def __init__(self, path: Path | str, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


def describe_mode(mode: int) -> str:
    """What a non-regular file is, in words a user knows."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size} bytes"


def read_limited(path: Path | str, limit: int, *, allow_empty: bool = True) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; ``InputFileError`` for anything else.

    The type is checked with ``stat`` before opening, and again on the open descriptor (opened with
    ``O_NONBLOCK``, so a FIFO swapped in between still cannot block). At most ``limit + 1`` bytes are
    read, so a file that grows while being read is still refused instead of filling memory.
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise InputFileError(path, "no such file") from None
    except OSError as exc:
        raise InputFileError(path, exc.strerror or str(exc)) from None
    if not stat.S_ISREG(mode):
        raise InputFileError(path, f"is {describe_mode(mode)}, not a regular file")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise InputFileError(path, exc.strerror or str(exc)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputFileError(path, f"is {describe_mode(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise InputFileError(path, f"is {human_size(info.st_size)}; the limit is {human_size(limit)}")
        chunks: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError as exc:
        raise InputFileError(path, exc.strerror or str(exc)) from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise InputFileError(path, f"is more than {human_size(limit)} (it grew while being read)")
    if not data and not allow_empty:
        raise InputFileError(path, "is empty (0 bytes)")
    return data
