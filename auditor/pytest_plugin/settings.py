"""What the ``auditor`` options resolve to, checked once: a bad ``--auditor-mailbox`` file or an unknown
``--auditor-rubric`` is a usage error naming the file and line, never a traceback from inside a fixture.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, field_validator

from auditor.campaign.mailboxes import ImapSpec
from auditor.models import AddressStrategy
from auditor.pytest_plugin.options import DEFAULT_RUBRIC, worker_index

SINK_ADDRESS = AddressStrategy(kind="plus", mailbox="shopper@auditor.test")


class AddressScheme(AddressStrategy):
    """How each test's address is made from the inbox's address: ``plus`` or ``catch_all``.

    ``fixed`` cannot tell two tests apart (they would read each other's mail), so it is refused."""

    kind: Literal["plus", "catch_all"] = "plus"  # type: ignore[assignment]


class ImapMailboxFile(ImapSpec):
    """``--auditor-mailbox FILE``: an IMAP account (the campaign's mailbox YAML) plus the address scheme."""

    address: AddressScheme = Field(description="the inbox's address and how each test gets its own")


class SinkSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: Literal["smtp_sink"] = "smtp_sink"
    host: str = "127.0.0.1"
    port: int = Field(default=0, ge=0, le=65535, description="0: a free port; with xdist, worker N adds N")
    address: AddressStrategy = SINK_ADDRESS


class Settings(BaseModel):
    """What the options resolve to; one per pytest process."""

    mailbox: SinkSettings | ImapMailboxFile
    rubric: str = DEFAULT_RUBRIC
    report: Path | None = None
    mailbox_file: Path | None = None

    @field_validator("report")
    @classmethod
    def _absolute(cls, value: Path | None) -> Path | None:
        return value.resolve() if value is not None else None


def read_settings(config: pytest.Config) -> Settings:
    """Resolve and check the options; a problem is a ``pytest.UsageError`` naming file, line and field."""
    from auditor.rubric import load_rubric
    from auditor.yamlfile import ConfigError, load_model

    rubric = config.getoption("auditor_rubric")
    try:
        load_rubric(rubric)
    except (ConfigError, OSError, ValueError) as error:
        raise pytest.UsageError(f"--auditor-rubric {rubric}: {error}") from None
    report = config.getoption("auditor_report")
    mailbox_file = config.getoption("auditor_mailbox")
    if mailbox_file is None:
        port = config.getoption("auditor_smtp_port")
        mailbox: SinkSettings | ImapMailboxFile = SinkSettings(
            host=config.getoption("auditor_smtp_host"), port=port + worker_index(config) if port else 0
        )
        return Settings(mailbox=mailbox, rubric=rubric, report=Path(report) if report else None)
    path = Path(mailbox_file)
    try:
        mailbox = load_model(path, ImapMailboxFile)
    except ConfigError as error:
        raise pytest.UsageError(f"--auditor-mailbox {path}:\n{error}") from None
    except OSError as error:
        raise pytest.UsageError(f"--auditor-mailbox {path}: {error.strerror or error}") from None
    relative = {
        key: path.parent / value
        for key in ("password_file", "trust_cert")
        if (value := getattr(mailbox, key)) is not None and not value.is_absolute()
    }
    return Settings(
        mailbox=mailbox.model_copy(update=relative),
        rubric=rubric,
        report=Path(report) if report else None,
        mailbox_file=path,
    )
