"""``auditor demo``: the whole product in one command, on the bundled demo stores."""

import asyncio
from pathlib import Path

import typer

from auditor.cli.common import (
    BrowserEndpoint,
    BrowserPath,
    Headed,
    progress_printer,
    report_paths,
    scores_table,
)


def register(app: typer.Typer) -> None:
    @app.command()
    def demo(
        out: Path = typer.Option(Path("reports/demo"), "--out", help="Campaign folder to (re)create."),
        browser: str | None = BrowserPath,
        browser_endpoint: str | None = BrowserEndpoint,
        headed: bool = Headed,
    ) -> None:
        """Audit the three bundled demo stores (exemplary, chatty, bare) and write the report.

        Starts the demo stores on 127.0.0.1, an SMTP sink for their mail and a
        browser; buys, asks a question, watches the mail, scores and reports.

        Example: auditor demo --out reports/demo
        """
        from auditor.campaign.orchestrate import CampaignOptions
        from auditor.demo.run import run_demo
        from auditor.report.pdf import print_pdf
        from auditor.shopper.browser import BrowserOptions

        options = CampaignOptions(
            browser=BrowserOptions(executable=browser, endpoint=browser_endpoint, headless=not headed)
        )
        results = asyncio.run(run_demo(out, options, progress_printer()))
        typer.echo(scores_table(results))
        typer.echo(report_paths(out))
        typer.echo(f"pdf: {asyncio.run(print_pdf(out, results, options.browser))}")
