"""Block E Transactions, the SUT is a CSMS (the harness plays the Charging Station).

Start transaction options (E01): the harness station starts its transaction at each TxStartPoint (ParkingBayOccupancy,
EVConnected, Authorized, DataSigned, PowerPathClosed, EnergyTransfer) and the CSMS must answer every event, with
idTokenInfo where the event carries an idToken; a new transaction starting again at seqNo 0 (E01.FR.07).
"""

from __future__ import annotations

import base64
import json
from datetime import datetime, timezone

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from conformance.harness import CsmsUnderTest, case
from conformance.harness.reusable_states import csms as states
from conformance.protocol.frames import utc_now

from ._steps import configured_connector


async def _authorize(csms: CsmsUnderTest, case_id: str) -> dict:
    """Step 1-2: AuthorizeRequest with the configured valid idToken, answered (a CALLERROR ends the case); tool
    validation step 2: Accepted (soft: the later steps and their validation do not depend on it)."""
    token = csms.config.id_tokens.valid.to_ocpp()
    response = await csms.call("Authorize", {"idToken": token})
    csms.check.that("the CSMS answers AuthorizeRequest with a CALLRESULT", response.ok, expected="CALLRESULT",
                    actual=response.describe(), requirements=(f"Part 6 {case_id} step 2", "OCPP-J Part 4 §4.2.2"))
    csms.check.fields("AuthorizeResponse", response.payload, {"idTokenInfo.status": "Accepted"},
                      requirements=(f"Part 6 {case_id} tool validation step 2",), soft=True)
    return token


async def _started_with_token(csms: CsmsUnderTest, case_id: str, transactions: list[states.Transaction],
                              trigger: str, charging_state: str, **extra: object) -> states.Transaction:
    """Steps 3-6 of TC_E_01/02/11_CSMS: the connector reported Occupied (answered), then TransactionEventRequest
    Started with ``trigger``, the valid idToken and the configured EVSE / connector; tool validation step 6:
    idTokenInfo.status Accepted. The transaction is in ``transactions`` (ended afterwards) before it starts."""
    evse, connector = configured_connector(csms)
    token = csms.config.id_tokens.valid.to_ocpp()
    tx = states.new_transaction(csms, evse, connector)
    transactions.append(tx)
    await states.report_availability(csms, [(evse, connector)], "Occupied")
    tx.authorized = tx.ev_connected = True
    started = await states.transaction_event(csms, tx, "Started", trigger, charging_state, idToken=token,
                                             requirements=(f"Part 6 {case_id} step 6",), **extra)
    csms.check.fields("TransactionEventResponse", started.payload, {"idTokenInfo.status": "Accepted"},
                      requirements=(f"Part 6 {case_id} tool validation step 6", "E01.FR.12"))
    return tx


@case
async def test_tc_e_01_csms(csms: CsmsUnderTest) -> None:
    """Start option PowerPathClosed: the harness station authorizes, reports the connector Occupied and starts the
    transaction when the power path closes (ChargingStateChanged, SuspendedEVSE), then charges.

    Part 6 steps / validations implemented:
    - steps 1-2 and tool validation step 2: AuthorizeResponse idTokenInfo.status Accepted;
    - steps 3-4: StatusNotification Occupied, answered;
    - steps 5-6 and tool validation step 6: Started (ChargingStateChanged, idToken, evse, SuspendedEVSE) answered
      with idTokenInfo.status Accepted;
    - steps 7-8: Updated ChargingStateChanged Charging, answered;
    - afterwards: the transaction is ended (EV unplugged) so the next case starts clean."""
    await states.booted(csms, precondition=True)
    async with states.transactions_ended_afterwards(csms) as transactions:
        await _authorize(csms, "TC_E_01_CSMS")
        tx = await _started_with_token(csms, "TC_E_01_CSMS", transactions, "ChargingStateChanged", "SuspendedEVSE")
        await states.transaction_event(csms, tx, "Updated", "ChargingStateChanged", "Charging",
                                       requirements=("Part 6 TC_E_01_CSMS step 8",))


