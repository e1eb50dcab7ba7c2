"""The reference station: Transactions (E01-E03, E06, E07), authorization before or after plug-in, the connector retention lock (G05)."""

from __future__ import annotations

import contextlib
from typing import Any

from ...actions.port import ActionFailed
from ...outcomes import CheckFailed, SutDisconnected, SutTimeout
from ...protocol.frames import utc_now
from ...transport.connection import Connection

from .state import Transaction


class TransactionsMixin:
    """Part of :class:`~conformance.reference.station.ReferenceStation` (it holds the state)."""

    # ------------------------------------------------------------------ transaction
    # E01/E06 with the TxStartPoint / TxStopPoint the station supports (EVConnected, Authorized, PowerPathClosed,
    # EnergyTransfer): the transaction starts when the first configured start condition holds and ends when a
    # configured stop condition no longer holds; unplugging always ends it (StopTxOnEVSideDisconnect). One
    # transaction per EVSE (E01.FR.14). An idToken may be presented before the EV is plugged in (E03): the
    # authorization then waits EVConnectionTimeOut for the cable (E03.FR.05). Energy flows once the EV is plugged
    # in and the driver authorized (C01.FR.01).
    def _tx_points(self, name: str) -> set[str]:
        value = self.device_model.get("TxCtrlr", name) or []
        return {p.strip() for p in (value.split(",") if isinstance(value, str) else value) if p.strip()}

    def _plugged_connector(self, evse: int) -> int | None:
        return next((c for e, c in sorted(self.state.plugged) if e == evse), None)

    def _new_transaction(self, evse: int, connector: int, token: dict[str, Any] | None) -> Transaction:
        self.state.tx_counter += 1
        tx = Transaction(f"{self.identity}-{self.state.tx_counter}", evse, connector, id_token=token)
        self.transactions[evse] = tx
        return tx

    async def _plug_in(self, evse: int, connector: int) -> dict[str, Any]:
        if self._is_offline():  # noted, reported after reconnecting (B04)
            return self._offline_status_change(evse, connector, plugged=True)
        conn = self._require_connection()
        self.state.plugged.add((evse, connector))
        if "plug_in_not_reported" not in self.faults:
            await self.send_status(conn, evse, connector)
        token = self._authorizations.get(evse)
        tx = self.transactions.get(evse)
        if tx is not None:  # started at the authorization (TxStartPoint Authorized)
            tx.connector = connector
            await self._transaction_event(tx, "Updated", "CablePluggedIn", charging_state="EVConnected", with_evse=True)
        elif self.connector_status(evse, connector) == "Unavailable":
            pass  # an Unavailable connector offers no charging: no transaction starts
        elif "EVConnected" in self._tx_points("TxStartPoint") or (
                token is not None and "PowerPathClosed" in self._tx_points("TxStartPoint")
                and await self._locked(evse, connector)):
            tx = self._new_transaction(evse, connector, token)
            await self._transaction_event(tx, "Started", "CablePluggedIn", charging_state="EVConnected",
                                          with_token=token is not None)
        await self._start_charging(evse)
        return {"transaction": tx.transaction_id if tx is not None else None}

    async def _locked(self, evse: int, connector: int) -> bool:
        """Lock the cable retention lock before the power path closes. A failing lock is reported once by
        NotifyEvent ConnectorPlugRetentionLock.Problem true (G05.FR.02) and no charging starts (G05.FR.01)."""
        if (evse, connector) not in self._lock_failing:
            return True
        if (evse, connector) not in self._lock_problems:
            self._lock_problems.add((evse, connector))
            if "lock_failure_not_reported" not in self.faults:
                await self._notify_lock_problem(evse, connector, True)
        return "lock_failure_charges_anyway" in self.faults

    async def _notify_lock_problem(self, evse: int, connector: int, problem: bool) -> None:
        conn = self._require_connection()
        await conn.call("NotifyEvent", {"generatedAt": utc_now(), "seqNo": 0, "eventData": [{
            "eventId": self.state.tx_counter * 100 + evse * 10 + connector, "timestamp": utc_now(), "trigger": "Delta",
            "actualValue": "true" if problem else "false", "eventNotificationType": "HardWiredNotification",
            "component": {"name": "ConnectorPlugRetentionLock", "evse": {"id": evse, "connectorId": connector}},
            "variable": {"name": "Problem"}}]})

    async def _start_charging(self, evse: int) -> None:
        """Close the power path when the EV is plugged in and the driver authorized (and the EVSE is operative)."""
        token = self._authorizations.get(evse)
        connector = self._plugged_connector(evse)
        tx = self.transactions.get(evse)
        if token is None or connector is None or (tx is not None and (tx.charging or tx.stop_authorized)):
            return
        if self.connector_status(evse, connector) == "Unavailable" or not await self._locked(evse, connector):
            return
        if tx is None:  # TxStartPoint EnergyTransfer
            tx = self._new_transaction(evse, connector, token)
            tx.charging = True
            await self._transaction_event(tx, "Started", "ChargingStateChanged", charging_state="Charging",
                                          with_token=True)
            return
        tx.charging = True
        await self._transaction_event(tx, "Updated", "ChargingStateChanged", charging_state="Charging")

    async def _present_id_token(self, evse: int, connector: int, id_token: str, token_type: str) -> dict[str, Any]:
        conn = self._require_connection()
        token = {"idToken": id_token, "type": token_type}
        tx = self.transactions.get(evse)
        pending = self._authorizations.get(evse)
        if pending is not None and pending["idToken"] == id_token:
            if tx is None:  # presented again before the EV was plugged in: the authorization is withdrawn
                self._authorizations.pop(evse, None)
                return {"authorized": False, "withdrawn": True}
            if not tx.stop_authorized:  # the same token ends the authorization, no AuthorizeRequest (C01.FR.03)
                if "stop_token_authorized_again" in self.faults:
                    await conn.call("Authorize", {"idToken": token})
                await self._stop_authorized(tx, token)
                return {"authorized": True, "stopped": tx.transaction_id}
        if tx is None and all(self.connector_status(*k) == "Unavailable" for k in self._connectors((evse,))):
            return {"authorized": False, "status": "the EVSE is Unavailable"}  # no charging is offered there
        response = await conn.call("Authorize", {"idToken": token})
        status = response.payload["idTokenInfo"]["status"]
        if status != "Accepted":
            return {"authorized": False, "status": status}
        if pending is not None or (tx is not None and tx.id_token is not None):
            return {"authorized": True, "transaction": None}  # the EVSE is in use by another driver
        self._authorizations[evse] = token
        plugged = self._plugged_connector(evse)
        start = self._tx_points("TxStartPoint")
        if tx is not None:  # started when the EV was connected (TxStartPoint EVConnected)
            tx.id_token = token
            await self._transaction_event(tx, "Updated", "Authorized", charging_state=None, with_token=True)
        elif "Authorized" in start or (plugged is not None and "PowerPathClosed" in start
                                       and await self._locked(evse, plugged)):
            tx = self._new_transaction(evse, plugged or connector, token)
            await self._transaction_event(tx, "Started", "Authorized",
                                          charging_state="EVConnected" if plugged is not None else "Idle",
                                          with_token=True)
        if plugged is None:
            self._spawn(self._authorization_timeout(evse, token))
        await self._start_charging(evse)
        tx = self.transactions.get(evse)
        return {"authorized": True, "transaction": tx.transaction_id if tx is not None else None}

    async def _authorization_timeout(self, evse: int, token: dict[str, Any]) -> None:
        """EVConnectionTimeOut: an authorization without a cable plugged in expires; a transaction it started
        ends (E03.FR.05)."""
        await self._sleep(float(self.device_model.get("TxCtrlr", "EVConnectionTimeOut") or 60))
        if self._authorizations.get(evse) is not token or self._plugged_connector(evse) is not None:
            return
        self._authorizations.pop(evse, None)
        tx = self.transactions.get(evse)
        if tx is not None:
            with contextlib.suppress(ActionFailed, CheckFailed, SutDisconnected, SutTimeout):
                await self._end_transaction(tx, "Timeout", "EVConnectionTimeout", charging_state="Idle")

    async def _stop_authorized(self, tx: Transaction, token: dict[str, Any]) -> None:
        """E07: the driver ends the authorization; with TxStopPoint Authorized / PowerPathClosed the transaction
        ends now, otherwise the energy transfer stops and the transaction waits for its stop point."""
        tx.stop_authorized = True
        tx.id_token = token
        self._authorizations.pop(tx.evse, None)
        stop = self._tx_points("TxStopPoint")
        if "stop_point_authorized_ignored" in self.faults:
            stop = stop - {"Authorized"}
        if stop & {"Authorized", "PowerPathClosed"}:
            await self._end_transaction(tx, "Local", "StopAuthorized", with_token=True)
            return
        await self._transaction_event(tx, "Updated", "StopAuthorized", charging_state=None, with_token=True)
        tx.charging = False
        if "EnergyTransfer" in stop:
            await self._end_transaction(tx, "Local", "ChargingStateChanged")
        else:
            await self._transaction_event(tx, "Updated", "ChargingStateChanged", charging_state="EVConnected")

    async def _unplug(self, evse: int, connector: int) -> dict[str, Any]:
        if self._is_offline() and evse not in self.transactions:  # noted, reported after reconnecting (B04)
            return self._offline_status_change(evse, connector, plugged=False)
        conn = self._require_connection()
        self.state.plugged.discard((evse, connector))
        self._lock_failing.discard((evse, connector))
        if (evse, connector) in self._lock_problems:  # the lock problem is gone with the plug
            self._lock_problems.discard((evse, connector))
            await self._notify_lock_problem(evse, connector, False)
        tx = self.transactions.get(evse)
        ending = tx if tx is not None and tx.connector == connector else None
        changed: list[tuple[int, int]] = []
        if ending is not None:
            # The scheduled change of availability is made with the end of the transaction, so the unplugged
            # connector is reported Unavailable at once (G01.FR.05).
            changed = self._close_transaction(ending)
        else:
            self._authorizations.pop(evse, None)
        if "unplug_reports_occupied" in self.faults:  # the status read before the cable was released
            await conn.call("StatusNotification", {"timestamp": utc_now(), "connectorStatus": "Occupied",
                                                   "evseId": evse, "connectorId": connector})
        else:
            await self.send_status(conn, evse, connector)
        if ending is not None:
            await self._transaction_event(ending, "Ended", "EVCommunicationLost", charging_state="Idle",
                                          stopped_reason="Local" if ending.stop_authorized else "EVDisconnected")
            await self._after_transaction([k for k in changed if k != (evse, connector)])
        return {}

    def _close_transaction(self, tx: Transaction) -> list[tuple[int, int]]:
        """Forget an ended transaction; the availability changes scheduled for it are made (their connectors
        returned, to be reported)."""
        self.transactions.pop(tx.evse, None)
        self._authorizations.pop(tx.evse, None)
        tx.charging = False
        # A change of availability answered Scheduled happens now (G03.FR.05, G04.FR.06); an EV still
        # plugged in or unplugged later leaves the connector Unavailable (G01.FR.05).
        return self._apply_scheduled()

    async def _after_transaction(self, changed: list[tuple[int, int]]) -> None:
        if changed and self.connection is not None:
            await self._report_changes(self.connection, changed)
        self._reset_if_due()  # a reset answered Scheduled (B12.FR.01) may be due now

    async def _end_transaction(self, tx: Transaction, stopped_reason: str, trigger: str, *,
                               charging_state: str | None = "EVConnected", with_token: bool = False) -> None:
        changed = self._close_transaction(tx)
        await self._transaction_event(tx, "Ended", trigger, charging_state=charging_state,
                                      stopped_reason=stopped_reason, with_token=with_token)
        await self._after_transaction(changed)

    async def _transaction_event(self, tx: Transaction, event_type: str, trigger: str, *, charging_state: str | None,
                                 stopped_reason: str | None = None, with_token: bool = False,
                                 with_evse: bool = False) -> None:
        """One TransactionEventRequest; chargingState None: unchanged, omitted. The EVSE is named in the first
        event and when the EV gets connected (E01.FR.16), with the connector once one is plugged in."""
        conn = self._require_connection()
        info: dict[str, Any] = {"transactionId": tx.transaction_id}
        if charging_state is not None:
            info["chargingState"] = charging_state
        if stopped_reason:
            info["stoppedReason"] = stopped_reason
        payload: dict[str, Any] = {"eventType": event_type, "timestamp": utc_now(), "triggerReason": trigger,
                                   "seqNo": tx.seq_no, "transactionInfo": info}
        if tx.seq_no == 0 or with_evse:
            payload["evse"] = {"id": tx.evse}
            if with_evse or (tx.evse, tx.connector) in self.state.plugged:
                payload["evse"]["connectorId"] = tx.connector
        if with_token and tx.id_token:
            payload["idToken"] = tx.id_token
        tx.seq_no += 1
        await conn.call("TransactionEvent", payload)

    def _require_connection(self) -> Connection:
        if self.connection is None or not self.connection.is_open or not self.booted.is_set():
            raise ActionFailed("reference station", {}, "the reference station is not connected and booted")
        return self.connection
