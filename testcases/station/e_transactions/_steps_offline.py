"""Steps the offline cases of block E share (E08, E11, E12, E14 with messages in queue; helper equeue): the harness
closes the WebSocket connection and does not accept a reconnect (Part 6: "The OCTT closes the WebSocket connection
AND does not accept a reconnect"), the steps meanwhile, the reconnection it accepts, and the queued
TransactionEventRequests that follow."""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import AsyncIterator, Iterator

from conformance.harness import ChargingStationUnderTest, Satisfies
from conformance.harness.reusable_states import station as states
from conformance.outcomes import Inconclusive
from conformance.protocol.errors import PeerTimeout
from conformance.protocol.variables import (OFFLINE_THRESHOLD, RETRY_BACK_OFF_RANDOM_RANGE,
                                            RETRY_BACK_OFF_WAIT_MINIMUM, component_variable)
from conformance.transport.connection import Connection, IncomingCall

SAMPLED_DATA_ENABLED = component_variable("SampledDataCtrlr", "Enabled")
TX_UPDATED_MEASURANDS = component_variable("SampledDataCtrlr", "TxUpdatedMeasurands")
TX_UPDATED_INTERVAL = component_variable("SampledDataCtrlr", "TxUpdatedInterval")
OFFLINE_TX_FOR_UNKNOWN_ID = {"component": {"name": "AuthCtrlr"}, "variable": {"name": "OfflineTxForUnknownIdEnabled"}}


@dataclass
class OfflinePeriod:
    """One offline period the harness makes: the close (harness clocks) and, once accepted, the new connection."""

    station: ChargingStationUnderTest
    closed_mono: float
    count: int  # the station's connections before the close
    connection: Connection | None = None
    reconnected_mono: float | None = None
    reconnected_wall: float | None = None
    events: list[IncomingCall] = field(default_factory=list)

    async def accept(self, *, not_before: float = 0.0, back_off: float = 0.0) -> Connection:
        """Accept the station's next connection attempt from ``not_before`` seconds after the close on (attempts
        before are refused, each one awaited); ``back_off``: how long the station may wait before that attempt
        (its reconnect back-off), on top of ``timing.connect_timeout``."""
        server, identity = self.station.server, self.station.identity
        until = self.closed_mono + not_before
        if not_before > 0:
            self.station.protocol_wait(max(0.0, until - time.monotonic()),
                                       "the harness does not accept a reconnect before RetryBackOffWaitMinimum")
        while time.monotonic() < until:  # an attempt meanwhile is refused; wake on each one
            server.handshake_seen.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(max(0.0, until - time.monotonic())):
                    await server.handshake_seen.wait()
        server.refusing.discard(identity)
        timeout = self.station.ctx.scaled(self.station.config.timing.connect_timeout) + back_off
        self.connection = await server.wait_for_connection(identity, timeout=timeout, after=self.count)
        self.reconnected_mono, self.reconnected_wall = time.monotonic(), time.time()
        self.station.note(f"reconnection accepted {self.reconnected_mono - self.closed_mono:.3f}s after the close")
        return self.connection


@contextlib.asynccontextmanager
async def offline(station: ChargingStationUnderTest) -> AsyncIterator[OfflinePeriod]:
    """Part 6: the harness closes the WebSocket connection and does not accept a reconnect (no network action: Part 6
    only closes and refuses) until :meth:`OfflinePeriod.accept`. Afterwards (also when the case failed) reconnection
    attempts are accepted again and the station's return is awaited, so the next case finds it connected."""
    conn = station.connection
    server = station.server
    period = OfflinePeriod(station, time.monotonic(), station.connection_count())
    server.refusing.add(station.identity)
    try:
        await conn.close(1000, "connection closed by the harness (test): offline period")
        period.closed_mono = time.monotonic()
        yield period
    finally:
        server.refusing.discard(station.identity)
        if period.connection is None:
            with contextlib.suppress(Exception):
                await server.wait_for_connection(station.identity, timeout=station.ctx.scaled(
                    station.config.timing.connect_timeout), after=period.count)


@contextlib.contextmanager
def held_from_reconnection(station: ChargingStationUnderTest, action: str) -> Iterator[None]:
    """The station's ``action`` CALLs on its next connection wait for their answer (Connection.hold) from its very
    first message until the block ends (then the harness answers them as usual): a question the harness asks "the
    moment the connection is restored" (Part 6 TC_E_29/31/33_CS) does not race the queue emptying."""
    server = station.server
    previous = server.on_connect
    holds: list[contextlib.AbstractContextManager[None]] = []

    def on_connect(conn: Connection) -> None:
        if previous is not None:
            previous(conn)
        if conn.identity == station.identity and not holds:
            hold = conn.hold(action)
            hold.__enter__()
            holds.append(hold)

    server.on_connect = on_connect
    try:
        yield
    finally:
        server.on_connect = previous
        for hold in holds:
            hold.__exit__(None, None, None)


