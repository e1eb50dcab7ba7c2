"""Block B Provisioning, the SUT is a CSMS (the harness plays the Charging Station).

Network connection profiles (B09).

Network profiles: the operator is asked (action ``csms_send``) to set a network connection profile with the
configured values (``[configured]`` network_*, docs/configuration.md): by default the slot is one of the harness
station's configuration slots (the valuesList of its NetworkConfigurationPriority) other than the one in use, the
URL is the CSMS's configured URL, the timeout the configured message timeout, the interface Wired0 / Wireless0 from
the PICS and the security profile the connection's.
"""

from __future__ import annotations

from typing import Any

from conformance.harness import CsmsUnderTest, OneOf, case
from conformance.harness.reusable_states import csms as states
from conformance.outcomes import Inconclusive


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
    """What the operator is asked to set: the <Configured ...> values of Part 6 TC_B_42/44_CSMS."""
    values = csms.config.configured
    slots = _network_slots(csms)
    slot = values.network_configuration_slot
    if slot is None:
        in_use = csms.station.device_model.get("OCPPCommCtrlr", "NetworkConfigurationPriority") or []
        free = [s for s in slots if str(s) not in in_use]
        slot = free[0] if free else slots[-1]
    elif slot not in slots:
        raise Inconclusive(f"configured.network_configuration_slot {slot} is not a configuration slot of the harness "
                           f"station (NetworkConfigurationPriority valuesList {slots})")
    timeout = values.network_message_timeout
    if timeout is None:
        timeout = max(1, round(csms.config.timing.message_timeout))
    return {"configurationSlot": slot, "connectionData": {
        "ocppVersion": "OCPP20", "ocppTransport": "JSON",
        "ocppCsmsUrl": values.network_ocpp_csms_url or csms.config.connection.csms_url or "",
        "messageTimeout": timeout,
        "securityProfile": values.network_security_profile if values.network_security_profile is not None
        else csms.config.connection.security_profile,
        "ocppInterface": values.network_ocpp_interface or _network_interface(csms)}}


async def _network_expect_profile(csms: CsmsUnderTest, wanted: dict[str, Any]) -> dict[str, Any]:
    """Ask the CSMS to send the profile; the SetNetworkProfileRequest that arrives, its slot checked to be one
    the station offers."""
    await csms.actions.do("csms_send", station=csms.identity, request="SetNetworkProfile", payload=wanted)
    request = await csms.expect_call("SetNetworkProfile")
    csms.check.fields("SetNetworkProfileRequest", request.payload, {
        "configurationSlot": OneOf(*_network_slots(csms))},
        requirements=("Part 6 TC_B_42/44_CSMS step 1: a slot of the station (NetworkConfigurationPriority "
                      "valuesList)",))
    return request.payload


@case
async def test_tc_b_42_csms(csms: CsmsUnderTest) -> None:
    """Set new NetworkConnectionProfile, Accepted: on request the CSMS sends a SetNetworkProfileRequest with the
    configured slot and connection data (JSON, OCPP 2.0.1); the harness station accepts it.

    Part 6 steps / validations implemented:
    - step 1 tool validation: configurationSlot, messageTimeout, ocppCsmsUrl, ocppInterface, securityProfile the
      <Configured ...> values (``[configured]`` network_*), ocppTransport JSON, ocppVersion OCPP20;
    - step 2: the harness answers Accepted."""
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
    }, requirements=("Part 6 TC_B_42_CSMS tool validation step 1",))


@case
async def test_tc_b_44_csms(csms: CsmsUnderTest) -> None:
    """Set new NetworkConnectionProfile, Failed: the harness station answers the CSMS's SetNetworkProfileRequest
    with Failed; the CSMS must cope with that answer and go on serving the station.

    Part 6 steps / validations implemented (Part 6 lists no tool validation):
    - step 1: the CSMS sends SetNetworkProfileRequest with a slot of the station;
    - step 2: the harness answers Failed;
    - not a Part 6 validation: the CSMS still answers the station's Heartbeat afterwards (OCPP-J Part 4 §4.2.2)."""
    await states.booted(csms)
    with csms.station.answering("SetNetworkProfile", {"status": "Failed"}):
        await _network_expect_profile(csms, _network_profile_request(csms))
    # Part 6 lists no tool validation; the CSMS shows it handled the answer by still serving the station.
    heartbeat = await csms.call("Heartbeat", {})
    csms.check.that("after a Failed SetNetworkProfileResponse the CSMS still answers the station (not a Part 6 "
                    "validation)", heartbeat.ok, expected="HeartbeatResponse", actual=heartbeat.describe(),
                    requirements=("OCPP-J Part 4 §4.2.2",))
