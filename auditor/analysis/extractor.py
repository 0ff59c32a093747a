"""The extractor contract: a name, what it needs, what it produces, and a default for when it fails.

Like Lighthouse's gatherers, extractors only read and write *artifacts* (named
intermediate values: the parsed documents, the language, the items...); the
analyser runs them from an ordered list kept as data (``pipeline.PIPELINE``)
and builds Evidence from the artifacts named like its fields. What an
extractor needs is the names of its parameters, so the declaration cannot
drift from the code; ``check_order`` proves at import that every need is
produced earlier, so no order is known only to the code that calls them.
"""

import copy
import inspect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Extractor:
    """One step of analysis. ``fn`` takes its needs as keyword arguments and returns its products
    (one value, or a tuple in the order of ``produces``); if it raises, ``default`` stands in."""

    name: str
    fn: Callable[..., Any]
    needs: tuple[str, ...]
    produces: tuple[str, ...]
    default: tuple[Any, ...]

    def run(self, artifacts: dict[str, Any], errors: list[str]) -> None:
        """Add this extractor's products to ``artifacts``; a failure is recorded and its defaults used."""
        try:
            out = self.fn(**{name: artifacts[name] for name in self.needs})
            values = (out,) if len(self.produces) == 1 else tuple(out)
            if len(values) != len(self.produces):
                raise ValueError(f"returned {len(values)} values for {len(self.produces)} products")
        except Exception as exc:  # noqa: BLE001 - one extractor's failure must not lose the others' facts
            errors.append(f"{self.name}: {type(exc).__name__}: {exc}")
            values = copy.deepcopy(self.default)
        artifacts.update(zip(self.produces, values, strict=True))


def extractor(*produces: str, default: Any = None) -> Callable[[Callable[..., Any]], Extractor]:
    """Declare a function as an extractor producing ``produces``; its parameters are its needs.

    ``default`` is the product on failure (a tuple, one per product, when it produces several).
    """

    def declare(fn: Callable[..., Any]) -> Extractor:
        params = inspect.signature(fn).parameters.values()
        if any(p.kind not in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) for p in params):
            raise TypeError(f"extractor {fn.__name__}: needs are named parameters, not *args or **kwargs")
        defaults = (default,) if len(produces) == 1 else tuple(default or (None,) * len(produces))
        if len(defaults) != len(produces):
            raise TypeError(f"extractor {fn.__name__}: {len(defaults)} defaults for {len(produces)} products")
        return Extractor(
            name=fn.__name__.strip("_"),
            fn=fn,
            needs=tuple(p.name for p in params),
            produces=tuple(produces),
            default=defaults,
        )

    return declare


def check_order(extractors: Sequence[Extractor], given: Iterable[str], used_at_end: Iterable[str]) -> None:
    """Refuse a pipeline where a need is not produced earlier, an artifact is produced twice,
    or a product is used by nobody (neither a later extractor nor ``used_at_end``: a typo, or dead code)."""
    available = set(given)
    used = set(used_at_end)
    problems = []
    for ex in extractors:
        problems += [
            f"{ex.name} needs {n!r}, which no earlier extractor produces" for n in ex.needs if n not in available
        ]
        problems += [f"{ex.name} produces {p!r}, already produced earlier" for p in ex.produces if p in available]
        available.update(ex.produces)
        used.update(ex.needs)
    problems += [
        f"{ex.name} produces {p!r}, which nothing uses" for ex in extractors for p in ex.produces if p not in used
    ]
    if problems:
        raise ValueError("analysis pipeline out of order: " + "; ".join(problems))


def run_all(extractors: Sequence[Extractor], artifacts: dict[str, Any]) -> list[str]:
    """Run every extractor in order over ``artifacts``; returns the failures, one line each."""
    errors: list[str] = []
    for ex in extractors:
        ex.run(artifacts, errors)
    return errors
