"""Embedded ``cid:`` images shown in a preview, as a mail client shows them, while remote ones stay blocked.

An image sent inside the message (``<img src="cid:logo">`` + an ``image/*`` part
with ``Content-ID: <logo>``) is no tracking pixel: every client shows it. The
sanitiser only keeps ordinary URL schemes, so each known ``cid:`` reference is
swapped for a placeholder before cleaning and for a ``data:`` URI after, which
the preview's content security policy (``img-src data:``) allows.
"""

import base64
import email
import email.policy
import re

ALLOWED_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_TOTAL_BYTES = 8 * 1024 * 1024
PLACEHOLDER = "https://cid.invalid/"

_CID_REF = re.compile(r"""cid:([^"'\s>)]+)""", re.IGNORECASE)


def cid_images(raw: bytes) -> dict[str, str]:
    """Content-ID (without <>) -> data: URI, for the message's inline raster images within the size caps."""
    if b"cid:" not in raw.lower():
        return {}
    try:
        message = email.message_from_bytes(raw, policy=email.policy.compat32)
    except Exception:  # noqa: BLE001 - a message we cannot walk just shows no embedded images
        return {}
    found: dict[str, str] = {}
    total = 0
    for part in message.walk():
        cid = part.get("Content-ID")
        ctype = part.get_content_type()
        if not cid or ctype not in ALLOWED_TYPES:
            continue
        try:
            data = part.get_payload(decode=True) or b""
        except Exception:  # noqa: BLE001 - one unreadable part loses only that image
            continue
        if not data or len(data) > MAX_IMAGE_BYTES or total + len(data) > MAX_TOTAL_BYTES:
            continue
        total += len(data)
        found[str(cid).strip().strip("<>")] = f"data:{ctype};base64,{base64.b64encode(data).decode('ascii')}"
    return found


def to_placeholders(html: str, images: dict[str, str]) -> tuple[str, dict[str, str]]:
    """``cid:X`` (X known) -> a placeholder URL the sanitiser keeps; returns the html and placeholder -> data URI."""
    if not images:
        return html, {}
    placeholders: dict[str, str] = {}  # content id -> placeholder
    keys = {k.lower(): k for k in images}

    def swap(match: re.Match[str]) -> str:
        key = keys.get(match.group(1).lower())
        if key is None:
            return match.group(0)  # no such part: left as is, the sanitiser drops it
        return placeholders.setdefault(key, f"{PLACEHOLDER}{len(placeholders)}.img")

    html = _CID_REF.sub(swap, html)
    return html, {placeholder: images[key] for key, placeholder in placeholders.items()}


def from_placeholders(html: str, swaps: dict[str, str]) -> str:
    """Placeholders back to data: URIs (each ends in ``.img``, so ``/1.img`` is never part of ``/11.img``)."""
    for placeholder in swaps:
        html = html.replace(placeholder, swaps[placeholder])
    return html
