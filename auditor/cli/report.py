"""``auditor report``: render a scored campaign folder again, from its results.json."""

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def report(
        folder: Path = typer.Argument(..., help="A scored campaign folder (holds results.json)."),
    ) -> None:
        """Re-render index.html, store pages and findings.csv from results.json, without re-scoring.

        Use `auditor rescore` to recompute findings with another rubric.

        Example: auditor report reports/demo
        """
        from auditor.models.results import CampaignResults
        from auditor.report import write_reports

        source = folder / "results.json"
        if not source.exists():
            raise typer.BadParameter(f"{folder} has no results.json; score it first with auditor rescore")
        index = write_reports(folder, CampaignResults.model_validate_json(source.read_text(encoding="utf-8")))
        typer.echo(f"report: {index}")
