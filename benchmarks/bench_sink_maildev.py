"""`auditor mail sink` against maildev 3, side by side, on the same unique real-template emails.

Goal (issue 10, point 7): the sink ingests real-template mail at least 1.5x as fast
as maildev (npm, which parses each message with mailparser and writes it to a
folder), with the auditor's analysis kept off the path of the ``250``. Both
servers run as their own processes, as a user would start them; the same client
threads (smtplib, one connection each) send the same messages to each, in
alternating order over several rounds. Every message is made unique (one
``X-Bench-Id`` header), because a content-addressed store skips repeated bytes.

Messages: ``tests/corpus/platforms/messages/*/*.eml`` (the real platforms'
templates), else ``tests/corpus/messages/*.eml``. maildev is installed in
``$MAILDEV_DIR`` (default ``/tmp/maildev``, outside the repository) with
``npm install maildev@3`` when missing.

Also measured: the analysis backlog, i.e. how long after the last ``250`` every
message of the round has evidence in ``campaign.db``.
"""

from __future__ import annotations

import os
import shutil
import signal
import smtplib
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAILDEV_DIR = Path(os.environ.get("MAILDEV_DIR", "/tmp/maildev"))
MAILDEV_BIN = MAILDEV_DIR / "node_modules" / ".bin" / "maildev"
CLIENTS = 4
MESSAGES = int(os.environ.get("BENCH_MESSAGES", "1200"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
GOAL = 1.5


def corpus() -> tuple[str, list[bytes]]:
    platforms = sorted((ROOT / "tests" / "corpus" / "platforms" / "messages").glob("*/*.eml"))
    files = platforms or sorted((ROOT / "tests" / "corpus" / "messages").glob("*.eml"))
    if not files:
        sys.exit("no corpus messages found under tests/corpus")
    where = "tests/corpus/platforms/messages" if platforms else "tests/corpus/messages"
    return where, [f.read_bytes() for f in files]


def unique(messages: list[bytes], tag: str, count: int) -> list[bytes]:
    """``count`` messages cycling through the corpus, each with its own first header line."""
    return [f"X-Bench-Id: {tag}-{i}\r\n".encode() + messages[i % len(messages)] for i in range(count)]


def ensure_maildev() -> Path:
    if MAILDEV_BIN.exists():
        return MAILDEV_BIN
    npm = shutil.which("npm")
    if npm is None:
        sys.exit(f"maildev is not installed and npm is missing: run `npm install maildev@3` in {MAILDEV_DIR}")
    MAILDEV_DIR.mkdir(parents=True, exist_ok=True)
    print(f"installing maildev@3 into {MAILDEV_DIR} (npm) ...", flush=True)
    subprocess.run([npm, "install", "maildev@3", "--no-audit", "--no-fund"], cwd=MAILDEV_DIR, check=True)
    return MAILDEV_BIN


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_greeting(port: int, proc: subprocess.Popen, timeout: float = 30) -> None:
    """Ready means a 220 greeting, not only an open port."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before it listened")
        try:
            with smtplib.SMTP("127.0.0.1", port, timeout=2) as smtp:
                smtp.noop()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"no SMTP greeting on port {port} within {timeout} s")


def send_all(port: int, messages: list[bytes]) -> float:
    """Messages per second over CLIENTS threads, each its own connection, timed from a common start."""
    shares = [messages[i::CLIENTS] for i in range(CLIENTS)]
    ready = threading.Barrier(CLIENTS + 1)
    errors: list[BaseException] = []

    def client(share: list[bytes]) -> None:
        try:
            with smtplib.SMTP("127.0.0.1", port, timeout=120) as smtp:
                smtp.ehlo()
                ready.wait()
                for raw in share:
                    smtp.sendmail("orders@shop.example", ["ann+r1@example.test"], raw)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
            ready.abort()

    threads = [threading.Thread(target=client, args=(share,)) for share in shares]
    for t in threads:
        t.start()
    ready.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise RuntimeError(f"a client failed: {errors[0]!r}")
    return len(messages) / elapsed


def cpu_seconds(pid: int) -> float:
    """User + system CPU of one process so far (not its children): a figure the machine's load
    does not scale, unlike msg/s on a shared 2-core box."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def run_maildev(binary: Path, messages: list[bytes], work: Path) -> tuple[float, float]:
    """(msg/s, CPU ms per message in the maildev process)."""
    smtp, web = free_port(), free_port()
    store = work / "maildev"
    store.mkdir()
    proc = subprocess.Popen(
        [str(binary), "--smtp", str(smtp), "--web", str(web), "--ip", "127.0.0.1", "--mail-directory", str(store),
         "--silent"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    try:
        wait_for_greeting(smtp, proc)
        cpu = cpu_seconds(proc.pid)
        rate = send_all(smtp, messages)
        cpu = cpu_seconds(proc.pid) - cpu
    finally:
        stop(proc)
    stored = len(list(store.glob("*.eml")))
    assert stored >= len(messages), f"maildev kept {stored} of {len(messages)}"
    return rate, cpu * 1000 / len(messages)


def _counts(db_path: Path) -> tuple[int, int]:
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30) as db:
        messages = db.execute("SELECT COUNT(*) FROM messages").fetchone()[0]
        analysed = db.execute(
            "SELECT COUNT(*) FROM messages m WHERE EXISTS (SELECT 1 FROM evidence e WHERE e.sha256 = m.sha256)"
        ).fetchone()[0]
    return messages, analysed


def run_sink(messages: list[bytes], work: Path) -> tuple[float, float, int, float, float]:
    """(msg/s, seconds from the last 250 until every message was analysed, backlog at the last 250,
    CPU ms per message in the sink process while sending, CPU ms per message of analysis workers)."""
    port = free_port()
    folder = work / "campaign"
    proc = subprocess.Popen(
        [sys.executable, "-m", "auditor", "mail", "sink", "--port", str(port), str(folder)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    try:
        wait_for_greeting(port, proc)
        cpu = cpu_seconds(proc.pid)
        rate = send_all(port, messages)
        cpu = cpu_seconds(proc.pid) - cpu
        sent_at = time.perf_counter()
        stored, analysed = _counts(folder / "campaign.db")
        backlog = stored - analysed
        assert stored == len(messages), f"the sink indexed {stored} of {len(messages)}"
        while analysed < stored:  # a benchmark may poll: there is no event to await across processes
            time.sleep(0.05)
            stored, analysed = _counts(folder / "campaign.db")
        drain = time.perf_counter() - sent_at
        workers = sum(cpu_seconds(child) for child in children(proc.pid))
    finally:
        stop(proc)
    return rate, drain, backlog, cpu * 1000 / len(messages), workers * 1000 / len(messages)


def main() -> None:
    binary = ensure_maildev()
    where, base = corpus()
    size = statistics.mean(len(m) for m in base) / 1024
    maildev_rates, sink_rates, drains, backlogs = [], [], [], []
    maildev_cpu, sink_cpu, analysis_cpu = [], [], []
    with tempfile.TemporaryDirectory(prefix="bench-sink-maildev-") as tmp:
        for round_ in range(ROUNDS):
            messages = unique(base, f"r{round_}", MESSAGES)
            order = ("maildev", "sink") if round_ % 2 == 0 else ("sink", "maildev")
            for name in order:
                work = Path(tmp) / f"{name}-{round_}"
                work.mkdir()
                if name == "maildev":
                    rate, cpu = run_maildev(binary, messages, work)
                    maildev_rates.append(rate)
                    maildev_cpu.append(cpu)
                else:
                    rate, drain, backlog, cpu, worker_cpu = run_sink(messages, work)
                    sink_rates.append(rate)
                    drains.append(drain)
                    backlogs.append(backlog)
                    sink_cpu.append(cpu)
                    analysis_cpu.append(worker_cpu)
            line = (
                f"  round {round_ + 1} ({' then '.join(order)}): maildev {maildev_rates[-1]:6.0f} msg/s, "
                f"sink {sink_rates[-1]:6.0f} msg/s, ratio {sink_rates[-1] / maildev_rates[-1]:.2f}; "
                f"analysis backlog {backlogs[-1]} drained {drains[-1]:.1f} s after the last 250"
            )
            print(line, flush=True)
    maildev, sink = statistics.median(maildev_rates), statistics.median(sink_rates)
    ratio = sink / maildev
    print(
        f"sink vs maildev 3, {CLIENTS} smtplib client threads x {MESSAGES // CLIENTS} unique messages "
        f"(avg {size:.1f} KB, from {len(base)} in {where}), median of {ROUNDS} rounds, alternating order"
    )
    print(f"  maildev 3 (parse + write):                    {maildev:7.0f} msg/s")
    print(f"  auditor mail sink (durable, analysis queued): {sink:7.0f} msg/s   ratio = {ratio:.2f}"
          f"  (goal >= {GOAL}: {'met' if ratio >= GOAL else 'MISSED'})")  # fmt: skip
    m_cpu, s_cpu = statistics.median(maildev_cpu), statistics.median(sink_cpu)
    print(
        f"  CPU per message while receiving: maildev {m_cpu:.2f} ms, sink {s_cpu:.2f} ms (ratio {m_cpu / s_cpu:.2f}); "
        f"analysis worker {statistics.median(analysis_cpu):.2f} ms per message, off the path"
    )
    print(f"  analysis backlog after the last 250: median {statistics.median(backlogs):.0f} messages, "
          f"drained in {statistics.median(drains):.1f} s "
          f"({MESSAGES / (statistics.median(drains) + MESSAGES / sink):.0f} msg/s end to end)")  # fmt: skip


if __name__ == "__main__":
    main()
