"""Analysis speed on real platforms' mail (the headline), and quality on the old generated corpus (a regression set).

Throughput: ``analyze(raw)`` (MIME parse + every extractor) in messages per
second of CPU time over the real-template corpus (``tests/corpus/platforms/messages/*/*.eml``;
the old corpus' ``real_*``/``oscar_*`` messages if it is absent), goal >= 300/s
in one process. Baseline, same run, same messages, rounds interleaved so a
busy machine slows both alike: the stdlib ``email`` parser reading each
message and its text/HTML bodies (``message_from_bytes`` +
``get_body().get_content()``); the ratio says what kind, facts and languages
cost on top of bare parsing. A per-extractor table (ms per message) names the
hot spots. The quality section scores the old generated corpus, whose phrases
were written from the lexicons: it is a regression set, never the headline
(that is ``bench_analysis_platforms``, leave-one-platform-out).

Usage: ``python -m benchmarks.bench_analysis [--rounds N] [--workers N] [--no-quality]``.
"""

from __future__ import annotations

import argparse
import contextlib
import email
import os
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from email import policy
from pathlib import Path

from auditor.analysis import analyze
from auditor.analysis.evaluate import FACTS, evaluate
from auditor.analysis.pipeline import PIPELINE
from auditor.mail.mime import parse_mime

ROOT = Path(__file__).resolve().parent.parent
REGRESSION = ROOT / "tests" / "corpus" / "messages"
PLATFORMS = ROOT / "tests" / "corpus" / "platforms" / "messages"
GOAL_QUALITY = 0.95
GOAL_RATE = 300.0


def real_template_mail() -> tuple[str, list[bytes]]:
    """The messages the throughput is measured on, and what they are."""
    files = sorted(PLATFORMS.glob("*/*.eml"))
    if files:
        return f"{len(files)} real-template messages in {PLATFORMS.relative_to(ROOT)}", [p.read_bytes() for p in files]
    files = sorted([*REGRESSION.glob("real_*.eml"), *REGRESSION.glob("oscar_*.eml")])
    return f"{len(files)} real_*/oscar_* messages (no platforms corpus yet)", [p.read_bytes() for p in files]


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


def _once(fn: Callable[[bytes], int], messages: list[bytes]) -> float:
    """Messages per second of this process' CPU time: on a shared machine, wall time measures the neighbours."""
    started = time.process_time()
    for raw in messages:
        fn(raw)
    return len(messages) / max(time.process_time() - started, 1e-9)


def rates(messages: list[bytes], rounds: int) -> tuple[float, float]:
    """(stdlib, analysis) messages per second, best of ``rounds``, the two interleaved round by round."""
    _analysis(messages[0])  # warm-up: lexicons and patterns compile once per process
    _stdlib(messages[0])
    base = ours = 0.0
    for _ in range(rounds):
        base = max(base, _once(_stdlib, messages))
        ours = max(ours, _once(_analysis, messages))
    return base, ours


def _chunk(args: tuple[list[bytes], int]) -> tuple[float, float]:
    return rates(*args)


def per_extractor(messages: list[bytes]) -> dict[str, float]:
    """Milliseconds per message in MIME parsing and in each extractor (one pass, for where the time goes)."""
    spent: dict[str, float] = defaultdict(float)
    for raw in messages:
        started = time.process_time()
        artifacts = {"mail": parse_mime(raw)}
        spent["(MIME parse)"] += time.process_time() - started
        errors: list[str] = []
        for ex in PIPELINE:
            started = time.process_time()
            ex.run(artifacts, errors)
            spent[ex.name] += time.process_time() - started
    return {name: 1000 * s / len(messages) for name, s in spent.items()}


def quality() -> None:
    report = evaluate(REGRESSION, analyze)
    print(f"\nregression set (old generated corpus, not the headline): {report.messages} messages in {REGRESSION}")
    print(f"{'fact':20} {'tp':>5} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>8}")
    worst = 1.0
    for fact in FACTS:
        t = report.facts[fact]
        if not t.tp + t.fp + t.fn:
            continue
        worst = min(worst, t.precision, t.recall)
        print(f"{fact:20} {t.tp:5} {t.fp:4} {t.fn:4} {t.precision:10.3f} {t.recall:8.3f}")
    print(f"lowest precision/recall: {worst:.3f} (goal >= {GOAL_QUALITY})")
    for line in report.mismatches[:20]:
        print(f"  mismatch: {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1, help="also measure this many processes side by side")
    parser.add_argument("--no-quality", action="store_true", help="skip the regression set's precision/recall")
    args = parser.parse_args()

    what, messages = real_template_mail()
    size = sum(map(len, messages)) / len(messages) / 1024
    print(f"throughput on {what} (mean {size:.1f} KB)")
    base, ours = rates(messages, args.rounds)
    print(
        f"1 process : stdlib email parse {base:7.0f} msg/s | parse + analysis {ours:7.0f} msg/s "
        f"| ratio {ours / base:.2f}x of baseline"
    )
    best = ours
    if args.workers > 1:
        with ProcessPoolExecutor(args.workers) as pool:
            results = list(pool.map(_chunk, [(messages, args.rounds)] * args.workers))
        base_n, ours_n = sum(r[0] for r in results), sum(r[1] for r in results)
        print(
            f"{args.workers} processes: stdlib email parse {base_n:7.0f} msg/s | parse + analysis {ours_n:7.0f} msg/s "
            f"| ratio {ours_n / base_n:.2f}x of baseline"
        )
    verdict = "meets" if best >= GOAL_RATE else "misses"
    print(f"analysis in one process {verdict} the goal of {GOAL_RATE:.0f} msg/s ({best:.0f} msg/s of CPU time)")
    print(f"(CPU time of this process; machine load {_load()})")
    spent = per_extractor(messages)
    total = sum(spent.values())
    print(f"\nwhere the time goes ({total:.2f} ms per message, one pass):")
    for name, ms in sorted(spent.items(), key=lambda kv: -kv[1])[:10]:
        print(f"  {name:20} {ms:6.2f} ms  {100 * ms / total:4.0f}%")
    if not args.no_quality:
        quality()


def _load() -> str:
    with contextlib.suppress(OSError):
        return f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    return "unknown"


if __name__ == "__main__":
    main()
