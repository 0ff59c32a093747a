"""A pytest plugin for store teams: assert on your own store's emails inside the tests you already have.

Installed with the package and registered by the ``pytest11`` entry point (``plugin.py``), it adds
the fixtures ``audit_mailbox``, ``audit_order``, ``audit_score`` (and ``audit_run`` beneath them) and
the ``auditor`` option group. It reuses the auditor's own parts: the embedded SMTP sink or an IMAP
inbox, the campaign intake (matching by the test's unique address, analysis), the rubric, and the
campaign folder and report writer. See ``docs/pytest.md``.

Every pytest session in an environment with the package installed loads the plugin, so nothing
heavy is imported until a test asks for a fixture (PEP 562 here, function-level imports there).
"""

import importlib
from typing import Any

_WHERE = {
    "AuditMailbox": "mailbox", "MailAssertionError": "mailbox", "AuditOrder": "order", "AuditScore": "score",
    "ScoreAssertionError": "score", "TestRun": "testrun",
}  # fmt: skip


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'auditor.pytest_plugin' has no attribute {name!r}")
    return getattr(importlib.import_module(f"auditor.pytest_plugin.{_WHERE[name]}"), name)


__all__ = ["AuditMailbox", "AuditOrder", "AuditScore", "MailAssertionError", "ScoreAssertionError", "TestRun"]
