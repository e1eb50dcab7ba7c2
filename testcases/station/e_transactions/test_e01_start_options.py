"""Block E Transactions, the SUT is a Charging Station (the harness is its CSMS).

Start transaction options (E01): TxStartPoint PowerPathClosed, EnergyTransfer, EVConnected, Authorized,
DataSigned, ParkingBayOccupancy.
"""

from __future__ import annotations

import contextlib

from conformance.harness import ChargingStationUnderTest, OneOf, Satisfies, case
from conformance.harness.reusable_states import station as states
from conformance.outcomes import NotApplicable
from conformance.protocol.variables import PUBLIC_KEY_WITH_SIGNED_METER_VALUE, SIGN_READINGS

from ._steps import configured_connector, ensure_variable, local_start_configuration, start_point

_EXCLUDED_BEFORE = {p: ("ParkingBayOccupancy", "EVConnected", "Authorized", "DataSigned", "PowerPathClosed")[:n]
                    for n, p in enumerate(("ParkingBayOccupancy", "EVConnected", "Authorized", "DataSigned",
                                           "PowerPathClosed", "EnergyTransfer"))}


def _token(station: ChargingStationUnderTest) -> dict[str, str]:
    token = station.config.id_tokens.valid
    return {"idToken.idToken": token.id_token, "idToken.type": token.type}


async def _plugged_in_started(station: ChargingStationUnderTest, tx: states.Transaction, what: str,
                              requirements: tuple[str, ...]):
    """Plug the EV in (EVConnectedPreSession steps 1-2: Occupied) and take the transaction's Started event, which
    TxStartPoint lets the station send only now."""
    mark = station.connection.mark()
    await states.ev_connected_pre_session_of(station, tx)
    conn = station.connection
    try:
        event = await conn.expect_call("TransactionEvent", since=mark, requirements=requirements, **tx.pattern())
    except Exception as exc:
        station.check.that(what, False, expected=f"TransactionEventRequest {tx.pattern()}",
                           actual=str(getattr(exc, "actual", exc)), requirements=requirements)
        raise
    return tx.record(event)


@case
async def test_tc_e_01_cs(station: ChargingStationUnderTest) -> None:
    """With TxStartPoint PowerPathClosed the station starts the transaction when, the driver authorized, the EV is
    connected and the power path closes.

    Part 6 steps / validations implemented (errata 2025-09 §6.2.44):
    - prerequisite / configuration state: TxStartPoint set to PowerPathClosed (restored); read-only without it, or
      with an earlier point: NOT APPLICABLE;
    - Before, Authorized (local): AuthorizeRequest checked when sent (C01.FR.02); no transaction yet;
    - step 1, EVConnectedPreSession: Occupied; the TransactionEventRequest eventType Started, triggerReason
      CablePluggedIn / ChargingStateChanged / RemoteStart, chargingState EVConnected / SuspendedEVSE / Charging, evse.id
      and evse.connectorId (E01.FR.05, E01.FR.15, E01.FR.16);
    - step 2, EnergyTransferStarted: ChargingStateChanged Charging (E01.FR.18); the first event after the idToken
      carries it (E01.FR.10, Part 6 §2.1)."""
    evse, connector = configured_connector(station)
    async with start_point(station, "PowerPathClosed", excluded=_EXCLUDED_BEFORE["PowerPathClosed"],
                           prerequisite="TxStartPoint is ReadWrite with PowerPathClosed supported, or contains "
                                        "PowerPathClosed and none of ParkingBayOccupancy, EVConnected, Authorized, "
                                        "DataSigned"), states.transactions_ended_afterwards(station):
        tx = await states.authorized(station, evse, connector)
        station.check.that("no transaction starts at the authorization with TxStartPoint PowerPathClosed before the "
                           "EV is connected", not tx.started, expected="no TransactionEventRequest",
                           actual=[e.payload for e in tx.events], requirements=("E01.FR.05",))
        event = await states.ev_connected_pre_session_of(station, tx)
        station.check.that("a transaction starts when the EV is connected after the authorization (TxStartPoint "
                           "PowerPathClosed)", event is not None and event.payload.get("eventType") == "Started",
                           expected="TransactionEventRequest eventType Started",
                           actual=None if event is None else event.payload.get("eventType"),
                           requirements=("E01.FR.05",))
        await states.energy_transfer_started(station, evse, connector, tx=tx)


