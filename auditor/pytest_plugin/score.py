"""``audit_score(rubric)``: this test's mail and order, scored by a rubric, with a CI gate as an assertion.

The scoring is the rubric's own (``score_record``, ``evaluate_gate``): a test's scorecard means
what ``auditor check`` would say of the same mail. The failure message is written for pytest's
output: one block per failed criterion with what was measured and the evidence it rests on.
"""

from __future__ import annotations

from functools import cache

from auditor.models import Finding, MessageRecord, RunRecord, Scorecard
from auditor.rubric import GateResult, Rubric, evaluate_gate, load_rubric, score_record

SNIPPET_WIDTH = 100
EVIDENCE_SHOWN = 3


class ScoreAssertionError(AssertionError):
    """``assert_passes`` did not hold; the message lists each failed criterion with value and evidence."""

    __module__ = "auditor.pytest_plugin"  # as pytest prints it: the public name


@cache
def rubric_named(name: str) -> Rubric:
    return load_rubric(name)


def _snippet(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET_WIDTH else text[: SNIPPET_WIDTH - 1] + "…"


class AuditScore:
    """Findings and scorecard of one test's run, scored when it was asked for."""

    def __init__(self, rubric: Rubric, record: RunRecord):
        self.rubric = rubric
        self.record = record
        self.findings, self.scorecard = score_record(rubric, record)

    @property
    def total(self) -> float | None:
        return self.scorecard.total

    @property
    def categories(self) -> dict[str, float | None]:
        return self.scorecard.categories

    def finding(self, criterion: str) -> Finding:
        """The finding of one criterion, by id (``order-number``, ``one-confirmation``...)."""
        for f in self.findings:
            if f.criterion == criterion:
                return f
        raise KeyError(f"rubric {self.rubric.id} has no active criterion {criterion!r}")

    def gate(self, min_score: float | None = None) -> GateResult:
        return evaluate_gate(self.rubric, self.findings, self.scorecard, min_score)

    def assert_passes(self, min_score: float | None = None) -> Scorecard:
        """Every ``error``-level criterion and every ``must`` holds, and the total is at least ``min_score``."""
        __tracebackhide__ = True
        gate = self.gate(min_score)
        if not gate.passed:
            raise ScoreAssertionError(self.explain(gate))
        return self.scorecard

    def explain(self, gate: GateResult) -> str:
        """The failure as a reader wants it: the total, then every criterion that did not pass (those that
        fail the gate first, marked ✗; warn-level ones, which pulled the total down, marked !), each with
        what was measured and the evidence it rests on."""
        total = "no total" if self.total is None else f"total {self.total:g}"
        if self.scorecard.unscored:
            total += f" ({self.scorecard.unscored})"
        lines = [f"rubric {self.rubric.id}: {total}; the gate failed on {len(gate.failures)}:"]
        by_id = {f.criterion: f for f in self.findings}
        messages = {m.message.sha256: m for m in self.record.messages}
        for mark, entries in (("✗", gate.failures), ("!", gate.warnings)):
            if mark == "!" and entries:
                lines.append(f"and {len(entries)} warn-level criteria did not pass:")
            for entry in entries:
                finding = by_id.get(entry.criterion or "")
                if finding is None:
                    lines.append(f"  {mark} {entry.title}: {entry.reason}")
                    continue
                lines.append(f"  {mark} {finding.criterion}: {finding.failure_title or finding.title} — {entry.reason}")
                lines.append(f"      measured: {finding.value}")
                for ref in finding.evidence[:EVIDENCE_SHOWN]:
                    words = _evidence_words(ref.snippet, ref.note, ref.message_sha256, messages)
                    lines.append(f"      evidence: {words}")
                if len(finding.evidence) > EVIDENCE_SHOWN:
                    lines.append(f"      … and {len(finding.evidence) - EVIDENCE_SHOWN} more")
        return "\n".join(lines)


def _evidence_words(snippet: str, note: str, sha: str | None, messages: dict[str, MessageRecord]) -> str:
    parts = []
    if snippet:
        parts.append(repr(_snippet(snippet)))
    if note:
        parts.append(f"({note})")
    m = messages.get(sha or "")
    if m is not None and m.message.subject not in f"{snippet} {note}":
        parts.append(f"in {m.evidence.kind.value} {_snippet(m.message.subject)!r}")
    elif m is None and sha:
        parts.append(f"in {sha[:12]}")
    return " ".join(parts) or "(none)"
