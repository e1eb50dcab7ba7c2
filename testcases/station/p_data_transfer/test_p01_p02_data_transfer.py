"""Block P DataTransfer, the SUT is a Charging Station (the harness is its CSMS).

DataTransfer (P01/P02).
"""

from __future__ import annotations

from conformance.harness import ChargingStationUnderTest, OneOf, case

from ._steps import answered


# The vendorId Part 6 fixes in TC_P_01_CS: no station implements it.
OCTT_VENDOR_ID = "org.openchargealliance.octt"
ANSWER = "Part 2 §3 FR.02"


@case(requirements=(ANSWER,))
async def test_tc_p_01_cs(station: ChargingStationUnderTest) -> None:
    """Data transfer for a vendor the station does not know: it answers with UnknownVendorId,
    UnknownMessageId or Rejected, never with an error.

    Part 6 steps / validations implemented:
    - step 1: DataTransferRequest vendorId org.openchargealliance.octt, messageId
      ``configured.data_transfer_message_id``
      (<Configured messageId>);
    - step 2: answered with a CALLRESULT (Part 2 §3 FR.02);
    - step 2 tool validation: status UnknownVendorId or UnknownMessageId (P01.FR.05 / P01.FR.06) or Rejected
      (Part 6's allowance beyond Part 2)."""
    message_id = station.config.configured.data_transfer_message_id
    response = await station.call("DataTransfer", {"vendorId": OCTT_VENDOR_ID, "messageId": message_id})
    answered(station, "DataTransferRequest", response, requirements=(ANSWER, "P01.FR.05", "P01.FR.06"))
    station.check.fields("DataTransferResponse (Part 6 TC_P_01_CS tool validation step 2: Rejected allowed by Part 6 "
                         "beyond P01.FR.05/06)", response.payload, {
                             "status": OneOf("UnknownVendorId", "UnknownMessageId", "Rejected"),
                         }, requirements=("P01.FR.05", "P01.FR.06", "Part 6 TC_P_01_CS tool validation step 2"))
