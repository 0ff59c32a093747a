"""Raw mail on disk, durably: ``mail/<sha256>.eml`` written so a crash leaves it whole or absent.

Every mailbox hands its bytes here before it acknowledges anything (a 250, an
IMAP sync cursor), so a message is never "received" without being on disk.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def eml_path(mail_dir: Path, sha256: str) -> Path:
    return mail_dir / f"{sha256}.eml"


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def store_raw(mail_dir: Path, raw: bytes, sha256: str | None = None) -> bool:
    """Write ``raw`` as ``<sha256>.eml`` (temp file, fsync, rename, fsync the folder).

    Returns False when that file was already there: same bytes, same name, so a
    duplicate costs nothing and is never written twice.
    """
    sha = sha256 or hashlib.sha256(raw).hexdigest()
    target = eml_path(mail_dir, sha)
    if target.exists():
        return False
    mail_dir.mkdir(parents=True, exist_ok=True)
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
    _fsync_dir(mail_dir)
    return True
