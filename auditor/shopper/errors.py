"""Why a run stopped: one exception type per cause, each with a message a person can act on."""


class StepFailed(Exception):
    """A step could not do what it says; the run is marked failed with this reason.

    ``retryable`` is False for mistakes retrying cannot fix (a locator that matches nothing)."""

    def __init__(self, reason: str, *, detail: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


class PurchaseRefused(StepFailed):
    """The purchase guard said no: the order was not placed."""


class DryRunStop(Exception):
    """A dry run reached ``place_order``: stop here, successfully, before anything is bought."""
