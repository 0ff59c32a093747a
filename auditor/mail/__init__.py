"""Mailboxes: where a run's mail comes from (SMTP sink, IMAP, files), all giving ``(Message, raw)``.

Every mailbox stores the raw bytes as ``mail/<sha256>.eml`` before it reports
a message, and reports through the same callback shape, so the campaign does
not care which one a message came through. MIME bodies are parsed in
``auditor.mail.mime``, not here.
"""

import importlib
from typing import Any

# Imported on first use (PEP 562): `auditor analyze` needs only auditor.mail.mime and should not pay
# for aiosmtpd and imapclient at start-up.
_WHERE = {
    "EmlDirectory": "files", "Maildir": "files", "Mbox": "files", "import_files": "files", "open_mail_files": "files",
    "decode_header_value": "headers", "parse_date": "headers", "read_message": "headers",
    "ImapError": "imap", "ImapLoginError": "imap", "ImapMailbox": "imap",
    "ImapConfig": "imap_config", "ImapConfigError": "imap_config",
    "RunAddress": "matching", "match_run": "matching",
    "OnMessage": "sink", "SmtpSink": "sink",
    "store_many": "store", "store_raw": "store",
}  # fmt: skip


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'auditor.mail' has no attribute {name!r}")
    return getattr(importlib.import_module(f"auditor.mail.{_WHERE[name]}"), name)


__all__ = [
    "EmlDirectory",
    "ImapConfig",
    "ImapConfigError",
    "ImapError",
    "ImapLoginError",
    "ImapMailbox",
    "Maildir",
    "Mbox",
    "OnMessage",
    "RunAddress",
    "SmtpSink",
    "decode_header_value",
    "import_files",
    "match_run",
    "open_mail_files",
    "parse_date",
    "read_message",
    "store_many",
    "store_raw",
]
