"""The reference CSMS: a conformant CSMS built on the same OCPP-J core.

It accepts registered stations (HTTP Basic auth for security profile 1), answers their
messages, keeps track of boots, authorizes tokens from its list, records transactions, and
is driven through the action port: ``csms_send`` makes it send a request to a station,
``csms_configure`` changes its settings (boot answer, token status).

DataTransfer (P02): like the reference station, it implements the vendor extension of
:mod:`.vendor` (vendorId ``org.openconformance``, messageId ``Echo``).
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from typing import Any

from ..actions.port import ActionFailed
from ..protocol.errors import PeerError
from ..protocol import registration
from ..protocol.frames import Call, CallError, ErrorCode, encode, new_message_id, utc_now
from ..protocol.schemas import get_registry
from ..recording import EventLog
from ..transport.connection import IncomingCall, Response
from ..transport.server import CsmsServer
from ..faults import FaultSet
from .csms_meter_values import meter_value_refusal
from ..catalog import actions_handled_by
from .csms_authorization import LIST_LIMITS, CsmsAuthorization
from .csms_contracts import CsmsContracts
from .csms_remote import RemoteControl
from .csms_transactions import CsmsTransactions
from .rpc_reactions import react_to_invalid
from .vendor import answer_data_transfer, carries_custom_data


@dataclass
class StationRecord:
    identity: str
    boot_status: str = "Accepted"  # what the CSMS answers to the next BootNotification
    registration: str | None = None
    # What the CSMS asked the station for (B02.FR.02) since its last boot: the messages it answers while Pending.
    asked_for: set[str] = field(default_factory=set)
    boots: list[dict[str, Any]] = field(default_factory=list)
    statuses: dict[tuple[int, int], str] = field(default_factory=dict)
    transactions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    responses: list[Response] = field(default_factory=list)


def tokens_of(id_tokens: Any) -> dict[str, str]:
    """The idToken -> AuthorizationStatus list of a reference CSMS provisioned with a configuration's
    ``[id_tokens]`` (valid, group (a second valid token of valid's group, C09) and master_pass (C16): Accepted;
    blocked, expired, invalid: as named)."""
    tokens = {id_tokens.valid.id_token: "Accepted"}
    for name, status in (("group", "Accepted"), ("master_pass", "Accepted"), ("blocked", "Blocked"),
                         ("expired", "Expired"), ("invalid", "Invalid")):
        spec = getattr(id_tokens, name)
        if spec is not None:
            tokens[spec.id_token] = status
    return tokens


def token_groups(id_tokens: Any) -> dict[str, str]:
    """The idToken -> groupIdToken of a reference CSMS provisioned with a configuration's ``[id_tokens]``: each token
    configured with a ``group_id_token`` (C09, E01.FR.12: answered with it)."""
    return {spec.id_token: spec.group_id_token for _, spec in id_tokens.items() if spec.group_id_token}


def master_pass_group(id_tokens: Any) -> str | None:
    """The MasterPassGroupId a reference CSMS provisioned with ``[id_tokens]`` knows: the master pass's group (C16)."""
    return id_tokens.master_pass.group_id_token if id_tokens.master_pass is not None else None


class ReferenceCsms:
    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, path: str = "/ocpp",
                 passwords: dict[str, str | None], security_profile: int = 1, faults: FaultSet | None = None,
                 tokens: dict[str, str] | None = None, groups: dict[str, str] | None = None, heartbeat_interval: int = 300, boot_retry_interval: int = 1,
                 message_timeout: float = 10.0, log_events: EventLog | None = None,
                 features: frozenset[str] | None = None, master_pass_group: str | None = None) -> None:
        self.faults = faults or FaultSet(sut="csms")
        # What the CSMS's PICS declares: it behaves as a product with exactly these features (all when not told).
        self.features = frozenset(features) if features is not None else None
        self.tokens = dict(tokens or {})  # idToken -> AuthorizationStatus
        self.groups = dict(groups or {})  # idToken -> the idToken of its groupIdToken (C09)
        self.heartbeat_interval = heartbeat_interval
        self.boot_retry_interval = boot_retry_interval
        self.stations: dict[str, StationRecord] = {i: StationRecord(i) for i in passwords}
        self.server = CsmsServer(host=host, port=port, path=path, log=log_events, message_timeout=message_timeout,
                                 passwords=passwords, security_profile=security_profile,
                                 handled_actions=actions_handled_by("CSMS"),
                                 default_handler_for=self._handler_for)
        self.server.echo_first_subprotocol = "csms_selects_first_offered_subprotocol" in self.faults
        if "csms_always_names_ocpp201" in self.faults:  # the handshake names ocpp2.0.1 whatever was offered
            self.server._select_subprotocol = lambda connection, offered: "ocpp2.0.1"  # type: ignore[method-assign]
        reaction = react_to_invalid(self.faults, "csms")  # Part 4 §4.2.3 (or a fault)
        self.server.on_connect = lambda conn: (setattr(conn, "react_to_invalid", reaction),
                                               setattr(conn, "edit_outgoing", self.faults.edit))
        self._tasks: set[asyncio.Task[Any]] = set()
        self.remote = RemoteControl(self.faults)  # RequestStartTransaction, UnlockConnector, TriggerMessage (F)
        # C01-C16, D01-D02: the token store (the same dicts as self.tokens / self.groups) and local list management
        self.authorization = CsmsAuthorization(self.faults, self.tokens, self.groups, master_pass_group)
        self.transactions = CsmsTransactions(self.faults, self._token_info, self.supports)  # E01-E14
        self.contracts = CsmsContracts(self.faults, self._token_info)  # C07 contract certificates (c15118)

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
            if incoming.action == "BootNotification":
                self._boot_received(record, incoming)
            refusal = registration.csms_answer(record.registration, incoming.action,
                                               triggered=incoming.action in record.asked_for)
            if refusal is not None and refusal.is_error and not self._boot_serves_anyway(record):
                return CallError(incoming.message_id, refusal.error_code,
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
            if (refused := meter_value_refusal(self.faults, incoming)) is not None:  # block J faults
                return refused
            remote_refusal = self.remote.refusal(incoming)  # block F faults
            if remote_refusal is not None:
                return remote_refusal
            method = getattr(self, f"on_{incoming.action}", None)
            if method is None:
                return CallError(incoming.message_id, ErrorCode.NOT_SUPPORTED,
                                 f"{incoming.action} is not supported by the reference CSMS", {})
            result = method(record, payload)
            return await result if asyncio.iscoroutine(result) else result  # an answer that needs I/O (C07 OCSP)
        return handle

    def on_BootNotification(self, record: StationRecord, payload: dict[str, Any]) -> dict[str, Any]:
        status = record.boot_status
        if "boot_rejects_known_station" in self.faults:
            status = "Rejected"
        if "csms_rejects_triggered_boot" in self.faults and payload["reason"] == "Triggered":
            status = "Rejected"
        record.boots.append(payload)
        record.registration = status
        record.asked_for.clear()
        interval = self.heartbeat_interval if status == "Accepted" else self.boot_retry_interval
        if status == "Pending" and record.boot_status == "Pending" \
                and "csms_pending_until_operator_accepts" not in self.faults:
            record.boot_status = "Accepted"  # configured to *first* answer Pending: accept the next attempt
        return {"currentTime": utc_now(), "interval": interval, "status": status}

    def on_Heartbeat(self, record: StationRecord, payload: dict[str, Any]) -> dict[str, Any]:
        return {"currentTime": utc_now()}

    def on_StatusNotification(self, record: StationRecord, payload: dict[str, Any]) -> dict[str, Any]:
        record.statuses[(payload["evseId"], payload["connectorId"])] = payload["connectorStatus"]
        self.transactions.connector_status(record.identity, payload["evseId"], payload["connectorId"],
                                           payload["connectorStatus"])
        return {}

    def _empty(self, record: StationRecord, payload: dict[str, Any]) -> dict[str, Any]:
        return {}

    on_NotifyEvent = on_SecurityEventNotification = on_MeterValues = _empty
    on_FirmwareStatusNotification = on_LogStatusNotification = on_NotifyMonitoringReport = _empty

    def _token_info(self, id_token: dict[str, Any]) -> dict[str, Any]:
        return self.authorization.token_info(id_token)  # the one token store (csms_authorization.py)

    def on_Authorize(self, record: StationRecord, payload: dict[str, Any]) -> Any:
        if self.contracts.concerns(payload):  # C07: contract certificate data (csms_contracts.py, c15118)
            return self.contracts.on_authorize(payload)
        return {"idTokenInfo": self.authorization.on_authorize(record.identity, payload["idToken"])}

    def on_TransactionEvent(self, record: StationRecord, payload: dict[str, Any]) -> dict[str, Any] | CallError:
        record.transactions.setdefault(payload["transactionInfo"]["transactionId"], []).append(payload)
        self.remote.transaction_event(record.identity, payload)
        answer = self.transactions.on_event(record.identity, payload)
        if isinstance(answer, dict) and "idTokenInfo" in answer:  # C12.FR.03, C09.FR.12 (csms_authorization.py)
            answer["idTokenInfo"] = self.authorization.transaction_token_info(record.identity, payload["idToken"],
                                                                              answer["idTokenInfo"])
        return answer

    def on_DataTransfer(self, record: StationRecord, payload: dict[str, Any]) -> dict[str, Any]:
        if "csms_data_transfer_accepts_unknown_vendor" in self.faults:
            return {"status": "Accepted"}
        return answer_data_transfer(payload)  # P02.FR.06, P02.FR.07

    # ------------------------------------------------------------------ CSMS -> station
    async def send(self, identity: str, action: str, payload: dict[str, Any]) -> Response:
        conn = self.server.connections.get(identity)
        if conn is None or not conn.is_open:
            raise ActionFailed("csms_send", {"station": identity, "request": action},
                               f"station {identity!r} is not connected to the reference CSMS")
        record = self.stations.setdefault(identity, StationRecord(identity))
        if not registration.csms_may_send(record.registration, action, requested_message=payload.get(
                "requestedMessage")) and "csms_queries_rejected_station" not in self.faults:
            rule = registration.CSMS_SENDS[record.registration]
            raise ActionFailed("csms_send", {"station": identity, "request": action},
                               f"the reference CSMS sends no {action} to a {record.registration} station "
                               f"({', '.join(rule.requirements)})")
        asked = registration.triggered_by(action, payload)
        if asked is not None:
            record.asked_for.add(asked)  # answered while Pending (B02.FR.09)
        if action == "TriggerMessage" and payload.get("requestedMessage") == "BootNotification" \
                and record.boot_status != "Accepted" and "csms_pending_until_operator_accepts" not in self.faults:
            record.boot_status = "Accepted"  # it asks a Pending / Rejected station to boot again to accept it (F06)
        if "csms_does_not_wait_for_response" in self.faults and conn.rpc.our_outstanding is not None:
            call = Call(new_message_id(), action, payload)  # no queue per station: out at once, answer ignored
            await conn.send_raw(encode(call))
            return Response(call, None, 0.0, 0.0)
        self.remote.sending(identity, action, payload)
        response = await conn.call(action, payload)
        record.responses.append(response)
        await self.remote.answered(identity, action, payload, response, conn)
        return response

    def _request_payload(self, action: str, fields: dict[str, Any]) -> dict[str, Any]:
        payload = dict(fields)
        if action in ("GetBaseReport", "GetReport"):
            payload = self._report_request_payload(action, payload)
        violations = get_registry().validate(action, "request", payload)
        if violations:
            raise ActionFailed("csms_send", {"request": action},
                               f"cannot send {action}: " + "; ".join(f"{v.path}: {v.message}" for v in violations))
        return payload

    # ------------------------------------------------------------------ reports (B07/B08), ItemsPerMessage (B06)
    # Every NotifyReportRequest part is kept per station and requestId (:attr:`reports`), so an operator can see
    # the report. What the CSMS learns of a station's DeviceDataCtrlr.ItemsPerMessage[GetVariables] (from a
    # GetVariablesResponse or a report) bounds its GetVariablesRequests: an operator's request for more variables
    # is sent as several requests (B06.FR.05). While the limit is not known the request goes out as asked.
    # A report request without requestId (the operator does not choose one) gets the next number from 0.
    def _report_state(self) -> dict[str, Any]:
        return self.__dict__.setdefault("_report_state_", {"reports": {}, "limits": {}, "next_id": 0})

    @property
    def reports(self) -> dict[str, dict[int, list[dict[str, Any]]]]:
        """identity -> requestId -> the NotifyReportRequest payloads received, in arrival order."""
        return self._report_state()["reports"]

    @property
    def items_per_message_get_variables(self) -> dict[str, int]:
        """identity -> the station's ItemsPerMessage[GetVariables] as far as the CSMS knows it."""
        return self._report_state()["limits"]

    def on_NotifyReport(self, record: StationRecord, payload: dict[str, Any]) -> dict[str, Any] | CallError:
        if "csms_notify_report_not_implemented" in self.faults:
            return CallError("", ErrorCode.NOT_IMPLEMENTED, "no handler for NotifyReport", {})
        self.reports.setdefault(record.identity, {}).setdefault(payload["requestId"], []).append(payload)
        for entry in payload.get("reportData", []):
            actual = next((a.get("value") for a in entry.get("variableAttribute", [])
                           if a.get("type", "Actual") == "Actual"), None)
            self._learn_limit(record.identity, entry.get("component", {}), entry.get("variable", {}), actual)
        return {}

    def _learn_limit(self, identity: str, component: dict[str, Any], variable: dict[str, Any], value: Any) -> None:
        if str(component.get("name", "")).casefold() == "devicedatactrlr" \
                and str(variable.get("name", "")).casefold() == "itemspermessage" \
                and str(variable.get("instance", "")).casefold() == "getvariables" \
                and isinstance(value, str) and value.isdigit() and int(value) > 0:
            self.items_per_message_get_variables[identity] = int(value)

    def _report_request_payload(self, action: str, payload: dict[str, Any]) -> dict[str, Any]:
        payload = dict(payload)
        if "requestId" not in payload:
            state = self._report_state()
            payload["requestId"] = state["next_id"]
            state["next_id"] += 1
        return payload

    async def _send_get_variables(self, identity: str, payload: dict[str, Any]) -> None:
        """The operator's GetVariables, in requests of at most the station's ItemsPerMessage[GetVariables]. One
        operation per station at a time, so one learns the limit before the next is cut to it."""
        lock = self._report_state().setdefault("locks", {}).setdefault(identity, asyncio.Lock())
        async with lock:
            await self._send_get_variables_now(identity, payload)

    async def _send_get_variables_now(self, identity: str, payload: dict[str, Any]) -> None:
        items = list(payload["getVariableData"])
        limit = self.items_per_message_get_variables.get(identity)
        if limit is None or "csms_get_variables_ignores_items_per_message" in self.faults:
            limit = len(items)
        elif "csms_items_per_message_off_by_one" in self.faults:
            limit += 1
        elif "csms_get_variables_balanced_split" in self.faults and len(items) > limit:
            limit = -(-len(items) // -(-len(items) // limit))  # as many requests as needed, evenly filled
        for start in range(0, len(items), max(limit, 1)):
            with contextlib.suppress(PeerError, ActionFailed):
                response = await self.send(identity, "GetVariables",
                                           dict(payload, getVariableData=items[start:start + limit]))
                if response.ok:
                    for result in response.payload.get("getVariableResult", []):
                        if result.get("attributeStatus") == "Accepted" and \
                                result.get("attributeType", "Actual") == "Actual":
                            self._learn_limit(identity, result.get("component", {}), result.get("variable", {}),
                                              result.get("attributeValue"))

    # ------------------------------------------------------------------ boot (B02/B03)
    def _boot_received(self, record: StationRecord, incoming: IncomingCall) -> None:
        """The fault csms_pending_closes_connection: once a boot is answered Pending, the CSMS hangs up. The fault
        csms_queries_rejected_station: once a boot is answered Rejected, the CSMS asks the station about itself."""
        if "csms_queries_rejected_station" in self.faults and record.boot_status == "Rejected":
            async def query() -> None:
                await incoming.answered.wait()
                with contextlib.suppress(Exception):
                    await self.send(record.identity, "GetVariables", {"getVariableData": [
                        {"component": {"name": "SecurityCtrlr"}, "variable": {"name": "SecurityProfile"}}]})
            task = asyncio.get_running_loop().create_task(query())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        if "csms_pending_closes_connection" not in self.faults or record.boot_status != "Pending":
            return

        async def hang_up() -> None:
            await incoming.answered.wait()
            await incoming.connection.close(1000, "station pending")
        task = asyncio.get_running_loop().create_task(hang_up())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _boot_serves_anyway(self, record: StationRecord) -> bool:
        """The fault csms_serves_pending_station: only a Rejected station's CALLs are refused (B02.FR.09)."""
        return "csms_serves_pending_station" in self.faults and record.registration == "Pending"

    # ------------------------------------------------------------------ action port
    async def perform_action(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        if action == "csms_send":
            identity = params["station"]
            request = params["request"]
            payload = self.transactions.outgoing(identity, request, self._request_payload(
                request, self.authorization.prepare(identity, request,
                                                    self.remote.prepare(request, params.get("payload", {})))))
            conn = self.server.connections.get(identity)
            if conn is None or not conn.is_open:
                raise ActionFailed(action, params, f"station {identity!r} is not connected to the reference CSMS")
            # Like an operator clicking a button: the request is on its way; the answer comes later.
            if self.authorization.skips(identity, request):  # a fault: answered from what the CSMS knows
                return {"sent": request}
            task = asyncio.create_task(self._send_get_variables(identity, payload) if request == "GetVariables"
                                       else self._send_local_list(identity, payload) if request == "SendLocalList"
                                       else self._send_logged(identity, request, payload))
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
            if setting == "iso15118_root_certificate":  # C07: a V2G / MO root it trusts (c15118)
                self.contracts.trust(str(value))
                return {}
            if setting == "token_group":  # the groupIdToken it answers for the idToken (C09, E01.FR.12)
                self.groups[params["id_token"]] = str(value)
                return {}
            raise ActionFailed(action, params, f"unknown reference CSMS setting {setting!r}")
        raise ActionFailed(action, params, f"the reference CSMS does not implement action {action!r}")

    async def _send_logged(self, identity: str, action: str, payload: dict[str, Any]) -> None:
        with contextlib.suppress(PeerError, ActionFailed):
            response = await self.send(identity, action, payload)
            self.authorization.answered(identity, action, payload, response.payload if response.ok else None)

    async def _send_local_list(self, identity: str, payload: dict[str, Any]) -> None:
        """SendLocalList (D01): a Differential update after asking the station's version (D02), numbered above it;
        a list larger than the station's LocalAuthListCtrlr limits (read once per station) in parts (D01.FR.11)."""
        record = self.authorization.list_of(identity)
        if not record.limits_asked:
            with contextlib.suppress(PeerError, ActionFailed):
                response = await self.send(identity, "GetVariables", {"getVariableData": LIST_LIMITS})
                self.authorization.learn_limits(identity, response.payload.get("getVariableResult", [])
                                                if response.ok else [])
        if self.authorization.needs_version_first(identity, "SendLocalList", payload):
            await self._send_logged(identity, "GetLocalListVersion", {})
            payload = self.authorization.prepare(identity, "SendLocalList",
                                                 {k: v for k, v in payload.items() if k != "versionNumber"})
        for part in self.authorization.parts(identity, payload):
            await self._send_logged(identity, "SendLocalList", part)
