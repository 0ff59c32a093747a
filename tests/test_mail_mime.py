"""MIME that never crashes: bodies, charsets, encodings, and an honest reason when a message is broken."""

import time
from email.message import EmailMessage

from auditor.mail.mime import MAX_DEPTH, parse_mime


def _alternative(text: str, html: str, charset: str = "utf-8") -> bytes:
    msg = EmailMessage()
    msg["Subject"] = "Zamówienie nr 123 — potwierdzenie"
    msg["From"] = "Sklep <sklep@example.test>"
    msg.set_content(text, charset=charset)
    msg.add_alternative(html, subtype="html", charset=charset)
    return bytes(msg)


def test_alternative_gives_text_html_and_decoded_subject() -> None:
    mail = parse_mime(_alternative("Dzień dobry Anno,\n129,00 zł", "<p>Dzień dobry</p>"))
    assert mail.subject == "Zamówienie nr 123 — potwierdzenie"
    assert mail.text is not None and "Dzień dobry Anno" in mail.text
    assert mail.html is not None and "<p>Dzień dobry</p>" in mail.html
    assert mail.malformed is None
    assert [p.content_type for p in mail.parts] == ["text/plain", "text/html"]


def test_declared_single_byte_charsets_are_honoured() -> None:
    for charset, text in [
        ("iso-8859-2", "Łódź, żółć"),
        ("windows-1250", "Zażółć gęślą jaźń"),
        ("koi8-r", "Здравствуйте, Анна"),
        ("windows-1251", "Ваш заказ принят"),
        ("gb2312", "您的订单已确认"),
        ("big5", "您的訂單已確認"),
    ]:
        raw = (
            f"Subject: x\nContent-Type: text/plain; charset={charset}\nContent-Transfer-Encoding: 8bit\n\n"
        ).encode() + text.encode(charset)
        mail = parse_mime(raw)
        assert mail.text == text, charset
        assert mail.malformed is None, charset


def test_quoted_printable_and_base64_bodies_are_decoded() -> None:
    qp = b"Subject: q\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
    qp += b"Cze=C5=9B=C4=87 =\nAnno"
    assert parse_mime(qp).text == "Cześć Anno"
    b64 = b"Subject: b\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
    b64 += b"PHA+0JfQtNGA0LDQstGB0YLQstGD0LnRgtC1PC9wPg==\n"
    assert parse_mime(b64).html == "<p>Здравствуйте</p>"


def test_wrong_declared_charset_is_read_and_reported() -> None:
    raw = b"Subject: w\nContent-Type: text/plain; charset=iso-8859-2\n\n" + "Привет".encode()
    mail = parse_mime(raw)
    assert mail.text == "Привет"
    assert mail.malformed and "UTF-8" in mail.malformed


def test_missing_charset_falls_back_to_a_plausible_one() -> None:
    raw = b"Subject: m\nContent-Type: text/plain\n\n" + "Ваш заказ принят и оплачен".encode("windows-1251")
    mail = parse_mime(raw)
    assert mail.text == "Ваш заказ принят и оплачен"
    assert mail.malformed and "windows-1251" in mail.malformed


def test_truncated_multipart_keeps_what_was_read_and_says_why() -> None:
    raw = _alternative("Hello Anna, your order 1042", "<p>Hello Anna</p><p>more</p>")
    mail = parse_mime(raw[: raw.rindex(b"more")])
    assert mail.text is not None and "order 1042" in mail.text
    assert mail.malformed and "truncated" in mail.malformed


def test_inline_image_and_attachment_are_listed_not_decoded() -> None:
    msg = EmailMessage()
    msg["Subject"] = "with parts"
    msg.set_content("see attached")
    msg.add_alternative('<p><img src="cid:mug@x" alt="Mug"></p>', subtype="html")
    html_part = msg.get_payload()[1]
    html_part.add_related(b"\x89PNG" + b"\0" * 300, "image", "png", cid="<mug@x>")
    msg.add_attachment(b"%PDF-1.4" + b"\0" * 3000, maintype="application", subtype="pdf", filename="faktura.pdf")
    mail = parse_mime(bytes(msg))
    assert [p.content_id for p in mail.images] == ["mug@x"]
    assert [p.filename for p in mail.attachments] == ["faktura.pdf"]
    assert 3000 <= mail.attachments[0].size <= 3100
    assert mail.malformed is None


def test_deep_nesting_stops_at_the_limit_quickly() -> None:
    depth = 10_000
    head = b"".join(b"Content-Type: multipart/mixed; boundary=b%d\n\n--b%d\n" % (i, i) for i in range(depth))
    raw = b"Subject: deep\n" + head + b"Content-Type: text/plain\n\nbottom\n"
    started = time.perf_counter()
    mail = parse_mime(raw)
    assert time.perf_counter() - started < 2.0
    assert mail.malformed and f"deeper than {MAX_DEPTH}" in mail.malformed


def test_garbage_never_raises() -> None:
    for raw in [b"", b"\x00\xff" * 100, b"no headers at all", b"Subject: x\nContent-Type: multipart/mixed\n\n"]:
        mail = parse_mime(raw)
        assert mail.malformed


def test_raw_8bit_headers_are_read_in_a_plausible_charset() -> None:
    raw = "Subject: Ваш заказ принят и оплачен\nContent-Type: text/plain; charset=koi8-r\n\n".encode("koi8-r")
    mail = parse_mime(raw + "Спасибо".encode("koi8-r"))
    assert mail.subject == "Ваш заказ принят и оплачен"
    assert mail.text == "Спасибо"
    assert mail.malformed and "8-bit header" in mail.malformed


def test_rfc2047_words_in_several_charsets() -> None:
    raw = (
        b"Subject: =?koi8-r?B?98HbINrBy8Ha?= =?iso-8859-2?Q?zam=F3wienie?= done\n"
        b"From: =?gb2312?B?x+DW8cnMs8c=?= <shop@example.test>\n\nbody"
    )
    mail = parse_mime(raw)
    assert mail.subject == "Ваш заказ zamówienie done"
    assert mail.header("from") == "青竹商城 <shop@example.test>"
