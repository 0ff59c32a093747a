"""One test as one run: its address, its journal (``audit_order``) and its mail, as a ``RunRecord``.

The record is what the rubric scores and what ``--auditor-report`` keeps, the same shape a shopper
run has, so the plugin adds no scoring of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from auditor.campaign.scoring import readable_text
from auditor.mail.matching import RunAddress
from auditor.models import Expectations, MessageKind, MessageRecord, Run, RunRecord, RunStatus
from auditor.pytest_plugin.order import AuditOrder
from auditor.pytest_plugin.service import MailService


@dataclass
class TestRun:
    """Shared by the three fixtures of one test."""

    __test__ = False  # not a pytest test class, whatever its name

    nodeid: str
    run_id: str
    address: str
    strategy: str
    started_at: datetime
    service: MailService
    order: AuditOrder
    finished_at: datetime | None = None
    _texts: dict[str, str] = field(default_factory=dict)

    @property
    def run_address(self) -> RunAddress:
        return RunAddress(run_id=self.run_id, address=self.address, strategy=self.strategy, since=self.started_at)

    def records(self) -> list[MessageRecord]:
        return self.service.records(self.run_id)

    def reference_time(self) -> datetime:
        """What arrival offsets count from: the order click when recorded, else the test's start."""
        return self.order.clicked_at or self.started_at

    def offset(self, record: MessageRecord) -> float:
        return (record.message.arrived_at - self.reference_time()).total_seconds()

    def run(self) -> Run:
        return Run(
            id=self.run_id,
            store_id=self.order.shop.id,
            scenario_id="pytest",
            persona_id=self.order.persona.id,
            address=self.address,
            plan_key=self.nodeid,
            status=RunStatus.done,
            started_at=self.started_at,
            finished_at=self.finished_at,
        )

    def record(self, until: datetime | None = None) -> RunRecord:
        """The run as the rubric sees it, watched until ``until`` (default now), with each message's text."""
        until = until or datetime.now(UTC)
        messages = []
        for m in self.records():
            sha = m.message.sha256
            if sha not in self._texts:
                self._texts[sha] = readable_text(self.service.raw(sha))
            messages.append(m.model_copy(update={"text": self._texts[sha]}))
        start = self.reference_time()
        window = max((until - start).total_seconds(), 0.001)
        kinds = [MessageKind.order_confirmation] if self.order.clicked_at else []
        return RunRecord(
            run=self.run(),
            journal=self.order.journal,
            persona=self.order.persona,
            store=self.order.shop,
            expectations=Expectations(kinds=kinds, window_seconds=window, settle_seconds=0),
            messages=messages,
            observed_until=until,
        )
