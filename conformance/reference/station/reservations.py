"""The reference station: minimal reservations (H01/H02/H04), persistent across reboots (B11.FR.05, B01.FR.13)."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime, timezone
from typing import Any

from ...protocol.errors import PeerError
from .component import Component, Connectors, Handler, OngoingTransactions, Station



class Reservations(Component):
    """The reservations live in ``station.state`` (reservationId -> the ReserveNowRequest, persistent); this area
    owns their expiry timers."""

    # Reservations (minimal H01/H02/H04): ReserveNow for a given EVSE only (ReservationNonEvseSpecific is not
    # implemented, so a request without evseId is Rejected, H01.FR.19); the EVSE's connectors are reported
    # Reserved (H01.FR.23) and stay so until CancelReservation (H02) or the expiry (ReservationStatusUpdate
    # Expired and Available, H04.FR.01/03). Not implemented yet: using a reservation (H03, reservationId in
    # TransactionEvent H01.FR.15) and removing it when the EVSE becomes Unavailable or Faulted (H01.FR.16/17).

    transactions: "OngoingTransactions"  # set by the core

    def __init__(self, station: Station, availability: "Connectors") -> None:
        super().__init__(station)
        self.availability = availability
        self.timers: dict[int, asyncio.TimerHandle] = {}

    def handlers(self) -> dict[str, Handler]:
        return {"ReserveNow": self.on_ReserveNow, "CancelReservation": self.on_CancelReservation}

    def on_reboot(self) -> None:
        if "reservation_forgotten_after_reboot" in self.faults:
            self.station.state.reservations.clear()

    def reserved(self, evse: int) -> bool:
        return any(r["evseId"] == evse for r in self.station.state.reservations.values())

    async def on_ReserveNow(self, payload: dict[str, Any]) -> dict[str, Any]:
        evse = payload.get("evseId")
        if evse is None:  # ReservationNonEvseSpecific is not set (H01.FR.19)
            return {"status": "Rejected", "statusInfo": {"reasonCode": "UnsupportedRequest"}}
        if evse not in {e for e, _ in self.station.evses}:
            return {"status": "Rejected", "statusInfo": {"reasonCode": "UnknownEvse"}}
        reservation_id = payload["id"]
        connectors = self.availability.connectors((evse,))
        statuses = {self.availability.connector_status(*k) for k in connectors}
        taken = any(r["evseId"] == evse and i != reservation_id for i, r in self.station.state.reservations.items())
        if statuses == {"Unavailable"}:
            return {"status": "Unavailable"}  # H01.FR.14
        if statuses == {"Faulted"}:
            return {"status": "Faulted"}  # H01.FR.12
        if taken or evse in self.transactions.ongoing or statuses & {"Occupied"}:
            return {"status": "Occupied"}  # H01.FR.11
        if "Unavailable" in statuses:
            return {"status": "Unavailable"}
        before = self.availability.statuses()
        self._drop_reservation(reservation_id)  # the same id replaces the old reservation (H01.FR.02)
        self.station.state.reservations[reservation_id] = dict(payload)
        self._expire_later(reservation_id, payload["expiryDateTime"])
        self.availability.report_later(self.availability.changed_since(before))  # H01.FR.23
        return {"status": "Accepted"}  # H01.FR.03

    async def on_CancelReservation(self, payload: dict[str, Any]) -> dict[str, Any]:
        reservation_id = payload["reservationId"]
        if reservation_id not in self.station.state.reservations:
            return {"status": "Rejected"}  # H02.FR.01
        before = self.availability.statuses()
        self._drop_reservation(reservation_id)  # H02.FR.02
        self.availability.report_later(self.availability.changed_since(before))
        return {"status": "Accepted"}

    def _drop_reservation(self, reservation_id: int) -> dict[str, Any] | None:
        timer = self.timers.pop(reservation_id, None)
        if timer is not None:
            timer.cancel()
        return self.station.state.reservations.pop(reservation_id, None)

    def _expire_later(self, reservation_id: int, expiry: str) -> None:
        try:
            when = datetime.fromisoformat(expiry.replace("Z", "+00:00"))
            if when.tzinfo is None:
                when = when.replace(tzinfo=timezone.utc)
            delay = max(0.0, (when - datetime.now(timezone.utc)).total_seconds())
        except ValueError:
            delay = 0.0
        self.timers[reservation_id] = asyncio.get_running_loop().call_later(
            delay, lambda: self.station.spawn(self._expire(reservation_id)))

    async def _expire(self, reservation_id: int) -> None:
        """The reservation's expiryDateTime is reached (H04.FR.01, H04.FR.03)."""
        before = self.availability.statuses()
        self.timers.pop(reservation_id, None)
        if self.station.state.reservations.pop(reservation_id, None) is None:
            return
        conn = self.station.connection
        if conn is None or not self.station.boot.booted.is_set():
            return  # the boot reports the connectors' status
        with contextlib.suppress(PeerError):
            await conn.call("ReservationStatusUpdate", {"reservationId": reservation_id,
                                                        "reservationUpdateStatus": "Expired"})
            for key, status in before.items():
                if self.availability.connector_status(*key) != status:
                    await self.availability.send_status(conn, *key)
