"""Broken messages, built on demand (a 20 MB attachment does not belong in git).

Each builder returns the raw bytes and a phrase its ``malformed`` reason must
contain. They are the shapes that crash naive parsers: truncation, lying
charsets, absurd nesting, huge parts, active content.
"""

import base64
from collections.abc import Callable
from email.message import EmailMessage

HEAD = b"From: shop@broken.example\nTo: anna@mailbox.example\nSubject: Order 1042 received\nMIME-Version: 1.0\n"


def _alternative() -> bytes:
    msg = EmailMessage()
    msg["Subject"] = "Order #1042 confirmed"
    msg["From"] = "shop@broken.example"
    msg.set_content("Hi Anna,\nThank you for your order #1042.\n2 x Mug 258,00 zł\nTotal: 258,00 zł\n")
    msg.add_alternative("<p>Hi Anna,</p><p>Thank you for your order #1042.</p>" + "<p>filler</p>" * 50, subtype="html")
    return bytes(msg)


def truncated_multipart() -> tuple[bytes, str]:
    raw = _alternative()
    return raw[: raw.index(b"filler") + 200], "truncated"


def wrong_charset() -> tuple[bytes, str]:
    body = "Dzień dobry Pani Anno, zamówienie nr 4521 zostało przyjęte. Razem: 129,00 zł".encode("windows-1250")
    return HEAD + b"Content-Type: text/plain; charset=utf-8\n\n" + body, "not valid 'utf-8'"


def charset_says_latin2_but_is_utf8() -> tuple[bytes, str]:
    body = "Здравствуйте, Анна! Ваш заказ № 4521 оформлен.".encode()
    return HEAD + b"Content-Type: text/plain; charset=iso-8859-2\n\n" + body, "bytes are UTF-8"


def missing_charset() -> tuple[bytes, str]:
    body = "Здравствуйте, Анна! Ваш заказ N 4521 оформлен и оплачен.".encode("koi8-r")
    return HEAD + b"Content-Type: text/plain\n\n" + body, "has no charset"


def unknown_charset() -> tuple[bytes, str]:
    return HEAD + b"Content-Type: text/plain; charset=x-martian\n\nHello Anna", "unknown charset"


def nested_10000() -> tuple[bytes, str]:
    depth = 10_000
    parts = [b"Content-Type: multipart/mixed; boundary=b%d\n\n--b%d\n" % (i, i) for i in range(depth)]
    return HEAD + b"".join(parts) + b"Content-Type: text/plain\n\nbottom\n", "deeper than"


def siblings_10000() -> tuple[bytes, str]:
    part = b"--s\nContent-Type: text/plain\n\nline\n"
    return HEAD + b"Content-Type: multipart/mixed; boundary=s\n\n" + part * 10_000 + b"--s--\n", "more than"


def _big_attachment(size: int) -> bytes:
    msg = EmailMessage()
    msg["Subject"] = "Your invoice for order #1042"
    msg["From"] = "shop@broken.example"
    msg.set_content("Hi Anna,\nyour invoice is attached.\n")
    msg.add_attachment(bytes(range(256)) * (size // 256), maintype="application", subtype="pdf", filename="invoice.pdf")
    return bytes(msg)


def attachment_20mb_truncated() -> tuple[bytes, str]:
    raw = _big_attachment(20 * 1024 * 1024)
    return raw[: len(raw) - 1000], "truncated"


def attachment_20mb_complete() -> bytes:
    return _big_attachment(20 * 1024 * 1024)


def scripts_and_iframes() -> tuple[bytes, str]:
    html = (
        "<html><head><script>document.write('<p>Hi Mallory,</p>')</script></head><body>"
        "<p>Hi Anna,</p><script>alert('Total: 9 999,00 zł')</script>"
        '<iframe src="https://evil.example/">Order #666</iframe>'
        "<p>Thank you for your order #1042.</p><p>Total: 258,00 zł</p>"
        "<script>var t='</p><p>Total: 1,00 zł';</script></body></html>"
    )
    return HEAD + b"Content-Type: text/html; charset=utf-8\n\n" + html.encode(), "<script>"


def multipart_without_boundary() -> tuple[bytes, str]:
    return HEAD + b"Content-Type: multipart/alternative\n\nHi Anna, order 1042", "without a boundary"


def boundary_never_used() -> tuple[bytes, str]:
    return HEAD + b"Content-Type: multipart/mixed; boundary=zzz\n\n--yyy\n\nHi", "never appears"


def broken_base64() -> tuple[bytes, str]:
    data = base64.b64encode(b"Hi Anna, thank you for your order #1042.")[:-3]
    return HEAD + b"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n" + data, "base64"


def headers_only() -> tuple[bytes, str]:
    return HEAD.rstrip(b"\n"), "ends inside its headers"


def binary_garbage() -> tuple[bytes, str]:
    return bytes(range(256)) * 64, "no headers"


def invalid_jsonld() -> tuple[bytes, str]:
    html = '<script type="application/ld+json">{"@type": "Order", "orderNumber": </script><p>Hi Anna</p>'
    return HEAD + b"Content-Type: text/html; charset=utf-8\n\n" + html.encode(), "JSON-LD"


def huge_header() -> tuple[bytes, str]:
    return b"X-Junk: " + b"a" * 1_000_000 + b"\n" + HEAD + b"\nHi", "header block"


def huge_html() -> tuple[bytes, str]:
    html = "<div>" * 200_000 + "<p>Hi Anna, order #1042</p>" + "<td>x</td>" * 300_000
    return HEAD + b"Content-Type: text/html; charset=utf-8\n\n" + html.encode(), "too large"


def huge_dense_text() -> tuple[bytes, str]:
    body = ("Total: " + "1 234 " * 1000 + "zł\n") * 1300 + "x" * 3_000_000
    return HEAD + b"Content-Type: text/plain; charset=utf-8\n\n" + body.encode(), "text part too large"


BROKEN: dict[str, Callable[[], tuple[bytes, str]]] = {
    f.__name__: f
    for f in (
        truncated_multipart,
        wrong_charset,
        charset_says_latin2_but_is_utf8,
        missing_charset,
        unknown_charset,
        nested_10000,
        siblings_10000,
        attachment_20mb_truncated,
        scripts_and_iframes,
        multipart_without_boundary,
        boundary_never_used,
        broken_base64,
        headers_only,
        binary_garbage,
        invalid_jsonld,
        huge_header,
        huge_html,
        huge_dense_text,
    )
}
