"""Which HTML parser analysis reads mail with: accuracy and speed side by side, same flattener, same messages.

Each backend feeds the same start/end/text events into ``document._Flattener``,
so only the parser differs: lexbor (``selectolax``, what analysis uses), the
stdlib ``html.parser`` tokenizer (what it used before), and BeautifulSoup with
its fast ``lxml`` builder. Speed: milliseconds of CPU time per message to turn the HTML
part into a ``Document``. Accuracy: the whole analysis run with each backend,
scored per fact on the development platforms' messages and on the old
generated corpus (hold-out platforms are not opened). The figures are copied
into docs/analysis.md.

Usage: ``python -m benchmarks.bench_analysis_html`` (needs ``beautifulsoup4`` and ``lxml``:
``pip install -e '.[test]'``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from unittest import mock

from auditor.analysis import analyze, pipeline
from auditor.analysis.document import (
    _SKIP_TAGS,
    _VOID,
    MAX_HTML_CHARS,
    Document,
    _bounded,
    _Flattener,
    _place_links,
    from_html,
)
from auditor.analysis.evaluate import Report, corpus_files, load_expected, score_message
from auditor.mail.mime import parse_mime

ROOT = Path(__file__).resolve().parent.parent
PLATFORMS = ROOT / "tests" / "corpus" / "platforms" / "messages"
REGRESSION = ROOT / "tests" / "corpus" / "messages"
DEVELOPMENT = ("drupal_commerce", "evershop", "odoo", "openmage", "shopify", "solidus", "vendure", "woocommerce")
FACTS = ("kind", "greeting", "order_number", "items", "total")


def _finish(doc: Document, flattener: _Flattener) -> Document:
    flattener.end_row()
    flattener.flush()
    if flattener.line_images:
        flattener.emit("")
    _place_links(doc)
    return doc


class _Tokens(HTMLParser):
    """The stdlib tokenizer, skipping what mail clients strip, as analysis did before the tree."""

    def __init__(self, out: _Flattener) -> None:
        super().__init__(convert_charrefs=True)
        self.out, self.skip, self.jsonld = out, 0, False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "script":
            self.jsonld = a.get("type", "").lower() == "application/ld+json"
            self.out.doc.scripts += not self.jsonld
        if tag in _SKIP_TAGS:
            self.skip += tag not in _VOID
        elif not self.skip:
            self.out.start(tag, a)
            if tag in _VOID:
                self.out.end(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif not self.skip and tag not in _VOID:
            self.out.end(tag)

    def handle_data(self, data: str) -> None:
        if self.jsonld and self.skip:
            self.out.doc.jsonld.append(data)
        elif not self.skip:
            self.out.data(data)


def stdlib_document(html: str) -> Document:
    doc = Document()
    html = _bounded(html[:MAX_HTML_CHARS], doc)
    flattener = _Flattener(doc)
    tokens = _Tokens(flattener)
    tokens.feed(html)
    tokens.close()
    return _finish(doc, flattener)


def bs4_document(html: str) -> Document:
    """BeautifulSoup with the lxml builder, walked without recursion (explicit end markers)."""
    from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, Tag

    doc = Document()
    soup = BeautifulSoup(_bounded(html[:MAX_HTML_CHARS], doc), "lxml")
    for script in soup.find_all("script"):
        if str(script.get("type", "")).lower() == "application/ld+json":
            doc.jsonld.append(script.get_text())
        else:
            doc.scripts += 1
    doc.iframes = len(soup.find_all("iframe"))
    out = _Flattener(doc)
    todo: list[object] = list(reversed(list(soup.children)))
    while todo:
        item = todo.pop()
        if isinstance(item, tuple):  # ("end", name)
            out.end(item[1])
        elif isinstance(item, Tag):
            if item.name in _SKIP_TAGS:
                continue
            attrs = {k: " ".join(v) if isinstance(v, list) else str(v) for k, v in item.attrs.items()}
            out.start(item.name, attrs)
            todo.append(("end", item.name))
            todo.extend(reversed(list(item.children)))
        elif isinstance(item, NavigableString) and not isinstance(item, (Comment, Doctype)):
            out.data(str(item))
    return _finish(doc, out)


BACKENDS: dict[str, Callable[[str], Document]] = {
    "lexbor (selectolax)": from_html,
    "stdlib html.parser": stdlib_document,
    "bs4 + lxml": bs4_document,
}


def _messages() -> list[tuple[str, Path, Path]]:
    out = [
        (p.name, eml, exp) for p in sorted(PLATFORMS.iterdir()) if p.name in DEVELOPMENT for eml, exp in corpus_files(p)
    ]
    return out + [("regression", eml, exp) for eml, exp in corpus_files(REGRESSION)]


def main() -> None:
    messages = _messages()
    htmls = [m.html for m in (parse_mime(eml.read_bytes()) for _, eml, _ in messages) if m.html]
    mean = sum(map(len, htmls)) / len(htmls) / 1024
    print(f"{len(htmls)} HTML parts ({mean:.1f} KB mean) from {len(messages)} messages")
    header = f"{'backend':22} {'ms/msg':>7} " + " ".join(f"{f:>14}" for f in FACTS) + "  (P/R, development platforms)"
    print(header)
    for name, backend in BACKENDS.items():
        backend(htmls[0])
        best = float("inf")
        for _ in range(3):
            started = time.process_time()
            for html in htmls:
                backend(html)
            best = min(best, (time.process_time() - started) / len(htmls))
        dev, regression = Report(), Report()
        with mock.patch.object(pipeline, "from_html", backend):
            for platform, eml, exp in messages:
                report = regression if platform == "regression" else dev
                score_message(report, eml.stem, load_expected(exp), analyze(eml.read_bytes()))
        cells = []
        for fact in FACTS:
            t = dev.facts[fact]
            cells.append(f"{t.precision:.3f}/{t.recall:.3f}" if t.tp + t.fp + t.fn else "-")
        worst = min(min(t.precision, t.recall) for t in regression.facts.values() if t.tp + t.fp + t.fn)
        print(f"{name:22} {1000 * best:7.2f} " + " ".join(f"{c:>14}" for c in cells) + f"  regression min {worst:.3f}")


if __name__ == "__main__":
    main()
