"""Block D Local Authorization List Management, the SUT is a Charging Station (the harness is its CSMS).

Get Local List Version (D02).
"""

from __future__ import annotations

from conformance.harness import ChargingStationUnderTest, case
from conformance.harness.reusable_states import station as states
from conformance.outcomes import Inconclusive
from conformance.protocol.variables import LOCAL_AUTH_LIST_ENABLED


@case
async def test_tc_d_08_cs(station: ChargingStationUnderTest) -> None:
    """GetLocalListVersion answers the version of the installed list.

    Part 6 steps / validations implemented:
    - configuration state: LocalAuthListCtrlr.Enabled true (if implemented), restored;
    - memory state IdTokenLocalAuthList (one idToken, `<Configured versionNumber>`);
    - steps 1-2: GetLocalListVersionResponse versionNumber `<Configured versionNumber>` (D02.FR.01)."""
    async with states.local_list_enabled(station):
        version = await states.id_token_local_auth_list(station)
        # the version of its list: the versionNumber of the SendLocalListRequest that installed it (D01.FR.01)
        await states.local_list_version(station, version, requirements=("D02.FR.01", "D01.FR.01"),
                                        what="GetLocalListVersionResponse (Part 6 TC_D_08_CS step 2)")


@case
async def test_tc_d_10_cs(station: ChargingStationUnderTest) -> None:
    """With the list disabled, GetLocalListVersion answers 0.

    Part 6 steps / validations implemented:
    - (harness preparation, Part 6 memory state N/a) a list installed while enabled, so that 0 shows D02.FR.03 and not
      an empty list;
    - configuration state: LocalAuthListCtrlr.Enabled false, restored; a station where it cannot be set false is
      INCONCLUSIVE (the precondition of D02.FR.03 is not reached);
    - steps 1-2: GetLocalListVersionResponse versionNumber 0 (D02.FR.03)."""
    async with states.local_list_enabled(station):
        await states.id_token_local_auth_list(station)
        async with states.settable(station, LOCAL_AUTH_LIST_ENABLED, "false") as enabled:
            if enabled is None or enabled.strip().lower() != "false":
                raise Inconclusive("LocalAuthListCtrlr.Enabled could not be set to false "
                                   f"({'not implemented' if enabled is None else enabled!r}): D02.FR.03 needs the "
                                   "list disabled")
            await states.local_list_version(station, 0, requirements=("D02.FR.03",),
                                            what="GetLocalListVersionResponse (Part 6 TC_D_10_CS step 2)")
