"""Block P DataTransfer, the SUT is a CSMS (the harness plays the Charging Station).

customData (Part 6 TC_P_03/04, no use case of Part 2).
"""

from __future__ import annotations


from conformance.harness import CsmsUnderTest, case
from conformance.harness.reusable_states import csms as states
from conformance.protocol.frames import utc_now
from conformance.outcomes import CheckFailed, Inconclusive
from conformance.protocol.errors import PeerError

from ._steps import answered


# A CustomDataType (Part 4 §9): the required vendorId plus properties of the extension's own.
CUSTOM_DATA = {"vendorId": "org.openconformance", "purpose": "conformance test, to be ignored", "sequence": 1}


@case(requirements=("OCPP-J Part 4 §4.2.2", "OCPP-J Part 4 §9"))
async def test_tc_p_03_csms(csms: CsmsUnderTest) -> None:
    """Custom data: the CSMS accepts a StatusNotification and a TransactionEvent that carry
    customData, at the top and inside transactionInfo.

    Part 6 steps / validations implemented (Part 6 lists no tool validation; the steps say the CSMS responds):
    - Booted (CSMS);
    - steps 1-2: StatusNotificationRequest with customData answered with a CALLRESULT (Part 6 TC_P_03_CSMS
      step 2, OCPP-J Part 4 §4.2.2 and §9);
    - steps 3-4: TransactionEventRequest with customData, also in transactionInfo, answered with a CALLRESULT
      (step 4);
    - the transaction is ended and the connector reported Available again afterwards."""
    await states.booted(csms)
    evse, connector = csms.connectors[0]
    transaction_id = csms.ctx.ids.text("transactionId", "P03-")
    occupied = started = None
    try:
        occupied = await csms.call("StatusNotification", {
            "timestamp": utc_now(), "connectorStatus": "Occupied", "evseId": evse, "connectorId": connector,
            "customData": CUSTOM_DATA})
        answered(csms, "a StatusNotificationRequest with customData", occupied,
                 requirements=("Part 6 TC_P_03_CSMS step 2", "OCPP-J Part 4 §4.2.2", "OCPP-J Part 4 §9"))
        started = await csms.call("TransactionEvent", {
            "eventType": "Started", "timestamp": utc_now(), "triggerReason": "CablePluggedIn", "seqNo": 0,
            "transactionInfo": {"transactionId": transaction_id, "chargingState": "EVConnected",
                                "customData": CUSTOM_DATA},
            "evse": {"id": evse, "connectorId": connector}, "customData": CUSTOM_DATA})
        answered(csms, "a TransactionEventRequest with customData (also in transactionInfo)", started,
                 requirements=("Part 6 TC_P_03_CSMS step 4", "OCPP-J Part 4 §4.2.2", "OCPP-J Part 4 §9"))
    finally:
        # Leave the CSMS as found: end the transaction, the connector Available again.
        try:
            if started is not None and started.ok:
                await csms.call("TransactionEvent", {
                    "eventType": "Ended", "timestamp": utc_now(), "triggerReason": "EVCommunicationLost",
                    "seqNo": 1, "transactionInfo": {"transactionId": transaction_id, "chargingState": "Idle",
                                                    "stoppedReason": "EVDisconnected"}})
            if occupied is not None and occupied.ok:
                await csms.call("StatusNotification", {"timestamp": utc_now(), "connectorStatus": "Available",
                                                       "evseId": evse, "connectorId": connector})
        except (CheckFailed, PeerError, Inconclusive) as exc:  # timeouts, disconnects: never the case's outcome
            csms.note(f"could not restore the connector and transaction state: {exc}")
