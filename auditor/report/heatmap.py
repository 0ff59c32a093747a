"""The comparison as a heatmap: stores × criteria, each cell a score coloured by band, sortable without script.

A store's score on a criterion is the mean of its counted runs' finding scores
(runs without a score, and runs the store card excluded, do not count), so a
cell agrees with the store's category scores. A criterion that applied in none
of the store's runs is "n/a", never 0. Sorting is pre-rendered: one ordering
per column, shown with CSS ``:target`` when its header link is followed, the
total's ordering when none is; nothing runs in the reader's browser.
"""

from pydantic import BaseModel

from auditor.models.results import CampaignResults, StoreResult
from auditor.report.svg import BAND_COLOURS, BAND_FILLS, band_class, esc, num, svg


class Criterion(BaseModel):
    id: str
    title: str
    category: str


class Cell(BaseModel):
    score: float | None = None  # 0-100; None: not applicable (or no counted run)
    applicable: bool = True
    note: str = ""
    link: str = ""


class Row(BaseModel):
    store: StoreResult
    cells: dict[str, Cell]


class Ordering(BaseModel):
    key: str  # "total", "name", "cat-<id>" or "crit-<id>"
    label: str
    rows: list[Row]


class Heatmap(BaseModel):
    criteria: list[Criterion]
    categories: list[tuple[str, str, int]]  # (id, title, how many criteria), in column order
    orderings: list[Ordering]


def _counted(store: StoreResult) -> list:
    return [r for r in store.runs if r.scorecard.unscored is None and r.run.id not in store.scorecard.excluded]


def _criteria(results: CampaignResults) -> list[Criterion]:
    seen: dict[str, Criterion] = {}
    for store in results.stores:
        for run in store.runs:
            for f in run.findings:
                seen.setdefault(f.criterion, Criterion(id=f.criterion, title=f.title, category=f.category))
    order = {c.id: i for i, c in enumerate(results.categories)}
    return sorted(seen.values(), key=lambda c: order.get(c.category, len(order)))  # stable: rubric order within


def _cell(store: StoreResult, criterion: str) -> Cell:
    runs = _counted(store)
    if not runs:
        return Cell(applicable=True, note="no run counts toward a score")
    scores, notes, link = [], [], ""
    for run in runs:
        finding = next((f for f in run.findings if f.criterion == criterion), None)
        if finding is None:
            continue
        link = link or f"store-{store.id}.html#finding-{run.run.id}-{criterion}"
        notes.append(finding.value)
        if finding.score is not None:
            scores.append(finding.score)
    if not scores:
        return Cell(applicable=False, note="; ".join(notes) or "not applicable", link=link)
    return Cell(score=100 * sum(scores) / len(scores), note="; ".join(notes), link=link)


def _sorted(rows: list[Row], value) -> list[Row]:  # noqa: ANN001 - a key function over rows
    """Highest first; cells without a score last, then by store name."""
    return sorted(rows, key=lambda r: (value(r) is None, -(value(r) or 0), r.store.name.lower()))


def build_heatmap(results: CampaignResults) -> Heatmap:
    criteria = _criteria(results)
    rows = [Row(store=s, cells={c.id: _cell(s, c.id) for c in criteria}) for s in results.stores]
    categories: list[tuple[str, str, int]] = []
    titles = {c.id: c.title for c in results.categories}
    for c in criteria:
        if categories and categories[-1][0] == c.category:
            categories[-1] = (c.category, categories[-1][1], categories[-1][2] + 1)
        else:
            categories.append((c.category, titles.get(c.category, c.category), 1))
    orderings = [
        Ordering(key="total", label="total", rows=_sorted(rows, lambda r: r.store.scorecard.total)),
        Ordering(key="name", label="store name", rows=sorted(rows, key=lambda r: r.store.name.lower())),
    ]
    for cat_id, title, _ in categories:
        orderings.append(
            Ordering(
                key=f"cat-{cat_id}",
                label=title,
                rows=_sorted(rows, lambda r, k=cat_id: r.store.scorecard.categories.get(k)),
            )
        )
    for c in criteria:
        orderings.append(
            Ordering(key=f"crit-{c.id}", label=c.title, rows=_sorted(rows, lambda r, k=c.id: r.cells[k].score))
        )
    return Heatmap(criteria=criteria, categories=categories, orderings=orderings)


def category_bars(store: StoreResult, results: CampaignResults) -> str:
    """A store's category scores as horizontal bars, coloured by band; the number is written beside each."""
    rows = results.categories
    label_w, bar_w, row_h = 150.0, 240.0, 20.0
    parts = ["<style>.t{font:12px system-ui,sans-serif;fill:#1d1d1f}</style>"]
    for i, category in enumerate(rows):
        score = store.scorecard.categories.get(category.id)
        y = i * row_h + 4
        band = band_class(score)
        width = bar_w * (score or 0) / 100
        parts.append(
            f'<g class="bar" data-category="{esc(category.id)}"><title>{esc(category.title)}: '
            f"{'n/a' if score is None else round(score)}</title>"
            f'<text x="{num(label_w - 6)}" y="{num(y + 12)}" text-anchor="end" class="t">{esc(category.title)}</text>'
            f'<rect x="{num(label_w)}" y="{num(y + 2)}" width="{num(bar_w)}" height="{num(row_h - 6)}" '
            f'fill="{BAND_FILLS["none"]}"/>'
            f'<rect x="{num(label_w)}" y="{num(y + 2)}" width="{num(width)}" height="{num(row_h - 6)}" '
            f'fill="{BAND_COLOURS[band]}"/>'
            f'<text x="{num(label_w + bar_w + 6)}" y="{num(y + 12)}" class="t">'
            f"{'n/a' if score is None else round(score)}</text></g>"
        )
    height = len(rows) * row_h + 8
    values = [store.scorecard.categories.get(c.id) for c in rows]
    said = ", ".join(f"{c.title} {'n/a' if v is None else round(v)}" for c, v in zip(rows, values, strict=True))
    return svg(label_w + bar_w + 40, height, "".join(parts), label=f"{store.name}: {said}", css_class="bars")
