"""docs/cli.md is generated from the commands; it must not drift from them."""

from pathlib import Path

import typer.main

from auditor.cli import app
from auditor.cli.reference import cli_reference

DOCS = Path(__file__).parents[1] / "docs" / "cli.md"


def test_docs_cli_md_is_in_step_with_the_commands() -> None:
    assert DOCS.read_text(encoding="utf-8") == cli_reference(), (
        "docs/cli.md is stale: python -m auditor.cli.reference > docs/cli.md"
    )


def test_every_command_shows_an_example() -> None:
    def leaves(command, name):  # noqa: ANN001, ANN202
        subs = getattr(command, "commands", None)
        if not subs:
            return [(name, command)]
        return [leaf for sub_name, sub in subs.items() for leaf in leaves(sub, f"{name} {sub_name}")]

    missing = [
        name
        for name, command in leaves(typer.main.get_command(app), "auditor")
        if "Example" not in (command.help or "")
    ]
    assert missing == []