@case
async def test_tc_e_02_csms(csms: CsmsUnderTest) -> None:
    """Start option EnergyTransfer: the harness station authorizes, reports the connector Occupied and starts the
    transaction when the energy transfer starts (ChargingStateChanged, Charging).

    Part 6 steps / validations implemented:
    - steps 1-2 and tool validation step 2: AuthorizeResponse idTokenInfo.status Accepted;
    - steps 3-4: StatusNotification Occupied, answered;
    - steps 5-6 and tool validation step 6: Started (ChargingStateChanged, idToken, evse, Charging) answered with
      idTokenInfo.status Accepted;
    - afterwards: the transaction is ended (EV unplugged)."""
    await states.booted(csms, precondition=True)
    async with states.transactions_ended_afterwards(csms) as transactions:
        await _authorize(csms, "TC_E_02_CSMS")
        await _started_with_token(csms, "TC_E_02_CSMS", transactions, "ChargingStateChanged", "Charging")


@case
async def test_tc_e_09_csms(csms: CsmsUnderTest) -> None:
    """Start option EVConnected: the harness station reports the connector Occupied and starts the transaction when
    the cable is plugged in, before any authorization.

    Part 6 steps / validations implemented:
    - steps 1-2: StatusNotification Occupied, answered;
    - steps 3-4: Started (CablePluggedIn, evse, EVConnected, no idToken) answered with a TransactionEventResponse
      (nothing is required of it: the event has no idToken);
    - afterwards: the transaction is ended (EV unplugged)."""
    await states.booted(csms, precondition=True)
    evse, connector = configured_connector(csms)
    async with states.transactions_ended_afterwards(csms) as transactions:
        await states.report_availability(csms, [(evse, connector)], "Occupied")
        tx = states.new_transaction(csms, evse, connector)
        transactions.append(tx)
        await states.transaction_event(csms, tx, "Started", "CablePluggedIn", "EVConnected",
                                       requirements=("Part 6 TC_E_09_CSMS step 4", "E01.FR.02"))
        tx.ev_connected = True


@case
async def test_tc_e_10_csms(csms: CsmsUnderTest) -> None:
    """Start option Authorized: the harness station authorizes locally and starts the transaction at once, before the
    EV is connected (Started, Authorized, with the idToken).

    Part 6 steps / validations implemented:
    - steps 1-2 and tool validation step 2: AuthorizeResponse idTokenInfo.status Accepted;
    - steps 3-4 and tool validation step 4: Started (Authorized, idToken) answered with idTokenInfo.status Accepted
      (the reusable state Authorized, Part 6 §3.18);
    - afterwards: the transaction is ended."""
    await states.booted(csms, precondition=True)
    async with states.transaction_ended_afterwards(csms, *configured_connector(csms)) as tx:
        await states.authorized(csms, tx.evse, tx.connector, tx=tx, requirements=("Part 6 TC_E_10_CSMS step 4",))


