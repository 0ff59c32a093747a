"""A store's email shown in our report can never run code or call home."""

import hashlib
import html
from email.message import EmailMessage

from auditor.analysis.preview import MAX_ELEMENTS, MAX_HTML_CHARS, MAX_IMAGES, preview_document


def html_mail(html: str) -> bytes:
    msg = EmailMessage()
    msg["Subject"] = "Your order"
    msg["From"] = "shop@example.test"
    msg["To"] = "anna@example.test"
    msg.set_content("plain text")
    msg.add_alternative(html, subtype="html")
    return msg.as_bytes()


def test_scripts_handlers_and_frames_are_removed() -> None:
    doc = preview_document(
        html_mail(
            '<table><tr><td onclick="steal()">Hi Anna<script>alert(1)</script>'
            '<iframe src="https://evil.test"></iframe><a href="javascript:alert(2)">x</a></td></tr></table>'
        )
    )
    assert "Hi Anna" in doc and "<table>" in doc
    for bad in ("<script", "alert(1)", "onclick", "<iframe", "javascript:"):
        assert bad not in doc


def test_remote_loads_are_blocked_by_the_preview_policy() -> None:
    doc = preview_document(html_mail('<img src="https://tracker.test/p.gif" alt="pixel">'))
    assert "default-src 'none'" in doc and "img-src data:" in doc


def test_a_text_only_mail_is_escaped() -> None:
    msg = EmailMessage()
    msg["Subject"] = "x"
    msg.set_content("Order <b>1042</b> received & done")
    doc = preview_document(msg.as_bytes())
    assert "&lt;b&gt;1042&lt;/b&gt;" in doc and "&amp; done" in doc


# ---------------------------------------------------------------- a huge email keeps the report usable

MANY_IMAGES = 60_000


def tracker_mail(images: int = MANY_IMAGES) -> bytes:
    pixels = "".join(f'<img src="https://tracker.test/p/{i}.gif" width="1" height="1">' for i in range(images))
    return html_mail(f"<p>Thanks for your order 1042</p>{pixels}<p>Kind regards</p>")


def test_a_5_mb_mail_of_remote_images_is_capped_and_says_so() -> None:
    raw = tracker_mail()
    assert len(raw) > 4_000_000
    doc = preview_document(raw)
    assert doc.count("<img") == MAX_IMAGES
    assert "Thanks for your order 1042" in doc
    assert "Preview shortened" in doc and f"{MAX_IMAGES} of " in doc
    assert f"mail/{hashlib.sha256(raw).hexdigest()}.eml" in doc
    assert len(doc) < 100_000


def test_an_ordinary_mail_is_not_shortened() -> None:
    doc = preview_document(tracker_mail(images=20))
    assert doc.count("<img") == 20 and "Kind regards" in doc
    assert "Preview shortened" not in doc


def test_too_many_elements_are_cut_with_every_tag_closed() -> None:
    rows = "".join(f"<tr><td><b>row {i}</b></td></tr>" for i in range(MAX_ELEMENTS))
    doc = preview_document(html_mail(f"<table>{rows}</table>"))
    assert "Preview shortened" in doc and f"the first {MAX_ELEMENTS:,} elements" in doc
    assert "row 0" in doc and f"row {MAX_ELEMENTS - 1}" not in doc
    body = doc[doc.index("</div>") + len("</div>") :]
    assert body.endswith("</table>")
    for tag in ("table", "tbody", "tr", "td", "b"):
        assert body.count(f"<{tag}>") == body.count(f"</{tag}>"), tag


def test_a_huge_text_mail_is_cut_and_says_so() -> None:
    msg = EmailMessage()
    msg["Subject"] = "x"
    msg.set_content("line of text\n" * 200_000)
    doc = preview_document(msg.as_bytes())
    assert "Preview shortened" in doc and f"only the first {MAX_HTML_CHARS:,} of" in doc
    assert len(doc) < MAX_HTML_CHARS + 10_000


async def test_a_report_page_with_the_huge_mail_opens_in_a_real_browser(tmp_path) -> None:
    """The preview as the store page embeds it, opened in Chromium: before the cap this took minutes."""
    from auditor.shopper.browser import launch_browser

    doc = preview_document(tracker_mail())
    page_file = tmp_path / "store.html"
    page_file.write_text(
        '<!doctype html><meta charset="utf-8"><details open><summary>email</summary>'
        f'<iframe sandbox srcdoc="{html.escape(doc, quote=True)}"></iframe></details>'
    )
    async with launch_browser() as browser:
        page = await browser.new_page()
        await page.goto(page_file.as_uri(), wait_until="load", timeout=30_000)
        frame = await (await page.query_selector("iframe")).content_frame()
        assert await frame.evaluate("document.images.length") == MAX_IMAGES
        assert "Preview shortened" in await frame.evaluate("document.body.innerText")
