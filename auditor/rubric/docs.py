"""Reference text generated from the code, so docs/rubrics.md cannot drift from it.

``python -m auditor.rubric.docs`` rewrites the generated parts of docs/rubrics.md
and the JSON Schema beside the bundled rubrics; a test fails when either is stale.
"""

import json
import re
import sys
from pathlib import Path

from pydantic import BaseModel

from auditor.models import MessageKind
from auditor.rubric.loader import SCHEMA_FILE, load_rubric, rubric_json_schema
from auditor.rubric.model import Rubric
from auditor.rubric.registry import NoParams, all_checks

DOC = Path(__file__).parents[2] / "docs" / "rubrics.md"


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _params(model: type[BaseModel]) -> str:
    if model is NoParams:
        return "none"
    parts = []
    for name, field in model.model_fields.items():
        default = field.get_default(call_default_factory=True)
        if isinstance(default, list) and default and isinstance(default[0], BaseModel):
            default = [d.model_dump() for d in default]
        parts.append(f"`{name}` = `{json.dumps(default, ensure_ascii=False, default=str)}`")
    return "<br>".join(parts)


def _kinds(kinds: tuple[MessageKind, ...]) -> str:
    if not kinds:
        return "every email"
    left_out = [k.value for k in MessageKind if k not in kinds]
    if len(left_out) < len(kinds):
        return "every email but " + ", ".join(left_out)
    return ", ".join(k.value for k in kinds)


def checks_markdown() -> str:
    """One row per registered check: id, category, title, what it reads and needs, parameters, rationale."""
    rows = [
        "| check | category | title | applies to | needs | parameters (defaults) | why |",
        "|---|---|---|---|---|---|---|",
    ]
    for meta in sorted(all_checks(), key=lambda m: (m.category, m.id)):
        kinds = _kinds(meta.applies_to)
        needs = ", ".join(need.value for need in meta.needs) or "–"
        rows.append(
            f"| `{meta.id}` | {meta.category} | {_cell(meta.title)} | {kinds} | {needs} | {_params(meta.params)} "
            f"| {_cell(meta.rationale)} |"
        )
    return "\n".join(rows)


def rubric_markdown(rubric: Rubric) -> str:
    """The rubric as a table: categories with weights, then each criterion with its source."""
    rows = ["| category | weight | why |", "|---|---:|---|"]
    rows += [f"| {c.id} | {c.weight:g} | {_cell(c.description)} |" for c in rubric.categories]
    rows += ["", "| criterion | check | category | weight | level | source |", "|---|---|---|---:|---|---|"]
    for c in rubric.criteria:
        must = ", must" if c.must else ""
        rows.append(
            f"| `{c.id}` | `{c.check}` | {c.category} | {c.weight:g} | {c.level}{must} | {_cell(c.rationale)} |"
        )
    return "\n".join(rows)


SECTIONS = {
    "checks": checks_markdown,
    "default-rubric": lambda: rubric_markdown(load_rubric("default")),
}


def render(text: str) -> str:
    """``text`` with every ``<!-- generated:NAME -->...<!-- /generated:NAME -->`` block refreshed."""
    for name, make in SECTIONS.items():
        pattern = re.compile(rf"(<!-- generated:{name} -->\n).*?(<!-- /generated:{name} -->)", re.S)
        text = pattern.sub(lambda m, make=make: m.group(1) + make() + "\n" + m.group(2), text)
    return text


def schema_text() -> str:
    return json.dumps(rubric_json_schema(), indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    DOC.write_text(render(DOC.read_text(encoding="utf-8")), encoding="utf-8")
    SCHEMA_FILE.write_text(schema_text(), encoding="utf-8")
    print(f"updated {DOC} and {SCHEMA_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
