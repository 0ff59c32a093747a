"""``auditor run`` (one run) and ``auditor campaign`` (a grid of runs, resumable).

``auditor run`` exits like ``auditor check``: 0 the run was done and scored (and met
``--min-score`` and the rubric's gate, when a minimum is given), 1 it scored below that,
2 the run could not be done (it failed, was dry or was interrupted: no score).
"""

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from auditor.cli.common import (
    AllowPurchase,
    BrowserEndpoint,
    BrowserPath,
    DryRun,
    Headed,
    MaxSpend,
    PersonaFile,
    ScenarioFile,
    Snapshots,
    StoreFile,
    fail_config,
    progress_printer,
    report_paths,
    scores_table,
)
from auditor.yamlfile import ConfigError

if TYPE_CHECKING:
    from auditor.campaign.orchestrate import CampaignOptions
    from auditor.campaign.plan import Campaign
    from auditor.models.results import CampaignResults


def parse_mailbox(spec: str) -> dict:
    """``smtp://HOST:PORT`` (the embedded SMTP sink the store sends to; port 0 picks one),
    or a mailbox YAML file (``kind: imap`` with host, username, password_env...)."""
    scheme, _, rest = spec.partition("://")
    if not rest:
        from auditor.yamlfile import read_yaml

        data, _ = read_yaml(Path(spec))
        return data if isinstance(data, dict) else {}
    if scheme != "smtp":
        raise typer.BadParameter(f"{spec!r}: expected smtp://HOST:PORT or a mailbox YAML file", param_hint="--mailbox")
    host, _, port = rest.rpartition(":")
    if not port.isdigit():
        raise typer.BadParameter(f"{spec!r}: the port must be a number", param_hint="--mailbox")
    return {"kind": "smtp_sink", "host": host or "127.0.0.1", "port": int(port)}


def register(app: typer.Typer) -> None:
    @app.command("run")
    def run_one(
        scenario: Path = ScenarioFile,
        store: Path = StoreFile,
        persona: Path = PersonaFile,
        mailbox: str = typer.Option(
            "smtp://127.0.0.1:2525",
            "--mailbox",
            help="smtp://HOST:PORT for the embedded sink, or a mailbox YAML (IMAP).",
        ),
        rubric: str = typer.Option("default", "--rubric", help="Rubric name or YAML path."),
        min_score: float = typer.Option(
            None, "--min-score", min=0, max=100, help="Exit 1 below this total (or when the rubric's gate fails)."
        ),
        out: Path = typer.Option(None, "--out", help="Campaign folder (default reports/run-<store>)."),
        allow_purchase: bool = AllowPurchase,
        max_spend: str = MaxSpend,
        dry_run: bool = DryRun,
        browser: str | None = BrowserPath,
        browser_endpoint: str | None = BrowserEndpoint,
        headed: bool = Headed,
        snapshots: bool = Snapshots,
    ) -> None:
        """Run one scenario once against one store and print its scorecard: exit 0 scored, 1 below
        --min-score, 2 the run could not be done (failed, dry or interrupted: no score).

        Example: auditor run scenarios/oscar-guest-checkout.yaml --store scenarios/stores/oscar.yaml
        --persona scenarios/personas/guest-pl.yaml --mailbox smtp://127.0.0.1:2525
        """
        from auditor.campaign.single import single_run_campaign

        try:
            campaign = single_run_campaign(scenario, store, persona, parse_mailbox(mailbox), rubric)
        except ConfigError as error:
            fail_config(error)
        out = out or Path("reports") / f"run-{campaign.stores[0].id}"
        options = campaign_options(browser, browser_endpoint, headed, allow_purchase, max_spend, dry_run, snapshots)
        options = options.model_copy(update={"observe_window": False, "watch_inline": float("inf")})  # as a check
        results = _execute(out, campaign, options, rubric)
        typer.echo(scores_table(results))
        if lines := no_score_lines(results):
            typer.echo(lines)
        typer.echo(report_paths(out))
        raise typer.Exit(run_exit_code(results, rubric, min_score))

    @app.command("campaign")
    def campaign_cmd(
        file: Path = typer.Argument(..., help="Campaign YAML (stores × scenarios × personas)."),
        out: Path = typer.Option(None, "--out", help="Campaign folder (default reports/<campaign id>)."),
        rubric: str = typer.Option(None, "--rubric", help="Override the campaign's rubric."),
        allow_purchase: bool = AllowPurchase,
        max_spend: str = MaxSpend,
        dry_run: bool = DryRun,
        browser: str | None = BrowserPath,
        browser_endpoint: str | None = BrowserEndpoint,
        headed: bool = Headed,
        snapshots: bool = Snapshots,
        db: str = typer.Option(
            None, "--db", help="Keep the campaign in a team's PostgreSQL (postgresql://…) instead of the folder."
        ),
        enqueue: bool = typer.Option(False, "--enqueue", help="With --db: only queue the runs for `auditor worker`."),
    ) -> None:
        """Run (or resume) a campaign; run it again with the same --out to resume after a stop.

        With --db (or `db:` in the campaign file) the campaign lives in PostgreSQL and its runs go
        through a queue any number of `auditor worker` processes take from (docs/team.md).

        Example: auditor campaign campaigns/electronics.yaml --out reports/electronics

        Example: auditor campaign campaigns/electronics.yaml --db postgresql://auditor@db/shops --enqueue
        """
        from auditor.campaign.plan import load_campaign

        try:
            campaign = load_campaign(file)
        except ConfigError as error:
            fail_config(error)
        out = out or Path("reports") / campaign.spec.id
        options = campaign_options(browser, browser_endpoint, headed, allow_purchase, max_spend, dry_run, snapshots)
        db = db or campaign.spec.db
        if db or enqueue:
            from auditor.cli.worker import team_campaign

            results = team_campaign(db, enqueue, out, campaign, options, rubric)
            if results is None:
                return
        else:
            results = _execute(out, campaign, options, rubric)
        typer.echo(scores_table(results))
        if lines := no_score_lines(results):
            typer.echo(lines)
        typer.echo(report_paths(out))


