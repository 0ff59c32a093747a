"""Write every report of a scored campaign into its folder.

``results.json`` is written with sorted keys and no wall-clock stamps, so the
same folder and rubric always give the same bytes (CI diffs it, rescoring
proves it). HTML pages are rendered from the same ``CampaignResults``.
"""

import csv
import io
import json
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from auditor.models import band_for
from auditor.models.results import CampaignResults
from auditor.report import visuals
from auditor.report.files import ReportFiles


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("auditor.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["band"] = lambda score: (band_for(score) or "none").replace("_", "-") if score is not None else "none"
    env.filters["score"] = lambda score: "–" if score is None else f"{round(score)}"
    visuals.install(env)  # timelines, heatmap, bars: SVG built here, no script in the page
    return env


def results_json(results: CampaignResults) -> str:
    data = results.model_dump(mode="json", by_alias=True)
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


FINDING_COLUMNS = ("store", "run", "criterion", "category", "weight", "score", "status", "value")
FINDING_COLUMNS += ("found_by", "no_score")  # added later: columns are only ever appended


def findings_csv(results: CampaignResults) -> str:
    """One row per finding, for spreadsheets and quick diffs between campaigns; ``no_score`` says why
    the finding's run has no total (failed, dry, interrupted), so a row is never read as a scored one."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FINDING_COLUMNS)
    for store in results.stores:
        for run in store.runs:
            for f in run.findings:
                score = "" if f.score is None else f"{f.score:.3f}"
                how = "; ".join(way.value for way in f.found_by)  # read from the email / matched to the journal
                row = [store.id, run.run.id, f.criterion, f.category, f.weight, score, f.status.value, f.value, how]
                writer.writerow([*row, run.scorecard.unscored or ""])  # why the run has no total, if it has none
    return out.getvalue()


def write_reports(folder: Path, results: CampaignResults) -> Path:
    """Write ``results.json``, ``findings.csv``, ``index.html`` and one ``store-<id>.html`` per store.

    All or none: an interruption leaves the previous report whole. Returns the path of index.html.
    """
    folder = Path(folder)
    env = _environment()
    index = folder / "index.html"
    stored = visuals.page_context(folder, results)  # pictures the snapshot stage stored; history pages
    # every file goes in place only once all are written, results.json last (see auditor.report.files)
    with ReportFiles(folder) as files:
        files.add("findings.csv", findings_csv(results))
        files.add("index.html", env.get_template("index.html.j2").render(results=results, **stored))
        store_page = env.get_template("store.html.j2")
        for store in results.stores:
            files.add(f"store-{store.id}.html", store_page.render(results=results, store=store, **stored))
        files.add("results.json", results_json(results))
    return index
