"""The reports the harness station sends when the CSMS under test asks (B07 Get Base Report, B08 Get Custom Report).

:class:`HarnessReports` answers GetBaseReport / GetReport from the harness station's device model and sends the
report in NotifyReportRequest parts (built by :mod:`conformance.device_model.reports`), recording the CSMS's answer
to every part as a :class:`SentReport`; :func:`conformance.harness.reports.check_csms_answers_report` judges them.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from typing import Any

from ..device_model import reports as device_reports
from ..device_model.model import DeviceModel
from ..outcomes import CheckFailed
from ..protocol.errors import PeerError
from ..protocol.frames import utc_now
from ..transport.connection import IncomingCall, Response


@dataclass
class SentReport:
    """A report the harness station sent: each NotifyReportRequest payload and the CSMS's response to it."""

    request_id: int
    parts: list[tuple[dict[str, Any], Response | str]] = field(default_factory=list)
    done: asyncio.Event = field(default_factory=asyncio.Event)


class HarnessReports:
    """GetBaseReport / GetReport for a harness station: answered from its device model like a conformant
    station (Accepted, EmptyResultSet, NotSupported for the Active criterion, which it does not evaluate either),
    the report then sent in parts of :attr:`page_items` entries; :meth:`sent` waits for one to be delivered."""

    def __init__(self, device_model: DeviceModel, *, page_items: int = 10) -> None:
        self.device_model = device_model
        self.page_items = page_items
        self.reports: dict[int, SentReport] = {}
        self._changed = asyncio.Event()
        self._tasks: set[asyncio.Task[None]] = set()

    def answer(self, incoming: IncomingCall) -> dict[str, Any]:
        payload, model = incoming.payload, self.device_model
        if incoming.action == "GetBaseReport":
            entries = device_reports.base_report(model, payload["reportBase"])
            response: dict[str, Any] = {"status": "Accepted"}
        else:
            report = device_reports.custom_report(model, component_criteria=payload.get("componentCriteria"),
                                                  component_variables=payload.get("componentVariable"))
            if report.status != "Accepted":
                return report.response()
            entries, response = list(report.entries), {"status": "Accepted"}
        request_id = payload["requestId"]
        record = self.reports[request_id] = SentReport(request_id)
        task = asyncio.get_running_loop().create_task(self._send(incoming, record, entries))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return response

    async def _send(self, incoming: IncomingCall, record: SentReport, entries: list[dict[str, Any]]) -> None:
        conn = incoming.connection
        try:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(conn.message_timeout):
                    await incoming.answered.wait()  # the report follows the response
            for payload in device_reports.notify_report_payloads(record.request_id, entries, utc_now(),
                                                                 max_items=self.page_items):
                try:
                    response: Response | str = await conn.call("NotifyReport", payload)
                except (CheckFailed, PeerError) as exc:
                    response = f"{type(exc).__name__}: {getattr(exc, 'actual', exc)}"
                record.parts.append((payload, response))
                if isinstance(response, str):
                    break
        finally:
            record.done.set()
            self._changed.set()

    async def sent(self, request_id: int, *, timeout: float) -> SentReport | None:
        """The report ``request_id`` once every part was sent and answered (None if it did not finish in time)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            record = self.reports.get(request_id)
            if record is not None and record.done.is_set():
                return record
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                return None
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(remaining):
                    await self._changed.wait()
