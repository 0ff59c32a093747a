"""A message as a privacy-protecting mail client first shows it: the preview the snapshot stage stores.

Read from the raw message once (MIME here, never in the report): the HTML part
sanitised and capped (``auditor.report.email_preview``'s rules), embedded
``cid:`` images inlined as ``data:`` URIs, and every remote reference (images,
CSS ``url()``) taken out before a browser sees it, so neither the picture nor
the report's preview ever asks a store's server for anything (the CSP in the
document is the second lock, and no blocked load means no console error).
"""

import hashlib
import html as htmllib
import re

from auditor.analysis.cid_images import PLACEHOLDER, cid_images, from_placeholders, to_placeholders
from auditor.mail.mime import parse_mime
from auditor.report.email_preview import _HEAD, MAX_HTML_CHARS, Shortened, _capped

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
