"""Steps the block J cases share (station side): private to this block.

The measurand lists the cases validate against are read from the station (the Part 6 cases use whatever is
configured); an empty list is set to Energy.Active.Import.Register for the case (restored afterwards), since with no
measurand configured Part 2 requires no meter values at all. A sampledValue is read with the defaults of Part 2
(measurand Energy.Active.Import.Register, context Sample.Periodic, location Outlet): a clock-aligned value whose
context is left out is therefore NOT Sample.Clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any, AsyncIterator, Iterable

from conformance.harness import ChargingStationUnderTest
from conformance.harness.reusable_states import station as states
from conformance.protocol import meter_values as mv
from conformance.outcomes import Inconclusive
from conformance.protocol.errors import PeerTimeout
from conformance.transport.connection import Connection, IncomingCall

ENERGY = mv.DEFAULT_MEASURAND
LOCATION_EV = ("errata 2025-09 §6.2.58",)


def configured_connector(station: ChargingStationUnderTest) -> tuple[int, int]:
    """<Configured evseId> and <Configured connectorId>: the first configured connector."""
    return station.connectors[0]


def values(station: ChargingStationUnderTest) -> Any:
    return station.config.station_values


# --------------------------------------------------------------------------- configuration state
@contextlib.asynccontextmanager
async def measurands_of(station: ChargingStationUnderTest, variable: dict[str, Any]) -> AsyncIterator[list[str]]:
    """The measurands of a SampledDataCtrlr / AlignedDataCtrlr list as the station has them; an empty list is set to
    Energy.Active.Import.Register for the case (restored afterwards); INCONCLUSIVE when it cannot be read."""
    value = await station.read_variable(variable, note_unreadable=True)
    found = mv.measurands(value)
    if value is None:  # Required=yes (Part 2 §2.7): without it no measurand can be judged
        raise Inconclusive(f"{variable['component']['name']}.{variable['variable']['name']} is unreadable: the "
                           f"configured measurands the case validates against are unknown")
    if found:
        yield found
        return
    async with station.configured(variable, ENERGY):
        yield [ENERGY]


@contextlib.asynccontextmanager
async def configured_if_implemented(station: ChargingStationUnderTest, variable: dict[str, Any],
                                    value: str) -> AsyncIterator[bool]:
    """Part 6 "<variable> is <value> (If implemented)": set for the case when the station has the variable
    (restored afterwards); a station without it is noted. Yields whether it was set."""
    if await station.read_variable(variable) is None:
        station.note(f"{variable['component']['name']}.{variable['variable']['name']} is not implemented: not set "
                     f"(Part 6: if implemented)")
        yield False
        return
    async with station.configured(variable, value):
        yield True


# --------------------------------------------------------------------------- collecting
async def collect(station: ChargingStationUnderTest, conn: Connection, alternatives: list[tuple[str, dict]], *,
                  since: int, deadline: float, done: Any = None,
                  found: list[IncomingCall] | None = None) -> list[IncomingCall]:
    """Every CALL matching ``alternatives`` from ``since`` until ``done(found)`` holds or ``deadline`` (monotonic)
    passes (no failure by itself: the caller judges what arrived)."""
    found = [] if found is None else found
    while done is None or not done(found):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        try:
            found.append(await conn.expect_one_of(alternatives, since=since, timeout=remaining))
        except PeerTimeout:
            break
    return found


def is_clock_aligned(incoming: IncomingCall) -> bool:
    """A MeterValuesRequest that is not a reading of another kind (Trigger, Other, Interruption.*): its first
    sampledValue's context is Sample.Clock, or Sample.Periodic (also by default), what a clock-aligned value that
    got its context wrong reads as."""
    first = next(iter(mv.sampled_values(incoming.payload.get("meterValue", []))), {})
    return mv.context_of(first) in (mv.SAMPLE_CLOCK, mv.SAMPLE_PERIODIC)


def moments(station: ChargingStationUnderTest, timestamps: Iterable[float]) -> list[list[float]]:
    return mv.distinct_moments(timestamps, station.tolerance)


def timestamps_of(meter_values: Iterable[dict[str, Any]]) -> list[float]:
    return [t for t in (mv.parse_time(m.get("timestamp", "")) for m in meter_values) if t is not None]


# --------------------------------------------------------------------------- judging
# Measurands a meter cannot have everywhere (J01.FR.14 note): the main power meter (EVSE 0) offers nothing to an EV,
# and without an EV plugged in there is no state of charge.
# The state of charge comes from the EV, and only some EVs report it (an AC EV has none; Part 5 C-40 lists what the
# station supports): SoC is never required, only judged where it is present.
NOT_AT_STATION_LEVEL = ("Current.Offered", "Power.Offered", "SoC")
NEEDS_AN_EV = ("SoC",)


def required_measurands(wanted: list[str], *, evse: int | None, ev_present: bool) -> list[str]:
    """The configured measurands a reading of ``evse`` must carry (J01.FR.14: "for which a configured measurand is
    supported"): not those of :data:`NOT_AT_STATION_LEVEL` for EVSE 0, never SoC (``ev_present`` or not: the EV
    may not report it)."""
    skip = set(NOT_AT_STATION_LEVEL if evse == 0 else ()) | set(NEEDS_AN_EV)
    return [m for m in wanted if m not in skip]


def check_meter_value(station: ChargingStationUnderTest, what: str, meter_value: dict[str, Any], *,
                      context: str, wanted: list[str] | None, requirements: tuple[str, ...],
                      first_only: bool = True) -> None:
    """One MeterValueType: its first sampledValue (``first_only``; else each) has ``context`` (Part 6
    "sampledValue[0].context"), and it carries a sampledValue of every configured measurand (the measurand field may
    be left out for the energy register; values per phase or location are welcome, errata 2025-09 §6.2.63; a
    measurand that was not configured is noted, not judged); no location EV except for SoC (errata 2025-09
    §6.2.58)."""
    sampled = meter_value.get("sampledValue", [])
    judged = sampled[:1] if first_only else sampled
    contexts = [s.get("context", f"(omitted: {mv.DEFAULT_CONTEXT})") for s in judged]
    station.check.that(f"{what}: sampledValue{'[0]' if first_only else ''} context is {context}",
                       all(mv.context_of(s) == context for s in judged) and bool(judged), expected=context,
                       actual=contexts, requirements=requirements, soft=True)
    if wanted is not None:
        check_measurands(station, what, sampled, wanted, requirements=requirements)
    misuse = mv.ev_location_misuse(sampled)
    station.check.that(f"{what}: no sampledValue with location EV except for measurand SoC", not misuse,
                       expected="location EV only for SoC", actual=misuse, requirements=LOCATION_EV, soft=True)


def check_measurands(station: ChargingStationUnderTest, what: str, sampled: list[dict[str, Any]], wanted: list[str],
                     *, requirements: tuple[str, ...], elsewhere: Iterable[str] = ()) -> None:
    """``sampled`` carries a value per configured measurand (the measurand field may be left out for the energy
    register; values per phase or location are welcome, errata 2025-09 §6.2.63); a measurand that was not configured
    is noted, not judged (no document forbids it). Not required, noted when missing: SoC (:data:`NEEDS_AN_EV`) and
    ``elsewhere``, measurands another meter of the station reports but this one never did (J01.FR.14: values "for
    which a configured measurand is supported"; Part 5 C-40: the supported measurands are the station's)."""
    missing = mv.missing_measurands(sampled, wanted)
    excused = [m for m in missing if m in NEEDS_AN_EV or m in set(elsewhere)]
    if excused:
        station.note(f"{what}: no value of {excused} (SoC needs an EV that reports it; the others are measured by "
                     f"another meter of the station only: J01.FR.14 'supported', Part 5 C-40): not judged")
    missing = [m for m in missing if m not in excused]
    station.check.that(f"{what}: a sampledValue per configured measurand", not missing, expected=wanted,
                       actual=f"missing {missing}; present {sorted({mv.measurand_of(s) for s in sampled})}",
                       requirements=requirements, soft=True)
    extra = sorted({mv.measurand_of(s) for s in sampled} - set(wanted))
    if extra:
        station.note(f"{what}: measurands besides the configured ones: {extra} (not judged)")


def check_moments(station: ChargingStationUnderTest, readings: list[tuple[str, int | None, dict[str, Any]]], *,
                  context: str, wanted_for: Any, requirements: tuple[str, ...], last_open: bool = False) -> None:
    """``readings``: (label, EVSE, MeterValueType). Each one's first sampledValue has ``context`` (Part 6
    "sampledValue[0].context") and no location EV except for SoC; the readings of one EVSE at one moment (within
    the max time deviation) together carry a value per measurand of ``wanted_for(evse)``: a station may spread them
    over several messages with the same timestamp when they are too much for one (J01.FR.15, J02.FR.14, E02.FR.11,
    Part 6 "multiple messages per configured interval"). ``last_open``: the readings were collected live, so the
    last moment of each EVSE may go on in messages after the harness stopped collecting: its measurands are not
    judged (noted)."""
    for label, _, meter_value in readings:
        check_meter_value(station, label, meter_value, context=context, wanted=None, requirements=requirements)
    timed = sorted(((mv.parse_time(m.get("timestamp", "")) or 0.0, evse, label, m) for label, evse, m in readings),
                   key=lambda r: (str(r[1]), r[0]))
    groups: list[list[tuple[float, int | None, str, dict[str, Any]]]] = []
    for reading in timed:
        if groups and groups[-1][0][1] == reading[1] and reading[0] - groups[-1][0][0] <= station.tolerance:
            groups[-1].append(reading)
        else:
            groups.append([reading])
    last = {}
    seen_at: dict[Any, set[str]] = {}
    for group in groups:
        last[group[0][1]] = group[0][0]
        seen_at.setdefault(group[0][1], set()).update(mv.measurand_of(s) for _, _, _, m in group
                                                      for s in m.get("sampledValue", []))
    seen_anywhere = set().union(*seen_at.values()) if seen_at else set()
    for group in groups:
        labels = " + ".join(label for _, _, label, _ in group)
        if last_open and last[group[0][1]] == group[0][0]:
            station.note(f"{labels}: the last moment collected, which may go on in later messages: its measurands are "
                         f"not judged")
            continue
        sampled = [s for _, _, _, m in group for s in m.get("sampledValue", [])]
        # a measurand never reported at this EVSE but reported by another meter: that meter's, not this one's
        check_measurands(station, labels, sampled, wanted_for(group[0][1]), requirements=requirements,
                         elsewhere=seen_anywhere - seen_at[group[0][1]])


def check_on_clock(station: ChargingStationUnderTest, what: str, timestamps: list[float], interval: int, *,
                   requirements: tuple[str, ...]) -> None:
    """Clock-aligned readings are taken at the start of each interval of ``interval`` seconds counted from
    midnight (Part 2 §2.7.12 / §2.7.16): each moment within the max time deviation of that grid (in any time zone,
    the station's midnight being local), and consecutive moments one interval apart (Part 6 post-scenario
    validation: the intervals between the timestamps equal the configured interval; readings of one moment, e.g.
    one message per EVSE, carry the same timestamp)."""
    groups = moments(station, timestamps)
    for group in groups:
        deviation = mv.aligned_deviation(group[0], interval)
        station.check.timing(f"{what}: timestamp {mv.format_time(group[0])} is on the clock-aligned grid "
                             f"(multiples of {interval} s from midnight)", deviation, required=0.0,
                             tolerance=station.tolerance, requirements=requirements, soft=True)
    for before, after in zip(groups, groups[1:]):
        station.check.timing(f"{what}: interval between the timestamps {mv.format_time(before[0])} and "
                             f"{mv.format_time(after[0])}", after[0] - before[0], required=float(interval),
                             tolerance=station.tolerance, requirements=requirements, soft=True)
    if len(groups) < 2:
        station.note(f"{what}: {len(groups)} reading moment(s): no interval between timestamps to validate")


def check_signed(station: ChargingStationUnderTest, what: str, sampled: list[dict[str, Any]], *,
                 key_option: str | None, required: bool, requirements: tuple[str, ...],
                 unsigned_note: str = "Part 2 §2.7.3: a station may sign only Transaction.Begin / Transaction.End "
                                      "values") -> None:
    """signedMeterValue of each of ``sampled``: present (when ``required``; else noted when left out), its
    signedMeterData base64 (Part 2 §2.46), its publicKey "" or a base64 key as OCPPCommCtrlr.
    PublicKeyWithSignedMeterValue says (``key_option``; None: unreadable, either is accepted)."""
    for index, value in enumerate(sampled):
        label = f"{what}: sampledValue {index} ({mv.measurand_of(value)}, {mv.context_of(value)})"
        signed = value.get("signedMeterValue")
        if signed is None:
            if required:
                station.check.that(f"{label} carries a signedMeterValue", False, expected="signedMeterValue",
                                   actual="omitted", requirements=requirements, soft=True)
            else:
                station.note(f"{label} is not signed ({unsigned_note})")
            continue
        station.check.that(f"{label}: signedMeterValue.signedMeterData is base64 encoded",
                           mv.is_base64(signed.get("signedMeterData")), expected="non-empty base64",
                           actual=signed.get("signedMeterData"), requirements=("Part 2 §2.46",),
                           soft=True)
        key = signed.get("publicKey")
        if key_option == "Never":
            ok, expected = key == "", '"" (PublicKeyWithSignedMeterValue Never)'
        elif key_option == "EveryMeterValue":
            ok, expected = mv.is_base64(key), "a base64 public key (PublicKeyWithSignedMeterValue EveryMeterValue)"
        else:
            ok, expected = mv.is_base64(key, allow_empty=True), '"" or a base64 public key'
        station.check.that(f"{label}: signedMeterValue.publicKey", ok, expected=expected, actual=key,
                           requirements=requirements + ("Part 2 §2.7.17",), soft=True)


def check_signed_registers(station: ChargingStationUnderTest, what: str, sampled: list[dict[str, Any]], *,
                           key_option: str | None, requirements: tuple[str, ...]) -> None:
    """Signed readings where the meter can sign (J01.FR.21 / J02.FR.21: values "from components that support data
    signing"): each energy register value (Energy.*.Register, what a signing meter signs) carries a
    signedMeterValue, and at least one value does; the other values are judged when signed, noted when not."""
    registers = [s for s in sampled if mv.is_register(mv.measurand_of(s))]
    station.check.that(f"{what}: a signed value is present (an energy register value)",
                       any("signedMeterValue" in s for s in sampled) and bool(registers or sampled),
                       expected="signedMeterValue", actual=[mv.measurand_of(s) for s in sampled],
                       requirements=requirements, soft=True)
    check_signed(station, what, registers, key_option=key_option, required=True, requirements=requirements)
    check_signed(station, what, [s for s in sampled if not mv.is_register(mv.measurand_of(s))], key_option=key_option,
                 required=False, requirements=requirements,
                 unsigned_note="the meter may sign only its energy register (J01.FR.21 / J02.FR.21: where it "
                               "supports data signing)")


# --------------------------------------------------------------------------- the transaction
def transaction_runs(station: ChargingStationUnderTest, interval: int, intervals: int, reason: str
                     ) -> tuple[float, float, float]:
    """The transaction runs the <Configured transaction duration> and at least ``intervals`` times ``interval``
    (recorded as a protocol wait with ``reason``). Returns when it began (monotonic), the scaled duration and the
    deadline for its readings (one message timeout after the longer of the two)."""
    begun = time.monotonic()
    duration = station.ctx.scaled(values(station).transaction_duration)
    deadline = begun + max(duration, station.ctx.scaled(intervals * interval + station.tolerance)) \
        + station.message_timeout
    station.protocol_wait(max(duration, intervals * interval), reason)
    return begun, duration, deadline


async def wait_for_moments(station: ChargingStationUnderTest, start: float, interval: int, *, aligned: bool,
                           count: int = 2) -> None:
    """Let the transaction (started at ``start``, epoch) run until ``count`` reading moments of ``interval`` have
    passed (clock-aligned ones, or sampled ones from the start), less the <Configured Transaction Duration> that
    StopAuthorized waits anyway; a protocol wait (the readings must exist before they can be validated)."""
    first = mv.next_aligned(start, interval) if aligned else start + interval
    target = first + (count - 1) * interval + station.tolerance
    remaining = target - time.time() - values(station).transaction_duration
    if remaining > 0:
        station.protocol_wait(remaining, f"{count} reading moments of the {interval} s interval within the "
                                         f"transaction")
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(station.ctx.scaled(remaining)):
                await station.connection.closed.wait()


def started_at(tx: states.Transaction) -> float:
    """When the transaction started, on the harness's clock (the arrival of its first event; the station's clock
    may differ, and the waits run on the harness's): epoch seconds, now when no event is known."""
    if not tx.events:
        return time.time()
    return time.time() - (time.monotonic() - tx.events[0].received_mono)


async def stop_transaction(station: ChargingStationUnderTest, tx: states.Transaction) -> IncomingCall:
    """Part 6 "Execute Reusable State ParkingBayUnoccupied" from EnergyTransferStarted: StopAuthorized (after the
    <Configured Transaction Duration>), EVConnectedPostSession, EVDisconnected, ParkingBayUnoccupied, as far as the
    transaction has not ended. Returns the Ended event."""
    await states.stop_authorized(station, tx)
    await states.ev_connected_post_session(station, tx)
    await states.ev_disconnected(station, tx)
    await states.parking_bay_unoccupied(station, tx)
    ended = next((e for e in tx.events if e.payload.get("eventType") == "Ended"), None)
    station.check.that("the transaction has ended after ParkingBayUnoccupied", ended is not None,
                       expected="TransactionEventRequest eventType Ended",
                       actual=[e.payload.get("eventType") for e in tx.events], requirements=("E06.FR.02",))
    assert ended is not None
    return ended
