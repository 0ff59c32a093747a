"""Turning a rendered email into a real MIME message, the way shop platforms build them.

Headers a mail client and the analysis stage rely on are always present:
From with a display name, To, Date, Message-ID; bodies are
multipart/alternative (text + HTML) unless a store sends plain text only.
"""

from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from auditor.demo.shop_render import render


def compose(
    *,
    store_name: str,
    sender: str,
    recipient: str,
    subject: str,
    template: str,
    html: bool = True,
    headers: dict[str, str] | None = None,
    **context: object,
) -> EmailMessage:
    """Render ``emails/<template>.txt`` (and ``.html`` when ``html``) into one message.

    ``sender`` is the bare address; the display name is ``store_name``.
    """
    domain = sender.rpartition("@")[2]
    message = EmailMessage()
    message["From"] = Address(display_name=store_name, addr_spec=sender)
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain=domain)
    for key, value in (headers or {}).items():
        message[key] = value
    context = {"store_name": store_name, "sender": sender, "subject": subject, **context}
    message.set_content(render(f"emails/{template}.txt", **context))
    if html:
        message.add_alternative(render(f"emails/{template}.html", **context), subtype="html")
    return message
