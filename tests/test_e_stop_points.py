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

from conformance.config import CERTIFICATION_PROFILES, FULL_FEATURES
from conformance.reference.station import ReferenceStation
from conformance.reference.station.state import Transaction
from conformance.reference.station.transactions import Transactions

from support import (FULL_PICS, factory_setting, free_port, reference_station_peer, run_cases, webhook_for,
                     write_peer_config)

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


class EvSideStoppedByEv(Transactions):
    """Part 6 TC_E_37_CS prefers stoppedReason StoppedByEV for a cable pulled at the EV (EVDisconnected accepted)."""

    async def _transaction_event(self, tx: Transaction, event_type: str, trigger: str, **kwargs: Any) -> None:
        if trigger == "EVCommunicationLost" and kwargs.get("stopped_reason") == "EVDisconnected":
            kwargs["stopped_reason"] = "StoppedByEV"
        await super()._transaction_event(tx, event_type, trigger, **kwargs)


class UnplugEndsAsEvDisconnected(Transactions):
    """Errata 2025-09 §6.2.51: TC_E_14_CS accepts stoppedReason EVDisconnected for the Ended event of a transaction
    the driver stopped locally and ended by unplugging."""

    def _local_stop_reason(self) -> str:
        return "EVDisconnected"


@contextlib.asynccontextmanager
async def station_peer(port: int, variant: type[Transactions] | None = None, *, features: frozenset[str] | None = None,
                       settings: dict[str, str] | None = None) -> AsyncIterator[ReferenceStation]:
    def use_variant(station: ReferenceStation) -> None:
        if variant is not None:
            station.transactions_area.__class__ = variant

    # The harness is a subprocess that may take seconds to listen on a loaded machine: the station keeps trying
    # every RetryBackOffWaitMinimum (1 s) instead of doubling its back-off past the harness's connect timeout.
    settings = {"OCPPCommCtrlr.RetryBackOffRepeatTimes": "0", **(settings or {})}
    async with reference_station_peer(port, message_timeout=MESSAGE_TIMEOUT, features=features, prepare=use_variant,
                                      settings={tuple(key.split(".")): value  # type: ignore[misc]
                                                for key, value in settings.items()}) as station:
        yield station


async def run_case(tmp_path: Path, station: ReferenceStation, port: int, case_id: str, *,
                   pics: str = PICS_EXTRA) -> tuple[str, str]:
    async with webhook_for(station) as hook:
        config = write_peer_config(tmp_path / "sut.toml", "station", port, name="stop point peer",
                                   pics_file=FULL_PICS, message_timeout=MESSAGE_TIMEOUT, connect_timeout=5,
                                   action_timeout=5, case_time_limit=30,
                                   timing="reconnect_gap = 0\noperator_think_time = 0\n", webhook=hook,
                                   extra=pics + "[configured]\nev_connection_timeout = 1\n")
        run = await run_cases(config, tmp_path / case_id, case_id, timeout=120)
    result = run.results.get(case_id, {})
    return result.get("verdict", "missing"), f"{result.get('message')}\n{run.output}"


@pytest.mark.asyncio
@pytest.mark.parametrize(("case_id", "verdict"), [("TC_E_07_CS", "NOT APPLICABLE"), ("TC_E_15_CS", "PASS")])
async def test_read_only_tx_stop_point(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case_id: str,
                                       verdict: str) -> None:
    """TxStopPoint ReadOnly EVConnected,Authorized: TC_E_07_CS needs PowerPathClosed (NOT APPLICABLE, the Part 6
    prerequisite named), TC_E_15_CS needs Authorized and no PowerPathClosed (the value is kept, PASS)."""
    factory_setting(monkeypatch, "TxCtrlr.TxStopPoint", "EVConnected,Authorized")
    port = free_port()
    async with station_peer(port) as station:
        result, output = await run_case(tmp_path, station, port, case_id)
    assert result == verdict, output
    if verdict == "NOT APPLICABLE":
        assert "prerequisite not met" in output and "PowerPathClosed" in output, output


@pytest.mark.asyncio
@pytest.mark.parametrize(("case_id", "variant"), [("TC_E_15_CS", LocalStopAlternative),
                                                  ("TC_E_37_CS", EvSideStoppedByEv),
                                                  ("TC_E_14_CS", UnplugEndsAsEvDisconnected)])
async def test_allowed_variant_passes(tmp_path: Path, case_id: str, variant: type[Transactions]) -> None:
    port = free_port()
    async with station_peer(port, variant) as station:
        result, output = await run_case(tmp_path, station, port, case_id)
    assert result == "PASS", output
    assert not station.transactions, "the restore must leave no transaction"


