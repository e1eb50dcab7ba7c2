"""Block C Authorization, the SUT is a CSMS: C16 a master pass (``[id_tokens.master_pass]``, its group the
MasterPassGroupId) stops ongoing transactions. The CSMS answers the master pass like any valid token with its
groupIdToken (C01.FR.06), which is how the station recognises it (C16.FR.01/02), and accepts the Ended events
with stoppedReason MasterPass."""

from __future__ import annotations

from conformance.harness import CsmsUnderTest, case
from conformance.harness.reusable_states import csms as states
from conformance.outcomes import Inconclusive

from ._steps import authorize, configured_token, group_of

_MASTER_PASS_KNOWN = ("C01.FR.06", "C16.FR.01", "C16.FR.02")


def _two_evses(csms: CsmsUnderTest) -> list[tuple[int, int]]:
    by_evse: dict[int, tuple[int, int]] = {}
    for evse, connector in csms.connectors:
        by_evse.setdefault(evse, (evse, connector))
    if len(by_evse) < 2:
        raise Inconclusive("Part 6 Before needs EnergyTransferStarted on EVSE 1 and EVSE 2: the harness station is "
                           "configured with one EVSE ([[evse]])")
    return list(by_evse.values())[:2]


async def _master_pass_stops(csms: CsmsUnderTest, case_id: str, *, stop_token_role: str, validation: str) -> None:
    master = configured_token(csms, "master_pass", group=True)
    tokens = [configured_token(csms, "valid"), configured_token(csms, "group")]
    stop_token = configured_token(csms, stop_token_role)
    await states.booted(csms, precondition=True)
    async with states.transactions_ended_afterwards(csms) as transactions:
        for (evse, connector), token in zip(_two_evses(csms), tokens):
            tx = states.new_transaction(csms, evse, connector)
            transactions.append(tx)
            await states.energy_transfer_started(csms, evse, connector, tx=tx, id_token=token.to_ocpp())
        await authorize(csms, master, {"idTokenInfo.status": "Accepted", **group_of(master)},
                        requirements=(validation, *_MASTER_PASS_KNOWN))
        for tx in transactions:
            await states.transaction_event(csms, tx, "Ended", "StopAuthorized", "EVConnected",
                                           idToken=stop_token.to_ocpp(), info={"stoppedReason": "MasterPass"},
                                           requirements=(f"Part 6 {case_id} step 4",))


@case
async def test_tc_c_47_csms(csms: CsmsUnderTest) -> None:
    """With a UI, all transactions: the master pass stops the transactions of both EVSEs.

    Part 6 steps / validations implemented:
    - Before: EnergyTransferStarted on EVSE 1 with valid_idtoken and on EVSE 2 with valid_idtoken2;
    - steps 1-2: AuthorizeRequest with the master pass: Accepted with groupIdToken <Configured masterPassGroupId>
      (Part 6 lists no tool validation here; TC_C_48_CSMS's for the same answer, and C01.FR.06 / C16);
    - steps 3-4: Ended, stoppedReason MasterPass, idToken the master pass, for both EVSEs: each answered with
      idTokenInfo (the event has an idToken);
    - afterwards: the connectors are reported Available."""
    await _master_pass_stops(csms, "TC_C_47_CSMS", stop_token_role="master_pass",
                             validation="Part 6 TC_C_48_CSMS tool validation step 2 (the same answer)")


@case
async def test_tc_c_48_csms(csms: CsmsUnderTest) -> None:
    """With a UI, one selected transaction: the master pass stops the transaction of EVSE 1.

    Part 6 steps / validations implemented:
    - Before: EnergyTransferStarted on every EVSE (valid_idtoken);
    - steps 1-2: AuthorizeRequest with the master pass (Part 6 writes valid_idtoken in step 1 but validates the
      answer's groupIdToken against <Configured masterPassGroupId>: only the master pass has it): Accepted,
      groupIdToken.idToken <Configured masterPassGroupId>;
    - steps 3-4: Ended, stoppedReason MasterPass, idToken the master pass, for EVSE 1: Accepted, groupIdToken
      <Configured masterPassGroupId>;
    - afterwards: the other transactions are ended."""
    master = configured_token(csms, "master_pass", group=True)
    expected = {"idTokenInfo.status": "Accepted", **group_of(master)}
    await states.booted(csms, precondition=True)
    evses = {}
    for evse, connector in csms.connectors:
        evses.setdefault(evse, (evse, connector))
    async with states.transactions_ended_afterwards(csms) as transactions:
        for evse, connector in evses.values():
            tx = states.new_transaction(csms, evse, connector)
            transactions.append(tx)
            await states.energy_transfer_started(csms, evse, connector, tx=tx)
        await authorize(csms, master, expected,
                        requirements=("Part 6 TC_C_48_CSMS tool validation step 2", *_MASTER_PASS_KNOWN))
        ended = await states.transaction_event(csms, transactions[0], "Ended", "StopAuthorized", "EVConnected",
                                               idToken=master.to_ocpp(), info={"stoppedReason": "MasterPass"})
        csms.check.fields("TransactionEventResponse", ended.payload, expected,
                          requirements=("Part 6 TC_C_48_CSMS tool validation step 4", "C09.FR.12"))


@case
async def test_tc_c_49_csms(csms: CsmsUnderTest) -> None:
    """Without a UI: the master pass stops every transaction (C16.FR.02).

    Part 6 steps / validations implemented:
    - Before: EnergyTransferStarted on EVSE 1 with valid_idtoken and on EVSE 2 with valid_idtoken2;
    - steps 1-2: AuthorizeRequest with the master pass: Accepted with groupIdToken <Configured masterPassGroupId>
      (Part 6 lists no tool validation here; TC_C_48_CSMS's for the same answer, and C01.FR.06 / C16.FR.02);
    - steps 3-4: Ended, stoppedReason MasterPass, idToken valid_idtoken (as Part 6 writes), for both EVSEs: each
      answered with idTokenInfo."""
    await _master_pass_stops(csms, "TC_C_49_CSMS", stop_token_role="valid",
                             validation="Part 6 TC_C_48_CSMS tool validation step 2 (the same answer)")
