"""Split a raw email into headers, a text body, an HTML body and a list of parts, without ever crashing.

Shops send odd MIME: wrong or missing charsets, truncated multiparts, huge
attachments, absurd nesting. The stdlib parser recurses per level and decodes
everything; this walker works on byte offsets, decodes only the two bodies the
analysis reads, stops at fixed depth/part/size limits, and writes down every
problem it met instead of raising, so a broken message still yields what could
be read and why the rest could not.
"""

import binascii
import codecs
import re
from email.header import decode_header
from email.message import Message as _StdMessage

from pydantic import BaseModel, Field

MAX_DEPTH = 32
MAX_PARTS = 500
MAX_HEADER_BYTES = 256 * 1024
MAX_BODY_BYTES = 8 * 1024 * 1024  # a text or HTML body larger than this is cut, and the cut is reported

# Declared charsets that Python knows under another (or a wider, compatible) name.
CHARSET_ALIASES: dict[str, str] = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "big5": "big5hkscs",
    "x-big5": "big5hkscs",
    "ks_c_5601-1987": "euc-kr",
    "iso-8859-8-i": "iso-8859-8",
    "x-mac-cyrillic": "mac-cyrillic",
    "unicode-1-1-utf-7": "utf-7",
    "ascii": "utf-8",
    "us-ascii": "utf-8",
    "iso-8859-1": "windows-1252",  # what senders labelled latin-1 almost always mean
    "latin1": "windows-1252",
}
# Tried, in order, when a body cannot be read with its declared charset.
FALLBACK_CHARSETS = (
    "utf-8",
    "windows-1250",
    "windows-1251",
    "koi8-r",
    "gb18030",
    "big5hkscs",
    "windows-1252",
)

