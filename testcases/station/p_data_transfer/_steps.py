"""Steps the block P cases share (station side): private to this block.
"""

from __future__ import annotations

from typing import Any

from conformance.harness import ChargingStationUnderTest


def answered(side: ChargingStationUnderTest, what: str, response: Any, *, requirements: tuple[str, ...]) -> None:
    """The request was answered with a CALLRESULT, not a CALLERROR."""
    side.check.that(f"the station answers {what} with a CALLRESULT", response.ok, expected="CALLRESULT",
                    actual=response.describe(), requirements=requirements)
