"""Block P DataTransfer, the SUT is a Charging Station (the harness is its CSMS).

DataTransfer (P01/P02).
"""

from __future__ import annotations

from conformance.harness import ChargingStationUnderTest, OneOf, case

from ._steps import answered


# The vendorId Part 6 uses in TC_P_01_CS: no station implements it.
OCTT_VENDOR_ID = "org.openchargealliance.octt"
UNUSED_MESSAGE_ID = "OcppConformanceUnusedMessage"  # the configured (unused) messageId


@case(requirements=("FR.02",))
async def test_tc_p_01_cs(station: ChargingStationUnderTest) -> None:
    """Data transfer for a vendor the station does not know: it answers with UnknownVendorId,
    UnknownMessageId or Rejected, never with an error."""
    response = await station.call("DataTransfer", {"vendorId": OCTT_VENDOR_ID, "messageId": UNUSED_MESSAGE_ID})
    answered(station, "DataTransferRequest", response, requirements=("FR.02", "P01.FR.05", "P01.FR.06"))
    station.check.fields("DataTransferResponse", response.payload, {
        "status": OneOf("UnknownVendorId", "UnknownMessageId", "Rejected"),
    }, requirements=("P01.FR.05", "P01.FR.06"))
