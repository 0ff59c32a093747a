"""Start an IMAP watch at the mail already in the inbox: a test inbox's history is not this session's.

``ImapMailbox`` syncs a folder from its stored cursor, and a fresh session has none, so it would
fetch and analyse every message the inbox ever got. Each test has a fresh address, so nothing
older than the session can be its mail: the cursor starts at ``UIDNEXT - 1``. This also logs in
once up front, so a wrong password or an untrusted certificate fails the first test that asks for
mail with one clear sentence instead of a background retry loop.
"""

from __future__ import annotations

import contextlib
import ssl
from pathlib import Path

from imapclient import IMAPClient
from imapclient.exceptions import LoginError

from auditor.mail.imap_config import ImapConfig
from auditor.mail.imap_state import FolderCursor, ImapSyncState


def skip_old_mail(config: ImapConfig, state_db: Path) -> None:
    """Set each folder's cursor in ``state_db`` to its newest UID; errors name the account, never the password."""
    where = f"{config.host}:{config.effective_port}"
    context = config.ssl_context() if config.security != "plain" else None
    password = config.password().get_secret_value()
    try:
        client = IMAPClient(
            config.host, config.effective_port, ssl=config.security == "imaps", ssl_context=context,
            timeout=config.timeout,
        )  # fmt: skip
        if config.security == "starttls":
            client.starttls(context)
    except ssl.SSLCertVerificationError as exc:
        raise RuntimeError(
            f"IMAP {where}: the server certificate is not trusted ({exc.verify_message}); set trust_cert"
        ) from None
    except OSError as exc:
        raise RuntimeError(f"IMAP {where}: cannot connect: {exc.strerror or exc}") from None
    try:
        try:
            client.login(config.username, password)
        except LoginError as exc:
            reason = str(exc).replace(password, "***")
            raise RuntimeError(f"IMAP login failed for {config.username} at {where}: {reason}") from None
        state = ImapSyncState(state_db, config.account)
        for folder in config.folders:
            info = client.select_folder(folder, readonly=True)
            uidnext = info.get(b"UIDNEXT")
            last = int(uidnext) - 1 if uidnext else max(client.search("ALL"), default=0)
            state.advance(folder, FolderCursor(uidvalidity=int(info[b"UIDVALIDITY"]), last_uid=last), [])
    finally:
        with contextlib.suppress(Exception):
            client.logout()
