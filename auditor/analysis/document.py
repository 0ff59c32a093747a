"""A message body as the reader sees it: lines of text, table rows, images, links, embedded markup.

Every extractor works on this one flattened view, so HTML and plain text are
treated alike and HTML is parsed exactly once. The stdlib tokenizer is used
without building a tree (shop HTML is table soup; a tree costs time and buys
nothing here). Script, style, iframe and head content never reach the text.
"""

import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "br",
        "tr",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "section",
        "article",
        "header",
        "footer",
        "blockquote",
        "hr",
        "pre",
        "address",
        "center",
        "dl",
        "dt",
        "dd",
        "form",
        "title",
    }
)
_SKIP_TAGS = frozenset(
    {"script", "style", "iframe", "noscript", "head", "object", "embed", "svg", "template", "frame", "frameset"}
)
_VOID = frozenset(
    {"br", "img", "hr", "meta", "link", "input", "area", "base", "col", "embed", "source", "track", "wbr"}
)
_WS = re.compile(r"[ \t\r\n\u00a0\u200b\u200c\u200d\ufeff]+")
MAX_MICRO_DEPTH = 2000
MAX_TEXT_CHARS = 500_000  # plain text is denser than HTML: fewer characters buy the same time bound
MAX_LINE_CHARS = 20_000  # a "line" longer than this is not a line a person reads; the rest is ignored
MAX_HTML_CHARS = 1_000_000  # ten times where Gmail clips; past it the tail is ignored (and reported)


@dataclass
class Line:
    """One visual line; ``cells`` is set when the line is a table row."""

    text: str
    source: str  # "html" or "text"
    index: int
    cells: list[str] | None = None
    images: list[int] = field(default_factory=list)  # indexes into Document.images
    cell_parts: list[list[str]] | None = None  # each cell's own lines: name first, then variant or SKU
    blank_before: bool = False  # plain text: a blank line came before this one (a block ends there)


@dataclass
class Image:
    src: str
    alt: str
    width: int | None
    height: int | None
    line: int  # the line index it appeared on (or before)
    in_row: bool


@dataclass
class Link:
    href: str
    text: str
    line: int
    title: str = ""


@dataclass
class MicroItem:
    itemtype: str
    props: dict[str, str] = field(default_factory=dict)


@dataclass
class Document:
    lines: list[Line] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    jsonld: list[str] = field(default_factory=list)
    microdata: list[MicroItem] = field(default_factory=list)
    scripts: int = 0
    iframes: int = 0
    truncated: bool = False


def _norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


