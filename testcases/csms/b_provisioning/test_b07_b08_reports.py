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
    (requestId >= 0) and accepts every NotifyReportRequest part of the report.

    Part 6 steps / validations implemented: tool validation step 1 (requestId >= 0, reportBase); post-scenario:
    every NotifyReportRequest answered. Not checked: "able to show the result to an operator" (manual)."""
    await report_csms_base(csms, "ConfigurationInventory", "TC_B_12_CSMS")


@case
async def test_tc_b_13_csms(csms: CsmsUnderTest) -> None:
    """Get Base Report, FullInventory: on request, the CSMS asks for a FullInventory (requestId >= 0)
    and accepts every NotifyReportRequest part of the report.

    Part 6 steps / validations implemented: tool validation step 1 (requestId >= 0, reportBase); post-scenario:
    every NotifyReportRequest answered. Not checked: "able to show the result to an operator" (manual)."""
    await report_csms_base(csms, "FullInventory", "TC_B_13_CSMS")


@case
async def test_tc_b_14_csms(csms: CsmsUnderTest) -> None:
    """Get Base Report, SummaryInventory: on request, the CSMS asks for a SummaryInventory (requestId
    >= 0) and accepts every NotifyReportRequest part of the report.

    Part 6 steps / validations implemented: tool validation step 1 (requestId >= 0, reportBase); post-scenario:
    every NotifyReportRequest answered. Not checked: "able to show the result to an operator" (manual)."""
    await report_csms_base(csms, "SummaryInventory", "TC_B_14_CSMS")


@case
async def test_tc_b_18_csms(csms: CsmsUnderTest) -> None:
    """Get Custom Report, componentCriteria and component/variable: on request, the CSMS asks for EVSE 1's
    AvailabilityState of Problem components (the station answers EmptyResultSet), then of Available
    components (Accepted) and accepts every NotifyReportRequest part of that report.

    Part 6 steps / validations implemented:
    - step 1 tool validation: GetReportRequest componentCriteria Problem, componentVariable[0] EVSE 1
      AvailabilityState (the harness answers EmptyResultSet, step 2);
    - step 3 tool validation: the same with componentCriteria Available (answered Accepted, step 4);
    - steps 5-6: every NotifyReportRequest answered (OCPP-J Part 4 §4.2.2)."""
    await states.booted(csms)
    await report_csms_custom(csms, "Problem", 1)  # the harness station has no problem: EmptyResultSet
    request = await report_csms_custom(csms, "Available", 3)
    await report_csms_delivered(csms, request, ("Part 6 TC_B_18_CSMS step 6", "OCPP-J Part 4 §4.2.2"))
