"""What the snapshot stage stored for each email, as the report links it: it reads files, never mail.

The report stage never parses MIME: ``snapshots/<sha256>.html`` (the sanitised
preview) and ``snapshots/<sha256>-<width>.png`` were written by
``auditor.campaign.snapshots`` when the campaign was analysed; an email without
them is shown as such, with the command that renders them.
"""

from pathlib import Path

from pydantic import BaseModel

from auditor.models.results import CampaignResults

DESKTOP, PHONE = 600, 375


class Picture(BaseModel):
    """Relative links from a report page to one email's stored files; None where a file is absent."""

    preview: str | None = None
    desktop: str | None = None
    phone: str | None = None


def _link(folder: Path, name: str) -> str | None:
    return f"snapshots/{name}" if (folder / "snapshots" / name).exists() else None


def stored_pictures(folder: Path, results: CampaignResults) -> dict[str, Picture]:
    folder = Path(folder)
    shas = {m.sha256 for s in results.stores for r in s.runs for m in r.messages}
    return {
        sha: Picture(
            preview=_link(folder, f"{sha}.html"),
            desktop=_link(folder, f"{sha}-{DESKTOP}.png"),
            phone=_link(folder, f"{sha}-{PHONE}.png"),
        )
        for sha in sorted(shas)
    }
