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
        A message that cannot be fully read is still analysed and says why under "malformed". A path
        that is not a regular file (a directory, a FIFO, a device), an empty file or one over 32 MB is
        named and refused (exit 2). Control and escape characters from the message are shown escaped.

        Example: auditor analyze reports/demo/mail/3f2a...eml --json
        """
        from auditor.analysis import analyze
        from auditor.analysis.summary import evidence_json, summary
        from auditor.inputfile import InputFileError, read_limited
        from auditor.mail.sink import DEFAULT_MAX_SIZE
        from auditor.terminal import json_terminal_safe, terminal_safe

        raws: list[tuple[Path, bytes]] = []
        refused = False
        for path in files:
            try:  # a directory, FIFO or device is named and refused before any read; an empty file too
                raws.append((path, read_limited(path, DEFAULT_MAX_SIZE, allow_empty=False)))
            except InputFileError as error:
                typer.echo(terminal_safe(str(error)), err=True)
                refused = True
        if refused:
            raise typer.Exit(2)
        results = [(path, analyze(raw)) for path, raw in raws]
        if as_json:
            if len(results) == 1:
                text = evidence_json(results[0][1])
            else:
                text = json.dumps([json.loads(evidence_json(ev)) for _, ev in results], indent=2, ensure_ascii=False)
            typer.echo(json_terminal_safe(text))
            return
        for i, (path, evidence) in enumerate(results):
            if i:
                typer.echo("")
            # the summary quotes the sender's text: nothing in it may drive the terminal
            typer.echo(terminal_safe(summary(evidence, title=str(path) if len(results) > 1 else ""), multiline=True))
