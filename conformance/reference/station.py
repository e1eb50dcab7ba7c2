"""The reference Charging Station: a conformant station built on the same OCPP-J core.

It connects to a CSMS, boots (handling Accepted, Pending and Rejected: retries after the interval, serves
requests while Pending but rejects a remote start, answers SecurityError while Rejected, boots at once on a
TriggerMessage), reconnects after a connection loss with the back-off of Part 4 §5.3 (OCPPCommCtrlr
RetryBackOff*), reports after an offline period every connector or only the changed ones depending on
OCPPCommCtrlr.OfflineThreshold (B04), reports its connectors, sends heartbeats, serves Get/SetVariables from its device model, runs transactions (one per
EVSE, started and stopped as its TxStartPoint / TxStopPoint say, the idToken presented before or after the
EV is plugged in, E01-E03/E06/E07; a failing cable retention lock stops it from charging, G05), changes
availability (G03/G04: station, EVSE or connector Inoperative /
Operative, persistent across reboots, Scheduled while a transaction runs in the scope, every changed
connector reported by StatusNotification), keeps charging profiles (Smart Charging, :mod:`.smart_charging`), resets
(B11/B12: the whole station, or with feature C-13 one EVSE; OnIdle answered Scheduled during a transaction),
keeps reservations of an EVSE (minimal H01/H02/H04, persistent across reboots), keeps network profiles (B09/B10)
and CSMS root certificates (M05, with AS-2 the AdditionalRootCertificateCheck and its fallback root; M03 lists
them), and is
driven by the action port (``perform_action``). Faults from :mod:`.faults` make it deliberately
non-conformant for negative controls.

DataTransfer (P01): the station implements one vendor extension of its own, vendorId
``org.openconformance`` (:data:`VENDOR_ID`) with messageId ``Echo``: it answers Accepted and returns
the request's data. Another messageId of that vendor is answered UnknownMessageId (P01.FR.06), a
request without messageId Rejected (our vendor agreement, P01.FR.07), any other vendorId
UnknownVendorId (P01.FR.05). customData (Part 4 §9) is accepted anywhere and ignored.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import ssl
import time
from datetime import datetime, timezone
from dataclasses import dataclass, field
from typing import Any, Sequence
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature

from ..actions.port import ActionFailed
from ..catalog import actions_handled_by
from ..outcomes import CheckFailed, SutDisconnected, SutTimeout
from ..protocol.frames import CallError, ErrorCode, utc_now
from ..recording import EventLog
from ..transport.client import open_station_connection
from ..transport.connection import Connection, IncomingCall
from ..transport.tls import certificate_hash_data, client_context, parse_certificate
from .device_model import DEFAULT_FEATURES, DeviceModel
from .faults import FaultSet, carries_custom_data
from .smart_charging import ChargingProfiles, Limits

log = logging.getLogger(__name__)


# The reference station's own factory settings, where they differ from the device model's defaults.
# Reconnect back-off (Part 4 §5.3): 1 s first, no random part, so that reconnecting takes about a second.
FACTORY_SETTINGS = {"OCPPCommCtrlr.OfflineThreshold": 180, "OCPPCommCtrlr.RetryBackOffWaitMinimum": 1,
                    "OCPPCommCtrlr.RetryBackOffRandomRange": 0}
# The optional device model groups of the reference station: it supports Smart Charging.
STATION_FEATURES = DEFAULT_FEATURES | {"SmartCharging"}

# The reference station's own DataTransfer extension (see the module docstring).
VENDOR_ID = "org.openconformance"
VENDOR_MESSAGES = frozenset({"Echo"})


def _issued_by(certificate: Any, issuer: Any) -> bool:
    """Whether ``issuer`` (a CA certificate) signed ``certificate``: names match and the signature verifies."""
    try:
        certificate.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


@dataclass
class Transaction:
    transaction_id: str
    evse: int
    connector: int
    seq_no: int = 0
    id_token: dict[str, Any] | None = None
    charging: bool = False
    stop_authorized: bool = False  # the driver ended the authorization (E07)


@dataclass
class StationState:
    """What survives a reboot (the persistent part)."""

    device_model_snapshot: dict[str, Any] | None = None
    tx_counter: int = 0
    charging_profiles: dict[int, tuple[int, dict[str, Any]]] = field(default_factory=dict)  # K01.FR.27
    plugged: set[tuple[int, int]] = field(default_factory=set)
    # Availability set by ChangeAvailability, persistent across reboots (G03.FR.08, G04.FR.09): the
    # Inoperative scopes, () for the station, (evse,) for an EVSE, (evse, connector) for a connector.
    inoperative: set[tuple[int, ...]] = field(default_factory=set)
    # Changes answered Scheduled (G03.FR.05, G04.FR.06): scope -> operative, applied when the
    # transactions in the scope have ended.
    scheduled: dict[tuple[int, ...], bool] = field(default_factory=dict)
    # Reservations (H01), persistent across reboots (B11.FR.05, B01.FR.13): reservationId -> the
    # ReserveNowRequest payload that made it (always with evseId).
    reservations: dict[int, dict[str, Any]] = field(default_factory=dict)
    # Network profiles (B09/B10): configuration slot -> NetworkConnectionProfile (connectionData), and the slot
    # of the last successful connection (B10.FR.07).
    network_profiles: dict[int, dict[str, Any]] = field(default_factory=dict)
    network_last_slot: int | None = None
    # Installed certificates by certificateType (InstallCertificate, M05), PEM; a wss:// CSMS is checked against
    # the CSMSRootCertificates (security profile 2).
    certificates: dict[str, list[str]] = field(default_factory=dict)
    # With AdditionalRootCertificateCheck (AS-2): the previous CSMS root, kept (also in ``certificates``) as the
    # fallback until a connection validated with the new one succeeds (M05.FR.12/13); the CertificateHashData of
    # each installed certificate, computed when it was installed (its issuer may be gone later).
    csms_root_fallback: str | None = None
    certificate_hashes: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class NetworkPlan:
    """The station's volatile connection plan (B10): the slots still to try in this pass, how many passes
    failed completely, and the slot of the open connection (None while connecting)."""

    queue: list[int] = field(default_factory=list)
    passes: int = 0
    active: int | None = None


class ReferenceStation:
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
        payload: dict[str, Any] = {"reason": reason, "chargingStation": station}
        if "boot_without_reason" in self.faults:
            payload.pop("reason")
        return payload

    async def _session(self, conn: Connection, reason: str, *, boot: bool) -> None:
        if not boot:
            self.booted.set()
            await self._report_after_offline(conn)  # B04.FR.01 / B04.FR.02
            await self._heartbeats(conn)
            return
        self.booted.clear()
        while True:
            self._wake_boot.clear()
            response = await conn.call("BootNotification", self.boot_payload(reason),
                                       allow_invalid="boot_without_reason" in self.faults)
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
        return await handler(incoming.payload)

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
        results = self._lookup_faults(results)
        if "get_variables_empty_value_on_error" in self.faults:
            results = [r if r.get("attributeStatus") == "Accepted" else dict(r, attributeValue="") for r in results]
        if "get_variables_omits_attribute_type" in self.faults:
            results = [{k: v for k, v in r.items() if k != "attributeType"} for r in results]
        if "get_variables_first_item_only" in self.faults:
            results = results[:1]
        return {"getVariableResult": results}

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
        if "set_variables_omits_attribute_type" in self.faults:
            results = [{k: v for k, v in r.items() if k != "attributeType"} for r in results]
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
                    await self.send_status(conn, evse["id"], evse["connectorId"])
            asyncio.get_running_loop().create_task(report())
            return {"status": "Accepted"}
        return {"status": "NotImplemented"}

    async def on_DataTransfer(self, payload: dict[str, Any]) -> dict[str, Any]:
        if "data_transfer_accepts_unknown_vendor" in self.faults:
            return {"status": "Accepted"}
        if payload["vendorId"] != VENDOR_ID:
            return {"status": "UnknownVendorId"}  # P01.FR.05
        if "messageId" not in payload:
            return {"status": "Rejected", "statusInfo": {"reasonCode": "MissingParam",
                                                         "additionalInfo": "messageId is required"}}
        if payload["messageId"] not in VENDOR_MESSAGES:
            return {"status": "UnknownMessageId"}  # P01.FR.06
        answer: dict[str, Any] = {"status": "Accepted"}
        if "data" in payload:
            answer["data"] = payload["data"]
        return answer

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

    # ------------------------------------------------------------------ reports (B07/B08)
    # GetBaseReport / GetReport are answered first; the report follows in NotifyReportRequest parts (seqNo from 0,
    # tbc on all but the last) built by .reports. SummaryInventory is the optional C-56: a station declared
    # without it answers NotSupported and sends nothing (B07.FR.02, B07.FR.05). Of the componentCriteria the
    # station evaluates Available, Enabled and Problem; Active is NotSupported (B08.FR.02).
    _report_tasks: "set[asyncio.Task[None]]" = set()

    async def on_GetBaseReport(self, payload: dict[str, Any]) -> dict[str, Any]:
        from . import reports
        base = payload["reportBase"]
        if base == "SummaryInventory" and not self.supports("C-56"):
            if "summary_inventory_rejected" in self.faults:
                return {"status": "Rejected"}
            if "summary_not_supported_but_reported" not in self.faults:
                return {"status": "NotSupported", "statusInfo": {"reasonCode": "UnsupportedParam"}}
        source = "FullInventory" if base == "ConfigurationInventory" and \
            "config_inventory_includes_read_only" in self.faults else base
        entries = reports.base_report(self.device_model, source)
        if base == "SummaryInventory" and "summary_inventory_omits_evses" in self.faults:
            entries = [e for e in entries if e["component"]["name"] != "EVSE"]
        self._start_report(payload["requestId"], entries)
        if base == "SummaryInventory" and not self.supports("C-56"):  # the fault summary_not_supported_but_reported
            return {"status": "NotSupported"}
        return {"status": "Accepted"}

    async def on_GetReport(self, payload: dict[str, Any]) -> dict[str, Any] | CallError:
        from . import reports
        criteria = list(payload.get("componentCriteria") or [])
        variables = [dict(cv) for cv in payload.get("componentVariable") or []]
        if len(variables) > self.device_model.items_per_message("GetReport"):  # B08.FR.17 (MAY)
            return CallError("", ErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION,
                             "more componentVariable entries than ItemsPerMessage[GetReport]", {})
        if "criteria_ignored_with_component_variables" in self.faults and variables:
            criteria = []
        if "custom_report_ignores_evse" in self.faults:
            variables = [dict(cv, component={k: v for k, v in cv["component"].items() if k != "evse"})
                         for cv in variables]
        if "custom_report_first_evse_only" in self.faults:
            variables = [dict(cv, component=dict(cv["component"], evse=cv["component"].get("evse", {"id": 1})))
                         for cv in variables]
        if "custom_report_ignores_variable_instance" in self.faults:
            variables = [dict(cv, variable={k: v for k, v in cv["variable"].items() if k != "instance"})
                         if "variable" in cv else cv for cv in variables]
        report = reports.custom_report(self.device_model, component_criteria=criteria, component_variables=variables)
        entries = list(report.entries)
        if "custom_report_variable_instance_required" in self.faults and variables and \
                all(not cv.get("variable", {}).get("instance") for cv in variables):
            entries = [e for e in entries if not e["variable"].get("instance")]
        if "criteria_value_compared_wrongly" in self.faults:  # "true" never matches: only components lacking it
            names = {c.casefold() for c in criteria if c != "Problem"}
            having = {repr(e["component"]) for e in entries if e["variable"]["name"].casefold() in names}
            entries = [e for e in entries if repr(e["component"]) not in having]
        if report.status == "NotSupported" and "unsupported_criterion_rejected" in self.faults:
            return {"status": "Rejected"}
        if report.status != "Accepted":
            return report.response()
        if not entries:
            return {"status": "EmptyResultSet", "statusInfo": {"reasonCode": "NotFound"}}
        self._start_report(payload["requestId"], entries)
        return {"status": "Accepted"}

    def _start_report(self, request_id: int, entries: list[dict[str, Any]]) -> None:
        """Send the report after the response (the task runs once the handler has answered)."""
        from . import reports
        conn = self.connection
        if conn is None:
            return
        payloads = reports.notify_report_payloads(request_id, entries, utc_now())
        for payload in payloads:
            if "report_seq_no_from_one" in self.faults:
                payload["seqNo"] += 1
            for entry in payload.get("reportData", []):
                if "full_inventory_omits_list_values" in self.faults:
                    entry.get("variableCharacteristics", {}).pop("valuesList", None)
                if "report_write_only_value" in self.faults:
                    for attribute in entry.get("variableAttribute", []):
                        if attribute.get("mutability") == "WriteOnly":
                            attribute["value"] = ""

        async def send() -> None:
            with contextlib.suppress(CheckFailed, SutDisconnected, SutTimeout):
                for payload in payloads:
                    await conn.call("NotifyReport", payload)
        task = asyncio.get_running_loop().create_task(send())
        self._report_tasks.add(task)  # keep a reference until it is done
        task.add_done_callback(self._report_tasks.discard)

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

    async def perform_action(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        """Entry point of the action port: perform the action, then any reset that became due by it."""
        self._acting += 1
        try:
            return await self._perform_action(action, params)
        finally:
            self._acting -= 1
            self._reset_if_due()

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


    # ------------------------------------------------------------------ network profiles (B09/B10)
    # The NetworkConnectionProfiles live per configuration slot in StationState.network_profiles (they survive a
    # reboot); slot 1 holds the factory profile (the CSMS URL the station was built with). The slots are the
    # valuesList of OCPPCommCtrlr.NetworkConfigurationPriority. _run asks _network_target() which slot to try
    # next: after a reboot the entries of NetworkConfigurationPriority in order (B10.FR.04), after a lost
    # connection the slot that was in use first, then the others; NetworkProfileConnectionAttempts attempts per
    # entry (B10.FR.03). When every entry failed, a station with C-47 keeps reconnecting to the slot of the last
    # successful connection (B10.FR.07), one without runs through the whole list again (B10.FR.08). A new
    # profile or priority is only used from the next (re)connection (B09 remarks); connecting through a slot other
    # than the last successful one starts with a BootNotification (B10.FR.10).

    def _network_profile_table(self) -> dict[int, dict[str, Any]]:
        profiles = self.state.network_profiles
        if not profiles:  # the factory profile
            profiles[1] = {"ocppVersion": "OCPP20", "ocppTransport": "JSON", "ocppCsmsUrl": self.csms_url,
                           "messageTimeout": max(1, round(self.message_timeout)),
                           "securityProfile": 2 if urlsplit(self.csms_url).scheme == "wss" else 1,
                           "ocppInterface": "Wired0"}
        return profiles

    def install_factory_csms_root(self, certificate_pem: str) -> None:
        """Ship the station for security profile 2: trusting this CSMS root certificate (its factory profile
        is the wss:// URL it was built with)."""
        self.state.certificates.setdefault("CSMSRootCertificate", []).append(certificate_pem)
        self._certificate_recorded(certificate_pem, parse_certificate(certificate_pem))
        self.device_model.set_value("SecurityCtrlr", "SecurityProfile", self._network_profile_table()[1]["securityProfile"])

    def _network_slots(self) -> list[int]:
        """The configuration slots the station offers: the valuesList of NetworkConfigurationPriority."""
        spec = self.device_model.spec("OCPPCommCtrlr.NetworkConfigurationPriority")
        return [int(v) for v in spec.values_list or () if str(v).isdigit()]

    def _network_priority(self) -> list[int]:
        value = self.device_model.get("OCPPCommCtrlr", "NetworkConfigurationPriority") or []
        return [int(v) for v in value if str(v).strip().isdigit()]

    def _network_active_slot(self) -> int | None:
        """OCPPCommCtrlr.ActiveNetworkProfile: the slot of the current connection (the last one while offline)."""
        return self._network_plan.active if self._network_plan.active is not None else self.state.network_last_slot

    def _network_bind(self, model: DeviceModel) -> None:
        """Device model hooks: ActiveNetworkProfile reads the live slot; NetworkConfigurationPriority only
        accepts slots that hold a valid profile (B10.FR.02) without a lower security profile (A05.FR.10)."""
        if "OCPPCommCtrlr.ActiveNetworkProfile" in model:
            model.bind("OCPPCommCtrlr", "ActiveNetworkProfile", self._network_active_slot)

        def validate(key: Any, attribute: str, value: Any) -> str | None:
            if (key.component.casefold(), key.variable.casefold()) != ("ocppcommctrlr", "networkconfigurationpriority"):
                return None
            profiles = self._network_profile_table()
            current = model.get("SecurityCtrlr", "SecurityProfile") or 0
            for member in value:
                profile = profiles.get(int(member)) if str(member).isdigit() else None
                if profile is None:
                    return "InvalidNetworkConf"
                if profile["securityProfile"] < current:
                    return "NoSecurityDowngrade"
                if profile["securityProfile"] >= 2 and not self.state.certificates.get("CSMSRootCertificate"):
                    return "NoCSMSRootCert"  # A05.FR.02
            return None
        model.add_validator(validate)
        model.bind("SecurityCtrlr", "CertificateEntries",
                   lambda: sum(len(v) for v in self.state.certificates.values()))

    def _network_profile_problem(self, slot: int, data: dict[str, Any]) -> tuple[str, str] | None:
        """Why a SetNetworkProfileRequest cannot be stored: (reasonCode, additionalInfo), or None."""
        if slot not in self._network_slots() and "network_profile_accepts_any_slot" not in self.faults:
            return "InvalidConfSlot", f"slot {slot} is not in the valuesList of NetworkConfigurationPriority"
        if data["ocppVersion"] != "OCPP20" or data["ocppTransport"] != "JSON":
            return "InvalidNetworkConf", "only OCPP 2.0.1 over JSON (OCPP-J) is supported"
        current = self.device_model.get("SecurityCtrlr", "SecurityProfile") or 0
        if data["securityProfile"] < current:
            return "NoSecurityDowngrade", f"the active security profile is {current}"  # B09.FR.04
        if data["securityProfile"] not in (0, 1, 2):
            return "InvalidNetworkConf", "security profile 3 (client certificates) is not supported by this station"
        url, scheme = urlsplit(data["ocppCsmsUrl"]), "wss" if data["securityProfile"] >= 2 else "ws"
        if url.scheme != scheme or not url.hostname:
            return "InvalidNetworkConf", f"ocppCsmsUrl must be a {scheme}:// URL for security profile " \
                                         f"{data['securityProfile']}"
        return None

    async def on_SetNetworkProfile(self, payload: dict[str, Any]) -> dict[str, Any]:
        slot, data = payload["configurationSlot"], payload["connectionData"]
        problem = self._network_profile_problem(slot, data)
        if problem is not None:  # B09.FR.02, B09.FR.04, B09.FR.05
            return {"status": "Rejected", "statusInfo": {"reasonCode": problem[0], "additionalInfo": problem[1]}}
        self._network_profile_table()[slot] = dict(data)  # used from the next connection on (B09 remarks)
        return {"status": "Accepted"}  # B09.FR.01

    def _network_target(self) -> tuple[int, dict[str, Any]]:
        """The slot (and its profile) of the next connection attempt."""
        plan, profiles = self._network_plan, self._network_profile_table()
        if not plan.queue:
            attempts = max(1, int(self.device_model.get("OCPPCommCtrlr", "NetworkProfileConnectionAttempts") or 1))
            if "network_profile_single_attempt" in self.faults:
                attempts = 1
            priority = [s for s in self._network_priority() if s in profiles]
            last = self.state.network_last_slot
            if plan.passes and last in profiles and self.supports("C-47") \
                    and "network_fallback_restarts_priority_list" not in self.faults:
                order = [last]  # B10.FR.07: every entry failed, reconnect to the last one that worked
            elif plan.passes:
                order = priority  # B10.FR.08: every entry failed, start the list again
            elif self._needs_boot and "network_priority_ignored_after_reboot" not in self.faults:
                order = priority  # B10.FR.04: after a reboot, from the first entry
            else:  # a lost connection: the slot in use first, then the others (B10.FR.03)
                first = plan.active if plan.active is not None else last
                order = ([first] if first in profiles else []) + [s for s in priority if s != first]
            plan.queue = [s for s in order or [min(profiles)] for _ in range(attempts)]
            plan.passes += 1
        slot = plan.queue.pop(0)
        return slot, profiles[slot]

    def _network_connected(self, slot: int) -> None:
        """A connection through ``slot`` was established."""
        plan = self._network_plan
        plan.queue, plan.passes, plan.active = [], 0, slot
        if self.state.network_last_slot is not None and slot != self.state.network_last_slot:
            self._needs_boot = True  # B10.FR.10: a different profile, register again
        self.state.network_last_slot = slot
        level = self._network_profile_table().get(slot, {}).get("securityProfile", 0)
        if level > (self.device_model.get("SecurityCtrlr", "SecurityProfile") or 0):
            # A05.FR.06: the higher security profile is now the station's; profiles below it are removed.
            self.device_model.set_value("SecurityCtrlr", "SecurityProfile", level)
            profiles = self._network_profile_table()
            for lower in [s for s, p in profiles.items() if p["securityProfile"] < level]:
                del profiles[lower]
            priority = [str(s) for s in self._network_priority() if s in profiles]
            self.device_model.set_value("OCPPCommCtrlr", "NetworkConfigurationPriority", ",".join(priority))

    def _network_connecting(self) -> tuple[int, str, float]:
        """For _run: the slot, URL and message timeout of the next attempt."""
        slot, profile = self._network_target()
        timeout = self.message_timeout if slot == 1 and profile["ocppCsmsUrl"] == self.csms_url \
            else float(profile["messageTimeout"])
        self._network_plan.active = None  # offline until the attempt succeeds
        return slot, profile["ocppCsmsUrl"], timeout

    # CSMS root certificates (M05). Without AdditionalRootCertificateCheck (no AS-2) installed roots are kept side by
    # side and a wss:// CSMS certificate may chain to any of them. With it (AS-2), one CSMS root is in force: a new
    # one is accepted only when the root in force signed it (M05.FR.10/11) and replaces it, the old one stays as
    # the fallback (M05.FR.12). A connection validated with the new root removes the fallback (M05.FR.13); when the
    # new root does not validate the CSMS certificate, the fallback is tried on a reconnection through the profile of
    # the last successful connection (M05.FR.14, and after going back to it, M05.FR.16) but not when migrating to
    # another profile, where the attempt fails and NetworkProfileConnectionAttempts takes over (M05.FR.15).

    def _csms_roots(self) -> list[str]:
        """The installed CSMS roots (PEM), oldest first (with AS-2: the fallback, if any, and the root in force)."""
        return self.state.certificates.setdefault("CSMSRootCertificate", [])

    def _csms_root_in_force(self) -> str | None:
        roots = [pem for pem in self._csms_roots() if pem != self.state.csms_root_fallback]
        return roots[-1] if roots else None

    def _certificate_recorded(self, pem: str, certificate: Any, issuer: Any = None) -> None:
        """Keep the CertificateHashData of a newly installed certificate (GetInstalledCertificateIds, M03)."""
        if issuer is None:  # signed by another installed certificate, else self-signed (or its issuer is unknown)
            issuer = next((c for c in (parse_certificate(p) for v in self.state.certificates.values() for p in v)
                           if c.subject == certificate.issuer and c != certificate and _issued_by(certificate, c)),
                          None)
        self.state.certificate_hashes[pem] = certificate_hash_data(certificate, issuer)

    def _certificate_removed(self, kind: str, pem: str) -> None:
        installed = self.state.certificates.get(kind, [])
        if pem in installed:
            installed.remove(pem)
        if pem not in (p for v in self.state.certificates.values() for p in v):
            self.state.certificate_hashes.pop(pem, None)

    def _network_trust(self, slot: int, url: str) -> list[tuple[ssl.SSLContext | None, str | None]]:
        """How the server certificate of this attempt is validated: the TLS contexts to try in order, each with
        the role of its roots ("in force" / "fallback", None when AS-2 does not apply)."""
        roots = list(self._csms_roots())
        if urlsplit(url).scheme != "wss" or not roots:
            return [(None, None)]  # ws://, or no CSMS root installed (``serve station`` with wss://): system trust
        if "tls_ignores_installed_roots" in self.faults:
            return [(client_context(roots[:1]), None)]  # only the root the station was shipped with
        fallback, in_force = self.state.csms_root_fallback, self._csms_root_in_force()
        if not self.supports("AS-2") or fallback is None or in_force is None:
            return [(client_context(roots), None)]
        trials: list[tuple[ssl.SSLContext | None, str | None]] = [(client_context([in_force]), "in force")]
        migrating = self.state.network_last_slot is not None and slot != self.state.network_last_slot
        if not migrating or "csms_root_fallback_used_when_migrating" in self.faults:
            trials.append((client_context([fallback]), "fallback"))  # M05.FR.14, M05.FR.16
        return trials  # migrating: the new root only (M05.FR.15)

    async def _network_open(self, slot: int, url: str, message_timeout: float) -> Connection:
        """Connect through ``slot``: the server certificate validated with the new CSMS root, then (where allowed)
        with the fallback root; a connection validated with the new root removes the fallback (M05.FR.13)."""
        trials = self._network_trust(slot, url)
        for index, (context, role) in enumerate(trials):
            try:
                conn = await open_station_connection(
                    url, self.identity, password=self.password, log=self.events, ssl_context=context,
                    message_timeout=message_timeout, connect_timeout=self.connect_timeout,
                    handled_actions=actions_handled_by("ChargingStation"), default_handler=self._handle)
            except CheckFailed as exc:
                if index + 1 < len(trials) and "CERTIFICATE_VERIFY_FAILED" in str(exc.actual):
                    continue  # the server certificate does not chain to the new root: try the fallback
                raise
            fallback = self.state.csms_root_fallback
            if role == "in force" and fallback is not None and "csms_root_fallback_kept" not in self.faults:
                self._certificate_removed("CSMSRootCertificate", fallback)  # M05.FR.13
                self.state.csms_root_fallback = None
            return conn
        raise AssertionError("no TLS trial")  # _network_trust always gives one

    def _install_csms_root(self, pem: str, certificate: Any) -> dict[str, Any]:
        """InstallCertificate of a CSMSRootCertificate with AdditionalRootCertificateCheck (M05.FR.09-12)."""
        roots, current = self._csms_roots(), self._csms_root_in_force()
        if current is None:  # no CSMS root yet: nothing it must be signed by
            roots[:] = [pem]
            self.state.csms_root_fallback = None
            self._certificate_recorded(pem, certificate)
            return {"status": "Accepted"}
        old = parse_certificate(current)
        if certificate == old:  # the root in force again: nothing changes
            return {"status": "Accepted"}
        if not _issued_by(certificate, old):  # M05.FR.11
            return {"status": "Rejected", "statusInfo": {
                "reasonCode": "InvalidCertificate",
                "additionalInfo": "a new CSMS root must be signed by the CSMS root it replaces"}}
        # M05.FR.12: the new root is in force, the one it replaces stays as the only fallback (M05.FR.09).
        for previous in list(roots):
            if previous != current:
                self._certificate_removed("CSMSRootCertificate", previous)
        self._certificate_recorded(pem, certificate, old)
        if "csms_root_replaced_at_once" in self.faults:
            self._certificate_removed("CSMSRootCertificate", current)
            self.state.csms_root_fallback = None
        else:
            self.state.csms_root_fallback = current
        roots.append(pem)
        return {"status": "Accepted"}

    async def on_InstallCertificate(self, payload: dict[str, Any]) -> dict[str, Any]:
        """M05: install a root certificate; CSMS roots with AdditionalRootCertificateCheck when the station has AS-2,
        other roots (and all without AS-2) side by side."""
        kind, pem = payload["certificateType"], payload["certificate"]
        try:
            certificate = parse_certificate(pem)
        except ValueError:
            return {"status": "Rejected", "statusInfo": {"reasonCode": "InvalidCertificate",
                                                         "additionalInfo": "not a PEM encoded X.509 certificate"}}
        now = datetime.now(timezone.utc)
        if not certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc:  # M05.FR.07
            return {"status": "Rejected", "statusInfo": {"reasonCode": "InvalidCertificate",
                                                         "additionalInfo": "outside its validity period"}}
        if kind == "CSMSRootCertificate" and self.device_model.get("SecurityCtrlr", "AdditionalRootCertificateCheck"):
            return self._install_csms_root(pem, certificate)
        installed = self.state.certificates.setdefault(kind, [])
        same = [p for p in installed if parse_certificate(p) == certificate]
        capacity = self.device_model.spec("SecurityCtrlr.CertificateEntries").max_limit
        if not same and capacity is not None and sum(len(v) for v in self.state.certificates.values()) >= capacity:
            return {"status": "Rejected", "statusInfo": {"reasonCode": "OutOfStorage"}}  # M05.FR.06
        for previous in same:  # M05.FR.17: installed again, replaced
            self._certificate_removed(kind, previous)
        self._certificate_recorded(pem, certificate)
        installed.append(pem)
        return {"status": "Accepted"}  # M05.FR.02

    async def on_GetInstalledCertificateIds(self, payload: dict[str, Any]) -> dict[str, Any]:
        """M03: the CertificateHashData of every installed certificate of the requested types (all when absent)."""
        wanted = payload.get("certificateType") or None
        chain = [{"certificateType": kind, "certificateHashData": self.state.certificate_hashes.get(pem)
                  or certificate_hash_data(parse_certificate(pem))}
                 for kind, installed in self.state.certificates.items() if wanted is None or kind in wanted
                 for pem in installed]
        if not chain:
            return {"status": "NotFound"}  # M03.FR.02
        return {"status": "Accepted", "certificateHashDataChain": chain}  # M03.FR.03, M03.FR.04

    # ------------------------------------------------------------------ offline queue, reconnection (B04)
    def _backoff_settings(self) -> tuple[float, float, int]:
        """OCPPCommCtrlr RetryBackOffWaitMinimum, RetryBackOffRandomRange, RetryBackOffRepeatTimes (Part 4 §5.3)."""
        model = self.device_model
        return (float(model.get("OCPPCommCtrlr", "RetryBackOffWaitMinimum") or 0),
                float(model.get("OCPPCommCtrlr", "RetryBackOffRandomRange") or 0),
                int(model.get("OCPPCommCtrlr", "RetryBackOffRepeatTimes") or 0))

    def _connection_lost(self) -> None:
        """The connection ended without a restart: the offline period starts, and the first reconnect attempt
        waits RetryBackOffWaitMinimum (plus a random part)."""
        if self._restarting:
            self._restarting = False
            return  # a restart: it connects at once
        if self._offline_since is None and not self._needs_boot:  # not accepted yet: its next boot reports all
            self._offline_since = time.monotonic()
        if self._backoff is None:
            self._backoff = self._backoff_settings()[0]
            self._backoff_repeats = 0

    def _backoff_failed(self) -> None:
        """A connection attempt failed: double the back-off, at most RetryBackOffRepeatTimes times."""
        minimum, _, repeat_times = self._backoff_settings()
        if self._backoff is None:
            self._backoff, self._backoff_repeats = minimum, 0
            return
        if "reconnect_backoff_not_doubled" in self.faults:
            return
        if self._backoff_repeats < repeat_times:
            self._backoff *= 2
            self._backoff_repeats += 1

    async def _backoff_wait(self) -> None:
        """Wait the current back-off plus a random value up to RetryBackOffRandomRange; a restart ends it."""
        if self._backoff is None:
            return
        _, random_range, _ = self._backoff_settings()
        seconds = self._backoff + random.uniform(0, random_range)
        if "reconnect_without_backoff" in self.faults:
            seconds = self.reconnect_delay
        deadline = time.monotonic() + seconds
        while self._backoff is not None and not self._stopping and time.monotonic() < deadline:
            self._interrupt.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(deadline - time.monotonic()):
                    await self._interrupt.wait()

    def _forget_offline(self) -> None:
        """A restart: it connects at once and reports every connector when accepted (B01.FR.05)."""
        self._backoff = None
        self._restarting = True
        self._offline_since = None
        self._offline_changed.clear()

    def _is_offline(self) -> bool:
        """In an offline period (B04): the network is down, or the connection was lost and is not back yet."""
        return self._offline_since is not None and (self._offline or self.connection is None)

    def _offline_status_change(self, evse: int, connector: int, *, plugged: bool) -> dict[str, Any]:
        """A cable plugged in / out while offline: noted, reported after the reconnection (B04)."""
        if plugged:
            self.state.plugged.add((evse, connector))
        else:
            self.state.plugged.discard((evse, connector))
        self._offline_changed.add((evse, connector))
        return {"offline": True}

    async def _report_after_offline(self, conn: Connection) -> None:
        """After reconnecting: every connector when the offline period exceeded OCPPCommCtrlr.OfflineThreshold
        (B04.FR.01), else only those whose status changed meanwhile (B04.FR.02)."""
        if self._offline_since is None:
            return
        period = time.monotonic() - self._offline_since
        threshold = self.device_model.get("OCPPCommCtrlr", "OfflineThreshold") or 0
        changed, self._offline_since, self._offline_changed = self._offline_changed, None, set()
        report_all = period > threshold
        if "reconnect_reports_changed_only" in self.faults:
            report_all = False
        if "reconnect_reports_all_connectors" in self.faults:
            report_all = True
        connectors = [k for k in self._connectors() if report_all or k in changed]
        with contextlib.suppress(CheckFailed, SutDisconnected, SutTimeout):
            for evse, connector in connectors:
                await self.send_status(conn, evse, connector)


    # ------------------------------------------------------------------ action port
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