def _signed_meter_value(csms: CsmsUnderTest, id_token: dict) -> dict:
    """<Generated SignedMeterValueType> (TC_E_11_CSMS step 5): a reading of 0.0 kWh at the transaction's begin, as
    an OCMF document (header, one reading, signature section) really signed with ECDSA secp256r1 / SHA-256 by a key
    made for this run; publicKey is that key (base64 DER). The CSMS stores it; OCPP does not make it verify the
    signature, but a CSMS that does (transparency software) finds it valid."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(timezone.utc)
    payload = json.dumps({
        "FV": "1.0", "GI": "ocpp-conformance harness meter", "GS": csms.identity, "GV": "1.0", "PG": "T1",
        "IS": True, "IT": "CENTRAL" if id_token.get("type") == "Central" else "ISO14443",
        "ID": id_token.get("idToken", ""),
        "RD": [{"TM": now.strftime("%Y-%m-%dT%H:%M:%S,") + f"{now.microsecond // 1000:03d}+0000 S", "TX": "B",
                "RV": 0.0, "RI": "1-b:1.8.0", "RU": "kWh", "RT": "AC", "ST": "G"}]}, separators=(",", ":"))
    signature = key.sign(payload.encode(), ec.ECDSA(hashes.SHA256())).hex().upper()
    data = f"OCMF|{payload}|{json.dumps({'SA': 'ECDSA-secp256r1-SHA256', 'SD': signature}, separators=(',', ':'))}"
    public_key = key.public_key().public_bytes(serialization.Encoding.DER,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    return {"signedMeterData": base64.b64encode(data.encode()).decode(),
            "signingMethod": "ECDSA-secp256r1-SHA256",
            "encodingMethod": "OCMF",
            "publicKey": base64.b64encode(public_key).decode()}


@case
async def test_tc_e_11_csms(csms: CsmsUnderTest) -> None:
    """Start option DataSigned: the harness station starts the transaction when it has received signed meter values
    (SignedDataReceived, with a signed Transaction.Begin reading of 0.0), then charges.

    Part 6 steps / validations implemented:
    - steps 1-2 and tool validation step 2: AuthorizeResponse idTokenInfo.status Accepted;
    - steps 3-4: StatusNotification Occupied, answered;
    - steps 5-6 and tool validation step 6: Started (SignedDataReceived, idToken, evse, meterValue with
      sampledValue 0.0, context Transaction.Begin and a signedMeterValue) answered with idTokenInfo.status Accepted;
    - steps 7-8: Updated ChargingStateChanged Charging, answered;
    - afterwards: the transaction is ended."""
    await states.booted(csms, precondition=True)
    async with states.transactions_ended_afterwards(csms) as transactions:
        await _authorize(csms, "TC_E_11_CSMS")
        meter_value = [{"timestamp": utc_now(), "sampledValue": [{
            "value": 0.0, "context": "Transaction.Begin", "measurand": "Energy.Active.Import.Register",
            "signedMeterValue": _signed_meter_value(csms, csms.config.id_tokens.valid.to_ocpp())}]}]
        tx = await _started_with_token(csms, "TC_E_11_CSMS", transactions, "SignedDataReceived", "EVConnected",
                                       meterValue=meter_value)
        await states.transaction_event(csms, tx, "Updated", "ChargingStateChanged", "Charging",
                                       requirements=("Part 6 TC_E_11_CSMS step 8",))


@case
async def test_tc_e_12_csms(csms: CsmsUnderTest) -> None:
    """Start option ParkingBayOccupancy: the harness station starts the transaction when its parking bay detector
    detects an EV (Started, EVDetected), before a cable is plugged in or anyone is authorized.

    Part 6 steps / validations implemented:
    - steps 1-2: Started (EVDetected, evse; no chargingState: Part 6 names none) answered with a
      TransactionEventResponse;
    - afterwards: the transaction is ended."""
    await states.booted(csms, precondition=True)
    evse, connector = configured_connector(csms)
    async with states.transaction_ended_afterwards(csms, evse, connector) as tx:
        await states.transaction_event(csms, tx, "Started", "EVDetected", None,
                                       requirements=("Part 6 TC_E_12_CSMS step 2", "E01.FR.01"))


@case
async def test_tc_e_53_csms(csms: CsmsUnderTest) -> None:
    """Reset sequence number: two transactions one after the other, each starting with seqNo 0; the CSMS must answer
    the second Started event like the first.

    Part 6 steps / validations implemented:
    - step 1 and its tool validation: EnergyTransferStarted, the Started event with seqNo 0 answered with a
      TransactionEventResponse (Accepted, as the reusable state requires);
    - step 2: EVDisconnected (StopAuthorized, EVConnectedPostSession, EVDisconnected: Ended answered);
    - step 3 and its tool validation: EnergyTransferStarted of a new transaction, again with seqNo 0, answered;
    - step 4: EVDisconnected."""
    await states.booted(csms, precondition=True)
    evse, connector = configured_connector(csms)
    async with states.transactions_ended_afterwards(csms) as transactions:
        for step in (1, 3):
            tx = states.new_transaction(csms, evse, connector)
            transactions.append(tx)
            csms.note(f"step {step}: transaction {tx.transaction_id} starts with seqNo 0 (E01.FR.07)")
            await states.energy_transfer_started(csms, evse, connector, tx=tx, requirements=(
                f"Part 6 TC_E_53_CSMS tool validation step {step}", "E01.FR.07"))
            await states.ev_connected_post_session(csms, tx)
            await states.ev_disconnected(csms, tx)
