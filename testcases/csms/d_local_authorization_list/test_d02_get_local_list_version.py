"""Block D Local Authorization List Management, the SUT is a CSMS: D02 the CSMS asks the station for the version of
its Local Authorization List."""

from __future__ import annotations

from conformance.harness import CsmsUnderTest, case
from conformance.harness.reusable_states import csms as states


async def _get_version(csms: CsmsUnderTest, case_id: str) -> None:
    await csms.actions.do("csms_send", station=csms.identity, request="GetLocalListVersion", payload={})
    await csms.expect_call("GetLocalListVersion", requirements=(f"Part 6 {case_id} step 1", "D02"))


@case
async def test_tc_d_08_csms(csms: CsmsUnderTest) -> None:
    """The station has a list.

    Part 6 steps / validations implemented:
    - Manual action (``csms_send`` GetLocalListVersion); step 1: the CSMS sends GetLocalListVersionRequest;
    - step 2: the harness station answers <Configured versionNumber>: the version of its list, 1 when it has none
      yet (it then holds an empty list of version 1, so later updates are judged against it). Part 6 has no tool
      validation."""
    await states.booted(csms, precondition=True)
    station = csms.station
    if station.local_list_version == 0:
        station.local_list_version = 1
        csms.note("the harness station holds a Local Authorization List of version 1 (Part 6 <Configured "
                  "versionNumber>)")
    await _get_version(csms, "TC_D_08_CSMS")


@case
async def test_tc_d_09_csms(csms: CsmsUnderTest) -> None:
    """The station has no list.

    Part 6 steps / validations implemented:
    - Manual action (``csms_send`` GetLocalListVersion); step 1: the CSMS sends GetLocalListVersionRequest;
    - step 2: the harness station, without a list (it drops the one it may hold), answers versionNumber 0
      (D02.FR.02). Part 6 has no tool validation."""
    await states.booted(csms, precondition=True)
    csms.station.local_list = {}
    csms.station.local_list_version = 0
    await _get_version(csms, "TC_D_09_CSMS")
