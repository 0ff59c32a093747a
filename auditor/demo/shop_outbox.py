"""Emails a demo store has promised to send later, sent over real SMTP from timer threads.

Sending never happens on an HTTP handler thread: the SMTP server a demo talks
to often runs in the caller's asyncio loop in the same process, and a handler
that waited on it could stall both. Each email is a ``threading.Timer``; the
outbox counts what is pending so callers can wait until the store is quiet,
and ``close`` cancels what has not gone out yet (kept in ``cancelled``, as
undeliverable mail is kept in ``failed``: nothing disappears unaccounted).
"""

import logging
import smtplib
import threading
from email.message import EmailMessage

from pydantic import BaseModel, ConfigDict

log = logging.getLogger(__name__)


class SendFailure(BaseModel):
    """An email that could not be delivered after all attempts; kept, never dropped silently."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    message: EmailMessage
    recipient: str
    error: str


class Outbox:
    """Schedules emails ``delay * time_scale`` seconds ahead and sends them with smtplib."""

    def __init__(
        self,
        smtp_host: str,
        smtp_port: int,
        time_scale: float = 1.0,
        attempts: int = 3,
        retry_delay: float = 1.0,
    ) -> None:
        self.smtp_host = smtp_host
        self.smtp_port = smtp_port
        self.time_scale = time_scale
        self.attempts = attempts
        self.retry_delay = retry_delay
        self.sent: list[EmailMessage] = []
        self.failed: list[SendFailure] = []
        self.cancelled: list[EmailMessage] = []
        self._timers: dict[object, tuple[threading.Timer, EmailMessage]] = {}
        self._in_flight = 0
        self._closed = False
        self._idle = threading.Condition()

    def schedule(self, delay: float, message: EmailMessage, sender: str, recipient: str) -> None:
        """Send ``message`` after ``delay`` (unscaled) seconds; once closed, it goes to ``cancelled``."""
        self._arm(delay * self.time_scale, message, sender, recipient, attempt=1)

    def _arm(self, seconds: float, message: EmailMessage, sender: str, recipient: str, attempt: int) -> None:
        token = object()
        timer = threading.Timer(max(seconds, 0.0), self._fire, args=(token, message, sender, recipient, attempt))
        timer.daemon = True
        with self._idle:
            if self._closed:
                self.cancelled.append(message)
                return
            self._timers[token] = (timer, message)
        timer.start()

    def _fire(self, token: object, message: EmailMessage, sender: str, recipient: str, attempt: int) -> None:
        with self._idle:
            if self._timers.pop(token, None) is None:
                return  # cancelled between firing and taking the lock
            self._in_flight += 1
        try:
            self._send(message, sender, recipient, attempt)
        finally:
            with self._idle:
                self._in_flight -= 1
                self._idle.notify_all()

    def _send(self, message: EmailMessage, sender: str, recipient: str, attempt: int) -> None:
        try:
            with smtplib.SMTP(self.smtp_host, self.smtp_port, timeout=10) as smtp:
                smtp.send_message(message, from_addr=sender, to_addrs=[recipient])
        except (OSError, smtplib.SMTPException) as exc:
            where = f"{self.smtp_host}:{self.smtp_port}"
            if attempt < self.attempts and _is_transient(exc):
                log.warning("demo shop: sending %r to %s failed (%s), retrying", message["Subject"], where, exc)
                self._arm(self.retry_delay * self.time_scale, message, sender, recipient, attempt + 1)
                return
            log.error("demo shop: giving up on %r to %s via %s: %s", message["Subject"], recipient, where, exc)
            with self._idle:
                self.failed.append(SendFailure(message=message, recipient=recipient, error=str(exc)))
            return
        with self._idle:
            self.sent.append(message)

    @property
    def pending(self) -> int:
        """Emails scheduled or being sent right now."""
        with self._idle:
            return len(self._timers) + self._in_flight

    def wait_idle(self, timeout: float) -> bool:
        """True once nothing is pending; False if ``timeout`` seconds pass first."""
        with self._idle:
            return self._idle.wait_for(lambda: not self._timers and not self._in_flight, timeout=timeout)

    def close(self) -> int:
        """Cancel every email not yet being sent; returns how many were cancelled."""
        with self._idle:
            self._closed = True
            pending = list(self._timers.values())
            self._timers.clear()
            self.cancelled.extend(message for _, message in pending)
            self._idle.notify_all()
        for timer, _ in pending:
            timer.cancel()
        return len(pending)


def _is_transient(exc: Exception) -> bool:
    """Retry what a real MTA would retry: network trouble and 4xx replies, not 5xx refusals."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return True
