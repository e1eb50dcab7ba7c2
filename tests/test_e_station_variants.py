"""Block E station-side cases against conformant stations doing what Part 2 / Part 6 allow and the reference station
does not do (each must PASS), and against the misbehaving variants the review of the E station cases named (each
must FAIL). Helper fixecs, acting on /work/review-e-cs.md (R1, R2, R3, R4, E11-1, E22-1, E39-1/2).

Each peer is the reference station with one variant (tests/test_e_stop_points.py's peer and runner), driven through
the webhook action backend; the case runs as a user runs it (``ocpp-conformance run --config``)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conformance.reference.station.state import Transaction
from conformance.reference.station.transactions import Transactions

from support import factory_setting, free_port
from test_e_stop_points import run_case, station_peer


@contextlib.contextmanager
def _evse_stripped(transactions: Transactions) -> Iterator[None]:
    """TransactionEventRequests built meanwhile go out without evse (the station does not know its EVSE yet): the
    queue's send (the one way out of ``_transaction_event``) drops the field."""
    queue = transactions.queue
    real = queue.send

    async def send(payload: dict[str, Any]) -> None:
        payload.pop("evse", None)
        await real(payload)

    queue.send = send  # type: ignore[method-assign]
    try:
        yield
    finally:
        del queue.send


class StartedWithoutEvse(Transactions):
    """R1: a station-level card reader / a bay sensor not tied to an EVSE: the Started event sent before the EV is
    connected has no evse; the first event after the plug-in names evse and connector (E01.FR.16)."""

    async def _transaction_event(self, tx: Transaction, event_type: str, trigger: str, **kwargs: Any) -> None:
        if tx.seq_no == 0 and (tx.evse, tx.connector) not in self.station.state.plugged:
            with _evse_stripped(self):
                await super()._transaction_event(tx, event_type, trigger, **kwargs)
            return
        if trigger == "CablePluggedIn":
            kwargs["with_evse"] = True
        await super()._transaction_event(tx, event_type, trigger, **kwargs)


class ChargingReportedEarly(Transactions):
    """R2: when the driver is authorized and the EV plugged in, the plug-in (or authorization) event already reports
    chargingState Charging (overlapping triggers in one message, E02.FR.17): no separate ChargingStateChanged."""

    async def _transaction_event(self, tx: Transaction, event_type: str, trigger: str, **kwargs: Any) -> None:
        if trigger in ("CablePluggedIn", "Authorized") and self.authorizations.get(tx.evse) is not None \
                and self._plugged_connector(tx.evse) is not None and event_type != "Ended":
            kwargs["charging_state"] = "Charging"
            tx.charging = True
        await super()._transaction_event(tx, event_type, trigger, **kwargs)


class PlugInSuspendedEvse(Transactions):
    """R3: the plug-in of an authorized transaction is reported SuspendedEVSE (the relay not closed yet)."""

    async def _transaction_event(self, tx: Transaction, event_type: str, trigger: str, **kwargs: Any) -> None:
        if trigger == "CablePluggedIn" and event_type == "Updated":
            kwargs["charging_state"] = "SuspendedEVSE"
        await super()._transaction_event(tx, event_type, trigger, **kwargs)


class EnergyTransferStartedAuthorized(Transactions):
    """R4: TxStartPoint EnergyTransfer, the Started event (chargingState Charging) has triggerReason Authorized (Part 6
    TC_E_02_CS step 3 accepts it)."""

    async def _transaction_event(self, tx: Transaction, event_type: str, trigger: str, **kwargs: Any) -> None:
        if event_type == "Started" and kwargs.get("charging_state") == "Charging":
            trigger = "Authorized"
        await super()._transaction_event(tx, event_type, trigger, **kwargs)


class EmptyPublicKey(Transactions):
    """E11-1: OCPPCommCtrlr.PublicKeyWithSignedMeterValue Never: publicKey is sent as an empty string (Part 2
    §2.7.17)."""

    def _signed_reading(self, tx: Transaction, context: str) -> dict[str, Any]:
        reading = super()._signed_reading(tx, context)
        reading["sampledValue"][0]["signedMeterValue"]["publicKey"] = ""
        return reading


class SuspendedEvEnded(Transactions):
    """E22-1: with TxStopPoint EnergyTransfer the EV suspending ends the transaction with chargingState SuspendedEV
    (TC_E_22_CSMS step 1 sends exactly this)."""

    async def end_transaction(self, tx: Transaction, stopped_reason: str, trigger: str, **kwargs: Any) -> None:
        if stopped_reason == "StoppedByEV" and trigger == "ChargingStateChanged":
            kwargs["charging_state"] = "SuspendedEV"
        await super().end_transaction(tx, stopped_reason, trigger, **kwargs)


