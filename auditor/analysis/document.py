"""A message body as the reader sees it: lines of text, table rows, images, links, embedded markup.

Every extractor works on this one flattened view, so HTML and plain text are
treated alike and HTML is parsed exactly once. The tree comes from lexbor
(selectolax), an HTML5 parser in C: it reads shop table soup the way a
browser does and is about five times faster than the stdlib tokenizer (figures
in docs/analysis.md). The walk over that tree is iterative, so absurdly deep
markup cannot exhaust Python's stack. Script, style, iframe and head content
never reach the text.
"""

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from html import unescape
from itertools import accumulate

from selectolax.lexbor import LexborHTMLParser, LexborNode

from auditor.models.money import Money
from auditor.models.money_text import find_money

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
MAX_DEPTH = 1000  # HTML5 tree building slows quadratically with open elements; real mail nests < 100 deep
_SCRIPT = re.compile(r"<script", re.I)
_IFRAME = re.compile(r"<iframe", re.I)
_TAG = re.compile(r"<(/?)([a-zA-Z][^\s/>]*)[^>]*?(/?)>")


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
    table: int | None = None  # HTML rows: which table (innermost) the row belongs to; a header maps only its own
    header: bool = False  # HTML rows: every cell is a <th>, or the row sits in a <thead>
    _money: dict[str | None, list[tuple[Money, str]]] = field(default_factory=dict, repr=False, compare=False)

    def amounts(self, locale: str | None = None) -> list[tuple[Money, str]]:
        """``find_money`` of this line, read once: items, totals, prices and recommendations all ask."""
        found = self._money.get(locale)
        if found is None:
            found = self._money[locale] = find_money(self.text, locale)
        return found


@dataclass
class Image:
    src: str
    alt: str
    width: int | None
    height: int | None
    line: int  # the line index it appeared on (or before)
    in_row: bool
    href: str = ""  # the link the picture sits in, if any (a logo links to the shop's home page)
    text_before: int = 0  # how many text lines came before it (0: it heads the message, as a logo does)


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


