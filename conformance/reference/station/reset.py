"""The reference station: Reset of the station or one EVSE, with and without transactions (B11/B12)."""

from __future__ import annotations

import contextlib
from typing import Any

from ...actions.port import ActionFailed
from ...protocol.errors import PeerError
from .component import Component, Handler, OngoingTransactions, Station
from .state import Transaction



class Reset(Component):
    """Owns the resets answered Scheduled (None: the station, else the evseId); volatile."""

    # Reset without evseId: the whole station reboots (BootNotification reason RemoteReset, ScheduledReset for a
    # reset answered Scheduled). With evseId (feature C-13) only that EVSE resets: its transaction ends and
    # nothing else is visible (B11.FR.08 allows, not requires, a StatusNotification Unavailable); without C-13
    # it is Rejected (B11.FR.09, B12.FR.09). OnIdle while a transaction runs in the scope: Scheduled
    # (B12.FR.01), the reset follows once the last transaction in the scope has ended and the physical step
    # that ended it (an action) is complete. Immediate: every transaction in the scope ends first (Ended,
    # triggerReason ResetCommand, stoppedReason ImmediateReset: B12.FR.04, B12.FR.08), then the reset.
    # Availability and reservations live in StationState and survive the reboot (B11.FR.02, B11.FR.05).
    # A scheduled reset is forgotten by a reboot for another reason (power cycle).

    def __init__(self, station: Station, transactions: "OngoingTransactions") -> None:
        super().__init__(station)
        self.transactions = transactions
        self.pending: set[int | None] = set()

    def handlers(self) -> dict[str, Handler]:
        return {"Reset": self.on_Reset}

    async def on_Reset(self, payload: dict[str, Any]) -> dict[str, Any]:
        evse = payload.get("evseId")
        if evse is not None:
            if not self.station.supports("C-13") and "evse_reset_accepted_unsupported" not in self.faults:
                return {"status": "Rejected", "statusInfo": {"reasonCode": "UnsupportedRequest"}}
            if evse not in {e for e, _ in self.station.evses}:
                return {"status": "Rejected", "statusInfo": {"reasonCode": "UnknownEvse"}}
        active = self.transactions.in_scope(evse)
        if "reset_rejected_while_inoperative" in self.faults and self.station.state.inoperative:
            return {"status": "Rejected"}  # an Inoperative connector counts as "busy"
        if payload["type"] == "OnIdle" and active:
            if "onidle_reset_accepted_during_transaction" in self.faults:
                self.station.spawn(self._now(evse, active))  # resets at once, as if it were Immediate
                return {"status": "Accepted"}
            self.pending.add(evse)
            return {"status": "Scheduled"}  # B12.FR.01
        if "onidle_reset_scheduled_when_idle" in self.faults and payload["type"] == "OnIdle":
            return {"status": "Scheduled"}  # and waits for an end of transaction that never comes
        self.station.spawn(self._now(evse, active))  # after the response (B11.FR.03, B12.FR.02)
        return {"status": "Accepted"}

    async def _now(self, evse: int | None, transactions: list[Transaction]) -> None:
        """Immediate reset (or an accepted OnIdle one without transactions): end the transactions in the scope,
        then reboot the station (no evseId) or reset the EVSE."""
        if "immediate_reset_without_ending_transaction" in self.faults:
            transactions = []  # reboots at once; the transactions are simply lost
        for tx in transactions:
            trigger, reason = ("RemoteStop", "Remote") if "immediate_reset_ends_as_remote_stop" in self.faults \
                else ("ResetCommand", "ImmediateReset")
            with contextlib.suppress(ActionFailed, PeerError):
                await self.transactions.end_transaction(tx, reason, trigger)
        if evse is None:
            if "reset_clears_availability" in self.faults:
                self.station.state.inoperative.clear()
            self.station.reboot("RemoteReset")
        # An EVSE reset: the EVSE restarts internally; its availability and reservation are kept.

    def if_due(self) -> None:
        """Perform the resets answered Scheduled whose scope has no transaction any more. While an action is in
        progress (the physical step that ended the transaction), ``ReferenceStation.perform_action`` calls again
        after it."""
        if self.station.acting:
            return
        for scope in list(self.pending):
            if self.transactions.in_scope(scope):
                continue
            self.pending.discard(scope)
            if scope is None:
                self.station.reboot("ScheduledReset")
                return

    def on_reboot(self) -> None:
        """Scheduled resets are volatile."""
        self.pending.clear()
