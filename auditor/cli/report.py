"""``auditor report``: render a scored campaign folder in other formats."""

import typer


def register(app: typer.Typer) -> None:
    """Reports are written by demo/run/campaign/rescore; other formats join here as they come."""
