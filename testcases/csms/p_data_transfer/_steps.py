"""Steps the block P cases share (csms side): private to this block.
"""

from __future__ import annotations

from typing import Any

from conformance.harness import CsmsUnderTest


def answered(csms: CsmsUnderTest, what: str, response: Any, *, requirements: tuple[str, ...]) -> None:
    """The request was answered with a CALLRESULT, not a CALLERROR."""
    csms.check.that(f"the CSMS answers {what} with a CALLRESULT", response.ok, expected="CALLRESULT",
                    actual=response.describe(), requirements=requirements)
