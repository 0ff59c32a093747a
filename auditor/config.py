"""Load the files a user writes (scenarios, store profiles, personas), each with line-numbered errors.

Every loader goes through ``auditor.yamlfile.load_model``, so a mistake is a
``ConfigError`` listing every problem as ``file:line: field: why``.
``detect_kind`` lets ``auditor validate`` accept any of them without being told which.
"""

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from auditor.models import Persona, Store
from auditor.models.scenario import Scenario
from auditor.yamlfile import ConfigError, ConfigProblem, field_path, load_model, problems_from, read_yaml

FileKind = Literal["scenario", "store", "persona", "rubric", "campaign"]

# A top-level key only that kind of file has, in the order they are tried.
_SIGNATURES: tuple[tuple[str, FileKind], ...] = (
    ("steps", "scenario"),
    ("base_url", "store"),
    ("profile", "store"),
    ("extends", "store"),
    ("first_name", "persona"),
    ("criteria", "rubric"),
    ("stores", "campaign"),
)


def load_scenario(path: Path | str) -> Scenario:
    return load_model(path, Scenario)


def load_store(path: Path | str) -> Store:
    """A store profile; ``extends: other.yaml`` starts from another profile (see ``merge_store``)."""
    path = Path(path)
    data, node = read_yaml(path)
    if not isinstance(data, dict) or "extends" not in data:
        return load_model(path, Store)
    chain = _extends_chain(path)
    merged: dict[str, Any] = {}
    for _, layer, _ in reversed(chain):
        merged = merge_store(merged, layer)
    merged.pop("extends", None)
    try:
        return Store.model_validate(merged)
    except ValidationError as exc:
        raise ConfigError(_problems_in_chain(exc, chain)) from None


def merge_store(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """``override`` on top of ``base``: fields replace, ``products`` merge by name, ``profile`` entries
    replace whole entries by name (a step list is never spliced)."""
    out = {**base, **override}
    for key in ("products", "profile"):
        if isinstance(base.get(key), dict) and isinstance(override.get(key), dict):
            out[key] = {**base[key], **override[key]}
    return out


def _extends_chain(path: Path) -> list[tuple[Path, dict[str, Any], Any]]:
    """The file and every file it extends, child first; a loop or a bad ``extends`` is a ConfigError."""
    chain: list[tuple[Path, dict[str, Any], Any]] = []
    seen: set[Path] = set()
    current: Path | None = path
    while current is not None:
        data, node = read_yaml(current)
        if not isinstance(data, dict):
            raise ConfigError([ConfigProblem(path=str(current), line=1, field="", message="expected a mapping")])
        chain.append((current, data, node))
        seen.add(current.resolve())
        parent = data.get("extends")
        if parent is None:
            break
        line = _line_of(current, "extends")
        if not isinstance(parent, str):
            raise ConfigError([ConfigProblem(path=str(current), line=line, field="extends", message="expected a path")])
        nxt = (current.parent / parent).resolve()
        if nxt in seen:
            message = f"extends loops back to {nxt}"
            raise ConfigError([ConfigProblem(path=str(current), line=line, field="extends", message=message)])
        if not nxt.exists():
            message = f"no such file: {nxt}"
            raise ConfigError([ConfigProblem(path=str(current), line=line, field="extends", message=message)])
        current = nxt
    return chain


def _problems_in_chain(error: ValidationError, chain: list[tuple[Path, dict[str, Any], Any]]) -> list[ConfigProblem]:
    """Blame each problem on the file that wrote the field (the nearest in the chain), with its line."""
    by_file = {path: {(p.field, p.message): p for p in problems_from(error, path, node)} for path, _, node in chain}
    out: list[ConfigProblem] = []
    for err in error.errors():
        loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
        owner = next((path for path, data, _ in chain if _defines(data, loc[:2])), chain[0][0])
        key = (field_path(loc), err["msg"].removeprefix("Value error, "))
        out.append(by_file[owner].get(key) or ConfigProblem(path=str(owner), line=None, field=key[0], message=key[1]))
    return sorted(out, key=lambda p: (p.path, p.line or 0, p.field))


def _defines(data: Any, loc: list[int | str]) -> bool:
    for part in loc:
        if (
            isinstance(data, dict)
            and part in data
            or isinstance(data, list)
            and isinstance(part, int)
            and part < len(data)
        ):
            data = data[part]
        else:
            return False
    return True


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


def load_any(path: Path | str) -> object:
    """Load a file of any kind (scenario, store, persona, rubric, campaign) or raise ConfigError."""
    kind = detect_kind(path)
    if kind == "scenario":
        return load_scenario(path)
    if kind == "store":
        return load_store(path)
    if kind == "persona":
        return load_persona(path)
    if kind == "rubric":
        from auditor.rubric import load_rubric

        return load_rubric(Path(path))
    from auditor.campaign import load_campaign

    return load_campaign(path)


def validate_files(paths: list[Path]) -> list[ConfigProblem]:
    """Every problem in every file, in file then line order; an empty list means all are valid.

    A scenario and a store given together are also checked against each other: the store's profile
    must have an entry for each high-level step the scenario uses."""
    problems: list[ConfigProblem] = []
    scenarios: list[tuple[Path, Scenario]] = []
    stores: list[tuple[Path, Store]] = []
    for path in paths:
        try:
            loaded = load_any(path)
        except ConfigError as error:
            problems.extend(error.problems)
            continue
        if isinstance(loaded, Scenario):
            scenarios.append((path, loaded))
        elif isinstance(loaded, Store):
            stores.append((path, loaded))
    for store_path, store in stores:
        for scenario_path, scenario in scenarios:
            missing = [name for name in scenario.profile_steps if name not in store.profile]
            if missing:
                problems.append(
                    ConfigProblem(
                        path=str(store_path),
                        line=_line_of(store_path, "profile"),
                        field="profile",
                        message=f"no entry for {', '.join(missing)}, which {scenario_path} uses",
                    )
                )
    return problems


def _line_of(path: Path, key: str) -> int | None:
    _, node = read_yaml(path)
    for k, _v in getattr(node, "value", []) or []:
        if getattr(k, "value", None) == key:
            return k.start_mark.line + 1
    return 1


def json_schemas() -> dict[str, dict]:
    """JSON Schemas by file kind, for editors (``# yaml-language-server: $schema=...``)."""
    store = Store.model_json_schema()
    store["properties"]["extends"] = {"type": "string", "description": "a store profile file to start from"}
    store["required"] = []  # a profile that extends another may set only what differs
    schemas: dict[str, dict] = {
        "scenario": Scenario.model_json_schema(),
        "store": store,
        "persona": Persona.model_json_schema(),
    }
    try:
        from auditor.rubric import rubric_json_schema

        schemas["rubric"] = rubric_json_schema()
    except ImportError:
        pass
    try:
        from auditor.campaign import CampaignSpec

        schemas["campaign"] = CampaignSpec.model_json_schema()
    except ImportError:
        pass
    return schemas


def write_schemas(directory: Path) -> list[Path]:
    """Write ``<kind>.schema.json`` for every kind into ``directory``; return the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, schema in json_schemas().items():
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
        path = directory / f"{kind}.schema.json"
        path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written
