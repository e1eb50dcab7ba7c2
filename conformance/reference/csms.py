"""The reference CSMS: a conformant CSMS built on the same OCPP-J core.

It accepts registered stations (HTTP Basic auth for security profile 1), answers their
messages, keeps track of boots, authorizes tokens from its list, records transactions, and
is driven through the action port: ``csms_send`` makes it send a request to a station,
``csms_configure`` changes its settings (boot answer, token status).

DataTransfer (P02): like the reference station, it implements vendorId ``org.openconformance``
with messageId ``Echo`` (Accepted, the data returned); another messageId of that vendor is answered
UnknownMessageId (P02.FR.07), a missing messageId Rejected (our vendor agreement, P02.FR.08), any
other vendorId UnknownVendorId (P02.FR.06). customData (Part 4 §9) is accepted anywhere and ignored.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from typing import Any

from ..actions.port import ActionFailed
from ..outcomes import CheckFailed
from ..protocol.frames import CallError, ErrorCode, utc_now
from ..protocol.schemas import get_registry
from ..recording import EventLog
from ..transport.connection import IncomingCall, Response
from ..transport.server import CsmsServer
from .faults import FaultSet, carries_custom_data
from ..catalog import actions_handled_by
from .station import VENDOR_ID, VENDOR_MESSAGES

# While a station is not accepted, only these CALLs are answered normally (B01.FR.10 / B02).
_ALLOWED_BEFORE_ACCEPTED = {"BootNotification"}


@dataclass
class StationRecord:
    identity: str
    boot_status: str = "Accepted"  # what the CSMS answers to the next BootNotification
    registration: str | None = None
    boots: list[dict[str, Any]] = field(default_factory=list)
    statuses: dict[tuple[int, int], str] = field(default_factory=dict)
    transactions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    responses: list[Response] = field(default_factory=list)


class ReferenceCsms:
    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, path: str = "/ocpp",
                 passwords: dict[str, str | None], security_profile: int = 1, faults: FaultSet | None = None,
                 tokens: dict[str, str] | None = None, heartbeat_interval: int = 300, boot_retry_interval: int = 1,
                 message_timeout: float = 10.0, log_events: EventLog | None = None,
                 features: frozenset[str] | None = None) -> None:
        self.faults = faults or FaultSet(sut="csms")
        # What the CSMS's PICS declares: it behaves as a product with exactly these features (all when not told).
        self.features = frozenset(features) if features is not None else None
        self.tokens = dict(tokens or {})  # idToken -> AuthorizationStatus
        self.heartbeat_interval = heartbeat_interval
        self.boot_retry_interval = boot_retry_interval
        self.stations: dict[str, StationRecord] = {i: StationRecord(i) for i in passwords}
        self.server = CsmsServer(host=host, port=port, path=path, log=log_events, message_timeout=message_timeout,
                                 passwords=passwords, security_profile=security_profile,
                                 handled_actions=actions_handled_by("CSMS"),
                                 default_handler_for=self._handler_for)
        self._tasks: set[asyncio.Task[Any]] = set()

    def supports(self, feature: str) -> bool:
        return self.features is None or feature in self.features

    @property
    def url(self) -> str:
        return self.server.url

    async def start(self) -> "ReferenceCsms":
        await self.server.start()
        return self

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await self.server.stop()

    # ------------------------------------------------------------------ station -> CSMS
    def _handler_for(self, identity: str):
        record = self.stations.setdefault(identity, StationRecord(identity))

        async def handle(incoming: IncomingCall) -> dict[str, Any] | CallError:
            if incoming.action not in _ALLOWED_BEFORE_ACCEPTED and record.registration != "Accepted":
                return CallError(incoming.message_id, ErrorCode.SECURITY_ERROR,
                                 "station is not accepted (send BootNotification first)", {})
            payload = incoming.payload
            if "csms_rejects_custom_data" in self.faults and carries_custom_data(payload) or \
                    "csms_rejects_nested_custom_data" in self.faults and carries_custom_data(payload, nested_only=True):
                return CallError(incoming.message_id, ErrorCode.FORMAT_VIOLATION,
                                 "unexpected property 'customData'", {})
            if incoming.action == "NotifyEvent" and "csms_notify_event_not_implemented" in self.faults:
                return CallError(incoming.message_id, ErrorCode.NOT_IMPLEMENTED, "no handler for NotifyEvent", {})
            if incoming.action == "StatusNotification" and payload.get("connectorStatus") == "Unavailable" \
                    and "csms_rejects_unavailable_status" in self.faults:
                return CallError(incoming.message_id, ErrorCode.PROPERTY_CONSTRAINT_VIOLATION,
                                 "connectorStatus: unknown value 'Unavailable'", {})
            if incoming.action == "DataTransfer" and "csms_data_transfer_not_implemented" in self.faults:
                return CallError(incoming.message_id, ErrorCode.NOT_IMPLEMENTED, "no handler for DataTransfer", {})
            method = getattr(self, f"on_{incoming.action}", None)
            if method is None:
                return CallError(incoming.message_id, ErrorCode.NOT_SUPPORTED,
                                 f"{incoming.action} is not supported by the reference CSMS", {})
            return method(record, payload)
        return handle

    def on_BootNotification(self, record: StationRecord, payload: dict[str, Any]) -> dict[str, Any]:
        status = record.boot_status
        if "boot_rejects_known_station" in self.faults:
            status = "Rejected"
        record.boots.append(payload)
        record.registration = status
        interval = self.heartbeat_interval if status == "Accepted" else self.boot_retry_interval
        if status == "Pending" and record.boot_status == "Pending":
            record.boot_status = "Accepted"  # accept on the next attempt
        return {"currentTime": utc_now(), "interval": interval, "status": status}

    def on_Heartbeat(self, record: StationRecord, payload: dict[str, Any]) -> dict[str, Any]:
        return {"currentTime": utc_now()}

    def on_StatusNotification(self, record: StationRecord, payload: dict[str, Any]) -> dict[str, Any]:
        record.statuses[(payload["evseId"], payload["connectorId"])] = payload["connectorStatus"]
        return {}

    def _empty(self, record: StationRecord, payload: dict[str, Any]) -> dict[str, Any]:
        return {}

    on_NotifyEvent = on_SecurityEventNotification = on_MeterValues = on_NotifyReport = _empty
    on_FirmwareStatusNotification = on_LogStatusNotification = on_NotifyMonitoringReport = _empty

    def _token_info(self, id_token: dict[str, Any]) -> dict[str, Any]:
        if id_token.get("type") == "NoAuthorization":
            return {"status": "Accepted"}
        return {"status": self.tokens.get(id_token.get("idToken", ""), "Unknown")}

    def on_Authorize(self, record: StationRecord, payload: dict[str, Any]) -> dict[str, Any]:
        return {"idTokenInfo": self._token_info(payload["idToken"])}

    def on_TransactionEvent(self, record: StationRecord, payload: dict[str, Any]) -> dict[str, Any]:
        record.transactions.setdefault(payload["transactionInfo"]["transactionId"], []).append(payload)
        if "idToken" in payload:
            return {"idTokenInfo": self._token_info(payload["idToken"])}
        return {}

    def on_DataTransfer(self, record: StationRecord, payload: dict[str, Any]) -> dict[str, Any]:
        if "csms_data_transfer_accepts_unknown_vendor" in self.faults:
            return {"status": "Accepted"}
        if payload["vendorId"] != VENDOR_ID:
            return {"status": "UnknownVendorId"}  # P02.FR.06
        if "messageId" not in payload:
            return {"status": "Rejected", "statusInfo": {"reasonCode": "MissingParam",
                                                         "additionalInfo": "messageId is required"}}
        if payload["messageId"] not in VENDOR_MESSAGES:
            return {"status": "UnknownMessageId"}  # P02.FR.07
        answer: dict[str, Any] = {"status": "Accepted"}
        if "data" in payload:
            answer["data"] = payload["data"]
        return answer

    # ------------------------------------------------------------------ CSMS -> station
    async def send(self, identity: str, action: str, payload: dict[str, Any]) -> Response:
        conn = self.server.connections.get(identity)
        if conn is None or not conn.is_open:
            raise ActionFailed("csms_send", {"station": identity, "request": action},
                               f"station {identity!r} is not connected to the reference CSMS")
        response = await conn.call(action, payload)
        self.stations.setdefault(identity, StationRecord(identity)).responses.append(response)
        return response

    def _request_payload(self, action: str, fields: dict[str, Any]) -> dict[str, Any]:
        payload = dict(fields)
        if action == "GetVariables" and "get_variables_wrong_component" in self.faults:
            payload["getVariableData"] = [
                dict(item, component=dict(item["component"], name=item["component"]["name"].replace("Ctrlr", "Ctrl")))
                for item in payload["getVariableData"]]
        if action == "SetVariables":
            if "csms_set_variables_wrong_component" in self.faults:
                payload["setVariableData"] = [
                    dict(item, component=dict(item["component"],
                                              name=item["component"]["name"].replace("Ctrlr", "Ctrl")))
                    for item in payload["setVariableData"]]
            if "csms_set_variables_first_entry_only" in self.faults:
                payload["setVariableData"] = payload["setVariableData"][:1]
        if action == "ChangeAvailability":
            if "csms_change_availability_inverted" in self.faults:
                payload["operationalStatus"] = "Inoperative"
            if "csms_change_availability_drops_connector" in self.faults and "evse" in payload:
                payload["evse"] = {"id": payload["evse"]["id"]}
            if "csms_change_availability_default_evse" in self.faults and "evse" not in payload:
                payload["evse"] = {"id": 1}
        violations = get_registry().validate(action, "request", payload)
        if violations:
            raise ActionFailed("csms_send", {"request": action},
                               f"cannot send {action}: " + "; ".join(f"{v.path}: {v.message}" for v in violations))
        return payload

    # ------------------------------------------------------------------ reports (B07/B08), ItemsPerMessage (B06)

    # ------------------------------------------------------------------ boot (B02/B03)

    # ------------------------------------------------------------------ reset (B11/B12)

    # ------------------------------------------------------------------ network profiles (B09)

    # ------------------------------------------------------------------ action port
    async def perform_action(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        if action == "csms_send":
            identity = params["station"]
            request = params["request"]
            payload = self._request_payload(request, params.get("payload", {}))
            conn = self.server.connections.get(identity)
            if conn is None or not conn.is_open:
                raise ActionFailed(action, params, f"station {identity!r} is not connected to the reference CSMS")
            # Like an operator clicking a button: the request is on its way; the answer comes later.
            task = asyncio.create_task(self._send_logged(identity, request, payload))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            return {"sent": request}
        if action == "csms_configure":
            setting, value = params["setting"], params.get("value")
            if setting == "boot_status":
                identity = params.get("station")
                targets = [self.stations.setdefault(identity, StationRecord(identity))] if identity else \
                    list(self.stations.values())
                for record in targets:
                    record.boot_status = str(value)
                return {}
            if setting == "token_status":
                self.tokens[params["id_token"]] = str(value)
                return {}
            raise ActionFailed(action, params, f"unknown reference CSMS setting {setting!r}")
        raise ActionFailed(action, params, f"the reference CSMS does not implement action {action!r}")

    async def _send_logged(self, identity: str, action: str, payload: dict[str, Any]) -> None:
        with contextlib.suppress(CheckFailed, ActionFailed):
            await self.send(identity, action, payload)
