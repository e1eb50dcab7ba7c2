"""Block C Authorization, the SUT is a CSMS: C11 the CSMS asks the station to clear its Authorization Cache."""

from __future__ import annotations

from conformance.harness import CsmsUnderTest, case
from conformance.harness.reusable_states import csms as states


async def _clear_cache(csms: CsmsUnderTest, case_id: str, status: str) -> None:
    await states.booted(csms, precondition=True)
    with csms.station.answering("ClearCache", {"status": status}):
        await csms.actions.do("csms_send", station=csms.identity, request="ClearCache", payload={})
        await csms.expect_call("ClearCache", requirements=(f"Part 6 {case_id} step 1", "C11"))


@case
async def test_tc_c_37_csms(csms: CsmsUnderTest) -> None:
    """The CSMS sends ClearCacheRequest; the harness station clears its cache.

    Part 6 steps / validations implemented:
    - step 1 (on the operator's instruction, ``csms_send``): the CSMS sends ClearCacheRequest (schema-checked like
      every frame; Part 6 has no tool validation of its fields);
    - step 2: the harness station answers Accepted."""
    await _clear_cache(csms, "TC_C_37_CSMS", "Accepted")


@case
async def test_tc_c_38_csms(csms: CsmsUnderTest) -> None:
    """The CSMS sends ClearCacheRequest; the harness station cannot clear its cache.

    Part 6 steps / validations implemented:
    - step 1 (``csms_send``): the CSMS sends ClearCacheRequest;
    - step 2: the harness station answers Rejected (C11.FR.04/05); the CSMS must take it (no further validation)."""
    await _clear_cache(csms, "TC_C_38_CSMS", "Rejected")
