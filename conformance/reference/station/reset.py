"""The reference station: Reset of the station or one EVSE, with and without transactions (B11/B12), and minimal reservations (H01/H02/H04)."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime, timezone
from typing import Any

from ...actions.port import ActionFailed
from ...outcomes import CheckFailed, SutDisconnected, SutTimeout

from .state import Transaction


class ResetMixin:
    """Part of :class:`~conformance.reference.station.ReferenceStation` (it holds the state)."""

    # ------------------------------------------------------------------ reset (B11/B12), reservation (H01)
    # Reset without evseId: the whole station reboots (BootNotification reason RemoteReset, ScheduledReset for a
    # reset answered Scheduled). With evseId (feature C-13) only that EVSE resets: its transaction ends and
    # nothing else is visible (B11.FR.08 allows, not requires, a StatusNotification Unavailable); without C-13
    # it is Rejected (B11.FR.09, B12.FR.09). OnIdle while a transaction runs in the scope: Scheduled
    # (B12.FR.01), the reset follows once the last transaction in the scope has ended and the physical step
    # that ended it (an action) is complete. Immediate: every transaction in the scope ends first (Ended,
    # triggerReason ResetCommand, stoppedReason ImmediateReset: B12.FR.04, B12.FR.08), then the reset.
    # Availability and reservations live in StationState and survive the reboot (B11.FR.02, B11.FR.05).
    # A scheduled reset is forgotten by a reboot for another reason (power cycle).
    #
    # Reservations (minimal H01/H02/H04): ReserveNow for a given EVSE only (ReservationNonEvseSpecific is not
    # implemented, so a request without evseId is Rejected, H01.FR.19); the EVSE's connectors are reported
    # Reserved (H01.FR.23) and stay so until CancelReservation (H02) or the expiry (ReservationStatusUpdate
    # Expired and Available, H04.FR.01/03). Not implemented yet: using a reservation (H03, reservationId in
    # TransactionEvent H01.FR.15) and removing it when the EVSE becomes Unavailable or Faulted (H01.FR.16/17).
    async def on_Reset(self, payload: dict[str, Any]) -> dict[str, Any]:
        evse = payload.get("evseId")
        if evse is not None:
            if not self.supports("C-13") and "evse_reset_accepted_unsupported" not in self.faults:
                return {"status": "Rejected", "statusInfo": {"reasonCode": "UnsupportedRequest"}}
            if evse not in {e for e, _ in self.evses}:
                return {"status": "Rejected", "statusInfo": {"reasonCode": "UnknownEvse"}}
        active = self._transactions_in(evse)
        if "reset_rejected_while_inoperative" in self.faults and self.state.inoperative:
            return {"status": "Rejected"}  # an Inoperative connector counts as "busy"
        if payload["type"] == "OnIdle" and active:
            if "onidle_reset_accepted_during_transaction" in self.faults:
                self._spawn(self._reset_now(evse, active))  # resets at once, as if it were Immediate
                return {"status": "Accepted"}
            self._pending_resets.add(evse)
            return {"status": "Scheduled"}  # B12.FR.01
        if "onidle_reset_scheduled_when_idle" in self.faults and payload["type"] == "OnIdle":
            return {"status": "Scheduled"}  # and waits for an end of transaction that never comes
        self._spawn(self._reset_now(evse, active))  # after the response (B11.FR.03, B12.FR.02)
        return {"status": "Accepted"}

    def _transactions_in(self, evse: int | None) -> list[Transaction]:
        """The ongoing transactions a reset of the station (None) or of one EVSE concerns."""
        return [tx for tx in self.transactions.values() if evse is None or tx.evse == evse]

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _reset_now(self, evse: int | None, transactions: list[Transaction]) -> None:
        """Immediate reset (or an accepted OnIdle one without transactions): end the transactions in the scope,
        then reboot the station (no evseId) or reset the EVSE."""
        if "immediate_reset_without_ending_transaction" in self.faults:
            transactions = []  # reboots at once; the transactions are simply lost
        for tx in transactions:
            trigger, reason = ("RemoteStop", "Remote") if "immediate_reset_ends_as_remote_stop" in self.faults \
                else ("ResetCommand", "ImmediateReset")
            with contextlib.suppress(ActionFailed, CheckFailed, SutDisconnected, SutTimeout):
                await self._end_transaction(tx, reason, trigger)
        if evse is None:
            if "reset_clears_availability" in self.faults:
                self.state.inoperative.clear()
            self._reboot("RemoteReset")
        # An EVSE reset: the EVSE restarts internally; its availability and reservation are kept.

    def _reset_if_due(self) -> None:
        """Perform the resets answered Scheduled whose scope has no transaction any more. While an action is in
        progress (the physical step that ended the transaction), :meth:`perform_action` calls again after it."""
        if self._acting:
            return
        for scope in list(self._pending_resets):
            if self._transactions_in(scope):
                continue
            self._pending_resets.discard(scope)
            if scope is None:
                self._reboot("ScheduledReset")
                return

    def _reset_on_reboot(self) -> None:
        """What a reboot does to this section's state: scheduled resets are volatile, reservations persist."""
        self._pending_resets.clear()
        if "reservation_forgotten_after_reboot" in self.faults:
            self.state.reservations.clear()

    def _report_later(self, connectors: list[tuple[int, int]]) -> None:
        """Report the connectors' status after the response to the current request."""
        conn = self.connection
        if conn is None or not connectors:
            return

        async def report() -> None:
            with contextlib.suppress(CheckFailed, SutDisconnected, SutTimeout):
                for evse, connector in connectors:
                    await self.send_status(conn, evse, connector)
        self._spawn(report())

    async def on_ReserveNow(self, payload: dict[str, Any]) -> dict[str, Any]:
        evse = payload.get("evseId")
        if evse is None:  # ReservationNonEvseSpecific is not set (H01.FR.19)
            return {"status": "Rejected", "statusInfo": {"reasonCode": "UnsupportedRequest"}}
        if evse not in {e for e, _ in self.evses}:
            return {"status": "Rejected", "statusInfo": {"reasonCode": "UnknownEvse"}}
        reservation_id = payload["id"]
        connectors = self._connectors((evse,))
        statuses = {self.connector_status(*k) for k in connectors}
        taken = any(r["evseId"] == evse and i != reservation_id for i, r in self.state.reservations.items())
        if statuses == {"Unavailable"}:
            return {"status": "Unavailable"}  # H01.FR.14
        if statuses == {"Faulted"}:
            return {"status": "Faulted"}  # H01.FR.12
        if taken or evse in self.transactions or statuses & {"Occupied"}:
            return {"status": "Occupied"}  # H01.FR.11
        if "Unavailable" in statuses:
            return {"status": "Unavailable"}
        before = {k: self.connector_status(*k) for k in self._connectors()}
        self._drop_reservation(reservation_id)  # the same id replaces the old reservation (H01.FR.02)
        self.state.reservations[reservation_id] = dict(payload)
        self._expire_later(reservation_id, payload["expiryDateTime"])
        self._report_later([k for k, status in before.items() if self.connector_status(*k) != status])  # H01.FR.23
        return {"status": "Accepted"}  # H01.FR.03

    async def on_CancelReservation(self, payload: dict[str, Any]) -> dict[str, Any]:
        reservation_id = payload["reservationId"]
        if reservation_id not in self.state.reservations:
            return {"status": "Rejected"}  # H02.FR.01
        before = {k: self.connector_status(*k) for k in self._connectors()}
        self._drop_reservation(reservation_id)  # H02.FR.02
        self._report_later([k for k, status in before.items() if self.connector_status(*k) != status])
        return {"status": "Accepted"}

    def _drop_reservation(self, reservation_id: int) -> dict[str, Any] | None:
        timer = self._reservation_timers.pop(reservation_id, None)
        if timer is not None:
            timer.cancel()
        return self.state.reservations.pop(reservation_id, None)

    def _expire_later(self, reservation_id: int, expiry: str) -> None:
        try:
            when = datetime.fromisoformat(expiry.replace("Z", "+00:00"))
            if when.tzinfo is None:
                when = when.replace(tzinfo=timezone.utc)
            delay = max(0.0, (when - datetime.now(timezone.utc)).total_seconds())
        except ValueError:
            delay = 0.0
        self._reservation_timers[reservation_id] = asyncio.get_running_loop().call_later(
            delay, lambda: self._spawn(self._expire(reservation_id)))

    async def _expire(self, reservation_id: int) -> None:
        """The reservation's expiryDateTime is reached (H04.FR.01, H04.FR.03)."""
        before = {k: self.connector_status(*k) for k in self._connectors()}
        self._reservation_timers.pop(reservation_id, None)
        if self.state.reservations.pop(reservation_id, None) is None:
            return
        conn = self.connection
        if conn is None or not self.booted.is_set():
            return  # the boot reports the connectors' status
        with contextlib.suppress(CheckFailed, SutDisconnected, SutTimeout):
            await conn.call("ReservationStatusUpdate", {"reservationId": reservation_id,
                                                        "reservationUpdateStatus": "Expired"})
            for key, status in before.items():
                if self.connector_status(*key) != status:
                    await self.send_status(conn, *key)
