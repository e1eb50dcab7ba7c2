"""Block F Remote control, the SUT is a CSMS (the harness plays the Charging Station).

remote start transaction, cable plugin first (F01) and remote start first (F02, with the EV connection timeout of
E03).
"""

from __future__ import annotations

from conformance.harness import CsmsUnderTest, case
from conformance.harness.reusable_states import csms as states

from ._steps import (configured_connector, remote_start_evse, remote_start_info, request_start_transaction,
                     valid_token)


@case
async def test_tc_f_01_csms(csms: CsmsUnderTest) -> None:
    """With the EV connected first, the CSMS starts the transaction remotely and accepts the RemoteStart event.

    Part 6 steps / validations implemented:
    - Booted; EVConnectedPreSession (the connector Occupied, TransactionEvent Started CablePluggedIn, answered);
    - steps 1-2: on request the CSMS sends RequestStartTransactionRequest (tool validation: idToken.idToken and
      idToken.type the configured valid ones), answered Accepted with the transactionId (F01.FR.13);
    - steps 3-4: TransactionEvent Updated, triggerReason RemoteStart, the CSMS's remoteStartId and the idToken
      (F01.FR.19, F01.FR.25), answered;
    - step 5: EnergyTransferStarted (Authorized, EV connected: Charging), answered; the transaction is ended
      afterwards (general precondition).
    """
    await states.booted(csms, precondition=True)
    evse, connector = configured_connector(csms)
    async with states.transaction_ended_afterwards(csms, evse, connector) as tx:
        await states.ev_connected_pre_session(csms, evse, connector, tx=tx)
        request = await request_start_transaction(csms, evse, transaction_id=tx.transaction_id)
        await states.transaction_event(csms, tx, "Updated", "RemoteStart", "EVConnected", idToken=valid_token(csms),
                                       info=remote_start_info(request))
        await states.energy_transfer_started_for(csms, tx, ev_connected=True)


async def _remote_start_first(csms: CsmsUnderTest, transactions: list[states.Transaction], *,
                              authorize: bool) -> states.Transaction:
    """Steps 1-6 of TC_F_02 (``authorize``) and steps 1-4 of TC_F_03/04_CSMS: the remote start answered Accepted
    without transactionId, with AuthorizeRemoteStart true the idToken authorized first (step 4 tool validation:
    AuthorizeResponse idTokenInfo.status Accepted), then TransactionEvent Started with triggerReason RemoteStart,
    the CSMS's remoteStartId and the idToken (F02.FR.01, F02.FR.21), answered."""
    evse, connector = configured_connector(csms)
    request = await request_start_transaction(csms, evse)
    evse, connector = remote_start_evse(csms, request, (evse, connector))
    token = valid_token(csms)
    if authorize:
        authorize_response = await csms.call("Authorize", {"idToken": token})
        # Not Accepted: the station may not start (F01.FR.01 "only after authorization was obtained"), so the case
        # ends here rather than go on as a non-conformant station.
        csms.check.fields("AuthorizeResponse", authorize_response.payload if authorize_response.ok else {}, {
            "idTokenInfo.status": "Accepted"}, requirements=("Part 6 TC_F_02_CSMS tool validation step 4",))
    tx = states.Transaction(csms.ctx.ids.text("transactionId", "F-"), evse, connector)
    transactions.append(tx)
    await states.transaction_event(csms, tx, "Started", "RemoteStart", "Idle", idToken=token,
                                   info=remote_start_info(request))
    return tx


@case
async def test_tc_f_02_csms(csms: CsmsUnderTest) -> None:
    """Remote start first with AuthorizeRemoteStart true: the CSMS starts the transaction remotely, authorizes the
    idToken and accepts the transaction.

    Part 6 steps / validations implemented:
    - steps 1-2: RequestStartTransactionRequest (tool validation: idToken.idToken, idToken.type), answered
      Accepted without transactionId;
    - steps 3-4: AuthorizeRequest with the configured valid idToken (tool validation: idTokenInfo.status
      Accepted; F01.FR.01);
    - steps 5-6: TransactionEvent Started RemoteStart with the CSMS's remoteStartId (F02.FR.01), answered;
    - step 7: EnergyTransferStarted (Authorized, EV not connected: Occupied, CablePluggedIn, Charging), answered;
      the transaction is ended afterwards.
    The Part 6 prerequisite (AuthEnabled not read-only false) concerns the simulated station: the harness's.
    """
    await states.booted(csms, precondition=True)
    async with states.transactions_ended_afterwards(csms) as transactions:
        tx = await _remote_start_first(csms, transactions, authorize=True)
        await states.energy_transfer_started_for(csms, tx, ev_connected=False)


@case
async def test_tc_f_03_csms(csms: CsmsUnderTest) -> None:
    """Remote start first with AuthorizeRemoteStart false: the CSMS starts the transaction remotely and accepts
    it without an AuthorizeRequest.

    Part 6 steps / validations implemented:
    - steps 1-2: RequestStartTransactionRequest (tool validation: idToken.idToken, idToken.type), answered
      Accepted without transactionId;
    - steps 3-4: TransactionEvent Started RemoteStart with the CSMS's remoteStartId and the idToken (F01.FR.02,
      F02.FR.01), answered;
    - step 5: EnergyTransferStarted (Authorized, EV not connected), answered; the transaction is ended afterwards.
    """
    await states.booted(csms, precondition=True)
    async with states.transactions_ended_afterwards(csms) as transactions:
        tx = await _remote_start_first(csms, transactions, authorize=False)
        await states.energy_transfer_started_for(csms, tx, ev_connected=False)


@case
async def test_tc_f_04_csms(csms: CsmsUnderTest) -> None:
    """Remote start first, the EV is never plugged in: the CSMS accepts the station's EVConnectTimeout event.

    Part 6 steps / validations implemented:
    - steps 1-2: RequestStartTransactionRequest (tool validation: idToken.idToken, idToken.type), answered
      Accepted without transactionId;
    - steps 3-4: TransactionEvent Started RemoteStart with the CSMS's remoteStartId, answered;
    - steps 5-6: after <Configured Transaction Duration> (a protocol wait), TransactionEvent Updated with
      triggerReason EVConnectTimeout (the transaction deauthorized, F02.FR.08, E03.FR.05), answered.
    Afterwards (general precondition) the deauthorized transaction ends as F02.FR.08 says, when the driver leaves
    the parking bay: TransactionEvent Ended, triggerReason EVDeparted, stoppedReason Timeout.
    """
    await states.booted(csms, precondition=True)
    async with states.transactions_ended_afterwards(csms) as transactions:
        tx = await _remote_start_first(csms, transactions, authorize=False)
        await states.transaction_duration(csms)
        await states.transaction_event(csms, tx, "Updated", "EVConnectTimeout", "Idle")
        await states.transaction_event(csms, tx, "Ended", "EVDeparted", "Idle", info={"stoppedReason": "Timeout"},
                                       requirements=("general postcondition, not a Part 6 step: the deauthorized "
                                                     "transaction ends when the EV leaves the parking bay "
                                                     "(TxStopPoint ParkingBayOccupancy, F02.FR.08)",))
