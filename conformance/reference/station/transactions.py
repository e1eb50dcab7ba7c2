"""The reference station: Transactions (E01-E03, E06, E07), authorization before or after plug-in, the connector
retention lock (G05)."""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Any


from ...actions.port import ActionFailed
from ...protocol.errors import PeerError
from ...protocol.frames import utc_now
from ...transport.connection import Connection
from .component import (Authorizer, Component, Connectors, MeterReadings, OfflinePeriod, ScheduledResets, Station,
                        Step, TransactionMessages)
from .state import Transaction

if TYPE_CHECKING:
    from ...device_model.model import DeviceModel


# Part 5 C-09.x / C-10.x: the start / stop points the station is declared with (C-51 / C-52: configurable at all).
# Module constants, not class attributes: no mutable state shared between stations.
START_POINT_FEATURES = {"EVConnected": "C-09.1", "Authorized": "C-09.2", "DataSigned": "C-09.3",
                        "PowerPathClosed": "C-09.4", "EnergyTransfer": "C-09.5", "ParkingBayOccupancy": "C-09.6"}
STOP_POINT_FEATURES = {"EVConnected": "C-10.1", "Authorized": "C-10.2", "PowerPathClosed": "C-10.3",
                       "EnergyTransfer": "C-10.4", "ParkingBayOccupancy": "C-10.5"}


