"""Block J Meter Values, the SUT is a Charging Station: clock-aligned meter values (J01, AlignedDataCtrlr).

Clock-aligned readings are judged on the wall clock: each reading moment within ``timing.max_time_deviation`` of
the grid of the interval counted from midnight (the station's local midnight: any time zone), consecutive moments
one interval apart (the timing table of the report lists each, required against measured). During a transaction
the EVSE of the transaction may report in a MeterValuesRequest or in a TransactionEventRequest with triggerReason
MeterValueClock (J01.FR.22, Part 6 TC_J_02_CS "Steps 1 and 2 or Steps 3 and 4").
"""

from __future__ import annotations

import asyncio
import contextlib
import time

from conformance.harness import ChargingStationUnderTest, case
from conformance.harness.reusable_states import station as states
from conformance.protocol import meter_values as mv
from conformance.protocol.variables import (ALIGNED_INTERVAL, ALIGNED_MEASURANDS, ALIGNED_SEND_DURING_IDLE,
                                            ALIGNED_SIGN_READINGS, ALIGNED_TX_ENDED_INTERVAL,
                                            ALIGNED_TX_ENDED_MEASURANDS, PUBLIC_KEY_WITH_SIGNED_METER_VALUE,
                                            SAMPLED_REGISTER_VALUES_WITHOUT_PHASES, SAMPLED_TX_ENDED_MEASURANDS)
from conformance.transport.connection import IncomingCall

from ._steps import (check_moments, check_on_clock, check_signed_registers, collect, configured_connector,
                     configured_if_implemented, is_clock_aligned, measurands_of, moments, required_measurands,
                     started_at, stop_transaction, timestamps_of, transaction_runs, values, wait_for_moments)

J01 = ("J01.FR.14", "J01.FR.06", "J01.FR.07", "J01.FR.08")
J01_TX = ("J01.FR.22", "J01.FR.08")
TX_ENDED = ("Part 2 §2.7.15", "Part 2 §2.7.16")


def _judge_meter_values_requests(station: ChargingStationUnderTest, requests: list[IncomingCall], wanted: list[str],
                                 interval: int, *, step: str, plugged: tuple[int, ...] = ()) -> None:
    """Tool validation of the MeterValuesRequests (context Sample.Clock, a value per AlignedDataMeasurands the
    reading's meter can have, :func:`required_measurands`; the EVSE is 0 or a configured one) and the post-scenario
    validation of their timestamps. ``plugged``: the EVSEs with an EV."""
    evses = {0} | {e for e, _ in station.connectors}
    stamps: list[float] = []
    readings = []
    for incoming in requests:
        payload = incoming.payload
        station.check.that(f"MeterValuesRequest ({step}) names EVSE 0 or a configured EVSE", payload.get("evseId")
                           in evses, expected=sorted(evses), actual=payload.get("evseId"),
                           requirements=("J01.FR.02", "J01.FR.03"), soft=True)
        readings += [(f"MeterValuesRequest ({step}) evseId {payload.get('evseId')} meterValue[{index}] "
                      f"{meter_value.get('timestamp')}", payload.get("evseId"), meter_value)
                     for index, meter_value in enumerate(payload.get("meterValue", []))]
        stamps += timestamps_of(payload.get("meterValue", []))
    check_moments(station, readings, context=mv.SAMPLE_CLOCK, requirements=J01, last_open=True,
                  wanted_for=lambda evse: required_measurands(wanted, evse=evse, ev_present=evse in plugged))
    check_on_clock(station, f"clock-aligned MeterValuesRequests ({step})", stamps, interval,
                   requirements=("J01.FR.14", "Part 2 §2.7.12", "Part 6 post-scenario validation"))


