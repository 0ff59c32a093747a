"""``auditor worker``: take a team campaign's runs from its queue on PostgreSQL (see docs/team.md)."""

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from auditor.cli.common import BrowserEndpoint, BrowserPath, Headed, progress_printer

if TYPE_CHECKING:
    from auditor.campaign.folder import CampaignFolder
    from auditor.campaign.orchestrate import CampaignOptions
    from auditor.campaign.plan import Campaign
    from auditor.models.results import CampaignResults

DbOption = typer.Option(
    ..., "--db", envvar="AUDITOR_DB", help="The team's campaign database, postgresql://USER@HOST:PORT/DB."
)


def register(app: typer.Typer) -> None:
    @app.command()
    def worker(
        db: str = DbOption,
        concurrency: int = typer.Option(1, "--concurrency", min=1, max=32, help="Runs at once in this process."),
        mailbox: bool = typer.Option(
            False, "--mailbox", help="Also host the campaign's mailbox here (one process per campaign)."
        ),
        once: bool = typer.Option(False, "--once", help="Stop when the queue is empty instead of waiting for more."),
        heartbeat: float = typer.Option(5.0, "--heartbeat", min=0.1, help="Seconds between this worker's heartbeats."),
        stalled_after: float = typer.Option(
            30.0, "--stalled-after", min=0.5, help="A worker silent this long is dead: its runs are taken up."
        ),
        browser: str | None = BrowserPath,
        browser_endpoint: str | None = BrowserEndpoint,
        headed: bool = Headed,
    ) -> None:
        """Take runs from a campaign enqueued with `auditor campaign … --db … --enqueue`, on any number of
        machines. A run is never taken twice; a worker that dies mid-run (even kill -9) has its run taken up
        by another from the journal, never buying twice.

        Example: auditor worker --db postgresql://auditor@db.example/shops --concurrency 4

        Example: auditor worker --db postgresql://auditor@db.example/shops --browser-endpoint ws://browsers:3000/
        """
        from auditor.campaign.worker import WorkerOptions, run_worker
        from auditor.shopper.browser import BrowserOptions

        if not _is_postgres(db):
            raise typer.BadParameter("workers share a PostgreSQL database: postgresql://…", param_hint="--db")
        if stalled_after <= heartbeat:
            raise typer.BadParameter("must be longer than --heartbeat", param_hint="--stalled-after")
        options = WorkerOptions(
            concurrency=concurrency, heartbeat=heartbeat, stalled_after=stalled_after, wait=not once, mailbox=mailbox
        )
        browser_options = BrowserOptions(executable=browser, endpoint=browser_endpoint, headless=not headed)
        try:
            asyncio.run(run_worker(db, options, browser_options, progress_printer()))
        except KeyboardInterrupt:
            raise typer.Exit(130) from None
        except Exception as error:
            _database_error(error)
            raise


def team_campaign(
    db: str | None, enqueue: bool, out: Path, campaign: "Campaign", options: "CampaignOptions", rubric: str | None
) -> "CampaignResults | None":
    """``auditor campaign --db``: enqueue only (``--enqueue``: None), or enqueue and work the queue here."""
    from auditor.campaign.worker import enqueue_campaign, run_team_campaign
    from auditor.mail.errors import MailboxUnavailable

    if not _is_postgres(db):
        raise typer.BadParameter("a team campaign lives in PostgreSQL: postgresql://…", param_hint="--db")
    assert db is not None
    progress = progress_printer()
    try:
        if enqueue:
            asyncio.run(enqueue_campaign(db, campaign, out, options.shopper, progress))
            typer.echo(f"enqueued; start workers with: auditor worker --db {_safe(db)} (one of them with --mailbox)")
            return None
        return asyncio.run(
            run_team_campaign(db, campaign, out, options.shopper, options.browser, progress, rubric=rubric)
        )
    except MailboxUnavailable as error:
        typer.echo(f"error: {error}; nothing was bought", err=True)
        raise typer.Exit(2) from None
    except Exception as error:
        _database_error(error)
        raise


def _is_postgres(db: str | None) -> bool:
    return bool(db) and str(db).startswith(("postgresql://", "postgres://", "postgresql+psycopg://"))


def _safe(url: str) -> str:
    """The URL without its password, for a printed line."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _database_error(error: Exception) -> None:
    """A database that cannot be reached, no campaign enqueued: one line and exit 2, never a traceback."""
    if type(error).__module__.startswith(("psycopg", "procrastinate", "sqlalchemy")) or isinstance(error, RuntimeError):
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None


def open_team_campaign(db: str, folder: Path) -> "CampaignFolder":
    """A team's campaign in PostgreSQL with ``folder`` as the local one; a bad URL or an unreachable
    database is one line and exit 2."""
    from auditor.campaign.db.store import CampaignDatabase

    if not _is_postgres(db):
        raise typer.BadParameter("a team campaign lives in PostgreSQL: postgresql://…", param_hint="--db")
    try:
        return CampaignDatabase(db, folder)
    except Exception as error:
        _database_error(error)
        raise