@case
async def test_tc_e_02_cs(station: ChargingStationUnderTest) -> None:
    """With TxStartPoint EnergyTransfer the station starts the transaction when the energy starts to flow.

    Part 6 steps / validations implemented:
    - prerequisite / configuration state: TxStartPoint set to EnergyTransfer (restored); read-only without it, or
      with any other point: NOT APPLICABLE;
    - Before, Authorized (local): AuthorizeRequest checked when sent; no transaction yet;
    - step 1: after the plug-in the connector is reported Occupied (StatusNotification or NotifyEvent, E02.FR.05);
    - step 3: TransactionEventRequest eventType Started, triggerReason ChargingStateChanged or Authorized, the
      configured idToken, evse.id and evse.connectorId of the plugged connector, chargingState Charging (E01.FR.06,
      E01.FR.10, E01.FR.15, E01.FR.16)."""
    evse, connector = configured_connector(station)
    async with start_point(station, "EnergyTransfer", excluded=_EXCLUDED_BEFORE["EnergyTransfer"],
                           prerequisite="TxStartPoint is ReadWrite with EnergyTransfer supported, or contains "
                                        "EnergyTransfer and none of the earlier start points"), \
            states.transactions_ended_afterwards(station):
        tx = await states.authorized(station, evse, connector)
        station.check.that("no transaction starts at the authorization with TxStartPoint EnergyTransfer",
                           not tx.started, expected="no TransactionEventRequest",
                           actual=[e.payload for e in tx.events], requirements=("E01.FR.06",))
        started = await _plugged_in_started(station, tx, "a transaction starts when the energy transfer starts",
                                            ("E01.FR.06",))
        station.check.fields("TransactionEventRequest (Part 6 TC_E_02_CS step 3)", started.payload, {
            "eventType": "Started", "triggerReason": OneOf("ChargingStateChanged", "Authorized"), **_token(station),
            "evse.id": evse, "evse.connectorId": connector, "transactionInfo.chargingState": "Charging"},
            requirements=("E01.FR.06", "E01.FR.10", "E01.FR.15", "E01.FR.16", "Part 6 TC_E_02_CS step 3"))


@case
async def test_tc_e_09_cs(station: ChargingStationUnderTest) -> None:
    """With TxStartPoint EVConnected the station starts the transaction when the EV is connected.

    Part 6 steps / validations implemented (errata 2025-09 §6.2.44):
    - prerequisite / configuration state: TxStartPoint set to EVConnected (restored); read-only without it, or with
      ParkingBayOccupancy: NOT APPLICABLE;
    - Before, ParkingBayOccupied: executed only when TxStartPoint contains ParkingBayOccupancy (optional state);
    - step 1, EVConnectedPreSession: Occupied (E02.FR.05); tool validation step 3: TransactionEventRequest eventType
      Started, triggerReason CablePluggedIn or ChargingStateChanged, evse.id and evse.connectorId, chargingState
      EVConnected (E01.FR.02, E01.FR.15, E01.FR.16);
    - step 2, Authorized: AuthorizeRequest when sent, then triggerReason Authorized with the idToken (E01.FR.10);
    - step 3, EnergyTransferStarted: ChargingStateChanged Charging."""
    evse, connector = configured_connector(station)
    async with start_point(station, "EVConnected", excluded=_EXCLUDED_BEFORE["EVConnected"],
                           prerequisite="TxStartPoint is ReadWrite with EVConnected supported, or contains EVConnected "
                                        "and not ParkingBayOccupancy"), states.transactions_ended_afterwards(station):
        tx = await states.parking_bay_occupied(station, evse, connector)
        event = await states.ev_connected_pre_session_of(station, tx)
        station.check.that("a TransactionEventRequest follows the connection of the EV (TxStartPoint EVConnected)",
                           event is not None, expected="TransactionEventRequest", actual=None,
                           requirements=("E01.FR.02", "E02.FR.06"))
        station.check.fields("TransactionEventRequest (Part 6 TC_E_09_CS step 3)", event.payload, {
            "eventType": "Started", "triggerReason": OneOf("CablePluggedIn", "ChargingStateChanged"),
            "evse.id": evse, "evse.connectorId": connector, "transactionInfo.chargingState": "EVConnected"},
            requirements=("E01.FR.02", "E01.FR.15", "E01.FR.16", "Part 6 TC_E_09_CS step 3"))
        await states.authorized(station, evse, connector, tx=tx)
        await states.energy_transfer_started(station, evse, connector, tx=tx)


