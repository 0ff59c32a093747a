"""Trends across campaigns: each store's total and categories over the campaigns' dates.

A store is the same store in two campaigns when it has the same store id. A
campaign's date is when its first run started (from its results.json, so a
copied folder keeps its date). The pages are written into the newest
campaign's folder, whose store pages then link to them; every folder stays
self-contained (no page links outside its own folder).
"""

from datetime import datetime
from pathlib import Path

from markupsafe import Markup
from pydantic import BaseModel, ValidationError

from auditor.models.results import CampaignResults
from auditor.report.files import ReportFiles
from auditor.report.svg import BAND_FILLS, esc, num, svg

CATEGORY_COLOURS = ("#1a73e8", "#0b8043", "#6a1b9a", "#ef6c00", "#00838f", "#ad1457", "#5d4037", "#3949ab")


class HistoryError(ValueError):
    """A folder given to --history cannot be read; the message says which and why."""


class Point(BaseModel):
    """One store in one campaign."""

    date: datetime
    campaign: str
    folder: str
    total: float | None
    categories: dict[str, float | None]
    unscored: str | None = None


class StoreHistory(BaseModel):
    id: str
    name: str
    points: list[Point]


class Campaign(BaseModel):
    folder: Path
    date: datetime
    results: CampaignResults


def history_page(store_id: str) -> str:
    return f"history-{store_id}.html"


def history_link(folder: Path) -> dict[str, str]:
    """store id -> its history page in this folder, for the stores that have one."""
    return {p.stem.removeprefix("history-"): p.name for p in Path(folder).glob("history-*.html")}


def campaign_date(results: CampaignResults) -> datetime | None:
    """When the campaign's first run started (else its first order click)."""
    started = [r.run.started_at for s in results.stores for r in s.runs if r.run.started_at]
    ordered = [r.anchors.ordered_at for s in results.stores for r in s.runs if r.anchors and r.anchors.ordered_at]
    return min(started or ordered, default=None)


def load_campaigns(folders: list[Path]) -> list[Campaign]:
    """Each folder's results.json with its date, oldest first; a clear error for a folder that has none."""
    campaigns = []
    for folder in folders:
        source = Path(folder) / "results.json"
        if not source.exists():
            raise HistoryError(f"{folder} has no results.json; score it first with auditor rescore")
        try:
            results = CampaignResults.model_validate_json(source.read_text(encoding="utf-8"))
        except (ValidationError, UnicodeDecodeError) as exc:
            raise HistoryError(
                f"{source} is not a results.json this version reads: {str(exc).splitlines()[0]}"
            ) from exc
        date = campaign_date(results)
        if date is None:
            raise HistoryError(f"{source} has no run with a start time, so the campaign has no date")
        campaigns.append(Campaign(folder=Path(folder), date=date, results=results))
    return sorted(campaigns, key=lambda c: c.date)


def build_histories(campaigns: list[Campaign]) -> list[StoreHistory]:
    """One history per store id that appears in any campaign, its points by date."""
    stores: dict[str, StoreHistory] = {}
    for c in campaigns:
        for store in c.results.stores:
            history = stores.setdefault(store.id, StoreHistory(id=store.id, name=store.name, points=[]))
            history.name = store.name  # the newest name wins
            history.points.append(
                Point(
                    date=c.date,
                    campaign=c.results.campaign,
                    folder=c.folder.name,
                    total=store.scorecard.total,
                    categories=dict(store.scorecard.categories),
                    unscored=store.scorecard.unscored,
                )
            )
    return sorted(stores.values(), key=lambda h: h.name.lower())


def _end_labels(labels: list[tuple[float, str, str]], x: float, top: float, bottom: float) -> list[str]:
    """Each line's name and last value at its end, pushed apart so none covers another."""
    placed: list[str] = []
    last = top - 14.0
    for y, text, colour in sorted(labels):
        y = max(y + 4, last + 13)
        last = y
        placed.append(f'<text x="{num(x)}" y="{num(min(y, bottom + 40))}" class="t" fill="{colour}">{esc(text)}</text>')
    return placed


