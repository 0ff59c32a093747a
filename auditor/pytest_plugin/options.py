"""The ``auditor`` option group. Light on purpose: it is imported by every pytest session."""

from __future__ import annotations

import pytest

DEFAULT_RUBRIC = "ci-strict"


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("auditor", "post-purchase-auditor: assert on the store's emails")
    group.addoption(
        "--auditor-mailbox",
        metavar="FILE",
        default=None,
        help="an IMAP mailbox YAML (kind: imap, host, username, password_env, folders, address: {kind: plus, "
        "mailbox: tests@example.com}); default: an embedded SMTP sink started once per session",
    )
    group.addoption(
        "--auditor-smtp-port",
        type=int,
        default=0,
        metavar="PORT",
        help="port of the embedded SMTP sink (default 0: a free port; under xdist worker gwN listens on PORT+N)",
    )
    group.addoption(
        "--auditor-smtp-host", default="127.0.0.1", metavar="HOST", help="address the embedded SMTP sink binds"
    )
    group.addoption(
        "--auditor-rubric",
        default=DEFAULT_RUBRIC,
        metavar="NAME",
        help=f"rubric name or YAML path for audit_score and the report (default {DEFAULT_RUBRIC})",
    )
    group.addoption(
        "--auditor-report",
        metavar="DIR",
        default=None,
        help="write a campaign folder and HTML report for the session here (one run per test); recreated",
    )


def worker_index(config: pytest.Config) -> int:
    """0 without xdist; N for worker gwN."""
    worker = getattr(config, "workerinput", {}).get("workerid", "")
    return int(worker[2:]) if worker.startswith("gw") and worker[2:].isdigit() else 0
