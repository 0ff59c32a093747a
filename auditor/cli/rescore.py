"""``auditor rescore``: recompute every finding of a campaign folder offline, with any rubric."""

import asyncio
from pathlib import Path

import typer

from auditor.cli.common import fail_config, report_paths, scores_table
from auditor.yamlfile import ConfigError


def register(app: typer.Typer) -> None:
    @app.command()
    def rescore(
        folder: Path = typer.Argument(..., help="A campaign folder (holds campaign.db)."),
        rubric: str = typer.Option("default", "--rubric", help="Rubric name or YAML path."),
        db: str = typer.Option(
            None, "--db", help="Re-score a team's campaign from PostgreSQL (postgresql://…); reports go to FOLDER."
        ),
    ) -> None:
        """Re-score a finished campaign with a rubric; needs no store and no network.

        The same folder and rubric always give a byte-identical results.json.

        Example: auditor rescore reports/demo --rubric rubrics/ci-strict.yaml

        Example: auditor rescore reports/team --db postgresql://auditor@db/shops
        """
        from auditor.campaign.folder import CampaignFolder
        from auditor.campaign.scoring import score_folder
        from auditor.campaign.snapshots import snapshot_stage
        from auditor.report import write_reports
        from auditor.rubric import load_rubric

        if db is None and not (folder / "campaign.db").exists():
            raise typer.BadParameter(f"{folder} has no campaign.db", param_hint="FOLDER")
        try:
            loaded = load_rubric(rubric)
        except ConfigError as error:
            fail_config(error)
        if db is not None:
            from auditor.cli.worker import open_team_campaign

            campaign = open_team_campaign(db, folder)
        else:
            campaign = CampaignFolder(folder)
        with campaign:
            results = score_folder(campaign, loaded)
            written = campaign.materialise_artifacts()  # a team's: its workers' screenshots/traces, into runs/
        if written:
            typer.echo(f"artifacts: {len(written)} run files (screenshots, pages, traces) written to {folder / 'runs'}")
        asyncio.run(snapshot_stage(folder, progress=typer.echo))  # pictures only for what is new
        write_reports(folder, results)
        typer.echo(scores_table(results))
        typer.echo(report_paths(folder))