async def _clock_aligned_requests(station: ChargingStationUnderTest, since: int, interval: int, *,
                                  moments_wanted: int, messages_wanted: int = 1) -> list[IncomingCall]:
    """The station's clock-aligned MeterValuesRequests from ``since``, until ``messages_wanted`` of them arrived at
    ``moments_wanted`` distinct reading moments (bounded by that many intervals plus the deviation and a message
    timeout). Other MeterValuesRequests (context Trigger, Other, ...) are recorded, not judged."""
    conn = station.connection
    # A station may send one message per moment (one metered EVSE, or the main meter only: J01.FR.14 "supported"):
    # the wait covers as many intervals as messages or moments are wanted (Part 6: the tool stops after them).
    spans = max(moments_wanted, messages_wanted)
    deadline = time.monotonic() + station.ctx.scaled(spans * interval + station.tolerance) \
        + station.message_timeout

    def enough(found: list[IncomingCall]) -> bool:
        aligned = [f for f in found if is_clock_aligned(f)]
        stamps = [t for f in aligned for t in timestamps_of(f.payload.get("meterValue", []))]
        return len(aligned) >= messages_wanted and len(moments(station, stamps)) >= moments_wanted

    began = time.monotonic()
    found = await collect(station, conn, [("MeterValues", {})], since=since, deadline=deadline, done=enough)
    station.protocol_wait(time.monotonic() - began, f"clock-aligned readings at {moments_wanted} moments of "
                                                    f"{interval} s (waited as they came)")
    for other in (f for f in found if not is_clock_aligned(f)):
        station.note(f"recorded: MeterValuesRequest with context "
                     f"{mv.context_of(mv.sampled_values(other.payload.get('meterValue', []))[0])} (not clock-aligned)")
    aligned = [f for f in found if is_clock_aligned(f)]
    stamps = [t for f in aligned for t in timestamps_of(f.payload.get("meterValue", []))]
    station.check.that(f"clock-aligned MeterValuesRequests arrive at {moments_wanted} reading moments of the "
                       f"{interval} s interval", len(moments(station, stamps)) >= moments_wanted and len(aligned)
                       >= messages_wanted, expected=f"at least {messages_wanted} MeterValuesRequest(s) at "
                                                    f"{moments_wanted} moments",
                       actual=f"{len(aligned)} at {len(moments(station, stamps))} moment(s)",
                       requirements=("J01.FR.14",), soft=True)
    return aligned


@case(time_needed=lambda t, c: mv.case_time_needed(t, c, intervals="aligned_data_interval", count=3, transaction=False))
async def test_tc_j_01_cs(station: ChargingStationUnderTest) -> None:
    """Clock-aligned meter values without a transaction.

    Part 6 steps / validations implemented:
    - Before: AlignedDataInterval = <Configured clock-aligned Meter Values interval> (``station_values.
      aligned_data_interval``, restored afterwards); the AlignedDataMeasurands the station has;
    - steps 1-2: MeterValuesRequests, until three have arrived and at least two reading moments (so that an
      interval can be measured); each: context Sample.Clock, a sampledValue per AlignedDataMeasurands (measurand
      omitted = Energy.Active.Import.Register), evseId 0 or a configured EVSE (J01.FR.02/03);
    - post-scenario: timestamps on the clock (multiples of the interval from midnight) and one interval apart,
      the messages of one moment with the same timestamp (within the max time deviation); errata §6.2.58 (no
      location EV except SoC).
    """
    interval = values(station).aligned_data_interval
    async with measurands_of(station, ALIGNED_MEASURANDS) as wanted:
        async with station.configured(ALIGNED_INTERVAL, str(interval)):
            since = station.connection.mark()
            requests = await _clock_aligned_requests(station, since, interval, moments_wanted=2, messages_wanted=3)
            _judge_meter_values_requests(station, requests, wanted, interval, step="steps 1-2")


def _clock_aligned_events(events: list[IncomingCall]) -> list[IncomingCall]:
    return [e for e in events if e.payload.get("triggerReason") == "MeterValueClock" or any(
        mv.context_of(s) == mv.SAMPLE_CLOCK for s in mv.sampled_values(e.payload.get("meterValue", [])))]


