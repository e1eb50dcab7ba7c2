"""Block J Meter Values, the SUT is a Charging Station: sampled, transaction-related meter values (J02,
SampledDataCtrlr; E01/E06 meter data in the Started and Ended events).

Sampled readings are timed from the start of the transaction: consecutive periodic readings one interval apart
within ``timing.max_time_deviation`` (the meterValue timestamps, the moments the values were measured: Part 6 says
"the configured measurands must be measured at the configured interval").
"""

from __future__ import annotations

import contextlib
import time

from conformance.harness import ChargingStationUnderTest, case
from conformance.harness.reusable_states import station as states
from conformance.outcomes import NotApplicable
from conformance.protocol import meter_values as mv
from conformance.protocol.variables import (ALIGNED_TX_ENDED_MEASURANDS, PUBLIC_KEY_WITH_SIGNED_METER_VALUE,
                                            SAMPLED_SIGN_READINGS, SAMPLED_TX_ENDED_INTERVAL,
                                            SAMPLED_TX_ENDED_MEASURANDS, SAMPLED_TX_STARTED_MEASURANDS,
                                            SAMPLED_TX_UPDATED_INTERVAL, SAMPLED_TX_UPDATED_MEASURANDS, TX_START_POINT)
from conformance.transport.connection import IncomingCall

from ._steps import (check_meter_value, check_measurands, check_moments, check_signed, check_signed_registers,
                     collect, configured_connector, measurands_of, started_at, stop_transaction, timestamps_of,
                     transaction_runs, values, wait_for_moments)

BEGIN = ("E01.FR.09", "E02.FR.09", "E03.FR.07", "J02.FR.03", "J02.FR.04")
BEGIN_UNKNOWN_EVSE = ("E01.FR.16", "E01.FR.17", "E03.FR.11")
PERIODIC = ("J02.FR.11", "J02.FR.04", "E02.FR.10")
ENDED = ("E06.FR.11", "Part 2 §2.7.4", "Part 2 §2.7.5")


def _check_begin(station: ChargingStationUnderTest, event: IncomingCall, wanted: list[str], *,
                 requirements: tuple[str, ...]) -> None:
    what = (f"TransactionEventRequest seqNo {event.payload.get('seqNo')} ({event.payload.get('eventType')}, "
            f"{event.payload.get('triggerReason')})")
    meter_values = event.payload.get("meterValue", [])
    station.check.that(f"{what} contains the meterValue field", bool(meter_values), expected="meterValue",
                       actual=meter_values or "omitted", requirements=requirements)
    if not meter_values:
        return
    check_meter_value(station, f"{what} meterValue[0]", meter_values[0], context=mv.TRANSACTION_BEGIN,
                      wanted=None, requirements=requirements)
    # the Transaction.Begin values may be spread over several meterValue elements (J02.FR.10): pooled
    begin = [s for s in mv.sampled_values(meter_values) if mv.context_of(s) == mv.TRANSACTION_BEGIN]
    check_measurands(station, f"{what} Transaction.Begin values", begin, wanted, requirements=requirements)


