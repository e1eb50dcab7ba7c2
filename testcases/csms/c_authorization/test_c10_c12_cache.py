"""Block C Authorization, the SUT is a CSMS: C12 start of a transaction with a cached idToken: the station sends no
AuthorizeRequest, the CSMS checks the token when it processes the TransactionEventRequest (C12.FR.03)."""

from __future__ import annotations

from conformance.harness import CsmsUnderTest, OneOf, case
from conformance.harness.reusable_states import csms as states

from ._steps import configured_token


async def _cached_token_presented(csms: CsmsUnderTest, role: str, case_id: str, status: object) -> None:
    token = configured_token(csms, role)
    await states.booted(csms, precondition=True)
    evse, connector = csms.connectors[0]
    async with states.transactions_ended_afterwards(csms) as transactions:
        tx = states.new_transaction(csms, evse, connector)
        transactions.append(tx)
        await states.ev_connected_pre_session(csms, evse, connector, tx=tx)
        response = await states.transaction_event(csms, tx, "Updated", "Authorized", "EVConnected",
                                                  idToken=token.to_ocpp(),
                                                  requirements=(f"Part 6 {case_id} step 2", "C12.FR.03"))
        csms.check.fields("TransactionEventResponse", response.payload, {"idTokenInfo.status": status},
                          requirements=(f"Part 6 {case_id} tool validation step 2", "C12.FR.03"))


@case
async def test_tc_c_08_csms(csms: CsmsUnderTest) -> None:
    """A valid token from the station's Authorization Cache: no AuthorizeRequest, the CSMS accepts it in the
    TransactionEventResponse.

    Part 6 steps / validations implemented:
    - Before: EVConnectedPreSession (Occupied, Started CablePluggedIn, answered; the transaction started on the cable:
      Part 6 notes TxStartPoint ParkingBayOccupancy, either start point makes this event an Updated one);
    - steps 1-2: Updated Authorized with <Valid id token configured in Authorization Cache> (``[id_tokens.valid]``),
      no AuthorizeRequest before; idTokenInfo.status Accepted (C12.FR.03);
    - afterwards: the transaction is ended."""
    await _cached_token_presented(csms, "valid", "TC_C_08_CSMS", "Accepted")


@case
async def test_tc_c_20_csms(csms: CsmsUnderTest) -> None:
    """A token Accepted in the station's cache but invalid at the CSMS: the CSMS says so in the
    TransactionEventResponse.

    Part 6 steps / validations implemented:
    - Before: EVConnectedPreSession;
    - steps 1-2: Updated Authorized with <Configured invalid_idtoken> (``[id_tokens.invalid]``); idTokenInfo.status
      Invalid or Unknown (C12.FR.03);
    - afterwards: the transaction is ended."""
    await _cached_token_presented(csms, "invalid", "TC_C_20_CSMS", OneOf("Invalid", "Unknown"))
