"""The system under test as a test case sees it.

* :class:`ChargingStationUnderTest`: the SUT is a Charging Station; the harness is its CSMS.
* :class:`CsmsUnderTest`: the SUT is a CSMS; the harness is one or more Charging Stations.

Both offer the same verbs (``expect_call``, ``call``, ``actions``, ``check``) so cases of
both roles read alike. Physical and operator steps go through ``actions`` only.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any, AsyncIterator, Iterator

from ..actions.port import ActionPort
from ..outcomes import CheckFailed, HarnessError, Inconclusive, NotApplicable, SutTimeout
from ..protocol.judge import Judgement, expected_reaction, judge_reaction
from ..protocol.examples import build_example
from ..protocol.frames import CallError, ErrorCode, utc_now
from ..protocol.variable_names import sources_of, spellings
from ..reference.device_model import DeviceModel
from ..catalog import actions_handled_by
from ..transport.client import open_station_connection
from ..transport.connection import Connection, IncomingCall, Response
from .checks import Checker, Satisfies
from .context import RunContext
from .reports import HarnessReports


def connectors_of(ctx: RunContext) -> list[tuple[int, int]]:
    return [(evse.id, connector) for evse in ctx.config.evses for connector in evse.connectors]


class _Side:
    def __init__(self, ctx: RunContext) -> None:
        self.ctx = ctx
        self.config = ctx.config
        self.check = Checker(ctx.log)
        self.actions: ActionPort = ctx.actions
        self.message_timeout = ctx.message_timeout
        self.tolerance = ctx.config.timing.max_time_deviation

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
def csms_default_handler(ctx: RunContext):
    """How the harness, acting as CSMS, answers a station's CALLs unless a case says otherwise."""
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

    def handle(incoming: IncomingCall) -> dict[str, Any] | CallError:
        action, payload = incoming.action, incoming.payload
        if action == "BootNotification":
            station = payload.get("chargingStation", {})
            ctx.log.emit("sut_identity", identity=incoming.connection.identity, vendor=station.get("vendorName"),
                         model=station.get("model"), serial=station.get("serialNumber"),
                         firmware=station.get("firmwareVersion"))
        override = ctx.response_overrides.get(action)
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
        self._since: dict[int, int] = {}

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
        self._since.setdefault(id(conn), 0)
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
                await self._boot_reports(conn)
            except SutTimeout:
                self.note("the station connected without a BootNotification; taken as accepted earlier")
            self.ctx.station_booted = True
        return conn

    async def _boot_reports(self, conn: Connection) -> None:
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
            except SutTimeout:
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
            self._since[id(conn)] = conn.mark()

    def since(self, conn: Connection) -> int:
        return self._since.get(id(conn), 0)

    async def expect_call(self, action: str, *, connection: Connection | None = None, timeout: float | None = None,
                          requirements: tuple[str, ...] = (), **pattern: Any) -> IncomingCall:
        conn = connection or self.connection
        return await conn.expect_call(action, timeout=timeout, since=self.since(conn), requirements=requirements,
                                      **pattern)

    async def call(self, action: str, payload: dict[str, Any], **kwargs: Any) -> Response:
        return await self.connection.call(action, payload, **kwargs)

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
                except (Inconclusive, CheckFailed) as exc:  # timeouts and disconnects included
                    self.note(f"could not restore {name} to {original!r}: {exc}")

    async def _set(self, variable: dict[str, Any], value: str, name: str, *, note: str = "configuration state") -> None:
        response = await self.call("SetVariables", {"setVariableData": [dict(variable, attributeValue=value)]})
        status = response.payload["setVariableResult"][0]["attributeStatus"] if response.ok else response.describe()
        if status != "Accepted":
            raise Inconclusive(f"could not set {name} to {value!r} for the case: {status}")
        self.note(f"{note}: {name} = {value!r}")

    @contextlib.contextmanager
    def answering(self, action: str, handler: Any) -> Iterator[None]:
        """Inside the block, answer the station's ``action`` CALLs with ``handler``
        (a payload, or a callable taking the :class:`IncomingCall`), on any connection."""
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
class HarnessStation:
    """One Charging Station played by the harness against the CSMS under test."""

    vendor_name = "OpenConformance"
    model = "HarnessStation"

    def __init__(self, ctx: RunContext, identity: str, password: str | None) -> None:
        self.ctx = ctx
        self.identity = identity
        self.password = password
        self.device_model = DeviceModel([(e.id, e.connectors) for e in ctx.config.evses])
        self.connection: Connection | None = None
        self.answers: dict[str, Any] = {}  # action -> payload: set by :meth:`answering`
        self.reports = HarnessReports(self)  # GetBaseReport / GetReport and the reports sent (B07, B08)

    @contextlib.contextmanager
    def answering(self, action: str, payload: dict[str, Any]) -> Iterator[None]:
        """Inside the block, answer the CSMS's ``action`` CALLs with ``payload`` (e.g. ChangeAvailability
        Scheduled while the harness station has a transaction)."""
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
            return dict(self.answers[incoming.action])
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
        return build_example(incoming.action, "response")

    async def reboot(self, reset: IncomingCall | None = None) -> Connection:
        """Simulate a reboot (e.g. after an accepted Reset): once ``reset`` has been answered, the WebSocket
        connection is closed and a new one opened. Booting on it (BootNotification ...) is the caller's step."""
        if reset is not None:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.ctx.message_timeout):
                    await reset.answered.wait()
        if self.connection is not None:
            await self.connection.close(1000, "station rebooting")
        return await self.connect()

    async def connect(self) -> Connection:
        timing = self.ctx.config.timing
        self.connection = await open_station_connection(
            self.ctx.config.connection.csms_url or "", self.identity, password=self.password, log=self.ctx.log,
            message_timeout=self.ctx.message_timeout, connect_timeout=self.ctx.scaled(timing.connect_timeout),
            handled_actions=actions_handled_by("ChargingStation"), default_handler=self.handle)
        return self.connection


class CsmsUnderTest(_Side):
    """The SUT is a CSMS; the harness plays the configured station(s)."""

    def __init__(self, ctx: RunContext) -> None:
        super().__init__(ctx)
        conn = ctx.config.connection
        self.stations = {conn.identity: HarnessStation(ctx, conn.identity, conn.password)}
        for extra in conn.extra_stations:
            self.stations[extra.identity] = HarnessStation(ctx, extra.identity, extra.password)
        self.station = self.stations[conn.identity]
        self.identity = conn.identity

    @property
    def connection(self) -> Connection:
        if self.station.connection is None or not self.station.connection.is_open:
            raise Inconclusive(f"harness station {self.identity!r} is not connected to the CSMS")
        return self.station.connection

    async def connect(self, identity: str | None = None) -> Connection:
        return await self.stations[identity or self.identity].connect()

    async def call(self, action: str, payload: dict[str, Any], **kwargs: Any) -> Response:
        return await self.connection.call(action, payload, **kwargs)

    async def expect_call(self, action: str, *, timeout: float | None = None, requirements: tuple[str, ...] = (),
                          **pattern: Any) -> IncomingCall:
        return await self.connection.expect_call(action, timeout=timeout, requirements=requirements, **pattern)

    async def close_all(self) -> None:
        for station in self.stations.values():
            if station.connection is not None:
                await station.connection.close(1000, "test case finished")
                station.connection = None
