"""Block C Authorization, the SUT is a Charging Station (the harness is its CSMS).

C01 (with C04 / C06): a local start refused with each idTokenInfo status the CSMS answers (Invalid, Unknown,
Blocked, Expired), with and without a cable lock that keeps the EV from being plugged in before authorization
(AQ-2), and a different idToken that must not stop a running transaction.
"""

from __future__ import annotations

import contextlib

from conformance.harness import ChargingStationUnderTest, case
from conformance.harness.reusable_states import station as states
from conformance.outcomes import NotApplicable
from conformance.protocol.errors import PeerClosed, PeerTimeout
from conformance.protocol.variables import TX_START_POINT

from ._steps import (SIDE_TRIGGERS, answering_tokens, charging_shown, configured_connector, configured_token,
                     local_start_configuration, presented, transaction_events_during)


async def _refused_locally(station: ChargingStationUnderTest, case_id: str, role: str, status: str, *,
                           plugged: bool = True) -> None:
    """Part 6 TC_C_02/05/06/07/56_CS: the <Configured ``role``_idtoken> is presented, the harness answers the
    AuthorizeRequest with idTokenInfo.status ``status``; the station must not send a TransactionEventRequest after
    the AuthorizeRequest (the harness waits the message timeout) and must not offer energy.

    - configuration state: AuthCtrlr.AuthEnabled true (if implemented and ReadWrite), DisableRemoteAuthorization
      false (if implemented), restored;
    - Before (``plugged``): EVConnectedPreSession (after ParkingBayOccupied when TxStartPoint contains
      ParkingBayOccupancy);
    - step 1: an AuthorizeRequest with the presented idToken's value and type (C01.FR.02);
    - note: no TransactionEventRequest of the EVSE from the AuthorizeRequest to the message timeout after the
      AuthorizeResponse; periodic / clock-aligned meter values of a transaction the plug-in started (J02.FR.11,
      J01) are no reaction to the token and are accepted when they carry no idToken (Part 2 lets a station send
      them at any time);
    - C01.FR.01: no message shows energy flowing at the EVSE meanwhile."""
    token = configured_token(station, role, case_id)
    evse, connector = configured_connector(station)
    step1 = ("C01.FR.02", f"Part 6 {case_id} step 1")
    note = ("C01.FR.01", "C01.FR.02", f"Part 6 {case_id} note")
    async with local_start_configuration(station), states.transactions_ended_afterwards(station):
        if plugged:
            tx = await states.parking_bay_occupied(station, evse, connector)
            await states.ev_connected_pre_session_of(station, tx)
        else:
            tx = await states.followed_transaction(station, evse, connector)
        with answering_tokens(station, {token["idToken"]: {"status": status}}):
            conn = station.connection
            mark = await presented(station, token, evse)
            request = await conn.expect_call("Authorize", since=mark, requirements=step1)
            station.check.fields(f"AuthorizeRequest (Part 6 {case_id} step 1)", request.payload,
                                 {"idToken.idToken": token["idToken"], "idToken.type": token["type"]},
                                 requirements=step1)
            await request.answered.wait()
            station.note(f"step 2: AuthorizeResponse idTokenInfo.status {status}")
            events = await transaction_events_during(
                station, tx, conn.mailbox.index(request) + 1, station.message_timeout,
                reason=f"Part 6 {case_id}: the station must not send a TransactionEventRequest after the "
                       "AuthorizeRequest (<Configured message timeout>)")
        reactions = [e for e in events if e.payload.get("triggerReason") not in SIDE_TRIGGERS
                     or "idToken" in e.payload]
        for event in events:
            if event not in reactions:
                station.note(f"recorded TransactionEventRequest seqNo {event.payload.get('seqNo')} triggerReason "
                             f"{event.payload.get('triggerReason')} (meter values sent on the station's own, not a "
                             "reaction to the idToken)")
        station.check.that(f"the station does NOT send a TransactionEventRequest after the AuthorizeRequest answered "
                           f"{status} (Part 6 {case_id} note)", not reactions,
                           expected=f"no TransactionEventRequest of EVSE {evse} within {station.message_timeout:g}s",
                           actual=[f"seqNo {e.payload.get('seqNo')} eventType {e.payload.get('eventType')} "
                                   f"triggerReason {e.payload.get('triggerReason')} (message {e.message_id})"
                                   for e in reactions], requirements=note, soft=True)
        shown = charging_shown(station, conn, evse, mark)
        station.check.that(f"the station does not offer energy after idTokenInfo.status {status} (C01.FR.01)",
                           shown is None, expected=f"no sign of an energy transfer on EVSE {evse}",
                           actual=None if shown is None else f"{shown.action} {shown.payload}",
                           requirements=("C01.FR.01", f"Part 6 {case_id}"))


@case
async def test_tc_c_02_cs(station: ChargingStationUnderTest) -> None:
    """A locally presented idToken answered Invalid does not start a transaction (no cable lock, AQ-2 not).

    Part 6 steps / validations implemented: see :func:`_refused_locally` (the <Configured invalid_idtoken>,
    Invalid)."""
    await _refused_locally(station, "TC_C_02_CS", "invalid", "Invalid")


@case
async def test_tc_c_56_cs(station: ChargingStationUnderTest) -> None:
    """A locally presented idToken answered Unknown does not start a transaction.

    Part 6 steps / validations implemented: see :func:`_refused_locally` (the <Configured invalid_idtoken>,
    Unknown)."""
    await _refused_locally(station, "TC_C_56_CS", "invalid", "Unknown")


