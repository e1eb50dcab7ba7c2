"""Block P DataTransfer, the SUT is a Charging Station (the harness is its CSMS).

customData (Part 6 TC_P_03/04, no use case of Part 2).
"""

from __future__ import annotations

from typing import Any

from conformance.harness import ABSENT, ChargingStationUnderTest, OneOf, case
from conformance.protocol.variables import OFFLINE_THRESHOLD

from ._steps import answered


# A CustomDataType (Part 4 §9): the required vendorId plus properties of the extension's own.
CUSTOM_DATA = {"vendorId": "org.openconformance", "purpose": "conformance test, to be ignored", "sequence": 1}


ANSWER = "Part 2 §3 FR.02"


@case(requirements=(ANSWER, "B05.FR.10", "B06.FR.04", "B06.FR.10"))
async def test_tc_p_03_cs(station: ChargingStationUnderTest) -> None:
    """Custom data: the station accepts Set- and GetVariables requests that carry customData at
    every level and handles them as if it were not there.

    Part 6 steps / validations implemented:
    - steps 1-2: SetVariables OCPPCommCtrlr.OfflineThreshold 200 (customData everywhere, OCPP-J Part 4 §9)
      answered with a CALLRESULT (Part 2 §3 FR.02), tool validation step 2 attributeStatus Accepted (B05.FR.10);
    - steps 3-4: GetVariables answered with a CALLRESULT, tool validation step 4 attributeStatus Accepted,
      attributeValue 200 (B06.FR.04/10), attributeType Actual or omitted (Part 6 only);
    - the variable is restored afterwards."""
    async with station.restoring(OFFLINE_THRESHOLD):
        set_response = await station.call("SetVariables", {"customData": CUSTOM_DATA, "setVariableData": [{
            "component": {"name": "OCPPCommCtrlr", "customData": CUSTOM_DATA},
            "variable": {"name": "OfflineThreshold", "customData": CUSTOM_DATA},
            "attributeType": "Actual", "attributeValue": "200", "customData": CUSTOM_DATA}]})
        answered(station, "a SetVariablesRequest with customData", set_response,
                 requirements=(ANSWER, "OCPP-J Part 4 §9"))
        station.check.fields("SetVariablesResponse", set_response.payload, {
            "setVariableResult[0].attributeStatus": "Accepted"}, requirements=("B05.FR.10",))

        get_response = await station.call("GetVariables", {"customData": CUSTOM_DATA, "getVariableData": [{
            "component": {"name": "OCPPCommCtrlr", "customData": CUSTOM_DATA},
            "variable": {"name": "OfflineThreshold", "customData": CUSTOM_DATA},
            "attributeType": "Actual", "customData": CUSTOM_DATA}]})
        answered(station, "a GetVariablesRequest with customData", get_response,
                 requirements=(ANSWER, "OCPP-J Part 4 §9"))
        station.check.fields("GetVariablesResponse", get_response.payload, {
            "getVariableResult[0].attributeStatus": "Accepted",
            "getVariableResult[0].attributeValue": "200",
        }, requirements=("B06.FR.04", "B06.FR.10"))
        station.check.fields("GetVariablesResponse", get_response.payload, {
            "getVariableResult[0].attributeType": OneOf("Actual", ABSENT)},
            requirements=("Part 6 TC_P_03_CS tool validation step 4",))


async def supported_rate_unit(station: ChargingStationUnderTest) -> str:
    """The configured chargingRateUnit (``configured.charging_rate_unit``); unset: one the station lists in
    SmartChargingCtrlr.RateUnit (a required variable with Smart Charging, Part 2 §2.9.5), A when it lists both
    or cannot be read."""
    if station.config.configured.charging_rate_unit is not None:
        return station.config.configured.charging_rate_unit
    value = await station.read_variable({"component": {"name": "SmartChargingCtrlr"},
                                         "variable": {"name": "RateUnit"}})
    units = [u.strip() for u in value.split(",")] if value is not None else []
    unit = "A" if "A" in units or not units else units[0]
    station.note(f"chargingRateUnit {unit} (SmartChargingCtrlr.RateUnit: {value if value is not None else 'not read'})")
    return unit


