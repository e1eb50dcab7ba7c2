"""The system under test as a test case sees it.

* :class:`ChargingStationUnderTest`: the SUT is a Charging Station; the harness is its CSMS.
* :class:`CsmsUnderTest`: the SUT is a CSMS; the harness is one or more Charging Stations.

Both offer the same verbs (``expect_call``, ``call``, ``actions``, ``check``) so cases of
both roles read alike. Physical and operator steps go through ``actions`` only.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import time
import types
import weakref
from typing import Any, AsyncIterator, Callable, Iterator, Mapping

from ..actions.port import CLOSES_CONNECTION, ActionPort
from ..outcomes import CheckFailed, HarnessError, Inconclusive, NotApplicable
from ..protocol.errors import LocalError, PeerError, PeerTimeout
from ..protocol import registration
from ..protocol.judge import Judgement, expected_reaction, judge_reaction
from ..protocol.examples import build_example
from ..protocol.meter_values import EnergyMeter, MeterSigner
from ..protocol.frames import CallError, ErrorCode, utc_now
from ..protocol.patterns import Satisfies
from ..device_model.model import DeviceModel
from ..protocol.variable_names import sources_of, spellings
from ..roles import Role
from ..catalog import actions_handled_by
from ..transport.client import open_station_connection
from ..transport.connection import Connection, IncomingCall, Response
from .checks import Checker
from .context import RunContext
from .sent_reports import HarnessReports


def connectors_of(ctx: RunContext) -> list[tuple[int, int]]:
    return [(evse.id, connector) for evse in ctx.config.evses for connector in evse.connectors]


class InstructedActions:
    """The action port as a case sees it: every action (an operator or physical step, ``csms_send``,
    ``csms_configure``) is an instruction, given through :meth:`_Side.before_instruction` first (the operator
    think time; on the CSMS side, the moment from which the SUT's reaction is awaited). Everything else is
    the :class:`ActionPort`'s, whose convenience methods (``plug_in`` ...) run through :meth:`run` here."""

    def __init__(self, side: "_Side", port: ActionPort) -> None:
        self._side = side
        self.port = port

    async def do(self, action: str, /, **params: Any) -> dict[str, Any]:
        return await self.run(action, params)

    async def run(self, action: str, params: Mapping[str, Any], *, timeout: float | None = None) -> dict[str, Any]:
        await self._side.before_instruction(action)
        return await self.port.run(action, params, timeout=timeout)

    def __getattr__(self, name: str) -> Any:
        method = getattr(type(self.port), name, None)
        if inspect.isfunction(method):
            return types.MethodType(method, self)  # e.g. ActionPort.plug_in -> self.do -> self.run
        return getattr(self.port, name)


class _Side:
    def __init__(self, ctx: RunContext) -> None:
        self.ctx = ctx
        self.config = ctx.config
        self.check = Checker(ctx.log)
        self.actions: ActionPort = InstructedActions(self, ctx.actions)  # type: ignore[assignment]
        self.message_timeout = ctx.message_timeout
        self.tolerance = ctx.config.timing.max_time_deviation

    def no_sooner_than(self, name: str, measured: float, *, required: float, requirements: tuple[str, ...]) -> None:
        """A lower-bound timing check: ``measured`` is at least ``required`` seconds, within the configured max time
        deviation (``timing.max_time_deviation``, Part 6 §2.1). No upper bound: only where a document gives one."""
        self.check.timing(name, measured, required=required, tolerance=self.tolerance, at_least=True,
                          requirements=requirements)

    async def before_instruction(self, action: str) -> None:
        """Before the case instructs the operator (or the SUT's back office): an operator does not act within a
        millisecond of the SUT's last message (``timing.operator_think_time``, recorded as a wait), and the
        SUT's reaction is awaited from now on (:meth:`instruction_given`)."""
        think = self.ctx.scaled(self.config.timing.operator_think_time)
        last = getattr(self.ctx, "last_sut_message", None)
        if think > 0 and last is not None:
            remaining = last + think - time.monotonic()
            if remaining > 0:
                self.ctx.log.emit("wait", reason=f"operator think time before {action}", seconds=round(remaining, 3),
                                  pacing="operator_think_time")
                await asyncio.sleep(remaining)  # pacing, not a wait for the SUT: nothing to await
        self.instruction_given(action)

    def instruction_given(self, action: str) -> None:
        """The case gives an instruction now (each side says what that changes)."""

    def note(self, message: str, **data: Any) -> None:
        self.ctx.log.emit("note", level="info", message=message, **data)

    def protocol_wait(self, seconds: float, reason: str) -> None:
        """Record that the case is about to wait ``seconds`` because the protocol makes it (an interval the
        SUT must honour: heartbeat, boot retry, offline threshold). ``expect_no_call`` records its silence
        window the same way. The report draws these on the timeline; bench/bench_slice.py sums them."""
        self.ctx.log.emit("wait", reason=reason, seconds=seconds)

    @property
    def connectors(self) -> list[tuple[int, int]]:
        return connectors_of(self.ctx)

    def require_profiles(self, *profiles: str, reason: str) -> None:
        """A case's own prerequisite on the PICS, for what Part 5 does not state (a Part 6
        "Prerequisite(s)" such as "supports Smart Charging" of a case Part 5 does not list):
        NOT APPLICABLE unless the SUT claims every one of ``profiles``; ``reason`` says why."""
        missing = [p for p in profiles if p not in self.config.pics.profiles]
        if missing:
            raise NotApplicable("; ".join(f"profile {p} is not claimed in the PICS" for p in missing)
                                + f" ({reason})")

    @property
    def connection(self) -> Connection:  # each side says where its connection is
        raise NotImplementedError

    def open_connections(self) -> list[Connection]:
        return [self.connection]

    def expect_close(self, reason: str) -> None:
        """Declare that the SUT may close (or lose) its connection from now on: a reboot the case asked for.
        A close that is not declared, and not asked for by the harness, is a finding (OCPP-J Part 4 §5)."""
        for conn in self.open_connections():
            conn.expect_close(reason)

    async def send_malformed(self, raw: str, *, requirements: tuple[str, ...] = ("FR.03",),
                             handled_actions: frozenset[str] | None = None) -> Judgement:
        """Send a malformed frame and judge the SUT's reaction against Part 4: every reaction
        the text allows passes (the check names which), only the preferred one in strict mode."""
        expected = expected_reaction(raw, handled_actions)
        if expected is None:
            raise HarnessError(f"send_malformed was given a frame that is valid: {raw[:80]}")
        answer = await self.connection.send_malformed(raw, answer_id=expected.message_id)
        verdict = judge_reaction(expected, answer, strict=self.config.strict)
        self.check.that(f"the SUT rejects a malformed frame ({expected.reason}): {verdict.detail}", verdict.ok,
                        expected=f"CALLERROR {' or '.join(expected.allowed)}"
                                 + (" or no response" if expected.may_drop and not self.config.strict else ""),
                        actual=verdict.reaction, requirements=requirements)
        return verdict


# --------------------------------------------------------------------------- harness = CSMS
def default_token_info(ctx: RunContext) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """The idTokenInfo the harness CSMS answers for an idToken unless a case says otherwise: Accepted for the
    configured valid token (and NoAuthorization), Blocked / Expired / Invalid for the configured tokens of those
    roles, Unknown for any other."""
    valid = {ctx.config.id_tokens.valid.id_token}
    statuses = {}
    for name, status in (("blocked", "Blocked"), ("expired", "Expired"), ("invalid", "Invalid")):
        spec = getattr(ctx.config.id_tokens, name)
        if spec is not None:
            statuses[spec.id_token] = status

    def token_info(token: dict[str, Any]) -> dict[str, Any]:
        if token.get("type") == "NoAuthorization" or token.get("idToken") in valid:
            return {"status": "Accepted"}
        return {"status": statuses.get(token.get("idToken"), "Unknown")}

    return token_info


def csms_default_handler(ctx: RunContext, *, overrides: bool = True):
    """How the harness, acting as CSMS, answers a station's CALLs unless a case says otherwise (``overrides``:
    what a case set through :meth:`ChargingStationUnderTest.answering` comes first; False: the plain answer, for a
    case's own handler that answers some CALLs as usual)."""
    token_info = default_token_info(ctx)

    def handle(incoming: IncomingCall) -> dict[str, Any] | CallError:
        action, payload = incoming.action, incoming.payload
        if action == "BootNotification":
            station = payload.get("chargingStation", {})
            ctx.log.emit("sut_identity", identity=incoming.connection.identity, vendor=station.get("vendorName"),
                         model=station.get("model"), serial=station.get("serialNumber"),
                         firmware=station.get("firmwareVersion"))
        override = ctx.response_overrides.get(action) if overrides else None
        if override is not None:
            return override(incoming) if callable(override) else override
        if action == "BootNotification":
            return {"currentTime": utc_now(), "interval": ctx.config.timing.heartbeat_interval, "status": "Accepted"}
        if action == "Heartbeat":
            return {"currentTime": utc_now()}
        if action == "Authorize":
            return {"idTokenInfo": token_info(payload["idToken"])}
        if action == "TransactionEvent":
            return {"idTokenInfo": token_info(payload["idToken"])} if "idToken" in payload else {}
        if action == "DataTransfer":
            return {"status": "UnknownVendorId"}
        if action in ("Get15118EVCertificate", "GetCertificateStatus", "SignCertificate"):
            return CallError(incoming.message_id, ErrorCode.NOT_SUPPORTED, f"{action}: not configured", {})
        return build_example(action, "response")

    return handle


class ChargingStationUnderTest(_Side):
    """The SUT is a Charging Station connected to the harness CSMS."""

    def __init__(self, ctx: RunContext) -> None:
        super().__init__(ctx)
        self.server = ctx.server
        self.identity = ctx.config.connection.identity
        # Keyed by the connection object, weakly: a new connection must never inherit the mark of a freed one
        # that happened to have the same id().
        self._since: weakref.WeakKeyDictionary[Connection, int] = weakref.WeakKeyDictionary()

    def instruction_given(self, action: str) -> None:
        if action in CLOSES_CONNECTION:  # a reboot, power cycle or network loss the case asked for
            self.expect_close(f"the case asked for action {action}")

    def open_connections(self) -> list[Connection]:
        return [c for c in self.server.connections.values() if c.is_open]

    @property
    def connection(self) -> Connection:
        conn = self.server.connections.get(self.identity)
        if conn is None or not conn.is_open:
            raise Inconclusive(f"the station {self.identity!r} is not connected to the harness CSMS")
        return conn

    def connection_count(self) -> int:
        return self.server.connection_count(self.identity)

    async def wait_for_connection(self, *, after: int) -> Connection:
        conn = await self.server.wait_for_connection(self.identity, timeout=self.ctx.scaled(
            self.config.timing.connect_timeout), after=after)
        self._since.setdefault(conn, 0)
        return conn

    async def ensure_ready(self) -> Connection:
        """General precondition (Part 6 §2.1): connected, and accepted by the harness CSMS.

        A station that connects without booting (it was accepted before this run started)
        is given one message timeout to send BootNotification, then taken as accepted.
        """
        conn = await self.server.wait_for_connection(self.identity, timeout=self.ctx.scaled(
            self.config.timing.connect_timeout))
        if not self.ctx.station_booted:
            try:
                await conn.expect_call("BootNotification")
                await self.boot_reports(conn)
            except PeerTimeout:
                self.note("the station connected without a BootNotification; taken as accepted earlier")
            self.ctx.station_booted = True
        return conn

    async def boot_reports(self, conn: Connection) -> None:
        """The boot sequence ends with a status report of every connector (B01.FR.05): wait for them (not
        judged here, at most one message timeout) so that no case starts while the station still boots."""
        pending = set(self.connectors)
        deadline = time.monotonic() + self.message_timeout
        availability = Satisfies(lambda data: any(e.get("variable", {}).get("name") == "AvailabilityState"
                                                  for e in data), "an AvailabilityState event")
        while pending:
            try:
                incoming = await conn.expect_one_of(
                    [("StatusNotification", {}), ("NotifyEvent", {"eventData": availability})],
                    timeout=max(0.0, deadline - time.monotonic()))
            except PeerTimeout:
                self.note(f"no boot status report of connector(s) {sorted(pending)}; starting anyway")
                return
            if incoming.action == "StatusNotification":
                pending.discard((incoming.payload.get("evseId"), incoming.payload.get("connectorId")))
            for event in incoming.payload.get("eventData", []) if incoming.action == "NotifyEvent" else []:
                evse = event.get("component", {}).get("evse", {})
                pending.discard((evse.get("id"), evse.get("connectorId")))

    def start_case(self) -> None:
        """Only CALLs that arrive from now on count for this case."""
        for conn in self.server.connections.values():
            self._since[conn] = conn.mark()

    def since(self, conn: Connection) -> int:
        return self._since.get(conn, 0)

    async def expect_call(self, action: str, *, connection: Connection | None = None, timeout: float | None = None,
                          requirements: tuple[str, ...] = (), **pattern: Any) -> IncomingCall:
        conn = connection or self.connection
        return await conn.expect_call(action, timeout=timeout, since=self.since(conn), requirements=requirements,
                                      **pattern)

    async def call(self, action: str, payload: dict[str, Any], **kwargs: Any) -> Response:
        conn = self.connection
        if action == "Reset":  # the station may reboot from now on (at once, or when it becomes idle)
            conn.expect_close("the case sent a ResetRequest")
        return await conn.call(action, payload, **kwargs)

    @contextlib.asynccontextmanager
    async def configured(self, variable: dict[str, Any], value: str) -> AsyncIterator[None]:
        """Part 6 "Configuration State": set a variable for the case, restore it afterwards.

        ``variable`` is ``{"component": {...}, "variable": {...}}``. Not reaching the state
        makes the case INCONCLUSIVE, not FAIL: this is a precondition, not the check. A name the documents
        spell two ways is used as the station spells it (:meth:`spelled`).
        """
        variable = await self.spelled(variable)
        name = f"{variable['component']['name']}.{variable['variable']['name']}"
        async with self.restoring(variable):
            await self._set(variable, value, name)
            yield

    async def spelled(self, variable: dict[str, Any]) -> dict[str, Any]:
        """``variable`` with its name as this station spells it, for a name the OCA documents spell more than
        one way (protocol/variable_names.py); found by one GetVariables per spelling the first time, then
        remembered for the run. Unchanged for every other variable."""
        if len(spellings(variable["component"]["name"], variable["variable"]["name"])) > 1:
            await self.read_variable(variable)
        key = (variable["component"]["name"], variable["variable"]["name"])
        known = self.ctx.variable_spellings.get(key)
        return variable if known is None else dict(variable, variable=dict(variable["variable"], name=known))

    async def read_variable(self, variable: dict[str, Any], *, connection: Connection | None = None,
                            note_unreadable: bool = False) -> str | None:
        """A variable's value (``variable`` is ``{"component": {...}, "variable": {...}}``, optionally with
        attributeType) by GetVariables on ``connection`` (default: the station's); None when the result is not
        Accepted or the request fails, noted with the reason when ``note_unreadable``. A name the documents
        spell two ways is asked in the other spelling when the station answers UnknownVariable; the spelling
        it knows is remembered and noted."""
        component, asked = variable["component"]["name"], variable["variable"]["name"]
        names = spellings(component, self.ctx.variable_spellings.get((component, asked), asked))
        for name in names:
            entry = dict(variable, variable=dict(variable["variable"], name=name))
            response = await (connection or self.connection).call("GetVariables", {"getVariableData": [entry]})
            result = response.payload.get("getVariableResult", [{}])[0] if response.ok else {}
            if result.get("attributeStatus") == "UnknownVariable" and name != names[-1]:
                continue
            if len(names) > 1 and result.get("attributeStatus") not in (None, "UnknownVariable"):
                if self.ctx.variable_spellings.get((component, asked)) != name:
                    self.note(f"the station spells {component}.{asked} as {name!r} ("
                              f"{'; '.join(sources_of(component, name)) or 'as asked'})", variable_spelling={
                                  "component": component, "asked": asked, "used": name})
                self.ctx.variable_spellings[(component, asked)] = name
            break
        if result.get("attributeStatus") == "Accepted":
            return result.get("attributeValue")
        if note_unreadable:
            self.note(f"{component}.{asked} could not be read: {result or response.describe()}")
        return None

    @contextlib.asynccontextmanager
    async def restoring(self, variable: dict[str, Any]) -> AsyncIterator[str | None]:
        """For a case whose own steps change a variable: read its Actual value before the block
        (yielded; None when it cannot be read) and set it back afterwards. A failed restore is
        noted, never allowed to replace the case's own outcome."""
        variable = await self.spelled(variable)
        name = f"{variable['component']['name']}.{variable['variable']['name']}"
        original = await self.read_variable(variable)
        try:
            yield original
        finally:
            conn = self.server.connections.get(self.identity)
            if original is not None and conn is not None and conn.is_open:
                try:
                    await self._set(variable, original, name, note="restored")
                except (Inconclusive, CheckFailed, PeerError) as exc:  # timeouts and disconnects included
                    self.note(f"could not restore {name} to {original!r}: {exc}")

    async def _set(self, variable: dict[str, Any], value: str, name: str, *, note: str = "configuration state") -> None:
        response = await self.call("SetVariables", {"setVariableData": [dict(variable, attributeValue=value)]})
        status = response.payload["setVariableResult"][0]["attributeStatus"] if response.ok else response.describe()
        if status != "Accepted":
            error = Inconclusive(f"could not set {name} to {value!r} for the case: {status}")
            error.status = status  # type: ignore[attr-defined]  # the attributeStatus (or the failure described)
            raise error
        self.note(f"{note}: {name} = {value!r}")

    def usual_answer(self, incoming: IncomingCall) -> dict[str, Any] | CallError:
        """What the harness CSMS answers ``incoming`` when no case takes it over (for a handler of
        :meth:`answering` that answers some CALLs as usual)."""
        return csms_default_handler(self.ctx, overrides=False)(incoming)

    @contextlib.contextmanager
    def answering(self, action: str, handler: Any) -> Iterator[None]:
        """Inside the block, answer the station's ``action`` CALLs with ``handler``
        (a payload, or a callable taking the :class:`IncomingCall` and returning a payload, a CallError, or a
        :class:`~conformance.transport.connection.Withhold`: no answer at all), on any connection."""
        previous = self.ctx.response_overrides.get(action)
        self.ctx.response_overrides[action] = handler
        try:
            yield
        finally:
            if previous is None:
                self.ctx.response_overrides.pop(action, None)
            else:
                self.ctx.response_overrides[action] = previous


# --------------------------------------------------------------------------- harness = station(s)
# How the harness station answers the CSMS's requests a case does not take over (:meth:`HarnessStation.answering`),
# where a schema example would say something the harness station does not do (issue 8 §2). Each is what a
# conformant idle station without the feature's state answers (Part 2):
_IDLE_ANSWERS: dict[str, dict[str, Any]] = {
    # It starts transactions only as a case's steps: no remote start (F01). (RequestStopTransaction: answered from
    # its own transactions, :meth:`HarnessStation._request_stop`.)
    "RequestStartTransaction": {"status": "Rejected"},
    # It holds no reservation (H01/H03), charging profile (K10), display message (O04), certificate (M04), local list
    # (D01: version 0 when there is none), firmware or log job (L01, L03, N01) and no customer data (N09).
    "ReserveNow": {"status": "Rejected"},
    "CancelReservation": {"status": "Rejected"},
    "ClearChargingProfile": {"status": "Unknown"},
    "GetChargingProfiles": {"status": "NoProfiles"},
    "GetCompositeSchedule": {"status": "Rejected"},
    "ClearDisplayMessage": {"status": "Unknown"},
    "GetDisplayMessages": {"status": "Unknown"},
    "GetInstalledCertificateIds": {"status": "NotFound"},
    "DeleteCertificate": {"status": "NotFound"},
    "GetLocalListVersion": {"versionNumber": 0},
    "GetLog": {"status": "Rejected"},
    "UpdateFirmware": {"status": "Rejected"},
    "PublishFirmware": {"status": "Rejected"},
    "UnpublishFirmware": {"status": "NoFirmware"},
    "CustomerInformation": {"status": "Rejected"},
    "GetMonitoringReport": {"status": "EmptyResultSet"},
}

# TriggerMessage (F06): what the harness station sends for each requestedMessage it accepts. The others are
# NotImplemented (F06.FR.08) or, for a TransactionEvent without a transaction it knows of, Rejected (F06.FR.05).
TRIGGERABLE = ("BootNotification", "Heartbeat", "StatusNotification", "MeterValues", "LogStatusNotification",
                "FirmwareStatusNotification")


class HarnessStation:
    """One Charging Station played by the harness against the CSMS under test.

    It lives for the whole run (``RunContext.harness_stations``): like a real station it stays connected and
    booted from one case to the next where Part 6 does not reconnect, lets its own CALLs finish (or time out)
    before it closes a connection, and waits ``timing.reconnect_gap`` before it opens the next. Requests a case
    does not take over are answered as a conformant idle station would: GetVariables / SetVariables from its
    device model, GetBaseReport / GetReport followed by the report, TriggerMessage followed by the triggered
    message, and the answers of ``_IDLE_ANSWERS``; while its boot is Pending or Rejected, as the registration
    table says (:mod:`conformance.protocol.registration`)."""

    def __init__(self, ctx: RunContext, identity: str, password: str | None) -> None:
        self.ctx = ctx
        self.identity = identity
        self.password = password
        self.info = ctx.config.harness_station
        self.vendor_name = self.info.vendor_name  # Part 6 <Configured vendorName>
        self.model = self.info.model  # Part 6 <Configured model>
        self.device_model = DeviceModel([(e.id, e.connectors) for e in ctx.config.evses])
        self.connection: Connection | None = None
        self.registration: str | None = None  # the status of the last BootNotificationResponse on this connection
        self.statuses: dict[tuple[int, int], str] = {}  # connectorStatus last reported per (evse, connector)
        self.answers: dict[str, Any] = {}  # action -> payload: set by :meth:`answering`
        self.reports = HarnessReports(self.device_model)  # GetBaseReport / GetReport and the reports sent (B07, B08)
        # Its meters (block J): an energy register per EVSE that grows while the case says it charges, and a
        # signing meter for signed meter values.
        self.meters = {e.id: EnergyMeter(register=1000.0 * e.id, power=7400.0, since=time.time())
                       for e in ctx.config.evses}
        self.signer = MeterSigner()
        self._closed_at: float | None = None
        self._tasks: set[asyncio.Task[Any]] = set()  # messages it sends on its own (triggered ones)
        # its transactions that have started and not ended, by transactionId (E14 GetTransactionStatus, F03
        # RequestStopTransaction; a case's restore ends them): the reusable states' Transaction objects
        self.ongoing_transactions: dict[str, Any] = {}
        # transactionIds of ongoing transactions it accepted a RequestStopTransaction for that no case asked for
        # (F03.FR.07): the restore ends them as remotely stopped
        self.remote_stops_accepted: set[str] = set()
        # Its Local Authorization List (D01, D02; helper cdcsms): the version and the entries the CSMS's
        # SendLocalListRequests left it with (idToken, type) -> AuthorizationData, and for each SendLocalListRequest
        # (by message id) the version the list had before it (what Part 6 TC_D_02/03_CSMS compare with).
        self.local_list_version = 0
        self.local_list: dict[tuple[str, str], dict[str, Any]] = {}
        self.local_list_version_before: dict[str, int] = {}

    @property
    def charging_station(self) -> dict[str, str]:
        """BootNotificationRequest.chargingStation: the configured vendor name, model and, if set, serial number
        and firmware version (``[harness_station]``)."""
        return self.info.charging_station()

    @property
    def booted(self) -> bool:
        """Connected, and its last boot on this connection was Accepted."""
        return self.connection is not None and self.connection.is_open and self.registration == "Accepted"

    @property
    def booted_and_idle(self) -> bool:
        """What the reusable state Booted ends in (Part 6 §3.18): booted, and every connector last reported
        Available. A station in this state need not boot again for the next case."""
        connectors = [(e.id, c) for e in self.ctx.config.evses for c in e.connectors]
        return self.booted and all(self.statuses.get(k) == "Available" for k in connectors)

    def read_meter(self, evse: int, measurand: str, moment: float) -> float:
        """The value of ``measurand`` on the meter of ``evse`` (0: the station, the sum) at ``moment`` (epoch)."""
        meters = list(self.meters.values()) if evse == 0 else [self.meters[evse]]
        readings = [m.read(measurand, moment) or 0.0 for m in meters]
        return readings[0] if measurand == "Voltage" else sum(readings)

    def note_sent(self, action: str, payload: dict[str, Any], response: Response) -> None:
        """What the station learns from its own CALLs: its registration status, its connectors' statuses."""
        if action == "BootNotification":
            self.registration = response.payload.get("status") if response.ok else None
        elif action == "StatusNotification":
            self.statuses[(payload["evseId"], payload["connectorId"])] = payload["connectorStatus"]

    @contextlib.contextmanager
    def answering(self, action: str, payload: dict[str, Any] | Callable[[IncomingCall], dict[str, Any]]
                  ) -> Iterator[None]:
        """Inside the block, answer the CSMS's ``action`` CALLs with ``payload`` (e.g. ChangeAvailability
        Scheduled while the harness station has a transaction), or with what ``payload(incoming)`` returns when
        it is callable (an answer that depends on the request). A TriggerMessage answered this way is not
        followed by the triggered message: sending it is then the case's step."""
        previous = self.answers.get(action)
        self.answers[action] = payload
        try:
            yield
        finally:
            if previous is None:
                self.answers.pop(action, None)
            else:
                self.answers[action] = previous

    def handle(self, incoming: IncomingCall) -> dict[str, Any] | CallError:
        if incoming.action in self.answers:
            answer = self.answers[incoming.action]
            return dict(answer(incoming) if callable(answer) else answer)
        # While its boot is Pending / Rejected: the registration table's fixed answers (B02.FR.05, B03.FR.08).
        fixed = registration.station_answer(self.registration, incoming.action)
        if fixed is not None:
            if fixed.error_code is not None:
                return CallError(incoming.message_id, fixed.error_code,
                                 f"the station's boot is {self.registration}", {})
            return dict(fixed.payload or {})
        if incoming.action == "GetVariables":
            return {"getVariableResult": self.device_model.get_variables(incoming.payload["getVariableData"])}
        if incoming.action == "SetVariables":
            return {"setVariableResult": self.device_model.set_variables(incoming.payload["setVariableData"])}
        if incoming.action == "ChangeAvailability":
            return {"status": "Accepted"}  # idle connectors: the change is made at once (G03, G04)
        if incoming.action in ("GetBaseReport", "GetReport"):
            return self.reports.answer(incoming)
        if incoming.action == "Reset":
            # No transaction: Accepted (B11.FR.03, B11.FR.08); a case with a transaction answers Scheduled
            # (OnIdle, B12.FR.01) through :meth:`answering`. The reboot itself is the case's step (:meth:`reboot`).
            return {"status": "Accepted"}
        if incoming.action == "TriggerMessage":
            return self._trigger(incoming)
        if incoming.action == "UnlockConnector":
            return self._unlock(incoming)
        if incoming.action == "GetTransactionStatus":
            return self._transaction_status(incoming.payload)
        if incoming.action == "RequestStopTransaction":
            return self._request_stop(incoming.payload)
        if incoming.action == "SendLocalList":
            return self._send_local_list(incoming)
        if incoming.action == "GetLocalListVersion":
            return {"versionNumber": self.local_list_version}  # D02.FR.01 / D02.FR.02 (0: no list)
        if incoming.action == "ClearCache":
            return {"status": "Accepted"}  # C11.FR.03: its Authorization Cache (empty) is cleared
        if incoming.action in _IDLE_ANSWERS:
            return dict(_IDLE_ANSWERS[incoming.action])
        return build_example(incoming.action, "response")

    # ------------------------------------------------------------------ UnlockConnector (F05)
    def _unlock(self, incoming: IncomingCall) -> dict[str, Any]:
        """A configured connector is unlocked, with or without a cable (F05.FR.04, F05.FR.06); any other is
        UnknownConnector (F05.FR.03). A case with a transaction on the connector answers through :meth:`answering`
        (OngoingAuthorizedTransaction, F05.FR.02)."""
        connectors = [(e.id, c) for e in self.ctx.config.evses for c in e.connectors]
        key = (incoming.payload.get("evseId"), incoming.payload.get("connectorId"))
        return {"status": "Unlocked" if key in connectors else "UnknownConnector"}

    def _transaction_status(self, payload: dict[str, Any]) -> dict[str, Any]:
        """GetTransactionStatus (E14) when no case says otherwise: the harness station queues nothing (it is online
        whenever it answers), so messagesInQueue false (E14.FR.05/08); about a transactionId, ongoingIndicator tells
        whether that transaction of its own runs (E14.FR.01-03); without one, no ongoingIndicator (E14.FR.06)."""
        if "transactionId" not in payload:
            return {"messagesInQueue": False}
        return {"ongoingIndicator": payload["transactionId"] in self.ongoing_transactions, "messagesInQueue": False}

    def _request_stop(self, payload: dict[str, Any]) -> dict[str, Any]:
        """RequestStopTransaction (F03) no case takes over: Accepted for a transaction of its own that runs
        (F03.FR.07; it is then ended as remotely stopped when the case restores), else Rejected (F03.FR.08)."""
        transaction_id = payload.get("transactionId")
        if transaction_id not in self.ongoing_transactions:
            return {"status": "Rejected"}
        self.remote_stops_accepted.add(transaction_id)
        self.ctx.log.emit("note", level="info", message=f"harness station {self.identity}: the CSMS asked to stop "
                          f"its running transaction {transaction_id} on its own; Accepted (F03.FR.07), it is ended "
                          "(RemoteStop) when the case restores")
        return {"status": "Accepted"}

    # ------------------------------------------------------------------ Local Authorization List (D01, D02)
    def _send_local_list(self, incoming: IncomingCall) -> dict[str, Any]:
        """SendLocalList applied to its own list as a conformant station does: Full replaces the list (D01.FR.15, an
        empty one removes every entry, D01.FR.04); Differential with a versionNumber not above its list's is refused
        VersionMismatch (D01.FR.19), else entries with idTokenInfo are added or updated (D01.FR.16) and entries without
        are removed (D01.FR.17); the version becomes the request's. The version before is kept per message id."""
        payload = incoming.payload
        self.local_list_version_before[incoming.message_id] = self.local_list_version
        version = payload.get("versionNumber", 0)
        entries = payload.get("localAuthorizationList") or []
        if payload.get("updateType") == "Differential":
            if version <= self.local_list_version:
                return {"status": "VersionMismatch"}
        else:
            self.local_list = {}
        for entry in entries:
            token = entry.get("idToken", {})
            key = (token.get("idToken", ""), token.get("type", ""))
            if "idTokenInfo" in entry:
                self.local_list[key] = entry
            else:
                self.local_list.pop(key, None)
        self.local_list_version = version
        return {"status": "Accepted"}

    # ------------------------------------------------------------------ TriggerMessage (F06)
    def _trigger(self, incoming: IncomingCall) -> dict[str, Any]:
        requested = incoming.payload.get("requestedMessage")
        evse = incoming.payload.get("evse") or {}
        if requested not in TRIGGERABLE:
            return {"status": "Rejected" if requested == "TransactionEvent" else "NotImplemented"}
        if requested == "BootNotification" and self.registration == "Accepted":
            return {"status": "Rejected"}  # F06.FR.17
        messages = self._triggered_messages(requested, evse)
        if not messages:
            return {"status": "Rejected"}  # e.g. StatusNotification without a (known) connector: F06.FR.12
        self._spawn(self._send_after(incoming, messages))
        return {"status": "Accepted"}  # F06.FR.10: what it accepts, it sends

    def _triggered_messages(self, requested: str, evse: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
        connectors = [(e.id, c) for e in self.ctx.config.evses for c in e.connectors]
        if requested == "BootNotification":
            return [("BootNotification", {"reason": "Triggered", "chargingStation": self.charging_station})]
        if requested == "Heartbeat":
            return [("Heartbeat", {})]
        if requested == "StatusNotification":
            key = (evse.get("id"), evse.get("connectorId"))
            if key not in connectors:
                return []
            return [("StatusNotification", {"timestamp": utc_now(), "connectorStatus": self.statuses.get(key, "Available"),
                                            "evseId": key[0], "connectorId": key[1]})]
        if requested == "MeterValues":  # the evse asked for, else every EVSE (F06.FR.11); an energy register of 0,
            # read because of the trigger (ReadingContext Trigger, as Part 6 TC_F_11/12_CSMS send it)
            evses = [evse["id"]] if "id" in evse else sorted({e for e, _ in connectors})
            return [("MeterValues", {"evseId": e, "meterValue": [{"timestamp": utc_now(), "sampledValue": [
                {"value": 0.0, "context": "Trigger", "measurand": "Energy.Active.Import.Register"}]}]})
                for e in evses]
        if requested == "LogStatusNotification":
            return [("LogStatusNotification", {"status": "Idle"})]  # not uploading: F06.FR.15
        return [("FirmwareStatusNotification", {"status": "Idle"})]  # no firmware job: F06.FR.16

    async def _send_after(self, incoming: IncomingCall, messages: list[tuple[str, dict[str, Any]]]) -> None:
        """Send the triggered messages once the TriggerMessageResponse is out (F06.FR.10)."""
        conn = incoming.connection
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(conn.message_timeout):
                await incoming.answered.wait()
        for action, payload in messages:
            if not conn.is_open:
                return
            try:
                response = await conn.call(action, payload)
            except (CheckFailed, PeerError, LocalError) as exc:
                self.ctx.log.emit("note", level="info", message=f"harness station {self.identity}: the triggered "
                                                                f"{action} got no answer: {exc}")
                return
            self.note_sent(action, payload, response)

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # ------------------------------------------------------------------ connection lifecycle
    async def settle(self) -> None:
        """Let the station's own CALLs finish (or time out) before the connection is closed or handed to the next
        case: messages it is sending on its own (reports, triggered messages), then a CALL a cancelled case left
        outstanding. Bounded by the message timeout each; a CALL still unanswered then has timed out (Part 4
        §4.1.1 lets the station send its next CALL)."""
        conn = self.connection
        timeout = self.ctx.message_timeout
        pending = [t for t in (*self._tasks, *self.reports._tasks) if not t.done()]
        if pending:
            await asyncio.wait(pending, timeout=timeout)
        if conn is None or not conn.is_open:
            return
        deadline = time.monotonic() + timeout
        while (outstanding := conn.rpc.our_outstanding) is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not conn.is_open:
                conn.rpc.call_timed_out(outstanding)
                self.ctx.log.emit("note", level="info", message=f"harness station {self.identity}: its "
                                  f"{outstanding.action} ({outstanding.message_id}) got no answer; timed out")
                return
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(remaining):
                    await self.ctx.sut_activity().wait()

    async def close(self, reason: str) -> None:
        """Close the connection (if open) once the station's own CALLs are done."""
        conn = self.connection
        if conn is not None and conn.is_open:
            await self.settle()
            await conn.close(1000, reason)
            self._closed_at = time.monotonic()
        elif conn is not None and self._closed_at is None:
            self._closed_at = time.monotonic()  # closed by the CSMS: the gap starts when the station notices
        self.registration = None

    async def reboot(self, reset: IncomingCall | None = None) -> Connection:
        """Simulate a reboot (e.g. after an accepted Reset): once ``reset`` has been answered, the WebSocket
        connection is closed and a new one opened. Booting on it (BootNotification ...) is the caller's step."""
        if reset is not None:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.ctx.message_timeout):
                    await reset.answered.wait()
        await self.close("station rebooting")
        return await self.connect()

    async def offline_period(self, seconds: float, reason: str) -> Connection:
        """A connection loss, not a reboot (E04, E12, E14): the station closes its connection, stays offline
        ``seconds`` (scaled; recorded as a protocol wait for ``reason``: nothing can be awaited while it is
        offline) and connects again. It does not boot on the new connection (a BootNotification follows a (re)boot,
        B01), so the registration of its last boot stands."""
        registration_before = self.registration
        await self.close("station going offline")
        seconds = self.ctx.scaled(seconds)
        if seconds > 0:
            self.ctx.log.emit("wait", reason=reason, seconds=round(seconds, 3))
            await asyncio.sleep(seconds)  # the offline period itself: nothing to await
        conn = await self.connect()
        self.registration = registration_before
        return conn

    async def connect(self) -> Connection:
        """Open a new connection (closing the open one first), at least ``timing.reconnect_gap`` after the last
        one closed. Booting on it is the caller's step."""
        await self.close("station reconnecting")
        timing = self.ctx.config.timing
        if self._closed_at is not None:
            remaining = self._closed_at + self.ctx.scaled(timing.reconnect_gap) - time.monotonic()
            if remaining > 0:
                self.ctx.log.emit("wait", reason=f"harness station {self.identity}: gap before reconnecting",
                                  seconds=round(remaining, 3), pacing="reconnect_gap")
                await asyncio.sleep(remaining)  # pacing, not a wait for the SUT: nothing to await
        self._closed_at = None
        self.connection = await open_station_connection(
            self.ctx.config.connection.csms_url or "", self.identity, password=self.password, log=self.ctx.log,
            message_timeout=self.ctx.message_timeout, connect_timeout=self.ctx.scaled(timing.connect_timeout),
            handled_actions=actions_handled_by(Role.STATION), default_handler=self.handle,
            max_frame_size=self.ctx.config.connection.max_frame_size)
        return self.connection


class CsmsUnderTest(_Side):
    """The SUT is a CSMS; the harness plays the configured station(s).

    The stations outlive the case (``RunContext.harness_stations``). Every wait for the CSMS's request starts at
    the case's start and, after an instruction (an action such as ``csms_send``), at that instruction: a request
    the CSMS sent on its own before is answered and recorded but never taken for the reaction."""

    def __init__(self, ctx: RunContext) -> None:
        super().__init__(ctx)
        conn = ctx.config.connection
        for station in conn.stations:
            if station.identity not in ctx.harness_stations:
                ctx.harness_stations[station.identity] = HarnessStation(ctx, station.identity, station.password)
        self.stations: dict[str, HarnessStation] = {s.identity: ctx.harness_stations[s.identity]
                                                    for s in conn.stations}
        self.station = self.stations[conn.identity]
        self.identity = conn.identity
        self._since: dict[Connection, int] = {}
        self.start_case()

    @property
    def connection(self) -> Connection:
        if self.station.connection is None or not self.station.connection.is_open:
            raise Inconclusive(f"harness station {self.identity!r} is not connected to the CSMS")
        return self.station.connection

    def start_case(self) -> None:
        """Only requests that arrive from now on count for this case."""
        self.instruction_given("the case starts")

    def instruction_given(self, action: str) -> None:
        for station in self.stations.values():
            if station.connection is not None:
                self._since[station.connection] = station.connection.mark()

    def since(self, conn: Connection) -> int:
        """Where waits on ``conn`` start: the last instruction (a connection opened since: its beginning)."""
        return self._since.get(conn, 0)

    async def connect(self, identity: str | None = None) -> Connection:
        return await self.stations[identity or self.identity].connect()

    def open_connections(self) -> list[Connection]:
        return [s.connection for s in self.stations.values() if s.connection is not None and s.connection.is_open]

    async def call(self, action: str, payload: dict[str, Any], **kwargs: Any) -> Response:
        response = await self.connection.call(action, payload, **kwargs)
        self.station.note_sent(action, payload, response)
        return response

    async def expect_call(self, action: str, *, connection: Connection | None = None, timeout: float | None = None,
                          requirements: tuple[str, ...] = (), **pattern: Any) -> IncomingCall:
        conn = connection or self.connection
        return await conn.expect_call(action, timeout=timeout, since=self.since(conn), requirements=requirements,
                                      **pattern)

    async def finish_case(self) -> None:
        """After a case: each station's own CALLs finish (or time out); its connection stays open for the next
        case (:meth:`close_all` at the end of the run)."""
        for station in self.stations.values():
            await station.settle()

    async def close_all(self) -> None:
        """Close every station's connection (once its own CALLs are done), e.g. before a case that needs the
        station disconnected, or at the end of the run."""
        for station in self.stations.values():
            await station.close("station disconnecting")
