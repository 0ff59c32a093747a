"""Why a mailbox cannot be used, in one line a person can act on (the CLI prints it and exits 2).

Subclasses ``OSError`` because that is what a taken port or a refused connection
already is to callers that catch "could not run" broadly.
"""


class MailboxUnavailable(OSError):
    """The mailbox cannot receive or be read; the message names the mailbox and the cause."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "mailbox unavailable"


class SinkPortInUse(MailboxUnavailable):
    """The SMTP sink's port is taken by another process."""