def number_phases(station: ChargingStationUnderTest) -> int | None:
    """The configured numberPhases (``configured.number_phases``); unset: from the PICS hardware (Part 5
    Appendix B), the most phases the station charges with; None (omitted) for a DC-only station, where it does
    not apply (K01.FR.44)."""
    if station.config.configured.number_phases is not None:
        return station.config.configured.number_phases
    hardware = station.config.pics.hardware
    if hardware.get("HFS-4") and hardware.get("HFS-3") is False:
        return None
    for key, phases in (("HFS-7", 3), ("HFS-6", 2), ("HFS-5", 1)):
        if hardware.get(key):
            return phases
    return 3  # what an AC station assumes when it is omitted (K01.FR.49)


@case(requirements=(ANSWER, "K01.FR.15"))
async def test_tc_p_04_cs(station: ChargingStationUnderTest) -> None:
    """Custom data in a charging profile: a station with Smart Charging accepts a TxDefaultProfile
    whose profile and schedule period carry customData.

    Part 6 steps / validations implemented:
    - step 1: SetChargingProfile TxDefaultProfile with the configured values (``[configured]``
      charging_profile_id, charging_schedule_duration, charging_rate_unit, number_phases; evseId the first
      configured EVSE), limit 6 A or 6000 W, customData on the profile and the period (OCPP-J Part 4 §9);
    - step 2: answered with a CALLRESULT (Part 2 §3 FR.02), tool validation status Accepted (K01.FR.15);
    - the profile is cleared afterwards (general precondition: no charging schedules)."""
    values = station.config.configured
    station.require_profiles("Core", "Smart Charging", reason="Part 5 does not list TC_P_04_CS: it needs Core, "
                                                              "like every case, and Smart Charging, its Part 6 "
                                                              "prerequisite")
    evse = station.connectors[0][0]
    unit = await supported_rate_unit(station)
    period: dict[str, Any] = {"startPeriod": 0, "limit": 6 if unit == "A" else 6000, "customData": CUSTOM_DATA}
    phases = number_phases(station)
    if phases is not None:
        period["numberPhases"] = phases
    # <Configured chargingProfileId>, by default an id of this run, not a constant that would replace a profile
    # the station already holds (K01.FR.05).
    profile_id = values.charging_profile_id
    if profile_id is None:
        profile_id = station.ctx.ids.next("chargingProfileId")
    schedule_id = station.ctx.ids.next("chargingScheduleId")
    profile = {"id": profile_id, "stackLevel": 0, "chargingProfilePurpose": "TxDefaultProfile",
               "chargingProfileKind": "Relative", "customData": CUSTOM_DATA,
               "chargingSchedule": [{"id": schedule_id, "duration": values.charging_schedule_duration,
                                     "chargingRateUnit": unit,
                                     "chargingSchedulePeriod": [period]}]}
    response = await station.call("SetChargingProfile", {"evseId": evse, "chargingProfile": profile})
    answered(station, "a SetChargingProfileRequest with customData", response,
             requirements=(ANSWER, "OCPP-J Part 4 §9"))
    station.check.fields("SetChargingProfileResponse", response.payload, {"status": "Accepted"},
                         requirements=("K01.FR.15", "Part 6 TC_P_04_CS tool validation step 2"))
    # General precondition of the next cases: no charging schedules active.
    cleared = await station.call("ClearChargingProfile", {"chargingProfileId": profile_id})
    if not cleared.ok or cleared.payload.get("status") != "Accepted":
        station.note(f"could not clear charging profile {profile_id}: "
                     f"{cleared.payload if cleared.ok else cleared.describe()}")
