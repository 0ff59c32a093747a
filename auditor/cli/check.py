"""``auditor check``: one run against a (staging) store, gated by a rubric, for CI.

Exit codes: 0 every error-level criterion and every ``must`` holds and the
total meets ``--min-score``; 1 they do not; 2 the run itself could not be done
(bad file, store down, a selector missing) — a broken pipeline, not a verdict.
"""

import asyncio
from pathlib import Path

import typer

from auditor.cli.common import (
    BrowserEndpoint,
    BrowserPath,
    Headed,
    PersonaFile,
    ScenarioFile,
    StoreFile,
    fail_config,
    progress_printer,
)
from auditor.yamlfile import ConfigError

EXIT_PASSED, EXIT_FAILED, EXIT_NOT_RUN = 0, 1, 2


def register(app: typer.Typer) -> None:
    @app.command()
    def check(
        scenario: Path = ScenarioFile,
        store: Path = StoreFile,
        persona: Path = PersonaFile,
        rubric: str = typer.Option("ci-strict", "--rubric", help="Rubric name or YAML path."),
        mailbox: str = typer.Option(
            "smtp://127.0.0.1:2525",
            "--mailbox",
            help="smtp://HOST:PORT for the embedded sink, or a mailbox YAML (IMAP).",
        ),
        min_score: float = typer.Option(None, "--min-score", min=0, max=100, help="Fail below this total."),
        junit: Path = typer.Option(None, "--junit", help="Write JUnit XML here (one testcase per criterion)."),
        markdown: Path = typer.Option(None, "--markdown", help="Write a Markdown summary here."),
        out: Path = typer.Option(None, "--out", help="Campaign folder (default reports/check-<store>), recreated."),
        browser: str | None = BrowserPath,
        browser_endpoint: str | None = BrowserEndpoint,
        headed: bool = Headed,
    ) -> None:
        """Gate a store's post-purchase emails in CI: exit 0 pass, 1 fail, 2 could not run.

        Example: auditor check scenarios/oscar-guest-checkout.yaml --store scenarios/stores/oscar.yaml
        --persona scenarios/personas/guest-pl.yaml --rubric ci-strict --junit audit.xml
        --markdown "$GITHUB_STEP_SUMMARY"
        """
        from auditor.campaign.execute import execute_campaign
        from auditor.campaign.folder import reset_folder
        from auditor.campaign.single import single_run_campaign
        from auditor.cli.run import campaign_options, parse_mailbox
        from auditor.report.junit import junit_xml
        from auditor.report.markdown import markdown_summary
        from auditor.rubric import evaluate_gate, load_rubric

        try:
            loaded_rubric = load_rubric(rubric)
            campaign = single_run_campaign(scenario, store, persona, parse_mailbox(mailbox), rubric)
        except ConfigError as error:
            fail_config(error)
        out = out or Path("reports") / f"check-{campaign.stores[0].id}"
        reset_folder(out)
        options = campaign_options(browser, browser_endpoint, headed, False, None, False)
        try:
            results = asyncio.run(execute_campaign(out, campaign, options, progress_printer(), rubric=rubric))
        except OSError as error:  # the mailbox port is taken, the folder is not writable...
            typer.echo(f"check: could not run: {error}", err=True)
            raise typer.Exit(EXIT_NOT_RUN) from None
        result = results.stores[0].runs[0]
        if result.run.status.value != "done":
            typer.echo(f"check: the run could not be done: {result.run.error}", err=True)
            typer.echo(f"check: artifacts in {out / 'runs' / result.run.id}", err=True)
            raise typer.Exit(EXIT_NOT_RUN)
        gate = evaluate_gate(loaded_rubric, result.findings, result.scorecard, min_score)
        if junit:
            junit.write_text(junit_xml(loaded_rubric, result.findings, result.scorecard, gate), encoding="utf-8")
        if markdown:
            summary = markdown_summary(
                loaded_rubric, result.findings, result.scorecard, gate, title=results.stores[0].name
            )
            with markdown.open("a", encoding="utf-8") as fh:  # GITHUB_STEP_SUMMARY is appended to
                fh.write(summary)
        total = "n/a" if result.scorecard.total is None else f"{result.scorecard.total:.0f}"
        typer.echo(f"{results.stores[0].name}: total {total} with rubric {loaded_rubric.id}")
        for failure in gate.failures:
            typer.echo(f"FAIL {failure.title}: {failure.reason}" + (f" — {failure.value}" if failure.value else ""))
        typer.echo("PASSED" if gate.passed else "FAILED")
        typer.echo(f"report: {out / 'index.html'}")
        raise typer.Exit(EXIT_PASSED if gate.passed else EXIT_FAILED)