@contextlib.asynccontextmanager
async def offline_configured(station: ChargingStationUnderTest, wait_minimum: float,
                             threshold: float) -> AsyncIterator[None]:
    """Part 6 Configuration State of the offline cases: OfflineThreshold ``threshold``, RetryBackOffWaitMinimum
    ``wait_minimum``, RetryBackOffRandomRange 0 (restored afterwards)."""
    async with station.configured(OFFLINE_THRESHOLD, str(int(threshold))), \
            station.configured(RETRY_BACK_OFF_WAIT_MINIMUM, str(int(wait_minimum))), \
            station.configured(RETRY_BACK_OFF_RANDOM_RANGE, "0"):
        yield


@contextlib.asynccontextmanager
async def configured_if_implemented(station: ChargingStationUnderTest, variable: dict,
                                    value: str) -> AsyncIterator[None]:
    """A Part 6 Configuration State marked "(If implemented)" / "(If ReadWrite)": set (and restored afterwards) when
    the station takes it; skipped with a note when it does not report the variable or does not accept the value."""
    name = f"{variable['component']['name']}.{variable['variable']['name']}"
    async with contextlib.AsyncExitStack() as stack:
        if await station.read_variable(variable) is None:
            station.note(f"{name} is not implemented: not set")
        else:
            try:
                await stack.enter_async_context(station.configured(variable, value))
            except Inconclusive as exc:
                station.note(f"{name} not set ({exc}): Part 6 sets it only where possible")
        yield


def reconnect_back_off(wait_minimum: float) -> float:
    """How long the station may wait for its next attempt after refused ones: the back-off doubled a few times
    (OCPP-J Part 4 §5.3, at most RetryBackOffRepeatTimes)."""
    return 8 * wait_minimum


def _timestamp(incoming: IncomingCall) -> float | None:
    text = incoming.payload.get("timestamp")
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


async def queued_events(station: ChargingStationUnderTest, period: OfflinePeriod, *, until_ended: bool,
                        transaction_id: str | None = None) -> list[IncomingCall]:
    """The TransactionEventRequests the station sends on the new connection once it is back (Part 6: "the Charging
    Station will empty its Transaction message queue"): with ``until_ended``, up to the Ended event of the
    transaction (``transaction_id``, or the first one seen; a timeout fails the case); otherwise those whose
    timestamp lies in the offline period (up to the reconnection, within ``timing.max_time_deviation``), until one
    generated after the reconnection arrives or none for a message timeout. Events of another transaction are left
    alone."""
    conn = period.connection
    assert conn is not None and period.reconnected_wall is not None
    found: list[IncomingCall] = []
    while True:
        pattern = {} if transaction_id is None else {"transactionInfo": {"transactionId": transaction_id}}
        try:
            incoming = await conn.expect_call("TransactionEvent", requirements=(
                "E11.FR.02", "E12.FR.02", "E08.FR.06"), **pattern)
        except PeerTimeout:
            if not until_ended:
                return found
            raise
        if transaction_id is None:
            transaction_id = incoming.payload.get("transactionInfo", {}).get("transactionId")
        stamp = _timestamp(incoming)
        if not until_ended and stamp is not None and stamp > period.reconnected_wall + station.tolerance:
            station.note(f"TransactionEventRequest seqNo {incoming.payload.get('seqNo')} was generated after the "
                         f"reconnection: the queue is empty")
            return found
        found.append(incoming)
        if until_ended and incoming.payload.get("eventType") == "Ended":
            return found


def check_offline_flag(station: ChargingStationUnderTest, events: list[IncomingCall], *, step: str,
                       requirements: tuple[str, ...]) -> None:
    """Part 6 "All messages: TransactionEventRequest - offline must be true" (soft: every message is judged); no
    queued message at all fails (Part 6: "one or more")."""
    station.check.that(f"{step}: the station sends the TransactionEventRequests it queued while offline", bool(events),
                       expected="one or more TransactionEventRequests generated during the offline period",
                       actual="none", requirements=requirements)
    for incoming in events:
        station.check.that(f"{step}: the queued TransactionEventRequest seqNo {incoming.payload.get('seqNo')} "
                           f"({incoming.payload.get('eventType')}, {incoming.payload.get('triggerReason')}) has "
                           f"offline true", incoming.payload.get("offline") is True, expected="offline true",
                           actual=f"offline {incoming.payload.get('offline', 'omitted (false)')!r}; message "
                                  f"{incoming.message_id}", requirements=requirements, soft=True)


async def transaction_ended(station: ChargingStationUnderTest, evse: int, connector: int) -> states.Transaction:
    """Reusable states EnergyTransferStarted through ParkingBayUnoccupied (Part 6 §2.18): started, stopped by the
    idToken, EV disconnected, (with TxStopPoint ParkingBayOccupancy) driven out; the transaction has ended. Also the
    memory state IdTokenCached (Part 6 §2.19: the valid idToken accepted in a transaction)."""
    tx = await states.energy_transfer_started(station, evse, connector)
    await states.stop_authorized(station, tx)
    await states.ev_connected_post_session(station, tx)
    await states.ev_disconnected(station, tx)
    await states.parking_bay_unoccupied(station, tx)
    if not tx.ended:
        raise Inconclusive(f"transaction {tx.transaction_id} did not end through the reusable states")
    return tx


