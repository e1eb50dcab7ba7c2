"""Block C Authorization, the SUT is a Charging Station (the harness is its CSMS).

C16 Stop Transaction with a Master Pass: an idToken whose groupIdToken is AuthCtrlr.MasterPassGroupId stops the
transactions the user selects on the station's Master Pass screen (C-07) or, without a user interface, every ongoing
transaction (C-08); each ends with stoppedReason MasterPass.
"""

from __future__ import annotations

from conformance.harness import ChargingStationUnderTest, case
from conformance.harness.reusable_states import station as states
from conformance.outcomes import NotApplicable
from conformance.protocol.errors import PeerTimeout
from conformance.transport.connection import IncomingCall

from ._steps import master_pass_configured, presented, transaction_events_during

STOPPED = ("SuspendedEVSE", "EVConnected", "Idle")  # chargingStates of an energy transfer that has stopped


async def energy_transfer_started_on(station: ChargingStationUnderTest,
                                     evses: list[tuple[int, int]]) -> list[states.Transaction]:
    """Reusable state EnergyTransferStarted on each (EVSE, connector) of ``evses`` (after ParkingBayOccupied when
    TxStartPoint contains ParkingBayOccupancy), with the configured valid idToken."""
    started = []
    for evse, connector in evses:
        tx = await states.parking_bay_occupied(station, evse, connector)
        started.append(await states.energy_transfer_started(station, evse, connector, tx=tx))
    return started


def one_connector_per_evse(station: ChargingStationUnderTest) -> list[tuple[int, int]]:
    """The first configured connector of every EVSE ("for all EVSE")."""
    seen: dict[int, int] = {}
    for evse, connector in station.connectors:
        seen.setdefault(evse, connector)
    return sorted(seen.items())


async def master_pass_authorized(station: ChargingStationUnderTest, token: dict[str, str], evse: int,
                                 case_id: str) -> int:
    """Manual action: present the Master Pass idToken; step 1: an AuthorizeRequest with its value and type (C16
    scenario step 2, C01.FR.02), answered Accepted with the MasterPassGroupId. Returns the mark before the
    presentation."""
    conn = station.connection
    mark = await presented(station, token, evse)
    requirements = ("C01.FR.02", f"Part 6 {case_id} step 1")
    request = await conn.expect_call("Authorize", since=mark, requirements=requirements)
    station.check.fields(f"AuthorizeRequest (Part 6 {case_id} step 1)", request.payload,
                         {"idToken.idToken": token["idToken"], "idToken.type": token["type"]},
                         requirements=requirements)
    await request.answered.wait()
    return mark


async def stopped_by_master_pass(station: ChargingStationUnderTest, tx: states.Transaction, token: dict[str, str],
                                 since: int, case_id: str, requirement: str) -> None:
    """Step 3 for one transaction: its TransactionEventRequests from ``since`` until eventType Ended (bounded by the
    message timeout each): the last is eventType Ended with stoppedReason MasterPass (errata 2025-09 §6.2.32); each
    that carries an idToken carries the Master Pass idToken (Part 6: idToken omitted or the Master Pass's)."""
    conn, start = tx.since_on(station)
    start = max(start, since) if conn is station.connection else start
    requirements = (requirement, f"Part 6 {case_id} step 3", "errata 2025-09 §6.2.32")
    events: list[IncomingCall] = []
    while not tx.ended:
        try:
            event = await conn.expect_call("TransactionEvent", since=start, requirements=requirements, **tx.pattern())
        except PeerTimeout as exc:
            station.check.that(f"the Master Pass ends the transaction on EVSE {tx.evse} (Part 6 {case_id} step 3)",
                               False, expected="TransactionEventRequest eventType Ended, stoppedReason MasterPass",
                               actual=exc.actual, requirements=requirements)
            raise
        events.append(tx.record(event))
    last = events[-1]
    station.check.fields(f"the last TransactionEventRequest of the transaction on EVSE {tx.evse} (Part 6 {case_id} "
                         "step 3)", last.payload, {"eventType": "Ended", "transactionInfo.stoppedReason": "MasterPass"},
                         requirements=requirements)
    carried = [e.payload["idToken"] for e in events if "idToken" in e.payload]
    station.check.that(f"the TransactionEventRequests stopping the transaction on EVSE {tx.evse} omit the idToken or "
                       f"carry the Master Pass idToken (Part 6 {case_id} step 3)",
                       all(t.get("idToken") == token["idToken"] and t.get("type") == token["type"] for t in carried),
                       expected=f"idToken omitted or {token['idToken']} ({token['type']})", actual=carried,
                       requirements=requirements, soft=True)


async def after_stop(station: ChargingStationUnderTest, tx: states.Transaction) -> None:
    """Steps 5-7: EVConnectedPostSession, EVDisconnected and ParkingBayUnoccupied for a stopped transaction."""
    await states.ev_connected_post_session(station, tx)
    await states.ev_disconnected(station, tx)
    await states.parking_bay_unoccupied(station, tx)


