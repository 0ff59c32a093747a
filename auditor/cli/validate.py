"""``auditor validate FILE...`` and ``auditor schema [DIR]``: check the YAML a user writes, help editors."""

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    """Add ``validate`` and ``schema`` to the main app."""

    @app.command("validate")
    def validate(
        files: list[Path] = typer.Argument(..., help="Scenario, store profile, persona, rubric or campaign YAML."),
        stores: list[Path] = typer.Option([], "--store", help="Check the scenarios against this store profile."),
        personas: list[Path] = typer.Option(
            [], "--persona", help="Check the scenarios' placeholders with this persona."
        ),
    ) -> None:
        """Check files and print every problem as FILE:LINE: FIELD: MESSAGE; exit 1 if there is any.

        The kind of each file is told by its keys (steps: scenario, base_url: store, first_name: persona,
        criteria: rubric, stores: campaign). Each scenario is also checked against each store and persona
        given with it, as a run would use them: a profile entry for every step, every product in the
        store's products, a value for every {placeholder}. A campaign is checked as a whole: every file
        it names, its rubric, and each store x scenario x persona it would run.

        Example: auditor validate scenario.yaml --store stores/oscar.yaml --persona personas/guest-pl.yaml
        """
        from auditor.validation import validate_files

        problems = validate_files(files, stores=stores, personas=personas)
        for problem in problems:
            typer.echo(str(problem))
        total = len(files) + len(stores) + len(personas)
        if problems:
            bad = len({p.path for p in problems})
            typer.echo(f"{len(problems)} problem(s) in {bad} file(s) ({total} given)", err=True)
            raise typer.Exit(1)
        typer.echo(f"{total} file(s) valid", err=True)

    @app.command("schema")
    def schema(
        directory: Path = typer.Argument(Path("schemas"), help="Where to write the *.schema.json files."),
    ) -> None:
        """Write JSON Schemas (scenario, store, persona, rubric, campaign) so editors autocomplete the YAML.

        Example: auditor schema schemas/  then add to a scenario's first line:
        # yaml-language-server: $schema=../schemas/scenario.schema.json
        """
        from auditor.validation import write_schemas

        for path in write_schemas(directory):
            typer.echo(str(path))
