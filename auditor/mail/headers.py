"""Raw bytes to a ``Message``: the headers every mailbox needs, decoded once and never fatally.

Stores send mail in every state of repair (8-bit headers, unknown charsets,
encoded words split mid-character, dates without zones); a mailbox that raised
on any of that would lose the very messages a finding is about. So everything
here degrades to "less known" instead of raising. Bodies are not read here:
that is ``auditor.mail.mime``'s job.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import hashlib
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from email.message import Message as EmailMessage
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import getaddresses, parsedate_to_datetime

from auditor.models.message import ArrivalSource, Message

_HEADER_END = re.compile(rb"\r?\n\r?\n")
_FOLD = re.compile(r"\r?\n(?=[ \t])")
_SPACES = re.compile(r"\s+")
_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_ONLY_SPACE = re.compile(r"[ \t\r\n]*")
_QP_HEX = re.compile(rb"=([0-9A-Fa-f]{2})")


def header_block(raw: bytes) -> bytes:
    """The bytes before the first empty line (all of ``raw`` if there is none)."""
    found = _HEADER_END.search(raw)
    return raw[: found.end()] if found else raw


def parse_headers(raw: bytes) -> EmailMessage:
    """Only the header section, parsed leniently (compat32 never raises on junk)."""
    return BytesHeaderParser(policy=compat32).parsebytes(header_block(raw))


def header_items(raw: bytes) -> list[tuple[str, str]]:
    """``(name, value)`` pairs in order, folded lines joined; lines without a colon are skipped.

    A plain split, several times faster than ``email.parser`` and just as lenient,
    because the sink and a 10,000-message IMAP sync call this for every message.
    8-bit bytes become surrogate escapes, as in compat32, and are decoded later.
    """
    text = header_block(raw).decode("ascii", "surrogateescape")
    items: list[tuple[str, str]] = []
    for line in text.splitlines():
        if not line.strip():
            break
        if line[0] in " \t":
            if items:
                name, value = items[-1]
                items[-1] = (name, f"{value}\r\n{line}")
            continue
        name, colon, value = line.partition(":")
        if colon and name and " " not in name.strip():
            items.append((name.strip(), value.lstrip(" \t")))
    return items


def _undo_surrogates(value: str) -> str:
    """8-bit bytes in a header arrive as surrogate escapes; most senders meant UTF-8."""
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        pass
    data = value.encode("ascii", "surrogateescape")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def _decode_bytes(data: bytes, charset: str) -> str:
    """Decode with the declared charset, then UTF-8, then cp1252: never raise."""
    name = charset.split("*", 1)[0].strip().lower()
    for candidate in (name, "utf-8"):
        try:
            codecs.lookup(candidate)
            return data.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", "replace")


def _word_bytes(encoding: str, text: str) -> bytes:
    if encoding in "bB":
        cleaned = re.sub(r"[^A-Za-z0-9+/]", "", text)
        cleaned += "=" * (-len(cleaned) % 4)
        try:
            return base64.b64decode(cleaned)
        except (binascii.Error, ValueError):
            return text.encode("ascii", "replace")
    data = text.replace("_", " ").encode("ascii", "replace")
    return _QP_HEX.sub(lambda m: bytes([int(m.group(1), 16)]), data)


def decode_header_value(value: str | None) -> str:
    """RFC 2047 text to one line of str; adjacent words of one charset are joined
    as bytes first, so a character split across two encoded words survives."""
    if not value:
        return ""
    text = _FOLD.sub("", _undo_surrogates(str(value)))
    out: list[str] = []
    pending: bytes = b""
    pending_charset = ""
    pos = 0
    after_word = False
    for word in _ENCODED_WORD.finditer(text):
        between = text[pos : word.start()]
        charset, encoding, payload = word.group(1), word.group(2), word.group(3)
        joined = after_word and _ONLY_SPACE.fullmatch(between) is not None
        if pending and (not joined or charset.lower() != pending_charset.lower()):
            out.append(_decode_bytes(pending, pending_charset))
            pending = b""
        if not joined:
            out.append(between)
        pending += _word_bytes(encoding, payload)
        pending_charset = charset
        pos = word.end()
        after_word = True
    if pending:
        out.append(_decode_bytes(pending, pending_charset))
    out.append(text[pos:])
    return _SPACES.sub(" ", "".join(out)).strip()


_ATOM = r"[^\s<>\",;:()@\[\]\\]+"
_SIMPLE_ADDRESS = re.compile(
    rf"\s*(?:(?P<bare>{_ATOM}@{_ATOM})|(?:{_ATOM}(?:\s+{_ATOM})*\s*)?<(?P<angle>{_ATOM}@{_ATOM})>)\s*"
)


def _address_pairs(values: list[str]) -> list[tuple[str, str]]:
    """The common one-address header by one regex (most headers); anything else via getaddresses."""
    pairs: list[tuple[str, str]] = []
    for value in values:
        simple = _SIMPLE_ADDRESS.fullmatch(value)
        if simple:
            pairs.append(("", simple.group("bare") or simple.group("angle")))
            continue
        try:
            pairs.extend(getaddresses([value]))
        except Exception:  # noqa: BLE001 - a malformed header must not lose the message
            continue
    return pairs


def parse_addresses(values: Sequence[str | None]) -> list[str]:
    """Bare addresses, lower-cased, in order, without repeats; junk is dropped."""
    cleaned = [_FOLD.sub("", _undo_surrogates(str(v))) for v in values if v]
    seen: dict[str, None] = {}
    for _, addr in _address_pairs(cleaned):
        addr = addr.strip().strip("<>").lower()
        if any(c.isspace() for c in addr):  # "Name addr@x" without brackets: keep the address token
            addr = next((t for t in reversed(addr.split()) if "@" in t), "")
        if "@" in addr:
            seen.setdefault(addr, None)
    return list(seen)


def parse_date(value: str | None) -> datetime | None:
    """An RFC 5322 date to aware UTC; a date without a zone is taken as UTC; junk is None."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(decode_header_value(value))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def _as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _all(headers: list[tuple[str, str]], name: str) -> list[str]:
    lowered = name.lower()
    return [v for k, v in headers if k.lower() == lowered]


