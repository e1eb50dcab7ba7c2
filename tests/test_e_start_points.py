"""The station-side E cases (helper estart) reach every TxStartPoint value, and a TxStartPoint the station does not
let the harness set makes a start-option case NOT APPLICABLE (Part 6 prerequisite), never FAIL.

Each test runs cases as a user runs them (``ocpp-conformance run --config``) against the reference station with a
factory TxStartPoint of the test's choosing (a conformant peer doing an allowed variant), driven through the webhook
action backend. The peers that break the rules are the faults of conformance/faults/e.py (the self-test matrix)."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, AsyncIterator

import pytest

from conformance.reference.station import ReferenceStation

from support import FULL_PICS, free_port, reference_station_peer, run_cases, webhook_for, write_peer_config

MESSAGE_TIMEOUT = 2.0
LOCAL_CASES = ("TC_E_03_CS", "TC_E_04_CS", "TC_E_05_CS", "TC_E_06_CS", "TC_E_38_CS", "TC_E_52_CS")


def _pics_without_energy_transfer_start(tmp_path: Path) -> Path:
    """The full PICS without C-09.5, so that TC_E_38_CS (Part 5: not C-09.5) applies."""
    path = tmp_path / "pics.toml"
    path.write_text(FULL_PICS.read_text().replace('"C-09.5", ', ""))
    return path


def _config(tmp_path: Path, port: int, hook: str, pics: Path) -> Path:
    return write_peer_config(tmp_path / "sut.toml", "station", port, name="start point peer", pics_file=pics,
                             message_timeout=MESSAGE_TIMEOUT, connect_timeout=5, action_timeout=5, case_time_limit=30,
                             timing="reconnect_gap = 0\noperator_think_time = 0\nmax_time_deviation = 0.5\n",
                             webhook=hook,
                             extra="[configured]\nev_connection_timeout = 1\n")


class ReadOnlyStartPoint(ReferenceStation):
    """A station whose TxStartPoint is ReadOnly: SetVariables on it is Rejected (Part 2 B05.FR.xx: a ReadOnly variable
    cannot be set)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        accept = self._handlers["SetVariables"]

        async def set_variables(payload: dict[str, Any]) -> dict[str, Any]:
            items = payload["setVariableData"]
            if any(i["variable"]["name"] == "TxStartPoint" for i in items):
                return {"setVariableResult": [{"attributeStatus": "Rejected", "component": i["component"],
                                               "variable": i["variable"]} for i in items]}
            return await accept(payload)

        self._handlers["SetVariables"] = set_variables


@contextlib.asynccontextmanager
async def station_peer(port: int, start: str, *, stop: str | None = None, sign: bool = False,
                       cls: type[ReferenceStation] = ReferenceStation) -> AsyncIterator[ReferenceStation]:
    settings: dict[tuple[str, str], Any] = {("TxCtrlr", "TxStartPoint"): start}
    if stop is not None:
        settings[("TxCtrlr", "TxStopPoint")] = stop
    if sign:
        settings[("SampledDataCtrlr", "SignReadings")] = True
    async with reference_station_peer(port, message_timeout=MESSAGE_TIMEOUT, cls=cls, settings=settings) as station:
        yield station


@pytest.mark.asyncio
@pytest.mark.parametrize("start,sign", [("ParkingBayOccupancy", False), ("EVConnected", False), ("Authorized", False),
                                        ("DataSigned", True), ("PowerPathClosed", False), ("EnergyTransfer", False)])
async def test_local_start_and_stop_cases_pass_with_every_start_point(tmp_path: Path, start: str, sign: bool) -> None:
    port = free_port()
    async with station_peer(port, start, sign=sign) as station, webhook_for(station) as hook:
        config = _config(tmp_path, port, hook, _pics_without_energy_transfer_start(tmp_path))
        run = await run_cases(config, tmp_path / "run", *LOCAL_CASES, timeout=150)
    verdicts = {c: run.results.get(c, {}).get("verdict") for c in LOCAL_CASES}
    expected = {c: "PASS" for c in LOCAL_CASES}
    if start == "EnergyTransfer":  # Part 6 prerequisite of TC_E_38_CS: TxStartPoint not EnergyTransfer
        expected["TC_E_38_CS"] = "NOT APPLICABLE"
    assert verdicts == expected, run.output
    assert not station.transactions, "the restore leaves no transaction behind"
    assert not station.state.parked and not station.state.plugged, "the EV is unplugged and out of the bay"


