"""A private, real Dovecot for tests and benchmarks: IMAP, IMAPS and LMTP on 127.0.0.1.

Import it from a test (``from dovecot import Dovecot``, or ``tests.dovecot``
from a benchmark). It runs Debian's ``dovecot`` with its whole config in one
temporary folder, delivers mail over LMTP the way an MTA does (so Dovecot
adds ``Delivered-To``), and can be restarted on the same ports to drop every
client connection. Every user exists and logs in with ``PASSWORD``
(a static passdb, so a test just picks a fresh name); every address at
``catch.test`` lands in the one mailbox ``catchall@catch.test``, like a
catch-all domain.

Traps handled here (see COMPONENTS.md): Dovecot refuses uid 0 for mail, so
the mail root belongs to ``nobody``; the auth penalty (up to 15 s per failed login
from one IP) is disabled, or a wrong-password test would crawl; an open port does not mean ready, so
``start`` waits for a LOGIN to succeed; one LMTP recipient per transaction.
"""

from __future__ import annotations

import contextlib
import imaplib
import os
import shutil
import signal
import smtplib
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_process import free_port

PASSWORD = "s3cret-Pa55"
CATCH_ALL = "catchall@catch.test"
_NOBODY_UID = 65534
_NOGROUP_GID = 65534

_CONFIG = """\
protocols = imap lmtp
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
instance_name = auditor-test-{tag}
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
default_login_user = dovenull
default_internal_user = dovecot
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
ssl_min_protocol = TLSv1.2
mail_location = {mail_format}:{root}/mail/%u
mail_uid = nobody
mail_gid = nogroup
first_valid_uid = 1
recipient_delimiter = +
lmtp_save_to_detail_mailbox = no
mailbox_list_index = yes
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Junk {{
    special_use = \\Junk
    auto = create
  }}
}}
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = passwd-file
  args = username_format=%d {root}/catch-all-domains
  default_fields = uid=nobody gid=nogroup home={root}/mail/{catch_all} mail={mail_format}:{root}/mail/{catch_all}
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={root}/mail/%u allow_all_users=yes
}}
service imap-login {{
  inet_listener imap {{
    port = {imap_port}
  }}
  inet_listener imaps {{
    port = {imaps_port}
    ssl = yes
  }}
}}
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service lmtp {{
  inet_listener lmtp {{
    port = {lmtp_port}
  }}
}}
"""


# Dovecot's files live in RAM when the machine has a tmpfs: a real filesystem, but no wait on a
# disk shared with other work, so the 10,000-message tests measure IMAP, not the disk queue.
_RAM_DIR = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None


