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
        from auditor.report import write_reports
        from auditor.report.files import ResultsError, read_results

        try:
            results = read_results(folder)  # missing, truncated or not results: one line, before any work
        except ResultsError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
        index = write_reports(folder, results)
        typer.echo(f"report: {index}")
