"""The labelled corpus: every message's facts as labelled, and coverage of kinds x languages."""

from collections import Counter
from pathlib import Path

import pytest

from auditor.analysis import analyze
from auditor.analysis.evaluate import FACTS, Report, corpus_files, evaluate, load_expected, score_message
from auditor.models import MessageKind

CORPUS = Path(__file__).parent / "corpus" / "messages"
PAIRS = corpus_files(CORPUS)
# Hand-written platform shapes labelled before the analyser saw them (tests/corpus/make_real.py):
# held out, so they are scored in aggregate, not required to be perfect one by one.
HELD_OUT = [p for p in PAIRS if p[0].stem.startswith("real_")]
BUILT = [p for p in PAIRS if p not in HELD_OUT]
LANGUAGES = ("en", "pl", "ru", "uk", "de", "zh")
# Invoices, credit memos, refunds and cancellations became kinds of their own after this corpus was
# generated; the real-template platforms corpus (tests/corpus/platforms) covers them in six languages.
LATER_KINDS = {"invoice", "credit_memo", "refund", "cancellation"}
KINDS = tuple(kind.value for kind in MessageKind if kind.value not in LATER_KINDS)


@pytest.mark.parametrize(("eml", "expected"), BUILT, ids=[p[0].stem for p in BUILT])
def test_message_facts_match_their_labels(eml: Path, expected: Path) -> None:
    report = Report()
    evidence = analyze(eml.read_bytes())
    score_message(report, eml.stem, load_expected(expected), evidence)
    assert report.mismatches == []
    assert evidence.malformed is None


def test_corpus_has_every_kind_in_every_language_and_the_real_shapes() -> None:
    seen = Counter()
    for _, expected in PAIRS:
        facts = load_expected(expected)
        seen[(facts["language"], facts["kind"])] += 1
    missing = [(lang, kind) for lang in LANGUAGES for kind in KINDS if not seen[(lang, kind)]]
    assert missing == []
    names = {eml.stem for eml, _ in PAIRS}
    assert any(n.startswith("oscar_confirmation") for n in names)
    assert any(n.startswith("demo_") for n in names)
    raw = b"".join(eml.read_bytes()[:2000] for eml, _ in PAIRS).lower()
    for marker in (
        b"quoted-printable",
        b"base64",
        b"iso-8859-2",
        b"windows-1250",
        b"koi8-r",
        b"windows-1251",
        b"gb2312",
        b"gbk",
        b"big5",
    ):
        assert marker in raw, marker


def test_precision_and_recall_reach_the_goal_for_every_fact() -> None:
    report = evaluate(CORPUS, analyze)
    assert report.messages == len(PAIRS) >= 120
    for fact in FACTS:
        tally = report.facts[fact]
        assert tally.tp > 0, fact
        assert tally.precision >= 0.95 and tally.recall >= 0.95, (fact, tally)


def test_held_out_platform_shapes_score_well_in_aggregate() -> None:
    report = Report()
    for eml, expected in HELD_OUT:
        evidence = analyze(eml.read_bytes())
        score_message(report, eml.stem, load_expected(expected), evidence)
        assert evidence.malformed is None, eml.stem
    assert report.messages >= 10
    low = {f: (t.precision, t.recall) for f, t in report.facts.items() if min(t.precision, t.recall) < 0.9}
    assert low == {}, report.mismatches


def test_a_wrong_analysis_is_caught_by_the_scoring() -> None:
    eml, expected = next(p for p in PAIRS if p[0].stem.startswith("oscar_confirmation_100002"))
    evidence = analyze(eml.read_bytes())
    evidence.items = evidence.items[:1]
    evidence.kind = MessageKind.marketing
    report = Report()
    score_message(report, eml.stem, load_expected(expected), evidence)
    assert report.facts["items"].fn == 1 and report.facts["kind"].fp == 1
    assert len(report.mismatches) == 2
