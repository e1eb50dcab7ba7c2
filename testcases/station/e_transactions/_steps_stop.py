"""Steps the block E stop-point cases share (station side, helper estop): private to this block.

Part 6 Before "TxStopPoint contains X" with the prerequisite "NOT (TxStopPoint ReadOnly AND <condition>)": the
station's TxStopPoint is kept when it already meets the case's condition, otherwise set for the case (SetVariables)
and restored afterwards; a station that cannot take the value (ReadOnly, or the value not supported) does not meet
the prerequisite: NOT APPLICABLE, citing it. Boolean configuration states the same way.
"""

from __future__ import annotations

import contextlib
from typing import AsyncIterator, Callable

from conformance.harness import ChargingStationUnderTest, Satisfies
from conformance.harness.reusable_states import station as states
from conformance.outcomes import Inconclusive, NotApplicable
from conformance.protocol.variables import TX_STOP_POINT


#: SetVariables results that show a variable ReadOnly or the value not supported (Part 6 prerequisites: NOT APPLICABLE)
REFUSED = ("Rejected", "NotSupportedAttributeType", "UnknownVariable", "UnknownComponent")


def points(value: str | None) -> set[str]:
    return {p.strip() for p in (value or "").split(",") if p.strip()}


@contextlib.asynccontextmanager
async def tx_stop_point(station: ChargingStationUnderTest, value: str | tuple[str, ...],
                        fits: Callable[[set[str]], bool], *, prerequisite: str) -> AsyncIterator[set[str]]:
    """TxStopPoint for the case: kept when ``fits`` accepts the station's value, else set to ``value`` (several:
    the first the station takes, "Authorized (If supported) AND/OR ParkingBayOccupancy (If supported)"; restored
    afterwards); none settable: NOT APPLICABLE with ``prerequisite`` (Part 6). Yields the points in force."""
    current = await station.read_variable(TX_STOP_POINT, note_unreadable=True)
    if current is not None and fits(points(current)):
        station.note(f"TxStopPoint {current!r} meets the case's configuration state (kept)")
        yield points(current)
        return
    refused: list[str] = []
    for candidate in (value,) if isinstance(value, str) else value:
        entered = False
        try:
            async with station.configured(TX_STOP_POINT, candidate):
                entered = True
                yield points(candidate)
            return
        except Inconclusive as exc:
            if entered or getattr(exc, "status", None) not in REFUSED:  # a CALLERROR, RebootRequired, ...: the
                raise  # prerequisite (ReadOnly / value not supported) is not shown: INCONCLUSIVE (review L19)
            refused.append(f"{candidate!r}: {exc}")
    raise NotApplicable(f"prerequisite not met: {prerequisite} (TxStopPoint is {current!r}; setting it to "
                        f"{'; '.join(refused)})")


@contextlib.asynccontextmanager
async def boolean_state(station: ChargingStationUnderTest, variable: dict, value: bool, *,
                        required: str | None) -> AsyncIterator[None]:
    """A boolean configuration state ("X is true"): kept when the station has it already, else set and restored.
    Not settable: NOT APPLICABLE with ``required`` (the prerequisite it makes); ``required`` None ("(If mutability is
    ReadWrite)"): the station's own value is used, noted."""
    wanted = "true" if value else "false"
    name = f"{variable['component']['name']}.{variable['variable']['name']}"
    current = await station.read_variable(variable, note_unreadable=True)
    if current is not None and current.lower() == wanted:
        yield
        return
    entered = False
    try:
        async with station.configured(variable, wanted):
            entered = True
            yield
    except Inconclusive as exc:
        if entered:
            raise
        if required is not None:
            raise NotApplicable(f"prerequisite not met: {required} ({name} is {current!r}: {exc})") from None
        station.note(f"{name} stays {current!r}: Part 6 sets it to {wanted} only if it is ReadWrite ({exc})")
        yield


def fixed_cable(station: ChargingStationUnderTest) -> bool:
    """The PICS declares a permanently attached cable (HFS-2) and no detachable one (HFS-1)."""
    hardware = station.config.pics.hardware
    return bool(hardware.get("HFS-2")) and not bool(hardware.get("HFS-1"))


def _reported(evse: int, connector: int) -> list[tuple[str, dict]]:
    return [("StatusNotification", {"evseId": evse, "connectorId": connector}),
            ("NotifyEvent", {"eventData": Satisfies(
                lambda data: any(e.get("variable", {}).get("name") == "AvailabilityState"
                                 and e.get("component", {}).get("evse", {}) == {"id": evse, "connectorId": connector}
                                 for e in data), f"AvailabilityState of EVSE {evse} connector {connector}")})]


async def present_token(station: ChargingStationUnderTest, tx: states.Transaction) -> None:
    """Manual action: present the idToken that started the transaction (the valid one)."""
    token = station.config.id_tokens.valid
    tx.instruction(station.connection)
    await station.actions.do("present_id_token", id_token=token.id_token, type=token.type, evse=tx.evse)


async def cable_released_afterwards(station: ChargingStationUnderTest, tx: states.Transaction, *,
                                    locked: Callable[[], bool]) -> None:
    """General precondition after an EV-side disconnect: a detachable cable left in the station's socket is taken
    out (action ``unplug`` side station), after presenting the idToken when ``locked()`` says the station keeps it
    locked (E09.FR.03, E10.FR.01), and its status report awaited. Nothing is judged; a failure is noted (the
    restore of :func:`states.transactions_ended_afterwards` follows)."""
    if not tx.plugged or not tx.ev_side_disconnected:
        return
    try:
        conn = station.connection
        if locked():
            await present_token(station, tx)
            tx.stop_authorized = True
        mark = conn.mark()
        await station.actions.do("unplug", evse=tx.evse, connector=tx.connector, side="station")
        tx.plugged = False
        tx.ev_side_disconnected = False
        await conn.expect_one_of(_reported(tx.evse, tx.connector), since=mark)
        station.note(f"restored: cable taken out of EVSE {tx.evse} connector {tx.connector}")
    except Exception as exc:  # action failures, timeouts, disconnects: never the case's outcome
        station.note(f"could not take the cable out of EVSE {tx.evse} connector {tx.connector}: {exc}")
