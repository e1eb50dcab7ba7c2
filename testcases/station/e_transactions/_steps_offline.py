"""Steps the offline cases of block E share (E08, E11, E12, E14 with messages in queue; helper equeue): the harness
closes the WebSocket connection and does not accept a reconnect, the steps meanwhile, the reconnection it accepts,
and the queued TransactionEventRequests that follow. The offline period itself (OfflinePeriod, offline_period,
queued_events, check_offline_flag, ...) is a reusable state shared with block C: conformance/harness/reusable_states/
station.py."""

from __future__ import annotations

import contextlib
from typing import AsyncIterator, Iterator

from conformance.harness import ChargingStationUnderTest, Satisfies
from conformance.harness.reusable_states import station as states
from conformance.harness.reusable_states.station import (OfflinePeriod, check_offline_flag, configured_if_implemented,
                                                         offline_configured, queued_events,
                                                         reconnect_back_off)
from conformance.harness.reusable_states.station import event_time as _timestamp  # noqa: F401 (block E)
from conformance.harness.reusable_states.station import offline_period as offline
from conformance.outcomes import Inconclusive
from conformance.protocol.errors import PeerTimeout
from conformance.protocol.variables import component_variable
from conformance.transport.connection import Connection, IncomingCall

SAMPLED_DATA_ENABLED = component_variable("SampledDataCtrlr", "Enabled")
TX_UPDATED_MEASURANDS = component_variable("SampledDataCtrlr", "TxUpdatedMeasurands")
TX_UPDATED_INTERVAL = component_variable("SampledDataCtrlr", "TxUpdatedInterval")
OFFLINE_TX_FOR_UNKNOWN_ID = {"component": {"name": "AuthCtrlr"}, "variable": {"name": "OfflineTxForUnknownIdEnabled"}}


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
