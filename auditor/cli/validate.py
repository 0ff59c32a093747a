"""``auditor validate FILE...`` and ``auditor schema [DIR]``: check the YAML a user writes, help editors."""

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    """Add ``validate`` and ``schema`` to the main app."""

    @app.command("validate")
    def validate(
        files: list[Path] = typer.Argument(..., help="Scenario, store profile, persona, rubric or campaign YAML."),
    ) -> None:
        """Check files and print every problem as FILE:LINE: FIELD: MESSAGE; exit 1 if there is any.

        The kind of each file is told by its keys (steps: scenario, base_url: store, first_name: persona,
        criteria: rubric, stores: campaign). A scenario and a store given together are also checked
        against each other.

        Example: auditor validate scenarios/oscar-guest-checkout.yaml scenarios/stores/oscar.yaml
        """
        from auditor.config import validate_files

        problems = validate_files(files)
        for problem in problems:
            typer.echo(str(problem))
        if problems:
            bad = len({p.path for p in problems})
            typer.echo(f"{len(problems)} problem(s) in {bad} of {len(files)} file(s)", err=True)
            raise typer.Exit(1)
        typer.echo(f"{len(files)} file(s) valid", err=True)

    @app.command("schema")
    def schema(
        directory: Path = typer.Argument(Path("schemas"), help="Where to write the *.schema.json files."),
    ) -> None:
        """Write JSON Schemas (scenario, store, persona, rubric, campaign) so editors autocomplete the YAML.

        Example: auditor schema schemas/  then add to a scenario's first line:
        # yaml-language-server: $schema=../schemas/scenario.schema.json
        """
        from auditor.config import write_schemas

        for path in write_schemas(directory):
            typer.echo(str(path))
