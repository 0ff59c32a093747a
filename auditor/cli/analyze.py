"""``auditor analyze FILE.eml...``: what the analysis reads out of a message, to debug a rubric with."""

import json
from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    """Add ``analyze`` to the main app."""

    @app.command("analyze")
    def analyze_command(
        files: list[Path] = typer.Argument(..., help="Raw messages (.eml), as stored in a campaign's mail/ folder."),
        as_json: bool = typer.Option(False, "--json", help="Print the Evidence as JSON (see docs/analysis-json.md)."),
    ) -> None:
        """Print the Evidence of each message: kind, language, greeting, order, items, totals, links...

        Every fact is shown with the snippet it was read from. With --json the output is the Evidence
        model itself (one object, or an array for several files), exactly what the rubric checks read.
        A message that cannot be fully read is still analysed and says why under "malformed".

        Example: auditor analyze reports/demo/mail/3f2a...eml --json
        """
        from auditor.analysis import analyze
        from auditor.analysis.summary import evidence_json, summary

        missing = [f for f in files if not f.is_file()]
        for path in missing:
            typer.echo(f"{path}: no such file", err=True)
        if missing:
            raise typer.Exit(2)
        results = [(path, analyze(path.read_bytes())) for path in files]
        if as_json:
            if len(results) == 1:
                typer.echo(evidence_json(results[0][1]))
            else:
                typer.echo(
                    json.dumps([json.loads(evidence_json(ev)) for _, ev in results], indent=2, ensure_ascii=False)
                )
            return
        for i, (path, evidence) in enumerate(results):
            if i:
                typer.echo("")
            typer.echo(summary(evidence, title=str(path) if len(results) > 1 else ""))
