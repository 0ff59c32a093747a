"""What several commands share: browser flags, progress lines, the scores table, error exits."""

import sys
import time
from collections.abc import Callable
from pathlib import Path

import typer

from auditor.models.results import CampaignResults
from auditor.terminal import terminal_safe
from auditor.yamlfile import ConfigError

BrowserPath = typer.Option(None, "--browser", envvar="AUDITOR_BROWSER", help="Path to a Chromium/Chrome executable.")
BrowserEndpoint = typer.Option(
    None,
    "--browser-endpoint",
    envvar="AUDITOR_BROWSER_ENDPOINT",
    help="ws:// endpoint of a remote Playwright browser.",
)
Headed = typer.Option(False, "--headed", help="Show the browser window.")
ScenarioFile = typer.Argument(..., help="Scenario YAML.")
StoreFile = typer.Option(..., "--store", help="Store profile YAML.")
PersonaFile = typer.Option(..., "--persona", help="Persona YAML.")
MailboxOption = typer.Option(
    "smtp://127.0.0.1:2525", "--mailbox", help="smtp://HOST:PORT for the embedded sink, or a mailbox YAML (IMAP)."
)
AllowPurchase = typer.Option(False, "--allow-purchase", help="Allow paying on real-money stores.")
MaxSpend = typer.Option(None, "--max-spend", help="Spending cap per order with --allow-purchase, e.g. '50 EUR'.")
DryRun = typer.Option(False, "--dry-run", help="Stop every run before placing an order.")
Snapshots = typer.Option(
    True, "--snapshots/--no-snapshots", help="Render each email as a picture for the report (else previews only)."
)


def progress_printer() -> Callable[[str], None]:
    """Progress lines with seconds since start, on stderr so stdout stays for results."""
    start = time.monotonic()

    def say(line: str) -> None:
        # progress quotes subjects from stores' mail: nothing in them may drive the terminal
        typer.echo(f"{time.monotonic() - start:6.1f}s  {terminal_safe(line)}", err=True)

    return say


def scores_table(results: CampaignResults) -> str:
    """A plain-text table of stores × categories + total, best first."""
    cats = [c.id for c in results.categories]
    head = ["store", *[c.title for c in results.categories], "total"]
    rows = [
        [s.name, *[_fmt(s.scorecard.categories.get(c)) for c in cats], _fmt(s.scorecard.total)] for s in results.stores
    ]
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    lines = ["  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)) for row in [head, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _fmt(score: float | None) -> str:
    return "n/a" if score is None else str(round(score))


def fail_config(error: ConfigError) -> None:
    """Print every problem of a bad file and exit 2 (the run could not be done)."""
    typer.echo(str(error), err=True)
    raise typer.Exit(2)


def report_paths(out: Path) -> str:
    return f"report: {out / 'index.html'}\nresults: {out / 'results.json'}"


def is_tty() -> bool:
    return sys.stderr.isatty()
