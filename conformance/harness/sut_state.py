"""One broken state is one finding: before each case, is the SUT still in the state a case starts from?

A SUT that stops answering (a simulator stuck after a Rejected boot, a CSMS that lost its message broker)
would otherwise turn every remaining case into the same timeout FAIL. Before each case the pytest plugin asks
:func:`station_state` / :func:`csms_state` whether the SUT is still

* station role: connected to the harness CSMS (a reconnect is awaited for up to ``timing.connect_timeout``)
  and answering. Answering is taken from what the previous case saw: when it ended normally and the last CALL
  the harness sent was answered, nothing is sent; otherwise (it ended because the SUT timed out or
  disconnected, or a CALL went unanswered) the station is asked for a required variable,
  DeviceDataCtrlr.ItemsPerMessage[GetVariables] (Part 2 §2.1.17), a request any station answers at any time;
* CSMS role: accepting a connection and answering: when the previous case ended because the CSMS timed out,
  disconnected or refused the connection, the harness station sends a Heartbeat on its open connection, or
  connects and boots as every station does after connecting; any CALLRESULT or CALLERROR is an answer.

A station that does not reconnect or answer is power cycled once through the action port (``power_cycle``),
awaited to reconnect and boot, and probed again. When the state cannot be restored, :class:`SutUnavailable` (INCONCLUSIVE) says "the SUT stopped answering
after TC_x" and what was tried; the plugin then stops the run (unless ``--keep-going``) and records the cases
that did not run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ..actions.port import ActionFailed
from ..outcomes import CheckFailed, Inconclusive, SutDisconnected, SutTimeout, as_check_failed
from ..protocol.errors import PeerClosed, PeerError, PeerTimeout
from ..protocol.frames import utc_now

if TYPE_CHECKING:
    from ..recording import EventLog
    from .context import RunContext
    from .sides import ChargingStationUnderTest

#: GetVariables of a variable every station has (Part 2 §2.1.17, required): the station-role probe
PROBE_VARIABLE = {"component": {"name": "DeviceDataCtrlr"},
                  "variable": {"name": "ItemsPerMessage", "instance": "GetVariables"}}
PROBE_TEXT = "GetVariablesRequest for DeviceDataCtrlr.ItemsPerMessage[GetVariables]"


class SutUnavailable(Inconclusive):
    """The SUT is not in the state a case starts from and could not be brought back to it."""


@dataclass
class SutState:
    """What the plugin knows between cases about the SUT's state."""

    keep_going: bool = False
    last_case: str | None = None  # the last case that ran (its pre-case check passed)
    suspect: str | None = None  # why the SUT may not answer any more (how the last case ended), or None
    broken: str | None = None  # set once a pre-case check failed: the verdict message of the cases after
    tried: list[str] = field(default_factory=list)

    def case_ended(self, case_id: str, exc: BaseException | None) -> None:
        """Note how a case that ran ended: a timeout, a disconnect, a refused connection or the time limit make
        the next pre-case check probe the SUT."""
        self.last_case = case_id
        self.suspect = suspicion(exc)

    def unavailable(self, tried: list[str]) -> SutUnavailable:
        after = f" after {self.last_case}" if self.last_case else ""
        self.broken = f"the SUT stopped answering{after}: " + "; ".join(tried)
        return SutUnavailable(self.broken)


def suspicion(exc: BaseException | None) -> str | None:
    """Why a case's ending exception suggests the SUT stopped answering (None: it did not)."""
    if exc is None:
        return None
    exc = as_check_failed(exc)  # a transport failure as the failed check it is
    if isinstance(exc, (SutTimeout, SutDisconnected)):
        return f"{type(exc).__name__}: {exc.check}"
    if isinstance(exc, CheckFailed) and exc.actual == "time limit exceeded":
        return exc.check
    if isinstance(exc, CheckFailed) and not exc.recorded:  # raised by the transport: a refused connection
        return exc.check
    if isinstance(exc, Inconclusive) and "not connected" in str(exc):
        return str(exc)
    return None


def _clock(wall: float) -> str:
    return datetime.fromtimestamp(wall, UTC).strftime("%H:%M:%S.%f")[:-3] + "Z"


def unanswered_call(log: EventLog, identity: str) -> str | None:
    """The last CALL the harness sent to ``identity`` when no response to it arrived (from the event log)."""
    answered: set[str] = set()
    for event in reversed(log.events(kind="frame")):
        data = event.data
        if data.get("connection") != identity or not data.get("message_id"):
            continue
        if data.get("direction") == "in" and data.get("message_type") in ("CALLRESULT", "CALLERROR"):
            answered.add(data["message_id"])
        elif data.get("direction") == "out" and data.get("message_type") == "CALL":
            if data["message_id"] in answered:
                return None
            return f"{data.get('action')}Request ({data['message_id']}) sent at {_clock(event.wall)} was not answered"
    return None


