"""Raw message in, Evidence out: parse once, flatten once, run every extractor over the same view.

The extractors and their order are data (``pipeline.PIPELINE``); this module
only runs them and turns their products into Evidence.

``analyze`` never raises: whatever goes wrong in one extractor is written into
``malformed``/``extra['errors']`` and the other facts are still returned,
because losing a whole message's evidence over one odd table would hide more
than it shows.
"""

import hashlib
from typing import Any

from auditor.analysis.extractor import run_all
from auditor.analysis.pipeline import EVIDENCE_FIELDS, PIPELINE
from auditor.mail.mime import ParsedMail, parse_mime
from auditor.models.evidence import Evidence


def analyze_parsed(mail: ParsedMail, sha256: str) -> Evidence:
    """Evidence from an already parsed message (the campaign parses once and keeps the result)."""
    artifacts: dict[str, Any] = {"mail": mail}
    errors = run_all(PIPELINE, artifacts)
    problems = list(artifacts["problems"])
    extra: dict[str, Any] = {}
    if errors:
        extra["errors"] = errors
        problems.append(f"{len(errors)} extractor(s) failed: see extra.errors")
    return Evidence(
        message_sha256=sha256,
        malformed="; ".join(problems) if problems else None,
        extra=extra,
        **{name: artifacts[name] for name in EVIDENCE_FIELDS},
    )


def analyze(raw: bytes) -> Evidence:
    """Evidence for one raw message; never raises (see ``Evidence.malformed``)."""
    sha256 = hashlib.sha256(raw).hexdigest()
    try:
        return analyze_parsed(parse_mime(raw), sha256)
    except Exception as exc:  # noqa: BLE001 - the contract: a message always yields Evidence
        return Evidence(message_sha256=sha256, malformed=f"analysis failed: {type(exc).__name__}: {exc}")