@case
async def test_tc_c_47_cs(station: ChargingStationUnderTest) -> None:
    """With a Master Pass UI, the user selects to stop all transactions: every transaction ends with stoppedReason
    MasterPass.

    Part 6 steps / validations implemented (errata 2025-09 §6.2.32):
    - configuration state: AuthCtrlr.MasterPassGroupId = <Configured masterPassGroupId> (restored);
    - Before: EnergyTransferStarted on every EVSE (first connector each; the configured valid idToken);
    - steps 1-2: AuthorizeRequest with the Master Pass idToken, answered Accepted with the MasterPassGroupId;
    - manual action ``master_pass_select`` without an EVSE (all transactions);
    - steps 3-4 for every EVSE: the last TransactionEventRequest is Ended with stoppedReason MasterPass, idToken
      omitted or the Master Pass's (C16.FR.01);
    - steps 5-7 for every EVSE: EVConnectedPostSession, EVDisconnected, ParkingBayUnoccupied."""
    evses = one_connector_per_evse(station)
    async with master_pass_configured(station, "TC_C_47_CS") as token, states.transactions_ended_afterwards(station):
        txs = await energy_transfer_started_on(station, evses)
        mark = await master_pass_authorized(station, token, evses[0][0], "TC_C_47_CS")
        await station.actions.do("master_pass_select")
        with station.check.collecting():
            for tx in txs:
                await stopped_by_master_pass(station, tx, token, mark, "TC_C_47_CS", "C16.FR.01")
        for tx in txs:
            await after_stop(station, tx)


@case
async def test_tc_c_48_cs(station: ChargingStationUnderTest) -> None:
    """With a Master Pass UI, the user selects the transaction on EVSE 1: it ends with stoppedReason MasterPass, the
    other EVSEs go on charging.

    Part 6 steps / validations implemented:
    - configuration state: AuthCtrlr.MasterPassGroupId = <Configured masterPassGroupId> (restored);
    - Before: EnergyTransferStarted on every EVSE (first connector each; the configured valid idToken);
    - steps 1-2: AuthorizeRequest with the Master Pass idToken, answered Accepted with the MasterPassGroupId;
    - manual action ``master_pass_select`` with EVSE 1 (the first configured EVSE);
    - steps 3-4: the transaction on EVSE 1 ends (last event Ended, stoppedReason MasterPass; idToken omitted or the
      Master Pass's);
    - steps 5-7: EVConnectedPostSession, EVDisconnected, ParkingBayUnoccupied on EVSE 1;
    - post scenario: every other EVSE still transfers energy: within the message timeout after step 3 none of their
      transactions ends or reports a stopped energy transfer (chargingState SuspendedEVSE / EVConnected / Idle)."""
    evses = one_connector_per_evse(station)
    async with master_pass_configured(station, "TC_C_48_CS") as token, states.transactions_ended_afterwards(station):
        txs = await energy_transfer_started_on(station, evses)
        selected, others = txs[0], txs[1:]
        mark = await master_pass_authorized(station, token, selected.evse, "TC_C_48_CS")
        await station.actions.do("master_pass_select", evse=selected.evse)
        await stopped_by_master_pass(station, selected, token, mark, "TC_C_48_CS", "C16.FR.01")
        stopped = []
        for i, tx in enumerate(others):  # one window for all: the first waits, the rest read what arrived meanwhile
            events = await transaction_events_during(
                station, tx, mark, station.message_timeout if i == 0 else 0.0,
                reason="Part 6 TC_C_48_CS post scenario: all other EVSE still transfer energy")
            events += [c for c in station.connection.mailbox[mark:] if c.action == "TransactionEvent"
                       and c not in events and c.payload.get("transactionInfo", {}).get("transactionId")
                       == tx.transaction_id]
            stopped += [e for e in events if e.payload.get("eventType") == "Ended"
                        or e.payload.get("transactionInfo", {}).get("chargingState") in STOPPED]
        station.check.that("all other EVSE still transfer energy (Part 6 TC_C_48_CS post scenario)", not stopped,
                           expected=f"no transaction of EVSE {', '.join(str(t.evse) for t in others)} ends or stops "
                                    "its energy transfer",
                           actual=[f"transaction {e.payload.get('transactionInfo', {}).get('transactionId')} seqNo "
                                   f"{e.payload.get('seqNo')} "
                                   f"eventType {e.payload.get('eventType')} chargingState "
                                   f"{e.payload.get('transactionInfo', {}).get('chargingState')}" for e in stopped],
                           requirements=("C16.FR.01", "Part 6 TC_C_48_CS post scenario"), soft=True)
        await after_stop(station, selected)


@case
async def test_tc_c_49_cs(station: ChargingStationUnderTest) -> None:
    """Without a user interface the Master Pass stops every ongoing transaction with stoppedReason MasterPass.

    Part 6 steps / validations implemented:
    - applicability: C16.FR.02 is for a station without a UI; a PICS that also declares C-07 (a Master Pass UI)
      is tested by TC_C_47/48_CS (NOT APPLICABLE);
    - configuration state: AuthCtrlr.MasterPassGroupId = <Configured masterPassGroupId> (restored);
    - Before: EnergyTransferStarted on EVSE 1 and, with more than one EVSE, EVSE 2 (the configured valid idToken on
      both: the reusable state presents <Configured valid_idtoken>);
    - steps 1-2: AuthorizeRequest with the Master Pass idToken, answered Accepted with the MasterPassGroupId;
    - steps 3-4 for each EVSE: the last TransactionEventRequest is Ended with stoppedReason MasterPass, idToken
      omitted or the Master Pass's (C16.FR.02);
    - steps 5-7 for each EVSE: EVConnectedPostSession, EVDisconnected, ParkingBayUnoccupied."""
    if "C-07" in station.config.pics.features:
        raise NotApplicable("TC_C_49_CS is for a Charging Station without a user interface (C16.FR.02): the PICS "
                            "declares C-07 (Master Pass on stations with a user interface) as well")
    evses = one_connector_per_evse(station)[:2]
    async with master_pass_configured(station, "TC_C_49_CS") as token, states.transactions_ended_afterwards(station):
        txs = await energy_transfer_started_on(station, evses)
        mark = await master_pass_authorized(station, token, evses[0][0], "TC_C_49_CS")
        with station.check.collecting():
            for tx in txs:
                await stopped_by_master_pass(station, tx, token, mark, "TC_C_49_CS", "C16.FR.02")
        for tx in txs:
            await after_stop(station, tx)