class TimeoutDeauthorizes(Transactions):
    """E05-3 / E05-4: after EVConnectionTimeOut the station deauthorizes the transaction (Updated EVConnectTimeout,
    E03.FR.15 behaviour) whatever its TxStopPoint, and names stoppedReason Timeout on that Updated event (no document
    forbids it)."""

    async def end_transaction(self, tx: Transaction, stopped_reason: str, trigger: str, **kwargs: Any) -> None:
        if trigger == "EVConnectTimeout":
            tx.id_token = None
            await self._transaction_event(tx, "Updated", trigger, charging_state=None, stopped_reason="Timeout")
            return
        await super().end_transaction(tx, stopped_reason, trigger, **kwargs)


class UnplugEndsAsEvDisconnected(Transactions):
    """R10: a transaction the driver stopped (TxStopPoint EVConnected: Updated StopAuthorized) ends at the unplug with
    stoppedReason EVDisconnected (errata 2025-09 §6.2.51)."""

    def _local_stop_reason(self) -> str:
        return "EVDisconnected"


class PeriodicBeforeAuthorize(Transactions):
    """R6 / R7: while the transaction runs (TxStartPoint EVConnected) a periodic meter value update (no idToken yet)
    goes out between the presentation of the idToken and the AuthorizeRequest; the next event after the
    authorization carries the idToken (E03.FR.01)."""

    async def _present_id_token(self, evse: int, connector: int, id_token: str, token_type: str) -> dict[str, Any]:
        tx = self.ongoing.get(evse)
        if tx is not None and tx.id_token is None:
            await self._transaction_event(tx, "Updated", "MeterValuePeriodic", charging_state=None)
        return await super()._present_id_token(evse, connector, id_token, token_type)


class AvailableOnEvLoss(Transactions):
    """E17-1: the station reports the connector Available as soon as it loses the EV (CP state A), and nothing more
    when the cable is then taken out of its socket."""

    async def _ev_side_disconnect(self, evse: int, connector: int) -> dict[str, Any]:
        result = await super()._ev_side_disconnect(evse, connector)
        if not self._fixed_cable():
            await self._require_connection().call("StatusNotification", {
                "timestamp": "2026-01-01T00:00:00Z", "connectorStatus": "Available", "evseId": evse,
                "connectorId": connector})
        return result

    async def _remove_cable(self, evse: int, connector: int) -> dict[str, Any]:
        async def silent(*args: Any) -> None:
            return None

        self.availability.send_status = silent  # type: ignore[method-assign]
        try:
            return await super()._remove_cable(evse, connector)
        finally:
            del self.availability.send_status


@pytest.mark.asyncio
@pytest.mark.parametrize(("case_id", "variant", "settings"), [
    ("TC_E_24_CS", AvailableOnEvLoss, {}),
    ("TC_E_25_CS", AvailableOnEvLoss, {}),
    ("TC_E_09_CS", PeriodicBeforeAuthorize, {}),
    # R5: TxStartPoint ParkingBayOccupancy: Authorized runs ParkingBayOccupied first, the EV drives into the bay
    ("TC_E_15_CS", None, {"TxCtrlr.TxStartPoint": "ParkingBayOccupancy"}),
    ("TC_E_22_CS", None, {"TxCtrlr.TxStartPoint": "ParkingBayOccupancy"}),
    ("TC_E_06_CS", UnplugEndsAsEvDisconnected, {"TxCtrlr.TxStopPoint": "EVConnected"}),
    ("TC_E_05_CS", TimeoutDeauthorizes, {"TxCtrlr.TxStartPoint": "Authorized",
                                         "TxCtrlr.TxStopPoint": "Authorized,ParkingBayOccupancy"}),
    ("TC_E_05_CS", TimeoutDeauthorizes, {"TxCtrlr.TxStartPoint": "Authorized", "TxCtrlr.TxStopPoint": "EVConnected"}),
    ("TC_E_10_CS", StartedWithoutEvse, {}),
    ("TC_E_04_CS", StartedWithoutEvse, {"TxCtrlr.TxStartPoint": "Authorized"}),
    ("TC_E_12_CS", StartedWithoutEvse, {}),
    ("TC_E_15_CS", StartedWithoutEvse, {"TxCtrlr.TxStartPoint": "Authorized"}),
    ("TC_E_01_CS", ChargingReportedEarly, {}),
    ("TC_E_09_CS", ChargingReportedEarly, {}),
    ("TC_E_15_CS", PlugInSuspendedEvse, {"TxCtrlr.TxStartPoint": "Authorized"}),
    ("TC_E_15_CS", EnergyTransferStartedAuthorized, {"TxCtrlr.TxStartPoint": "EnergyTransfer"}),
    ("TC_E_11_CS", EmptyPublicKey, {}),
    ("TC_E_22_CS", SuspendedEvEnded, {}),
    ("TC_E_22_CS", None, {}),  # the reference: Ended, chargingState EVConnected, StoppedByEV
    ("TC_E_39_CS", None, {"TxCtrlr.TxStartPoint": "ParkingBayOccupancy"}),  # E39-1: the EV drives into the bay
    # E39-2: TxStopPoint without ParkingBayOccupancy: the reference ends the transaction at the timeout (E03.FR.05,
    # Ended Timeout) where Part 6 (keyed on TxStartPoint) says Updated; either is accepted.
    ("TC_E_39_CS", None, {"TxCtrlr.TxStartPoint": "ParkingBayOccupancy",
                          "TxCtrlr.TxStopPoint": "EVConnected,Authorized"}),
])
async def test_allowed_variant_passes(tmp_path: Path, case_id: str, variant: type[Transactions] | None,
                                      settings: dict[str, str]) -> None:
    port = free_port()
    async with station_peer(port, variant, settings=settings) as station:
        result, output = await run_case(tmp_path, station, port, case_id)
    assert result == "PASS", output
    assert not station.transactions, "the restore must leave no transaction"
    assert not station.state.parked and not station.state.plugged, "the EV is unplugged and out of the bay"


