"""The reference station: connector status (G01) and availability (G03/G04: station, EVSE or connector Inoperative /
Operative, persistent across reboots, Scheduled while a transaction runs in the scope, every changed connector
reported by StatusNotification)."""

from __future__ import annotations

import contextlib
from typing import Any

from ...protocol.errors import PeerError
from ...protocol.frames import utc_now
from ...transport.connection import Connection
from .component import Component, Handler, OngoingTransactions, ReservedEvses, Station


Connector = tuple[int, int]


class Availability(Component):
    """The Inoperative scopes and the changes answered Scheduled live in ``station.state`` (persistent:
    G03.FR.08, G04.FR.09); this area owns the EVSEs kept operative until their transaction ends (G03.FR.05)."""

    transactions: "OngoingTransactions"  # set by the core
    reservations: "ReservedEvses"

    def __init__(self, station: Station) -> None:
        super().__init__(station)
        self.exempt: set[int] = set()

    def handlers(self) -> dict[str, Handler]:
        return {"ChangeAvailability": self.on_ChangeAvailability}

    def on_reboot(self) -> None:
        self.exempt.clear()
        if "availability_forgotten_after_reboot" in self.faults:
            self.station.state.inoperative.clear()

    def connectors(self, scope: tuple[int, ...] = ()) -> list[Connector]:
        """The connectors a scope ((), (evse,) or (evse, connector)) covers."""
        return [(e, c) for e, cs in self.station.evses for c in cs
                if not scope or (e == scope[0] and (len(scope) == 1 or c == scope[1]))]

    def connector_status(self, evse: int, connector: int) -> str:
        state = self.station.state
        if {(), (evse,), (evse, connector)} & state.inoperative and evse not in self.exempt:
            return "Unavailable"
        if (evse, connector) in state.plugged:
            return "Occupied"
        if self.reservations.reserved(evse):
            return "Reserved"  # H01.FR.23: every connector of a reserved EVSE
        return "Available"

    def statuses(self) -> dict[Connector, str]:
        return {k: self.connector_status(*k) for k in self.connectors()}

    def changed_since(self, before: dict[Connector, str]) -> list[Connector]:
        return [k for k, status in before.items() if self.connector_status(*k) != status]

    async def send_status(self, conn: Connection, evse: int, connector: int) -> None:
        await conn.call("StatusNotification", {"timestamp": utc_now(), "connectorStatus":
                                               self.connector_status(evse, connector),
                                               "evseId": evse, "connectorId": connector})

    def report_later(self, connectors: list[Connector]) -> None:
        """Report the connectors' status after the response to the current request."""
        conn = self.station.connection
        if conn is None or not connectors:
            return

        async def report() -> None:
            with contextlib.suppress(PeerError):
                for evse, connector in connectors:
                    await self.send_status(conn, evse, connector)
        self.station.spawn(report())

    def set_availability(self, scope: tuple[int, ...], operative: bool) -> list[Connector]:
        """Apply an availability change; the connectors whose status changed (to be reported, G01.FR.07)."""
        before = self.statuses()
        if operative:
            self.station.state.inoperative.discard(scope)
        else:
            self.station.state.inoperative.add(scope)
        return self.changed_since(before)

    async def report_changes(self, conn: Connection, connectors: list[Connector]) -> None:
        for evse, connector in connectors:
            if "availability_reported_on_evse_only" in self.faults:
                if connector == min(c for e, c in self.connectors((evse,)) if e == evse):
                    await self._notify_evse_availability(conn, evse)
                continue
            status = self.connector_status(evse, connector)
            if "change_availability_reports_available" in self.faults:
                status = "Available"
            await conn.call("StatusNotification", {"timestamp": utc_now(), "connectorStatus": status,
                                                   "evseId": evse, "connectorId": connector})

    async def _notify_evse_availability(self, conn: Connection, evse: int) -> None:
        """The fault availability_reported_on_evse_only: one NotifyEvent for the EVSE component."""
        status = "Unavailable" if {(), (evse,)} & self.station.state.inoperative else "Available"
        await conn.call("NotifyEvent", {"generatedAt": utc_now(), "seqNo": 0, "eventData": [{
            "eventId": 1, "timestamp": utc_now(), "trigger": "Delta", "actualValue": status,
            "eventNotificationType": "HardWiredNotification", "component": {"name": "EVSE", "evse": {"id": evse}},
            "variable": {"name": "AvailabilityState"}}]})

    def _report_as(self, connectors: list[Connector], scope: tuple[int, ...], status: str) -> None:
        """Fault same_state_reports_whole_station: report the connectors outside ``scope`` with ``status``, then
        those of the scope."""
        conn = self.station.connection
        others = [k for k in connectors if k not in self.connectors(scope)]
        if conn is None or not others:
            return

        async def report() -> None:
            with contextlib.suppress(PeerError):
                for evse, connector in others:
                    await conn.call("StatusNotification", {"timestamp": utc_now(), "connectorStatus": status,
                                                           "evseId": evse, "connectorId": connector})
                for evse, connector in self.connectors(scope):  # then the scope itself, as it is
                    await self.send_status(conn, evse, connector)
        self.station.spawn(report())

    def apply_scheduled(self) -> list[Connector]:
        """Availability changes answered Scheduled whose scope has no transaction any more (the EVSEs kept
        operative for their transaction included); the connectors whose status changed."""
        before = self.statuses()
        busy = self.transactions.busy_evses()
        if "scheduled_availability_never_applied" not in self.faults:
            self.exempt &= busy
        for scope, operative in list(self.station.state.scheduled.items()):
            if not any(e in busy for e, _ in self.connectors(scope)):
                del self.station.state.scheduled[scope]
                self.set_availability(scope, operative)
        return self.changed_since(before)

    async def on_ChangeAvailability(self, payload: dict[str, Any]) -> dict[str, Any]:
        state = self.station.state
        operative = payload["operationalStatus"] == "Operative"
        evse = payload.get("evse")
        scope: tuple[int, ...] = () if evse is None else \
            (evse["id"],) if evse.get("connectorId") is None else (evse["id"], evse["connectorId"])
        if not self.connectors(scope):
            return {"status": "Rejected", "statusInfo": {"reasonCode": "UnknownEvse"}}
        if (scope not in state.inoperative) == operative:  # already in that state
            state.scheduled.pop(scope, None)
            if "change_availability_same_state_rejected" in self.faults:
                return {"status": "Rejected"}
            # G03.FR.03, G04.FR.04; each connector of the scope is reported all the same (always allowed, and
            # what Part 6 TC_G_12/13/15_CS validate)
            if "same_state_reports_whole_station" in self.faults:  # every other connector gets the scope's status
                self._report_as(self.connectors(()), scope, "Available" if operative else "Unavailable")
            elif "same_state_change_not_reported" not in self.faults:
                self.report_later(self.connectors(scope))
            return {"status": "Accepted"}
        evses = {e for e, _ in self.connectors(scope)}
        busy = self.transactions.busy_evses() & evses
        if busy and (operative or "scheduled_availability_waits_for_all_evses" in self.faults):
            state.scheduled[scope] = operative
            return {"status": "Scheduled"}  # G03.FR.05, G04.FR.06
        if busy:
            # Inoperative while transactions run in the scope: answered Scheduled (G03.FR.05, G04.FR.06); the
            # EVSEs without a transaction become Unavailable now, the busy ones when their transaction has ended.
            self.exempt |= busy
            self.report_later(self.set_availability(scope, operative))
            return {"status": "Scheduled"}
        changed = self.set_availability(scope, operative)
        conn = self.station.connection
        if conn is not None and changed:
            async def report() -> None:
                with contextlib.suppress(PeerError):
                    await self.report_changes(conn, changed)
            self.station.spawn(report())  # after the response (G03.FR.04, G04.FR.05)
        return {"status": "Accepted"}