def trend_svg(history: StoreHistory, categories: list[tuple[str, str]]) -> Markup:
    """Total (thick, dark) and each category (thin, coloured) over the dates; bands shaded behind."""
    width, height, left, right, top, bottom = 720.0, 280.0, 40.0, 150.0, 12.0, 56.0
    plot_w, plot_h = width - left - right, height - top - bottom
    dates = [p.date.timestamp() for p in history.points]
    span = (max(dates) - min(dates)) or 1.0

    by_index = len(dates) > 1 and span < 3600  # campaigns within an hour: evenly spaced, not on one spot

    def x(i: int) -> float:
        if len(dates) == 1:
            return left + plot_w / 2
        if by_index:
            return left + i / (len(dates) - 1) * plot_w
        return left + (dates[i] - min(dates)) / span * plot_w

    def y(score: float) -> float:
        return top + (100 - score) / 100 * plot_h

    parts = ["<style>.t{font:11px system-ui,sans-serif;fill:#333}</style>"]
    for low, high, band in ((0, 50, "poor"), (50, 90, "needs-work"), (90, 100, "good")):
        parts.append(
            f'<rect x="{num(left)}" y="{num(y(high))}" width="{num(plot_w)}" height="{num(y(low) - y(high))}" '
            f'fill="{BAND_FILLS[band]}"/>'
        )
    for tick in (0, 50, 90, 100):
        parts.append(f'<text x="{num(left - 4)}" y="{num(y(tick) + 4)}" text-anchor="end" class="t">{tick}</text>')
    for i, p in enumerate(history.points):
        parts.append(
            f'<text x="{num(x(i))}" y="{num(height - bottom + 16)}" text-anchor="middle" class="t">'
            f"{p.date:%Y-%m-%d}</text>"
        )
    labels: list[tuple[float, str, str]] = []  # (y, text, colour) at each line's end
    series = [("total", "Total", "#1d1d1f", 3.0)]
    series += [
        (cid, title, CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)], 1.6) for i, (cid, title) in enumerate(categories)
    ]
    for key, title, colour, stroke in series:
        values = [(i, p.total if key == "total" else p.categories.get(key)) for i, p in enumerate(history.points)]
        known = [(i, v) for i, v in values if v is not None]
        if not known:
            continue
        path = " ".join(f"{'M' if n == 0 else 'L'}{num(x(i))} {num(y(v))}" for n, (i, v) in enumerate(known))
        dots = "".join(
            f'<circle cx="{num(x(i))}" cy="{num(y(v))}" r="{num(stroke + 1.5)}" fill="{colour}">'
            f"<title>{esc(title)} {round(v)} on {history.points[i].date:%Y-%m-%d} "
            f"({esc(history.points[i].campaign)})</title></circle>"
            for i, v in known
        )
        parts.append(
            f'<g class="series" data-series="{esc(key)}"><path d="{path}" fill="none" stroke="{colour}" '
            f'stroke-width="{num(stroke)}"/>{dots}</g>'
        )
        labels.append((y(known[-1][1]), f"{title} {round(known[-1][1])}", colour))
    parts.extend(_end_labels(labels, width - right + 8, top, height - bottom))
    said = "; ".join(f"{p.date:%Y-%m-%d} {'no score' if p.total is None else round(p.total)}" for p in history.points)
    return svg(width, height, "".join(parts), label=f"{history.name}: total over campaigns: {said}", css_class="trend")


def write_history(folders: list[Path]) -> list[Path]:
    """``history.html`` and one ``history-<store>.html`` per store into the newest campaign's folder
    (first in the list returned); render that folder's report after it so store pages link to them."""
    from auditor.report.write import _environment

    campaigns = load_campaigns(folders)
    newest = campaigns[-1]
    out = newest.folder
    histories = build_histories(campaigns)
    categories = [(c.id, c.title) for c in newest.results.categories]
    env = _environment()
    env.globals.update(trend_svg=trend_svg, page=history_page)
    store_ids = {s.id for s in newest.results.stores}
    with ReportFiles(out) as files:  # all pages in place together, as write_reports does
        for h in histories:
            html = env.get_template("history.html.j2").render(
                results=newest.results, history=h, categories=categories, has_store_page=h.id in store_ids
            )
            files.add(history_page(h.id), html)
        overview = env.get_template("history-all.html.j2").render(
            results=newest.results, histories=histories, campaigns=campaigns, categories=categories
        )
        files.add("history.html", overview)
    return [out / "history.html", *(out / history_page(h.id) for h in histories)]
