"""A unique address per test: worker, test and chance all in it, so parallel tests never share mail.

``gw1-3fa2c1d9-7b41e0``: the xdist worker (``main`` without xdist), a hash of the test's node id
(the same test reads alike in every run, which helps when searching an inbox) and random hex (a
rerun, or the same test in two CI jobs on one inbox, still gets its own address).
"""

from __future__ import annotations

import hashlib
import secrets

from auditor.models import AddressStrategy


def run_token(worker: str, nodeid: str) -> str:
    node = hashlib.sha256(nodeid.encode()).hexdigest()[:8]
    return f"{worker or 'main'}-{node}-{secrets.token_hex(3)}".lower()


def address_for_test(strategy: AddressStrategy, token: str) -> str:
    """``box+TOKEN@domain`` (plus) or ``TOKEN@domain`` (catch-all), lower case."""
    return strategy.address_for(token).lower()
