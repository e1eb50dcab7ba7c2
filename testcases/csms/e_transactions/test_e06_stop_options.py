"""Block E Transactions, the SUT is a CSMS (the harness plays the Charging Station).

Stop transaction options (E06): the harness station ends its transaction at each TxStopPoint (ParkingBayOccupancy,
EVConnected on either side, Authorized locally or remotely, deauthorized by an invalid idToken, PowerPathClosed,
EnergyTransfer) and the CSMS must answer every event.
"""

from __future__ import annotations

from conformance.harness import CsmsUnderTest, OneOf, case
from conformance.harness.reusable_states import csms as states
from conformance.transport.connection import IncomingCall

from ._steps import configured_connector


async def _energy_transfer_started(csms: CsmsUnderTest, transactions: list[states.Transaction]) -> states.Transaction:
    """Before: EnergyTransferStarted on the configured connector; the transaction is in ``transactions`` (ended
    afterwards) before the reusable state runs, so a failed check inside it leaves no transaction open."""
    tx = states.new_transaction(csms, *configured_connector(csms))
    transactions.append(tx)
    return await states.energy_transfer_started(csms, tx.evse, tx.connector, tx=tx)


async def _local_stop(csms: CsmsUnderTest, case_id: str) -> None:
    """TC_E_07/15_CSMS: EnergyTransferStarted, then Ended (StopAuthorized, stoppedReason Local), answered."""
    await states.booted(csms, precondition=True)
    async with states.transactions_ended_afterwards(csms) as transactions:
        tx = await _energy_transfer_started(csms, transactions)
        await states.transaction_duration(csms)
        await states.transaction_event(csms, tx, "Ended", "StopAuthorized", "EVConnected",
                                       info={"stoppedReason": "Local"}, requirements=(f"Part 6 {case_id} step 2",))


@case
async def test_tc_e_07_csms(csms: CsmsUnderTest) -> None:
    """Stop option PowerPathClosed, local stop: the EV driver stops locally and the power path opens, so the harness
    station ends the transaction at once.

    Part 6 steps / validations implemented:
    - Before: EnergyTransferStarted (Authorized: Accepted twice; Occupied, CablePluggedIn, Charging answered);
    - steps 1-2: Ended (StopAuthorized, stoppedReason Local), answered (after <Configured Transaction Duration>);
    - afterwards: the cable is unplugged (connector Available)."""
    await _local_stop(csms, "TC_E_07_CSMS")


@case
async def test_tc_e_15_csms(csms: CsmsUnderTest) -> None:
    """Stop option Authorized, local: the EV driver stops locally and the harness station ends the transaction.

    Part 6 steps / validations implemented:
    - Before: EnergyTransferStarted;
    - steps 1-2: Ended (StopAuthorized, stoppedReason Local), answered;
    - afterwards: the cable is unplugged (connector Available)."""
    await _local_stop(csms, "TC_E_15_CSMS")


@case
async def test_tc_e_08_csms(csms: CsmsUnderTest) -> None:
    """Stop option EnergyTransfer, after the stop authorization: the energy transfer stops and the harness station
    ends the transaction with the EV still connected.

    Part 6 steps / validations implemented:
    - Before: EnergyTransferStarted, StopAuthorized (Updated with the idToken answered with idTokenInfo Accepted);
    - steps 1-2: Ended (ChargingStateChanged, EVConnected, stoppedReason Local), answered;
    - afterwards: the cable is unplugged (connector Available)."""
    await states.booted(csms, precondition=True)
    async with states.transactions_ended_afterwards(csms) as transactions:
        tx = await _energy_transfer_started(csms, transactions)
        await states.stop_authorized(csms, tx)
        await states.transaction_event(csms, tx, "Ended", "ChargingStateChanged", "EVConnected",
                                       info={"stoppedReason": "Local"}, requirements=("Part 6 TC_E_08_CSMS step 2",))


