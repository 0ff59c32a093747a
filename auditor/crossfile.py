"""Does a scenario fit a store and a persona? Checked before a run, not found out in a checkout.

Each file can be valid on its own and the run still fail half-way: the scenario
adds a product the store profile's ``products`` does not list, so
``{product.name}`` has no value once the first item is in the cart. These checks
render every profile step a scenario step expands to, with the scenario's own
parameters and the persona's real values, exactly as the shopper will, and
report each gap as ``file:line: field: message`` in the file that has to change.
"""

from pathlib import Path
from typing import Any

import yaml

from auditor.models import Persona, Store
from auditor.models.scenario import Scenario
from auditor.models.steps import references, strings_in
from auditor.yamlfile import ConfigProblem, field_path, read_yaml

# Keys whose values the shopper uses as written (regular expressions, attribute names), never rendered.
_NOT_RENDERED = frozenset({"regex", "pattern", "attribute", "event", "submits"})


class _Missing(Exception):
    """A reference with no value: the reason, as the shopper would give it."""


class _Files:
    """Each file's data and node tree, read once per check (line numbers need the tree)."""

    def __init__(self) -> None:
        self._read: dict[Path, tuple[Any, yaml.Node | None]] = {}

    def data(self, path: Path) -> Any:
        return self._get(path)[0]

    def line(self, path: Path, loc: tuple[int | str, ...]) -> int | None:
        return _line_at(self._get(path)[1], loc)

    def _get(self, path: Path) -> tuple[Any, yaml.Node | None]:
        if path not in self._read:
            self._read[path] = read_yaml(path)
        return self._read[path]


def _line_at(node: yaml.Node | None, loc: tuple[int | str, ...]) -> int | None:
    """The line of the deepest part of ``loc`` the tree has: a mapping entry's key, a list item."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if getattr(k, "value", None) == str(part)), None)
            if pair is None:
                break
            line, node = pair[0].start_mark.line + 1, pair[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _store_files(path: Path) -> list[Path]:
    """The store file and those it extends, child first: an inherited profile entry is blamed on its writer."""
    from auditor.config import _extends_chain

    data, _ = read_yaml(path)
    if isinstance(data, dict) and "extends" in data:
        return [p for p, _, _ in _extends_chain(path)]
    return [path]


def _writer(read: _Files, files: list[Path], loc: tuple[int | str, ...]) -> Path:
    """The nearest file in the chain that writes ``loc[:2]`` (``profile.checkout``)."""
    for path in files:
        data = read.data(path)
        for part in loc[:2]:
            data = data.get(part) if isinstance(data, dict) else None
        if data is not None:
            return path
    return files[0]


def _lookup(ref: str, context: dict[str, Any]) -> Any:
    value: Any = context
    for part in ref.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        else:
            have = ", ".join(sorted(value)) if isinstance(value, dict) else "a plain value"
            raise _Missing(f"no '{part}' in {have}")
    if isinstance(value, dict):
        raise _Missing(f"it is a mapping; use one of its keys: {', '.join(sorted(value))}")
    return value


def _context(store: Store, persona: Persona | None) -> dict[str, Any]:
    """What every step may refer to, as ``auditor.shopper.template.template_context`` builds it.

    Without a persona, ``persona.*`` references are left to the scenario's own (static) check."""
    context: dict[str, Any] = {
        "run": {"id": "RUN", "address": "run@example.invalid"},
        "store": store.model_dump(mode="json", include={"id", "name", "base_url", "locale", "currency"}),
    }
    if persona is not None:
        context["persona"] = {**persona.model_dump(mode="json"), "full_name": persona.full_name}
    return context


def check_fit(
    scenario_path: Path,
    scenario: Scenario,
    store_path: Path,
    store: Store,
    persona: Persona | None = None,
) -> list[ConfigProblem]:
    """Every reason this scenario cannot run on this store (with this persona), found without a browser."""
    read = _Files()
    problems: list[ConfigProblem] = []
    missing = [name for name in scenario.profile_steps if name not in store.profile]
    if missing:
        problems.append(
            ConfigProblem(
                path=str(store_path),
                line=read.line(store_path, ("profile",)),
                field="profile",
                message=f"no entry for {', '.join(missing)}, which {scenario_path} uses",
            )
        )
    files = _store_files(store_path)
    base = _context(store, persona)
    seen: set[tuple[str, str, str]] = set()
    for index, step in enumerate(scenario.steps):
        name = step.profile_step
        if name is None or name not in store.profile:
            continue
        where = f"{scenario_path} steps[{index}]"
        params = dict(step.params)
        product = params.get("product")
        if isinstance(product, str):
            if product in store.products:
                params["product"] = store.products[product]
            elif store.products or _uses_product_fields(store, name):
                known = ", ".join(sorted(store.products)) or "none"
                loc = ("steps", index, step.kind, "product")
                problems.append(
                    ConfigProblem(
                        path=str(scenario_path),
                        line=read.line(scenario_path, loc),
                        field=field_path(loc),
                        message=f"no product '{product}' in {store_path}'s products (it has: {known})",
                    )
                )
                continue  # every {product.x} below would repeat this one mistake
        context = {**base, **params}
        for j, sub in enumerate(store.profile[name]):
            for loc, text in strings_in(sub.model_dump(mode="json"), ("profile", name, j)):
                if _NOT_RENDERED & {p for p in loc if isinstance(p, str)}:
                    continue
                for ref in references(text):
                    if ref.split(".")[0] == "persona" and persona is None:
                        continue
                    try:
                        _lookup(ref, context)
                    except _Missing as why:
                        owner = _writer(read, files, loc)
                        message = f"'{{{ref}}}' has no value for {where} ({why})"
                        key = (str(owner), field_path(loc), f"{ref}:{why}")
                        if key not in seen:
                            seen.add(key)
                            problems.append(
                                ConfigProblem(
                                    path=str(owner), line=read.line(owner, loc), field=field_path(loc), message=message
                                )
                            )
    return problems


def _uses_product_fields(store: Store, entry: str) -> bool:
    """Whether the profile entry reads ``{product.<key>}``, which only a ``products`` mapping can give."""
    return any(
        ref.startswith("product.")
        for sub in store.profile[entry]
        for _, text in strings_in(sub.model_dump(mode="json"), ())
        for ref in references(text)
    )
