"""The device model of a Charging Station and its reports (pure data and logic: no I/O, no asyncio).

Used by both Charging Stations the suite runs: the reference station (``conformance.reference.station``) and the
harness station that plays a Charging Station when the SUT is a CSMS (``conformance.harness.sides.HarnessStation``).

* :mod:`.model`: the components and variables, GetVariables / SetVariables (B05, B06), base report data (B07);
* :mod:`.reports`: base and custom reports (B07, B08) and their paging into NotifyReportRequest payloads.
"""
