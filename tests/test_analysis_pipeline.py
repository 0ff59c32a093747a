"""The pipeline as data: every Evidence fact comes from one declared extractor, in an order checked at import."""

from dataclasses import replace
from email.message import EmailMessage

import pytest

from auditor.analysis import analyze, analyzer
from auditor.analysis.extractor import check_order, extractor
from auditor.analysis.pipeline import EVIDENCE_FIELDS, GIVEN, PIPELINE
from auditor.models.evidence import Evidence


def test_every_evidence_fact_but_the_analysers_own_comes_from_an_extractor() -> None:
    own = {"message_sha256", "malformed", "extra"}  # the analyser's: the message's hash, failures, problems
    assert set(Evidence.model_fields) - own == set(EVIDENCE_FIELDS)
    assert len(EVIDENCE_FIELDS) == len(set(EVIDENCE_FIELDS))


def test_the_shipped_order_passes_its_own_check_and_a_shuffled_one_does_not() -> None:
    check_order(PIPELINE, GIVEN, used_at_end=(*EVIDENCE_FIELDS, "problems"))
    names = [ex.name for ex in PIPELINE]
    items = names.index("items")
    swapped = list(PIPELINE)
    swapped[items], swapped[items - 1] = (
        swapped[items - 1],
        swapped[items],
    )  # items before the totals it reconciles with
    try:
        check_order(swapped, GIVEN, used_at_end=(*EVIDENCE_FIELDS, "problems"))
    except ValueError as exc:
        assert "items needs" in str(exc)
    else:
        raise AssertionError("a pipeline with items before totals was accepted")


def test_adding_a_fact_is_one_extractor_and_one_entry() -> None:
    @extractor("shouting")
    def shouting(subject: str) -> bool:
        return subject.isupper()

    check_order((*PIPELINE, shouting), GIVEN, used_at_end=(*EVIDENCE_FIELDS, "problems", "shouting"))


def test_one_extractor_failing_loses_only_its_own_facts(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(docs: object) -> None:
        raise RuntimeError("odd table")

    broken = tuple(replace(ex, fn=boom) if ex.name == "greeting" else ex for ex in PIPELINE)
    monkeypatch.setattr(analyzer, "PIPELINE", broken)
    msg = EmailMessage()
    msg["Subject"] = "Order #77 confirmed"
    msg["From"] = "Shop <shop@example.test>"
    msg.set_content("Hi Anna,\nthanks for your order #77.\nTotal: 20,00 zł")
    ev = analyze(bytes(msg))
    assert ev.greeting is None
    assert ev.order_number is not None and ev.order_number.value == "77" and ev.total is not None
    assert ev.extra["errors"] == ["greeting: RuntimeError: odd table"]
    assert ev.malformed is not None and "1 extractor(s) failed" in ev.malformed
