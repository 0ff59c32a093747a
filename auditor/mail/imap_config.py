"""How to reach one IMAP account, and where its password comes from (never the YAML itself).

A campaign file is shared and committed; a password in it would leak. So the
config names an environment variable or a file, and the password is read only
when connecting, held as a ``SecretStr`` and never put in an error or a log.
"""

from __future__ import annotations

import os
import ssl
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic.json_schema import SkipJsonSchema

from auditor.inputfile import InputFileError, read_limited

Security = Literal["imaps", "starttls", "plain"]
MAX_PASSWORD_FILE_BYTES = 4096
MAX_CERT_FILE_BYTES = 1024 * 1024


class ImapConfigError(ValueError):
    """The account cannot be used as configured (missing password source, unreadable file...)."""


class ImapConfig(BaseModel):
    """One IMAP account to watch. ``folders`` are read in order: the first folder that
    holds a message claims it (put INBOX and the spam folder before ``[Gmail]/All Mail``)."""

    host: str
    port: int | None = Field(default=None, description="default: 993 for imaps, 143 otherwise")
    security: Security = "imaps"
    username: str
    password_env: str | None = Field(default=None, description="name of the environment variable")
    password_file: Path | None = Field(default=None, description="a file holding only the password")
    folders: list[str] = Field(default_factory=lambda: ["INBOX"], min_length=1)
    trust_cert: Path | None = Field(
        default=None, description="PEM certificate to trust, e.g. a self-signed server's own certificate"
    )
    verify_tls: bool = Field(default=True, description="False disables certificate checks entirely (explicit)")
    idle: bool = Field(default=True, description="use IDLE when the server offers it; else poll")
    poll_interval: float = Field(default=30.0, gt=0, description="seconds between polls without IDLE")
    idle_timeout: float = Field(default=300.0, gt=0, description="re-issue IDLE this often (RFC 2177: < 29 min)")
    reconnect_min: float = Field(default=0.2, gt=0)
    reconnect_max: float = Field(default=30.0, gt=0)
    timeout: float = Field(default=30.0, gt=0, description="socket timeout for commands")
    name: str | None = Field(default=None, description="label for Message.mailbox; default user@host")
    password_in_file: SkipJsonSchema[None] = Field(default=None, alias="password", exclude=True, repr=False)
    """Declared only to refuse a ``password:`` key by name (with its line), whatever else is set: never stored."""

    @field_validator("password_in_file", mode="before")
    @classmethod
    def _no_password_in_the_file(cls, value: object) -> None:
        raise ValueError("never write the password here; name its source with password_env or password_file")

    @model_validator(mode="after")
    def _one_password_source(self) -> ImapConfig:
        if (self.password_env is None) == (self.password_file is None):
            raise ValueError("set exactly one of password_env or password_file (never the password itself)")
        return self

    @property
    def effective_port(self) -> int:
        return self.port or (993 if self.security == "imaps" else 143)

    @property
    def label(self) -> str:
        return self.name or f"{self.username}@{self.host}"

    @property
    def account(self) -> str:
        """The key sync state is stored under: one account on one server, whichever port reaches it."""
        return f"{self.username}@{self.host}"

    def password(self) -> SecretStr:
        """Read the password now; errors name the variable or file, never a value."""
        if self.password_env is not None:
            value = os.environ.get(self.password_env)
            if not value:
                raise ImapConfigError(
                    f"IMAP password for {self.username}: environment variable {self.password_env} is not set"
                )
            return SecretStr(value)
        assert self.password_file is not None
        try:  # a FIFO, /dev/zero or a wrong path to a huge file is refused, never read into memory
            data = read_limited(self.password_file, MAX_PASSWORD_FILE_BYTES)
            value = data.decode("utf-8").rstrip("\r\n")
        except InputFileError as exc:
            raise ImapConfigError(
                f"IMAP password for {self.username}: cannot read {self.password_file}: {exc.reason}"
            ) from None
        except UnicodeDecodeError:
            raise ImapConfigError(
                f"IMAP password for {self.username}: {self.password_file} is not UTF-8 text"
            ) from None
        if not value:
            raise ImapConfigError(f"IMAP password for {self.username}: {self.password_file} is empty")
        return SecretStr(value)

    def ssl_context(self) -> ssl.SSLContext:
        """System trust by default; ``trust_cert`` adds one certificate; ``verify_tls=False`` trusts all."""
        context = ssl.create_default_context()
        if self.trust_cert is not None:
            try:
                pem = read_limited(self.trust_cert, MAX_CERT_FILE_BYTES).decode("ascii", errors="replace")
                context.load_verify_locations(cadata=pem)
            except InputFileError as exc:
                raise ImapConfigError(f"trust_cert {self.trust_cert}: cannot load it: {exc.reason}") from None
            except (OSError, ssl.SSLError, ValueError) as exc:
                raise ImapConfigError(f"trust_cert {self.trust_cert}: cannot load it: {exc}") from None
        if not self.verify_tls:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        return context
