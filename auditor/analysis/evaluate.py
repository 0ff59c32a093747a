"""Score analysis against a labelled corpus: precision and recall per fact.

A corpus is a folder of ``x.eml`` files, each beside ``x.expected.yaml``. A
key missing from the YAML is not scored; a key set to null means the fact
must be absent. Adding a language means adding messages here and watching
these numbers, so the comparison rules live in the library, not in a test.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from auditor.models.evidence import Evidence

FACTS = (
    "kind",
    "language",
    "greeting",
    "order_number",
    "items",
    "currency",
    "subtotal",
    "shipping",
    "total",
    "delivery_estimate",
    "links",
    "product_images",
    "recommendations",
    "schema_org",
    "authentication",
    "list_unsubscribe",
    "has_text_part",
    "mixed_languages",
    "shipping_address",
    "returns",
)


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Report:
    facts: dict[str, Tally] = field(default_factory=lambda: {f: Tally() for f in FACTS})
    mismatches: list[str] = field(default_factory=list)
    messages: int = 0
    # (labelled kind, found kind) -> messages, for every kind read wrong: which kinds are confused with which
    kind_confusions: Counter[tuple[str, str]] = field(default_factory=Counter)


def _money(fact: Any) -> str | None:
    if fact is None:
        return None
    value = fact.value
    return _dec(value.amount) if value is not None else None


def _dec(value: Any) -> str | None:
    return None if value is None else format(Decimal(str(value)).normalize(), "f")


def _greeting(ev: Evidence) -> str | None:
    if ev.greeting is None:
        return None
    return f"name:{ev.greeting.value}" if ev.greeting.value else "generic"


def _expected_greeting(value: Any) -> str | None:
    if value is None:
        return None
    return f"name:{value['name']}" if value.get("name") else "generic"


def _delivery(ev: Evidence, expected: Any) -> Any:
    if ev.delivery_estimate is None:
        return None
    found = ev.delivery_estimate.value
    if not isinstance(expected, dict):
        return found.get("kind")
    return {k: found.get(k) for k in expected}


def _items(ev: Evidence) -> list[tuple[Any, ...]]:
    return [
        (
            i.name,
            i.quantity,
            _dec(i.unit_price.amount) if i.unit_price else None,
            _dec(i.line_total.amount) if i.line_total else None,
        )
        for i in ev.items
    ]


def _expected_items(value: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Labels say only what the email shows; the price it does not show is completed by the same
    arithmetic the analyser uses (unit = line total / quantity, line total = unit x quantity)."""
    out = []
    for i in value:
        qty, unit, line = i.get("quantity"), i.get("unit_price"), i.get("line_total")
        if unit is None and line is not None:
            unit = Decimal(str(line)) if qty in (None, 1) else (Decimal(str(line)) / qty).quantize(Decimal("0.01"))
        elif line is None and unit is not None and qty is not None:
            line = Decimal(str(unit)) * qty
        out.append((i["name"], qty, _dec(unit), _dec(line)))
    return out


def _scalar(t: Tally, expected: Any, found: Any) -> bool:
    if expected is None and found is None:
        return True
    if expected == found:
        t.tp += 1
        return True
    if found is not None:
        t.fp += 1
    if expected is not None:
        t.fn += 1
    return False


def _flag(t: Tally, expected: bool, found: bool) -> bool:
    if expected and found:
        t.tp += 1
    elif found:
        t.fp += 1
    elif expected:
        t.fn += 1
    return bool(expected) == bool(found)


def _bag(t: Tally, expected: list[Any], found: list[Any]) -> bool:
    rest = list(found)
    ok = True
    for item in expected:
        if item in rest:
            rest.remove(item)
            t.tp += 1
        else:
            t.fn += 1
            ok = False
    t.fp += len(rest)
    return ok and not rest


def _count(t: Tally, expected: int, found: int) -> bool:
    t.tp += min(expected, found)
    t.fp += max(0, found - expected)
    t.fn += max(0, expected - found)
    return expected == found


Comparer = Callable[[Tally, Any, Evidence], tuple[bool, Any]]