class Transactions(Component):
    """One transaction per EVSE (E01.FR.14); owns the ongoing transactions, the authorizations waiting for a cable
    and the state of the retention locks (G05). The transaction counter and the plugged cables live in
    ``station.state`` (they survive a reboot)."""

    offline: "OfflinePeriod"  # set by the core
    authorization: "Authorizer"  # set by the core: who may charge (blocks C, D)
    reset: "ScheduledResets"
    queue: "TransactionMessages"  # every TransactionEventRequest goes through it (offline queue, retries: tx_queue)
    meter_values: "MeterReadings"  # set by the core (J: the meterValue of each event)

    def __init__(self, station: Station, availability: "Connectors") -> None:
        super().__init__(station)
        self.availability = availability
        self.ongoing: dict[int, Transaction] = {}  # EVSE -> its transaction
        # EVSE -> the idToken authorized to charge there (also before the EV is plugged in, E03)
        self.authorizations: dict[int, dict[str, Any]] = {}
        # G05: connectors whose retention lock will fail (action connector_lock_failure) / has failed
        self.lock_failing: set[tuple[int, int]] = set()
        self.lock_problems: set[tuple[int, int]] = set()
        # F01/F02 (remote_control.py): EVSE -> the remoteStartId of an accepted RequestStartTransaction, put in the
        # next TransactionEventRequest of that EVSE with triggerReason RemoteStart (F01.FR.19/25, F02.FR.01/21)
        self.remote_start_ids: dict[int, int] = {}
        # EV-side disconnects (E09/E10): connectors whose cable was pulled at the EV (still in the socket, or a fixed
        # cable), and those whose cable stays locked in the socket until the driver presents the idToken
        # (connector -> that idToken; E09.FR.03, E10.FR.01)
        self.ev_unplugged: set[tuple[int, int]] = set()
        self.cable_locked: dict[tuple[int, int], dict[str, Any] | None] = {}
        # estart: EVSEs whose EV does not draw energy (action ev_suspend; before plug-in: "EV not ready")
        self.ev_suspended: set[int] = set()

    def steps(self) -> dict[str, Step]:
        return {"plug_in": lambda evse, connector, params: self._plug_in(evse, connector),
                "unplug": lambda evse, connector, params: self._unplug_end(evse, connector, params.get("side")),
                "ev_stop_session": lambda evse, connector, params: self._ev_stops_session(evse),
                "present_id_token": lambda evse, connector, params: self._present_id_token(
                    evse, connector, params["id_token"], params.get("type", "ISO14443")),
                "connector_lock_failure": self._lock_will_fail,
                # estart: the parking bay sensor (TxStartPoint ParkingBayOccupancy) and the EV's readiness to draw
                # energy (SuspendedEV, TC_E_38_CS)
                "drive_in": lambda evse, connector, params: self._drive_in(evse, connector),
                "drive_out": lambda evse, connector, params: self._drive_out(evse),
                "ev_suspend": lambda evse, connector, params: self._ev_suspend(evse),
                "ev_resume": lambda evse, connector, params: self._ev_resume(evse)}

    def _start_point_allowed(self, key: Any, attribute: str, value: Any) -> str | None:
        """SetVariables of TxStartPoint as the PICS declares the station: ReadOnly without C-51, a value whose C-09.x
        feature it lacks is not supported."""
        if key.component.casefold() != "txctrlr" or key.variable.casefold() != "txstartpoint":
            return None
        if not self.station.supports("C-51"):
            return "ReadOnly"
        points = value if isinstance(value, list) else [value]
        return "ValueNotSupported" if any(not self.station.supports(START_POINT_FEATURES.get(p, "?"))
                                          for p in points) else None

    def _stop_point_allowed(self, key: Any, attribute: str, value: Any) -> str | None:
        """SetVariables of TxStopPoint as the PICS declares the station: ReadOnly without C-52, a value whose C-10.x
        feature it lacks is not supported."""
        if key.component.casefold() != "txctrlr" or key.variable.casefold() != "txstoppoint":
            return None
        if not self.station.supports("C-52"):
            return "ReadOnly"
        points = value if isinstance(value, list) else [value]
        return "ValueNotSupported" if any(not self.station.supports(STOP_POINT_FEATURES.get(p, "?"))
                                          for p in points) else None

    def bind(self, model: "DeviceModel") -> None:
        model.add_validator(self._start_point_allowed)  # estart
        model.add_validator(self._stop_point_allowed)  # estop
        for evse, connectors in self.station.evses:  # G05: the live state of each connector's retention lock
            for connector in connectors:
                model.bind("ConnectorPlugRetentionLock", "Problem",
                           lambda k=(evse, connector): k in self.lock_problems, evse=evse, connector=connector)

    def on_reboot(self) -> None:
        self.ongoing.clear()
        self.authorizations.clear()
        self.lock_failing.clear()
        self.lock_problems.clear()
        self.remote_start_ids.clear()
        self.ev_unplugged.clear()
        self.cable_locked.clear()

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
        return next((c for e, c in sorted(self.station.state.plugged) if e == evse
                     and (e, c) not in self.ev_unplugged), None)

    def _new_transaction(self, evse: int, connector: int, token: dict[str, Any] | None) -> Transaction:
        self.station.state.tx_counter += 1
        tx = Transaction(f"{self.station.identity}-{self.station.state.tx_counter}", evse, connector, id_token=token)
        self.ongoing[evse] = tx
        return tx

    async def _plug_in(self, evse: int, connector: int) -> dict[str, Any]:
        if (evse, connector) in self.ev_unplugged:
            tx = self.ongoing.get(evse)
            if tx is not None and tx.connector == connector:  # plugged back in at the EV during the transaction (E10)
                return await self._ev_side_reconnect(evse, connector)
            self.ev_unplugged.discard((evse, connector))  # a new session: what is left of the cable is taken away
            self.cable_locked.pop((evse, connector), None)
            self.station.state.plugged.discard((evse, connector))
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
        if token is None or connector is None or (tx is not None and (
                tx.charging or tx.stop_authorized or tx.suspended_ev or tx.deauthorized)):
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
        if (unlocked := self._unlock_for(evse, token)) is not None:
            return unlocked
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
        offline = conn is None
        if offline:  # offline: the Authorization Cache decides (LocalAuthorizeOffline, offline.py)
            info = {"status": "Accepted" if self.offline.authorize_offline(token) else "Unknown"}
        else:
            if self.model.get("AuthCtrlr", "DisableRemoteAuthorization") \
                    and "disable_remote_authorization_ignored" not in self.faults:
                # C01: only the Authorization Cache and the Local Authorization List may decide; the reference
                # station holds neither, so the token is refused without an AuthorizeRequest (TC_E_52_CS)
                return {"authorized": False, "status": "not in the Authorization Cache or Local Authorization List"}
            if "transaction_started_before_authorization" in self.faults and pending is None \
                    and (tx is None or tx.id_token is None):
                await self.authorized(evse, connector, token)  # (cauth) optimistic: the CSMS's answer comes later
            info = await self.authorization.authorize(conn, token, evse=evse)
        if self.authorization.master_pass(info):  # C16: stops transactions, never starts one (cauth)
            return await self.authorization.master_pass_presented(evse, token)
        if tx is not None and tx.id_token is not None and not tx.stop_authorized:
            if offline:  # same GroupId as the cached token that started it (E08.FR.02)
                ends = self.authorization.accepts(info) and self.offline.same_group(token, tx.id_token) \
                    and "offline_group_stop_ignored" not in self.faults
            else:  # C01.FR.03 (b), C09.FR.03: same GroupIdToken (cauth)
                ends = self.authorization.ends_authorization(tx.id_token, token, info)
            if ends:
                await self._stop_authorized(tx, token)
                return {"authorized": True, "stopped": tx.transaction_id}
        if not self.authorization.accepts(info):
            if "start_point_authorized_on_any_answer" in self.faults and pending is None and tx is None \
                    and "Authorized" in self._tx_points("TxStartPoint"):
                await self.authorized(evse, connector, token)  # (cauth) TxStartPoint Authorized = answered
            return {"authorized": False, "status": info.get("status")}
        if pending is not None or (tx is not None and tx.id_token is not None):
            return {"authorized": True, "transaction": None}  # the EVSE is in use by another driver
        tx = await self.authorized(evse, connector, token)
        return {"authorized": True, "transaction": tx.transaction_id if tx is not None else None}

    async def authorized(self, evse: int, connector: int, token: dict[str, Any], *,
                         connection_timeout: bool = True) -> Transaction | None:
        """The driver's idToken is authorized for ``evse`` (presented locally, or a remote start, F01/F02): the
        transaction starts or is updated as TxStartPoint says, the authorization waits EVConnectionTimeOut for a
        cable (E03.FR.05), energy flows when the EV is plugged in. Returns the EVSE's transaction, if any."""
        tx = self.ongoing.get(evse)
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
        if plugged is None:  # the plug-in starts the charging (a remote start's task must not race it)
            if connection_timeout:
                self.station.spawn(self._authorization_timeout(evse, token))
        else:
            await self._start_charging(evse)
        return self.ongoing.get(evse)

    async def _authorization_timeout(self, evse: int, token: dict[str, Any]) -> None:
        """EVConnectionTimeOut: an authorization without a cable plugged in expires; a transaction it started
        ends (E03.FR.05)."""
        await self.station.sleep(float(self.model.get("TxCtrlr", "EVConnectionTimeOut") or 60))
        if self.authorizations.get(evse) is not token or self._plugged_connector(evse) is not None \
                or any(e == evse for e, _ in self.ev_unplugged) \
                or "ev_connection_timeout_ignored" in self.faults:
            return  # (an EV that was connected and pulled at its side: E10's timeout, not this one)
        self.authorizations.pop(evse, None)  # C01.FR.26: the authorization ends
        self.remote_start_ids.pop(evse, None)
        tx = self.ongoing.get(evse)
        if tx is None:
            return
        stop = self._tx_points("TxStopPoint")
        with contextlib.suppress(ActionFailed, PeerError):
            if "ParkingBayOccupancy" in stop and "Authorized" not in stop:
                # E03.FR.15: deauthorized; the transaction ends when the EV leaves the bay
                tx.id_token = None
                await self._transaction_event(tx, "Updated", "EVConnectTimeout", charging_state=None)
            else:  # E03.FR.05; TriggerReasonEnumType spells it EVConnectTimeout (F02.FR.07: EVConnectionTimeout)
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
        if "stop_point_power_path_closed_ignored" in self.faults:
            stop = stop - {"PowerPathClosed"}
        if "stop_point_energy_transfer_ignored" in self.faults:
            stop = stop - {"EnergyTransfer"}
        local = self._local_stop_reason()
        if stop & {"Authorized", "PowerPathClosed"}:
            await self.end_transaction(tx, local, "StopAuthorized", with_token=True)
            return
        await self._transaction_event(tx, "Updated", "StopAuthorized", charging_state=None, with_token=True)
        tx.charging = False
        if "EnergyTransfer" in stop:
            await self.end_transaction(tx, local, "ChargingStateChanged")
        elif (tx.evse, tx.connector) in self.station.state.plugged:  # no EV plugged in: the state stays Idle
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
        going_on = ending if ending is not None and self._ends_only_in_the_bay() else None
        if going_on is not None:
            ending = None
        changed: list[tuple[int, int]] = []
        if going_on is not None:  # the EV is still in the bay: the transaction goes on without energy (E06.FR.01)
            going_on.charging = False
            self.authorizations.pop(evse, None)
        elif ending is not None:
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
            reason = ending.stopped_reason or (
                self._local_stop_reason() if ending.stop_authorized else "EVDisconnected")
            if "unplug_reported_stopped_by_ev" in self.faults:
                reason = "StoppedByEV"
            await self._transaction_event(ending, "Ended", "EVCommunicationLost", charging_state="Idle",
                                          stopped_reason=reason)
            await self._after_transaction([k for k in changed if k != (evse, connector)])
        if going_on is not None:
            await self._transaction_event(going_on, "Updated", "EVCommunicationLost", charging_state="Idle")
        return {}

    def _ends_only_in_the_bay(self) -> bool:
        """TxStopPoint ParkingBayOccupancy without a stop point the unplugged cable reaches (E06.FR.01: the
        transaction ends when the EV leaves the bay)."""
        stop = self._tx_points("TxStopPoint")
        return "ParkingBayOccupancy" in stop and not stop - {"ParkingBayOccupancy", "DataSigned"} \
            and "stop_point_parking_bay_ignored" not in self.faults

    # ------------------------------------------------------------------ stop points, EV side (helper estop)
    # E06 stop points beyond the driver's stop: the EV suspends the energy transfer (SuspendedEV; TxStopPoint
    # EnergyTransfer ends the transaction, E06.FR.07), the cable is pulled at the EV (E09 with
    # StopTxOnEVSideDisconnect true: the authorization ends, E09.FR.01; E10 with false: the transaction is
    # suspended, a fixed cable not plugged back in within EVConnectionTimeOut deauthorizes it, E10.FR.02). A
    # detachable cable pulled at the EV stays in the socket (the connector stays Occupied) and locked until the
    # driver presents the idToken (E09.FR.03, E10.FR.01) unless UnlockOnEVSideDisconnect lets it go (E09.FR.02);
    # a fixed cable leaves the connector Available.
    def _fixed_cable(self) -> bool:
        """A permanently attached cable (PICS HFS-2 without HFS-1)."""
        features = self.station.features
        return features is not None and "HFS-2" in features and "HFS-1" not in features

    def _flag(self, component: str, variable: str) -> bool:
        return str(self.model.get(component, variable)).lower() == "true"

    async def _unplug_end(self, evse: int, connector: int, side: str | None) -> dict[str, Any]:
        """The action ``unplug``: at the EV (``side`` "ev"), at the socket ("station") or the whole cable (absent)."""
        key = (evse, connector)
        if side == "ev" and key not in self.ev_unplugged:
            if key not in self.station.state.plugged:
                raise ActionFailed("unplug", {"evse": evse, "side": side}, "no cable is plugged in at that connector")
            return await self._ev_side_disconnect(evse, connector)
        if key in self.ev_unplugged and side != "ev":  # what is left: the cable in the socket
            return await self._remove_cable(evse, connector)
        return await self._unplug(evse, connector)

    async def _ev_side_disconnect(self, evse: int, connector: int) -> dict[str, Any]:
        conn = self._require_connection()
        key = (evse, connector)
        self.ev_unplugged.add(key)
        fixed = self._fixed_cable()
        stop_tx = self._flag("TxCtrlr", "StopTxOnEVSideDisconnect")
        tx = self.ongoing.get(evse)
        tx = tx if tx is not None and tx.connector == connector else None
        if not fixed and not (stop_tx and self._flag("OCPPCommCtrlr", "UnlockOnEVSideDisconnect")):
            self.cable_locked[key] = tx.id_token if tx is not None else self.authorizations.get(evse)
        result: dict[str, Any] = {"transaction": tx.transaction_id if tx is not None else None}
        if tx is not None and "ev_side_disconnect_not_reported" in self.faults:
            tx.charging = False  # the energy transfer stops, but only the socket's contact is watched
        elif tx is not None:
            tx.charging = False
            stop = self._tx_points("TxStopPoint")
            # The connection to the EV is lost (E06.FR.02, E06.FR.06); the energy transfer stops (E06.FR.07); the
            # authorization ends (E09.FR.01) with TxStopPoint Authorized (E06.FR.03).
            if stop & {"EVConnected", "PowerPathClosed", "EnergyTransfer"} or (stop_tx and "Authorized" in stop):
                reason = "Local" if "ev_side_disconnect_reported_local" in self.faults else "EVDisconnected"
                changed = self._close_transaction(tx)
                await self._transaction_event(tx, "Ended", "EVCommunicationLost", charging_state="Idle",
                                              stopped_reason=reason)
                await self._after_transaction(changed)
            else:
                await self._transaction_event(tx, "Updated", "EVCommunicationLost", charging_state="Idle")
                if stop_tx:
                    tx.deauthorized = True
                    self.authorizations.pop(evse, None)
                elif fixed:
                    self.station.spawn(self._ev_reconnect_timeout(evse, connector, tx))
        if fixed:  # nothing is plugged in at the station any more
            self.station.state.plugged.discard(key)
            await self.availability.send_status(conn, evse, connector)
        return result

    async def _ev_side_reconnect(self, evse: int, connector: int) -> dict[str, Any]:
        conn = self._require_connection()
        key = (evse, connector)
        self.ev_unplugged.discard(key)
        if key not in self.station.state.plugged:  # a fixed cable: the connector is in use again
            self.station.state.plugged.add(key)
            await self.availability.send_status(conn, evse, connector)
        tx = self.ongoing.get(evse)
        if tx is not None and tx.connector == connector:
            self.cable_locked.pop(key, None)
            tx.suspended_ev = False
            self.ev_suspended.discard(evse)  # the EV plugged back in draws energy again
            await self._transaction_event(tx, "Updated", "CablePluggedIn", charging_state="EVConnected")
            if not tx.deauthorized and "ev_side_reconnect_not_resumed" not in self.faults:
                await self._start_charging(evse)
        return {"transaction": tx.transaction_id if tx is not None else None}

    async def _remove_cable(self, evse: int, connector: int) -> dict[str, Any]:
        """The cable pulled at the EV is taken out of the socket: refused while it is locked."""
        key = (evse, connector)
        if key in self.cable_locked:
            raise ActionFailed("unplug", {"evse": evse, "connector": connector},
                               "the cable is locked in the station's socket until the idToken is presented "
                               "(E09.FR.03, E10.FR.01)")
        self.ev_unplugged.discard(key)
        return await self._unplug(evse, connector)

    def _unlock_for(self, evse: int, token: dict[str, Any]) -> dict[str, Any] | None:
        """The driver presents the idToken to release a cable locked after an EV-side disconnect whose transaction
        no longer holds the authorization; None when no such cable waits for this token (the usual handling)."""
        for key, holder in list(self.cable_locked.items()):
            if key[0] != evse or (holder is not None and holder.get("idToken") != token["idToken"]):
                continue
            del self.cable_locked[key]
            tx = self.ongoing.get(evse)
            if tx is None or tx.deauthorized:
                return {"unlocked": list(key)}
        return None  # a transaction that still holds the authorization: presenting the token stops it too (E10)

    async def _ev_reconnect_timeout(self, evse: int, connector: int, tx: Transaction) -> None:
        """E10.FR.02: a fixed cable not plugged back in at the EV within EVConnectionTimeOut deauthorizes the
        transaction, which ends with TxStopPoint Authorized."""
        if "fixed_cable_never_times_out" in self.faults:
            return
        await self.station.sleep(float(self.model.get("TxCtrlr", "EVConnectionTimeOut") or 60))
        if (evse, connector) not in self.ev_unplugged or self.ongoing.get(evse) is not tx or tx.deauthorized:
            return
        tx.deauthorized = True
        self.authorizations.pop(evse, None)
        with contextlib.suppress(ActionFailed, PeerError):
            if "Authorized" in self._tx_points("TxStopPoint"):
                await self.end_transaction(tx, "Timeout", "EVConnectTimeout", charging_state="Idle")
            else:
                await self._transaction_event(tx, "Updated", "EVConnectTimeout", charging_state="Idle")

    async def _ev_stops_session(self, evse: int) -> dict[str, Any]:
        """ISO 15118 SessionStopReq(Terminate) from the EV (E15): the EV ends the authorization, reported once with
        triggerReason StopAuthorized; with TxStopPoint Authorized, PowerPathClosed or EnergyTransfer the transaction
        ends with stoppedReason StoppedByEV (E15.FR.04), otherwise it is Updated (E15.FR.05). The EV stays
        connected."""
        tx = self.ongoing.get(evse)
        if tx is None:
            raise ActionFailed("ev_stop_session", {"evse": evse}, "no transaction on that EVSE")
        if tx.stop_authorized or tx.deauthorized:
            return {"transaction": tx.transaction_id}  # StopAuthorized was sent already (E15.FR.04/05)
        tx.deauthorized = True
        tx.charging = False
        self.authorizations.pop(evse, None)
        if self._tx_points("TxStopPoint") & {"Authorized", "PowerPathClosed", "EnergyTransfer"}:
            reason = "Local" if "session_stop_reported_local" in self.faults else "StoppedByEV"
            await self.end_transaction(tx, reason, "StopAuthorized", charging_state="EVConnected")
        else:
            await self._transaction_event(tx, "Updated", "StopAuthorized", charging_state="EVConnected")
        return {"transaction": tx.transaction_id}

    # ------------------------------------------------------------------ idToken not accepted (helper estop)
    def id_token_info_answered(self, request: dict[str, Any], answer: dict[str, Any]) -> None:
        """The CSMS's TransactionEventResponse to a request that carried the idToken (E05.FR.01; also a queued one,
        answered after the reconnection): an idTokenInfo status other than Accepted while the transaction goes on
        stops the energy transfer; the reaction (E05.FR.02/09/10, E06.FR.04) is sent as the station's own next
        message."""
        if "idToken" in request and "idTokenInfo" in answer:  # ccache: the cache keeps it (C10.FR.05, C12.FR.06)
            self.authorization.learned(request["idToken"], answer["idTokenInfo"])
            if request.get("offline") and "offline_token_info_ignored" in self.faults:
                return  # (ccache fault) the answer to a queued event is taken as a mere acknowledgement
        status = (answer.get("idTokenInfo") or {}).get("status", "Accepted")
        tid = request.get("transactionInfo", {}).get("transactionId")
        tx = next((t for t in self.ongoing.values() if t.transaction_id == tid), None)
        if "idToken" not in request or status == "Accepted" or request.get("eventType") == "Ended" \
                or tx is None or tx.deauthorized or tx.stop_authorized:
            return
        if "invalid_id_token_ignored" in self.faults and request.get("offline"):  # e16: a fault (faults/e.py)
            return
        tx.deauthorized = True
        self.authorizations.pop(tx.evse, None)
        limit = self._max_energy_on_invalid_id()
        stop_tx = self._flag("TxCtrlr", "StopTxOnInvalidId") and "max_energy_overrides_stop_tx_on_invalid_id" \
            not in self.faults
        if limit and not stop_tx and tx.charging \
                and "max_energy_on_invalid_id_ignored" not in self.faults:  # cmax: a fault (faults/c.py)
            self.station.spawn(self._charge_up_to(tx, limit))  # E05.FR.03: energy up to MaxEnergyOnInvalidId
            return
        tx.charging = False  # no energy from now on (E05.FR.02 / E05.FR.09)
        self.station.spawn(self._deauthorize(tx))

    # cmax: MaxEnergyOnInvalidId (Part 2 §2.6 TxCtrlr, E05.FR.02/03)
    def _max_energy_on_invalid_id(self) -> float:
        """TxCtrlr.MaxEnergyOnInvalidId in Wh; 0 when not set."""
        try:
            return max(0.0, float(self.model.get("TxCtrlr", "MaxEnergyOnInvalidId") or 0))
        except (TypeError, ValueError):
            return 0.0

    def _energy_register(self, evse: int) -> float:
        return float(self.meter_values.reading(evse, ["Energy.Active.Import.Register"], "Sample.Periodic")[0]
                     ["sampledValue"][0]["value"])

    async def _charge_up_to(self, tx: Transaction, limit: float) -> None:
        """E05.FR.03: after a not-Accepted idTokenInfo with StopTxOnInvalidId false the energy transfer goes on until
        MaxEnergyOnInvalidId Wh were delivered since the deauthorization; then E05.FR.02 (energy stops, SuspendedEVSE)."""
        start = self._energy_register(tx.evse)
        while self.ongoing.get(tx.evse) is tx and tx.charging:
            if self._energy_register(tx.evse) - start >= limit:
                tx.charging = False
                await self._deauthorize(tx)
                return
            await asyncio.sleep(1.0)  # the simulated meter's resolution

    async def _deauthorize(self, tx: Transaction) -> None:
        if self.ongoing.get(tx.evse) is not tx:
            return
        stop = self._tx_points("TxStopPoint")
        plugged = (tx.evse, tx.connector) in self.station.state.plugged and (tx.evse, tx.connector) \
            not in self.ev_unplugged
        with contextlib.suppress(ActionFailed, PeerError):
            if self._flag("TxCtrlr", "StopTxOnInvalidId"):
                state = "EVConnected" if plugged else None  # E05.FR.09: preferably EVConnected
                if stop & {"Authorized", "PowerPathClosed", "EnergyTransfer"}:  # E05.FR.10, E06.FR.04
                    await self.end_transaction(tx, "DeAuthorized", "Deauthorized", charging_state=state)
                else:
                    await self._transaction_event(tx, "Updated", "Deauthorized", charging_state=state)
            elif "EnergyTransfer" in stop:  # the energy transfer stops, so does the transaction (E06.FR.07)
                await self.end_transaction(tx, "DeAuthorized", "ChargingStateChanged", charging_state="SuspendedEVSE")
            else:  # E05.FR.02
                await self._transaction_event(tx, "Updated", "ChargingStateChanged", charging_state="SuspendedEVSE")

    def _local_stop_reason(self) -> str:
        """stoppedReason of a transaction the driver stopped at the station (E07.FR.04)."""
        if "local_stop_reported_remote" in self.faults:  # estop: the reason of the remote stop path
            return "Remote"
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
        if charging_state == "EVConnected" and self._plugged_connector(tx.evse) is None:
            charging_state = "Idle"  # ended before any EV was connected (ChargingStateEnumType: Idle, no connection)
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
        signed Transaction.Begin reading of a DataSigned start, the meter values of a triggered event). After an
        accepted remote start the next event of its EVSE has triggerReason RemoteStart and the remoteStartId. Sent
        through the queue (tx_queue): while offline it waits there and goes out with ``offline`` true (E11/E12); the
        queue hands the CSMS's answer to :meth:`id_token_info_answered`."""
        info: dict[str, Any] = {"transactionId": tx.transaction_id}
        if charging_state is not None:
            info["chargingState"] = charging_state
        if stopped_reason:
            info["stoppedReason"] = stopped_reason
        remote_start_id = self.remote_start_ids.pop(tx.evse, None)
        if remote_start_id is not None:  # F01.FR.19, F01.FR.25, F02.FR.01, F02.FR.21
            if "remote_start_trigger_authorized" not in self.faults:
                trigger = "RemoteStart"
            if "remote_start_id_missing" not in self.faults:
                info["remoteStartId"] = remote_start_id
        payload: dict[str, Any] = {"eventType": event_type, "timestamp": utc_now(), "triggerReason": trigger,
                                   "seqNo": tx.seq_no, "transactionInfo": info}
        if tx.seq_no == 0 or with_evse:
            payload["evse"] = {"id": tx.evse}
            if (with_evse or (tx.evse, tx.connector) in self.station.state.plugged) and not without_connector:
                payload["evse"]["connectorId"] = tx.connector
        if with_token and tx.id_token:
            payload["idToken"] = tx.id_token
        if meter := self.meter_values.meter_value(tx, event_type, trigger):  # J01/J02, E01.FR.09, E06.FR.11
            payload["meterValue"] = meter
        if meter_values:
            payload.setdefault("meterValue", []).extend(meter_values)
        tx.seq_no += 1
        await self.queue.send(payload)

    async def meter_value_event(self, tx: Transaction, trigger: str) -> None:
        """A TransactionEvent Updated that carries meter values (triggerReason MeterValuePeriodic, J02.FR.11, or
        MeterValueClock, J01.FR.22); the meter values area has them ready for :meth:`_transaction_event`."""
        await self._transaction_event(tx, "Updated", trigger, charging_state=None)

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
        if not self.offline.is_offline():  # offline the Started event waits in the queue (E12; coffline)
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
            await self.end_transaction(tx, tx.stopped_reason or (
                self._local_stop_reason() if tx.stop_authorized else "EVDisconnected"), "EVDeparted",
                charging_state="Idle")
        elif tx.id_token is None and not tx.stop_authorized:  # started by the bay sensor and never used: nothing
            await self.end_transaction(tx, "Other", "EVDeparted", charging_state="Idle")  # else could end it
        return {}

    async def _ev_suspend(self, evse: int) -> dict[str, Any]:
        self.ev_suspended.add(evse)
        tx = self.ongoing.get(evse)
        if tx is not None and tx.charging and "ev_not_ready_reported_charging" not in self.faults:
            tx.charging = False
            tx.suspended_ev = True
            if "EnergyTransfer" in self._tx_points("TxStopPoint") \
                    and "suspended_ev_kept_open" not in self.faults:  # estop: E06.FR.07, stoppedReason StoppedByEV
                reason = "Local" if "suspended_ev_ended_as_local" in self.faults else "StoppedByEV"
                await self.end_transaction(tx, reason, "ChargingStateChanged", charging_state="EVConnected")
            else:
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
        """A meterValue with the energy register, read and signed by the station's meter (the meter values area: one
        simulated meter, one signing key, E02.FR.14); the fault data_signed_start_unsigned leaves it unsigned."""
        return self.meter_values.reading(tx.evse, ["Energy.Active.Import.Register"], context,
                                         signed="data_signed_start_unsigned" not in self.faults, tx=tx)[0]

    async def remote_stop(self, tx: Transaction) -> None:
        """F03: a RequestStopTransaction ends the authorization like a local stop (E07), reported with
        triggerReason RemoteStop; with TxStopPoint Authorized / PowerPathClosed the transaction ends now
        (F03.FR.03), otherwise the energy transfer stops (F03.FR.02) and the transaction ends at its stop point,
        with stoppedReason Remote all the same (F03 scenario step 6)."""
        reason = "Local" if "remote_stop_reason_local" in self.faults else "Remote"
        tx.stop_authorized = True
        tx.stopped_reason = reason
        self.authorizations.pop(tx.evse, None)
        stop = self._tx_points("TxStopPoint")
        plugged = (tx.evse, tx.connector) in self.station.state.plugged
        if stop & {"Authorized", "PowerPathClosed"}:
            await self.end_transaction(tx, reason, "RemoteStop", charging_state="EVConnected" if plugged else "Idle")
            return
        await self._transaction_event(tx, "Updated", "RemoteStop", charging_state=None)
        tx.charging = False
        if "EnergyTransfer" in stop:
            await self.end_transaction(tx, reason, "ChargingStateChanged")
        else:
            await self._transaction_event(tx, "Updated", "ChargingStateChanged",
                                          charging_state="EVConnected" if plugged else "Idle")

    def charging_state(self, tx: Transaction) -> str:
        """The transaction's chargingState as it is now (a triggered TransactionEvent reports it, F06.FR.07)."""
        if tx.charging:
            return "Charging"
        return "EVConnected" if (tx.evse, tx.connector) in self.station.state.plugged else "Idle"

    async def triggered_event(self, tx: Transaction, meter_value: list[dict[str, Any]]) -> None:
        """F06.FR.07: a TransactionEventRequest Updated, triggerReason Trigger, with the chargingState and the
        most recent meter values."""
        await self._transaction_event(tx, "Updated", "Trigger", charging_state=self.charging_state(tx),
                                      meter_values=meter_value, with_evse=True)

    def _require_connection(self) -> Connection:
        conn = self.station.connection
        if conn is None or not conn.is_open or not self.station.boot.booted.is_set():
            raise ActionFailed("reference station", {}, "the reference station is not connected and booted")
        return conn