class SuspendedEvKeptOpen(Transactions):
    """Errata 2025-09 §6.2.50 / E06.FR.07: with TxStopPoint EnergyTransfer the station reports the EV suspending as
    Updated SuspendedEV and keeps the transaction open (Part 6's original alternative, struck by the errata)."""

    async def end_transaction(self, tx: Transaction, stopped_reason: str, trigger: str, **kwargs: Any) -> None:
        if stopped_reason == "StoppedByEV" and trigger == "ChargingStateChanged" and not tx.stop_authorized:
            await self._transaction_event(tx, "Updated", "ChargingStateChanged", charging_state="SuspendedEV")
            return
        await super().end_transaction(tx, stopped_reason, trigger, **kwargs)


class NoEvseAfterPlugIn(StartedWithoutEvse):
    """Negative control of R1: the Started event has no evse and the first event after the plug-in does not name it
    either (E01.FR.16)."""

    async def _transaction_event(self, tx: Transaction, event_type: str, trigger: str, **kwargs: Any) -> None:
        if trigger == "CablePluggedIn":
            with _evse_stripped(self):
                await Transactions._transaction_event(self, tx, event_type, trigger, **kwargs)
            return
        await super()._transaction_event(tx, event_type, trigger, **kwargs)


class AuthorizesLocally(Transactions):
    """E05-1: the station decides on the idToken itself (no AuthorizeRequest) although LocalPreAuthorize is false and
    it has no Authorization Cache (C01.FR.02)."""

    async def _present_id_token(self, evse: int, connector: int, id_token: str, token_type: str) -> dict[str, Any]:
        token = {"idToken": id_token, "type": token_type}
        tx = self.ongoing.get(evse)
        pending = self.authorizations.get(evse)
        if (pending is not None and pending["idToken"] == id_token) or (tx is not None and tx.id_token is not None):
            return await super()._present_id_token(evse, connector, id_token, token_type)
        tx = await self.authorized(evse, connector, token)
        return {"authorized": True, "transaction": tx.transaction_id if tx is not None else None}


@pytest.mark.asyncio
@pytest.mark.parametrize(("case_id", "variant", "named"), [
    ("TC_E_05_CS", AuthorizesLocally, "C01.FR.02"),
    ("TC_E_22_CS", SuspendedEvKeptOpen, "E06.FR.07"),
    ("TC_E_10_CS", NoEvseAfterPlugIn, "E01.FR.16"),
])
async def test_misbehaving_variant_fails(tmp_path: Path, case_id: str, variant: type[Transactions],
                                         named: str) -> None:
    port = free_port()
    async with station_peer(port, variant) as station:
        result, output = await run_case(tmp_path, station, port, case_id)
    assert result == "FAIL", output
    assert named in output, output


@pytest.mark.asyncio
async def test_e24_inconclusive_when_energy_transfer_cannot_leave_the_stop_point(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """E24-1: TxStopPoint ReadOnly EnergyTransfer ends the transaction at EnergyTransferSuspended, so TC_E_24_CS step 1
    (unconditional in Part 6) cannot be reached: INCONCLUSIVE, not a PASS on the Available report alone."""
    factory_setting(monkeypatch, "TxCtrlr.TxStopPoint", "EnergyTransfer")
    port = free_port()
    async with station_peer(port) as station:
        result, output = await run_case(tmp_path, station, port, "TC_E_24_CS")
    assert result == "INCONCLUSIVE", output
    assert "step 1 cannot be reached" in output, output