@pytest.mark.asyncio
async def test_read_only_stop_tx_on_invalid_id_false(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A station whose StopTxOnInvalidId is ReadOnly false (it only stops the energy transfer on an Invalid idToken,
    E05.FR.02) cannot take TC_E_16_CS's configuration state: NOT APPLICABLE, naming it."""
    factory_setting(monkeypatch, "TxCtrlr.StopTxOnInvalidId", "false")
    port = free_port()
    async with station_peer(port) as station:
        result, output = await run_case(tmp_path, station, port, "TC_E_16_CS")
    assert result == "NOT APPLICABLE", output
    assert "StopTxOnInvalidId" in output, output
    assert not station.transactions, "no transaction is left"


FIXED_CABLE = "[pics.hardware]\nHFS-1 = false\nHFS-2 = true\n[pics.answers]\nAQ-9 = true\n"


@pytest.mark.asyncio
@pytest.mark.parametrize(("case_id", "settings", "fixed"), [
    ("TC_E_39_CS", {"TxCtrlr.TxStartPoint": "Authorized"}, False),  # step 1 required: Ended EVConnectTimeout
    ("TC_E_46_CS", {"TxCtrlr.TxStopPoint": "EVConnected"}, False),  # E15.FR.05: Updated StopAuthorized
    ("TC_E_26_CS", {}, True),  # a fixed cable: step 3 Available, then Occupied again
    ("TC_E_17_CS", {}, True),  # a fixed cable: no idToken, no station-side unplug
    ("TC_E_25_CS", {"TxCtrlr.TxStopPoint": "EnergyTransfer"}, False),  # ended at EnergyTransferSuspended already
    ("TC_E_16_CS", {"TxCtrlr.TxStopPoint": "EVConnected,PowerPathClosed"}, False),  # E05.FR.10 via PowerPathClosed
    ("TC_E_16_CS", {"TxCtrlr.TxStartPoint": "Authorized"}, False),  # the queued Started at the idToken, then plug-in
])
async def test_configuration_variant_passes(tmp_path: Path, case_id: str, settings: dict[str, str],
                                            fixed: bool) -> None:
    """The reference station configured otherwise than by default (a start / stop point, a fixed cable): the
    case takes the other path Part 6 describes and PASSes, leaving no transaction."""
    port = free_port()
    features = frozenset(FULL_FEATURES) | set(CERTIFICATION_PROFILES) | {"HFS-2", "AQ-9"} if fixed else None
    async with station_peer(port, features=features, settings=settings) as station:
        result, output = await run_case(tmp_path, station, port, case_id, pics=FIXED_CABLE if fixed else PICS_EXTRA)
    assert result == "PASS", output
    assert not station.transactions, "the restore must leave no transaction"


# --------------------------------------------------------------------------- the reference station itself
@pytest.mark.asyncio
@pytest.mark.parametrize(("stop_point", "stop_tx_on_invalid_id", "expected"), [
    ("EVConnected,Authorized", True, ("Ended", "Deauthorized", "DeAuthorized")),  # E05.FR.10, E06.FR.04
    ("EVConnected", True, ("Updated", "Deauthorized", None)),  # E05.FR.09
    ("EVConnected", False, ("Updated", "ChargingStateChanged", None)),  # E05.FR.02: SuspendedEVSE
])
async def test_reference_station_deauthorizes_on_invalid_id_token(stop_point: str, stop_tx_on_invalid_id: bool,
                                                                   expected: tuple[str, str, str | None]) -> None:
    """A TransactionEventResponse whose idTokenInfo is Invalid stops the energy transfer of the reference station
    (E05): Ended Deauthorized with TxStopPoint Authorized, Updated Deauthorized without, SuspendedEVSE with
    StopTxOnInvalidId false; and no energy transfer starts again."""
    import asyncio

    from support import answering_csms

    events: list[dict[str, Any]] = []
    deauthorized, more = asyncio.Event(), asyncio.Event()

    def respond(action: str, payload: dict[str, Any]) -> dict[str, Any]:
        if action == "BootNotification":
            return {"currentTime": "2026-01-01T00:00:00Z", "interval": 300, "status": "Accepted"}
        if action == "TransactionEvent":
            if deauthorized.is_set():
                more.set()
            events.append(payload)
            if payload["triggerReason"] == "Deauthorized" \
                    or payload["transactionInfo"].get("chargingState") == "SuspendedEVSE":
                deauthorized.set()
            return {"idTokenInfo": {"status": "Invalid"}} if "idToken" in payload else {}
        if action == "Authorize":
            return {"idTokenInfo": {"status": "Accepted"}}
        return {}

    port = free_port()
    async with answering_csms(port, respond), station_peer(port) as station:
        station.device_model.set_value("TxCtrlr", "TxStopPoint", stop_point)
        station.device_model.set_value("TxCtrlr", "StopTxOnInvalidId", stop_tx_on_invalid_id)
        async with asyncio.timeout(10):
            await station.boot.booted.wait()
            await station.perform_action("present_id_token", {"id_token": "A1", "type": "ISO14443", "evse": 1})
            await station.perform_action("plug_in", {"evse": 1, "connector": 1})
            await deauthorized.wait()
        with contextlib.suppress(TimeoutError):  # nothing after it: the station must not charge again
            async with asyncio.timeout(0.3):
                await more.wait()
    last = events[-1]
    assert (last["eventType"], last["triggerReason"], last["transactionInfo"].get("stoppedReason")) == expected, events
    if not stop_tx_on_invalid_id:
        assert last["transactionInfo"]["chargingState"] == "SuspendedEVSE", events
    assert not [e for e in events[events.index(last) + 1:]], events
