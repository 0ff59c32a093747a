"""A store's email shown in our report can never run code or call home."""

from email.message import EmailMessage

from auditor.report.email_preview import preview_document


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