class _Flattener(HTMLParser):
    def __init__(self, doc: Document) -> None:
        super().__init__(convert_charrefs=True)
        self.doc = doc
        self.buf: list[str] = []
        self.cells: list[list[str]] | None = None  # the current row's cells (innermost table)
        self.row_stack: list[list[list[str]] | None] = []
        self.row_images: list[int] = []
        self.line_images: list[int] = []
        self.skip = 0
        self.jsonld_depth = False
        self.jsonld_buf: list[str] = []
        self.link: Link | None = None
        self.link_buf: list[str] = []
        self.micro_stack: list[tuple[str, MicroItem | None]] = []
        self.items: list[MicroItem] = []  # open itemscopes, innermost last
        self.micro_prop: list[tuple[str, MicroItem, list[str], str]] = []
        self.tag_depth = 0

    # -- text lines -------------------------------------------------------------
    def flush(self) -> None:
        """End the current paragraph: into the open table cell, or as a line of its own."""
        text = _norm("".join(self.buf))
        self.buf = []
        if not text:
            return
        if self.cells is not None:
            if not self.cells:
                self.cells.append([])
            self.cells[-1].append(text)
            return
        self.emit(text)

    def emit(self, text: str, cells: list[str] | None = None, parts: list[list[str]] | None = None) -> None:
        if len(text) > MAX_LINE_CHARS:
            text = text[:MAX_LINE_CHARS]
            self.doc.truncated = True
        images = self.line_images + self.row_images
        self.line_images, self.row_images = [], []
        index = len(self.doc.lines)
        for i in images:
            self.doc.images[i].line = index
        self.doc.lines.append(Line(text, "html", index, cells=cells, images=images, cell_parts=parts))

    def end_row(self, partial: bool = False) -> None:
        """A row with two or more filled cells is data (one line, with cells); else it is layout."""
        if self.cells is None:
            return
        self.flush()
        filled = [" ".join(c) for c in self.cells if c]
        if len(filled) >= 2:
            self.emit(" | ".join(filled), cells=filled, parts=[c for c in self.cells if c])
        else:
            for cell in self.cells:
                for para in cell:
                    self.emit(para)
        if self.row_images:
            self.line_images.extend(self.row_images)
            self.row_images = []
        self.cells = [[] for _ in self.cells] if partial else None

    # -- parser callbacks ---------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "script" and a.get("type", "").lower() == "application/ld+json":
            self.jsonld_depth = True
            self.jsonld_buf = []
            return
        if tag in _SKIP_TAGS:
            if tag == "script":
                self.doc.scripts += 1
            elif tag == "iframe":
                self.doc.iframes += 1
            if tag not in _VOID:
                self.skip += 1
            return
        if self.skip:
            return
        self.microdata_start(tag, a)
        if tag == "table":
            self.end_row(partial=True)
            self.row_stack.append(self.cells)
            self.cells = None
        elif tag == "tr":
            self.end_row()
            self.cells = []
        elif tag in ("td", "th"):
            if self.cells is None:
                self.cells = []
            self.flush()
            self.cells.append([])
        elif tag in _BLOCK_TAGS:
            self.flush()
        if tag == "img":
            self.image(a)
        elif tag == "a":
            self.link = Link(
                href=a.get("href", "").strip(), text="", line=len(self.doc.lines), title=a.get("title", "")
            )
            self.link_buf = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.jsonld_depth and tag == "script":
            self.doc.jsonld.append("".join(self.jsonld_buf))
            self.jsonld_depth = False
            return
        if tag in _SKIP_TAGS:
            if self.skip and tag not in _VOID:
                self.skip -= 1
            return
        if self.skip:
            return
        if tag == "a" and self.link is not None:
            self.link.text = _norm("".join(self.link_buf))
            self.doc.links.append(self.link)
            self.link = None
        if tag == "tr":
            self.end_row()
        elif tag in ("td", "th"):
            self.flush()
        elif tag == "table":
            self.end_row()
            self.cells = self.row_stack.pop() if self.row_stack else None
        elif tag in _BLOCK_TAGS:
            self.flush()
        self.microdata_end(tag)

    def handle_data(self, data: str) -> None:
        if self.jsonld_depth:
            self.jsonld_buf.append(data)
            return
        if self.skip:
            return
        self.buf.append(data)
        if self.link is not None:
            self.link_buf.append(data)
        if self.micro_prop:
            self.micro_prop[-1][2].append(data)

    def image(self, a: dict[str, str]) -> None:
        def _int(v: str) -> int | None:
            m = re.match(r"\s*(\d+)", v or "")
            return int(m.group(1)) if m else None

        img = Image(
            src=a.get("src", "").strip(),
            alt=_norm(unescape(a.get("alt", ""))),
            width=_int(a.get("width", "")),
            height=_int(a.get("height", "")),
            line=len(self.doc.lines),
            in_row=self.cells is not None,
        )
        self.doc.images.append(img)
        index = len(self.doc.images) - 1
        (self.row_images if self.cells is not None else self.line_images).append(index)
        if self.link is not None and img.alt:
            self.link_buf.append(f" {img.alt} ")

    # -- microdata (schema.org itemscope/itemprop) ---------------------------------
    def microdata_start(self, tag: str, a: dict[str, str]) -> None:
        """Track tags only inside an itemscope, so ordinary (even absurdly deep) HTML costs nothing here."""
        opening = "itemscope" in a
        if not opening and not self.micro_stack:
            return
        item: MicroItem | None = None
        if opening:
            item = MicroItem(itemtype=a.get("itemtype", ""))
            self.doc.microdata.append(item)
        parent = self.items[-1] if self.items else None
        prop = a.get("itemprop")
        if prop and parent is not None and item is None:
            value = a.get("content") or a.get("href") or a.get("src") or a.get("datetime")
            if value:
                parent.props.setdefault(prop, value)
            elif tag not in _VOID:
                self.micro_prop.append((tag, parent, [], prop))
        if prop and parent is not None and item is not None:
            parent.props.setdefault(prop, f"<{item.itemtype}>")
        if tag not in _VOID and len(self.micro_stack) < MAX_MICRO_DEPTH:
            self.micro_stack.append((tag, item))
            if item is not None:
                self.items.append(item)

    def microdata_end(self, tag: str) -> None:
        if not self.micro_stack:
            return
        if self.micro_prop and self.micro_prop[-1][0] == tag:
            _, parent, buf, prop = self.micro_prop.pop()
            parent.props.setdefault(prop, _norm("".join(buf))[:300])
        for i in range(len(self.micro_stack) - 1, max(-1, len(self.micro_stack) - 8), -1):
            if self.micro_stack[i][0] == tag:
                for _, closed in self.micro_stack[i:]:
                    if closed is not None and self.items and self.items[-1] is closed:
                        self.items.pop()
                del self.micro_stack[i:]
                break


