"""Steps the block G cases share (csms side): private to this block.
"""

from __future__ import annotations

from conformance.harness import CsmsUnderTest


def configured_connector(csms: CsmsUnderTest) -> tuple[int, int]:
    """<Configured evseId> and <Configured connectorId>: the first configured connector."""
    return csms.connectors[0]
