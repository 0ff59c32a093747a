"""The reference in docs/rubrics.md and the JSON Schema are generated from the code: keep them in step."""

import json

from auditor.rubric import all_checks, load_rubric
from auditor.rubric.docs import DOC, SCHEMA_FILE, render, schema_text


def test_docs_tables_are_up_to_date() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert render(text) == text, "run: python -m auditor.rubric.docs"
    assert "| `reply_time` | response_time |" in text


def test_json_schema_file_is_up_to_date() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), "run: python -m auditor.rubric.docs"
    assert json.loads(SCHEMA_FILE.read_text())["title"] == "post-purchase-auditor rubric file"


def test_every_check_has_its_metadata_and_the_default_rubric_uses_it() -> None:
    used = {c.check for c in load_rubric("default").criteria}
    for meta in all_checks():
        assert meta.title and meta.rationale and meta.failure_title, meta.id
        assert meta.fn.__doc__ is None or meta.fn.__doc__.strip(), meta.id
        assert meta.id in used, f"{meta.id} is in no criterion of the default rubric"