def _execute(out: Path, campaign: "Campaign", options: "CampaignOptions", rubric: str | None) -> "CampaignResults":
    """Run the campaign; a mailbox that cannot be used (checked before any run) is one line and exit 2."""
    from auditor.campaign.execute import execute_campaign
    from auditor.mail.errors import MailboxUnavailable

    try:
        return asyncio.run(execute_campaign(out, campaign, options, progress_printer(), rubric=rubric))
    except MailboxUnavailable as error:
        typer.echo(f"error: {error}; nothing was bought", err=True)
        raise typer.Exit(2) from None


def no_score_lines(results: "CampaignResults") -> str:
    """Under the table: each store without a score and each run left out of one, with why (escaped for the
    terminal: a reason may quote the store's own error text or alert)."""
    from auditor.terminal import terminal_safe

    lines = []
    for store in results.stores:
        card = store.scorecard
        if card.unscored:
            lines.append(terminal_safe(f"{store.name}: no score: {card.unscored}"))
        elif card.excluded:
            lines += [
                terminal_safe(f"{store.name}: run {run} not counted: {why}") for run, why in card.excluded.items()
            ]
    pending = sum(len(r.scorecard.pending) for s in results.stores for r in s.runs)
    if pending:
        lines.append(f"{pending} finding(s) pending: their runs' observation windows are not over")
    return "\n".join(lines)


def run_exit_code(results: "CampaignResults", rubric: str, min_score: float | None) -> int:
    """0 done and scored, 1 scored below ``min_score`` or the rubric's gate, 2 could not be done."""
    from auditor.cli.check import EXIT_FAILED, EXIT_NOT_RUN, EXIT_PASSED
    from auditor.rubric import evaluate_gate, load_rubric
    from auditor.terminal import terminal_safe

    result = results.stores[0].runs[0]
    if result.scorecard.unscored or result.scorecard.total is None:
        return EXIT_NOT_RUN
    if min_score is None:
        return EXIT_PASSED
    gate = evaluate_gate(load_rubric(rubric), result.findings, result.scorecard, min_score)
    for failure in gate.failures:
        line = f"FAIL {failure.title}: {failure.reason}" + (f" — {failure.value}" if failure.value else "")
        typer.echo(terminal_safe(line))
    return EXIT_PASSED if gate.passed else EXIT_FAILED


def campaign_options(
    browser: str | None,
    endpoint: str | None,
    headed: bool,
    allow_purchase: bool,
    max_spend: str | None,
    dry_run: bool,
    snapshots: bool = True,
) -> "CampaignOptions":
    """CampaignOptions from the command line's browser and purchase-guard flags."""
    from auditor.campaign.orchestrate import CampaignOptions
    from auditor.models.money_text import parse_money
    from auditor.shopper.browser import BrowserOptions
    from auditor.shopper.runner import ShopperOptions

    cap = None
    if max_spend:
        cap = parse_money(max_spend)
        if cap is None:
            raise typer.BadParameter(f"{max_spend!r} is not an amount", param_hint="--max-spend")
    return CampaignOptions(
        browser=BrowserOptions(executable=browser, endpoint=endpoint, headless=not headed),
        shopper=ShopperOptions(allow_purchase=allow_purchase, max_spend=cap, dry_run=dry_run),
        snapshots=snapshots,
    )
