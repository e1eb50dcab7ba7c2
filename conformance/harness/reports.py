"""Judging the SUT's device-model reports (B07 Get Base Report, B08 Get Custom Report), as test cases use them.

* :func:`request_report` / :func:`collect_report`: the harness (as CSMS) asks the station under test for a
  report and collects its NotifyReportRequest parts until the one without ``tbc``, checking what every report
  must satisfy: the request's requestId, a generatedAt date-time, seqNo 0, 1, 2 ... and tbc on all but the last.
* :func:`check_report_entries`: what every reportData entry of a report must satisfy (variableCharacteristics
  present, a valuesList for list dataTypes, no value for a WriteOnly attribute).
* :func:`check_csms_answers_report`: the CSMS under test answered every part of a report the harness station sent.

The reports the harness station itself sends when a CSMS asks are :mod:`.sent_reports`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..outcomes import CheckFailed
from ..protocol.errors import PeerClosed, PeerTimeout
from ..protocol.patterns import ABSENT, OneOf
from ..transport.connection import IncomingCall, Response
from . import context as _context
from .sent_reports import SentReport

if TYPE_CHECKING:
    from .sides import ChargingStationUnderTest, CsmsUnderTest

LIST_TYPES = ("OptionList", "SequenceList", "MemberList")
# The requirements a report's parts are checked against, per use case: (same requestId, seqNo from 0, parts sent).
B07_PARTS = ("B07.FR.04", "B07.FR.10", "B07.FR.03")
B08_PARTS = ("B08.FR.04", "B08.FR.14", "B08.FR.03")


def new_request_id() -> int:
    """A <Generated requestId>: a positive integer unique in this run and not repeated by the next
    (the run's :class:`~conformance.harness.ids.IdSource`; random outside a run)."""
    ctx = _context.current_or_none()
    return ctx.ids.next("requestId") if ctx is not None else random.randint(1, 2**31 - 1)


def is_date_time(value: Any) -> bool:
    if not isinstance(value, str) or "T" not in value:
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def entry_name(entry: dict[str, Any]) -> str:
    """``Component[inst]@evse:connector.Variable[inst]`` of a reportData / componentVariable entry."""
    component, variable = entry.get("component", {}), entry.get("variable", {})
    text = str(component.get("name"))
    if component.get("instance"):
        text += f"[{component['instance']}]"
    evse = component.get("evse")
    if evse:
        text += f"@{evse.get('id')}" + (f":{evse['connectorId']}" if "connectorId" in evse else "")
    text += f".{variable.get('name')}"
    if variable.get("instance"):
        text += f"[{variable['instance']}]"
    return text


@dataclass
class Report:
    """The NotifyReportRequest parts of one report and their reportData entries, in order."""

    request_id: int
    parts: list[IncomingCall] = field(default_factory=list)

    @property
    def entries(self) -> list[dict[str, Any]]:
        return [entry for part in self.parts for entry in part.payload.get("reportData", [])]


async def request_report(station: ChargingStationUnderTest, action: str, payload: dict[str, Any], *,
                         status: Any = "Accepted", requirements: tuple[str, ...]) -> tuple[Response, int]:
    """Send GetBaseReport / GetReport and check the response status (statusInfo absent or NoError when Accepted).
    Returns the response and the mark of the connection taken before the request."""
    conn = station.connection
    mark = conn.mark()
    response = await station.call(action, payload)
    station.check.that(f"{action}Request is answered with a CALLRESULT", response.ok, expected="CALLRESULT",
                       actual=response.describe(), requirements=requirements)
    expected: dict[str, Any] = {"status": status}
    if status == "Accepted":
        expected["statusInfo.reasonCode"] = OneOf(ABSENT, "NoError")
    station.check.fields(f"{action}Response", response.payload, expected, requirements=requirements)
    return response, mark


async def collect_report(station: ChargingStationUnderTest, request_id: int, *, since: int,
                         requirements: tuple[str, str, str]) -> Report:
    """Collect the NotifyReportRequest parts of the report ``request_id`` (those after the mark ``since``) until
    the part without tbc, each within the message timeout; check requestId, generatedAt, seqNo and tbc.
    A wrong seqNo or generatedAt is a soft check (recorded, the case FAILs at its end): the rest of the report
    is still collected and its entries judged, so a malformed report is not hidden behind a numbering fault.

    ``requirements``: (same requestId, seqNo from 0 and incremented, the report is sent), e.g. :data:`B07_PARTS`.
    """
    same_id, seq_no, sent = requirements
    conn = station.connection
    report = Report(request_id)
    while True:
        try:  # parts of other reports (e.g. the rest of an earlier one) are not this report's
            part = await conn.expect_call("NotifyReport", since=since, requestId=request_id, requirements=(sent,))
        except (PeerTimeout, PeerClosed) as exc:
            what = "the first part" if not report.parts else f"part seqNo {len(report.parts)} (the last had tbc true)"
            others = sorted({i.payload.get("requestId") for i in conn.mailbox[since:] if i.action == "NotifyReport"
                             and i.payload.get("requestId") != request_id}, key=str)
            raise CheckFailed(f"the station sends the report in NotifyReportRequest parts with the request's "
                              f"requestId: {what} arrives", expected=f"NotifyReportRequest(requestId={request_id})",
                              actual=str(getattr(exc, "actual", exc))
                              + (f"; NotifyReportRequest with other requestIds: {others}" if others else ""),
                              requirements=(sent, same_id)) from None
        report.parts.append(part)
        number = len(report.parts) - 1
        station.check.equal(f"NotifyReportRequest part {number} seqNo", part.payload.get("seqNo"), number,
                            requirements=(seq_no,), soft=True)
        station.check.that(f"NotifyReportRequest part {number} generatedAt is a date-time",
                           is_date_time(part.payload.get("generatedAt")), expected="an RFC 3339 date-time",
                           actual=part.payload.get("generatedAt"), requirements=(sent,), soft=True)
        if not part.payload.get("tbc", False):
            return report


def check_report_entries(side: Any, entries: list[dict[str, Any]], *, characteristics: tuple[str, ...],
                         write_only: tuple[str, ...]) -> None:
    """Every entry has variableCharacteristics (``characteristics`` requirements), a non-empty valuesList when
    its dataType is a list type, and no value for a WriteOnly attribute (``write_only`` requirements). The three
    are independent: all are evaluated, and one CheckFailed names every one that failed."""
    with side.check.collecting():
        _check_report_entries(side, entries, characteristics=characteristics, write_only=write_only)


def _check_report_entries(side: Any, entries: list[dict[str, Any]], *, characteristics: tuple[str, ...],
                          write_only: tuple[str, ...]) -> None:
    missing = [entry_name(e) for e in entries if "variableCharacteristics" not in e]
    side.check.that("every reportData entry has variableCharacteristics", not missing, expected="present",
                    actual=f"missing for {missing[:10]}", requirements=characteristics)
    no_list = [entry_name(e) for e in entries if e.get("variableCharacteristics", {}).get("dataType") in LIST_TYPES
               and not e["variableCharacteristics"].get("valuesList")]
    side.check.that("every reportData entry of dataType OptionList, SequenceList or MemberList has a valuesList",
                    not no_list, expected="a non-empty valuesList", actual=f"missing or empty for {no_list[:10]}",
                    requirements=characteristics)
    leaked = [entry_name(e) for e in entries for a in e.get("variableAttribute", [])
              if a.get("mutability") == "WriteOnly" and "value" in a]
    side.check.that("no value is reported for a WriteOnly attribute", not leaked, expected="value omitted",
                    actual=f"a value for {leaked[:10]}", requirements=write_only)


def check_csms_answers_report(csms: CsmsUnderTest, record: SentReport | None, *, requirements: tuple[str, ...]) -> None:
    """The CSMS answered every NotifyReportRequest part of a report with a CALLRESULT."""
    csms.check.that("the harness station delivered the whole report", record is not None and record.done.is_set(),
                    expected="every NotifyReportRequest part sent and answered",
                    actual="not finished within the message timeout", requirements=requirements)
    assert record is not None
    for payload, response in record.parts:
        ok = isinstance(response, Response) and response.ok
        csms.check.that(f"the CSMS accepts NotifyReportRequest seqNo {payload['seqNo']} of report {record.request_id}",
                        ok, expected="CALLRESULT",
                        actual=response.describe() if isinstance(response, Response) else response,
                        requirements=requirements)