def _compare(fact: str, t: Tally, exp: Any, ev: Evidence) -> tuple[bool, Any]:
    """(matched, what was found) for one fact of one message."""
    if fact == "kind":
        return _scalar(t, exp, ev.kind.value), ev.kind.value
    if fact == "language":
        return _scalar(t, exp, ev.language), ev.language
    if fact == "greeting":
        found = _greeting(ev)
        return _scalar(t, _expected_greeting(exp), found), found
    if fact == "order_number":
        found = ev.order_number.value if ev.order_number else None
        return _scalar(t, exp, found), found
    if fact == "items":
        found = _items(ev)
        return _bag(t, _expected_items(exp or []), found), found
    if fact == "currency":
        return _scalar(t, exp, ev.currency), ev.currency
    if fact in ("subtotal", "shipping", "total"):
        attr = {"subtotal": ev.subtotal, "shipping": ev.shipping_cost, "total": ev.total}[fact]
        found = _money(attr)
        return _scalar(t, _dec(exp), found), found
    if fact == "delivery_estimate":
        found = _delivery(ev, exp)
        return _scalar(t, exp, found), found
    if fact == "links":
        found = sorted({link.value.get("role") for link in ev.links if link.value.get("role")})
        return _bag(t, sorted(set(exp or [])), found), found
    if fact == "product_images":
        found = sum(1 for img in ev.images if img.value.get("item"))
        return _count(t, int(exp or 0), found), found
    if fact == "recommendations":
        found = ev.recommendations is not None
        return _flag(t, bool(exp), found), found
    if fact == "schema_org":
        found = sorted(f.value.get("type") for f in ev.schema_org)
        return _bag(t, sorted(exp or []), found), found
    if fact == "authentication":
        found = {k: f.value for k, f in ev.authentication.items() if k in ("spf", "dkim", "dmarc")}
        return _bag(t, sorted((exp or {}).items()), sorted(found.items())), found
    if fact == "list_unsubscribe":
        found = ev.list_unsubscribe is not None
        return _flag(t, bool(exp), found), found
    if fact == "has_text_part":
        return _flag(t, bool(exp), ev.has_text_part), ev.has_text_part
    if fact == "mixed_languages":
        found = sorted(ev.languages)
        return _bag(t, sorted(exp or []), [lang for lang in found if lang in (exp or [])]), found
    if fact == "shipping_address":
        found = " ".join(str(ev.shipping_address.value).split()) if ev.shipping_address else None
        return _scalar(t, " ".join(exp.split()) if exp else None, found), found
    if fact == "returns":
        found = ev.returns is not None
        return _flag(t, bool(exp), found), ev.returns.value if ev.returns else None
    raise KeyError(fact)


def score_message(report: Report, name: str, expected: dict[str, Any], evidence: Evidence) -> None:
    report.messages += 1
    for fact in FACTS:
        if fact not in expected:
            continue
        ok, found = _compare(fact, report.facts[fact], expected[fact], evidence)
        if not ok:
            report.mismatches.append(f"{name}: {fact}: expected {expected[fact]!r}, found {found!r}")
            if fact == "kind":
                report.kind_confusions[(str(expected[fact]), str(found))] += 1


def corpus_files(directory: Path) -> list[tuple[Path, Path]]:
    """(eml, expected yaml) pairs, sorted by name."""
    pairs = []
    for eml in sorted(directory.glob("*.eml")):
        expected = eml.with_suffix(".expected.yaml")
        if expected.exists():
            pairs.append((eml, expected))
    return pairs


def load_expected(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of fact -> value")
    unknown = set(data) - set(FACTS)
    if unknown:
        raise ValueError(f"{path}: unknown facts {sorted(unknown)}; known: {', '.join(FACTS)}")
    return data


def evaluate(directory: Path, analyze: Callable[[bytes], Evidence]) -> Report:
    """Analyse every labelled message in ``directory`` and tally each fact."""
    report = Report()
    for eml, expected in corpus_files(directory):
        score_message(report, eml.stem, load_expected(expected), analyze(eml.read_bytes()))
    return report