async def _started_case(station: ChargingStationUnderTest, *, evse_known: bool) -> None:
    evse, connector = configured_connector(station)
    async with measurands_of(station, SAMPLED_TX_STARTED_MEASURANDS) as wanted, \
            states.transactions_ended_afterwards(station):
        if evse_known:  # EVConnectedPreSession (the EV plugged in first), then EnergyTransferStarted
            tx = await states.ev_connected_transaction(station, evse, connector)
            tx = await states.energy_transfer_started(station, evse, connector, tx=tx)
            started = min(tx.events, key=lambda e: (e.payload.get("eventType") != "Started",
                                                    e.payload.get("seqNo", 0)))
            station.check.fields("the first TransactionEventRequest of the transaction", started.payload,
                                 {"eventType": "Started"}, requirements=BEGIN)
            _check_begin(station, started, wanted, requirements=BEGIN)
            return
        tx = await states.energy_transfer_started(station, evse, connector)
        ordered = sorted(tx.events, key=lambda e: e.payload.get("seqNo", 0))
        named = next((e for e in ordered if "evse" in e.payload), None)
        charging = next((e for e in ordered if e.payload.get("transactionInfo", {}).get("chargingState")
                         == "Charging"), None)
        # Part 6: the first event naming the EVSE (during EVConnectedPreSession); Part 2 E01.FR.17: the Updated
        # event that occurs when charging starts. Either carries the Transaction.Begin values.
        # E01.FR.17 "the event that occurs when charging starts": any event from the first naming the EVSE up to the
        # first reporting Charging (e.g. one where the power path closes with SuspendedEV)
        first_at = ordered.index(named) if named is not None else len(ordered)
        last_at = ordered.index(charging) if charging is not None else first_at
        candidates = ordered[first_at:last_at + 1] or [e for e in (named, charging) if e is not None]

        def has_begin(event: IncomingCall) -> bool:
            sampled = mv.sampled_values(event.payload.get("meterValue", []))
            begin = [s for s in sampled if mv.context_of(s) == mv.TRANSACTION_BEGIN]
            return bool(begin) and not mv.missing_measurands(begin, wanted)

        carrier = next((e for e in candidates if has_begin(e)), None)
        station.check.that("the first TransactionEventRequest naming the EVSE (Part 6), or the one when charging "
                           "starts (E01.FR.17), carries the Transaction.Begin values of every "
                           "SampledDataTxStartedMeasurand", carrier is not None,
                           expected=f"meterValue context Transaction.Begin with {wanted}",
                           actual=[{"seqNo": e.payload.get("seqNo"), "meterValue": e.payload.get("meterValue",
                                                                                                  "omitted")}
                                   for e in candidates], requirements=BEGIN_UNKNOWN_EVSE + BEGIN)
        if carrier is not None:
            _check_begin(station, carrier, wanted, requirements=BEGIN_UNKNOWN_EVSE)


@case
async def test_tc_j_07_cs(station: ChargingStationUnderTest) -> None:
    """Transaction.Begin meter values in the Started event, the EVSE known at the start.

    Part 6 steps / validations implemented:
    - Prerequisite: TxStartPoint does not contain ParkingBayOccupancy (else NOT APPLICABLE); the station's
      TxStartPoint holds one of the other start points (Part 6's note: at least one of them), left as it is;
    - ParkingBayOccupied (optional in Part 6) skipped; step 1 EVConnectedPreSession; step 2 EnergyTransferStarted;
    - post-scenario: the Started event contains meterValue, sampledValue[0].context Transaction.Begin and a value per
      SampledDataTxStartedMeasurands (an empty list is set to Energy.Active.Import.Register for the case, restored).
    """
    points = await states.tx_start_points(station)
    if "ParkingBayOccupancy" in points:
        raise NotApplicable("Part 6 TC_J_07_CS prerequisite: TxStartPoint does not contain ParkingBayOccupancy "
                            f"(it is {','.join(points)})")
    await _started_case(station, evse_known=True)


@case
async def test_tc_j_08_cs(station: ChargingStationUnderTest) -> None:
    """Transaction.Begin meter values when the EVSE is not known at the start.

    Part 6 steps / validations implemented:
    - Before: TxStartPoint contains Authorized (or ParkingBayOccupancy); when it contains neither it is set to
      Authorized for the case (restored afterwards);
    - step 1: EnergyTransferStarted (authorization first, then the EV plugged in);
    - post-scenario: the first TransactionEventRequest that names the EVSE contains meterValue, sampledValue[0]
      context Transaction.Begin, a value per SampledDataTxStartedMeasurands. Part 2 puts those values in the Started
      event when the EVSE is known at the start (E01.FR.09), else in the Updated event when charging starts
      (E01.FR.17): the first event naming the EVSE or the one reporting chargingState Charging must carry them.
    """
    points = await states.tx_start_points(station)
    async with contextlib.AsyncExitStack() as stack:
        if not {"Authorized", "ParkingBayOccupancy"} & set(points):
            await stack.enter_async_context(station.configured(TX_START_POINT, "Authorized"))
        await _started_case(station, evse_known=False)


