"""``auditor report``: render a scored campaign folder again, from its results.json."""

import asyncio
from pathlib import Path

import typer

from auditor.cli.common import BrowserEndpoint, BrowserPath


def register(app: typer.Typer) -> None:
    @app.command()
    def report(
        folders: list[Path] = typer.Argument(
            ..., help="A scored campaign folder (holds results.json); several with --history."
        ),
        history: bool = typer.Option(False, "--history", help="Draw each store's scores over the folders' campaigns."),
        pdf: bool = typer.Option(False, "--pdf", help="Also print the report to scorecard.pdf (A4) in the folder."),
        pictures: bool = typer.Option(True, "--pictures/--no-pictures", help="Render emails not yet pictured."),
        browser: str | None = BrowserPath,
        browser_endpoint: str | None = BrowserEndpoint,
    ) -> None:
        """Re-render index.html, store pages and findings.csv from results.json, without re-scoring.

        Emails without a stored picture are rendered first (once; see docs/reports.md).
        Use `auditor rescore` to recompute findings with another rubric.

        Example: auditor report reports/demo --pdf

        Example: auditor report --history reports/2026-11 reports/2026-12
        """
        from auditor.campaign.snapshots import snapshot_stage
        from auditor.report import write_reports
        from auditor.report.files import ResultsError, read_results
        from auditor.report.history import HistoryError, write_history
        from auditor.report.pdf import print_pdf
        from auditor.shopper.browser import BrowserNotFound, BrowserOptions

        if len(folders) > 1 and not history:
            raise typer.BadParameter("give one folder, or several with --history", param_hint="FOLDERS")
        for folder in folders:
            try:
                read_results(folder)  # missing, truncated or not results: one line, before any work
            except ResultsError as exc:
                typer.echo(f"error: {exc}", err=True)
                raise typer.Exit(2) from None
        options = BrowserOptions(executable=browser, endpoint=browser_endpoint)
        folder = folders[0]
        if history:
            try:
                pages = write_history(folders)
            except HistoryError as exc:
                raise typer.BadParameter(str(exc), param_hint="FOLDERS") from exc
            typer.echo(f"history: {pages[0]}")
            folder = pages[0].parent  # the newest campaign's folder: its store pages link to their history
        if pictures and (folder / "mail").is_dir():
            asyncio.run(snapshot_stage(folder, options, progress=lambda line: typer.echo(line, err=True)))
        results = read_results(folder)
        index = write_reports(folder, results)
        typer.echo(f"report: {index}")
        if pdf:
            try:
                typer.echo(f"pdf: {asyncio.run(print_pdf(folder, results, options))}")
            except BrowserNotFound as exc:
                typer.echo(f"no PDF: {exc}", err=True)
                raise typer.Exit(1) from exc
