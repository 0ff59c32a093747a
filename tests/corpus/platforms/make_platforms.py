"""Regenerate the platforms corpus: ``python -m tests.corpus.platforms.make_platforms [--sources DIR] [--only NAME]``.

Each module in ``renderers/`` is one platform: it names its pinned sources
(``SOURCES``: repository, commit, license) and yields ``Sample``s from
``render(tree)``. ``--sources`` is a folder holding a copy of each repository
as ``owner+name`` (a snapshot's ``owner+name/repo`` git directory, or a plain
clone); nothing from those repositories is copied here except the rendered
messages. A platform's folder under ``messages/`` is replaced whole, so a
template that disappeared upstream leaves no stale message behind.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import shutil
import sys
from collections import Counter
from pathlib import Path

from tests.corpus.platforms import renderers
from tests.corpus.platforms.common import MESSAGES, SourceTree, write_sample


def platforms() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(renderers.__path__) if not m.name.startswith("_"))


def build(name: str, tree: SourceTree, out: Path = MESSAGES) -> Counter[str]:
    module = importlib.import_module(f"tests.corpus.platforms.renderers.{name}")
    folder = out / name
    if folder.exists():
        shutil.rmtree(folder)
    counts: Counter[str] = Counter()
    seen: set[str] = set()
    for sample in module.render(tree):
        if sample.name in seen:
            raise ValueError(f"{name}: two samples named {sample.name}")
        seen.add(sample.name)
        write_sample(sample, name, out)
        counts[f"{sample.labels['language']}:{sample.labels['kind']}"] += 1
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=Path, default=Path("/work/.mirror"), help="folder of owner+name copies")
    parser.add_argument("--only", action="append", default=[], help="platform(s) to build (default: all)")
    args = parser.parse_args(argv)
    tree = SourceTree(args.sources)
    total = 0
    for name in args.only or platforms():
        counts = build(name, tree)
        total += sum(counts.values())
        langs = sorted({k.split(":")[0] for k in counts})
        print(f"{name:20} {sum(counts.values()):4} messages  languages: {', '.join(langs)}")
    print(f"{total} messages in {MESSAGES}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