@case
async def test_tc_e_14_csms(csms: CsmsUnderTest) -> None:
    """Stop option EVConnected, station side: after the stop authorization the cable is unplugged at the station and
    the harness station ends the transaction.

    Part 6 steps / validations implemented:
    - Before: EVConnectedPostSession (EnergyTransferStarted, StopAuthorized with idTokenInfo Accepted, Updated
      ChargingStateChanged EVConnected);
    - step 1: EVDisconnected: StatusNotification Available and Ended (EVCommunicationLost, Idle, stoppedReason
      EVDisconnected), each answered."""
    await states.booted(csms, precondition=True)
    async with states.transactions_ended_afterwards(csms) as transactions:
        tx = await _energy_transfer_started(csms, transactions)
        await states.ev_connected_post_session(csms, tx)
        await states.ev_disconnected(csms, tx)


@case
async def test_tc_e_20_csms(csms: CsmsUnderTest) -> None:
    """Stop option EVConnected, EV side: the EV suspends the energy transfer, the session is stopped and the cable is
    unplugged; the harness station ends the transaction.

    Part 6 steps / validations implemented:
    - Before: EnergyTransferSuspended (EnergyTransferStarted, then Updated ChargingStateChanged SuspendedEV);
    - step 1: EVDisconnected with its own preconditions (StopAuthorized with idTokenInfo Accepted,
      EVConnectedPostSession), then StatusNotification Available and Ended (EVCommunicationLost, stoppedReason
      EVDisconnected), each answered."""
    await states.booted(csms, precondition=True)
    async with states.transactions_ended_afterwards(csms) as transactions:
        tx = await _energy_transfer_started(csms, transactions)
        await states.energy_transfer_suspended(csms, tx)
        await states.ev_connected_post_session(csms, tx)
        await states.ev_disconnected(csms, tx)


@case
async def test_tc_e_16_csms(csms: CsmsUnderTest) -> None:
    """Deauthorized by an invalid idToken: the harness station starts a transaction with the configured invalid
    idToken; the CSMS must answer it not valid, and the station ends the transaction deauthorized.

    Part 6 steps / validations implemented:
    - steps 1-2 and tool validation step 2: Started (Authorized, the invalid idToken) answered with idTokenInfo
      status Invalid or Unknown (E01.FR.11: the CSMS verifies the identifier; E01.FR.12: it answers its status);
    - steps 3-4: Ended (Deauthorized, stoppedReason DeAuthorized), answered (E06.FR.04 is the station's)."""
    await states.booted(csms, precondition=True)
    evse, connector = configured_connector(csms)
    async with states.transaction_ended_afterwards(csms, evse, connector) as tx:
        started = await states.transaction_event(csms, tx, "Started", "Authorized", None,
                                                 idToken=csms.config.id_tokens.invalid.to_ocpp(),
                                                 requirements=("Part 6 TC_E_16_CSMS step 2",))
        csms.check.fields("TransactionEventResponse", started.payload,
                          {"idTokenInfo.status": OneOf("Invalid", "Unknown")},
                          requirements=("Part 6 TC_E_16_CSMS tool validation step 2", "E01.FR.11", "E01.FR.12"))
        await states.transaction_event(csms, tx, "Ended", "Deauthorized", None, info={"stoppedReason": "DeAuthorized"},
                                       requirements=("Part 6 TC_E_16_CSMS step 4",))


@case
async def test_tc_e_17_csms(csms: CsmsUnderTest) -> None:
    """Deauthorized by the EV side disconnecting: with the energy transfer suspended by the EV, the connection to the
    EV is lost and the harness station ends the transaction.

    Part 6 steps / validations implemented:
    - Before: EnergyTransferSuspended;
    - steps 1-2: Ended (EVCommunicationLost, Idle, stoppedReason EVDisconnected), answered;
    - afterwards: the cable is unplugged (connector Available)."""
    await states.booted(csms, precondition=True)
    async with states.transactions_ended_afterwards(csms) as transactions:
        tx = await _energy_transfer_started(csms, transactions)
        await states.energy_transfer_suspended(csms, tx)
        await states.transaction_event(csms, tx, "Ended", "EVCommunicationLost", "Idle",
                                       info={"stoppedReason": "EVDisconnected"},
                                       requirements=("Part 6 TC_E_17_CSMS step 2",))


