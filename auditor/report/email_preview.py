"""A store's email shown inside our report without ever running it.

The HTML is sanitised (nh3: no scripts, no event handlers, no forms), then
placed in an ``<iframe sandbox>`` whose content security policy also blocks
every remote load, so opening a report never fires a store's tracking pixel.
"""

import nh3

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


def sanitised_html(html: str) -> str:
    attributes = {tag: set(attrs) for tag, attrs in _ALLOWED_ATTRIBUTES.items()}
    clean = nh3.clean(
        html,
        clean_content_tags={"script", "style", "title"},
        tags=nh3.ALLOWED_TAGS | {"font"},
        attributes=attributes,
        link_rel="noopener noreferrer nofollow",
    )
    return _HEAD + clean


def preview_document(raw: bytes) -> str:
    """The srcdoc for a message's preview: its HTML part sanitised, else its text escaped."""
    parsed = parse_mime(raw)
    if parsed.html:
        return sanitised_html(parsed.html)
    text = parsed.text or ""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'{_HEAD}<pre style="white-space:pre-wrap;font:13px sans-serif">{escaped}</pre>'
