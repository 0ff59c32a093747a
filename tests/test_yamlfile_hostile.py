"""Hostile YAML input: every file a user can name ends in one line and a non-zero exit within a second.

Each case runs the real CLI in a subprocess killed if the command runs longer than a second
(``within.run_within``: one second of its own CPU, ten of wall clock): a hang (a FIFO no one
writes, /dev/zero) or a blow-up would overrun it."""

import os
from pathlib import Path

import pytest
from within import run_within

from auditor.yamlfile import MAX_DEPTH, ConfigError, read_yaml


def hostile_files(tmp: Path) -> dict[str, tuple[Path, str]]:
    """name -> (path, what its one line must say)."""
    fifo = tmp / "fifo.yaml"
    os.mkfifo(fifo)
    random_bytes = tmp / "random.yaml"
    random_bytes.write_bytes(b"id: x\n\xff\xfe" + os.urandom(4096))
    nested = tmp / "nested.yaml"
    nested.write_text("[" * 20_000 + "\n")
    laughs = tmp / "laughs.yaml"
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    laughs.write_text("\n".join(lines) + "\n")
    loop = tmp / "loop.yaml"
    loop.write_text("a: &a [*a]\n")
    big = tmp / "big.yaml"
    big.write_text("id: big\ntitle: " + "x" * (2 * 1024 * 1024) + "\n")
    control = tmp / "control.yaml"
    control.write_text("id: x\ntitle: a\x01b\n")
    bad_date = tmp / "date.yaml"
    bad_date.write_text("id: x\nwhen: 2020-13-45\n")
    return {
        "dev-zero": (Path("/dev/zero"), "/dev/zero: is a character device, not a regular file"),
        "fifo": (fifo, f"{fifo}: is a FIFO (named pipe), not a regular file"),
        "directory": (tmp, f"{tmp}: is a directory, not a regular file"),
        "random": (random_bytes, f"{random_bytes}:2: file: not UTF-8 text (byte 0xff at offset 6)"),
        "nested": (nested, f"{nested}:1: nested deeper than {MAX_DEPTH} levels"),
        "laughs": (laughs, f"{laughs}:1: aliases expand to more than 1,000,000 values"),
        "loop": (loop, f"{loop}:1: an alias refers to a node that contains it"),
        "big": (big, f"{big}: is 2.0 MB; the limit is 1.0 MB"),
        "control": (control, f"{control}:2: unacceptable character #x0001"),
        "date": (bad_date, f"{bad_date}: cannot read a value: month must be in 1..12"),
    }


CASES = ["dev-zero", "fifo", "directory", "random", "nested", "laughs", "loop", "big", "control", "date"]


@pytest.mark.parametrize("case", CASES)
def test_hostile_file_gives_one_line_and_exit_1_within_a_second(case: str, tmp_path: Path) -> None:
    path, expected = hostile_files(tmp_path)[case]
    result = run_within(["validate", path])
    assert result.returncode == 1
    assert result.stdout.splitlines() == [expected]
    assert "Traceback" not in result.stderr


def test_a_fifo_is_refused_without_being_opened_for_reading(tmp_path: Path) -> None:
    """Opening a FIFO for reading blocks until a writer comes; read_yaml must not even try."""
    fifo = tmp_path / "f.yaml"
    os.mkfifo(fifo)
    with pytest.raises(ConfigError, match="FIFO"):
        read_yaml(fifo)


def test_nesting_up_to_the_limit_still_loads(tmp_path: Path) -> None:
    ok = tmp_path / "ok.yaml"
    ok.write_text("[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n")
    data, _ = read_yaml(ok)
    depth = 0
    while isinstance(data, list) and data:
        data, depth = data[0], depth + 1
    assert depth == MAX_DEPTH - 2


def test_aliases_within_reason_still_load(tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_text("base: &b {x: 1}\nfirst: *b\nsecond: *b\n")
    data, _ = read_yaml(f)
    assert data == {"base": {"x": 1}, "first": {"x": 1}, "second": {"x": 1}}
