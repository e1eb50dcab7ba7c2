"""Block D Local Authorization List Management, the SUT is a Charging Station (the harness is its CSMS).

Send Local Authorization List (D01): Full, Differential update / remove / empty, VersionMismatch, persistence.
"""

from __future__ import annotations

from conformance.harness import ChargingStationUnderTest, case
from conformance.harness.reusable_states import station as states


def _version(station: ChargingStationUnderTest) -> int:
    return station.config.configured.local_list_version


@case
async def test_tc_d_01_cs(station: ChargingStationUnderTest) -> None:
    """A Full update replaces the list and sets its version.

    Part 6 steps / validations implemented:
    - configuration state: LocalAuthListCtrlr.Enabled true (if implemented), restored;
    - steps 1-2: SendLocalListRequest Full, `<Configured versionNumber>`, one idToken with idTokenInfo; the response
      status Accepted (D01.FR.02, D01.FR.15);
    - steps 3-4: GetLocalListVersionResponse versionNumber equal to the version sent (D01.FR.15);
    - (Part 2 D01.FR.15, D01.FR.12) LocalAuthListCtrlr.Entries counts the one idToken sent."""
    async with states.local_list_enabled(station):
        entries = [states.list_entry(states.invented_id_token(station))]
        sent, _ = await states.send_local_list(station, "Full", _version(station), entries,
                                               requirements=("D01.FR.02", "D01.FR.15"),
                                               what="SendLocalListResponse (Part 6 TC_D_01_CS step 2)")
        await states.local_list_version(station, sent, requirements=("D01.FR.15",),
                                        what="GetLocalListVersionResponse (Part 6 TC_D_01_CS step 4)")
        await states.local_list_entries_reported(station, len(entries), requirements=("D01.FR.15",),
                                                 what="the Full update replaced the list")


@case
async def test_tc_d_02_cs(station: ChargingStationUnderTest) -> None:
    """A Differential update with idTokenInfo adds the idToken and sets the version.

    Part 6 steps / validations implemented:
    - configuration state: LocalAuthListCtrlr.Enabled true (if implemented), restored;
    - memory state IdTokenLocalAuthList (one idToken, `<Configured versionNumber>`);
    - steps 1-2: SendLocalListRequest Differential, versionNumber + 1, another idToken with idTokenInfo, within
      ItemsPerMessage / BytesPerMessage; the response status Accepted (D01.FR.02, D01.FR.16);
    - steps 3-4: GetLocalListVersionResponse versionNumber equal to the version sent (D01.FR.16);
    - (Part 2 D01.FR.16, D01.FR.12) LocalAuthListCtrlr.Entries counts both idTokens."""
    async with states.local_list_enabled(station):
        version = await states.id_token_local_auth_list(station)
        entries = [states.list_entry(states.invented_id_token(station))]
        sent, _ = await states.send_local_list(station, "Differential", version + 1, entries,
                                               requirements=("D01.FR.02", "D01.FR.16"),
                                               what="SendLocalListResponse (Part 6 TC_D_02_CS step 2)")
        await states.local_list_version(station, sent, requirements=("D01.FR.16",),
                                        what="GetLocalListVersionResponse (Part 6 TC_D_02_CS step 4)")
        await states.local_list_entries_reported(station, 2, requirements=("D01.FR.16",),
                                                 what="the Differential update added the idToken")


@case
async def test_tc_d_03_cs(station: ChargingStationUnderTest) -> None:
    """A Differential update with entries without idTokenInfo removes them and sets the version.

    Part 6 steps / validations implemented:
    - configuration state: LocalAuthListCtrlr.Enabled true (if implemented), restored;
    - memory state IdTokenLocalAuthList (one idToken, `<Configured versionNumber>`);
    - steps 1-2: SendLocalListRequest Differential, versionNumber + 1, that idToken without idTokenInfo; the response
      status Accepted (D01.FR.02, D01.FR.17);
    - steps 3-4: GetLocalListVersionResponse versionNumber equal to the version sent (D01.FR.17);
    - (Part 2 D01.FR.17, D01.FR.12) LocalAuthListCtrlr.Entries is 0: the idToken was removed."""
    async with states.local_list_enabled(station):
        listed = states.list_entry(states.invented_id_token(station))
        version = await states.id_token_local_auth_list(station, [listed])
        removal = [states.list_entry(listed["idToken"], None)]
        sent, _ = await states.send_local_list(station, "Differential", version + 1, removal,
                                               requirements=("D01.FR.02", "D01.FR.17"),
                                               what="SendLocalListResponse (Part 6 TC_D_03_CS step 2)")
        await states.local_list_version(station, sent, requirements=("D01.FR.17",),
                                        what="GetLocalListVersionResponse (Part 6 TC_D_03_CS step 4)")
        await states.local_list_entries_reported(station, 0, requirements=("D01.FR.17",),
                                                 what="the Differential update removed the idToken")


