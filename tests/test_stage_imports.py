"""The stages' borders (docs/architecture.md): data flows one way, so a stage never imports a later one.
Read from the code's own import statements, so a new crossing fails here rather than in review."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "auditor"


def imported(stage: str) -> list[tuple[str, str]]:
    """(file, module) for every module the stage's files import."""
    found = []
    for path in sorted((PACKAGE / stage).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found += [(path.name, alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                found.append((path.name, node.module))
    return found


@pytest.mark.parametrize(
    ("stage", "forbidden"),
    [
        ("report", ("auditor.mail", "auditor.analysis")),  # reports read files the snapshot stage wrote
        ("shopper", ("auditor.analysis", "auditor.mail", "auditor.rubric")),  # money parsing is in models
    ],
)
def test_a_stage_imports_nothing_from_the_stages_after_it(stage: str, forbidden: tuple[str, ...]) -> None:
    offenders = [f"{name}: {module}" for name, module in imported(stage) if module.startswith(forbidden)]
    assert offenders == []


def test_the_reader_sees_imports() -> None:  # the check above would pass vacuously on a broken reader
    assert ("extract.py", "auditor.models.money_text") in imported("shopper")
