"""Analysis on real platforms' own emails, scored leave-one-platform-out (issue 10).

The headline: every development platform's messages are analysed with the
lexicons *without* the entries that platform contributed (each entry added
because of a platform's mail records it: ``{phrase: ..., from: odoo}``), so a
platform is always read by an analyser that was not tuned on its words. Code
rules are shared by all platforms and cannot be left out this way: the
platforms' first, untuned scores in ``tests/corpus/platforms/README.md`` are
the honest figure for those.

Then, each on its own: a table per platform (worst one named), per language,
the hold-out platforms (nothing is ever tuned on them; their mismatches are
never printed) and the old generated corpus as a regression set.

Usage: ``python -m benchmarks.bench_analysis_platforms [-v] [--platform NAME]``
(``-v`` lists the mismatches of development platforms only).
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

from auditor.analysis import analyze
from auditor.analysis.evaluate import Report, corpus_files, load_expected, score_message
from auditor.analysis.lexicon import excluding, lexicons

ROOT = Path(__file__).resolve().parent.parent
PLATFORMS = ROOT / "tests" / "corpus" / "platforms" / "messages"
REGRESSION = ROOT / "tests" / "corpus" / "messages"
# Never opened, never tuned on: scored only, as a check of what tuning on the others did.
HOLDOUT = ("nopcommerce", "bagisto", "thelia", "zencart")
FACTS = ("kind", "order_number", "greeting", "items", "total", "language", "currency")
GOAL = 0.95


def _platforms() -> list[str]:
    return sorted(p.name for p in PLATFORMS.iterdir() if p.is_dir() and corpus_files(p)) if PLATFORMS.is_dir() else []


def _score(folder: Path, name: str, reports: list[Report], by_language: dict[str, Report] | None = None) -> int:
    count = 0
    for eml, labels in corpus_files(folder):
        expected = load_expected(labels)
        evidence = analyze(eml.read_bytes())
        targets = list(reports)
        if by_language is not None:
            targets.append(by_language[str(expected.get("language"))])
        for report in targets:
            score_message(report, f"{name}/{eml.stem}", expected, evidence)
        count += 1
    return count


def _cell(report: Report, fact: str) -> str:
    t = report.facts[fact]
    if not t.tp + t.fp + t.fn:
        return f"{'-':>11}"
    return f"{t.precision:5.2f}/{t.recall:<5.2f}"


def _low(report: Report, fact: str) -> float | None:
    t = report.facts[fact]
    return min(t.precision, t.recall) if t.tp + t.fp + t.fn else None


def _facts_table(title: str, report: Report) -> None:
    print(f"\n{title}: {report.messages} messages")
    print(f"  {'fact':14} {'tp':>5} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>8}")
    for fact in FACTS:
        t = report.facts[fact]
        if t.tp + t.fp + t.fn:
            print(f"  {fact:14} {t.tp:5} {t.fp:4} {t.fn:4} {t.precision:10.3f} {t.recall:8.3f}")


def _rows_table(title: str, rows: dict[str, Report]) -> None:
    print(f"\n{title} (precision/recall)")
    print(f"  {'':16} {'msgs':>5} " + " ".join(f"{f[:11]:>11}" for f in FACTS))
    for name, report in rows.items():
        print(f"  {name:16} {report.messages:5} " + " ".join(_cell(report, f) for f in FACTS))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list development platforms' mismatches")
    parser.add_argument("--platform", action="append", default=[], help="score only these development platforms")
    args = parser.parse_args()
    names = _platforms()
    if not names:
        print(f"no platforms corpus in {PLATFORMS}: render it with python -m tests.corpus.platforms.make_platforms")
        return
    dev = [n for n in names if n not in HOLDOUT and (not args.platform or n in args.platform)]
    held = [n for n in names if n in HOLDOUT and not args.platform]
    contributions = lexicons().contributions
    print(f"platforms corpus: {PLATFORMS}")
    print(
        "lexicon entries contributed, per platform: "
        + (", ".join(f"{k} {v}" for k, v in sorted(contributions.items())) or "none")
    )

    started = time.perf_counter()
    lopo, inside = Report(), Report()
    per_platform: dict[str, Report] = {}
    per_language: dict[str, Report] = defaultdict(Report)
    for name in dev:
        per_platform[name] = Report()
        with excluding(name):
            _score(PLATFORMS / name, name, [lopo, per_platform[name]], per_language)
        _score(PLATFORMS / name, name, [inside])
    _facts_table(f"HEADLINE, leave-one-platform-out over {len(dev)} development platforms ({', '.join(dev)})", lopo)
    _facts_table("the same messages read with every platform's entries (in-sample, for comparison)", inside)
    _rows_table("per platform, leave-one-platform-out", per_platform)
    print("  worst platform per fact: " + "; ".join(
        f"{fact} {min(lows, key=lambda kv: kv[1])[0]} {min(lows, key=lambda kv: kv[1])[1]:.2f}"
        for fact in FACTS
        if (lows := [(n, low) for n, r in per_platform.items() if (low := _low(r, fact)) is not None])
    ))  # fmt: skip
    _rows_table("per language, leave-one-platform-out", dict(sorted(per_language.items())))
    confused = ", ".join(f"{e} as {f} x{n}" for (e, f), n in lopo.kind_confusions.most_common(8))
    print(f"  kinds read wrong (labelled as found, leave-one-platform-out): {confused or 'none'}")
    misses = [(f, low) for f in FACTS if (low := _low(lopo, f)) is not None and low < GOAL]
    print(
        f"\nLOPO goal >= {GOAL} per fact: "
        + ("met" if not misses else "missed by " + ", ".join(f"{f} ({low:.3f})" for f, low in misses))
    )

    if held:
        holdout, per_held = Report(), {}
        for name in held:
            per_held[name] = Report()
            _score(PLATFORMS / name, name, [holdout, per_held[name]])
        _facts_table(f"HOLD-OUT platforms, never tuned on ({', '.join(held)})", holdout)
        _rows_table("per hold-out platform", per_held)

    regression = Report()
    _score(REGRESSION, "corpus", [regression])
    _facts_table(
        f"regression set: the old generated corpus ({REGRESSION.relative_to(ROOT)}), not a headline", regression
    )
    print(f"\nscored in {time.perf_counter() - started:.1f} s")
    if args.verbose:
        print("\nmismatches (development platforms, leave-one-platform-out):")
        for line in lopo.mismatches:
            if line.split(": ", 2)[1] in FACTS:
                print("  " + line)


if __name__ == "__main__":
    main()
