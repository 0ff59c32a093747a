"""A message as a privacy-protecting mail client first shows it: the preview the snapshot stage stores.

Read from the raw message once, here (the report never parses mail): the HTML
part is sanitised (nh3: no scripts, no event handlers, no forms), embedded
``cid:`` images are inlined as ``data:`` URIs, and every remote reference
(images, CSS ``url()``) is taken out before a browser sees it, so neither the
stored picture nor the report's sandboxed preview frame ever asks a store's
server for anything; the content security policy in the document is the
second lock (and with no blocked load there is no console error either).

A hostile or broken email can still be huge: a 5 MB message with 60,000 remote
images took a browser 68 s to open (each blocked load is still an element laid
out and reported). So a preview embeds at most ``MAX_HTML_CHARS`` of the HTML,
``MAX_IMAGES`` images and ``MAX_ELEMENTS`` elements, and says at its top what it
left out; the whole message stays in the campaign's ``mail/`` folder.
"""

import hashlib
import html as htmllib
import re
from html.parser import HTMLParser

import nh3
from pydantic import BaseModel

from auditor.analysis.cid_images import PLACEHOLDER, cid_images, from_placeholders, to_placeholders
from auditor.mail.mime import parse_mime

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
_HEAD = f'<!doctype html><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="{_CSP}">'
_ALLOWED_ATTRIBUTES = {
    "*": {"style", "class", "align", "width", "height", "bgcolor", "border", "cellpadding", "cellspacing"},
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "td": {"colspan", "rowspan", "valign"},
    "th": {"colspan", "rowspan", "valign"},
}

MAX_HTML_CHARS = 1_000_000
"""Characters of the email's HTML (or text) a preview starts from; a real confirmation is ~50 KB."""
MAX_IMAGES = 200
MAX_ELEMENTS = 10_000

_VOID = frozenset({"area", "br", "col", "hr", "img", "wbr", "source", "track", "input", "meta", "link", "base"})
_TAG = re.compile(r"<[a-zA-Z]")
_IMG = re.compile(r"<img\b", re.IGNORECASE)


class Shortened(BaseModel):
    """What a preview left out, to say so in it."""

    source_chars: int | None = None
    images: tuple[int, int] | None = None  # (shown, in the part kept)
    elements: int | None = None  # elements shown before the rest was cut

    def __bool__(self) -> bool:
        return any(v is not None for v in (self.source_chars, self.images, self.elements))

    def notice(self, sha256: str) -> str:
        said = []
        if self.source_chars is not None:
            said.append(f"only the first {MAX_HTML_CHARS:,} of {self.source_chars:,} characters")
        if self.images is not None:
            said.append(f"{self.images[0]} of {self.images[1]:,} images")
        if self.elements is not None:
            said.append(f"the first {self.elements:,} elements")
        return (
            '<div style="font:13px sans-serif;background:#fff4ce;border:1px solid #d8b400;padding:6px 8px;'
            'margin:0 0 8px">Preview shortened so this report stays usable: shows '
            + htmllib.escape("; ".join(said))
            + f". The whole message is mail/{sha256}.eml.</div>"
        )


class _Capper(HTMLParser):
    """Re-emit sanitised HTML, keeping at most MAX_IMAGES images and MAX_ELEMENTS elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []
        self.elements = 0
        self.images = 0
        self.images_seen = 0
        self.cut = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.cut:
            return
        if tag == "img":
            self.images_seen += 1
            if self.images >= MAX_IMAGES:
                return
            self.images += 1
        if self.elements >= MAX_ELEMENTS:
            self.cut = True
            return
        self.elements += 1
        text = "".join(f' {k}="{htmllib.escape(v or "", quote=True)}"' for k, v in attrs)
        self.out.append(f"<{tag}{text}>")
        if tag not in _VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if self.open and self.open[-1] == tag and tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.cut or tag in _VOID or tag not in self.open:
            return
        while self.open:
            top = self.open.pop()
            self.out.append(f"</{top}>")
            if top == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.cut:
            self.out.append(htmllib.escape(data, quote=False))

    def result(self) -> str:
        return "".join(self.out) + "".join(f"</{t}>" for t in reversed(self.open))


def sanitised_html(html: str) -> str:
    return _HEAD + _clean(html)


def _clean(html: str) -> str:
    attributes = {tag: set(attrs) for tag, attrs in _ALLOWED_ATTRIBUTES.items()}
    return nh3.clean(
        html,
        clean_content_tags={"script", "style", "title"},
        tags=nh3.ALLOWED_TAGS | {"font"},
        attributes=attributes,
        link_rel="noopener noreferrer nofollow",
    )


def _capped(html: str, shortened: Shortened) -> str:
    """Sanitised HTML within the caps; ``shortened`` records what was left out."""
    if len(html) > MAX_HTML_CHARS:
        shortened.source_chars = len(html)
        html = html[:MAX_HTML_CHARS]  # nh3 closes whatever the cut left open
    clean = _clean(html)
    images = len(_IMG.findall(clean))
    if images <= MAX_IMAGES and len(_TAG.findall(clean)) <= MAX_ELEMENTS:
        return clean
    capper = _Capper()
    capper.feed(clean)
    capper.close()
    if capper.images_seen > capper.images:
        shortened.images = (capper.images, capper.images_seen)
    if capper.cut:
        shortened.elements = capper.elements
    return capper.result()


_REMOTE_SRC = re.compile(
    r"""(<img\b[^>]*?\s)src=(["'])(?!data:|""" + re.escape(PLACEHOLDER) + r""")([^"']*)\2""", re.IGNORECASE
)
_REMOTE_URL = re.compile(r"""url\(\s*(?!['"]?data:)[^)]*\)""", re.IGNORECASE)


def block_remote(html: str) -> str:
    """Remote image sources kept only as ``data-remote-src`` (alt text shows), CSS ``url()`` emptied."""
    html = _REMOTE_SRC.sub(lambda m: f"{m.group(1)}data-remote-src={m.group(2)}{m.group(3)}{m.group(2)}", html)
    return _REMOTE_URL.sub("none", html)


def preview_document(raw: bytes) -> str:
    """The stored preview of a message: its HTML part sanitised, else its text escaped; capped; nothing remote."""
    parsed = parse_mime(raw)
    shortened = Shortened()
    if parsed.html:
        html, swaps = to_placeholders(parsed.html, cid_images(raw))
        body = from_placeholders(block_remote(_capped(html, shortened)), swaps)
    else:
        text = parsed.text or ""
        if len(text) > MAX_HTML_CHARS:
            shortened.source_chars = len(text)
            text = text[:MAX_HTML_CHARS]
        escaped = htmllib.escape(text, quote=False)
        body = f'<pre style="white-space:pre-wrap;font:13px sans-serif">{escaped}</pre>'
    notice = shortened.notice(hashlib.sha256(raw).hexdigest()) if shortened else ""
    return _HEAD + notice + body
