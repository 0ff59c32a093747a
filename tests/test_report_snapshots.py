"""Every email as a picture: stored once per message, remote images never fetched, embedded ones shown;
and the report stage reads those files without importing the mail stage."""

import asyncio
import hashlib
import re
import struct
import threading
import zlib
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from auditor.campaign.snapshots import WIDTHS, picture_path, preview_path, snapshot_messages


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


# a 2x2 red PNG, made by hand so the test needs no imaging library
RED_PNG = (
    b"\x89PNG\r\n\x1a\n"
    + _chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
    + _chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00\xff\x00\x00" * 2))
    + _chunk(b"IEND", b"")
)


class Counting(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        Counting.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(RED_PNG)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def tracker() -> str:
    """A real HTTP server standing in for a store's tracking-pixel host: it counts what reaches it."""
    Counting.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Counting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def mail_with_images(tracker: str) -> bytes:
    msg = EmailMessage()
    msg["Subject"] = "Your order 1042"
    msg["From"] = "shop@example.test"
    msg["To"] = "anna@example.test"
    msg.set_content("Thanks for your order")
    html = (
        f'<p>Hi Anna</p><img src="cid:logo@shop" alt="logo"><img src="{tracker}/pixel.gif" alt="pixel">'
        f'<div style="background:url({tracker}/bg.png)">order 1042</div>'
    )
    msg.add_alternative(html, subtype="html")
    msg.get_payload()[1].add_related(RED_PNG, "image", "png", cid="<logo@shop>")
    return msg.as_bytes()


def store(folder: Path, raw: bytes) -> str:
    sha = hashlib.sha256(raw).hexdigest()
    (folder / "mail").mkdir(parents=True, exist_ok=True)
    (folder / "mail" / f"{sha}.eml").write_bytes(raw)
    return sha


def png_width(path: Path) -> int:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">I", data[16:20])[0]


def test_each_email_is_pictured_once_at_both_widths_without_a_remote_load(tmp_path: Path, tracker: str) -> None:
    sha = store(tmp_path, mail_with_images(tracker))
    stats = asyncio.run(snapshot_messages(tmp_path, [sha, "f" * 64]))
    assert stats.pictures_rendered == len(WIDTHS) and stats.previews_written == 1
    assert stats.missing == ["f" * 64]  # no .eml: said, not raised
    for width in WIDTHS:
        assert png_width(picture_path(tmp_path, sha, width)) == width
    preview = preview_path(tmp_path, sha).read_text()
    assert "data:image/png;base64," in preview  # the embedded logo is shown
    assert not re.search(rf'\ssrc="{re.escape(tracker)}', preview) and f"url({tracker}" not in preview
    assert Counting.hits == []  # the tracking host never heard of us

    before = {w: picture_path(tmp_path, sha, w).stat().st_mtime_ns for w in WIDTHS}
    again = asyncio.run(snapshot_messages(tmp_path, [sha]))
    assert again.pictures_rendered == 0 and again.skipped == 1
    assert {w: picture_path(tmp_path, sha, w).stat().st_mtime_ns for w in WIDTHS} == before


def test_a_missing_picture_is_rendered_again_alone(tmp_path: Path, tracker: str) -> None:
    sha = store(tmp_path, mail_with_images(tracker))
    asyncio.run(snapshot_messages(tmp_path, [sha]))
    picture_path(tmp_path, sha, 375).unlink()
    stats = asyncio.run(snapshot_messages(tmp_path, [sha]))
    assert stats.pictures_rendered == 1 and picture_path(tmp_path, sha, 375).exists()
