"""The SMTP sink under faults a real system produces: no file descriptors left, a taken port, a kill -9.

Each fault is real: ``RLIMIT_NOFILE`` lowered in the sink's own process, a port held by
another socket, ``SIGKILL`` on ``auditor mail sink``.
"""

from __future__ import annotations

import os
import signal
import smtplib
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cli_process import free_port

from auditor.campaign.folder import CampaignFolder
from auditor.mail.sink_state import down_intervals

ROOT = Path(__file__).resolve().parents[1]
RAW = b"From: shop@shop.example\r\nTo: ann@example.test\r\nSubject: Order 1\r\n\r\nThanks.\r\n"

# A sink in a process allowed few descriptors; prints its port, then serves until stdin closes.
STARVED_SINK = """
import asyncio, resource, sys, logging
logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
from auditor.mail.sink import SmtpSink

async def main():
    async with SmtpSink(sys.argv[1], lambda m, raw: None) as sink:
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (int(sys.argv[2]), hard))
        print(sink.port, flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
        print("received", sink.received, "episodes", sink.starvation.episodes, flush=True)

asyncio.run(main())
"""


def first_line(sock: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\n"):
        chunk = sock.recv(1024)
        if not chunk:
            break
        data += chunk
    return data


def test_out_of_descriptors_answers_421_and_logs_once(tmp_path: Path) -> None:
    limit = 48
    proc = subprocess.Popen(
        [sys.executable, "-c", STARVED_SINK, str(tmp_path / "mail"), str(limit)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, text=True,
    )  # fmt: skip
    held: list[socket.socket] = []
    try:
        port = int(proc.stdout.readline())
        greetings: list[bytes] = []
        for _ in range(limit + 20):  # more connections than the sink has descriptors
            sock = socket.create_connection(("127.0.0.1", port), timeout=10)
            held.append(sock)
        for sock in held:
            greetings.append(first_line(sock))
        accepted = [s for s, g in zip(held, greetings, strict=True) if g.startswith(b"220")]
        refused = [g for g in greetings if g.startswith(b"421")]
        assert accepted and refused, greetings
        assert len(accepted) + len(refused) == len(held)
        # an accepted session cannot store its message either: 421, and the session is closed
        sock = accepted[0]
        for line in (b"HELO x", b"MAIL FROM:<a@b.c>", b"RCPT TO:<d@e.f>", b"DATA"):
            sock.sendall(line + b"\r\n")
            first_line(sock)
        sock.sendall(RAW + b".\r\n")
        assert first_line(sock).startswith(b"421")
        assert sock.recv(10) == b""
        for sock in held:
            sock.close()
        held.clear()
        # descriptors free again: the next message is stored
        deadline = time.monotonic() + 10
        while True:
            try:
                with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
                    assert client.sendmail("a@b.c", ["d@e.f"], RAW) == {}
                break
            except smtplib.SMTPException:
                assert time.monotonic() < deadline, "the sink never recovered"
        out, err = proc.communicate("", timeout=30)
    finally:
        for sock in held:
            sock.close()
        if proc.poll() is None:
            proc.kill()
    assert "received 1 episodes 1" in out, (out, err)
    assert err.count("out of file descriptors") == 1, err
    assert "available again" in err and "Traceback" not in err, err


def auditor(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "auditor", *args], capture_output=True, text=True, cwd=ROOT, timeout=timeout
    )


def test_a_taken_port_is_one_line_and_exit_2(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = auditor("mail", "sink", "--port", str(port), str(tmp_path / "c"))
        assert done.returncode == 2, done.stderr
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and f"port {port}" in lines[0] and "already in use" in lines[0], done.stderr
        assert "choose another port" in lines[0]
        demo = ROOT / "auditor" / "demo" / "campaign"
        run = auditor(
            "run", str(demo / "scenario.yaml"), "--store", str(demo / "stores" / "exemplary.yaml"),
            "--persona", str(demo / "persona.yaml"), "--mailbox", f"smtp://127.0.0.1:{port}",
            "--out", str(tmp_path / "run"),
        )  # fmt: skip
    assert run.returncode == 2, run.stdout + run.stderr
    assert "Traceback" not in run.stderr and f"port {port}" in run.stderr, run.stderr
    assert "shopping as" not in run.stdout + run.stderr  # stopped before any run


def test_a_crashed_sink_leaves_a_closed_interval_and_a_known_gap(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    port = free_port()
    first = subprocess.Popen(
        [sys.executable, "-m", "auditor", "mail", "sink", "--port", str(port), str(folder)],
        cwd=ROOT, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    assert "listening on" in first.stderr.readline()
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.sendmail("a@b.c", ["d@e.f"], RAW)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    second = subprocess.Popen(
        [sys.executable, "-m", "auditor", "mail", "sink", "--port", str(port), str(folder)],
        cwd=ROOT, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    assert "listening on" in second.stderr.readline()
    second.send_signal(signal.SIGTERM)
    second.wait(timeout=30)
    with CampaignFolder(folder) as opened:
        up = opened.sink_uptime()
    assert [i.ended for i in up] == ["crashed", "stopped"]
    assert up[0].stopped_at is not None and up[0].stopped_at <= up[1].started_at
    gaps = down_intervals(up, up[0].started_at, datetime.now(UTC) + timedelta(seconds=1))
    assert gaps[0].cause == "the sink crashed" and gaps[0].since == up[0].stopped_at
    assert gaps[0].until == up[1].started_at
    assert gaps[-1].cause == "the sink was stopped"
    with CampaignFolder(folder) as opened:
        assert opened.sink_down(up[0].started_at, up[1].started_at) == gaps[:1]
