"""One platform's score by the analyser as it is now: ``python -m tests.corpus.platforms.score NAME [-v]``.

Run it right after a platform's messages are first rendered, before any change
to the analysis is made for that platform, and copy the line it prints into
README.md: that is the platform's first, untuned score.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

from auditor.analysis import analyze
from auditor.analysis.evaluate import evaluate
from tests.corpus.platforms.common import HERE, MESSAGES

HEADLINE = ("kind", "order_number", "greeting", "items", "total")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("platform")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every mismatch")
    args = parser.parse_args(argv)
    report = evaluate(MESSAGES / args.platform, analyze)
    commit = subprocess.run(
        ["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    cells = []
    for fact in HEADLINE:
        t = report.facts[fact]
        if t.tp + t.fp + t.fn:
            cells.append(f"{fact} P{t.precision:.2f}/R{t.recall:.2f}")
    print(f"| {args.platform} | {report.messages} msgs | analyser at {commit} | " + " · ".join(cells) + " |")
    if args.verbose:
        for line in report.mismatches:
            print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
