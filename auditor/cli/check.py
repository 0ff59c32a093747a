"""``auditor check``: one run against a (staging) store, gated by a rubric, for CI.

Exit codes: 0 every error-level criterion and every ``must`` holds and the
total meets ``--min-score``; 1 they do not; 2 the run itself could not be done
(bad file, store down, a selector missing) — a broken pipeline, not a verdict.
The JUnit and Markdown files are written in every case: with exit 2 they hold
one ``<error>`` naming the step, the page and the artifacts, and no score.
"""

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from auditor.cli.common import (
    BrowserEndpoint,
    BrowserPath,
    Headed,
    PersonaFile,
    ScenarioFile,
    Snapshots,
    StoreFile,
    fail_config,
    progress_printer,
)
from auditor.models.results import RunProblem
from auditor.yamlfile import ConfigError

if TYPE_CHECKING:
    from auditor.models import Finding
    from auditor.models.results import RunResult
    from auditor.rubric import Rubric

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
        snapshots: bool = Snapshots,
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

        reports = CiReports(junit, markdown)
        try:
            loaded_rubric = load_rubric(rubric)
            campaign = single_run_campaign(scenario, store, persona, parse_mailbox(mailbox), rubric)
        except ConfigError as error:
            reports.not_run(RunProblem(reason=str(error), step="reading the input files"), store.stem)
            fail_config(error)
        out = out or Path("reports") / f"check-{campaign.stores[0].id}"
        reset_folder(out)
        options = campaign_options(browser, browser_endpoint, headed, False, None, False, snapshots)
        options = options.model_copy(update={"observe_window": False, "watch_inline": float("inf")})  # CI: short
        try:
            results = asyncio.run(execute_campaign(out, campaign, options, progress_printer(), rubric=rubric))
        except OSError as error:  # the mailbox port is taken, the folder is not writable...
            typer.echo(f"check: could not run: {error}", err=True)
            reports.not_run(RunProblem(reason=str(error), step="opening the mailbox and folder"), store.stem)
            raise typer.Exit(EXIT_NOT_RUN) from None
        name = results.stores[0].name
        result = results.stores[0].runs[0]
        if result.run.status.value != "done" or result.scorecard.unscored:
            problem = run_problem(out, result)
            typer.echo(f"check: the run could not be done: {problem.reason}", err=True)
            if problem.step:
                typer.echo(f"check: at {problem.step}" + (f" on {problem.page}" if problem.page else ""), err=True)
            typer.echo(f"check: artifacts in {out / 'runs' / result.run.id}", err=True)
            reports.not_run(problem, name, loaded_rubric, result.findings)
            raise typer.Exit(EXIT_NOT_RUN)
        gate = evaluate_gate(loaded_rubric, result.findings, result.scorecard, min_score)
        if junit:
            junit.write_text(junit_xml(loaded_rubric, result.findings, result.scorecard, gate), encoding="utf-8")
        if markdown:
            reports.append_markdown(
                markdown_summary(loaded_rubric, result.findings, result.scorecard, gate, title=name)
            )
        total = "n/a" if result.scorecard.total is None else f"{result.scorecard.total:.0f}"
        typer.echo(f"{name}: total {total} with rubric {loaded_rubric.id}")
        for failure in gate.failures:
            typer.echo(f"FAIL {failure.title}: {failure.reason}" + (f" — {failure.value}" if failure.value else ""))
        typer.echo("PASSED" if gate.passed else "FAILED")
        typer.echo(f"report: {out / 'index.html'}")
        raise typer.Exit(EXIT_PASSED if gate.passed else EXIT_FAILED)


class CiReports:
    """The JUnit and Markdown files CI asked for, written whatever the outcome: a run that could not
    be done leaves an ``<error>`` case and a summary saying why, never a missing file."""

    def __init__(self, junit: Path | None, markdown: Path | None) -> None:
        self.junit, self.markdown = junit, markdown

    def append_markdown(self, text: str) -> None:
        if self.markdown:
            with self.markdown.open("a", encoding="utf-8") as fh:  # GITHUB_STEP_SUMMARY is appended to
                fh.write(text)

    def not_run(
        self, problem: RunProblem, subject: str, rubric: "Rubric | None" = None, findings: "list[Finding] | None" = None
    ) -> None:
        from auditor.report.junit import junit_not_run
        from auditor.report.markdown import markdown_not_run

        try:
            if self.junit:
                self.junit.write_text(
                    junit_not_run(problem, subject=subject, rubric=rubric, findings=findings), encoding="utf-8"
                )
            self.append_markdown(markdown_not_run(problem, title=subject, rubric=rubric))
        except OSError as error:  # the report path itself is unwritable: say so, keep exit code 2
            typer.echo(f"check: could not write the CI report: {error}", err=True)


def run_problem(out: Path, result: "RunResult") -> RunProblem:
    """Why a run has no verdict, from its journal: the failed step, the page it was on, its artifacts."""
    from auditor.campaign.folder import CampaignFolder
    from auditor.rubric.honesty import shown_page

    reason = result.run.error or result.scorecard.unscored or f"the run ended {result.run.status.value}"
    with CampaignFolder(out) as folder:
        event = folder.journal(result.run.id).first("step_failed")
        recorded = [str(a) for a in event.data.get("artifacts") or []] if event is not None else []
        # runs/<run-id>/… in the folder, named from where CI runs (the --out folder as given): attachable as they are
        artifacts = [str(out / ref) for ref in folder.artifact_refs(result.run.id, recorded)]
    if event is None:
        return RunProblem(reason=reason, artifacts=artifacts)
    data = event.data
    step = f"step {data['index']} {event.step}" if "index" in data else f"step {event.step}"
    if data.get("detail"):
        step += f" ({data['detail']})"
    return RunProblem(reason=reason, step=step, page=shown_page(data.get("url")), artifacts=artifacts)
