"""Block P DataTransfer, the SUT is a CSMS (the harness plays the Charging Station).

DataTransfer (P01/P02).
"""

from __future__ import annotations

from conformance.harness import CsmsUnderTest, OneOf, case
from conformance.harness.reusable_states import csms as states

from ._steps import answered


# A vendorId no CSMS implements (the one Part 6 uses towards stations) and an unused messageId.
UNKNOWN_VENDOR_ID = "org.openchargealliance.octt"
UNUSED_MESSAGE_ID = "OcppConformanceUnusedMessage"


@case
async def test_tc_p_02_csms(csms: CsmsUnderTest) -> None:
    """Data transfer for a vendor the CSMS does not know: it answers with UnknownVendorId,
    UnknownMessageId or Rejected, never with an error."""
    await states.booted(csms)
    response = await csms.call("DataTransfer", {"vendorId": UNKNOWN_VENDOR_ID, "messageId": UNUSED_MESSAGE_ID})
    answered(csms, "DataTransferRequest", response, requirements=("P02.FR.06", "P02.FR.07"))
    csms.check.fields("DataTransferResponse", response.payload, {
        "status": OneOf("UnknownVendorId", "UnknownMessageId", "Rejected"),
    }, requirements=("P02.FR.06", "P02.FR.07"))