@case(time_needed=lambda t, c: mv.case_time_needed(t, c, intervals="sampled_data_tx_updated_interval", count=3))
async def test_tc_j_09_cs(station: ChargingStationUnderTest) -> None:
    """Sampled meter values in TransactionEventRequest Updated (SampledDataTxUpdatedInterval).

    Part 6 steps / validations implemented:
    - Before: SampledDataTxUpdatedInterval = <Configured sampled Meter Values Updated interval>
      (``station_values.sampled_data_tx_updated_interval``, restored afterwards); EnergyTransferStarted;
    - steps 1-2 until the <Configured transaction duration> and at least three periodic events: each
      TransactionEventRequest with sampled values has triggerReason MeterValuePeriodic, sampledValue[0].context
      Sample.Periodic (the default when omitted) and a value per SampledDataTxUpdatedMeasurands; several meterValue
      elements in one event lie within the current interval (J02.FR.10);
    - post-scenario: the periodic readings one interval apart.
    """
    interval = values(station).sampled_data_tx_updated_interval
    evse, connector = configured_connector(station)
    async with measurands_of(station, SAMPLED_TX_UPDATED_MEASURANDS) as wanted, \
            station.configured(SAMPLED_TX_UPDATED_INTERVAL, str(interval)), \
            states.transactions_ended_afterwards(station):
        tx = await states.energy_transfer_started(station, evse, connector)
        conn, since = tx.since_on(station)
        begun, duration, deadline = transaction_runs(station, interval, 3,
                                                     "the transaction runs: periodic sampled readings")

        def periodic(events: list[IncomingCall]) -> list[IncomingCall]:
            # the periodic readings are the MeterValuePeriodic events (J02.FR.11); any other event may carry
            # meterValue too (E02.FR.10, a ChargingStateChanged or StopAuthorized Updated): noted below
            return [e for e in events if e.payload.get("triggerReason") == "MeterValuePeriodic"]

        def moments_of(events: list[IncomingCall]) -> int:
            stamps = [t for e in events for t in timestamps_of(e.payload.get("meterValue", [])[:1])]
            return len(mv.distinct_moments(stamps, station.tolerance))

        found = await collect(station, conn, [("TransactionEvent", tx.pattern())], since=since, deadline=deadline,
                              found=[],
                              done=lambda f: moments_of(periodic(tx.events + f)) >= 3 and time.monotonic() - begun
                              >= duration)
        for incoming in found:
            tx.record(incoming)
        events = periodic(tx.events)
        for other in tx.events:
            if other not in events and other.payload.get("eventType") == "Updated" and other.payload.get("meterValue"):
                station.note(f"TransactionEventRequest seqNo {other.payload.get('seqNo')} (triggerReason "
                             f"{other.payload.get('triggerReason')}) carries meterValue: not a periodic reading, "
                             f"not judged and left out of the interval check")
        station.check.that(f"periodic TransactionEventRequests arrive every {interval} s (three readings awaited)",
                           moments_of(events) >= 3, expected="sampled values at 3 moments",
                           actual=f"{moments_of(events)} moment(s) in {len(events)} event(s)", requirements=PERIODIC,
                           soft=True)
        stamps: list[float] = []
        readings = []
        for event in events:
            what = f"TransactionEventRequest seqNo {event.payload.get('seqNo')} with sampled values"
            station.check.fields(what, event.payload, {"eventType": "Updated", "triggerReason": "MeterValuePeriodic"},
                                 requirements=PERIODIC, soft=True)
            meter_values = event.payload.get("meterValue", [])
            if not meter_values:
                station.check.that(f"{what} contains the meterValue field", False, expected="meterValue",
                                   actual="omitted", requirements=PERIODIC, soft=True)
                continue
            readings.append((f"{what} meterValue[0]", evse, meter_values[0]))
            moment = mv.parse_time(event.payload.get("timestamp", ""))
            if len(meter_values) > 1 and moment is not None:
                outside = [m.get("timestamp") for m in meter_values
                           if not (moment - interval < (mv.parse_time(m.get("timestamp", "")) or 0) <= moment)]
                station.check.that(f"{what}: every meterValue lies within the current sampling interval", not outside,
                                   expected=f"({event.payload.get('timestamp')} - {interval} s, "
                                            f"{event.payload.get('timestamp')}]", actual=outside,
                                   requirements=("J02.FR.10",), soft=True)
            stamps += timestamps_of(meter_values[:1])
        check_moments(station, readings, context=mv.SAMPLE_PERIODIC, requirements=PERIODIC, last_open=True,
                      wanted_for=lambda _: wanted)
        stamps = [group[0] for group in mv.distinct_moments(stamps, station.tolerance)]  # one message or several
        for before, after in zip(stamps, stamps[1:]):
            station.check.timing(f"interval between the sampled readings {mv.format_time(before)} and "
                                 f"{mv.format_time(after)}", after - before, required=float(interval),
                                 tolerance=station.tolerance, requirements=PERIODIC + (
                                     "Part 6 post-scenario validation",), soft=True)


