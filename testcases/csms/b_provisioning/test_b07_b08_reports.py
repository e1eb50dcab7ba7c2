"""Block B Provisioning, the SUT is a CSMS (the harness plays the Charging Station).

Device-model reports (B07/B08).
"""

from __future__ import annotations

from conformance.harness import CsmsUnderTest, case
from conformance.harness.reusable_states import csms as states

from ._steps import report_csms_base, report_csms_custom, report_csms_delivered


@case
async def test_tc_b_12_csms(csms: CsmsUnderTest) -> None:
    """Get Base Report, ConfigurationInventory: on request, the CSMS asks for a ConfigurationInventory
    (requestId >= 0) and accepts every NotifyReportRequest part of the report."""
    await report_csms_base(csms, "ConfigurationInventory", ("B07.FR.07",))


@case
async def test_tc_b_13_csms(csms: CsmsUnderTest) -> None:
    """Get Base Report, FullInventory: on request, the CSMS asks for a FullInventory (requestId >= 0)
    and accepts every NotifyReportRequest part of the report."""
    await report_csms_base(csms, "FullInventory", ("B07.FR.08",))


@case
async def test_tc_b_14_csms(csms: CsmsUnderTest) -> None:
    """Get Base Report, SummaryInventory: on request, the CSMS asks for a SummaryInventory (requestId
    >= 0) and accepts every NotifyReportRequest part of the report."""
    await report_csms_base(csms, "SummaryInventory", ("B07.FR.09",))


@case
async def test_tc_b_18_csms(csms: CsmsUnderTest) -> None:
    """Get Custom Report, componentCriteria and component/variable: on request, the CSMS asks for EVSE 1's
    AvailabilityState of Problem components (the station answers EmptyResultSet), then of Available
    components (Accepted) and accepts every NotifyReportRequest part of that report."""
    await states.booted(csms)
    await report_csms_custom(csms, "Problem")  # the harness station has no problem: EmptyResultSet
    request = await report_csms_custom(csms, "Available")
    await report_csms_delivered(csms, request, ("B08.FR.03",))
