"""Load the files a user writes (scenarios, store profiles, personas), each with line-numbered errors.

Every loader goes through ``auditor.yamlfile.load_model``, so a mistake is a
``ConfigError`` listing every problem as ``file:line: field: why``.
``detect_kind`` lets ``auditor validate`` accept any of them without being told which.
"""

from pathlib import Path
from typing import Literal

from auditor.models import Persona, Store
from auditor.models.scenario import Scenario
from auditor.yamlfile import ConfigError, ConfigProblem, load_model, read_yaml

FileKind = Literal["scenario", "store", "persona", "rubric", "campaign"]

# A top-level key only that kind of file has, in the order they are tried.
_SIGNATURES: tuple[tuple[str, FileKind], ...] = (
    ("steps", "scenario"),
    ("base_url", "store"),
    ("profile", "store"),
    ("first_name", "persona"),
    ("criteria", "rubric"),
    ("stores", "campaign"),
)


def load_scenario(path: Path | str) -> Scenario:
    return load_model(path, Scenario)


def load_store(path: Path | str) -> Store:
    return load_model(path, Store)


def load_persona(path: Path | str) -> Persona:
    return load_model(path, Persona)


def detect_kind(path: Path | str) -> FileKind:
    """Which kind of file this is, by a key only that kind has; ConfigError if none is there."""
    path = Path(path)
    data, _ = read_yaml(path)
    if isinstance(data, dict):
        for key, kind in _SIGNATURES:
            if key in data:
                return kind
    for part, kind in (("stores", "store"), ("personas", "persona"), ("rubrics", "rubric")):
        if part in path.parts:
            return kind
    known = ", ".join(f"{k} ({key}:)" for key, k in _SIGNATURES)
    raise ConfigError(
        [
            ConfigProblem(
                path=str(path), line=1, field="", message=f"cannot tell what kind of file this is; one of {known}"
            )
        ]
    )