def read_message(
    raw: bytes,
    *,
    arrived_at: datetime,
    mailbox: str,
    folder: str | None = None,
    envelope_from: str | None = None,
    envelope_to: Sequence[str] = (),
    arrival_source: ArrivalSource = "smtp",
) -> Message:
    """The ``Message`` for ``raw`` as one mailbox received it. Never raises on bad input:
    an unreadable header just leaves its field empty."""
    sha = hashlib.sha256(raw).hexdigest()
    base = {
        "sha256": sha,
        "mailbox": mailbox,
        "folder": folder,
        "arrived_at": _as_utc(arrived_at),
        "arrival_source": arrival_source,
        "envelope_from": envelope_from.strip().strip("<>").lower() if envelope_from is not None else None,
        "envelope_to": parse_addresses(list(envelope_to)),
        "size": len(raw),
    }
    try:
        headers = header_items(raw)
        from_addrs = parse_addresses(_all(headers, "From"))
        message_ids = _all(headers, "Message-ID")
        subjects = _all(headers, "Subject")
        dates = _all(headers, "Date")
        return Message(
            **base,
            date_header=parse_date(dates[0]) if dates else None,
            delivered_to=parse_addresses(_all(headers, "Delivered-To") + _all(headers, "X-Original-To")),
            from_addr=from_addrs[0] if from_addrs else "",
            to_addrs=parse_addresses(_all(headers, "To")),
            cc_addrs=parse_addresses(_all(headers, "Cc")),
            subject=decode_header_value(subjects[0]) if subjects else "",
            message_id=(_SPACES.sub("", _undo_surrogates(message_ids[0])) or None) if message_ids else None,
        )
    except Exception:  # noqa: BLE001 - the raw bytes are kept; a parse bug must not drop them
        return Message(**base)
