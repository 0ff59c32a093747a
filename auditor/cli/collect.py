"""``auditor collect`` (one pass, for cron) and ``auditor watch`` (long-running) on a campaign folder."""

import asyncio
from collections.abc import Coroutine
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from auditor.cli.common import Snapshots, fail_config, progress_printer, report_paths, scores_table
from auditor.yamlfile import ConfigError

if TYPE_CHECKING:
    from auditor.campaign.collect import CollectOptions
    from auditor.models.results import CampaignResults


def _options(rubric: str | None, browser: str | None, snapshots: bool) -> "CollectOptions":
    from auditor.campaign.collect import CollectOptions
    from auditor.shopper.browser import BrowserOptions

    return CollectOptions(
        rubric=rubric, snapshots=snapshots, browser=BrowserOptions(executable=Path(browser) if browser else None)
    )


def _folder(folder: Path) -> Path:
    if not (folder / "campaign.db").exists():
        raise typer.BadParameter(f"{folder} has no campaign.db (make it with `auditor campaign`)", param_hint="FOLDER")
    return folder


def _finish(folder: Path, results: "CampaignResults") -> None:
    from auditor.cli.run import no_score_lines

    typer.echo(scores_table(results))
    if lines := no_score_lines(results):  # with the count of pending findings
        typer.echo(lines)
    typer.echo(report_paths(folder))


def _run(coro: Coroutine[Any, Any, "CampaignResults"]) -> "CampaignResults":
    from auditor.mail.errors import MailboxUnavailable
    from auditor.mail.imap import ImapError

    try:
        return asyncio.run(coro)
    except (MailboxUnavailable, ImapError, ValueError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        typer.echo("stopped; run it again to go on", err=True)
        raise typer.Exit(130) from None


def register(app: typer.Typer) -> None:
    @app.command()
    def collect(
        folder: Path = typer.Argument(..., help="A campaign folder (holds campaign.db)."),
        rubric: str = typer.Option(None, "--rubric", help="Rubric name or YAML path (default: the campaign's)."),
        browser: str | None = typer.Option(None, "--browser", help="Chromium binary for timed steps."),
        snapshots: bool = Snapshots,
    ) -> None:
        """One collecting pass, safe to repeat (cron): sync the IMAP mailbox (mail that arrived while nothing
        ran counts with its arrival time), index what a sink stored, run the timed steps that are due (each
        exactly once), close the windows that are over, re-score and re-render the reports.

        Example (crontab, every 15 minutes): */15 * * * * auditor collect reports/electronics
        """
        from auditor.campaign.collect import collect_campaign

        try:
            options = _options(rubric, browser, snapshots)
            results = _run(collect_campaign(_folder(folder), options, progress_printer()))
        except ConfigError as error:
            fail_config(error)
        _finish(folder, results)

    @app.command()
    def watch(
        folder: Path = typer.Argument(..., help="A campaign folder (holds campaign.db)."),
        rubric: str = typer.Option(None, "--rubric", help="Rubric name or YAML path (default: the campaign's)."),
        browser: str | None = typer.Option(None, "--browser", help="Chromium binary for timed steps."),
        snapshots: bool = Snapshots,
        for_seconds: float = typer.Option(
            None, "--for", min=0, help="Stop after this many seconds (default: when every window is over)."
        ),
    ) -> None:
        """Keep collecting until every run's observation window is over: the mailbox listens (IMAP IDLE,
        or the SMTP sink the stores send to), timed steps run on time, reports are re-rendered as mail
        arrives. Stop it any time (Ctrl-C); `auditor collect` or `auditor watch` go on from the folder.

        Example: auditor watch reports/electronics --for 3600
        """
        from auditor.campaign.collect import watch_campaign

        until = datetime.now(UTC) + timedelta(seconds=for_seconds) if for_seconds is not None else None
        try:
            options = _options(rubric, browser, snapshots)
            progress = progress_printer()
            results = _run(watch_campaign(_folder(folder), options, progress, until=until))
        except ConfigError as error:
            fail_config(error)
        _finish(folder, results)
