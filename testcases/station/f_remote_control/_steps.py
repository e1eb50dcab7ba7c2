"""Steps the block F cases share (station side): private to this block."""

from __future__ import annotations

from conformance.harness import ChargingStationUnderTest


def configured_connector(station: ChargingStationUnderTest) -> tuple[int, int]:
    """<Configured evseId> and <Configured connectorId>: the first configured connector."""
    return station.connectors[0]


def one_connector_per_evse(station: ChargingStationUnderTest) -> list[tuple[int, int]]:
    """The first configured connector of every EVSE ("for all EVSE")."""
    seen: dict[int, int] = {}
    for evse, connector in station.connectors:
        seen.setdefault(evse, connector)
    return sorted(seen.items())
