"""Load the files a user writes (scenarios, store profiles, personas), each with line-numbered errors.

Every loader goes through ``auditor.yamlfile.load_model``, so a mistake is a
``ConfigError`` listing every problem as ``file:line: field: why``.
``detect_kind`` lets ``auditor validate`` accept any of them without being told which
(``auditor.validation`` checks files as a whole, campaigns included; this module never imports the
campaign package, which loads its files through it).
"""

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


_RUBRIC_ONLY = frozenset({"criteria", "categories"})
_STORE_ONLY = frozenset({"base_url", "profile", "products", "locale", "currency", "real_money"})


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
        rubric_like = _RUBRIC_ONLY & data.keys() or _names_a_rubric(data.get("extends"))
        if "extends" in data and not _STORE_ONLY & data.keys() and rubric_like:
            return "rubric"
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


def _names_a_rubric(extends: object) -> bool:
    """``extends: default`` (a bare name) is a bundled rubric; a store profile extends a file path."""
    from auditor.rubric.loader import looks_like_path

    return isinstance(extends, str) and not looks_like_path(extends)


def _line_of(path: Path, key: str) -> int | None:
    _, node = read_yaml(path)
    for k, _v in getattr(node, "value", []) or []:
        if getattr(k, "value", None) == key:
            return k.start_mark.line + 1
    return 1
