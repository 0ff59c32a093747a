"""``--auditor-report DIR``: the session as a campaign folder (one run per test) and its usual reports.

Each process (each xdist worker) keeps its mail in a private working folder, so two workers reading
one IMAP inbox never claim each other's messages; when a test ends, its finished run (journal,
raw mail, evidence, findings) is copied into DIR. The process that ran the session (the xdist
controller, or pytest itself) then scores the folder, renders each email as a picture (the snapshot
stage every ``auditor`` command runs; without a browser it says so and the pages say "no picture")
and writes ``results.json``, ``findings.csv`` and the HTML pages with the same report writer.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from auditor.campaign.folder import CampaignFolder, reset_folder
from auditor.campaign.scoring import score_folder
from auditor.campaign.snapshots import snapshot_stage
from auditor.mail.store import store_raw
from auditor.models import Finding, RunRecord, Scorecard
from auditor.pytest_plugin.testrun import TestRun
from auditor.report.write import write_reports
from auditor.rubric import Rubric, score_record

CAMPAIGN_ID = "pytest"
EVIDENCE_FILE = "evidence.json"


def prepare(report_dir: Path) -> None:
    """Recreate DIR for this session (refusing a folder that is not a campaign folder)."""
    reset_folder(report_dir)
    with CampaignFolder(report_dir) as folder:
        folder.set_meta("campaign", {"id": CAMPAIGN_ID})


def export_run(report_dir: Path, test: TestRun, rubric: Rubric) -> Path:
    """Copy one finished test's run into DIR; the path of its ``runs/<run-id>/evidence.json``."""
    record = test.record(until=test.finished_at)
    findings, card = score_record(rubric, record)
    with CampaignFolder(report_dir) as folder:
        folder.add_run(record.run, record.store, record.persona, record.expectations)
        for event in record.journal.events:
            folder.add_event(record.run.id, event)
        for m in record.messages:
            store_raw(folder.mail_dir, test.service.raw(m.message.sha256), m.message.sha256)
            folder.add_message(m.message)
            folder.put_evidence(m.evidence)
        if record.observed_until is not None:
            folder.close_observation(record.run.id, record.observed_until.isoformat())
        folder.replace_findings(record.run.id, findings)
        target = folder.artifacts_dir(record.run.id) / EVIDENCE_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(_evidence_json(test, record, findings, card), encoding="utf-8")
    return target


def _evidence_json(test: TestRun, record: RunRecord, findings: list[Finding], card: Scorecard) -> str:
    """What one test's JUnit property points at: the run, its mail (with the ``.eml`` paths) and findings."""
    data = {
        "test": test.nodeid,
        "run": record.run.model_dump(mode="json"),
        "journal": record.journal.model_dump(mode="json"),
        "messages": [
            {
                "sha256": m.message.sha256,
                "eml": f"../../mail/{m.message.sha256}.eml",
                "after_order_s": round(test.offset(m), 3),
                "from_addr": m.message.from_addr,
                "subject": m.message.subject,
                "kind": m.evidence.kind.value,
            }
            for m in record.messages
        ],
        "rubric": card.rubric,
        "scorecard": card.model_dump(mode="json"),
        "findings": [f.model_dump(mode="json") for f in findings],
    }
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_session_report(
    report_dir: Path, rubric: Rubric, progress: Callable[[str], None] = lambda _: None
) -> tuple[Path, int]:
    """Score DIR with the session's rubric, picture its emails and write every report; (index.html, runs)."""
    with CampaignFolder(report_dir) as folder:
        results = score_folder(folder, rubric)
    with ThreadPoolExecutor(1) as apart:  # a loop of its own: the session's tests may have left one running
        apart.submit(asyncio.run, snapshot_stage(report_dir, progress=progress)).result()
    runs = sum(len(s.runs) for s in results.stores)
    return write_reports(report_dir, results), runs
