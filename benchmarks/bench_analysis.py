"""Analysis quality and speed over the labelled corpus (issue 5).

Prints precision and recall per fact (goal >= 0.95 each) and throughput of
parse + analysis in messages per second (goal >= 300/s on 2 cores). Baseline,
same run, same messages: the stdlib ``email`` parser reading each message and
its text/HTML bodies (``message_from_bytes`` + ``get_body().get_content()``),
so the ratio says what kind, facts and languages cost on top of bare parsing.

Usage: ``python -m benchmarks.bench_analysis [--rounds N] [--workers N]``.
"""

from __future__ import annotations

import argparse
import contextlib
import email
import os
import time
from concurrent.futures import ProcessPoolExecutor
from email import policy
from pathlib import Path

from auditor.analysis import analyze
from auditor.analysis.evaluate import FACTS, Report, corpus_files, evaluate, load_expected, score_message

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "corpus" / "messages"
GOAL_QUALITY = 0.95
GOAL_RATE = 300.0


def _stdlib(raw: bytes) -> int:
    msg = email.message_from_bytes(raw, policy=policy.default)
    size = 0
    for kind in ("plain", "html"):
        part = msg.get_body(preferencelist=(kind,))
        if part is not None:
            with contextlib.suppress(LookupError, UnicodeError):
                size += len(part.get_content())
    return size


def _analysis(raw: bytes) -> int:
    return len(analyze(raw).items)


def _rate(fn, messages: list[bytes], rounds: int) -> float:  # type: ignore[no-untyped-def]
    fn(messages[0])  # warm-up: lexicons and patterns compile once per process
    best = 0.0
    for _ in range(rounds):
        started = time.perf_counter()
        for raw in messages:
            fn(raw)
        best = max(best, len(messages) / (time.perf_counter() - started))
    return best


def _chunk(args: tuple[str, list[bytes], int]) -> float:
    name, messages, rounds = args
    return _rate(_analysis if name == "analysis" else _stdlib, messages, rounds)


def _parallel(name: str, messages: list[bytes], rounds: int, workers: int) -> float:
    """Messages per second with ``workers`` processes, each taking the whole corpus."""
    with ProcessPoolExecutor(workers) as pool:
        rates = list(pool.map(_chunk, [(name, messages, rounds)] * workers))
    return sum(rates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    args = parser.parse_args()

    messages = [p.read_bytes() for p in sorted(CORPUS.glob("*.eml"))]
    report = evaluate(CORPUS, analyze)
    print(f"corpus: {report.messages} labelled messages in {CORPUS}")
    print(f"{'fact':20} {'tp':>5} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>8}")
    worst = 1.0
    for fact in FACTS:
        t = report.facts[fact]
        worst = min(worst, t.precision, t.recall)
        print(f"{fact:20} {t.tp:5} {t.fp:4} {t.fn:4} {t.precision:10.3f} {t.recall:8.3f}")
    print(f"lowest precision/recall: {worst:.3f} (goal >= {GOAL_QUALITY})")
    for line in report.mismatches[:20]:
        print(f"  mismatch: {line}")
    held = Report()
    for eml, expected in corpus_files(CORPUS):
        if eml.stem.startswith("real_"):
            score_message(held, eml.stem, load_expected(expected), analyze(eml.read_bytes()))
    scored = [(f, t) for f, t in held.facts.items() if t.tp + t.fp + t.fn]
    low = min((min(t.precision, t.recall) for _, t in scored), default=1.0)
    print(
        f"held-out hand-labelled platform shapes (real_*): {held.messages} messages, lowest precision/recall {low:.3f}"
    )

    base_1 = _rate(_stdlib, messages, args.rounds)
    ours_1 = _rate(_analysis, messages, args.rounds)
    print(
        f"\n1 process : stdlib email parse {base_1:8.0f} msg/s | parse + analysis {ours_1:8.0f} msg/s "
        f"| ratio {ours_1 / base_1:.2f}x of baseline"
    )
    if args.workers > 1:
        base_n = _parallel("stdlib", messages, args.rounds, args.workers)
        ours_n = _parallel("analysis", messages, args.rounds, args.workers)
        print(
            f"{args.workers} processes: stdlib email parse {base_n:8.0f} msg/s | parse + analysis {ours_n:8.0f} msg/s "
            f"| ratio {ours_n / base_n:.2f}x of baseline"
        )
        ours_1 = max(ours_1, ours_n)
    verdict = "meets" if ours_1 >= GOAL_RATE else "misses"
    print(f"throughput {verdict} the goal of {GOAL_RATE:.0f} msg/s (best {ours_1:.0f} msg/s)")


if __name__ == "__main__":
    main()
