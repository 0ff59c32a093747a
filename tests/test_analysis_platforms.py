"""The real-template platforms corpus as a regression guard, and the rules of its honesty.

Floors, not goals: benchmarks/bench_analysis_platforms.py prints the real
figures (leave-one-platform-out, hold-out). Here: the development platforms
stay read as well as they are now, and no lexicon entry was ever made for a
hold-out platform or a platform kept for the independent check.
"""

from pathlib import Path

import pytest
import yaml

from auditor.analysis import analyze
from auditor.analysis.evaluate import Report, corpus_files, load_expected, score_message
from auditor.analysis.lexicon import LEXICON_DIR, excluding, lexicons

PLATFORMS = Path(__file__).parent / "corpus" / "platforms" / "messages"
HOLDOUT = {"nopcommerce", "bagisto", "thelia", "zencart"}
NEVER = {"prestashop", "magento2", "magento", "shopware", "sylius", "saleor", "spree", "opencart", "oscar"}
DEV = sorted(p.name for p in PLATFORMS.iterdir() if p.is_dir() and p.name not in HOLDOUT) if PLATFORMS.is_dir() else []
FLOORS = {"kind": 0.95, "order_number": 0.95, "greeting": 0.97, "total": 0.95, "currency": 0.97}


def _sources(node: object) -> set[str]:
    if isinstance(node, dict):
        if "phrase" in node and "from" in node:
            names = node["from"]
            return set(names if isinstance(names, list) else [names])
        return set().union(*(_sources(v) for v in node.values())) if node else set()
    if isinstance(node, list):
        return set().union(*(_sources(v) for v in node)) if node else set()
    return set()


E2E_STORES = {"cartridge", "oscar"}


def test_no_entry_was_made_for_a_holdout_or_an_independent_check_platform() -> None:
    named: set[str] = set()
    for path in LEXICON_DIR.glob("*.yaml"):
        named |= _sources(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert named, "the lexicons record which platform each tuned entry came from"
    assert not named & (HOLDOUT | NEVER)
    # besides the development platforms, only the real stores the end-to-end tests drive (not in the corpus)
    assert named <= set(DEV) | E2E_STORES or not DEV, named - set(DEV) - E2E_STORES


@pytest.mark.skipif(not DEV, reason="platforms corpus not rendered")
def test_development_platforms_stay_read_as_well_as_they_are() -> None:
    report = Report()
    for name in DEV:
        for eml, labels in corpus_files(PLATFORMS / name):
            score_message(report, f"{name}/{eml.stem}", load_expected(labels), analyze(eml.read_bytes()))
    for fact, floor in FLOORS.items():
        t = report.facts[fact]
        assert min(t.precision, t.recall) >= floor, (fact, t, [m for m in report.mismatches if f": {fact}:" in m])


@pytest.mark.skipif(not DEV, reason="platforms corpus not rendered")
def test_leaving_a_platform_out_takes_away_its_own_words() -> None:
    """Scored without its entries, a platform that contributed some is read worse, never better."""
    contributors = [p for p in DEV if lexicons().contributions.get(p)]
    contributors.sort(key=lambda p: len(corpus_files(PLATFORMS / p)))  # the smallest first: a fast test
    for platform in contributors:
        inside, outside = Report(), Report()
        for eml, labels in corpus_files(PLATFORMS / platform):
            expected = load_expected(labels)
            raw = eml.read_bytes()
            score_message(inside, eml.stem, expected, analyze(raw))
            with excluding(platform):
                score_message(outside, eml.stem, expected, analyze(raw))
        before = sum(t.tp for t in inside.facts.values())
        after = sum(t.tp for t in outside.facts.values())
        assert after <= before, platform
        if after < before:
            return
    pytest.fail(f"no platform's own entries changed its reading: {contributors}")
