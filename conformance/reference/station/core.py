"""The reference station itself: lifecycle, boot and session, the CSMS's requests, availability, smart
charging, DataTransfer and the action port; the other areas are mixins (see the package docstring)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any, Sequence

from ...actions.port import ActionFailed
from ...outcomes import CheckFailed, SutDisconnected, SutTimeout
from ...protocol.frames import Call, CallError, ErrorCode, encode, new_message_id, utc_now
from ...recording import EventLog
from ...transport.connection import Connection, IncomingCall
from ...device_model.model import DeviceModel
from ...faults import FaultSet
from ..smart_charging import ChargingProfiles, Limits

from ..rpc_reactions import react_to_invalid
from ..vendor import answer_data_transfer, carries_custom_data
from .state import FACTORY_SETTINGS, STATION_FEATURES, NetworkPlan, StationState, Transaction
from .transactions import TransactionsMixin
from .report_requests import ReportRequestsMixin
from .reset import ResetMixin
from .network import NetworkMixin
from .offline import OfflineMixin


log = logging.getLogger("conformance.reference.station")

class ReferenceStation(TransactionsMixin, ReportRequestsMixin, ResetMixin, NetworkMixin, OfflineMixin):
    vendor_name = "OpenConformance"
    model = "RefStation-1"
    firmware_version = "0.1.0"
    serial_number = "REF-0001"

    def __init__(self, *, csms_url: str, identity: str, password: str | None, evses: Sequence[tuple[int, Sequence[int]]],
                 faults: FaultSet | None = None, message_timeout: float = 10.0, connect_timeout: float = 10.0,
                 reconnect_delay: float = 0.2, log_events: EventLog | None = None,
                 features: frozenset[str] | None = None) -> None:
        self.csms_url = csms_url
        self.identity = identity
        self.password = password
        self.evses = [(e, tuple(c)) for e, c in evses]
        self.faults = faults or FaultSet(sut="station")
        self.message_timeout = message_timeout
        self.connect_timeout = connect_timeout
        self.reconnect_delay = reconnect_delay
        self.events = log_events  # None: the reference SUT's own frames are not recorded
        # What the station's PICS declares (Part 5 feature ids, profiles, hardware facts): the station behaves as a
        # product with exactly these features (e.g. without C-13 it rejects a Reset of a single EVSE).
        self.features = frozenset(features) if features is not None else None
        self.state = StationState()
        self.charging_profiles = ChargingProfiles((e for e, _ in self.evses), self.state.charging_profiles)
        self.device_model = self._new_device_model()
        self.connection: Connection | None = None
        self.registration: str | None = None
        self.heartbeat_interval = 0
        self.transactions: dict[int, Transaction] = {}
        # EVSE -> the idToken authorized to charge there (also before the EV is plugged in, E03)
        self._authorizations: dict[int, dict[str, Any]] = {}
        # EVSEs kept operative until their transaction ends, though their scope was set Inoperative (G03.FR.05)
        self._exempt: set[int] = set()
        # G05: connectors whose retention lock will fail (action connector_lock_failure) / has failed
        self._lock_failing: set[tuple[int, int]] = set()
        self._lock_problems: set[tuple[int, int]] = set()
        # Reset (B11/B12) and reservation (H01) bookkeeping, see that section.
        self._pending_resets: set[int | None] = set()  # resets answered Scheduled: None = station, else evseId
        self._acting = 0  # actions (physical steps) in progress
        self._background: set[asyncio.Task[Any]] = set()
        self._reservation_timers: dict[int, asyncio.TimerHandle] = {}
        self._boot_reason = "PowerUp"
        self._offline = False
        self._online = asyncio.Event()
        self._online.set()
        self._task: asyncio.Task[None] | None = None
        self._session_task: asyncio.Task[None] | None = None
        self._stopping = False
        self.booted = asyncio.Event()
        self._wake_boot = asyncio.Event()
        self._needs_boot = True
        self._interrupt = asyncio.Event()
        self._network_plan = NetworkPlan()  # network profiles (B09/B10), see that section
        # Reconnection and offline bookkeeping (B04, Part 4 §5.3), see that section.
        self._backoff: float | None = None  # the current reconnect back-off; None: connect at once
        self._backoff_repeats = 0  # how often it was doubled (at most RetryBackOffRepeatTimes)
        self._restarting = False  # the connection ends because of a restart, not a connection loss
        self._offline_since: float | None = None  # when the connection was lost (not by a restart)
        self._offline_changed: set[tuple[int, int]] = set()  # connectors whose status changed meanwhile

    def supports(self, feature: str) -> bool:
        """Whether the station is a product with this Part 5 feature (every feature when not told)."""
        return self.features is None or feature in self.features

    # ------------------------------------------------------------------ lifecycle
    async def start(self) -> "ReferenceStation":
        self._task = asyncio.create_task(self._run(), name=f"reference-station-{self.identity}")
        return self

    async def stop(self) -> None:
        self._stopping = True
        self._interrupt.set()
        if self.connection is not None:
            await self.connection.close(1001, "station shutting down")
        for task in (self._task, self._session_task):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        if self.connection is not None:
            await self.connection.close(1001, "station shutting down")

    async def _run(self) -> None:
        while not self._stopping:
            await self._backoff_wait()  # after a connection loss: the reconnect back-off (Part 4 §5.3)
            self._interrupt.clear()
            slot, url, message_timeout = self._network_connecting()  # the network profile to use (B10)
            try:
                if self._offline:  # no network (action go_offline): the attempt fails
                    raise OSError("network down")
                conn = await self._network_open(slot, url, message_timeout)  # TLS trust: see the network section
            except (CheckFailed, OSError) as exc:
                log.debug("reference station: connect failed: %s", exc)
                self._backoff_failed()
                continue
            self._backoff, self._restarting = None, False  # reset after a successful connection (Part 4 §5.3)
            self._network_connected(slot)
            self.connection = conn
            conn.react_to_invalid = react_to_invalid(self.faults, "station")  # Part 4 §4.2.3 (or a fault)
            conn.edit_outgoing = lambda message, payload: self.faults.edit(message, payload)  # payload faults
            session = self._session_task = asyncio.create_task(
                self._session(conn, self._boot_reason, boot=self._needs_boot))
            closed = asyncio.create_task(conn.closed.wait())
            interrupted = asyncio.create_task(self._interrupt.wait())
            await asyncio.wait({closed, interrupted, session}, return_when=asyncio.FIRST_COMPLETED)
            for task in (closed, interrupted, session):
                task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await session
            await conn.close(1000, "station restarting" if self._needs_boot else "going offline")
            self.connection = None
            self._connection_lost()
            if self._needs_boot:
                self.registration = None
                self.booted.clear()

    def _reboot(self, reason: str) -> None:
        """Simulate a restart: volatile state is lost, the device model persists."""
        self.state.device_model_snapshot = self.device_model.snapshot()
        self.device_model = self._new_device_model()
        self.device_model.restore(self.state.device_model_snapshot)
        self.transactions.clear()
        self._authorizations.clear()
        self._exempt.clear()
        self._lock_failing.clear()
        self._lock_problems.clear()
        if "availability_forgotten_after_reboot" in self.faults:
            self.state.inoperative.clear()
        self._reset_on_reboot()
        self._forget_offline()
        self._boot_reason = reason
        self._needs_boot = True
        self._interrupt.set()

    def _new_device_model(self) -> DeviceModel:
        """The device model as the station starts it: factory settings, live profile count."""
        # AS-2 (M05.FR.09-16): the station replaces its CSMS root only by one the old root signed.
        settings = dict(FACTORY_SETTINGS, **{"SecurityCtrlr.AdditionalRootCertificateCheck": self.supports("AS-2")})
        model = DeviceModel(self.evses, settings, features=STATION_FEATURES)
        model.bind("SmartChargingCtrlr", "Entries", lambda: len(self.charging_profiles), instance="ChargingProfiles")
        for evse, connectors in self.evses:  # G05: the live state of each connector's retention lock
            for connector in connectors:
                model.bind("ConnectorPlugRetentionLock", "Problem",
                           lambda k=(evse, connector): k in self._lock_problems, evse=evse, connector=connector)
        self._network_bind(model)
        return model

    # ------------------------------------------------------------------ boot & session
    def boot_payload(self, reason: str) -> dict[str, Any]:
        station = {"model": self.model, "vendorName": self.vendor_name, "serialNumber": self.serial_number,
                   "firmwareVersion": self.firmware_version}
        return {"reason": reason, "chargingStation": station}

    async def _session(self, conn: Connection, reason: str, *, boot: bool) -> None:
        if not boot:
            self.booted.set()
            await self._report_after_offline(conn)  # B04.FR.01 / B04.FR.02
            await self._heartbeats(conn)
            return
        self.booted.clear()
        while True:
            self._wake_boot.clear()
            response = await conn.call("BootNotification", self.boot_payload(reason))
            if not response.ok:
                await self._sleep(self.reconnect_delay)
                continue
            status = response.payload["status"]
            interval = response.payload["interval"]
            self.registration = status
            if status == "Accepted":
                if interval > 0:
                    self.heartbeat_interval = interval  # B01.FR.04
                break
            # Pending / Rejected: retry after the interval (B02.FR.04/08, B03.FR.06); a TriggerMessage
            # for BootNotification during Pending wakes it early, and the retry then says Triggered.
            wait = interval if interval > 0 else 1
            if status == "Rejected" and "rejected_station_reports_status" in self.faults:
                for evse, connector in self._connectors():
                    await self.send_status(conn, evse, connector)
            if "boot_retry_ignores_interval" in self.faults:
                wait = self.reconnect_delay
            await self._sleep(wait, wake=self._wake_boot)
            reason = "Triggered" if self._wake_boot.is_set() else self._boot_reason
        self._needs_boot = False
        self.booted.set()
        await conn.call("SecurityEventNotification", {
            "type": "StartupOfTheDevice" if self._boot_reason == "PowerUp" else "ResetOrReboot",
            "timestamp": utc_now()})
        connectors = [(e, c) for e, cs in self.evses for c in cs]
        if "boot_skips_connector_status" in self.faults:
            connectors = connectors[:-1]
        for evse, connector in connectors:
            await self.send_status(conn, evse, connector)
        await self._heartbeats(conn)

    async def _heartbeats(self, conn: Connection) -> None:
        while not self._stopping:
            interval = self.heartbeat_interval or 300
            if "heartbeat_ignores_boot_interval" in self.faults:
                interval = self.device_model.get("OCPPCommCtrlr", "HeartbeatInterval") or 300
            await self._sleep(interval)
            await conn.call("Heartbeat", {})

    async def _sleep(self, seconds: float, wake: asyncio.Event | None = None) -> None:
        """The station's own protocol timers (heartbeat, boot retry)."""
        if wake is None:
            await asyncio.sleep(seconds)
            return
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await wake.wait()

    def connector_status(self, evse: int, connector: int) -> str:
        if {(), (evse,), (evse, connector)} & self.state.inoperative and evse not in self._exempt:
            return "Unavailable"
        if (evse, connector) in self.state.plugged:
            return "Occupied"
        if any(r["evseId"] == evse for r in self.state.reservations.values()):
            return "Reserved"  # H01.FR.23: every connector of a reserved EVSE
        return "Available"

    def _connectors(self, scope: tuple[int, ...] = ()) -> list[tuple[int, int]]:
        """The connectors a scope ((), (evse,) or (evse, connector)) covers."""
        return [(e, c) for e, cs in self.evses for c in cs
                if not scope or (e == scope[0] and (len(scope) == 1 or c == scope[1]))]

    def _set_availability(self, scope: tuple[int, ...], operative: bool) -> list[tuple[int, int]]:
        """Apply an availability change; the connectors whose status changed (to be reported, G01.FR.07)."""
        before = {k: self.connector_status(*k) for k in self._connectors()}
        if operative:
            self.state.inoperative.discard(scope)
        else:
            self.state.inoperative.add(scope)
        return [k for k, status in before.items() if self.connector_status(*k) != status]

    async def _report_changes(self, conn: Connection, connectors: list[tuple[int, int]]) -> None:
        for evse, connector in connectors:
            if "availability_reported_on_evse_only" in self.faults:
                if connector == min(c for e, c in self._connectors((evse,)) if e == evse):
                    await self._notify_evse_availability(conn, evse)
                continue
            status = self.connector_status(evse, connector)
            if "change_availability_reports_available" in self.faults:
                status = "Available"
            await conn.call("StatusNotification", {"timestamp": utc_now(), "connectorStatus": status,
                                                   "evseId": evse, "connectorId": connector})

    async def _notify_evse_availability(self, conn: Connection, evse: int) -> None:
        """The fault availability_reported_on_evse_only: one NotifyEvent for the EVSE component."""
        status = "Unavailable" if {(), (evse,)} & self.state.inoperative else "Available"
        await conn.call("NotifyEvent", {"generatedAt": utc_now(), "seqNo": 0, "eventData": [{
            "eventId": 1, "timestamp": utc_now(), "trigger": "Delta", "actualValue": status,
            "eventNotificationType": "HardWiredNotification", "component": {"name": "EVSE", "evse": {"id": evse}},
            "variable": {"name": "AvailabilityState"}}]})

    def _apply_scheduled(self) -> list[tuple[int, int]]:
        """Availability changes answered Scheduled whose scope has no transaction any more (the EVSEs kept
        operative for their transaction included); the connectors whose status changed."""
        before = {k: self.connector_status(*k) for k in self._connectors()}
        busy = {tx.evse for tx in self.transactions.values()}
        if "scheduled_availability_never_applied" not in self.faults:
            self._exempt &= busy
        for scope, operative in list(self.state.scheduled.items()):
            if not any(e in busy for e, _ in self._connectors(scope)):
                del self.state.scheduled[scope]
                self._set_availability(scope, operative)
        return [k for k, status in before.items() if self.connector_status(*k) != status]

    async def send_status(self, conn: Connection, evse: int, connector: int) -> None:
        await conn.call("StatusNotification", {"timestamp": utc_now(), "connectorStatus":
                                               self.connector_status(evse, connector),
                                               "evseId": evse, "connectorId": connector})

    # ------------------------------------------------------------------ CSMS -> station
    async def _handle(self, incoming: IncomingCall) -> dict[str, Any] | CallError:
        await asyncio.sleep(0)  # a BootNotificationResponse read just before this request takes effect first
        handler = getattr(self, f"on_{incoming.action}", None)
        if self.registration == "Rejected" and "rejected_station_serves_requests" not in self.faults:
            return CallError(incoming.message_id, ErrorCode.SECURITY_ERROR, "station not accepted", {})  # B03.FR.08
        if self.registration == "Pending" and incoming.action in ("RequestStartTransaction",
                                                                  "RequestStopTransaction") \
                and "pending_accepts_remote_start" not in self.faults:
            return {"status": "Rejected"}  # B02.FR.05
        if handler is None:
            return CallError(incoming.message_id, ErrorCode.NOT_SUPPORTED,
                             f"{incoming.action} is not supported by the reference station", {})
        if "custom_data_rejected" in self.faults and carries_custom_data(incoming.payload):
            return CallError(incoming.message_id, ErrorCode.FORMAT_VIOLATION,
                             "additional property 'customData' is not allowed", {})
        if incoming.action == "DataTransfer" and "data_transfer_not_supported" in self.faults:
            return CallError(incoming.message_id, ErrorCode.NOT_SUPPORTED, "DataTransfer is not supported", {})
        return await handler(self.faults.edit(f"{incoming.action}Request", incoming.payload))  # as a fault reads it

    async def on_GetVariables(self, payload: dict[str, Any]) -> dict[str, Any]:
        items = payload["getVariableData"]
        results = self.device_model.get_variables(items)
        if "get_variables_stale_value" in self.faults:
            fresh = DeviceModel(self.evses, FACTORY_SETTINGS, features=STATION_FEATURES).get_variables(items)
            results = [dict(r, attributeValue=f["attributeValue"]) if "attributeValue" in f and "attributeValue" in r
                       else r for r, f in zip(results, fresh)]
        if "attribute_type_ignored" in self.faults:
            results = [dict(self.device_model.get_variables([dict(i, attributeType="Actual")])[0],
                            attributeType=r["attributeType"])
                       if r.get("attributeStatus") == "NotSupportedAttributeType" else r for i, r in zip(items, results)]
        return {"getVariableResult": self._lookup_faults(results)}

    async def on_SetVariables(self, payload: dict[str, Any]) -> dict[str, Any]:
        items = payload["setVariableData"]
        if "attribute_type_ignored" in self.faults:  # every entry is written to the Actual attribute
            results = [dict(r, attributeType=i.get("attributeType", "Actual")) for i, r in
                       zip(items, self.device_model.set_variables([dict(i, attributeType="Actual") for i in items]))]
        else:
            results = self.device_model.set_variables(items)
        results = self._lookup_faults(results)
        if "set_variables_accepts_any_format" in self.faults:
            results = [{k: v for k, v in r.items() if k != "attributeStatusInfo"} | {"attributeStatus": "Accepted"}
                       if r.get("attributeStatusInfo", {}).get("reasonCode") == "InvalidValue" else r for r in results]
        if "set_variables_accepts_read_only" in self.faults:
            results = [{k: v for k, v in r.items() if k != "attributeStatusInfo"} | {"attributeStatus": "Accepted"}
                       if r.get("attributeStatusInfo", {}).get("reasonCode") == "ReadOnly" else r for r in results]
        return {"setVariableResult": results}

    def _lookup_faults(self, results: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The faults unknown_component_reported_as_unknown_variable and unknown_variable_rejected."""
        wrong = {"UnknownComponent": "UnknownVariable"} if "unknown_component_reported_as_unknown_variable" \
            in self.faults else {}
        if "unknown_variable_rejected" in self.faults:
            wrong["UnknownVariable"] = "Rejected"
        return [dict(r, attributeStatus=wrong[r["attributeStatus"]]) if r.get("attributeStatus") in wrong else r
                for r in results]

    async def on_ChangeAvailability(self, payload: dict[str, Any]) -> dict[str, Any]:
        operative = payload["operationalStatus"] == "Operative"
        evse = payload.get("evse")
        scope: tuple[int, ...] = () if evse is None else \
            (evse["id"],) if evse.get("connectorId") is None else (evse["id"], evse["connectorId"])
        if not self._connectors(scope):
            return {"status": "Rejected", "statusInfo": {"reasonCode": "UnknownEvse"}}
        if (scope not in self.state.inoperative) == operative:  # already in that state
            self.state.scheduled.pop(scope, None)
            if "change_availability_same_state_rejected" in self.faults:
                return {"status": "Rejected"}
            # G03.FR.03, G04.FR.04; each connector of the scope is reported all the same (always allowed, and
            # what Part 6 TC_G_12/13/15_CS validate)
            if "same_state_change_not_reported" not in self.faults:
                self._report_later(self._connectors(scope))
            return {"status": "Accepted"}
        evses = {e for e, _ in self._connectors(scope)}
        busy = {tx.evse for tx in self.transactions.values()} & evses
        if busy and (operative or "scheduled_availability_waits_for_all_evses" in self.faults):
            self.state.scheduled[scope] = operative
            return {"status": "Scheduled"}  # G03.FR.05, G04.FR.06
        if busy:
            # Inoperative while transactions run in the scope: answered Scheduled (G03.FR.05, G04.FR.06); the
            # EVSEs without a transaction become Unavailable now, the busy ones when their transaction has ended.
            self._exempt |= busy
            self._report_later(self._set_availability(scope, operative))
            return {"status": "Scheduled"}
        changed = self._set_availability(scope, operative)
        conn = self.connection
        if conn is not None and changed:
            async def report() -> None:
                with contextlib.suppress(CheckFailed, SutDisconnected, SutTimeout):
                    await self._report_changes(conn, changed)
            asyncio.get_running_loop().create_task(report())  # after the response (G03.FR.04, G04.FR.05)
        return {"status": "Accepted"}

    async def on_TriggerMessage(self, payload: dict[str, Any]) -> dict[str, Any]:
        conn = self.connection
        requested = payload["requestedMessage"]
        if conn is None:
            return {"status": "Rejected"}
        if requested == "BootNotification":
            if self.registration == "Accepted":
                if "trigger_boot_accepted_when_accepted" in self.faults:
                    asyncio.get_running_loop().create_task(
                        self._send_quietly(conn, "BootNotification", self.boot_payload("Triggered")))
                    return {"status": "Accepted"}
                return {"status": "Rejected"}  # F06.FR.17
            asyncio.get_running_loop().call_soon(self._wake_boot.set)  # after this response (F06.FR.04)
            return {"status": "Accepted"}
        if requested == "Heartbeat":
            asyncio.get_running_loop().create_task(self._send_quietly(conn, "Heartbeat", {}))
            return {"status": "Accepted"}
        if requested == "StatusNotification":
            evse = payload.get("evse") or {}
            if "id" not in evse or "connectorId" not in evse:
                return {"status": "Rejected"}

            async def report() -> None:
                with contextlib.suppress(CheckFailed, SutDisconnected, SutTimeout):
                    if "station_does_not_wait_for_response" in self.faults:  # no queue: out at once
                        await conn.send_raw(encode(Call(new_message_id(), "StatusNotification", {
                            "timestamp": utc_now(), "connectorStatus": self.connector_status(evse["id"], evse["connectorId"]),
                            "evseId": evse["id"], "connectorId": evse["connectorId"]})))
                        return
                    await self.send_status(conn, evse["id"], evse["connectorId"])
            asyncio.get_running_loop().create_task(report())
            return {"status": "Accepted"}
        return {"status": "NotImplemented"}

    async def on_DataTransfer(self, payload: dict[str, Any]) -> dict[str, Any]:
        if "data_transfer_accepts_unknown_vendor" in self.faults:
            return {"status": "Accepted"}
        return answer_data_transfer(payload)  # P01.FR.05, P01.FR.06

    # ------------------------------------------------------------------ smart charging (K01, K10)
    def _smart_charging_limits(self) -> Limits:
        model = self.device_model
        entries = model.spec("SmartChargingCtrlr.Entries[ChargingProfiles]").max_limit
        return Limits(rate_units=tuple(model.get("SmartChargingCtrlr", "RateUnit")),
                      max_stack_level=model.get("SmartChargingCtrlr", "ProfileStackLevel"),
                      periods_per_schedule=model.get("SmartChargingCtrlr", "PeriodsPerSchedule"),
                      max_entries=int(entries) if entries is not None else 0)

    async def on_SetChargingProfile(self, payload: dict[str, Any]) -> dict[str, Any]:
        active = {evse: tx.transaction_id for evse, tx in self.transactions.items()}
        return self.charging_profiles.set(payload["evseId"], payload["chargingProfile"],
                                          self._smart_charging_limits(), transactions=active)

    async def on_ClearChargingProfile(self, payload: dict[str, Any]) -> dict[str, Any]:
        return self.charging_profiles.clear(payload)

    async def _send_quietly(self, conn: Connection, action: str, payload: dict[str, Any]) -> None:
        with contextlib.suppress(CheckFailed, SutDisconnected, SutTimeout):
            await conn.call(action, payload)

    # ------------------------------------------------------------------ action port
    async def perform_action(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        """Entry point of the action port: perform the action, then any reset that became due by it (a reset
        answered Scheduled waits for the physical step that ended the last transaction, see :mod:`.reset`)."""
        self._acting += 1
        try:
            return await self._perform_action(action, params)
        finally:
            self._acting -= 1
            self._reset_if_due()

    async def _perform_action(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        """Perform one action (physical step); :meth:`perform_action` is the entry point."""
        evse = int(params.get("evse", 1))
        connector = int(params.get("connector", 1))
        if action in ("reboot", "power_cycle"):
            self._reboot("PowerUp" if action == "power_cycle" else "LocalReset")
            return {}
        if action == "go_offline":
            self._offline = True
            self._offline_since = self._offline_since or time.monotonic()  # B04: the offline period starts now
            self._online.clear()
            self._interrupt.set()
            return {}
        if action == "go_online":
            self._offline = False
            self._online.set()
            return {}
        if action == "plug_in":
            return await self._plug_in(evse, connector)
        if action == "unplug":
            return await self._unplug(evse, connector)
        if action == "present_id_token":
            return await self._present_id_token(evse, connector, params["id_token"], params.get("type", "ISO14443"))
        if action == "connector_lock_failure":
            self._lock_failing.add((evse, connector))
            return {}
        raise ActionFailed(action, params, f"the reference station does not implement action {action!r} yet")
