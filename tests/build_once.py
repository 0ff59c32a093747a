"""A test template (a migrated store database, a built project folder) built once per machine, reused
by every session and every xdist worker: a file lock makes concurrent sessions wait for one build, and
the result appears under its final name by an atomic rename, so a half-built template is never used."""

import fcntl
import os
import shutil
from collections.abc import Callable
from pathlib import Path


def built_once(target: Path, build: Callable[[Path], None]) -> Path:
    """``target`` (a file or a folder), calling ``build(path)`` to make it at a temporary path if absent."""
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.parent / "build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if target.exists():
            return target
        building = target.with_name(f"{target.name}.{os.getpid()}.building")
        _remove(building)
        try:
            build(building)
        except BaseException:
            _remove(building)  # a failed or interrupted build leaves nothing behind
            raise
        os.replace(building, target)
    return target


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
