"""Reading rubric files: bundled names, ``extends:``, and errors that name file and line.

``load_rubric("default")`` reads the rubric shipped inside the package, so an
installed auditor works from any directory; a path reads that file. A rubric
that ``extends`` another overrides single fields of single criteria: params
are merged key by key, everything else replaces. Every file is first checked
on its own (through ``auditor.yamlfile.load_model``, so a typo gets its line),
then the merged result is validated, and a problem there is reported in the
file that last set the offending criterion.
"""

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from auditor.models import MessageKind
from auditor.models.finding import Level
from auditor.rubric.model import Rubric
from auditor.yamlfile import ConfigError, ConfigProblem, field_path, load_model, read_yaml

BUNDLED = Path(__file__).parent / "rubrics"
SCHEMA_FILE = Path(__file__).parent / "rubric.schema.json"


class CategoryEntry(BaseModel):
    """A category as written in one file (fields left out come from the rubric it extends)."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = None
    weight: float | None = None
    description: str | None = None


class CriterionEntry(BaseModel):
    """A criterion as written in one file; ``params`` are merged key by key over the parent's."""

    model_config = ConfigDict(extra="forbid")

    check: str | None = None
    title: str | None = None
    category: str | None = None
    params: dict[str, Any] | None = None
    weight: float | None = None
    applies_to: list[MessageKind] | None = None
    level: Level | None = None
    must: bool | None = None
    pass_at: float | None = None
    warn_at: float | None = None
    rationale: str | None = None


class RubricFile(BaseModel):
    """One file as written: every field optional, because an extending file sets only a few."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = None
    title: str | None = None
    description: str | None = None
    extends: str | None = None
    categories: dict[str, CategoryEntry | None] = {}
    criteria: dict[str, CriterionEntry | None] = {}


def bundled_names() -> list[str]:
    """Names that ``load_rubric`` accepts without a path (``default``, ``ci-strict``...)."""
    return sorted(p.stem for p in BUNDLED.glob("*.yaml"))


def looks_like_path(text: str) -> bool:
    """Anything with a slash or a YAML suffix is a path; a bare word is a bundled rubric's name."""
    return "/" in text or "\\" in text or text.endswith((".yaml", ".yml"))


def resolve(path_or_name: str | Path, relative_to: Path | None = None) -> Path:
    """A bare name is a bundled rubric; anything with a slash or ``.yaml`` is a path."""
    text = str(path_or_name)
    if not isinstance(path_or_name, Path) and not looks_like_path(text):
        bundled = BUNDLED / f"{text}.yaml"
        if bundled.is_file():
            return bundled
        raise ConfigError(
            [
                ConfigProblem(
                    path=text,
                    line=None,
                    field="",
                    message=f"no bundled rubric named {text!r} (bundled: {', '.join(bundled_names())}); "
                    "give a path to use your own file",
                )
            ]
        )
    path = Path(text)
    if relative_to is not None and not path.is_absolute():
        path = relative_to / path
    return path


def _chain(path: Path) -> list[tuple[Path, dict[str, Any], yaml.Node | None]]:
    """The file and its ancestors, root first, each checked on its own."""
    chain: list[tuple[Path, dict[str, Any], yaml.Node | None]] = []
    seen: list[Path] = []
    current: Path | None = path
    while current is not None:
        real = current.resolve()
        if real in seen:
            names = " -> ".join(str(p) for p in [*seen, real])
            raise ConfigError([ConfigProblem(path=str(current), line=None, field="extends", message=f"cycle: {names}")])
        seen.append(real)
        patch = load_model(current, RubricFile)
        data, node = read_yaml(current)
        chain.insert(0, (current, data or {}, node))
        current = resolve(patch.extends, current.parent) if patch.extends else None
    return chain


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if key in ("categories", "criteria") and isinstance(value, dict):
            merged = dict(out.get(key) or {})
            for item_id, body in value.items():
                body = body or {}
                old = dict(merged.get(item_id) or {})
                if key == "criteria" and "check" in body and body["check"] != old.get("check"):
                    old = {}  # another check: the parent's params and defaults no longer fit
                if "params" in body and isinstance(old.get("params"), dict) and isinstance(body["params"], dict):
                    body = {**body, "params": {**old["params"], **body["params"]}}
                merged[item_id] = {**old, **body}
            out[key] = merged
        else:
            out[key] = value
    return out


def _node_line(node: yaml.Node | None, loc: list[Any]) -> int | None:
    """Line of the deepest node along ``loc`` that the file has."""
    if node is None:
        return None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if getattr(k, "value", None) == str(part)), None)
            if match is None:
                break
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            break
    return node.start_mark.line + 1


def _blame(chain: list[tuple[Path, dict[str, Any], yaml.Node | None]], loc: list[Any]) -> tuple[Path, yaml.Node | None]:
    """The last file in the chain that wrote the part of the rubric ``loc`` points at."""
    for path, data, node in reversed(chain):
        if not loc or loc[0] not in data:
            continue
        if loc[0] in ("categories", "criteria") and len(loc) > 1:
            if isinstance(data[loc[0]], dict) and loc[1] in data[loc[0]]:
                return path, node
            continue
        return path, node
    return chain[-1][0], chain[-1][2]


def load_rubric(path_or_name: str | Path) -> Rubric:
    """The rubric at a path, or bundled under a name, with ``extends`` resolved and validated.

    Raises ``ConfigError`` listing every problem as ``file:line: field: message``.
    """
    chain = _chain(resolve(path_or_name))
    merged: dict[str, Any] = {}
    for _, data, _ in chain:
        merged = _merge(merged, data)
    try:
        return Rubric.model_validate(merged)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
            if len(loc) > 1 and loc[0] in ("categories", "criteria") and isinstance(loc[1], int):
                keys = list((merged.get(loc[0]) or {}).keys())
                loc[1] = keys[loc[1]] if loc[1] < len(keys) else loc[1]
            path, node = _blame(chain, loc)
            problems.append(
                ConfigProblem(
                    path=str(path),
                    line=_node_line(node, loc),
                    field=field_path(loc),
                    message=err["msg"].removeprefix("Value error, "),
                )
            )
        raise ConfigError(sorted(problems, key=lambda p: (p.path, p.line or 0, p.field))) from None


def rubric_json_schema() -> dict[str, Any]:
    """JSON Schema of a rubric *file* (the YAML form), for editors and ``yaml-language-server``.

    Each criterion's ``params`` is described by its check's own parameter model,
    so an editor completes and checks parameters as ``load_rubric`` would.
    """
    from auditor.rubric.registry import all_checks

    defs: dict[str, Any] = {}

    def inline(model: type[BaseModel]) -> dict[str, Any]:
        schema = model.model_json_schema(ref_template="#/$defs/{model}")
        defs.update(schema.pop("$defs", {}))
        return schema

    file_schema = inline(RubricFile)
    criterion = defs["CriterionEntry"]
    criterion["properties"]["check"] = {"enum": [c.id for c in all_checks()], "description": "a check id"}
    criterion["allOf"] = [
        {
            "if": {"properties": {"check": {"const": meta.id}}, "required": ["check"]},
            "then": {"properties": {"params": inline(meta.params)}},
        }
        for meta in all_checks()
    ]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://post-purchase-auditor.invalid/rubric.schema.json",
        **file_schema,
        "title": "post-purchase-auditor rubric file",
        "$defs": dict(sorted(defs.items())),
    }