@pytest.mark.asyncio
async def test_e05_accepts_an_ended_transaction_when_the_stop_point_is_neither_authorized_nor_the_bay(
        tmp_path: Path) -> None:
    """TxStartPoint Authorized, TxStopPoint EVConnected: Part 6 TC_E_05_CS step 1 says Updated, E03.FR.05 says the
    station SHOULD end the transaction (stoppedReason Timeout): the reference station ends it, and that passes."""
    port = free_port()
    async with station_peer(port, "Authorized", stop="EVConnected") as station, webhook_for(station) as hook:
        run = await run_cases(_config(tmp_path, port, hook, FULL_PICS), tmp_path / "run", "TC_E_05_CS")
    assert run.results.get("TC_E_05_CS", {}).get("verdict") == "PASS", run.output
    ended = [e for e in run.events if e.get("kind") == "frame" and '"EVConnectTimeout"' in str(e.get("raw", ""))]
    assert ended and '"Ended"' in str(ended[0].get("raw")), "the step 1 path was taken"


@pytest.mark.asyncio
async def test_read_only_start_point_makes_the_start_options_not_applicable_or_runs_with_the_stations_value(
        tmp_path: Path) -> None:
    """TxStartPoint ReadOnly EVConnected: TC_E_01/02/10/11/12_CS (PowerPathClosed, EnergyTransfer, Authorized,
    DataSigned, ParkingBayOccupancy) are NOT APPLICABLE with the Part 6 prerequisite; TC_E_09_CS (EVConnected) runs
    with the station's value and passes."""
    port = free_port()
    cases = ("TC_E_01_CS", "TC_E_02_CS", "TC_E_09_CS", "TC_E_10_CS", "TC_E_11_CS", "TC_E_12_CS")
    async with station_peer(port, "EVConnected", cls=ReadOnlyStartPoint) as station, webhook_for(station) as hook:
        run = await run_cases(_config(tmp_path, port, hook, FULL_PICS), tmp_path / "run", *cases)
    verdicts = {c: run.results.get(c, {}).get("verdict") for c in cases}
    assert verdicts == {"TC_E_01_CS": "NOT APPLICABLE", "TC_E_02_CS": "NOT APPLICABLE", "TC_E_09_CS": "PASS",
                        "TC_E_10_CS": "NOT APPLICABLE", "TC_E_11_CS": "NOT APPLICABLE",
                        "TC_E_12_CS": "NOT APPLICABLE"}, run.output
    assert "Part 6 prerequisite not met" in run.results["TC_E_01_CS"]["message"], run.output


@pytest.mark.asyncio
async def test_e05_deauthorizes_without_ending_when_the_stop_point_is_the_parking_bay(tmp_path: Path) -> None:
    """TxStartPoint Authorized, TxStopPoint ParkingBayOccupancy: after EVConnectionTimeOut the station deauthorizes
    the transaction with an Updated event (E03.FR.15) and the EVSE is ready for the next authorization and charging
    on the same transaction; that passes."""
    port = free_port()
    async with station_peer(port, "Authorized", stop="ParkingBayOccupancy,EVConnected") as station, \
            webhook_for(station) as hook:
        run = await run_cases(_config(tmp_path, port, hook, FULL_PICS), tmp_path / "run", "TC_E_05_CS")
    assert run.results.get("TC_E_05_CS", {}).get("verdict") == "PASS", run.output
    timeouts = [e for e in run.events if e.get("kind") == "frame" and '"EVConnectTimeout"' in str(e.get("raw", ""))]
    assert timeouts and '"Updated"' in str(timeouts[0].get("raw")), "the E03.FR.15 path was taken"


@pytest.mark.asyncio
async def test_e05_fails_a_station_that_only_deauthorizes_although_the_stop_point_is_authorized(
        tmp_path: Path) -> None:
    """A misbehaving peer: TxStartPoint Authorized, TxStopPoint EVConnected,Authorized, but after EVConnectionTimeOut
    it keeps the transaction open with an Updated EVConnectTimeout event (as if the stop point were the bay):
    TC_E_05_CS step 1 FAILs naming E03.FR.05."""
    port = free_port()
    async with station_peer(port, "Authorized") as station, webhook_for(station) as hook:
        area = station.transactions_area
        declared = area._tx_points

        def internal_points(name: str) -> set[str]:  # what its transaction logic believes, not what it reports
            return {"ParkingBayOccupancy"} if name == "TxStopPoint" else declared(name)

        area._tx_points = internal_points  # type: ignore[method-assign]
        run = await run_cases(_config(tmp_path, port, hook, FULL_PICS), tmp_path / "run", "TC_E_05_CS")
    result = run.results.get("TC_E_05_CS", {})
    assert result.get("verdict") == "FAIL", run.output
    assert "E03.FR.05" in result["message"] and "eventType" in result["message"], result["message"]
