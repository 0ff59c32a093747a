"""Broken messages: none crashes, each is marked malformed with a reason, in bounded time and memory."""

import time
import tracemalloc

import pytest
from corpus.broken import BROKEN, attachment_20mb_complete, scripts_and_iframes, truncated_multipart

from auditor.analysis import analyze

TIME_LIMIT = 3.0  # seconds per message, generous for a shared 2-core machine
MEMORY_FACTOR = 6  # peak allocation at most this many times the message size...
MEMORY_FLOOR = 40 * 1024 * 1024  # ...or this much, whichever is larger


@pytest.fixture(autouse=True, scope="module")
def _warm() -> None:
    """Lexicons and patterns compile once per process; that is start-up, not per-message, time."""
    analyze(b"Subject: warm-up\n\nHi Anna, order #1 Total: 1,00 zl\nEstimated delivery: 2-3 days")


@pytest.mark.parametrize("name", list(BROKEN))
def test_broken_message_is_marked_within_bounds(name: str) -> None:
    raw, reason = BROKEN[name]()
    started = time.perf_counter()
    evidence = analyze(raw)
    elapsed = time.perf_counter() - started
    tracemalloc.start()  # a second, traced run: tracing slows allocation-heavy code several times
    try:
        analyze(raw)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert evidence.malformed is not None and reason in evidence.malformed, evidence.malformed
    assert elapsed < TIME_LIMIT, f"{name}: {elapsed:.2f}s"
    assert peak < max(MEMORY_FLOOR, MEMORY_FACTOR * len(raw)), f"{name}: peak {peak / 1e6:.1f} MB"


def test_a_complete_20mb_attachment_is_measured_not_decoded() -> None:
    raw = attachment_20mb_complete()
    started = time.perf_counter()
    evidence = analyze(raw)
    assert time.perf_counter() - started < TIME_LIMIT
    assert evidence.malformed is None
    assert [a.value["filename"] for a in evidence.attachments] == ["invoice.pdf"]
    assert evidence.attachments[0].value["size"] >= 20 * 1024 * 1024
    assert evidence.greeting is not None and evidence.greeting.value == "Anna"


def test_truncated_message_keeps_what_it_could_read() -> None:
    evidence = analyze(truncated_multipart()[0])
    assert evidence.greeting is not None and evidence.greeting.value == "Anna"
    assert evidence.order_number is not None and evidence.order_number.value == "1042"


def test_script_and_iframe_content_never_becomes_evidence() -> None:
    evidence = analyze(scripts_and_iframes()[0])
    assert evidence.greeting is not None and evidence.greeting.value == "Anna"
    assert evidence.order_number is not None and evidence.order_number.value == "1042"
    assert [str(p.value) for p in evidence.prices] == ["258.00 PLN"]