@case
async def test_tc_d_04_cs(station: ChargingStationUnderTest) -> None:
    """A Full update without entries empties the list and sets the version.

    Part 6 steps / validations implemented:
    - configuration state: LocalAuthListCtrlr.Enabled true (if implemented), restored;
    - memory state IdTokenLocalAuthList (one idToken, `<Configured versionNumber>`);
    - steps 1-2: SendLocalListRequest Full, `<Configured versionNumber>`, localAuthorizationList left out (the schema
      allows no empty array); the response status Accepted (D01.FR.02, D01.FR.04);
    - steps 3-4: GetLocalListVersionResponse versionNumber `<Configured versionNumber>` (D01.FR.04 note);
    - (Part 2 D01.FR.04, D01.FR.12) LocalAuthListCtrlr.Entries is 0: every idToken was removed."""
    async with states.local_list_enabled(station):
        await states.id_token_local_auth_list(station)
        sent, _ = await states.send_local_list(station, "Full", _version(station), [],
                                               requirements=("D01.FR.02", "D01.FR.04"),
                                               what="SendLocalListResponse (Part 6 TC_D_04_CS step 2)")
        await states.local_list_version(station, sent, requirements=("D01.FR.04", "D01.FR.01"),
                                        what="GetLocalListVersionResponse (Part 6 TC_D_04_CS step 4)")
        await states.local_list_entries_reported(station, 0, requirements=("D01.FR.04",),
                                                 what="the Full update without entries emptied the list")


@case
async def test_tc_d_05_cs(station: ChargingStationUnderTest) -> None:
    """A Differential update without entries leaves the list as it is and sets the version.

    Part 6 steps / validations implemented:
    - configuration state: LocalAuthListCtrlr.Enabled true (if implemented), restored;
    - memory state IdTokenLocalAuthList (one idToken, `<Configured versionNumber>`);
    - steps 1-2: SendLocalListRequest Differential, versionNumber + 1, localAuthorizationList left out; the response
      status Accepted (D01.FR.02, D01.FR.05);
    - steps 3-4: GetLocalListVersionResponse versionNumber equal to the version sent (D01.FR.05 note);
    - (Part 2 D01.FR.05, D01.FR.12) LocalAuthListCtrlr.Entries is still 1: no effect on the list."""
    async with states.local_list_enabled(station):
        version = await states.id_token_local_auth_list(station)
        sent, _ = await states.send_local_list(station, "Differential", version + 1, [],
                                               requirements=("D01.FR.02", "D01.FR.05"),
                                               what="SendLocalListResponse (Part 6 TC_D_05_CS step 2)")
        await states.local_list_version(station, sent, requirements=("D01.FR.05",),
                                        what="GetLocalListVersionResponse (Part 6 TC_D_05_CS step 4)")
        await states.local_list_entries_reported(station, 1, requirements=("D01.FR.05",),
                                                 what="the Differential update without entries changed nothing")


@case
async def test_tc_d_06_cs(station: ChargingStationUnderTest) -> None:
    """A Differential update with a version lower than the list's is refused with VersionMismatch.

    Part 6 steps / validations implemented:
    - configuration state: LocalAuthListCtrlr.Enabled true (if implemented), restored;
    - memory state IdTokenLocalAuthList (one idToken, `<Configured versionNumber>` > 1);
    - steps 1-2: SendLocalListRequest Differential, versionNumber - 1, a non-empty list; the response status
      VersionMismatch (D01.FR.19);
    - steps 3-4: GetLocalListVersionResponse versionNumber `<Configured versionNumber>` (D01.FR.19: not updated);
    - (Part 2 D01.FR.19, D01.FR.12) LocalAuthListCtrlr.Entries is still 1: the list was not updated."""
    async with states.local_list_enabled(station):
        version = await states.id_token_local_auth_list(station)
        entries = [states.list_entry(states.invented_id_token(station))]
        await states.send_local_list(station, "Differential", version - 1, entries, status="VersionMismatch",
                                     requirements=("D01.FR.19",),
                                     what="SendLocalListResponse (Part 6 TC_D_06_CS step 2)")
        await states.local_list_version(station, version, requirements=("D01.FR.19",),
                                        what="GetLocalListVersionResponse (Part 6 TC_D_06_CS step 4)")
        await states.local_list_entries_reported(station, 1, requirements=("D01.FR.19",),
                                                 what="the refused update changed nothing")


@case
async def test_tc_d_07_cs(station: ChargingStationUnderTest) -> None:
    """The list and its version survive a reboot.

    Part 6 steps / validations implemented:
    - configuration state: LocalAuthListCtrlr.Enabled true (if implemented), restored;
    - memory state IdTokenLocalAuthList (one idToken, `<Configured versionNumber>`);
    - charging state Booted: reusable state Booted (power cycle: BootNotification, connector reports, security
      event);
    - steps 1-2: GetLocalListVersionResponse versionNumber `<Configured versionNumber>` (D01.FR.10);
    - (Part 2 D01.FR.10, D01.FR.12) LocalAuthListCtrlr.Entries is still 1."""
    async with states.local_list_enabled(station):
        version = await states.id_token_local_auth_list(station)
        await states.booted(station)
        await states.local_list_version(station, version, requirements=("D01.FR.10",),
                                        what="GetLocalListVersionResponse after the reboot (Part 6 TC_D_07_CS step 2)")
        await states.local_list_entries_reported(station, 1, requirements=("D01.FR.10",),
                                                 what="the list survived the reboot")