@case
async def test_tc_e_10_cs(station: ChargingStationUnderTest) -> None:
    """With TxStartPoint Authorized the station starts the transaction when the driver is authorized locally.

    Part 6 steps / validations implemented (errata 2025-09 §6.2.44):
    - prerequisite / configuration state: TxStartPoint set to Authorized (restored); read-only without it: NOT
      APPLICABLE; AuthCtrlr.AuthEnabled true (if implemented and ReadWrite), DisableRemoteAuthorization false (if
      implemented);
    - step 1, Authorized (local): AuthorizeRequest with the configured idToken when sent (C01.FR.02; skipping it is
      allowed for a cached / listed token, C01.FR.05); tool validation step 3: TransactionEventRequest eventType
      Started, triggerReason Authorized, the configured idToken (E01.FR.03, E01.FR.10);
    - step 2, EVConnectedPreSession: Occupied, then Updated with CablePluggedIn (evse and connector, E01.FR.16);
    - step 3, EnergyTransferStarted: ChargingStateChanged Charging."""
    evse, connector = configured_connector(station)
    async with start_point(station, "Authorized", excluded=(),
                           prerequisite="TxStartPoint is ReadWrite with Authorized supported, or contains "
                                        "Authorized"), \
            local_start_configuration(station), states.transactions_ended_afterwards(station):
        tx = await states.authorized(station, evse, connector)
        authorized = next((e for e in tx.events if e.payload.get("triggerReason") == "Authorized"), None)
        station.check.fields("TransactionEventRequest (Part 6 TC_E_10_CS step 3)",
                             authorized.payload if authorized else {}, {
                                 "eventType": "Started", "triggerReason": "Authorized", **_token(station)},
                             requirements=("E01.FR.03", "E01.FR.10", "Part 6 TC_E_10_CS step 3"))
        await states.ev_connected_pre_session_of(station, tx)
        await states.energy_transfer_started(station, evse, connector, tx=tx)


def _signed_begin(public_key_required: bool):
    """A sampledValue with context Transaction.Begin whose signedMeterValue has encodingMethod, signedMeterData and
    signingMethod, and publicKey present as a string: empty when the station does not send the key (Part 2 §2.7.17
    OCPPCommCtrlr.PublicKeyWithSignedMeterValue Never: the required field is an empty string), non-empty when
    ``public_key_required`` (the variable is OncePerTransaction or EveryMeterValue)."""
    fields = ("encodingMethod", "signedMeterData", "signingMethod")

    def complete(signed: dict) -> bool:
        key = signed.get("publicKey")
        return all(signed.get(f) not in (None, "") for f in fields) and isinstance(key, str) and (
            bool(key) or not public_key_required)

    def accept(meter_values: object) -> bool:
        return isinstance(meter_values, list) and any(
            sample.get("context") == "Transaction.Begin" and isinstance(sample.get("signedMeterValue"), dict)
            and complete(sample["signedMeterValue"])
            for meter in meter_values if isinstance(meter, dict) for sample in meter.get("sampledValue", []))
    return accept