async def _ended_case(station: ChargingStationUnderTest, *, signed: bool) -> None:
    """TC_J_10_CS / TC_J_11_CS: a transaction long enough for two readings of SampledDataTxEndedInterval, stopped
    through ParkingBayUnoccupied; its Ended event judged."""
    interval = values(station).sampled_data_tx_ended_interval
    evse, connector = configured_connector(station)
    async with contextlib.AsyncExitStack() as stack:
        wanted = await stack.enter_async_context(measurands_of(station, SAMPLED_TX_ENDED_MEASURANDS))
        await stack.enter_async_context(station.configured(SAMPLED_TX_ENDED_INTERVAL, str(interval)))
        key_option = None
        if signed:
            await stack.enter_async_context(station.configured(SAMPLED_SIGN_READINGS, "true"))
            key_option = await station.read_variable(PUBLIC_KEY_WITH_SIGNED_METER_VALUE)
        else:
            await stack.enter_async_context(station.configured(ALIGNED_TX_ENDED_MEASURANDS, ""))
        await stack.enter_async_context(states.transactions_ended_afterwards(station))
        tx = await states.energy_transfer_started(station, evse, connector)
        await wait_for_moments(station, started_at(tx), interval, aligned=False)
        ended = await stop_transaction(station, tx)
        meter_values = ended.payload.get("meterValue", [])
        station.check.that("the TransactionEventRequest eventType Ended contains the meterValue field",
                           bool(meter_values), expected="meterValue", actual=meter_values or "omitted",
                           requirements=ENDED)
        sampled = [m for m in meter_values if not any(mv.context_of(s) == mv.SAMPLE_CLOCK
                                                      for s in m.get("sampledValue", []))]
        if not signed:  # AlignedDataTxEndedMeasurands is empty: no clock-aligned values (Part 2 §2.7.15)
            clock = [m for m in meter_values if m not in sampled]
            station.check.that("the Ended event carries no clock-aligned values (AlignedDataTxEndedMeasurands is "
                               "empty)", not clock, expected="no context Sample.Clock", actual=clock,
                               requirements=("Part 2 §2.7.15",), soft=True)
        contexts = [mv.context_of(s) for s in mv.sampled_values(sampled)]
        periodic = [m for m in sampled if mv.context_of((m.get("sampledValue") or [{}])[0]) == mv.SAMPLE_PERIODIC]
        station.check.that("the Ended event carries the periodic readings (context Sample.Periodic) of "
                           "SampledDataTxEndedInterval", bool(periodic), expected="Sample.Periodic",
                           actual=contexts, requirements=ENDED + ("Part 6 post-scenario validation",), soft=True)
        station.check.that("one of the Ended event's readings has context Transaction.End",
                           mv.TRANSACTION_END in contexts, expected="Transaction.End", actual=contexts,
                           requirements=ENDED, soft=True)
        by_context: dict[str, list[tuple[str, int | None, dict]]] = {}
        for index, meter_value in enumerate(sampled):
            context = mv.context_of((meter_value.get("sampledValue") or [{}])[0])
            if context not in (mv.SAMPLE_PERIODIC, mv.TRANSACTION_END, mv.TRANSACTION_BEGIN):
                station.note(f"Ended meterValue {index}: context {context} (no document forbids it there): not judged")
                continue
            by_context.setdefault(context, []).append((f"Ended meterValue {index} ({context} "
                                                       f"{meter_value.get('timestamp')})", None, meter_value))
        for context, readings in by_context.items():
            check_moments(station, readings, context=context, requirements=ENDED, wanted_for=lambda _: wanted)
        stamps = sorted(timestamps_of(periodic))
        for before, after in zip(stamps, stamps[1:]):
            station.check.timing(f"interval between the Ended event's periodic readings {mv.format_time(before)} and "
                                 f"{mv.format_time(after)}", after - before, required=float(interval),
                                 tolerance=station.tolerance, requirements=("Part 2 §2.7.5",
                                                                            "Part 6 post-scenario validation"),
                                 soft=True)
        if len(stamps) < 2:
            station.note(f"the Ended event has {len(stamps)} periodic reading(s): no interval to validate")
        if signed:
            values_of = mv.sampled_values(sampled)
            check_signed_registers(station, "Ended event, Transaction.End",
                                   [s for s in values_of if mv.context_of(s) == mv.TRANSACTION_END],
                                   key_option=key_option, requirements=("J02.FR.21", "E06.FR.11"))
            check_signed(station, "Ended event", [s for s in values_of if mv.context_of(s) != mv.TRANSACTION_END],
                         key_option=key_option, required=False, requirements=("J02.FR.21",))


