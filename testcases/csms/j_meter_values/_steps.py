"""Steps the block J cases share (CSMS side): private to this block.

The harness station reads its own meters (``HarnessStation.read_meter``) and sends the values at the moments Part 6
names, in real time: clock-aligned ones at the moments of the interval counted from midnight (UTC), sampled ones
every interval from the start of the transaction. The CSMS must answer each MeterValuesRequest (J01.FR.18) and
TransactionEventRequest (J02.FR.19) with a CALLRESULT; the schema of its answer is checked with every frame.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

from conformance.harness import CsmsUnderTest
from conformance.harness.reusable_states import csms as states
from conformance.protocol import meter_values as mv


def configured_connector(csms: CsmsUnderTest) -> tuple[int, int]:
    """<Configured evseId> and <Configured connectorId>: the first configured connector."""
    return csms.connectors[0]


def values(csms: CsmsUnderTest) -> Any:
    return csms.config.station_values


async def until(csms: CsmsUnderTest, moment: float, reason: str) -> None:
    """Wait (a protocol wait: the interval Part 6 gives) until ``moment`` (epoch); a lost connection ends it early."""
    remaining = moment - time.time()
    if remaining <= 0:
        return
    csms.protocol_wait(remaining, reason)
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(csms.ctx.scaled(remaining)):
            await csms.connection.closed.wait()


def readings(csms: CsmsUnderTest, evse: int, context: str, moments: list[float], *,
             signed: bool = False) -> list[dict[str, Any]]:
    return [states.harness_meter_value(csms, evse, context, moment, signed=signed) for moment in moments]


async def ended_with_readings(csms: CsmsUnderTest, tx: states.Transaction, start: float, interval: int, *,
                              aligned: bool, signed: bool = False) -> None:
    """Part 6 TC_J_03/04/10/11_CSMS step 1: the transaction runs the <Configured transaction duration> and at least
    two reading moments (clock-aligned ones of the interval, or sampled ones from the start ``start``), then
    StopAuthorized, EVConnectedPostSession and EVDisconnected, whose Ended event carries a reading per moment passed
    (context Sample.Clock / Sample.Periodic) and the Transaction.End one, taken right before it is sent. One wait
    only: StopAuthorized waits the transaction duration itself."""
    first = mv.next_aligned(start, interval) if aligned else start + interval
    await until(csms, first + interval + 0.05 - values(csms).transaction_duration,
                f"the transaction runs two reading moments of the {interval} s interval")
    context = mv.SAMPLE_CLOCK if aligned else mv.SAMPLE_PERIODIC

    def taken() -> list[dict[str, Any]]:
        moments = [first]
        while moments[-1] + interval <= time.time():
            moments.append(moments[-1] + interval)
        return readings(csms, tx.evse, context, moments, signed=signed) + readings(
            csms, tx.evse, mv.TRANSACTION_END, [time.time()], signed=signed)

    await states.transaction_ended(csms, tx, meter_values=taken)


async def tx_ended_case(csms: CsmsUnderTest, interval: int, *, aligned: bool, signed: bool) -> None:
    """TC_J_03/04 (clock-aligned) and TC_J_10/11 (sampled) _CSMS: booted, EnergyTransferStarted on the configured
    connector, then the Ended event with its readings (:func:`ended_with_readings`); the transaction is ended
    afterwards if the case stops earlier."""
    await states.booted(csms)
    evse, connector = configured_connector(csms)
    async with states.transactions_ended_afterwards(csms) as transactions:
        start = time.time()
        tx = await states.energy_transfer_started(csms, evse, connector)
        transactions.append(tx)
        await ended_with_readings(csms, tx, start, interval, aligned=aligned, signed=signed)
