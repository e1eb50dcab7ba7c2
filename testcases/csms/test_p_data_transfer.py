"""Block P DataTransfer, the SUT is a CSMS (the harness plays the Charging Station).

P02 from the CSMS's side is TC_P_02_CSMS. P01 (the CSMS sends DataTransfer) has no case of
ours: its requirements on the sender (use DataTransfer only for what OCPP does not cover, a
reversed-DNS vendorId) cannot be judged from one request, and which vendor extension a CSMS
sends is its own business.
"""

import uuid
from typing import Any

from conformance.harness import CsmsUnderTest, OneOf, case, reusable_state
from conformance.protocol.frames import utc_now
from conformance.outcomes import CheckFailed, Inconclusive

# A vendorId no CSMS implements (the one Part 6 uses towards stations) and an unused messageId.
UNKNOWN_VENDOR_ID = "org.openchargealliance.octt"
UNUSED_MESSAGE_ID = "OcppConformanceUnusedMessage"
# A CustomDataType (Part 4 §9): the required vendorId plus properties of the extension's own.
CUSTOM_DATA = {"vendorId": "org.openconformance", "purpose": "conformance test, to be ignored", "sequence": 1}


def answered(csms: CsmsUnderTest, what: str, response: Any, *, requirements: tuple[str, ...]) -> None:
    """The request was answered with a CALLRESULT, not a CALLERROR."""
    csms.check.that(f"the CSMS answers {what} with a CALLRESULT", response.ok, expected="CALLRESULT",
                    actual=response.describe(), requirements=requirements)


@case("TC_P_02_CSMS")
async def test_tc_p_02_csms(csms: CsmsUnderTest) -> None:
    """Data transfer for a vendor the CSMS does not know: it answers with UnknownVendorId,
    UnknownMessageId or Rejected, never with an error."""
    await reusable_state.booted_csms(csms)
    response = await csms.call("DataTransfer", {"vendorId": UNKNOWN_VENDOR_ID, "messageId": UNUSED_MESSAGE_ID})
    answered(csms, "DataTransferRequest", response, requirements=("P02.FR.06", "P02.FR.07"))
    csms.check.fields("DataTransferResponse", response.payload, {
        "status": OneOf("UnknownVendorId", "UnknownMessageId", "Rejected"),
    }, requirements=("P02.FR.06", "P02.FR.07"))


@case("TC_P_03_CSMS", requirements=("FR.02",))
async def test_tc_p_03_csms(csms: CsmsUnderTest) -> None:
    """Custom data: the CSMS accepts a StatusNotification and a TransactionEvent that carry
    customData, at the top and inside transactionInfo."""
    await reusable_state.booted_csms(csms)
    evse, connector = csms.connectors[0]
    transaction_id = f"P03-{uuid.uuid4().hex[:12]}"
    occupied = started = None
    try:
        occupied = await csms.call("StatusNotification", {
            "timestamp": utc_now(), "connectorStatus": "Occupied", "evseId": evse, "connectorId": connector,
            "customData": CUSTOM_DATA})
        answered(csms, "a StatusNotificationRequest with customData", occupied, requirements=("FR.02",))
        started = await csms.call("TransactionEvent", {
            "eventType": "Started", "timestamp": utc_now(), "triggerReason": "CablePluggedIn", "seqNo": 0,
            "transactionInfo": {"transactionId": transaction_id, "chargingState": "EVConnected",
                                "customData": CUSTOM_DATA},
            "evse": {"id": evse, "connectorId": connector}, "customData": CUSTOM_DATA})
        answered(csms, "a TransactionEventRequest with customData (also in transactionInfo)", started,
                 requirements=("FR.02",))
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
        except (CheckFailed, Inconclusive) as exc:  # timeouts, disconnects: never the case's outcome
            csms.note(f"could not restore the connector and transaction state: {exc}")
