"""Device-model reports of a Charging Station (B07 Get Base Report, B08 Get Custom Report), the reference station's
and the harness station's.

Pure functions over a :class:`~conformance.device_model.model.DeviceModel` (no I/O, no asyncio):

* :func:`base_report`: the ReportDataType entries of a base report (ConfigurationInventory, FullInventory,
  SummaryInventory), from the model's own selection (``DeviceModel.report_data``);
* :func:`custom_report`: the GetReportResponse status and entries of a custom report, filtered by
  componentCriteria and/or componentVariable (B08.FR.05-FR.25);
* :func:`notify_report_payloads`: the report cut into NotifyReportRequest payloads with the request's
  requestId, one generatedAt, seqNo counting from 0 and tbc true on every part but the last
  (B07.FR.03/04/10, B08.FR.03/04/14).

The page size of NotifyReportRequest is the station's own choice: Part 2 limits only the *requests* of the
CSMS (ItemsPerMessage/BytesPerMessage[GetReport] bound GetReportRequest, B08.FR.06/17/18), so the reference
station cuts its reports at :data:`REPORT_PAGE_ITEMS` entries and :data:`REPORT_PAGE_BYTES` bytes of JSON.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .model import REPORT_BASES, DeviceModel

__all__ = [
    "COMPONENT_CRITERIA",
    "REPORT_PAGE_BYTES",
    "REPORT_PAGE_ITEMS",
    "SUPPORTED_CRITERIA",
    "CustomReport",
    "base_report",
    "custom_report",
    "notify_report_payloads",
    "paginate",
]

COMPONENT_CRITERIA = ("Active", "Available", "Enabled", "Problem")  # ComponentCriterionEnumType
# The criteria the reference station evaluates. It has no Active variables and does not implement the
# Active criterion: a request naming it is answered NotSupported (B08.FR.02; what TC_B_19_CS needs).
SUPPORTED_CRITERIA = ("Available", "Enabled", "Problem")
REPORT_PAGE_ITEMS = 20
REPORT_PAGE_BYTES = 16000


def base_report(model: DeviceModel, report_base: str) -> list[dict[str, Any]]:
    """ReportDataType entries of a base report (B07.FR.07/08/09); ValueError for an unknown reportBase."""
    if report_base not in REPORT_BASES:
        raise ValueError(f"unsupported reportBase {report_base!r}")
    return model.report_data(report_base)


# --------------------------------------------------------------------------------------------
# B08 custom reports
# --------------------------------------------------------------------------------------------


def _fold(text: Any) -> str:
    return str(text or "").casefold()


def _component_id(component: Mapping[str, Any]) -> tuple[str, str, int | None, int | None]:
    evse = component.get("evse") or {}
    return (_fold(component.get("name")), _fold(component.get("instance")), evse.get("id"), evse.get("connectorId"))


def _component_matches(wanted: Mapping[str, Any], reported: Mapping[str, Any]) -> bool:
    """B08.FR.22-25: name always; instance and evse (id, connectorId) only when the request gives them."""
    if _fold(wanted.get("name")) != _fold(reported.get("name")):
        return False
    if wanted.get("instance") and _fold(wanted["instance"]) != _fold(reported.get("instance")):
        return False
    want_evse = wanted.get("evse")
    if want_evse is not None:
        evse = reported.get("evse") or {}
        if evse.get("id") != want_evse.get("id"):
            return False
        if want_evse.get("connectorId") is not None and evse.get("connectorId") != want_evse["connectorId"]:
            return False
    return True


def _variable_matches(wanted: Mapping[str, Any] | None, reported: Mapping[str, Any]) -> bool:
    """B08.FR.20 (no variable: every variable) and B08.FR.21 (no instance: every instance)."""
    if wanted is None:
        return True
    if _fold(wanted.get("name")) != _fold(reported.get("name")):
        return False
    return not wanted.get("instance") or _fold(wanted["instance"]) == _fold(reported.get("instance"))


def _actual(entry: Mapping[str, Any]) -> str | None:
    for attribute in entry.get("variableAttribute", []):
        if attribute.get("type", "Actual") == "Actual":
            return attribute.get("value")
    return None


def _components_meeting(entries: Sequence[Mapping[str, Any]], criteria: Iterable[str]) -> set[tuple]:
    """The components (by :func:`_component_id`) that meet at least one criterion (logical OR, B08.FR.13).

    Active/Available/Enabled: the component's variable of that name (without instance) is true, or the
    component has no such variable (B08.FR.07/08/09); Problem: its Problem variable is true (B08.FR.10).
    """
    values: dict[tuple, dict[str, str | None]] = {}
    for entry in entries:
        variable = entry["variable"]
        if variable.get("instance"):
            continue
        values.setdefault(_component_id(entry["component"]), {})[_fold(variable["name"])] = _actual(entry)
    for entry in entries:
        values.setdefault(_component_id(entry["component"]), {})
    meeting = set()
    for component, variables in values.items():
        for criterion in criteria:
            name = criterion.casefold()
            if criterion == "Problem":
                hit = variables.get(name) == "true"
            else:
                hit = name not in variables or variables[name] == "true"
            if hit:
                meeting.add(component)
                break
    return meeting


@dataclass(frozen=True)
class CustomReport:
    """What a GetReportRequest leads to: the response status (Accepted, EmptyResultSet, NotSupported) and,
    when Accepted, the entries to report."""

    status: str
    entries: tuple[dict[str, Any], ...] = ()
    reason: str | None = None  # statusInfo.reasonCode of a non-Accepted answer

    def response(self) -> dict[str, Any]:
        payload: dict[str, Any] = {"status": self.status}
        if self.reason:
            payload["statusInfo"] = {"reasonCode": self.reason}
        return payload


def custom_report(model: DeviceModel, *, component_criteria: Sequence[str] | None = None,
                  component_variables: Sequence[Mapping[str, Any]] | None = None,
                  supported_criteria: Sequence[str] = SUPPORTED_CRITERIA) -> CustomReport:
    """The custom report a GetReportRequest asks for (B08).

    A criterion the station does not support makes the whole request NotSupported (B08.FR.02). Entries are
    the FullInventory entries limited to the components meeting a criterion (when criteria are given) and
    to the componentVariable list (when given): both when both are given (B08.FR.05, B08.FR.11). Nothing
    left (an unknown component included) is EmptyResultSet (B08.FR.15).
    """
    criteria = list(component_criteria or ())
    unsupported = [c for c in criteria if c not in supported_criteria]
    if unsupported:
        return CustomReport("NotSupported", reason="UnsupportedParam")
    entries = model.report_data("FullInventory")
    if criteria:
        meeting = _components_meeting(entries, criteria)
        entries = [e for e in entries if _component_id(e["component"]) in meeting]
    if component_variables:
        entries = [e for e in entries if any(
            _component_matches(cv["component"], e["component"]) and _variable_matches(cv.get("variable"), e["variable"])
            for cv in component_variables)]
    if not entries:
        return CustomReport("EmptyResultSet", reason="NotFound")
    return CustomReport("Accepted", tuple(entries))


# --------------------------------------------------------------------------------------------
# NotifyReportRequest parts
# --------------------------------------------------------------------------------------------


def paginate(entries: Sequence[Mapping[str, Any]], *, max_items: int = REPORT_PAGE_ITEMS,
             max_bytes: int = REPORT_PAGE_BYTES) -> list[list[dict[str, Any]]]:
    """Cut ``entries`` into pages of at most ``max_items`` entries and (roughly, counting the JSON of the
    entries) ``max_bytes`` bytes; every page holds at least one entry; no entries -> one empty page."""
    if max_items < 1:
        raise ValueError("max_items must be at least 1")
    pages: list[list[dict[str, Any]]] = [[]]
    size = 0
    for entry in entries:
        length = len(json.dumps(entry, separators=(",", ":")))
        if pages[-1] and (len(pages[-1]) >= max_items or size + length > max_bytes):
            pages.append([])
            size = 0
        pages[-1].append(dict(entry))
        size += length
    return pages


def notify_report_payloads(request_id: int, entries: Sequence[Mapping[str, Any]], generated_at: str, *,
                           max_items: int = REPORT_PAGE_ITEMS,
                           max_bytes: int = REPORT_PAGE_BYTES) -> list[dict[str, Any]]:
    """NotifyReportRequest payloads of one report: same requestId and generatedAt, seqNo 0, 1, ..., tbc true
    on all but the last (which leaves tbc out: its default is false). An empty report is one part without
    reportData."""
    pages = paginate(entries, max_items=max_items, max_bytes=max_bytes)
    payloads = []
    for seq_no, page in enumerate(pages):
        payload: dict[str, Any] = {"requestId": request_id, "generatedAt": generated_at, "seqNo": seq_no}
        if page:
            payload["reportData"] = page
        if seq_no < len(pages) - 1:
            payload["tbc"] = True
        payloads.append(payload)
    return payloads