@case(time_needed=lambda t, c: mv.case_time_needed(t, c, intervals="aligned_data_interval", count=2))
async def test_tc_j_02_cs(station: ChargingStationUnderTest) -> None:
    """Clock-aligned meter values while a transaction is ongoing.

    Part 6 steps / validations implemented (errata 2025-09 §6.2.63/64 applied):
    - Before: AlignedDataInterval = <Configured clock-aligned Meter Values interval>, AlignedDataSendDuringIdle
      false and SampledDataRegisterValuesWithoutPhases false (each if implemented; restored afterwards);
      EnergyTransferStarted on the configured connector;
    - steps 1-4, in any order, until the <Configured transaction duration> and at least two reading moments of the
      transaction's EVSE: its clock-aligned values come in a MeterValuesRequest for its EVSE (steps 1-2) or in a
      TransactionEventRequest (steps 3-4: triggerReason MeterValueClock, J01.FR.22); MeterValuesRequests of EVSE 0
      and the idle EVSEs are judged the same way (context Sample.Clock, a value per AlignedDataMeasurands; measurands
      may be reported per phase or location, errata §6.2.63);
    - post-scenario: the timestamps of the TransactionEventRequests and those of the MeterValuesRequests on the
      clock and one interval apart.
    """
    interval = values(station).aligned_data_interval
    evse, connector = configured_connector(station)
    async with measurands_of(station, ALIGNED_MEASURANDS) as wanted, \
            configured_if_implemented(station, ALIGNED_SEND_DURING_IDLE, "false"), \
            configured_if_implemented(station, SAMPLED_REGISTER_VALUES_WITHOUT_PHASES, "false"), \
            station.configured(ALIGNED_INTERVAL, str(interval)), \
            states.transactions_ended_afterwards(station):
        tx = await states.energy_transfer_started(station, evse, connector)
        conn, since = tx.since_on(station)
        begun, duration, deadline = transaction_runs(station, interval, 2,
                                                     "the transaction runs: clock-aligned readings")

        def own_moments(found: list[IncomingCall]) -> int:
            own = [f for f in found if f.action == "TransactionEvent" or f.payload.get("evseId") == evse]
            return len(moments(station, [t for f in _clock_aligned_events(own) + [
                f for f in own if f.action == "MeterValues" and is_clock_aligned(f)]
                for t in timestamps_of(f.payload.get("meterValue", []))]))

        found = [e for e in tx.events if e in _clock_aligned_events(tx.events)]
        found = await collect(station, conn, [("MeterValues", {}), ("TransactionEvent", tx.pattern())], since=since,
                              deadline=deadline, found=found,
                              done=lambda f: own_moments(f) >= 2 and time.monotonic() - begun >= duration)
        events = []
        for incoming in found:
            if incoming.action == "TransactionEvent":
                if incoming not in tx.events:
                    tx.record(incoming)
                if incoming in _clock_aligned_events([incoming]):
                    events.append(incoming)
        requests = [f for f in found if f.action == "MeterValues" and is_clock_aligned(f)]
        station.check.that(f"the clock-aligned values of EVSE {evse} (with the transaction) arrive at two reading "
                           f"moments, by MeterValuesRequest or TransactionEventRequest", own_moments(found) >= 2,
                           expected="2 moments", actual=own_moments(found), requirements=("J01.FR.22",), soft=True)
        for event in events:
            station.check.fields(f"TransactionEventRequest seqNo {event.payload.get('seqNo')} with clock-aligned "
                                 f"values (Part 6 step 3)", event.payload, {"triggerReason": "MeterValueClock"},
                                 requirements=J01_TX, soft=True)
            station.check.that(f"TransactionEventRequest seqNo {event.payload.get('seqNo')} (MeterValueClock) contains "
                               f"meterValue (Part 6 step 3: metervalue[0].sampledValue[0].context Sample.Clock)",
                               bool(event.payload.get("meterValue")), expected="meterValue",
                               actual=event.payload.get("meterValue", "omitted"), requirements=J01_TX, soft=True)
        check_moments(station, [(f"TransactionEventRequest seqNo {e.payload.get('seqNo')} meterValue[0]", evse,
                                 e.payload["meterValue"][0]) for e in events if e.payload.get("meterValue")],
                      context=mv.SAMPLE_CLOCK, requirements=J01_TX, last_open=True,
                      wanted_for=lambda _: required_measurands(wanted, evse=evse, ev_present=True))
        check_on_clock(station, "clock-aligned TransactionEventRequests (step 3)",
                       [t for e in events for t in timestamps_of(e.payload.get("meterValue", [])[:1])], interval,
                       requirements=("J01.FR.22", "Part 2 §2.7.12", "Part 6 post-scenario validation"))
        if requests:
            _judge_meter_values_requests(station, requests, wanted, interval, step="step 1", plugged=(evse,))


async def _tx_ended_case(station: ChargingStationUnderTest, *, signed: bool) -> None:
    """TC_J_03_CS / TC_J_04_CS: a transaction long enough for two clock-aligned moments of
    AlignedDataTxEndedInterval, stopped through ParkingBayUnoccupied; its Ended event judged."""
    interval = values(station).aligned_data_tx_ended_interval
    evse, connector = configured_connector(station)
    async with contextlib.AsyncExitStack() as stack:
        wanted = await stack.enter_async_context(measurands_of(station, ALIGNED_TX_ENDED_MEASURANDS))
        await stack.enter_async_context(station.configured(ALIGNED_TX_ENDED_INTERVAL, str(interval)))
        await stack.enter_async_context(configured_if_implemented(station, ALIGNED_SEND_DURING_IDLE, "false"))
        key_option = None
        if signed:
            await stack.enter_async_context(station.configured(ALIGNED_SIGN_READINGS, "true"))
            key_option = await station.read_variable(PUBLIC_KEY_WITH_SIGNED_METER_VALUE)
        await stack.enter_async_context(states.transactions_ended_afterwards(station))
        tx = await states.energy_transfer_started(station, evse, connector)
        await wait_for_moments(station, started_at(tx), interval, aligned=True)
        ended = await stop_transaction(station, tx)
        _judge_aligned_ended(station, ended, wanted, interval, signed=signed, key_option=key_option)
        if not signed:  # TC_J_03_CS empties SampledDataTxEndedMeasurands: no sampled readings (Part 2 §2.7.4)
            periodic = [s for s in mv.sampled_values(ended.payload.get("meterValue", []))
                        if mv.context_of(s) == mv.SAMPLE_PERIODIC]
            station.check.that("the Ended event carries no sampled periodic readings (SampledDataTxEndedMeasurands is "
                               "empty)", not periodic, expected="no context Sample.Periodic (also by default)",
                               actual=periodic, requirements=("Part 2 §2.7.4",), soft=True)


