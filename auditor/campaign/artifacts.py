"""A run's artifacts (screenshots, page HTML, traces) as a campaign keeps them.

A folder keeps them as files in ``runs/<run-id>/``. A team's workers leave them in their own working
folders, on machines the report is not written on, so a worker stores them in the campaign's database
when the run ends (``CampaignDatabase.store_artifacts``) and ``auditor rescore --db`` writes them back
into the report folder's ``runs/<run-id>/``, the layout a folder has, so the same paths work.

A run may store ``MAX_RUN_BYTES`` (20 MB): the smallest files first, since the screenshot, the page and
the step's summary explain a failure and a trace (the big one) only helps. What does not fit is named,
with its size and where it was left, in ``LEFT_OUT`` beside the rest.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from pydantic import AwareDatetime, BaseModel, Field

MAX_RUN_BYTES = 20 * 1024 * 1024
LEFT_OUT = "LEFT-OUT.txt"


class Artifact(BaseModel):
    """One stored file of a run; ``name`` is its path inside the run's folder (``retry/failure.png``)."""

    run_id: str
    name: str
    size: int
    created_at: AwareDatetime
    host: str | None = None


class LeftOut(BaseModel):
    """A file over the run's cap: not in the database, kept where the run left it."""

    name: str
    size: int
    host: str = ""
    directory: str = ""


class StoredArtifacts(BaseModel):
    """What ``store_artifacts`` did with one run's folder."""

    run_id: str
    stored: list[str] = Field(default_factory=list)
    left_out: list[LeftOut] = Field(default_factory=list, description="over the run's size cap: not in the database")
    bytes: int = 0


def run_files(directory: Path) -> list[tuple[str, Path]]:
    """Every file under a run's folder as (name relative to it, path), smallest first (then by name)."""
    if not directory.is_dir():
        return []
    found = []
    for path in directory.rglob("*"):
        name = path.relative_to(directory).as_posix()
        if path.is_file() and name != LEFT_OUT and not name.endswith(".part"):
            found.append((path.stat().st_size, name, path))
    return [(name, path) for _, name, path in sorted(found)]


def left_out_note(run_id: str, left_out: list[LeftOut], cap: int) -> str:
    """The note stored in place of what did not fit: what, how big, and where the original stayed."""
    lines = [
        f"Not stored in the campaign's database (run {run_id} may store {cap / 1e6:.0f} MB of artifacts);",
        "each stayed on the machine and in the folder named here:",
        *(f"- {i.name}: {i.size} bytes, on {i.host} in {i.directory}" for i in left_out),
    ]
    return "\n".join(lines) + "\n"


_ENTRY = re.compile(r"^- (?P<name>.+): (?P<size>\d+) bytes, on (?P<host>.*) in (?P<directory>.*)$")


def read_left_out(note: str) -> list[LeftOut]:
    """The entries of a stored note, so a later store of the same run (a timed step's files, another
    worker's) keeps naming what an earlier one left out."""
    return [LeftOut.model_validate(m.groupdict()) for line in note.splitlines() if (m := _ENTRY.match(line))]


def safe_name(name: str) -> PurePosixPath:
    """A stored name as a path that stays inside the run's folder (a name is data from the database)."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"artifact name {name!r} would leave the run's folder")
    return path