@case
async def test_tc_e_19_csms(csms: CsmsUnderTest) -> None:
    """Stop option ParkingBayOccupancy: the cable is unplugged but the transaction goes on until the EV leaves the
    parking bay; then the harness station ends it.

    Part 6 steps / validations implemented:
    - Before: EVDisconnected (EnergyTransferStarted, StopAuthorized, EVConnectedPostSession, StatusNotification
      Available); a station that stops on ParkingBayOccupancy does not end the transaction on the cable (E06.FR.01),
      so the unplugging is an Updated event (EVCommunicationLost, Idle), answered. Part 6's reusable state
      EVDisconnected would send Ended there and step 1 a second Ended: one transaction has one Ended event;
    - steps 1-2: Ended (EVDeparted, stoppedReason Local), answered."""
    await states.booted(csms, precondition=True)
    async with states.transactions_ended_afterwards(csms) as transactions:
        tx = await _energy_transfer_started(csms, transactions)
        await states.ev_connected_post_session(csms, tx)
        csms.note("TC_E_19_CSMS Before EVDisconnected: the unplugging is sent as an Updated event, not the Ended event "
                  "of Part 6 §3.18 Table 707: with TxStopPoint ParkingBayOccupancy the transaction ends when the EV "
                  "leaves the bay (E06.FR.01), and one transaction has one Ended event (step 1)")
        await states.ev_disconnected(csms, tx, ends=False)
        await states.transaction_event(csms, tx, "Ended", "EVDeparted", "Idle", info={"stoppedReason": "Local"},
                                       requirements=("Part 6 TC_E_19_CSMS step 2", "E06.FR.01"))


@case
async def test_tc_e_21_csms(csms: CsmsUnderTest) -> None:
    """Stop option Authorized, remote: on request the CSMS asks the harness station to stop its transaction, which it
    accepts and ends.

    Part 6 steps / validations implemented:
    - Before: EnergyTransferStarted;
    - steps 1-2 and tool validation step 1: RequestStopTransactionRequest (``csms_send``) with the transactionId of
      the running transaction (F03.FR.01), answered Accepted;
    - steps 3-4: Ended (RemoteStop, stoppedReason Remote), answered;
    - afterwards: the cable is unplugged (connector Available)."""
    await states.booted(csms, precondition=True)
    async with states.transactions_ended_afterwards(csms) as transactions:
        tx = await _energy_transfer_started(csms, transactions)
        def answer(incoming: IncomingCall) -> dict:  # the running transaction: F03.FR.07; any other id: F03.FR.08
            return {"status": "Accepted" if incoming.payload.get("transactionId") == tx.transaction_id else "Rejected"}

        with csms.station.answering("RequestStopTransaction", answer):
            await csms.actions.do("csms_send", station=csms.identity, request="RequestStopTransaction",
                                  payload={"transactionId": tx.transaction_id})
            request = await csms.expect_call("RequestStopTransaction")
        csms.check.fields("RequestStopTransactionRequest", request.payload, {"transactionId": tx.transaction_id},
                          requirements=("Part 6 TC_E_21_CSMS tool validation step 1", "F03.FR.01"))
        await states.transaction_event(csms, tx, "Ended", "RemoteStop", "EVConnected", info={"stoppedReason": "Remote"},
                                       requirements=("Part 6 TC_E_21_CSMS step 4",))


@case
async def test_tc_e_22_csms(csms: CsmsUnderTest) -> None:
    """Stop option EnergyTransfer, stopped by the EV: the EV stops taking energy and the harness station ends the
    transaction.

    Part 6 steps / validations implemented:
    - Before: EnergyTransferStarted;
    - steps 1-2: Ended (ChargingStateChanged, SuspendedEV, stoppedReason StoppedByEV), answered;
    - afterwards: the cable is unplugged (connector Available)."""
    await states.booted(csms, precondition=True)
    async with states.transactions_ended_afterwards(csms) as transactions:
        tx = await _energy_transfer_started(csms, transactions)
        await states.transaction_event(csms, tx, "Ended", "ChargingStateChanged", "SuspendedEV",
                                       info={"stoppedReason": "StoppedByEV"},
                                       requirements=("Part 6 TC_E_22_CSMS step 2", "E06.FR.07"))