async def station_state(sut: ChargingStationUnderTest, state: SutState) -> None:
    """Station role: connected and answering, or :class:`SutUnavailable` with what was tried. A station that does
    not reconnect or does not answer the probe is power cycled once through the action port (the way Part 6's
    reusable state Booted is reached), awaited to connect and boot, and probed again."""
    if state.last_case is None and state.broken is None:
        return  # the first case: ChargingStationUnderTest.ensure_ready judges the first connection
    tried: list[str] = []
    if await _station_answers(sut, state, tried):
        return
    after = sut.connection_count()
    try:
        await sut.actions.do("power_cycle")
    except ActionFailed as exc:
        tried.append(f"a power cycle through the action port (to restore the state cases start from) failed: {exc}")
        raise state.unavailable(tried) from None
    tried.append("power cycled the station through the action port")
    ctx = sut.ctx
    try:
        conn = await sut.server.wait_for_connection(sut.identity, timeout=ctx.scaled(ctx.config.timing.connect_timeout),
                                                    after=after)
        await conn.expect_call("BootNotification")  # the harness CSMS accepts it; requests only after it
        await sut.boot_reports(conn)
    except (PeerTimeout, PeerClosed) as exc:
        tried.append(f"after the power cycle: {exc.check}: {exc.actual}")
        raise state.unavailable(tried) from None
    state.suspect = state.suspect or "it was power cycled"
    if await _station_answers(sut, state, tried):
        ctx.log.emit("note", level="info", message="pre-case check: the station is back after a power cycle "
                                                   f"({'; '.join(tried)})")
        return
    raise state.unavailable(tried)


async def _station_answers(sut: ChargingStationUnderTest, state: SutState, tried: list[str]) -> bool:
    """Connected (a reconnect awaited for up to timing.connect_timeout) and answering the probe when there is
    reason to doubt it; False with what was tried appended to ``tried``."""
    ctx = sut.ctx
    connect_timeout = ctx.scaled(ctx.config.timing.connect_timeout)
    for _ in range(2):  # a station that drops the connection while probed gets one more chance to reconnect
        try:
            conn = await sut.server.wait_for_connection(sut.identity, timeout=connect_timeout)
        except PeerTimeout:
            closed = [e for e in ctx.log.events(kind="connection") if e.data.get("connection") == sut.identity
                      and e.data.get("event") == "closed"]
            last = (f" (its last connection closed at {_clock(closed[-1].wall)}: "
                    f"{closed[-1].data.get('reason') or 'no reason'})") if closed else ""
            tried.append(f"waited {connect_timeout:g}s (timing.connect_timeout) for the station to connect to the "
                         f"harness CSMS: no connection{last}")
            return False
        reason = state.suspect or unanswered_call(ctx.log, sut.identity)
        if reason is None:
            return True
        try:
            await conn.call("GetVariables", {"getVariableData": [PROBE_VARIABLE]})
        except PeerClosed:
            tried.append(f"{PROBE_TEXT} sent (because: {reason}): the connection closed before the answer")
            continue
        except PeerTimeout:
            tried.append(f"{PROBE_TEXT} sent (because: {reason}): no answer within the message timeout "
                         f"({ctx.message_timeout:g}s)")
            return False
        ctx.log.emit("note", level="info", message=f"pre-case check: the station answered {PROBE_TEXT} "
                                                   f"(probed because: {reason})")
        state.suspect = None
        return True
    return False


async def csms_state(ctx: RunContext, state: SutState) -> None:
    """CSMS role: accepts a connection and answers, or :class:`SutUnavailable` with what was tried. Probed only
    when the previous case ended because the CSMS timed out, disconnected or refused the connection.

    The harness station stays connected across cases: on its open connection the probe is a Heartbeat (a
    station sends one at any time). Without a connection it connects, boots (BootNotificationRequest, reason
    PowerUp) and, when Accepted, reports its connectors Available as a booting station does (B01.FR.05), so it
    is left in the reusable state Booted, which the next case may use as it is."""
    if state.suspect is None:
        return
    from .sides import CsmsUnderTest

    probe = CsmsUnderTest(ctx)
    station = probe.station
    tried = [f"probed because: {state.suspect}"]
    if station.connection is not None and station.connection.is_open:
        try:
            await probe.call("Heartbeat", {})
        except PeerTimeout as exc:
            tried.append(f"HeartbeatRequest on the open connection got no answer: {exc.actual}")
            raise state.unavailable(tried) from None
        except PeerClosed:
            tried.append("the connection closed during a HeartbeatRequest")
        else:
            _answered(ctx, state, "HeartbeatRequest on the open connection", tried)
            return
    try:
        await probe.connect()
    except (CheckFailed, PeerError) as exc:  # a timeout included
        tried.append(f"a harness station connected to {ctx.config.connection.csms_url}: {exc.check}: {exc.actual}")
        raise state.unavailable(tried) from None
    try:
        boot = await probe.call("BootNotification", {"reason": "PowerUp",
                                                     "chargingStation": station.charging_station})
        if boot.ok and boot.payload.get("status") == "Accepted":
            for evse, connector in probe.connectors:
                await probe.call("StatusNotification", {"timestamp": utc_now(), "connectorStatus": "Available",
                                                        "evseId": evse, "connectorId": connector})
    except (PeerTimeout, PeerClosed) as exc:
        tried.append(f"the connection was accepted; the boot got no answer: {exc.check}: {exc.actual}")
        raise state.unavailable(tried) from None
    _answered(ctx, state, "a new connection and BootNotificationRequest", tried)


def _answered(ctx: RunContext, state: SutState, what: str, tried: list[str]) -> None:
    ctx.log.emit("note", level="info", message=f"pre-case check: the CSMS answered {what} ({'; '.join(tried)})")
    state.suspect = None
