"""The block E stop-point cases (helper estop) against small peers: a station with a ReadOnly TxStopPoint (the case
whose prerequisite it misses is NOT APPLICABLE, the one it meets PASSes with the value kept), and conformant
stations doing what Part 2 / Part 6 allow that the reference station does not do (each must PASS). The peers that
break the rules are the faults of conformance/faults/e.py (``ocpp-conformance run --fault``).

Each peer is the reference station with one variant, in this test's event loop, driven through the webhook action
backend; the case runs as a user runs it (``ocpp-conformance run --config``)."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, AsyncIterator

import pytest

from conformance.reference.station import ReferenceStation
from conformance.reference.station import variables as station_variables
from conformance.reference.station.state import Transaction
from conformance.reference.station.transactions import Transactions

from support import FULL_PICS, free_port, run_cases, webhook_for, write_peer_config

MESSAGE_TIMEOUT = 2.0
# The hardware and answers the PICS file leaves out: a detachable cable, an IEC 61851-1 mode 3 EV.
PICS_EXTRA = "[pics.hardware]\nHFS-1 = true\n[pics.answers]\nAQ-9 = true\n"


class LocalStopAlternative(Transactions):
    """E07 alternative scenario: with TxStopPoint Authorized the StopAuthorized event is Updated, the Ended one
    follows with ChargingStateChanged EVConnected, without stoppedReason (E06.FR.09, E07.FR.04)."""

    async def _stop_authorized(self, tx: Transaction, token: dict[str, Any]) -> None:
        tx.stop_authorized = True
        tx.id_token = token
        self.authorizations.pop(tx.evse, None)
        await self._transaction_event(tx, "Updated", "StopAuthorized", charging_state=None, with_token=True)
        tx.charging = False
        changed = self._close_transaction(tx)
        await self._transaction_event(tx, "Ended", "ChargingStateChanged", charging_state="EVConnected")
        await self._after_transaction(changed)


class SuspendedEvUpdated(Transactions):
    """Part 6 TC_E_22_CS accepts an Updated SuspendedEV event (no Ended) when the EV suspends."""

    async def _ev_suspends(self, evse: int) -> dict[str, Any]:
        tx = self.ongoing[evse]
        tx.charging, tx.suspended_ev = False, True
        await self._transaction_event(tx, "Updated", "ChargingStateChanged", charging_state="SuspendedEV")
        return {}


class EvSideStoppedByEv(Transactions):
    """Part 6 TC_E_37_CS prefers stoppedReason StoppedByEV for a cable pulled at the EV (EVDisconnected accepted)."""

    async def _transaction_event(self, tx: Transaction, event_type: str, trigger: str, **kwargs: Any) -> None:
        if trigger == "EVCommunicationLost" and kwargs.get("stopped_reason") == "EVDisconnected":
            kwargs["stopped_reason"] = "StoppedByEV"
        await super()._transaction_event(tx, event_type, trigger, **kwargs)


@contextlib.asynccontextmanager
async def station_peer(port: int, variant: type[Transactions] | None = None) -> AsyncIterator[ReferenceStation]:
    station = ReferenceStation(csms_url=f"ws://127.0.0.1:{port}/ocpp", identity="CS001", password=None,
                               evses=[(1, [1])], message_timeout=MESSAGE_TIMEOUT, connect_timeout=5)
    if variant is not None:
        station.transactions_area.__class__ = variant
    await station.start()
    try:
        yield station
    finally:
        await station.stop()


async def run_case(tmp_path: Path, station: ReferenceStation, port: int, case_id: str) -> tuple[str, str]:
    async with webhook_for(station) as hook:
        config = write_peer_config(tmp_path / "sut.toml", "station", port, name="stop point peer",
                                   pics_file=FULL_PICS, message_timeout=MESSAGE_TIMEOUT, connect_timeout=5,
                                   action_timeout=5, case_time_limit=30,
                                   timing="reconnect_gap = 0\noperator_think_time = 0\n", webhook=hook,
                                   extra=PICS_EXTRA)
        run = await run_cases(config, tmp_path / case_id, case_id, timeout=120)
    result = run.results.get(case_id, {})
    return result.get("verdict", "missing"), f"{result.get('message')}\n{run.output}"


@pytest.mark.asyncio
@pytest.mark.parametrize(("case_id", "verdict"), [("TC_E_07_CS", "NOT APPLICABLE"), ("TC_E_15_CS", "PASS")])
async def test_read_only_tx_stop_point(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case_id: str,
                                       verdict: str) -> None:
    """TxStopPoint ReadOnly EVConnected,Authorized: TC_E_07_CS needs PowerPathClosed (NOT APPLICABLE, the Part 6
    prerequisite named), TC_E_15_CS needs Authorized and no PowerPathClosed (the value is kept, PASS)."""
    monkeypatch.setattr(station_variables, "FACTORY_SETTINGS", dict(
        station_variables.FACTORY_SETTINGS,
        **{"TxCtrlr.TxStopPoint": {"Actual": "EVConnected,Authorized", "mutability": "ReadOnly"}}))
    port = free_port()
    async with station_peer(port) as station:
        result, output = await run_case(tmp_path, station, port, case_id)
    assert result == verdict, output
    if verdict == "NOT APPLICABLE":
        assert "prerequisite not met" in output and "PowerPathClosed" in output, output


@pytest.mark.asyncio
@pytest.mark.parametrize(("case_id", "variant"), [("TC_E_15_CS", LocalStopAlternative),
                                                  ("TC_E_22_CS", SuspendedEvUpdated),
                                                  ("TC_E_37_CS", EvSideStoppedByEv)])
async def test_allowed_variant_passes(tmp_path: Path, case_id: str, variant: type[Transactions]) -> None:
    port = free_port()
    async with station_peer(port, variant) as station:
        result, output = await run_case(tmp_path, station, port, case_id)
    assert result == "PASS", output
    assert not station.transactions, "the restore must leave no transaction"
