"""The reference station: GetBaseReport / GetReport (B07/B08): the answer, then the NotifyReport parts built by
:mod:`conformance.device_model.reports`."""

from __future__ import annotations

import contextlib
from typing import Any

from ...device_model import reports
from ...protocol.errors import PeerError
from ...protocol.frames import CallError, ErrorCode, utc_now
from .component import Component, Handler


class Reports(Component):
    """No state of its own: a report is built from the device model and sent as the station's own task."""

    # GetBaseReport / GetReport are answered first; the report follows in NotifyReportRequest parts (seqNo from 0,
    # tbc on all but the last) built by .reports. SummaryInventory is the optional C-56: a station declared
    # without it answers NotSupported and sends nothing (B07.FR.02, B07.FR.05). Of the componentCriteria the
    # station evaluates Available, Enabled and Problem; Active is NotSupported (B08.FR.02).

    def handlers(self) -> dict[str, Handler]:
        return {"GetBaseReport": self.on_GetBaseReport, "GetReport": self.on_GetReport}

    async def on_GetBaseReport(self, payload: dict[str, Any]) -> dict[str, Any]:
        base = payload["reportBase"]
        if base == "SummaryInventory" and not self.station.supports("C-56"):
            if "summary_not_supported_but_reported" not in self.faults:
                return {"status": "NotSupported", "statusInfo": {"reasonCode": "UnsupportedParam"}}
        source = "FullInventory" if base == "ConfigurationInventory" and \
            "config_inventory_includes_read_only" in self.faults else base
        entries = reports.base_report(self.model, source)
        if base == "SummaryInventory" and "summary_inventory_omits_evses" in self.faults:
            entries = [e for e in entries if e["component"]["name"] != "EVSE"]
        self._start(payload["requestId"], entries)
        if base == "SummaryInventory" and not self.station.supports("C-56"):  # fault summary_not_supported_but_reported
            return {"status": "NotSupported"}
        return {"status": "Accepted"}

    async def on_GetReport(self, payload: dict[str, Any]) -> dict[str, Any] | CallError:
        criteria = list(payload.get("componentCriteria") or [])
        variables = [dict(cv) for cv in payload.get("componentVariable") or []]
        if len(variables) > self.model.items_per_message("GetReport"):  # B08.FR.17 (MAY)
            return CallError("", ErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION,
                             "more componentVariable entries than ItemsPerMessage[GetReport]", {})
        report = reports.custom_report(self.model, component_criteria=criteria, component_variables=variables)
        entries = list(report.entries)
        if "custom_report_variable_instance_required" in self.faults and variables and \
                all(not cv.get("variable", {}).get("instance") for cv in variables):
            entries = [e for e in entries if not e["variable"].get("instance")]
        if "criteria_value_compared_wrongly" in self.faults:  # "true" never matches: only components lacking it
            names = {c.casefold() for c in criteria if c != "Problem"}
            having = {repr(e["component"]) for e in entries if e["variable"]["name"].casefold() in names}
            entries = [e for e in entries if repr(e["component"]) not in having]
        if report.status != "Accepted":
            return report.response()
        if not entries:
            return {"status": "EmptyResultSet", "statusInfo": {"reasonCode": "NotFound"}}
        self._start(payload["requestId"], entries)
        return {"status": "Accepted"}

    def _start(self, request_id: int, entries: list[dict[str, Any]]) -> None:
        """Send the report after the response (the task runs once the handler has answered)."""
        conn = self.station.connection
        if conn is None:
            return
        payloads = reports.notify_report_payloads(request_id, entries, utc_now())

        async def send() -> None:
            with contextlib.suppress(PeerError):
                for payload in payloads:
                    await conn.call("NotifyReport", payload)
        self.station.spawn(send())  # the station's own tasks (not shared with other stations)
