"""An IMAP account file never holds the password: a ``password:`` key is refused, even beside a source."""

import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from auditor.cli import app
from auditor.mail.imap_config import ImapConfig
from auditor.yamlfile import ConfigError, load_model

SECRET = "hunter2-secret"


@pytest.mark.parametrize(
    "source",
    ["", "password_env: SHOPPER_PW\n", "password_file: pw.txt\n"],
    ids=["alone", "beside-password_env", "beside-password_file"],
)
def test_a_password_key_is_refused_at_its_line_without_echoing_it(tmp_path: Path, source: str) -> None:
    account = tmp_path / "account.yaml"
    account.write_text(f"host: imap.example.test\nusername: shopper\n{source}password: {SECRET}\n")
    line = 4 if source else 3
    with pytest.raises(ConfigError) as caught:
        load_model(account, ImapConfig)
    assert [str(p) for p in caught.value.problems] == [
        f"{account}:{line}: password: never write the password here; name its source with password_env or password_file"
    ]
    assert SECRET not in str(caught.value)


def test_the_cli_refuses_it_with_exit_2_and_never_prints_it(tmp_path: Path) -> None:
    account = tmp_path / "account.yaml"
    account.write_text(f"host: 127.0.0.1\nusername: u\npassword_env: PW\npassword: {SECRET}\n")
    result = CliRunner().invoke(app, ["mail", "sync", "--imap", str(account), str(tmp_path / "camp")])
    assert result.exit_code == 2
    assert f"{account}:4: password: never write the password here" in result.output
    assert SECRET not in result.output


def test_a_campaign_mailbox_with_a_password_key_fails_validation(tmp_path: Path) -> None:
    campaign = tmp_path / "campaign.yaml"
    campaign.write_text(
        "id: c\nstores: [s.yaml]\nscenarios: [sc.yaml]\npersonas: [p.yaml]\n"
        f"mailbox:\n  kind: imap\n  host: h\n  username: u\n  password_env: PW\n  password: {SECRET}\n"
    )
    result = CliRunner().invoke(app, ["validate", str(campaign)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{campaign}:10: mailbox.imap.password: never write the password here; name its source with password_env "
        "or password_file"
    ]
    assert SECRET not in result.output


def test_the_password_sources_still_work_and_the_schema_does_not_offer_password(tmp_path: Path) -> None:
    config = ImapConfig(host="h", username="u", password_env="PW")
    assert config.password_env == "PW"
    assert "password" not in ImapConfig.model_json_schema()["properties"]
    assert "password" not in config.model_dump()


@pytest.mark.parametrize("kind", ["fifo", "device", "huge", "empty-cert"])
def test_password_and_certificate_files_that_are_no_files_are_refused_unread(tmp_path: Path, kind: str) -> None:
    """A FIFO would block the read forever and /dev/zero would fill memory: both are named instead."""
    from auditor.mail.imap_config import ImapConfigError

    target = {
        "fifo": tmp_path / "pw",
        "device": Path("/dev/zero"),
        "huge": tmp_path / "pw",
        "empty-cert": tmp_path / "c",
    }[kind]
    if kind == "fifo":
        os.mkfifo(target)
    if kind == "huge":
        target.write_bytes(b"x" * 100_000)
    if kind == "empty-cert":
        target.write_bytes(b"")
        config = ImapConfig(host="h", username="u", password_env="PW", trust_cert=target)
        with pytest.raises(ImapConfigError, match=f"trust_cert {target}: cannot load it"):
            config.ssl_context()
        return
    config = ImapConfig(host="h", username="u", password_file=target)
    said = {
        "fifo": "is a FIFO (named pipe), not a regular file",
        "device": "is a character device",
        "huge": "the limit",
    }
    with pytest.raises(ImapConfigError, match=re.escape(f"cannot read {target}: ") + ".*" + re.escape(said[kind])):
        config.password()
    with pytest.raises(ImapConfigError, match="cannot load it: is a"):
        ImapConfig(host="h", username="u", password_env="PW", trust_cert=Path("/dev/zero")).ssl_context()