def from_html(html: str) -> Document:
    """Flatten HTML into lines, rows, images, links, JSON-LD and microdata."""
    doc = Document()
    if len(html) > MAX_HTML_CHARS:
        html = html[:MAX_HTML_CHARS]
        doc.truncated = True
    parser = _Flattener(doc)
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # noqa: BLE001 - HTMLParser is lenient; whatever it read so far is kept
        doc.truncated = True
    parser.end_row()
    parser.flush()
    if parser.line_images:
        parser.emit("")
    _place_links(doc)
    return doc


def _place_links(doc: Document) -> None:
    """Point each link at the line that shows its words: table cells are emitted only when their row
    ends, so the line count at the ``<a>`` tag can be behind. Links are in reading order; so are lines."""
    cursor = 0
    for link in doc.links:
        if not link.text:
            continue
        start = max(0, min(cursor, link.line) - 5)
        end = min(len(doc.lines), start + 2000)
        found = next((i for i in range(start, end) if link.text in doc.lines[i].text), None)
        if found is None:
            found = next((i for i in range(0, start) if link.text in doc.lines[i].text), None)
        if found is not None:
            link.line = found
            cursor = found


def from_text(text: str) -> Document:
    """Plain text: one Line per non-empty line; URLs become links. Bounded like HTML (see MAX_*)."""
    doc = Document()
    if len(text) > MAX_TEXT_CHARS:
        text = text[:MAX_TEXT_CHARS]
        doc.truncated = True
    blank = False
    for raw_line in text.splitlines():
        if len(raw_line) > MAX_LINE_CHARS:
            raw_line = raw_line[:MAX_LINE_CHARS]
            doc.truncated = True
        line = _norm(raw_line)
        if not line:
            blank = True
            continue
        index = len(doc.lines)
        cells = [c.strip() for c in line.split(" | ")] if line.count(" | ") >= 1 else None
        if cells is not None:
            cells = [c for c in cells if c] or None  # a text table: "Name | 2 szt. | 129,00 zł"
        parts = [[c] for c in cells] if cells else None
        doc.lines.append(Line(line, "text", index, cells=cells, cell_parts=parts, blank_before=blank and index > 0))
        blank = False
        for m in _URL.finditer(line):
            # In plain text the words before a URL are its label ("Track your parcel: https://...").
            label = line[: m.start()].rstrip(" :-–—>").rsplit(". ", 1)[-1][-80:].strip()
            doc.links.append(Link(href=m.group(0).rstrip(".,;)>"), text=label, line=index))
    return doc


_URL = re.compile(r"https?://[^\s<>\"']+")
