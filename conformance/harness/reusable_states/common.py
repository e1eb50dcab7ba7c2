"""What the station-side and the CSMS-side reusable states share: the scope of a ChangeAvailability,
what an availability case sets back and the configured transaction duration. Both :mod:`.station` and
:mod:`.csms` export these names."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from typing import Any, AsyncIterator, Awaitable, Callable

from ..sides import ChargingStationUnderTest, CsmsUnderTest


def availability_scope(evse: int | None = None, connector: int | None = None) -> dict:
    """The ChangeAvailabilityRequest fields that name a scope: nothing (the station), an EVSE, a connector."""
    if evse is None:
        return {}
    return {"evse": {"id": evse} if connector is None else {"id": evse, "connectorId": connector}}


def scope_connectors(sut: ChargingStationUnderTest | CsmsUnderTest, evse: int | None = None,
                     connector: int | None = None) -> list[tuple[int, int]]:
    """The configured connectors a ChangeAvailability scope covers."""
    return [(e, c) for e, c in sut.connectors if evse is None or (e == evse and connector in (None, c))]



@dataclass
class AvailabilityRestore:
    """What :func:`availability_restored` sets back: ``pending`` scopes, as (evse, connector) pairs."""

    pending: list[tuple[int | None, int | None]]



@contextlib.asynccontextmanager
async def _restore_each_scope(restore_one: Callable[[int | None, int | None], Awaitable[None]],
                              ) -> AsyncIterator[AvailabilityRestore]:
    """What ``availability_restored`` of either side does around the case: the case adds the scopes it changes to
    ``pending``; afterwards, even when the case failed, each of them, the last first, is handed to
    ``restore_one(evse, connector)`` (which notes a failed restore, never makes it the case's outcome)."""
    restore = AvailabilityRestore([])
    try:
        yield restore
    finally:
        for evse, connector in reversed(restore.pending):
            await restore_one(evse, connector)


__all__ = ["availability_scope", "scope_connectors", "AvailabilityRestore", "transaction_duration"]


async def _station_timer(side: Any, seconds: float, reason: str) -> None:
    """A timer of the station the harness plays runs ``seconds`` (a configured value, run scaled; recorded as a
    protocol wait for ``reason`` like every configured wait): nothing to await but a lost connection, which ends it
    early. The CSMS-side states export it (the station the harness plays runs it); here it also bounds
    <Configured Transaction Duration>."""
    if seconds > 0:
        side.protocol_wait(seconds, reason)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(side.ctx.scaled(seconds)):
                await side.connection.closed.wait()


async def transaction_duration(side: Any) -> None:
    """Part 6 StopAuthorized (§2.18 / §3.18, errata 2025-09 §6.2.117): the transaction runs <Configured Transaction
    Duration> (``station_values.transaction_duration``, one key for both sides; default 0) before the idToken is
    presented again; recorded as a protocol wait. A lost connection ends the wait early."""
    await _station_timer(side, side.config.station_values.transaction_duration,
                        "<Configured Transaction Duration> before StopAuthorized (Part 6 §2.18/§3.18, errata 2025-09 "
                        "§6.2.117)")
