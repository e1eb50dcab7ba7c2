"""Steps the block E cases share (station side): private to this block.
"""

from __future__ import annotations

import contextlib
from typing import Any, AsyncIterator

from conformance.harness import ChargingStationUnderTest
from conformance.harness.reusable_states import station as states
from conformance.outcomes import Inconclusive, NotApplicable
from conformance.protocol.variables import (AUTH_ENABLED, DISABLE_REMOTE_AUTHORIZATION, TX_START_POINT)

from ._steps_stop import REFUSED

# The start points in the order a charging session reaches them (Part 2 §2.6.6.1, E01 scenarios S1-S6).
START_POINTS = ("ParkingBayOccupancy", "EVConnected", "Authorized", "DataSigned", "PowerPathClosed", "EnergyTransfer")


def configured_connector(station: ChargingStationUnderTest) -> tuple[int, int]:
    """<Configured evseId> and <Configured connectorId>: the first configured connector."""
    return station.connectors[0]


@contextlib.asynccontextmanager
async def start_point(station: ChargingStationUnderTest, point: str, *, excluded: tuple[str, ...],
                      prerequisite: str) -> AsyncIterator[list[str]]:
    """Part 6 "If the mutability of TxStartPoint is ReadWrite then TxStartPoint contains <point>": TxStartPoint is set
    to ``point`` alone (so the case tests that start option, not an earlier one) by SetVariables and restored
    afterwards. When the station does not accept it (TxStartPoint ReadOnly, or the value not supported) the case
    runs with the station's own value if the prerequisite allows it (it contains ``point`` and none of
    ``excluded``, the earlier start points the prerequisite rules out), and is otherwise NOT APPLICABLE with the
    Part 6 ``prerequisite``. Yields the TxStartPoint the case runs with."""
    current = await states.tx_start_points(station)
    if current == [point]:
        yield current
        return
    async with station.restoring(TX_START_POINT) as original:
        response = await station.call("SetVariables", {"setVariableData": [dict(TX_START_POINT,
                                                                                 attributeValue=point)]})
        status = response.payload["setVariableResult"][0]["attributeStatus"] if response.ok else response.describe()
        if status == "Accepted":
            station.note(f"configuration state: TxCtrlr.TxStartPoint = {point!r} (was {original!r})")
            yield [point]
            return
        if point in current and not set(current) & set(excluded):
            station.note(f"TxCtrlr.TxStartPoint cannot be set to {point!r} ({status}); the station's "
                         f"{','.join(current)} meets the prerequisite")
            yield current
            return
        if status not in REFUSED:  # a CALLERROR, RebootRequired, ...: not shown ReadOnly / unsupported (review L19)
            raise Inconclusive(f"configuration state not reached: setting TxCtrlr.TxStartPoint to {point} was "
                               f"answered {status}")
        raise NotApplicable(f"Part 6 prerequisite not met: {prerequisite} (TxCtrlr.TxStartPoint is "
                            f"{','.join(current) or 'unreadable'} and setting it to {point} was answered {status})")


async def _ensure(stack: contextlib.AsyncExitStack, station: ChargingStationUnderTest, variable: dict[str, Any],
                  value: str, *, read_only_ok: bool) -> bool:
    """A boolean configuration state "(If implemented)": nothing when the station does not know the variable (noted),
    nothing when it has the value already; otherwise it is set for the case and restored afterwards. When it cannot
    be set: noted if ``read_only_ok`` (Part 6 "If implemented AND ReadWrite"), else INCONCLUSIVE. Returns whether the
    variable is implemented."""
    name = f"{variable['component']['name']}.{variable['variable']['name']}"
    current = await station.read_variable(variable)
    if current is None:
        station.note(f"{name} is not implemented (configuration state '{name} is {value}' applies if implemented)")
        return False
    if current.strip().lower() == value:
        return True
    try:
        await stack.enter_async_context(station.configured(variable, value))
    except Inconclusive:
        if not read_only_ok:
            raise
        station.note(f"{name} is {current} and cannot be set (configuration state applies if ReadWrite)")
    return True


@contextlib.asynccontextmanager
async def local_start_configuration(station: ChargingStationUnderTest, *,
                                    disable_remote_authorization: str = "false") -> AsyncIterator[bool]:
    """The configuration state of the local start / stop cases: AuthCtrlr.AuthEnabled (Enabled) is true (if
    implemented AND ReadWrite), AuthCtrlr.DisableRemoteAuthorization is ``disable_remote_authorization`` (if
    implemented); both restored afterwards. Yields whether DisableRemoteAuthorization is implemented."""
    async with contextlib.AsyncExitStack() as stack:
        await _ensure(stack, station, AUTH_ENABLED, "true", read_only_ok=True)
        implemented = await _ensure(stack, station, DISABLE_REMOTE_AUTHORIZATION, disable_remote_authorization,
                                    read_only_ok=False)
        yield implemented


async def ensure_variable(stack: contextlib.AsyncExitStack, station: ChargingStationUnderTest,
                          variable: dict[str, Any], value: str, *, read_only_ok: bool = False) -> bool:
    """:func:`_ensure` for a case's other configuration states (restored when ``stack`` closes)."""
    return await _ensure(stack, station, variable, value, read_only_ok=read_only_ok)


@contextlib.asynccontextmanager
async def ev_resumed_afterwards(station: ChargingStationUnderTest, evse: int, connector: int) -> AsyncIterator[None]:
    """After a case that made the EV not ready (action ``ev_suspend``): the EV is made ready again (``ev_resume``),
    even when the case failed; a failed action is noted, never the case's outcome. Enter it before
    ``transactions_ended_afterwards`` so that it runs after the EV was unplugged."""
    try:
        yield
    finally:
        try:
            await station.actions.do("ev_resume", evse=evse, connector=connector)
            station.note(f"restored: the EV at EVSE {evse} is ready again (ev_resume)")
        except Exception as exc:  # action failures, timeouts: never the case's outcome
            station.note(f"could not make the EV at EVSE {evse} ready again: {exc}")
