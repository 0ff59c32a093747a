"""The pictures' entry points for the templates: charts as template globals, stored files as page context."""

from pathlib import Path

from jinja2 import Environment

from auditor.models.results import CampaignResults
from auditor.report.heatmap import build_heatmap, category_bars
from auditor.report.history import history_link
from auditor.report.pictures import stored_pictures
from auditor.report.timeline import comparison_timeline, kinds_in, late_emails, run_timeline


def install(env: Environment) -> None:
    """Make the chart builders callable from any template (they return SVG markup)."""
    env.globals.update(
        run_timeline=run_timeline,
        comparison_timeline=comparison_timeline,
        build_heatmap=build_heatmap,
        category_bars=category_bars,
        kinds_in=kinds_in,
        late_emails=late_emails,
    )


def page_context(folder: Path, results: CampaignResults) -> dict:
    """What a page needs from the folder beside results.json: stored pictures and history pages."""
    return {"pictures": stored_pictures(folder, results), "history": history_link(folder)}
