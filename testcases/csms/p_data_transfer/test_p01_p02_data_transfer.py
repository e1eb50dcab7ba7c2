"""Block P DataTransfer, the SUT is a CSMS (the harness plays the Charging Station).

DataTransfer (P01/P02).
"""

from __future__ import annotations

from conformance.harness import CsmsUnderTest, OneOf, case
from conformance.harness.reusable_states import csms as states

from ._steps import answered


@case
async def test_tc_p_02_csms(csms: CsmsUnderTest) -> None:
    """Data transfer for a vendor the CSMS does not know: it answers with UnknownVendorId,
    UnknownMessageId or Rejected, never with an error.

    Part 6 steps / validations implemented:
    - Booted (CSMS);
    - step 1: DataTransferRequest with ``configured.data_transfer_vendor_id`` /
      ``configured.data_transfer_message_id``
      (<Configured vendorId> / <Configured messageId>; defaults: a vendor the CSMS does not implement);
    - step 2: answered with a CALLRESULT (OCPP-J Part 4 §4.2.2), status UnknownVendorId / UnknownMessageId
      (P02.FR.06 / P02.FR.07) or Rejected (Part 6 tool validation step 2)."""
    await states.booted(csms)
    values = csms.config.configured
    response = await csms.call("DataTransfer", {"vendorId": values.data_transfer_vendor_id,
                                                "messageId": values.data_transfer_message_id})
    answered(csms, "DataTransferRequest", response, requirements=("P02.FR.06", "P02.FR.07", "OCPP-J Part 4 §4.2.2"))
    csms.check.fields("DataTransferResponse", response.payload, {
        "status": OneOf("UnknownVendorId", "UnknownMessageId", "Rejected"),
    }, requirements=("P02.FR.06", "P02.FR.07", "Part 6 TC_P_02_CSMS tool validation step 2"))
