from pathlib import Path

import pytest
from pydantic import BaseModel

from auditor.yamlfile import ConfigError, load_model


class Step(BaseModel):
    name: str
    seconds: float


class Plan(BaseModel):
    id: str
    steps: list[Step]


def test_loads_a_valid_file(tmp_path: Path) -> None:
    f = tmp_path / "plan.yaml"
    f.write_text("id: p\nsteps:\n  - name: a\n    seconds: 2\n")
    assert load_model(f, Plan).steps[0].seconds == 2


def test_every_mistake_is_reported_with_its_line_and_field(tmp_path: Path) -> None:
    f = tmp_path / "plan.yaml"
    f.write_text("id: p\nsteps:\n  - name: a\n    seconds: soon\n  - seconds: 1\n")
    with pytest.raises(ConfigError) as caught:
        load_model(f, Plan)
    lines = str(caught.value).splitlines()
    assert lines[0].startswith(f"{f}:4: steps[0].seconds: ")
    assert lines[1].startswith(f"{f}:5: steps[1].name: Field required")


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    f = tmp_path / "plan.yaml"
    f.write_text("id: p\nsteps: [\n  - oops: {\n")
    with pytest.raises(ConfigError) as caught:
        load_model(f, Plan)
    assert caught.value.problems[0].line is not None
    assert str(caught.value).startswith(f"{f}:")


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_model(tmp_path / "nope.yaml", Plan)
