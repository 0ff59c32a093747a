"""Load YAML files into pydantic models with errors a person can act on.

Every user-written file (scenario, store profile, persona, rubric, campaign)
goes through here, so a mistake is always reported as ``file:line: field: why``
and a broken file never half-loads.
"""

import re
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
                continue  # not in the file: a union's tag (``mailbox.imap.password``) or a missing field
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return node
    return node


MAX_BYTES = 1024 * 1024
"""A YAML file a person writes is a few KB; anything past 1 MB is refused before it is parsed."""
MAX_DEPTH = 64
"""Nesting deeper than this (``[[[[...``, also through aliases) is a mistake, not a structure we need."""
MAX_NODES = 1_000_000
"""Nodes after expanding aliases: more than a 1 MB file can hold without them (a "billion laughs")."""


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader whose composer refuses nesting deeper than ``MAX_DEPTH`` (PyYAML composes recursively,
    so 20,000 ``[`` would otherwise end in a RecursionError)."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        if self._depth >= MAX_DEPTH:
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(None, None, f"nested deeper than {MAX_DEPTH} levels", mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_BRACKETS = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def _flow_depth_problem(text: str) -> int | None:
    """The line where ``[``/``{`` brackets first nest deeper than ``MAX_DEPTH``, else None.

    Checked before PyYAML sees the text: its scanner looks ahead to the end of every nested flow
    collection, so 20,000 ``[`` cost it seconds (quadratic) before the composer could stop at the limit.
    Brackets inside quoted text count too; only a string with dozens of unclosed ones is refused."""
    brackets = _BRACKETS.sub("", text)
    depth = 0
    for i, step in enumerate(map(_STEP.__getitem__, brackets)):
        depth = max(0, depth + step)
        if depth > MAX_DEPTH:
            nth = i + 1
            for match in re.finditer(r"[\[\]{}]", text):
                nth -= 1
                if nth == 0:
                    return text.count("\n", 0, match.start()) + 1
    return None


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _expanded_shape(node: yaml.Node) -> tuple[int, int] | None:
    """(nodes, depth) of the tree once aliases are expanded; None when an alias contains itself.

    Iterative and memoised by node, so a billion laughs is measured in a few thousand steps."""
    sizes: dict[int, tuple[int, int]] = {}
    active: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(node, False)]
    while stack:
        current, done = stack.pop()
        key = id(current)
        if done:
            kids = [sizes[id(k)] for k in _children(current)]
            sizes[key] = (1 + sum(k[0] for k in kids), 1 + max((k[1] for k in kids), default=0))
            active.discard(key)
            continue
        if key in sizes:
            continue
        if key in active:
            return None
        active.add(key)
        stack.append((current, True))
        for kid in _children(current):
            if id(kid) in active:
                return None
            if id(kid) not in sizes:
                stack.append((kid, False))
    return sizes[id(node)]


def _problem(path: Path, message: str, line: int | None = None, field: str = "") -> ConfigError:
    return ConfigError([ConfigProblem(path=str(path), line=line, field=field, message=message)])


def read_text(path: Path) -> str:
    """The file as UTF-8 text: a regular file of at most ``MAX_BYTES``, checked before it is read."""
    from auditor.inputfile import InputFileError, read_limited

    try:
        data = read_limited(path, MAX_BYTES)
    except InputFileError as exc:
        raise _problem(path, exc.reason) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        detail = f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        raise _problem(path, detail, line, "file") from None


def read_yaml(path: Path) -> tuple[Any, yaml.Node | None]:
    """Parse a file once into plain data and its node tree (for line numbers).

    Whatever the file holds, the result is data or a ConfigError: never a hang (FIFOs and devices are
    refused unread), a RecursionError (nesting is bounded) or a memory blow-up (size and aliases are)."""
    path = Path(path)
    text = read_text(path)
    deep = _flow_depth_problem(text)
    if deep is not None:
        raise _problem(path, f"nested deeper than {MAX_DEPTH} levels", deep)
    loader: _BoundedLoader | None = None
    try:
        loader = _BoundedLoader(text)  # checks for unprintable characters at once
        node = loader.get_single_node()
        _check_shape(path, node)
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        raise _problem(path, *_yaml_reason(exc, text)) from None
    except ConfigError:
        raise
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. a date 2020-13-45, an int of 10,000 digits
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise _problem(path, f"cannot read a value: {reason}") from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, node


def _check_shape(path: Path, node: yaml.Node | None) -> None:
    """Refuse what aliases would make of the tree: a loop, too many values, too deep."""
    if node is None:
        return
    shape = _expanded_shape(node)
    line = node.start_mark.line + 1
    if shape is None:
        raise _problem(path, "an alias refers to a node that contains it", line)
    if shape[0] > MAX_NODES:
        raise _problem(path, f"aliases expand to more than {MAX_NODES:,} values", line)
    if shape[1] > MAX_DEPTH:
        raise _problem(path, f"aliases nest deeper than {MAX_DEPTH} levels", line)


def _yaml_reason(exc: yaml.YAMLError, text: str) -> tuple[str, int | None]:
    """One line saying why, and the line it happened on."""
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        char = exc.character if isinstance(exc.character, int) else ord(exc.character or "\0")
        return f"unacceptable character #x{char:04x}", line
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark else None
    reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return reason, line


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