@case(time_needed=lambda t, c: mv.case_time_needed(t, c, intervals="sampled_data_tx_ended_interval", count=2))
async def test_tc_j_10_cs(station: ChargingStationUnderTest) -> None:
    """Sampled meter values in the Ended event (SampledDataTxEndedInterval).

    Part 6 steps / validations implemented (errata 2025-09 §6.2.65 applied to the requirements):
    - Before: SampledDataTxEndedInterval = <Configured sampled_tx_ended_meter_values_interval>
      (``station_values.sampled_data_tx_ended_interval``), AlignedDataTxEndedMeasurands empty (restored afterwards);
      EnergyTransferStarted;
    - step 1: after the <Configured transaction duration>, and at least two readings into the transaction,
      ParkingBayUnoccupied;
    - post-scenario: the Ended event has meterValue; its readings: Sample.Periodic ones (at least one) and one with
      Transaction.End (E06.FR.11); a reading at the start (Transaction.Begin) is accepted too; each with a value per
      SampledDataTxEndedMeasurands; the periodic ones one interval apart; no clock-aligned values (§2.7.15).
    """
    await _ended_case(station, signed=False)


@case(time_needed=lambda t, c: mv.case_time_needed(t, c, intervals="sampled_data_tx_ended_interval", count=2))
async def test_tc_j_11_cs(station: ChargingStationUnderTest) -> None:
    """Signed sampled meter values in the Ended event.

    Part 6 steps / validations implemented: as TC_J_10_CS (without emptying AlignedDataTxEndedMeasurands; clock-aligned
    values are not judged here), with SampledDataSignReadings true: the Transaction.End values carry a
    signedMeterValue (J02.FR.21), signedMeterData base64, publicKey "" or a base64 key as
    OCPPCommCtrlr.PublicKeyWithSignedMeterValue says. Other readings are judged when signed and noted when not (Part
    2 §2.7.3: some stations sign only the Transaction.Begin and Transaction.End values).
    """
    await _ended_case(station, signed=True)