async def stopped_while_offline(station: ChargingStationUnderTest, tx: states.Transaction,
                                token: tuple[str, str] | None = None) -> None:
    """Part 6 TC_E_31/44/45_CS manual actions while offline: present the idToken (``token`` (idToken, type), default
    the one that started the transaction), disconnect the EV, drive out (only with TxStopPoint ParkingBayOccupancy).
    Nothing is judged here: the events come after the reconnection."""
    valid = station.config.id_tokens.valid
    id_token, token_type = token or (valid.id_token, valid.type)
    await station.actions.do("present_id_token", id_token=id_token, type=token_type, evse=tx.evse)
    tx.stop_authorized = True
    await station.actions.do("unplug", evse=tx.evse, connector=tx.connector)
    tx.plugged = False
    if "ParkingBayOccupancy" in tx.stop_points:
        await station.actions.do("drive_out", evse=tx.evse)


@contextlib.asynccontextmanager
async def offline_updates_configured(station: ChargingStationUnderTest, *,
                                     sampled_enabled: bool = False) -> AsyncIterator[float]:
    """Part 6 TC_E_29/33/40_CS Configuration State: SampledDataTxUpdatedMeasurands / Interval as configured
    (``station_values.sampled_data_tx_updated_measurands`` / ``sampled_data_tx_updated_interval``), SampledDataEnabled
    true (TC_E_40_CS, if implemented), OfflineThreshold = RetryBackOffWaitMinimum + 60, RetryBackOffWaitMinimum
    ``station_values.retry_back_off_wait_minimum``, RetryBackOffRandomRange 0. Part 6 notes that
    RetryBackOffWaitMinimum must be greater than the interval (a periodic value falls into the offline period):
    INCONCLUSIVE otherwise. Yields RetryBackOffWaitMinimum."""
    values = station.config.station_values
    wait_minimum = values.retry_back_off_wait_minimum
    interval = values.sampled_data_tx_updated_interval
    if wait_minimum <= interval:
        raise Inconclusive(f"Part 6: <Configured RetryBackOffWaitMinimum_duration> ({wait_minimum}s) must be greater "
                           f"than the meter values interval ({interval}s): set station_values."
                           f"retry_back_off_wait_minimum / sampled_data_tx_updated_interval")
    async with contextlib.AsyncExitStack() as stack:
        await stack.enter_async_context(station.configured(TX_UPDATED_MEASURANDS,
                                                           values.sampled_data_tx_updated_measurands))
        await stack.enter_async_context(station.configured(TX_UPDATED_INTERVAL, str(interval)))
        if sampled_enabled:
            await stack.enter_async_context(configured_if_implemented(station, SAMPLED_DATA_ENABLED, "true"))
        await stack.enter_async_context(offline_configured(station, wait_minimum, wait_minimum + 60))
        yield wait_minimum


def check_queued_updates(station: ChargingStationUnderTest, events: list[IncomingCall], *, step: str,
                         requirements: tuple[str, ...]) -> None:
    """Part 6 TC_E_29/33/40_CS: the queued TransactionEventRequests are Updated, with meterValue, offline true."""
    check_offline_flag(station, events, step=step, requirements=requirements)
    for incoming in events:
        station.check.fields(f"{step}: the queued TransactionEventRequest seqNo {incoming.payload.get('seqNo')}",
                             incoming.payload, {"eventType": "Updated", "meterValue": Satisfies(
                                 lambda v: isinstance(v, list) and len(v) > 0, "present")},
                             requirements=("E11.FR.03",) + requirements, soft=True)


async def id_token_cached(station: ChargingStationUnderTest, id_token: str, token_type: str, evse: int,
                          connector: int) -> None:
    """Memory state IdTokenCached (Part 6 §2.19, Main A) for another idToken than the valid one: it is presented,
    the EV plugged in and unplugged (driven out with TxStopPoint ParkingBayOccupancy); the transaction it may have
    started is awaited to its Ended event. Nothing is judged (a memory state has no tool validations)."""
    conn = station.connection
    mark = conn.mark()
    await station.actions.do("present_id_token", id_token=id_token, type=token_type, evse=evse)
    await station.actions.do("plug_in", evse=evse, connector=connector)
    await station.actions.do("unplug", evse=evse, connector=connector)
    if "ParkingBayOccupancy" in await states.tx_stop_points(station):
        await station.actions.do("drive_out", evse=evse)
    started = [c for c in conn.mailbox[mark:] if c.action == "TransactionEvent"]
    if started:
        with contextlib.suppress(PeerTimeout):
            await conn.expect_call("TransactionEvent", since=mark, eventType="Ended", transactionInfo={
                "transactionId": started[0].payload.get("transactionInfo", {}).get("transactionId")})
    station.note(f"memory state IdTokenCached for {id_token}: presented, EV plugged in and out")
