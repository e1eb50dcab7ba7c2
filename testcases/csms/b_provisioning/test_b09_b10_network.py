"""Block B Provisioning, the SUT is a CSMS (the harness plays the Charging Station).

Network connection profiles (B09).

Network profiles: the operator is asked (action ``csms_send``) to set a network connection profile with the
configured values: the slot is one of the harness station's configuration slots (the valuesList of its
NetworkConfigurationPriority) other than the one in use, the URL is the CSMS's configured URL, the timeout the
configured message timeout and the security profile the configured one.
"""

from __future__ import annotations

from typing import Any

from conformance.harness import CsmsUnderTest, OneOf, case
from conformance.harness.reusable_states import csms as states


def _network_interface(csms: CsmsUnderTest) -> str:
    """The configured OCPP interface: wireless when the PICS says the station communicates wirelessly (HFS-9)."""
    technology = str(csms.config.pics.hardware.get("HFS-9", "")).lower()
    wireless = any(word in technology for word in ("wireless", "wifi", "wi-fi", "cellular", "gsm", "lte", "4g", "5g"))
    return "Wireless0" if wireless else "Wired0"


def _network_slots(csms: CsmsUnderTest) -> list[int]:
    """The harness station's configuration slots (valuesList of NetworkConfigurationPriority)."""
    spec = csms.station.device_model.spec("OCPPCommCtrlr.NetworkConfigurationPriority")
    return [int(v) for v in spec.values_list or () if str(v).isdigit()]


def _network_profile_request(csms: CsmsUnderTest) -> dict[str, Any]:
    """What the operator is asked to set: a slot that is not in use, with the configured connection data."""
    in_use = csms.station.device_model.get("OCPPCommCtrlr", "NetworkConfigurationPriority") or []
    free = [s for s in _network_slots(csms) if str(s) not in in_use]
    return {"configurationSlot": free[0] if free else _network_slots(csms)[-1], "connectionData": {
        "ocppVersion": "OCPP20", "ocppTransport": "JSON", "ocppCsmsUrl": csms.config.connection.csms_url or "",
        "messageTimeout": max(1, round(csms.config.timing.message_timeout)),
        "securityProfile": csms.config.connection.security_profile, "ocppInterface": _network_interface(csms)}}


async def _network_expect_profile(csms: CsmsUnderTest, wanted: dict[str, Any]) -> dict[str, Any]:
    """Ask the CSMS to send the profile; the SetNetworkProfileRequest that arrives, its slot checked to be one
    the station offers."""
    await csms.actions.do("csms_send", station=csms.identity, request="SetNetworkProfile", payload=wanted)
    request = await csms.expect_call("SetNetworkProfile")
    csms.check.fields("SetNetworkProfileRequest", request.payload, {
        "configurationSlot": OneOf(*_network_slots(csms))}, requirements=("B09.FR.05",))
    return request.payload


@case
async def test_tc_b_42_csms(csms: CsmsUnderTest) -> None:
    """Set new NetworkConnectionProfile, Accepted: on request the CSMS sends a SetNetworkProfileRequest with the
    configured slot and connection data (JSON, OCPP 2.0.1); the harness station accepts it."""
    await states.booted(csms)
    wanted = _network_profile_request(csms)
    with csms.station.answering("SetNetworkProfile", {"status": "Accepted"}):
        payload = await _network_expect_profile(csms, wanted)
    data = wanted["connectionData"]
    csms.check.fields("SetNetworkProfileRequest", payload, {
        "configurationSlot": wanted["configurationSlot"],
        "connectionData.messageTimeout": data["messageTimeout"],
        "connectionData.ocppCsmsUrl": data["ocppCsmsUrl"],
        "connectionData.ocppInterface": data["ocppInterface"],
        "connectionData.ocppTransport": "JSON",
        "connectionData.ocppVersion": "OCPP20",
        "connectionData.securityProfile": data["securityProfile"],
    }, requirements=("B09.FR.01",))


@case
async def test_tc_b_44_csms(csms: CsmsUnderTest) -> None:
    """Set new NetworkConnectionProfile, Failed: the harness station answers the CSMS's SetNetworkProfileRequest
    with Failed; the CSMS must cope with that answer and go on serving the station."""
    await states.booted(csms)
    with csms.station.answering("SetNetworkProfile", {"status": "Failed"}):
        await _network_expect_profile(csms, _network_profile_request(csms))
    # Part 6 lists no tool validation; the CSMS shows it handled the answer by still serving the station.
    heartbeat = await csms.call("Heartbeat", {})
    csms.check.that("after a Failed SetNetworkProfileResponse the CSMS still answers the station", heartbeat.ok,
                    expected="HeartbeatResponse", actual=heartbeat.describe(), requirements=("B09.FR.03",))
