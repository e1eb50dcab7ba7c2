"""The reference station: Transactions (E01-E03, E06, E07), authorization before or after plug-in, the connector
retention lock (G05)."""

from __future__ import annotations

import base64
import contextlib
import json
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from ...actions.port import ActionFailed
from ...protocol.errors import PeerError
from ...protocol.frames import utc_now
from ...transport.connection import Connection
from .component import Component, Connectors, OfflinePeriod, ScheduledResets, Station, Step, TransactionMessages
from .state import Transaction

if TYPE_CHECKING:
    from ...device_model.model import DeviceModel


class Transactions(Component):
    """One transaction per EVSE (E01.FR.14); owns the ongoing transactions, the authorizations waiting for a cable
    and the state of the retention locks (G05). The transaction counter and the plugged cables live in
    ``station.state`` (they survive a reboot)."""

    offline: "OfflinePeriod"  # set by the core
    reset: "ScheduledResets"
    queue: "TransactionMessages"  # every TransactionEventRequest goes through it (offline queue, retries: tx_queue)

    def __init__(self, station: Station, availability: "Connectors") -> None:
        super().__init__(station)
        self.availability = availability
        self.ongoing: dict[int, Transaction] = {}  # EVSE -> its transaction
        # EVSE -> the idToken authorized to charge there (also before the EV is plugged in, E03)
        self.authorizations: dict[int, dict[str, Any]] = {}
        # G05: connectors whose retention lock will fail (action connector_lock_failure) / has failed
        self.lock_failing: set[tuple[int, int]] = set()
        self.lock_problems: set[tuple[int, int]] = set()
        # estart: EVSEs whose EV does not draw energy (action ev_suspend; before plug-in: "EV not ready")
        self.ev_suspended: set[int] = set()

    def steps(self) -> dict[str, Step]:
        return {"plug_in": lambda evse, connector, params: self._plug_in(evse, connector),
                "unplug": lambda evse, connector, params: self._unplug(evse, connector),
                "present_id_token": lambda evse, connector, params: self._present_id_token(
                    evse, connector, params["id_token"], params.get("type", "ISO14443")),
                "connector_lock_failure": self._lock_will_fail,
                # estart: the parking bay sensor (TxStartPoint ParkingBayOccupancy) and the EV's readiness to draw
                # energy (SuspendedEV, TC_E_38_CS)
                "drive_in": lambda evse, connector, params: self._drive_in(evse, connector),
                "drive_out": lambda evse, connector, params: self._drive_out(evse),
                "ev_suspend": lambda evse, connector, params: self._ev_suspend(evse),
                "ev_resume": lambda evse, connector, params: self._ev_resume(evse)}

    # Part 5 C-09.x: the start points the station is declared with (C-51: TxStartPoint configurable at all).
    START_POINT_FEATURES = {"EVConnected": "C-09.1", "Authorized": "C-09.2", "DataSigned": "C-09.3",
                            "PowerPathClosed": "C-09.4", "EnergyTransfer": "C-09.5", "ParkingBayOccupancy": "C-09.6"}

    def _start_point_allowed(self, key: Any, attribute: str, value: Any) -> str | None:
        """SetVariables of TxStartPoint as the PICS declares the station: ReadOnly without C-51, a value whose C-09.x
        feature it lacks is not supported."""
        if key.component.casefold() != "txctrlr" or key.variable.casefold() != "txstartpoint":
            return None
        if not self.station.supports("C-51"):
            return "ReadOnly"
        points = value if isinstance(value, list) else [value]
        return "ValueNotSupported" if any(not self.station.supports(self.START_POINT_FEATURES.get(p, "?"))
                                          for p in points) else None

    def bind(self, model: "DeviceModel") -> None:
        model.add_validator(self._start_point_allowed)  # estart
        for evse, connectors in self.station.evses:  # G05: the live state of each connector's retention lock
            for connector in connectors:
                model.bind("ConnectorPlugRetentionLock", "Problem",
                           lambda k=(evse, connector): k in self.lock_problems, evse=evse, connector=connector)

    def on_reboot(self) -> None:
        self.ongoing.clear()
        self.authorizations.clear()
        self.lock_failing.clear()
        self.lock_problems.clear()

    def busy_evses(self) -> set[int]:
        return {tx.evse for tx in self.ongoing.values()}

    def in_scope(self, evse: int | None) -> list[Transaction]:
        """The ongoing transactions of the station (None) or of one EVSE."""
        return [tx for tx in self.ongoing.values() if evse is None or tx.evse == evse]

    async def _lock_will_fail(self, evse: int, connector: int, params: dict[str, Any]) -> dict[str, Any]:
        self.lock_failing.add((evse, connector))
        return {}

    # ------------------------------------------------------------------ transaction
    # E01/E06 with the TxStartPoint / TxStopPoint the station supports (EVConnected, Authorized, PowerPathClosed,
    # EnergyTransfer): the transaction starts when the first configured start condition holds and ends when a
    # configured stop condition no longer holds; unplugging always ends it (StopTxOnEVSideDisconnect). One
    # transaction per EVSE (E01.FR.14). An idToken may be presented before the EV is plugged in (E03): the
    # authorization then waits EVConnectionTimeOut for the cable (E03.FR.05). Energy flows once the EV is plugged
    # in and the driver authorized (C01.FR.01).
    def _tx_points(self, name: str) -> set[str]:
        value = self.model.get("TxCtrlr", name) or []
        return {p.strip() for p in (value.split(",") if isinstance(value, str) else value) if p.strip()}

    def _plugged_connector(self, evse: int) -> int | None:
        return next((c for e, c in sorted(self.station.state.plugged) if e == evse), None)

    def _new_transaction(self, evse: int, connector: int, token: dict[str, Any] | None) -> Transaction:
        self.station.state.tx_counter += 1
        tx = Transaction(f"{self.station.identity}-{self.station.state.tx_counter}", evse, connector, id_token=token)
        self.ongoing[evse] = tx
        return tx

    async def _plug_in(self, evse: int, connector: int) -> dict[str, Any]:
        if self.offline.is_offline():  # noted, reported after reconnecting (B04); a transaction may start (E12)
            self.offline.status_change(evse, connector, plugged=True)
        else:
            conn = self._require_connection()
            self.station.state.plugged.add((evse, connector))
            if "plug_in_not_reported" not in self.faults:
                await self.availability.send_status(conn, evse, connector)
        token = self.authorizations.get(evse)
        tx = self.ongoing.get(evse)
        start = self._tx_points("TxStartPoint")
        if tx is not None:  # started before (TxStartPoint ParkingBayOccupancy / Authorized)
            tx.connector = connector
            await self._transaction_event(tx, "Updated", "CablePluggedIn", charging_state="EVConnected", with_evse=True)
        elif self.availability.connector_status(evse, connector) == "Unavailable":
            pass  # an Unavailable connector offers no charging: no transaction starts
        elif "EVConnected" in start:  # E01.FR.02
            tx = self._new_transaction(evse, connector, token)
            await self._transaction_event(tx, "Started", "CablePluggedIn", charging_state=(
                                              "Idle" if "ev_connected_started_idle" in self.faults else "EVConnected"),
                                          with_token=token is not None)
        elif token is not None and self._signs(start):  # E01.FR.04: the meter signs its reading now
            tx = await self._start_signed(evse, connector, token)
        elif token is not None and "PowerPathClosed" in start and await self._locked(evse, connector):  # E01.FR.05
            tx = self._new_transaction(evse, connector, token)
            await self._transaction_event(tx, "Started", "CablePluggedIn", charging_state="EVConnected",
                                          with_token="power_path_closed_no_token" not in self.faults)
        await self._start_charging(evse)
        return {"transaction": tx.transaction_id if tx is not None else None}

    async def _locked(self, evse: int, connector: int) -> bool:
        """Lock the cable retention lock before the power path closes. A failing lock is reported once by
        NotifyEvent ConnectorPlugRetentionLock.Problem true (G05.FR.02) and no charging starts (G05.FR.01)."""
        if (evse, connector) not in self.lock_failing:
            return True
        if (evse, connector) not in self.lock_problems:
            self.lock_problems.add((evse, connector))
            if "lock_failure_not_reported" not in self.faults:
                await self._notify_lock_problem(evse, connector, True)
        return "lock_failure_charges_anyway" in self.faults

    async def _notify_lock_problem(self, evse: int, connector: int, problem: bool) -> None:
        conn = self._require_connection()
        await conn.call("NotifyEvent", {"generatedAt": utc_now(), "seqNo": 0, "eventData": [{
            "eventId": self.station.state.tx_counter * 100 + evse * 10 + connector, "timestamp": utc_now(),
            "trigger": "Delta",
            "actualValue": "true" if problem else "false", "eventNotificationType": "HardWiredNotification",
            "component": {"name": "ConnectorPlugRetentionLock", "evse": {"id": evse, "connectorId": connector}},
            "variable": {"name": "Problem"}}]})

    async def _start_charging(self, evse: int) -> None:
        """Close the power path when the EV is plugged in and the driver authorized (and the EVSE is operative)."""
        token = self.authorizations.get(evse)
        connector = self._plugged_connector(evse)
        tx = self.ongoing.get(evse)
        if token is None or connector is None or (tx is not None and (tx.charging or tx.suspended_ev
                                                                        or tx.stop_authorized)):
            return
        if self.availability.connector_status(evse, connector) == "Unavailable" \
                or not await self._locked(evse, connector):
            return
        # An EV that is not ready (action ev_suspend) draws no energy once the power path is closed: SuspendedEV
        # (E01.FR.19), and with TxStartPoint EnergyTransfer nothing starts (E01.FR.06).
        ev_ready = evse not in self.ev_suspended or "ev_not_ready_reported_charging" in self.faults
        if tx is None:  # TxStartPoint EnergyTransfer (E01.FR.06), or the start point no earlier event reached
            if not ev_ready:
                return
            tx = self._new_transaction(evse, connector, token)
            tx.charging = True
            await self._transaction_event(tx, "Started", "ChargingStateChanged", charging_state="Charging",
                                          with_token=True,
                                          without_connector="energy_transfer_start_without_connector" in self.faults)
            return
        if not ev_ready:
            tx.suspended_ev = True
            await self._transaction_event(tx, "Updated", "ChargingStateChanged", charging_state="SuspendedEV")
            return
        tx.charging = True
        await self._transaction_event(tx, "Updated", "ChargingStateChanged", charging_state="Charging")

    async def _present_id_token(self, evse: int, connector: int, id_token: str, token_type: str) -> dict[str, Any]:
        offline = self.offline.is_offline()  # authorized locally then (offline.authorize_offline), E04/E08/E12
        conn = None if offline else self._require_connection()
        token = {"idToken": id_token, "type": token_type}
        tx = self.ongoing.get(evse)
        pending = self.authorizations.get(evse)
        if pending is not None and pending["idToken"] == id_token:
            if tx is None:  # presented again before the EV was plugged in: the authorization is withdrawn
                self.authorizations.pop(evse, None)
                return {"authorized": False, "withdrawn": True}
            if not tx.stop_authorized:  # the same token ends the authorization, no AuthorizeRequest (C01.FR.03)
                if "stop_token_authorized_again" in self.faults and conn is not None:
                    await conn.call("Authorize", {"idToken": token})
                await self._stop_authorized(tx, token)
                return {"authorized": True, "stopped": tx.transaction_id}
        if tx is None and all(self.availability.connector_status(*k) == "Unavailable"
                              for k in self.availability.connectors((evse,))):
            return {"authorized": False, "status": "the EVSE is Unavailable"}  # no charging is offered there
        if conn is None:
            status = "Accepted" if self.offline.authorize_offline(token) else "Unknown"
        else:
            if self.model.get("AuthCtrlr", "DisableRemoteAuthorization") \
                    and "disable_remote_authorization_ignored" not in self.faults:
                # C01: only the Authorization Cache and the Local Authorization List may decide; the reference station
                # holds neither, so the token is refused without an AuthorizeRequest (TC_E_52_CS)
                return {"authorized": False, "status": "not in the Authorization Cache or Local Authorization List"}
            response = await conn.call("Authorize", {"idToken": token})
            status = response.payload["idTokenInfo"]["status"]
            self.offline.remember(token, response.payload["idTokenInfo"])
        if status != "Accepted":
            return {"authorized": False, "status": status}
        if tx is not None and tx.id_token is not None and not tx.stop_authorized \
                and self.offline.same_group(token, tx.id_token) \
                and not (conn is None and "offline_group_stop_ignored" in self.faults):  # same GroupId (E08.FR.02)
            await self._stop_authorized(tx, token)
            return {"authorized": True, "stopped": tx.transaction_id}
        if pending is not None or (tx is not None and tx.id_token is not None):
            return {"authorized": True, "transaction": None}  # the EVSE is in use by another driver
        self.authorizations[evse] = token
        plugged = self._plugged_connector(evse)
        start = self._tx_points("TxStartPoint")
        if tx is not None:  # started before (TxStartPoint ParkingBayOccupancy / EVConnected)
            tx.id_token = token
            await self._transaction_event(tx, "Updated", "Authorized", charging_state=None, with_token=True)
        elif "Authorized" in start or (plugged is not None and not self._signs(start) and "PowerPathClosed" in start
                                       and await self._locked(evse, plugged)):  # E01.FR.03, E01.FR.05
            tx = self._new_transaction(evse, plugged or connector, token)
            await self._transaction_event(tx, "Started", "Authorized",
                                          charging_state="EVConnected" if plugged is not None else "Idle",
                                          with_token="authorized_start_without_token" not in self.faults)
        elif plugged is not None and self._signs(start):  # E01.FR.04
            tx = await self._start_signed(evse, plugged, token)
        if plugged is None:
            self.station.spawn(self._authorization_timeout(evse, token))
        await self._start_charging(evse)
        tx = self.ongoing.get(evse)
        return {"authorized": True, "transaction": tx.transaction_id if tx is not None else None}

    async def _authorization_timeout(self, evse: int, token: dict[str, Any]) -> None:
        """EVConnectionTimeOut: an authorization without a cable plugged in expires; a transaction it started
        ends (E03.FR.05)."""
        await self.station.sleep(float(self.model.get("TxCtrlr", "EVConnectionTimeOut") or 60))
        if self.authorizations.get(evse) is not token or self._plugged_connector(evse) is not None \
                or "ev_connection_timeout_ignored" in self.faults:
            return
        self.authorizations.pop(evse, None)  # C01.FR.26: the authorization ends
        tx = self.ongoing.get(evse)
        if tx is None:
            return
        stop = self._tx_points("TxStopPoint")
        with contextlib.suppress(ActionFailed, PeerError):
            if "ParkingBayOccupancy" in stop and "Authorized" not in stop:
                # E03.FR.15: deauthorized; the transaction ends when the EV leaves the bay
                tx.id_token = None
                await self._transaction_event(tx, "Updated", "EVConnectTimeout", charging_state=None)
            else:  # E03.FR.05
                await self.end_transaction(tx, "Timeout", "EVConnectTimeout", charging_state="Idle")

    async def _stop_authorized(self, tx: Transaction, token: dict[str, Any]) -> None:
        """E07: the driver ends the authorization; with TxStopPoint Authorized / PowerPathClosed the transaction
        ends now, otherwise the energy transfer stops and the transaction waits for its stop point."""
        tx.stop_authorized = True
        tx.suspended_ev = False
        tx.id_token = token
        self.authorizations.pop(tx.evse, None)
        stop = self._tx_points("TxStopPoint")
        if "stop_point_authorized_ignored" in self.faults:
            stop = stop - {"Authorized"}
        if stop & {"Authorized", "PowerPathClosed"}:
            await self.end_transaction(tx, self._local_stop_reason(), "StopAuthorized", with_token=True)
            return
        await self._transaction_event(tx, "Updated", "StopAuthorized", charging_state=None, with_token=True)
        tx.charging = False
        if "EnergyTransfer" in stop:
            await self.end_transaction(tx, self._local_stop_reason(), "ChargingStateChanged")
        else:
            await self._transaction_event(tx, "Updated", "ChargingStateChanged", charging_state="EVConnected")

    async def _unplug(self, evse: int, connector: int) -> dict[str, Any]:
        offline = self.offline.is_offline()
        if offline and evse not in self.ongoing:  # noted, reported after reconnecting (B04)
            return self.offline.status_change(evse, connector, plugged=False)
        conn = None if offline else self._require_connection()  # offline: the transaction ends all the same (E08)
        if offline:
            self.offline.status_change(evse, connector, plugged=False)
        self.station.state.plugged.discard((evse, connector))
        self.lock_failing.discard((evse, connector))
        self.ev_suspended.discard(evse)  # the EV is gone: the next one plugged in is ready
        if (evse, connector) in self.lock_problems:  # the lock problem is gone with the plug
            self.lock_problems.discard((evse, connector))
            await self._notify_lock_problem(evse, connector, False)
        tx = self.ongoing.get(evse)
        ending = tx if tx is not None and tx.connector == connector else None
        changed: list[tuple[int, int]] = []
        if ending is not None:
            # The scheduled change of availability is made with the end of the transaction, so the unplugged
            # connector is reported Unavailable at once (G01.FR.05).
            changed = self._close_transaction(ending)
        else:
            self.authorizations.pop(evse, None)
        if conn is None:
            pass  # offline: reported after reconnecting (B04)
        elif "unplug_reports_occupied" in self.faults:  # the status read before the cable was released
            await conn.call("StatusNotification", {"timestamp": utc_now(), "connectorStatus": "Occupied",
                                                   "evseId": evse, "connectorId": connector})
        else:
            await self.availability.send_status(conn, evse, connector)
        if ending is not None:
            await self._transaction_event(ending, "Ended", "EVCommunicationLost", charging_state="Idle",
                                          stopped_reason=self._local_stop_reason() if ending.stop_authorized
                                          else "EVDisconnected")
            await self._after_transaction([k for k in changed if k != (evse, connector)])
        return {}

    def _local_stop_reason(self) -> str:
        """stoppedReason of a transaction the driver stopped at the station (E07.FR.04)."""
        return "DeAuthorized" if "local_stop_reported_deauthorized" in self.faults else "Local"

    def _close_transaction(self, tx: Transaction) -> list[tuple[int, int]]:
        """Forget an ended transaction; the availability changes scheduled for it are made (their connectors
        returned, to be reported)."""
        self.ongoing.pop(tx.evse, None)
        self.authorizations.pop(tx.evse, None)
        tx.charging = False
        # A change of availability answered Scheduled happens now (G03.FR.05, G04.FR.06); an EV still
        # plugged in or unplugged later leaves the connector Unavailable (G01.FR.05).
        return self.availability.apply_scheduled()

    async def _after_transaction(self, changed: list[tuple[int, int]]) -> None:
        if changed and self.station.connection is not None:
            await self.availability.report_changes(self.station.connection, changed)
        self.reset.if_due()  # a reset answered Scheduled (B12.FR.01) may be due now

    async def end_transaction(self, tx: Transaction, stopped_reason: str, trigger: str, *,
                              charging_state: str | None = "EVConnected", with_token: bool = False) -> None:
        changed = self._close_transaction(tx)
        await self._transaction_event(tx, "Ended", trigger, charging_state=charging_state,
                                      stopped_reason=stopped_reason, with_token=with_token)
        await self._after_transaction(changed)

    async def _transaction_event(self, tx: Transaction, event_type: str, trigger: str, *, charging_state: str | None,
                                 stopped_reason: str | None = None, with_token: bool = False,
                                 with_evse: bool = False, meter_values: list[dict[str, Any]] | None = None,
                                 without_connector: bool = False) -> None:
        """One TransactionEventRequest; chargingState None: unchanged, omitted. The EVSE is named in the first
        event and when the EV gets connected (E01.FR.16), with the connector once one is plugged in
        (``without_connector``: a fault leaves it out). ``meter_values``: meterValue entries of this event (the
        signed Transaction.Begin reading of a DataSigned start). Sent through the queue (tx_queue): while offline it
        waits there and goes out with ``offline`` true (E11/E12)."""
        info: dict[str, Any] = {"transactionId": tx.transaction_id}
        if charging_state is not None:
            info["chargingState"] = charging_state
        if stopped_reason:
            info["stoppedReason"] = stopped_reason
        payload: dict[str, Any] = {"eventType": event_type, "timestamp": utc_now(), "triggerReason": trigger,
                                   "seqNo": tx.seq_no, "transactionInfo": info}
        if tx.seq_no == 0 or with_evse:
            payload["evse"] = {"id": tx.evse}
            if (with_evse or (tx.evse, tx.connector) in self.station.state.plugged) and not without_connector:
                payload["evse"]["connectorId"] = tx.connector
        if with_token and tx.id_token:
            payload["idToken"] = tx.id_token
        if meter_values:
            payload.setdefault("meterValue", []).extend(meter_values)
        tx.seq_no += 1
        await self.queue.send(payload)

    # ------------------------------------------------------------------ estart: start points without a cable
    # ParkingBayOccupancy (E01.FR.01: the bay sensor, actions drive_in / drive_out), DataSigned (E01.FR.04: the meter
    # signs its Transaction.Begin reading when SampledDataCtrlr.SignReadings is true) and the EV's readiness
    # (action ev_suspend before or while charging: SuspendedEV, E01.FR.19; ev_resume).
    async def _drive_in(self, evse: int, connector: int) -> dict[str, Any]:
        self.station.state.parked.add(evse)
        if evse in self.ongoing or "ParkingBayOccupancy" not in self._tx_points("TxStartPoint") \
                or all(self.availability.connector_status(*k) == "Unavailable"
                       for k in self.availability.connectors((evse,))):
            return {"transaction": None}
        self._require_connection()
        tx = self._new_transaction(evse, connector, None)
        trigger = "CablePluggedIn" if "parking_bay_start_reported_as_cable" in self.faults else "EVDetected"
        await self._transaction_event(tx, "Started", trigger, charging_state="Idle")
        return {"transaction": tx.transaction_id}

    async def _drive_out(self, evse: int) -> dict[str, Any]:
        """The EV leaves the bay: with TxStopPoint ParkingBayOccupancy its transaction ends (E06)."""
        self.station.state.parked.discard(evse)
        tx = self.ongoing.get(evse)
        if tx is None or self._plugged_connector(evse) is not None:
            return {}
        if "ParkingBayOccupancy" in self._tx_points("TxStopPoint"):
            await self.end_transaction(tx, self._local_stop_reason() if tx.stop_authorized else "EVDisconnected",
                                       "EVDeparted", charging_state="Idle")
        elif tx.id_token is None and not tx.stop_authorized:  # started by the bay sensor and never used: nothing
            await self.end_transaction(tx, "Other", "EVDeparted", charging_state="Idle")  # else could end it
        return {}

    async def _ev_suspend(self, evse: int) -> dict[str, Any]:
        self.ev_suspended.add(evse)
        tx = self.ongoing.get(evse)
        if tx is not None and tx.charging and "ev_not_ready_reported_charging" not in self.faults:
            tx.charging = False
            tx.suspended_ev = True
            await self._transaction_event(tx, "Updated", "ChargingStateChanged", charging_state="SuspendedEV")
        return {}

    async def _ev_resume(self, evse: int) -> dict[str, Any]:
        self.ev_suspended.discard(evse)
        tx = self.ongoing.get(evse)
        if tx is not None:
            tx.suspended_ev = False
        await self._start_charging(evse)
        return {}

    def _signs(self, start: set[str]) -> bool:
        """TxStartPoint DataSigned is reached once the EV is connected and authorized, if the meter signs
        (SampledDataCtrlr.SignReadings true, E01.FR.04)."""
        return "DataSigned" in start and bool(self.model.get("SampledDataCtrlr", "SignReadings"))

    async def _start_signed(self, evse: int, connector: int, token: dict[str, Any]) -> Transaction:
        tx = self._new_transaction(evse, connector, token)
        await self._transaction_event(tx, "Started", "SignedDataReceived", charging_state="EVConnected",
                                      with_token=True, meter_values=[self._signed_reading(tx, "Transaction.Begin")])
        return tx

    def _signed_reading(self, tx: Transaction, context: str) -> dict[str, Any]:
        """A meterValue with the energy register, signed by the meter's own key (ECDSA P-256 over the reading as
        canonical JSON): signedMeterData carries the reading and the signature, publicKey the key (E02.FR.14)."""
        state = self.station.state
        if state.meter_key is None:
            state.meter_key = ec.generate_private_key(ec.SECP256R1())
        now = utc_now()
        value = 0.0  # the register of the simulated meter (the meter values area reports its readings)
        reading = {"evse": tx.evse, "transactionId": tx.transaction_id, "timestamp": now, "context": context,
                   "measurand": "Energy.Active.Import.Register", "value": value, "unit": "Wh"}
        data = json.dumps(reading, sort_keys=True, separators=(",", ":")).encode()
        signature = state.meter_key.sign(data, ec.ECDSA(hashes.SHA256()))
        public = state.meter_key.public_key().public_bytes(serialization.Encoding.DER,
                                                           serialization.PublicFormat.SubjectPublicKeyInfo)
        sampled: dict[str, Any] = {"value": value, "context": context, "measurand": "Energy.Active.Import.Register"}
        if "data_signed_start_unsigned" not in self.faults:
            sampled["signedMeterValue"] = {
                "signedMeterData": base64.b64encode(json.dumps({
                    "reading": reading, "signature": base64.b64encode(signature).decode()}).encode()).decode(),
                "signingMethod": "ECDSA-secp256r1-SHA256", "encodingMethod": "OCPP-Conformance-JSON",
                "publicKey": base64.b64encode(public).decode()}
        return {"timestamp": now, "sampledValue": [sampled]}

    def _require_connection(self) -> Connection:
        conn = self.station.connection
        if conn is None or not conn.is_open or not self.station.boot.booted.is_set():
            raise ActionFailed("reference station", {}, "the reference station is not connected and booted")
        return conn