def _judge_aligned_ended(station: ChargingStationUnderTest, ended: IncomingCall, wanted: list[str], interval: int,
                         *, signed: bool, key_option: str | None) -> None:
    meter_values = ended.payload.get("meterValue", [])
    # E06.FR.11's precondition is "configured to send meter data in the Ended event" (Meter Values - Configuration,
    # which §2.7.15 is part of); its Transaction.End context concerns the sampled values, not judged here
    station.check.that("the TransactionEventRequest eventType Ended contains the meterValue field", bool(meter_values),
                       expected="meterValue", actual=meter_values or "omitted", requirements=("E06.FR.11",) + TX_ENDED)
    aligned = [m for m in meter_values if any(mv.context_of(s) == mv.SAMPLE_CLOCK for s in m.get("sampledValue", []))]
    station.check.that("the Ended event carries clock-aligned values (context Sample.Clock)", bool(aligned),
                       expected="meterValue with context Sample.Clock",
                       actual=sorted({mv.context_of(s) for s in mv.sampled_values(meter_values)}),
                       requirements=TX_ENDED + ("J01.FR.08",))
    check_moments(station, [(f"Ended meterValue (clock-aligned) {index} {m.get('timestamp')}", None, m)
                             for index, m in enumerate(aligned)], context=mv.SAMPLE_CLOCK, requirements=TX_ENDED,
                  wanted_for=lambda _: wanted)
    check_on_clock(station, "clock-aligned values of the Ended event", timestamps_of(aligned), interval,
                   requirements=("Part 2 §2.7.16", "Part 6 post-scenario validation"))
    if signed:
        check_signed_registers(station, "Ended event, clock-aligned", mv.sampled_values(aligned),
                               key_option=key_option, requirements=("J01.FR.21", "Part 2 §2.7.14"))


@case(time_needed=lambda t, c: mv.case_time_needed(t, c, intervals="aligned_data_tx_ended_interval", count=2))
async def test_tc_j_03_cs(station: ChargingStationUnderTest) -> None:
    """Clock-aligned meter values in the Ended event (AlignedDataTxEndedInterval).

    Part 6 steps / validations implemented:
    - Before: AlignedDataTxEndedInterval = <Configured clock_aligned_tx_ended_meter_values_interval>
      (``station_values.aligned_data_tx_ended_interval``), SampledDataTxEndedMeasurands empty,
      AlignedDataSendDuringIdle false (if implemented); all restored afterwards; EnergyTransferStarted;
    - step 1: after the <Configured transaction duration>, and at least two clock-aligned moments into the
      transaction (so the interval can be measured), ParkingBayUnoccupied (StopAuthorized, EVConnectedPostSession,
      EVDisconnected, ParkingBayUnoccupied as far as the transaction has not ended);
    - post-scenario: the Ended event has meterValue; its clock-aligned values (context Sample.Clock; with
      SampledDataTxEndedMeasurands empty no sampled ones, Part 2 §2.7.4) carry every AlignedDataTxEndedMeasurand,
      are on the clock and one interval apart. The number of values per moment is not validated (Part 6).
    """
    async with station.configured(SAMPLED_TX_ENDED_MEASURANDS, ""):
        await _tx_ended_case(station, signed=False)


@case(time_needed=lambda t, c: mv.case_time_needed(t, c, intervals="aligned_data_tx_ended_interval", count=2))
async def test_tc_j_04_cs(station: ChargingStationUnderTest) -> None:
    """Signed clock-aligned meter values in the Ended event.

    Part 6 steps / validations implemented: as TC_J_03_CS (without emptying SampledDataTxEndedMeasurands), with
    AlignedDataSignReadings true: every clock-aligned sampledValue of the Ended event carries a signedMeterValue
    (J01.FR.21; Part 2 §2.7.14: for the AlignedDataTxEndedMeasurands), its signedMeterData base64, its publicKey ""
    or a base64 key as OCPPCommCtrlr.PublicKeyWithSignedMeterValue says (either when that is not readable).
    """
    await _tx_ended_case(station, signed=True)