def make_cert(directory: Path) -> tuple[Path, Path]:
    """A self-signed EC certificate for 127.0.0.1 (IP SAN, so hostname checks pass when trusted)."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


class Dovecot:
    """One private Dovecot instance; ``start()``/``stop()``/``restart()`` keep ports and mail."""

    def __init__(self, root: Path | None = None, extra_config: str = "", mail_format: str = "maildir"):
        """``mail_format``: ``maildir`` (files a test can write directly) or ``sdbox`` (Dovecot's
        index-based format, whose cost does not grow with folder size, like production servers)."""
        self.mail_format = mail_format
        self.root = Path(root or tempfile.mkdtemp(prefix="auditor-dovecot-", dir=_RAM_DIR))
        self.root.chmod(0o755)  # dovenull and nobody must reach the sockets and the mail
        self.imap_port, self.imaps_port, self.lmtp_port = free_port(), free_port(), free_port()
        self.conf = self.root / "dovecot.conf"
        self.cert, self.key = make_cert(self.root)
        (self.root / "mail").mkdir(exist_ok=True)
        os.chown(self.root / "mail", _NOBODY_UID, _NOGROUP_GID)
        (self.root / "catch-all-domains").write_text(f"{CATCH_ALL.partition('@')[2]}::::::\n")
        self.conf.write_text(
            _CONFIG.format(
                root=self.root,
                tag=self.root.name,
                password=PASSWORD,
                mail_format=mail_format,
                catch_all=CATCH_ALL,
                imap_port=self.imap_port,
                imaps_port=self.imaps_port,
                lmtp_port=self.lmtp_port,
            )  # fmt: skip
            + extra_config
        )
        self._proc: subprocess.Popen[bytes] | None = None
        self._counter = 0

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self, timeout: float = 10.0) -> None:
        """Run ``dovecot -F`` and return once a LOGIN succeeds (an open port is not enough)."""
        self._proc = subprocess.Popen(
            ["dovecot", "-F", "-c", str(self.conf)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        delay = 0.005
        while True:
            if self._proc.poll() is not None:
                err = self._proc.stderr.read().decode(errors="replace") if self._proc.stderr else ""
                raise RuntimeError(f"dovecot exited ({self._proc.returncode}): {err}\n{self.log_tail()}")
            try:
                with imaplib.IMAP4("127.0.0.1", self.imap_port, timeout=2) as probe:
                    probe.login(CATCH_ALL, PASSWORD)
                    probe.logout()
                return
            except (OSError, imaplib.IMAP4.error) as exc:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"dovecot did not accept a LOGIN within {timeout}s\n{self.log_tail()}") from exc
                time.sleep(delay)  # waiting for an external process's port: nothing to await
                delay = min(delay * 2, 0.05)

    def stop(self) -> None:
        """SIGTERM the master (it takes its children with it) and wait for it."""
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        if proc.stderr:
            proc.stderr.close()

    def restart(self) -> None:
        self.stop()
        self.start()

    def close(self) -> None:
        """Stop and delete everything."""
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def log_tail(self, lines: int = 20) -> str:
        log = self.root / "dovecot.log"
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else ""

    def __enter__(self) -> Dovecot:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- users and mail ----------------------------------------------------------------------
    def new_user(self, prefix: str = "shopper") -> str:
        """A fresh user (any name logs in with ``PASSWORD``), so tests sharing one Dovecot
        never see each other's mail."""
        self._counter += 1
        return f"{prefix}{self._counter}-{os.getpid()}@example.test"

    def deliver(self, recipient: str, raw: bytes, sender: str = "shop@shop.example") -> None:
        """Deliver like an MTA: LMTP, one recipient per transaction (Dovecot adds Delivered-To)."""
        with smtplib.LMTP("127.0.0.1", self.lmtp_port, timeout=10) as lmtp:
            lmtp.sendmail(sender, [recipient], raw)

    def maildir(self, user: str, folder: str = "INBOX") -> Path:
        base = self.root / "mail" / user
        return base if folder == "INBOX" else base / f".{folder.replace('/', '.')}"

    def doveadm(self, *args: str) -> str:
        done = subprocess.run(["doveadm", "-c", str(self.conf), *args], capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            raise RuntimeError(f"doveadm {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    def write_maildir(self, user: str, messages: list[bytes], folder: str = "INBOX") -> None:
        """Put many messages straight into a user's Maildir ``new/`` (far faster than LMTP),
        owned by the mail user; Dovecot indexes them on the next SELECT."""
        assert self.mail_format == "maildir", "write_maildir needs mail_format='maildir'; see bulk_load"
        _write_maildir(self.maildir(user, folder), messages, self.root / "mail")

    def bulk_load(self, user: str, messages: list[bytes]) -> None:
        """Many messages into INBOX at once, whatever the format: Maildir files directly; otherwise
        a Maildir written beside and imported with ``doveadm import`` (about 3,000 messages/s)."""
        if self.mail_format == "maildir":
            self.write_maildir(user, messages)
            return
        stage = self.root / "stage" / f"{time.monotonic_ns()}"
        _write_maildir(stage, messages, self.root)
        try:
            self.doveadm("import", "-u", user, f"maildir:{stage}", "", "all")
        finally:
            shutil.rmtree(stage, ignore_errors=True)

    def set_uidvalidity(self, user: str, uidvalidity: int, folder: str = "INBOX") -> None:
        self.doveadm("mailbox", "update", "-u", user, "--uid-validity", str(uidvalidity), folder)

    def flags(self, user: str, folder: str = "INBOX") -> dict[int, tuple[bytes, ...]]:
        """Every message's flags, read with a fresh connection (EXAMINE changes nothing)."""
        imap = imaplib.IMAP4("127.0.0.1", self.imap_port, timeout=10)
        try:
            imap.login(user, PASSWORD)
            imap.select(folder, readonly=True)
            _, data = imap.uid("FETCH", "1:*", "(FLAGS)")
        finally:
            with contextlib.suppress(Exception):
                imap.logout()
        out: dict[int, tuple[bytes, ...]] = {}
        for item in data:
            if not item:
                continue
            text = item if isinstance(item, bytes) else item[0]
            parsed = imaplib.ParseFlags(text)
            uid = int(text.split(b"UID ")[1].split()[0].rstrip(b")"))
            out[uid] = tuple(parsed)
        return out


def sample_message(
    to: str, subject: str = "Confirmation of order 100001", *, sender: str = "orders@shop.example",
    body_size: int = 0, message_id: str | None = None,
) -> bytes:  # fmt: skip
    """A small, valid message; ``body_size`` pads the body with 76-character lines."""
    mid = message_id or f"<{time.monotonic_ns()}.{os.getpid()}@shop.example>"
    head = (
        f"From: Shop <{sender}>\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: {mid}\r\n"
        "Date: Mon, 23 Nov 2026 11:00:00 +0000\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nHello,\r\nthank you for your order.\r\n"
    ).encode()
    line = b"x" * 76 + b"\r\n"
    return head + line * (body_size // len(line))


def _write_maildir(box: Path, messages: list[bytes], owned_below: Path) -> None:
    """A Maildir at ``box`` holding ``messages`` in ``new/``, everything from ``owned_below`` down
    owned by the mail user (Dovecot refuses root's files)."""
    for sub in ("cur", "new", "tmp"):
        (box / sub).mkdir(parents=True, exist_ok=True)
    for directory in [box, *box.parents]:
        if directory == owned_below or owned_below not in directory.parents:
            break
        os.chown(directory, _NOBODY_UID, _NOGROUP_GID)
    for sub in ("cur", "new", "tmp"):
        os.chown(box / sub, _NOBODY_UID, _NOGROUP_GID)
    stamp, unique = int(time.time()), time.monotonic_ns()
    for i, raw in enumerate(messages):
        path = box / "new" / f"{stamp}.M{unique}_{i}P{os.getpid()}.auditor,S={len(raw)}"
        path.write_bytes(raw)
        os.chown(path, _NOBODY_UID, _NOGROUP_GID)


def save_to_folder(server: Dovecot, user: str, raw: bytes, folder: str) -> None:
    """Put a message into any folder (e.g. ``Junk``: where a spam filter would have put it)."""
    done = subprocess.run(
        ["doveadm", "-c", str(server.conf), "save", "-u", user, "-m", folder], input=raw, capture_output=True,
        timeout=30,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"doveadm save to {folder} failed: {done.stderr.decode(errors='replace')}")


def deliver_offline(server: Dovecot, recipient: str, raw: bytes) -> None:
    """Deliver while Dovecot is down, as an MTA with its own Maildir delivery does (Postfix's
    ``virtual``): prepend ``Delivered-To`` and drop the file into ``new/``. (``dovecot-lda`` needs
    the running auth service for its userdb lookup, so it cannot do this.)"""
    local, _, domain = recipient.partition("@")
    base_user = f"{local.split('+', 1)[0]}@{domain}"
    server.write_maildir(base_user, [f"Delivered-To: {recipient}\r\n".encode() + raw])


@pytest.fixture(scope="session")
def dovecot_server() -> Iterator[Dovecot]:
    """One private Dovecot for the whole session (starts in about 0.1 s); tests use fresh users."""
    with Dovecot() as server:
        yield server
