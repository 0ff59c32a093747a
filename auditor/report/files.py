"""Put a report's files in place together, so an interrupted write never leaves a broken report.

Writing ``index.html`` in place and being killed half-way leaves a 0-byte or
truncated page; writing pages one by one leaves pages of the old rubric beside
pages of the new. So every file is first written to a hidden temporary file in
the same folder (and flushed to disk), and only when all of them are written
are they renamed over the old ones, ``results.json`` last: the pages beside a
``results.json`` were rendered from it or from the one before, and
``auditor report`` re-renders them from it. A crash before the renames leaves
the old report whole; the temporary files it leaves are removed by the next write.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from types import TracebackType

SUFFIX = ".report-tmp"
LAST = "results.json"


class ReportFiles:
    """``with ReportFiles(folder) as files: files.add(name, text)``; all are put in place at the end."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._pending: dict[str, Path] = {}

    def __enter__(self) -> ReportFiles:
        self.folder.mkdir(parents=True, exist_ok=True)
        remove_leftovers(self.folder)
        return self

    def add(self, name: str, text: str) -> None:
        """Write ``name``'s new content beside it, durably, without touching ``name`` yet."""
        tmp = self.folder / f".{name}.{os.getpid()}{SUFFIX}"
        with open(tmp, "wb") as out:
            out.write(text.encode("utf-8"))
            out.flush()
            os.fsync(out.fileno())
        self._pending[name] = tmp

    def commit(self) -> None:
        """Rename every file into place, ``results.json`` last, then make the renames durable."""
        names = sorted(self._pending, key=lambda n: n == LAST)
        for name in names:
            os.replace(self._pending.pop(name), self.folder / name)
        with contextlib.suppress(OSError):  # not every file system can fsync a directory
            fd = os.open(self.folder, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

    def discard(self) -> None:
        for tmp in self._pending.values():
            tmp.unlink(missing_ok=True)
        self._pending.clear()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        if kind is None:
            self.commit()
        else:
            self.discard()


def remove_leftovers(folder: Path) -> list[Path]:
    """Remove temporary report files a killed write left behind (not those of a writer still running)."""
    removed = []
    for path in sorted(Path(folder).glob(f".*{SUFFIX}")):
        pid = path.name.removesuffix(SUFFIX).rpartition(".")[2]
        if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
            continue
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


MAX_RESULTS_BYTES = 512 * 1024 * 1024


class ResultsError(ValueError):
    """A folder whose results.json cannot be used; ``str()`` is one line saying why and what to do."""


def read_results(folder: Path):  # noqa: ANN201 - CampaignResults (imported late: models stay optional here)
    """The folder's ``results.json`` as ``CampaignResults``, or ``ResultsError`` in one line.

    A write killed before this module made writes atomic, a disk that filled, a hand edit: each leaves
    a results.json that is truncated or not results at all, and the answer is to score again."""
    from pydantic import ValidationError

    from auditor.inputfile import InputFileError, read_limited
    from auditor.models.results import CampaignResults

    source = Path(folder) / "results.json"
    again = f"score it again with: auditor rescore {folder}"
    if not source.exists():
        raise ResultsError(f"{folder} has no results.json; {again}")
    try:
        data = read_limited(source, MAX_RESULTS_BYTES, allow_empty=False)
    except InputFileError as exc:
        raise ResultsError(f"{exc}; {again}") from None
    try:
        return CampaignResults.model_validate_json(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        if first["type"] == "json_invalid":
            reason = "not complete JSON (truncated?)" if "EOF" in first["msg"] else f"not JSON ({first['msg']})"
        else:
            detail = f"{where}: {first['msg']}" if where else first["msg"]
            reason = f"not the results of a scored campaign ({detail})"
        raise ResultsError(f"{source}: {reason}; {again}") from None
