"""Block C Authorization, the SUT is a CSMS: C09 authorization by GroupId: two valid tokens of one group
(``[id_tokens.valid]`` and ``[id_tokens.group]``, Part 6 valid_idtoken and valid_idtoken2), each answered with the
group's groupIdToken (C01.FR.06, C09.FR.02, C09.FR.12), so the one may stop what the other started (C09.FR.03)."""

from __future__ import annotations

from conformance.harness import CsmsUnderTest, case
from conformance.harness.reusable_states import csms as states

from ._steps import authorize, configured_token, group_of


def _accepted_in_group(csms: CsmsUnderTest) -> dict[str, object]:
    valid = configured_token(csms, "valid", group=True)
    return {"idTokenInfo.status": "Accepted", **group_of(valid)}


async def _group_case(csms: CsmsUnderTest, case_id: str, *, authorize_first: int | None,
                      authorize_before_stop: int | None, started_step: int, stop_step: int) -> None:
    valid = configured_token(csms, "valid", group=True)
    second = configured_token(csms, "group", group=True)
    expected = _accepted_in_group(csms)
    if second.group_id_token != valid.group_id_token:
        csms.note(f"[id_tokens.group] has group {second.group_id_token!r}, [id_tokens.valid] {valid.group_id_token!r}:"
                  " Part 6 expects both in one group; the <Configured groupIdToken> is valid's")
    await states.booted(csms, precondition=True)
    evse, connector = csms.connectors[0]
    validation = f"Part 6 {case_id} tool validation step"
    async with states.transactions_ended_afterwards(csms) as transactions:
        tx = states.new_transaction(csms, evse, connector)
        transactions.append(tx)
        await states.ev_connected_pre_session(csms, evse, connector, tx=tx)
        if authorize_first is not None:
            await authorize(csms, second, expected, requirements=(f"{validation} {authorize_first}", "C01.FR.06",
                                                                  "C09.FR.02"))
        started = await states.transaction_event(csms, tx, "Updated", "Authorized", "EVConnected",
                                                 idToken=valid.to_ocpp())
        csms.check.fields("TransactionEventResponse", started.payload, expected,
                          requirements=(f"{validation} {started_step}", "C09.FR.02", "C09.FR.12"))
        tx.authorized = True
        await states.energy_transfer_started(csms, evse, connector, tx=tx)
        if authorize_before_stop is not None:
            await authorize(csms, second, expected, requirements=(f"{validation} {authorize_before_stop}",
                                                                  "C01.FR.06", "C09.FR.02"))
        stop = await states.transaction_event(csms, tx, "Updated", "StopAuthorized", "Charging",
                                              idToken=second.to_ocpp())
        csms.check.fields("TransactionEventResponse", stop.payload, expected,
                          requirements=(f"{validation} {stop_step}", "C09.FR.03", "C09.FR.12"))
        tx.authorized = False
        await states.ev_connected_post_session(csms, tx)
        await states.ev_disconnected(csms, tx)


@case
async def test_tc_c_39_csms(csms: CsmsUnderTest) -> None:
    """Stop by another token of the same group, both authorized online.

    Part 6 steps / validations implemented:
    - Before: EVConnectedPreSession (the transaction started on the cable, so the Authorized event is an Updated);
    - steps 1-2: AuthorizeRequest valid_idtoken2 (``[id_tokens.group]``): Accepted, groupIdToken.idToken
      <Configured groupIdToken> (``[id_tokens.valid] group_id_token``);
    - steps 3-4: Updated Authorized with valid_idtoken: Accepted, the same groupIdToken;
    - step 5: EnergyTransferStarted (Charging);
    - steps 6-7: AuthorizeRequest valid_idtoken2: Accepted, groupIdToken;
    - steps 8-9: Updated StopAuthorized with valid_idtoken2: Accepted, groupIdToken (C09.FR.03);
    - steps 10-11: EVConnectedPostSession, EVDisconnected (Ended)."""
    await _group_case(csms, "TC_C_39_CSMS", authorize_first=2, authorize_before_stop=7, started_step=4, stop_step=9)


@case
async def test_tc_c_40_csms(csms: CsmsUnderTest) -> None:
    """Stop by another token of the same group, both in the station's Local Authorization List (no AuthorizeRequest).

    Part 6 steps / validations implemented:
    - Before: EVConnectedPreSession;
    - steps 1-2: Updated Authorized with valid_idtoken (from the list): Accepted, groupIdToken.idToken <Configured
      groupIdToken>;
    - step 3: EnergyTransferStarted;
    - steps 5-6: Updated StopAuthorized with valid_idtoken2 (from the list): Accepted, groupIdToken;
    - steps 7-8: EVConnectedPostSession, EVDisconnected (Ended)."""
    await _group_case(csms, "TC_C_40_CSMS", authorize_first=None, authorize_before_stop=None, started_step=2,
                      stop_step=6)


@case
async def test_tc_c_43_csms(csms: CsmsUnderTest) -> None:
    """Stop by another token of the same group that the station asks the CSMS about first.

    Part 6 steps / validations implemented (Part 6 names the answer to step 1 "Step 1"; it is step 2's):
    - Before: EVConnectedPreSession;
    - steps 1-2: Updated Authorized with valid_idtoken: Accepted, groupIdToken.idToken <Configured groupIdToken>;
    - step 3: EnergyTransferStarted;
    - steps 4-5: AuthorizeRequest valid_idtoken2: Accepted, groupIdToken;
    - steps 6-7: Updated StopAuthorized with valid_idtoken2: Accepted, groupIdToken;
    - steps 8-9: EVConnectedPostSession, EVDisconnected (Ended)."""
    await _group_case(csms, "TC_C_43_CSMS", authorize_first=None, authorize_before_stop=5, started_step=1,
                      stop_step=7)