_HEADER_END = re.compile(rb"\r?\n\r?\n")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-:.]+)""", re.I)


class MimePart(BaseModel):
    """One leaf part as declared; bodies of non-text parts are never decoded (only measured)."""

    content_type: str
    charset: str | None = None
    filename: str | None = None
    content_id: str | None = None
    disposition: str | None = None
    encoding: str | None = None
    size: int = Field(default=0, description="bytes after transfer decoding (estimated for base64)")
    depth: int = 0


class ParsedMail(BaseModel):
    """What could be read of one message; ``malformed`` says why the rest could not."""

    headers: list[tuple[str, str]] = Field(default_factory=list)
    text: str | None = None
    html: str | None = None
    text_charset: str | None = None
    html_charset: str | None = None
    parts: list[MimePart] = Field(default_factory=list)
    problems: list[str] = Field(default_factory=list)

    @property
    def malformed(self) -> str | None:
        return "; ".join(self.problems) if self.problems else None

    def header(self, name: str) -> str | None:
        """The first value of a header, decoded (case-insensitive name)."""
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)

    def header_all(self, name: str) -> list[str]:
        name = name.lower()
        return [v for k, v in self.headers if k.lower() == name]

    @property
    def subject(self) -> str:
        return self.header("Subject") or ""

    @property
    def images(self) -> list[MimePart]:
        return [p for p in self.parts if p.content_type.startswith("image/")]

    @property
    def attachments(self) -> list[MimePart]:
        return [p for p in self.parts if p.disposition == "attachment" or p.filename and not _is_inline(p)]


def _is_inline(part: MimePart) -> bool:
    return part.disposition == "inline" or bool(part.content_id)


def decode_header_value(value: str) -> str:
    """RFC 2047 words (``=?utf-8?q?...?=``) to text; undecodable words are kept as written."""
    if "=?" not in value:
        return _unfold(value)
    try:
        chunks = []
        for data, charset in decode_header(value):
            if isinstance(data, str):
                chunks.append(data)
                continue
            chunks.append(_decode_bytes(data, charset)[0])
        # decode_header drops the spaces between an encoded word and plain text; rejoin carefully.
        out = ""
        for chunk in chunks:
            if out and not out.endswith(" ") and not chunk.startswith(" ") and chunk[:1].isalnum():
                out += " " if out[-1:].isalnum() else ""
            out += chunk
        return _unfold(out)
    except Exception:  # noqa: BLE001 - a header we cannot decode is still worth keeping raw
        return _unfold(value)


def _unfold(value: str) -> str:
    return re.sub(r"\r?\n[ \t]+", " ", value).strip()


def _decode_bytes(data: bytes, charset: str | None) -> tuple[str, str | None]:
    """Decode with the declared charset, else the first fallback that reads cleanly, else with U+FFFD."""
    declared = _codec(charset)
    if declared:
        try:
            return data.decode(declared), declared
        except (UnicodeDecodeError, LookupError):
            pass
    for candidate in FALLBACK_CHARSETS:
        try:
            return data.decode(candidate), candidate
        except UnicodeDecodeError:
            continue
    return data.decode(declared or "utf-8", errors="replace"), None


def _codec(charset: str | None) -> str | None:
    if not charset:
        return None
    name = charset.strip().strip("\"'").lower()
    name = CHARSET_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _parse_headers(block: bytes, problems: list[str]) -> list[tuple[str, str]]:
    if len(block) > MAX_HEADER_BYTES:
        problems.append(f"header block of {len(block)} bytes cut at {MAX_HEADER_BYTES}")
        block = block[:MAX_HEADER_BYTES]
    try:
        text = block.decode("utf-8")
    except UnicodeDecodeError:
        # raw 8-bit headers (old Russian and Chinese mailers send them): the most plausible legacy charset
        text, used = _best_effort(block)
        problems.append(f"raw 8-bit header bytes, not RFC 2047; read as {used or 'utf-8 with replacements'}")
    headers: list[tuple[str, str]] = []
    for line in re.split(r"\r?\n(?![ \t])", text):
        if not line.strip():
            continue
        name, sep, value = line.partition(":")
        if not sep or not name or " " in name.strip() or len(name) > 76:
            if not headers:
                continue  # an mbox "From " line or junk before the headers
            problems.append(f"header line without a name: {line[:60]!r}")
            continue
        headers.append((name.strip(), decode_header_value(value)))
    return headers


def _content_info(headers: list[tuple[str, str]]) -> _StdMessage:
    """The stdlib parses parameters (quoting, RFC 2231) well; use it on these few headers only."""
    msg = _StdMessage()
    for name, value in headers:
        if name.lower() in ("content-type", "content-disposition", "content-transfer-encoding", "content-id"):
            msg[name] = value
    return msg


def _split_head(raw: bytes, start: int, end: int) -> tuple[int, int]:
    """Offsets of (header end, body start) within raw[start:end]."""
    match = _HEADER_END.search(raw, start, end)
    if match is None:
        return end, end
    return match.start(), match.end()


class _Walker:
    def __init__(self, raw: bytes) -> None:
        self.raw = raw
        self.mail = ParsedMail()
        self.leaves = 0
        self.seen: dict[str, int] = {}

    def problem(self, text: str, key: str | None = None) -> None:
        """Record a problem once per key: 10,000 truncated parts make one line, not 10,000."""
        key = key or text
        if key in self.seen:
            self.seen[key] += 1
            return
        self.seen[key] = 0
        if len(self.mail.problems) < 20:
            self.mail.problems.append(text)

    def finish(self) -> None:
        for i, text in enumerate(self.mail.problems):
            more = next((n for k, n in self.seen.items() if n and (k == text or text.startswith(k))), 0)
            if more:
                self.mail.problems[i] = f"{text} (and {more} more like it)"

    def walk(self, start: int, end: int, depth: int, headers: list[tuple[str, str]] | None = None) -> None:
        raw = self.raw
        if headers is None:
            head_end, body_start = _split_head(raw, start, end)
            headers = _parse_headers(raw[start:head_end], self.mail.problems)
        else:
            body_start = start
        info = _content_info(headers)
        ctype = info.get_content_type()
        if ctype.startswith("multipart/"):
            if depth >= MAX_DEPTH:
                self.problem(f"multipart nested deeper than {MAX_DEPTH} levels; inner parts not read")
                return
            boundary = info.get_param("boundary")
            if not isinstance(boundary, str) or not boundary:
                self.problem(f"{ctype} without a boundary; body read as text")
                self.leaf(info, "text/plain", body_start, end, depth)
                return
            self.multipart(boundary, body_start, end, depth)
            return
        self.leaf(info, ctype, body_start, end, depth)

    def multipart(self, boundary: str, start: int, end: int, depth: int) -> None:
        delim = re.compile(rb"^--" + re.escape(boundary.encode("utf-8", "replace")) + rb"(--)?[ \t]*\r?$", re.M)
        positions: list[tuple[int, int, bool]] = []
        for match in delim.finditer(self.raw, start, end):
            positions.append((match.start(), match.end(), bool(match.group(1))))
            if match.group(1):
                break
        if not positions:
            self.problem(f"boundary {boundary!r} never appears; multipart has no readable parts", key="boundary")
            return
        closed = positions[-1][2]
        if not closed:
            self.problem(
                f"multipart with boundary {boundary!r} is truncated (no closing boundary)", key="multipart with"
            )
            positions.append((end, end, True))
        for (_, after, _), (next_start, _, _) in zip(positions, positions[1:], strict=False):
            if self.leaves >= MAX_PARTS:
                self.problem(f"more than {MAX_PARTS} parts; the rest not read")
                return
            part_start = after + (2 if self.raw[after : after + 2] == b"\r\n" else 1)
            part_end = next_start
            if self.raw[part_end - 2 : part_end] == b"\r\n":
                part_end -= 2
            elif self.raw[part_end - 1 : part_end] == b"\n":
                part_end -= 1
            if part_start <= part_end:
                self.walk(part_start, part_end, depth + 1)

    def leaf(self, info: _StdMessage, ctype: str, start: int, end: int, depth: int) -> None:
        self.leaves += 1
        encoding = str(info.get("Content-Transfer-Encoding", "") or "").strip().lower() or None
        disposition = info.get_content_disposition()
        try:
            filename = info.get_filename()
        except Exception:  # noqa: BLE001 - a mangled RFC 2231 name is not worth losing the part over
            filename = None
        cid = info.get("Content-ID")
        charset = info.get_content_charset()
        encoded_size = end - start
        size = encoded_size * 3 // 4 if encoding == "base64" else encoded_size
        part = MimePart(
            content_type=ctype,
            charset=charset,
            filename=decode_header_value(filename) if filename else None,
            content_id=str(cid).strip().strip("<>") if cid else None,
            disposition=disposition,
            encoding=encoding,
            size=size,
            depth=depth,
        )
        self.mail.parts.append(part)
        is_body = ctype in ("text/plain", "text/html") and disposition != "attachment"
        if not is_body:
            return
        slot = "html" if ctype == "text/html" else "text"
        if getattr(self.mail, slot) is not None:
            return  # the first one wins (alternatives of the same type are rare and redundant)
        if encoded_size > MAX_BODY_BYTES * 2:
            self.problem(f"{ctype} body of {encoded_size} bytes cut at {MAX_BODY_BYTES * 2}")
            end = start + MAX_BODY_BYTES * 2
        data = self.transfer_decode(self.raw[start:end], encoding, ctype)
        if len(data) > MAX_BODY_BYTES:
            self.problem(f"{ctype} body of {len(data)} bytes cut at {MAX_BODY_BYTES}")
            data = data[:MAX_BODY_BYTES]
        text, used = self.decode_text(data, charset, ctype)
        setattr(self.mail, slot, text)
        setattr(self.mail, f"{slot}_charset", used)

    def transfer_decode(self, data: bytes, encoding: str | None, ctype: str) -> bytes:
        if encoding == "base64":
            cleaned = re.sub(rb"[^A-Za-z0-9+/]", b"", data.split(b"=", 1)[0])
            rest = len(cleaned) % 4
            if rest == 1:
                self.problem(f"{ctype} base64 body is cut mid-character; last byte dropped")
                cleaned = cleaned[:-1]
            elif rest:
                cleaned += b"=" * (4 - rest)
            try:
                return binascii.a2b_base64(cleaned)
            except binascii.Error as exc:
                self.problem(f"{ctype} base64 body unreadable: {exc}")
                return b""
        if encoding == "quoted-printable":
            return binascii.a2b_qp(data)
        if encoding not in (None, "7bit", "8bit", "binary"):
            self.problem(f"{ctype} has unknown Content-Transfer-Encoding {encoding!r}; read as is")
        return data

    def decode_text(self, data: bytes, charset: str | None, ctype: str) -> tuple[str, str | None]:
        declared = _codec(charset)
        if ctype == "text/html" and not declared:
            meta = _META_CHARSET.search(data[:4096])
            if meta:
                declared = _codec(meta.group(1).decode("ascii", "replace"))
        if charset and not declared:
            self.problem(f"{ctype} declares unknown charset {charset!r}")
        if declared:
            try:
                text = data.decode(declared)
            except UnicodeDecodeError:
                text = None
            if text is not None:
                if declared != "utf-8" and _looks_like_utf8(data):
                    self.problem(f"{ctype} declares charset {charset!r} but its bytes are UTF-8; read as UTF-8")
                    return data.decode("utf-8"), "utf-8"
                return text, declared
        text, used = _best_effort(data)
        if declared:
            self.problem(f"{ctype} is not valid {charset!r}; read as {used or 'utf-8 with replacements'}")
        elif used not in ("utf-8", None) or used is None:
            self.problem(f"{ctype} has no charset and is not UTF-8; read as {used or 'utf-8 with replacements'}")
        return text, used


def _looks_like_utf8(data: bytes) -> bool:
    """Bytes that decode as UTF-8 and contain multibyte sequences are UTF-8 beyond reasonable doubt."""
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _best_effort(data: bytes) -> tuple[str, str | None]:
    """Pick the fallback charset whose reading looks most like natural text."""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best: tuple[float, str, str] | None = None
    sample = data[:20000]
    for candidate in FALLBACK_CHARSETS[1:]:
        try:
            text = sample.decode(candidate)
        except UnicodeDecodeError:
            continue
        score = _plausibility(text)
        if best is None or score > best[0]:
            best = (score, candidate, text)
    if best is None:
        return data.decode("utf-8", errors="replace"), None
    return data.decode(best[1], errors="replace"), best[1]


def _plausibility(text: str) -> float:
    """Lowercase letters of one script score; symbols, controls and mixed-case noise cost."""
    score = 0.0
    for ch in text:
        o = ord(ch)
        if o < 128:
            continue
        if "\u0430" <= ch <= "\u044f" or ch in "ąćęłńóśźżěščřžýáíéůúťďň":
            score += 1.0
        elif "\u0410" <= ch <= "\u042f":
            score += 0.3
        elif "\u4e00" <= ch <= "\u9fff":
            score += 1.0
        elif ch.isalpha():
            score += 0.2
        else:
            score -= 1.0
    return score / max(len(text), 1)


def parse_mime(raw: bytes) -> ParsedMail:
    """Read a raw message into a ParsedMail; never raises, problems go to ``problems``."""
    walker = _Walker(raw if isinstance(raw, bytes) else bytes(raw))
    try:
        head_end, body_start = _split_head(walker.raw, 0, len(walker.raw))
        headers = _parse_headers(walker.raw[:head_end], walker.mail.problems)
        walker.mail.headers = headers
        if not headers:
            walker.problem("no headers found")
        if head_end == len(walker.raw) and headers:
            walker.problem("message ends inside its headers (no body)")
        walker.walk(body_start, len(walker.raw), 0, headers=headers)
    except RecursionError:
        walker.problem("structure too deep to read")
    except Exception as exc:  # noqa: BLE001 - the contract is: never raise, say why
        walker.problem(f"unreadable: {type(exc).__name__}: {exc}")
    walker.finish()
    return walker.mail