@case
async def test_tc_c_06_cs(station: ChargingStationUnderTest) -> None:
    """A locally presented idToken answered Blocked does not start a transaction.

    Part 6 steps / validations implemented: see :func:`_refused_locally` (the <Configured blocked_idtoken>,
    Blocked; the Part 6 note's "step 7" read as step 1, the only AuthorizeRequest of the case)."""
    await _refused_locally(station, "TC_C_06_CS", "blocked", "Blocked")


@case
async def test_tc_c_07_cs(station: ChargingStationUnderTest) -> None:
    """A locally presented idToken answered Expired does not start a transaction.

    Part 6 steps / validations implemented: see :func:`_refused_locally` (the <Configured expired_idtoken>,
    Expired; the Part 6 note's "step 7" read as step 1, the only AuthorizeRequest of the case)."""
    await _refused_locally(station, "TC_C_07_CS", "expired", "Expired")


@case
async def test_tc_c_05_cs(station: ChargingStationUnderTest) -> None:
    """With a cable lock that keeps the EV from being plugged in before authorization (AQ-2), an idToken answered
    Invalid does not start a transaction.

    Part 6 steps / validations implemented: prerequisite "not (TxStartPoint ReadOnly and without Authorized)":
    TxStartPoint is set to Authorized when it lacks it (if ReadWrite, restored), NOT APPLICABLE when it stays
    without; no reusable state (nothing is plugged in); then as :func:`_refused_locally` (the <Configured
    invalid_idtoken>, Invalid)."""
    points = await states.tx_start_points(station)
    async with contextlib.AsyncExitStack() as stack:
        if "Authorized" not in points:
            value = await stack.enter_async_context(states.settable(station, TX_START_POINT, "Authorized"))
            if value is None or "Authorized" not in value.split(","):
                raise NotApplicable("Part 6 prerequisite of TC_C_05_CS not met: TxStartPoint is ReadOnly and does not "
                                    f"contain Authorized (it is {','.join(points) or 'unreadable'})")
        await _refused_locally(station, "TC_C_05_CS", "invalid", "Invalid", plugged=False)


@case
async def test_tc_c_04_cs(station: ChargingStationUnderTest) -> None:
    """A different idToken (accepted by the CSMS, no common GroupId) presented during a transaction does not stop it.

    Part 6 steps / validations implemented:
    - configuration state: AuthCtrlr.AuthEnabled true (if implemented and ReadWrite), DisableRemoteAuthorization
      false (if implemented), restored;
    - memory state: the different idToken is one the harness invents for the run (type of the configured valid
      idToken), so it is in neither the Authorization Cache nor the Local Authorization List, and the harness
      answers it without groupIdToken;
    - Before, EnergyTransferStarted with the configured valid idToken (after ParkingBayOccupied when TxStartPoint
      contains ParkingBayOccupancy);
    - steps 1-2: an AuthorizeRequest for the different idToken is answered Accepted; Part 6 lists no tool
      validation for it and C01.FR.23 lets a station refuse the second idToken without asking, so its absence is
      noted, not judged;
    - note: from the presentation to the message timeout after it (after the AuthorizeResponse when one was sent)
      no TransactionEventRequest of the EVSE carries an idToken (C01.FR.03);
    - post scenario: no TransactionEventRequest eventType Ended (C01.FR.03)."""
    evse, connector = configured_connector(station)
    valid = station.config.id_tokens.valid
    different = {"idToken": station.ctx.ids.text("idToken", prefix="C04-"), "type": valid.type}
    async with local_start_configuration(station), states.transactions_ended_afterwards(station):
        tx = await states.parking_bay_occupied(station, evse, connector)
        tx = await states.energy_transfer_started(station, evse, connector, tx=tx)
        with answering_tokens(station, {different["idToken"]: {"status": "Accepted"}}) as asked:
            conn = station.connection
            mark = await presented(station, different, evse)
            with contextlib.suppress(PeerTimeout, PeerClosed):  # steps 1-2 are not judged (see above)
                request = await conn.expect_call("Authorize", since=mark, idToken={"idToken": different["idToken"]})
                await request.answered.wait()
            events = await transaction_events_during(
                station, tx, mark, station.message_timeout,
                reason="Part 6 TC_C_04_CS: the station must not stop the transaction for a different idToken "
                       "(<Configured message timeout>)")
        ours = [a for a in asked if a.payload.get("idToken", {}).get("idToken") == different["idToken"]]
        station.note("steps 1-2: AuthorizeRequest for the different idToken answered Accepted" if ours else
                     "steps 1-2: the station sent no AuthorizeRequest for the different idToken (C01.FR.23: it may "
                     "refuse a second idToken during a transaction)")
        with_token = [e for e in events if "idToken" in e.payload]
        station.check.that("no TransactionEventRequest with an idToken after a different idToken was presented (Part 6 "
                           "TC_C_04_CS note)", not with_token, expected="none",
                           actual=[f"seqNo {e.payload.get('seqNo')} triggerReason {e.payload.get('triggerReason')} "
                                   f"idToken {e.payload.get('idToken')} (message {e.message_id})" for e in with_token],
                           requirements=("C01.FR.03", "Part 6 TC_C_04_CS note"), soft=True)
        ended = [e for e in events if e.payload.get("eventType") == "Ended"]
        station.check.that("the Charging Station has not sent a TransactionEventRequest(Ended) (Part 6 TC_C_04_CS post "
                           "scenario validation)", not ended, expected="no eventType Ended",
                           actual=[f"seqNo {e.payload.get('seqNo')} triggerReason {e.payload.get('triggerReason')} "
                                   f"stoppedReason {e.payload.get('transactionInfo', {}).get('stoppedReason')}"
                                   for e in ended], requirements=("C01.FR.03", "Part 6 TC_C_04_CS post scenario"))
