"""Load YAML files into pydantic models with errors a person can act on.

Every user-written file (scenario, store profile, persona, rubric, campaign)
goes through here, so a mistake is always reported as ``file:line: field: why``
and a broken file never half-loads.
"""

from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


class ConfigProblem(BaseModel):
    """One mistake in one file: where it is and what is wrong."""

    path: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class ConfigError(ValueError):
    """A file that does not describe a valid model; holds every problem found, not just the first."""

    def __init__(self, problems: Sequence[ConfigProblem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def field_path(loc: Sequence[int | str]) -> str:
    """``("steps", 3, "fill", "value")`` -> ``steps[3].fill.value``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _node_at(node: yaml.Node, loc: Sequence[int | str]) -> yaml.Node:
    """The deepest YAML node along ``loc`` that exists (for its line number)."""
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if getattr(k, "value", None) == str(part)), None)
            if match is None:
                return node
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return node
    return node


def read_yaml(path: Path) -> tuple[Any, yaml.Node | None]:
    """Parse a file once into plain data and its node tree (for line numbers)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError([ConfigProblem(path=str(path), line=None, field="", message=str(exc))]) from exc
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        reason = getattr(exc, "problem", None) or str(exc)
        raise ConfigError([ConfigProblem(path=str(path), line=line, field="", message=reason)]) from exc
    return data, node


def problems_from(error: ValidationError, path: Path, node: yaml.Node | None) -> list[ConfigProblem]:
    """Turn pydantic's errors into line-numbered problems, in file order."""
    problems = []
    for err in error.errors():
        loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
        line = _node_at(node, loc).start_mark.line + 1 if node is not None else None
        message = err["msg"].removeprefix("Value error, ")
        problems.append(ConfigProblem(path=str(path), line=line, field=field_path(loc), message=message))
    return sorted(problems, key=lambda p: (p.line or 0, p.field))


def load_model(path: Path | str, model: type[M], context: dict[str, Any] | None = None) -> M:
    """Read ``path`` and validate it as ``model``; raise ConfigError listing every problem."""
    path = Path(path)
    data, node = read_yaml(path)
    if data is None:
        data = {}
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        raise ConfigError(problems_from(exc, path, node)) from None
