"""`auditor analyze` on what a user may point it at: not-a-file paths, an empty file, a hostile message."""

import base64
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner
from within import run_within

from auditor.cli import app

HOSTILE = (
    b'From: "Shop\x1b]0;pwned\x07" <orders@shop.example>\r\n'
    b"Subject: =?utf-8?b?" + base64.b64encode("Order\x1b[2J \u202e\x9b1 confirmed".encode()) + b"?=\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
    b"Hello,\x1b[31m thank you for your order 1042.\r\n"
)


@pytest.mark.parametrize("case", ["directory", "fifo", "dev-zero", "empty", "missing"])
def test_a_path_that_is_no_message_is_named_in_one_line_within_a_second(case: str, tmp_path: Path) -> None:
    path, said = {
        "directory": (tmp_path, "is a directory, not a regular file"),
        "fifo": (tmp_path / "pipe.eml", "is a FIFO (named pipe), not a regular file"),
        "dev-zero": (Path("/dev/zero"), "is a character device, not a regular file"),
        "empty": (tmp_path / "empty.eml", "is empty (0 bytes)"),
        "missing": (tmp_path / "gone.eml", "no such file"),
    }[case]
    if case == "fifo":
        os.mkfifo(path)
    if case == "empty":
        path.write_bytes(b"")
    result = run_within(["analyze", path])
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"{path}: {said}"]
    assert result.stdout == ""


def test_the_summary_shows_the_senders_control_characters_escaped(tmp_path: Path) -> None:
    eml = tmp_path / "m.eml"
    eml.write_bytes(HOSTILE)
    result = CliRunner().invoke(app, ["analyze", str(eml)])
    assert result.exit_code == 0, result.output
    for raw in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert raw not in result.stdout
    assert "Order\\x1b[2J" in result.stdout or "Order\\x1b[2J" in result.stdout.replace("\\\\", "\\")


def test_the_json_keeps_the_same_values_with_nothing_a_terminal_acts_on(tmp_path: Path) -> None:
    eml = tmp_path / "m.eml"
    eml.write_bytes(HOSTILE)
    result = CliRunner().invoke(app, ["analyze", "--json", str(eml)])
    assert result.exit_code == 0, result.output
    for raw in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert raw not in result.stdout
    assert json.loads(result.stdout)["subject"] == "Order\x1b[2J \u202e\x9b1 confirmed"
