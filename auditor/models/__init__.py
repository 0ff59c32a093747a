"""The shared vocabulary of the auditor: one model module per stage boundary.

Every stage reads only what the stage before it wrote; these models are that
hand-over. Import from here (``from auditor.models import Journal``), not from
the submodules, so modules can move without breaking callers.
"""

from auditor.models.audit import Expectations, MessageRecord, RunRecord
from auditor.models.evidence import Evidence, Fact, ItemFact, MessageKind
from auditor.models.finding import EvidenceRef, Finding, FindingStatus, FoundBy
from auditor.models.journal import Journal, JournalEvent, OrderItem, ShownOrder
from auditor.models.message import Message
from auditor.models.money import Money
from auditor.models.persona import AddressStrategy, Persona, PostalAddress
from auditor.models.run import Run, RunStatus
from auditor.models.scorecard import Band, Comparison, Scorecard, band_for
from auditor.models.store import Store

__all__ = [
    "AddressStrategy",
    "Band",
    "Comparison",
    "Evidence",
    "Expectations",
    "EvidenceRef",
    "Fact",
    "Finding",
    "FindingStatus",
    "FoundBy",
    "ItemFact",
    "Journal",
    "JournalEvent",
    "Message",
    "MessageRecord",
    "MessageKind",
    "Money",
    "OrderItem",
    "Persona",
    "PostalAddress",
    "Run",
    "RunRecord",
    "RunStatus",
    "Scorecard",
    "ShownOrder",
    "Store",
    "band_for",
]
