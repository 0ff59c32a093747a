"""Mailboxes: where a run's mail comes from (SMTP sink, IMAP, files), all giving ``(Message, raw)``.

Every mailbox stores the raw bytes as ``mail/<sha256>.eml`` before it reports
a message, and reports through the same callback shape, so the campaign does
not care which one a message came through. MIME bodies are parsed in
``auditor.mail.mime``, not here.
"""

from auditor.mail.files import EmlDirectory, Maildir, Mbox, import_files, open_mail_files
from auditor.mail.headers import decode_header_value, parse_date, read_message
from auditor.mail.imap import ImapError, ImapLoginError, ImapMailbox
from auditor.mail.imap_config import ImapConfig, ImapConfigError
from auditor.mail.matching import RunAddress, match_run
from auditor.mail.sink import OnMessage, SmtpSink
from auditor.mail.store import store_many, store_raw

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