@case(time_needed=lambda t, c: mv.case_time_needed(t, c, intervals="aligned_data_interval", count=4, extra=5))
async def test_tc_j_06_cs(station: ChargingStationUnderTest) -> None:
    """No clock-aligned meter values during a transaction (AlignedDataSendDuringIdle true).

    Part 6 steps / validations implemented:
    - Before: AlignedDataInterval = <Configured clock-aligned Meter Values interval>, AlignedDataSendDuringIdle
      true (restored afterwards);
    - steps 1-2: clock-aligned MeterValuesRequests at two moments (judged as in TC_J_01_CS);
    - steps 3-5: EnergyTransferStarted; the transaction runs <interval + 5 s>; step 6: ParkingBayUnoccupied;
    - steps 7-8: clock-aligned MeterValuesRequests again after the transaction;
    - post-scenario: the timestamps of each series on the clock and one interval apart; no clock-aligned values
      while the transaction was active (J01.FR.20): no MeterValuesRequest and no TransactionEventRequest with
      clock-aligned values (triggerReason MeterValueClock or context Sample.Clock). Part 6 words it "no
      TransactionEventRequest containing the MeterValue field", which would forbid the Transaction.Begin /
      Transaction.End values E01.FR.09 / E06.FR.11 require and the sampled ones of J02.FR.11: the check is read as
      J01.FR.20 scopes it, the clock-aligned values.
    """
    interval = values(station).aligned_data_interval
    evse, connector = configured_connector(station)
    async with measurands_of(station, ALIGNED_MEASURANDS) as wanted, \
            station.configured(ALIGNED_SEND_DURING_IDLE, "true"), \
            station.configured(ALIGNED_INTERVAL, str(interval)), \
            states.transactions_ended_afterwards(station):
        before = await _clock_aligned_requests(station, station.connection.mark(), interval, moments_wanted=2)
        _judge_meter_values_requests(station, before, wanted, interval, step="steps 1-2")
        conn = station.connection
        mark = conn.mark()
        tx = await states.energy_transfer_started(station, evse, connector)
        window = interval + 5
        station.protocol_wait(window, "Part 6 TC_J_06_CS step 6: <Configured clock-aligned interval + 5 seconds>")
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(station.ctx.scaled(window)):
                await conn.closed.wait()
        await stop_transaction(station, tx)
        # Readings taken while the transaction was active (from its first to its last event, by their timestamps).
        # on the station's clock, as the readings' timestamps: its first and its Ended event
        first = min(tx.events, key=lambda e: (e.payload.get("eventType") != "Started", e.payload.get("seqNo", 0)))
        start = mv.parse_time(first.payload.get("timestamp", "")) or started_at(tx)
        last = next(e for e in tx.events if e.payload.get("eventType") == "Ended")
        end = mv.parse_time(last.payload.get("timestamp", "")) or time.time()
        # The Ended event's AlignedDataTxEndedMeasurands values (Part 2 §2.7.15/§2.7.16) are a separate
        # configuration sent at the end of the transaction: not "sent during" it (noted).
        if any(mv.context_of(s) == mv.SAMPLE_CLOCK for s in mv.sampled_values(last.payload.get("meterValue", []))):
            station.note("the Ended event carries clock-aligned values (AlignedDataTxEndedMeasurands, Part 2 "
                         "§2.7.15): sent at the end of the transaction, not judged by J01.FR.20")
        during = [c for c in conn.mailbox[mark:] if c is not last and (
            (c.action == "MeterValues" and is_clock_aligned(c)) or (
                c.action == "TransactionEvent" and c in _clock_aligned_events([c])))
            if any(start < t < end for t in timestamps_of(c.payload.get("meterValue", [])))]
        station.check.that("no clock-aligned meter values while the transaction is active (MeterValuesRequest or "
                           "TransactionEventRequest with clock-aligned values)", not during,
                           expected="none", actual=[f"{c.action} {c.payload}" for c in during],
                           requirements=("J01.FR.20", "Part 2 §2.7.13", "Part 6 post-scenario validation"), soft=True)
        after = await _clock_aligned_requests(station, conn.mark(), interval, moments_wanted=1)
        _judge_meter_values_requests(station, after, wanted, interval, step="steps 7-8")