@case
async def test_tc_e_11_cs(station: ChargingStationUnderTest) -> None:
    """With TxStartPoint DataSigned the station starts the transaction when it has retrieved a signed meter value.

    Part 6 steps / validations implemented:
    - prerequisite / configuration state: TxStartPoint set to DataSigned (restored); read-only without it or with
      ParkingBayOccupancy / EVConnected / Authorized: NOT APPLICABLE; SampledDataCtrlr.SignReadings true (set and
      restored; not implemented: NOT APPLICABLE, E01.FR.04 needs a signing meter);
    - Before, Authorized (local);
    - step 1: Occupied after the plug-in (E02.FR.05);
    - step 3: TransactionEventRequest eventType Started, triggerReason SignedDataReceived, the configured idToken,
      evse.id and evse.connectorId, a meterValue with a sampledValue of context Transaction.Begin whose
      signedMeterValue has encodingMethod, signedMeterData and signingMethod, and publicKey present (an empty string
      unless OCPPCommCtrlr.PublicKeyWithSignedMeterValue is OncePerTransaction or EveryMeterValue, Part 2 §2.7.17)
      (E01.FR.04, E02.FR.14);
    - step 5 (EnergyTransferStarted): eventType Updated, triggerReason ChargingStateChanged, chargingState Charging."""
    evse, connector = configured_connector(station)
    async with start_point(station, "DataSigned", excluded=("ParkingBayOccupancy", "EVConnected", "Authorized"),
                           prerequisite="TxStartPoint is ReadWrite with DataSigned supported, or contains DataSigned "
                                        "and none of ParkingBayOccupancy, EVConnected, Authorized"), \
            contextlib.AsyncExitStack() as stack:
        if not await ensure_variable(stack, station, SIGN_READINGS, "true"):
            raise NotApplicable("SampledDataCtrlr.SignReadings is not implemented: the station has no meter that "
                                "signs its readings (E01.FR.04, Part 6 TC_E_11_CS configuration state)")
        key_policy = await station.read_variable(PUBLIC_KEY_WITH_SIGNED_METER_VALUE)
        key_required = key_policy in ("OncePerTransaction", "EveryMeterValue")
        await stack.enter_async_context(states.transactions_ended_afterwards(station))
        tx = await states.authorized(station, evse, connector)
        started = await _plugged_in_started(station, tx, "a transaction starts once the station has a signed meter "
                                                         "value", ("E01.FR.04",))
        with station.check.collecting():
            station.check.fields("TransactionEventRequest (Part 6 TC_E_11_CS step 3)", started.payload, {
                "eventType": "Started", "triggerReason": "SignedDataReceived", **_token(station),
                "evse.id": evse, "evse.connectorId": connector},
                requirements=("E01.FR.04", "E01.FR.10", "E01.FR.15", "E01.FR.16", "Part 6 TC_E_11_CS step 3"))
            station.check.fields("TransactionEventRequest meterValue (Part 6 TC_E_11_CS step 3)", started.payload, {
                "meterValue": Satisfies(_signed_begin(key_required), "a sampledValue of context Transaction.Begin "
                                        "with a signedMeterValue: encodingMethod, signedMeterData, signingMethod, "
                                        "publicKey present" + (" and not empty (PublicKeyWithSignedMeterValue "
                                                               f"{key_policy})" if key_required else
                                                               " (may be empty, Part 2 §2.7.17)"))},
                requirements=("E01.FR.04", "E02.FR.14", "Part 6 TC_E_11_CS step 3", "Part 2 §2.7.17"))
        await states.energy_transfer_started(station, evse, connector, tx=tx)
        charging = next(e for e in tx.events if e.payload.get("transactionInfo", {}).get("chargingState") == "Charging")
        station.check.fields("TransactionEventRequest (Part 6 TC_E_11_CS step 5)", charging.payload, {
            "eventType": "Updated", "triggerReason": "ChargingStateChanged",
            "transactionInfo.chargingState": "Charging"}, requirements=("E01.FR.18", "Part 6 TC_E_11_CS step 5"))


@case
async def test_tc_e_12_cs(station: ChargingStationUnderTest) -> None:
    """With TxStartPoint ParkingBayOccupancy the station starts the transaction when the EV enters the parking bay.

    Part 6 steps / validations implemented (errata 2025-09 §6.2.44):
    - prerequisite / configuration state: TxStartPoint set to ParkingBayOccupancy (restored); read-only without it:
      NOT APPLICABLE;
    - step 1, ParkingBayOccupied (action drive_in): TransactionEventRequest eventType Started, triggerReason
      EVDetected (E01.FR.01, E01.FR.15);
    - step 2, Authorized: triggerReason Authorized with the idToken (E01.FR.10);
    - step 3, EVConnectedPreSession: Occupied, Updated with evse and connector (E01.FR.16);
    - step 4, EnergyTransferStarted: ChargingStateChanged Charging.
    Afterwards the EV leaves the bay (restore)."""
    evse, connector = configured_connector(station)
    async with start_point(station, "ParkingBayOccupancy", excluded=(),
                           prerequisite="TxStartPoint is ReadWrite with ParkingBayOccupancy supported, or contains "
                                        "ParkingBayOccupancy"), states.transactions_ended_afterwards(station):
        tx = await states.parking_bay_occupied(station, evse, connector, required=True)
        station.check.fields("TransactionEventRequest (Part 6 TC_E_12_CS step 1)",
                             tx.events[0].payload if tx.events else {}, {
                                 "eventType": "Started", "triggerReason": "EVDetected"},
                             requirements=("E01.FR.01", "E01.FR.15", "Part 6 TC_E_12_CS step 1"))
        await states.authorized(station, evse, connector, tx=tx)
        await states.ev_connected_pre_session_of(station, tx)
        await states.energy_transfer_started(station, evse, connector, tx=tx)
