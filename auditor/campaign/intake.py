"""Where every message from any mailbox enters a campaign.

Stored first (the mailbox already wrote ``mail/<sha256>.eml``), then indexed,
matched to a run, analysed once and announced to the run waiting for it. A
message that matches no run is kept too (run_id ``None``): nothing is lost, and
a later re-match can still claim it.
"""

import asyncio
import logging

from auditor.analysis import analyze
from auditor.campaign.folder import CampaignFolder
from auditor.campaign.mailwatch import MailWatch
from auditor.mail.matching import RunAddress, match_run
from auditor.models import Message, MessageRecord

log = logging.getLogger(__name__)


class Intake:
    """The ``on_message`` callback every mailbox is given."""

    def __init__(self, folder: CampaignFolder, watch: MailWatch):
        self.folder = folder
        self.watch = watch
        self.candidates: dict[str, RunAddress] = {}

    def expect(self, address: RunAddress) -> None:
        """Start claiming mail for a run (call before its first action)."""
        self.candidates[address.run_id] = address

    async def __call__(self, message: Message, raw: bytes) -> MessageRecord | None:
        """Store, match and analyse one message; the record, or None if it was already stored."""
        # the mailbox already read every routing header into the Message (envelope, Delivered-To, To, Cc)
        run_id = match_run(message, None, list(self.candidates.values()))
        message = message.model_copy(update={"run_id": run_id})
        if not self.folder.add_message(message):
            log.info("message %s already stored; not counted twice", message.sha256[:12])
            return None
        evidence = self.folder.evidence(message.sha256)
        if evidence is None:
            evidence = await asyncio.to_thread(analyze, raw)
            evidence = evidence.model_copy(update={"message_sha256": message.sha256})
            self.folder.put_evidence(evidence)
        record = MessageRecord(message=message, evidence=evidence)
        if run_id is not None:
            self.watch.deliver(run_id, record)
        return record