class _Flattener:
    """Turns the tree's start/end/text events into lines; a row with two or more filled cells stays a row."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.buf: list[str] = []
        self.cells: list[list[str]] | None = None  # the current row's cells (innermost table)
        self.row_stack: list[tuple[list[list[str]] | None, int | None, bool]] = []
        self.row_images: list[int] = []
        self.line_images: list[int] = []
        self.link: Link | None = None
        self.link_buf: list[str] = []
        self.micro_stack: list[tuple[str, MicroItem | None]] = []
        self.items: list[MicroItem] = []  # open itemscopes, innermost last
        self.micro_prop: list[tuple[str, MicroItem, list[str], str]] = []
        self.table: int | None = None  # the innermost open table
        self.tables = 0
        self.in_head = False  # inside <thead>
        self.th_only = True  # every cell of the current row so far is a <th>

    # -- text lines -------------------------------------------------------------
    def flush(self) -> None:
        """End the current paragraph: into the open table cell, or as a line of its own."""
        if not self.buf:
            return
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
        line = Line(text, "html", index, cells=cells, images=images, cell_parts=parts)
        if cells is not None:
            line.table = self.table
            line.header = self.in_head or self.th_only
        self.doc.lines.append(line)

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
        self.th_only = True

    # -- tree events ------------------------------------------------------------
    def start(self, tag: str, a: dict[str, str]) -> None:
        if self.micro_stack or "itemscope" in a:
            self.microdata_start(tag, a)
        if tag == "table":
            self.end_row(partial=True)
            self.row_stack.append((self.cells, self.table, self.in_head))
            self.cells = None
            self.tables += 1
            self.table = self.tables
            self.in_head = False
        elif tag == "tr":
            self.end_row()
            self.cells = []
        elif tag in ("td", "th"):
            if self.cells is None:
                self.cells = []
            self.flush()
            self.cells.append([])
            if tag == "td":
                self.th_only = False
        elif tag == "thead":
            self.end_row()
            self.in_head = True
        elif tag in _BLOCK_TAGS:
            self.flush()
        if tag == "img":
            self.image(a)
        elif tag == "a":
            self.link = Link(
                href=a.get("href", "").strip(), text="", line=len(self.doc.lines), title=a.get("title", "")
            )
            self.link_buf = []

    def end(self, tag: str) -> None:
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
            self.cells, self.table, self.in_head = self.row_stack.pop() if self.row_stack else (None, None, False)
        elif tag == "thead":
            self.end_row()
            self.in_head = False
        elif tag in _BLOCK_TAGS:
            self.flush()
        if self.micro_stack:
            self.microdata_end(tag)

    def data(self, data: str) -> None:
        if not self.buf and self.link is None and not self.micro_prop and data.isspace():
            return  # indentation between tags: a paragraph's leading space is dropped anyway
        self.buf.append(data)
        if self.link is not None:
            self.link_buf.append(data)
        if self.micro_prop:
            self.micro_prop[-1][2].append(data)

    def image(self, a: dict[str, str]) -> None:
        def _int(v: str) -> int | None:
            m = re.match(r"\s*(\d+)", v or "")
            return int(m.group(1)) if m else None

        width, height = _int(a.get("width", "")), _int(a.get("height", ""))
        style = a.get("style", "")
        if style and (width is None or height is None):
            # inline CSS sizes count as much as attributes: width:1px;height:1px is a tracking pixel
            css = dict(re.findall(r"(?<![-\w])(width|height)\s*:\s*(\d+)\s*px", style, re.I))
            width = width if width is not None else (int(css["width"]) if "width" in css else None)
            height = height if height is not None else (int(css["height"]) if "height" in css else None)
        img = Image(
            src=a.get("src", "").strip(),
            alt=_norm(unescape(a.get("alt", ""))),
            width=width,
            height=height,
            line=len(self.doc.lines),
            in_row=self.cells is not None,
            href=self.link.href if self.link is not None else "",
            text_before=len(self.doc.lines) + (1 if self.buf or (self.cells and any(self.cells)) else 0),
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


def _attrs(node: LexborNode) -> dict[str, str]:
    return {k: (v or "") for k, v in node.attributes.items()}


_ATTR_TAGS = frozenset({"img", "a"})  # the only tags whose attributes the flattener reads (besides microdata)
_EVENT_TAGS = _BLOCK_TAGS | _ATTR_TAGS | {"table", "tr", "td", "th", "thead"}  # the tags the flattener acts on


def _walk(root: LexborNode, out: _Flattener, microdata: bool = True) -> None:
    """Depth-first over the tree without recursion: start, text and end events in document order.

    Attributes are read only where they are used (images, links, and every tag when the HTML has
    microdata): building a dict per element is most of what a walk would otherwise cost."""
    start, end, data = out.start, out.end, out.data
    events = _ALL_TAGS if microdata else _EVENT_TAGS  # inline tags (span, b, font...) change no line
    empty: dict[str, str] = {}
    stack: list[LexborNode] = [root]
    start(root.tag, _attrs(root))
    node = root.child
    while True:
        if node is None:
            if not stack:
                return
            parent = stack.pop()
            tag = parent.tag
            if tag in events:
                end(tag)
            node = parent.next
            continue
        tag = node.tag
        if tag == "-text":
            data(node.text_content or "")
        elif tag is not None and tag[0] != "-" and tag not in _SKIP_TAGS:
            if tag in events:
                start(tag, _attrs(node) if (microdata or tag in _ATTR_TAGS) else empty)
            child = node.child
            if child is not None and tag not in _VOID:
                stack.append(node)
                node = child
                continue
            if tag in events:
                end(tag)
        node = node.next


class _AllTags(frozenset):  # type: ignore[type-arg]
    """Every tag is an event (microdata can sit on any tag)."""

    def __contains__(self, item: object) -> bool:
        return True


_ALL_TAGS = _AllTags()


def _bounded(html: str, doc: Document) -> str:
    """Cut HTML where it opens more than MAX_DEPTH elements without closing them (a hostile shape).

    The exact scan runs only when a cheap count (tags opened minus closed) says it could matter.
    """
    if html.count("<") - 2 * html.count("</") <= MAX_DEPTH:
        return html
    depth = 0
    for match in _TAG.finditer(html):
        if match.group(1):
            depth = max(0, depth - 1)
        elif not match.group(3) and match.group(2).lower() not in _VOID:
            depth += 1
            if depth > MAX_DEPTH:
                doc.truncated = True
                return html[: match.start()]
    return html


def from_html(html: str) -> Document:
    """Flatten HTML into lines, rows, images, links, JSON-LD and microdata."""
    doc = Document()
    if len(html) > MAX_HTML_CHARS:
        html = html[:MAX_HTML_CHARS]
        doc.truncated = True
    html = _bounded(html, doc)
    flattener = _Flattener(doc)
    try:
        tree = LexborHTMLParser(html)
        if _SCRIPT.search(html):  # a CSS query walks the whole tree: only when there can be something to find
            for script in tree.css("script"):
                if (script.attributes.get("type") or "").lower().strip() == "application/ld+json":
                    doc.jsonld.append(script.text(deep=True))
                else:
                    doc.scripts += 1
        if _IFRAME.search(html):
            doc.iframes = len(tree.css("iframe"))
        if tree.root is not None:
            _walk(tree.root, flattener, microdata="itemscope" in html)
    except Exception:  # noqa: BLE001 - whatever was read so far is kept, and the message says it was cut
        doc.truncated = True
    flattener.end_row()
    flattener.flush()
    if flattener.line_images:
        flattener.emit("")
    _place_links(doc)
    return doc


def _place_links(doc: Document) -> None:
    """Point each link at the line that shows its words: table cells are emitted only when their row
    ends, so the line count at the ``<a>`` tag can be behind. Links are in reading order; so are lines."""
    joined = "\n".join(line.text for line in doc.lines)  # link text has no newline: a find stays in one line
    offsets = list(accumulate((len(line.text) + 1 for line in doc.lines), initial=0))
    cursor = 0
    for link in doc.links:
        if not link.text:
            continue
        start = max(0, min(cursor, link.line) - 5)
        end = min(len(doc.lines), start + 2000)
        at = joined.find(link.text, offsets[start], offsets[end]) if start < end else -1
        if at < 0:
            at = joined.find(link.text, 0, offsets[start])
        if at >= 0:
            link.line = cursor = bisect_right(offsets, at) - 1


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


_WORD = re.compile(r"[^\W_]{2,}")
POINTER_MAX_CHARS = 400  # a text part longer than this says more than "open the HTML"


def _words(lines: list[Line]) -> list[str]:
    return [w.lower() for line in lines for w in _WORD.findall(_URL.sub(" ", line.text))]


def is_html_pointer(text: Document, html: Document) -> bool:
    """A plain-text part that only says to view the HTML ("view this email in your browser") is no alternative.

    Structural, so it holds in any language: the text is short beside the HTML (at most half its
    characters) and carries none of its content: no number the HTML shows (order number, amount,
    date), and either only the words of one of the HTML's own links ("View in browser") or mostly
    words the HTML does not have.
    """
    chars = sum(len(_URL.sub("", line.text)) for line in text.lines)
    html_chars = sum(len(line.text) for line in html.lines)
    if chars > POINTER_MAX_CHARS or chars * 2 > html_chars:
        return False
    words = _words(text.lines)
    labels = {_norm(link.text).lower() for link in html.links if link.text}
    link_lines = {i for i, line in enumerate(html.lines) if line.text.lower() in labels}
    html_words = set(_words([line for line in html.lines if line.index not in link_lines]))
    if any(w in html_words and any(ch.isdigit() for ch in w) for w in words):
        return False
    said = [_URL.sub(" ", line.text).strip(" :-–—>").lower() for line in text.lines]
    if all(not part or any(part in label or label in part for label in labels if label) for part in said):
        return True
    return sum(w in html_words for w in words) * 2 < len(words)
