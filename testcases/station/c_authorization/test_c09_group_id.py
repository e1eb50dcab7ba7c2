"""Block C Authorization, the SUT is a Charging Station (the harness is its CSMS).

C09 Authorization by GroupId (cauth; TC_C_40/41/43/44_CS: coffline): another valid idToken with the same groupIdToken stops a transaction (C09.FR.03), one
whose status is not Accepted does not (C09.FR.11), and an idToken of the MasterPassGroupId never starts one
(C16.FR.03). The cases whose memory state is the Local Authorization List or the Authorization Cache (TC_C_40/41/43/
44_CS) build on those areas.
"""

from __future__ import annotations

import contextlib
from typing import Any, AsyncIterator

from conformance.harness import ABSENT, ChargingStationUnderTest, OneOf, case
from conformance.harness.reusable_states import station as states
from conformance.outcomes import NotApplicable
from conformance.protocol.variables import (AUTH_CACHE_DISABLE_POST_AUTHORIZE, AUTH_CACHE_ENABLED,
                                            LOCAL_AUTH_LIST_ENABLED, LOCAL_PRE_AUTHORIZE, TX_START_POINT)

from ._steps import (SIDE_TRIGGERS, answering_tokens, charging_shown, configured_connector, configured_token,
                     master_pass_configured, presented, transaction_events_during)


def configured_group(station: ChargingStationUnderTest, case_id: str) -> tuple[dict[str, str], dict[str, str], str]:
    """<Configured valid_idtoken> with <Configured GroupId> (``[id_tokens.valid].group_id_token``) and the other
    valid idToken of that group (``[id_tokens.group]``): (valid, other, groupIdToken). A configuration without
    them makes the case NOT APPLICABLE with what to add (docs/configuration.md, [id_tokens])."""
    valid = station.config.id_tokens.valid
    other = configured_token(station, "group", case_id)
    if not valid.group_id_token or station.config.id_tokens.group.group_id_token != valid.group_id_token:
        raise NotApplicable(f"{case_id} needs <Configured GroupId>: give [id_tokens.valid] and [id_tokens.group] the "
                           "same group_id_token")
    return valid.to_ocpp(), other, valid.group_id_token


def group_info(group: str, status: str = "Accepted") -> dict[str, Any]:
    """idTokenInfo with ``status`` and groupIdToken <Configured groupIdToken> (Part 6 C09 steps 2, 4, 7, 9)."""
    return {"status": status, "groupIdToken": {"idToken": group, "type": "Central"}}


@contextlib.asynccontextmanager
async def group_transaction(station: ChargingStationUnderTest, case_id: str, answers: dict[str, Any],
                            ) -> AsyncIterator[states.Transaction]:
    """Steps 1-5 of TC_C_39/42_CS inside the restore of the transactions: Before, EVConnectedPreSession (after
    ParkingBayOccupied when TxStartPoint contains ParkingBayOccupancy); the valid idToken is presented and
    answered (AuthorizeResponse and TransactionEventResponse) with ``answers``: step 1 AuthorizeRequest and, when
    TxStartPoint contains Authorized or the transaction started, step 3 TransactionEventRequest triggerReason
    Authorized with the idToken (reusable state Authorized), eventType Updated when the transaction had started;
    step 5 EnergyTransferStarted."""
    evse, connector = configured_connector(station)
    async with states.transactions_ended_afterwards(station):
        with answering_tokens(station, answers):
            tx = await states.parking_bay_occupied(station, evse, connector)
            await states.ev_connected_pre_session_of(station, tx)
            was_started = tx.started
            count = len(tx.events)
            await states.authorized(station, evse, connector, tx=tx)
            if was_started and len(tx.events) > count:
                station.check.fields(f"TransactionEventRequest after the authorization of a started transaction "
                                     f"(Part 6 {case_id} step 3)", tx.events[count].payload, {"eventType": "Updated"},
                                     requirements=("E01.FR.10", f"Part 6 {case_id} step 3"))
            await states.energy_transfer_started(station, evse, connector, tx=tx)
            yield tx


@case
async def test_tc_c_39_cs(station: ChargingStationUnderTest) -> None:
    """Another valid idToken of the same GroupId stops the transaction.

    Part 6 steps / validations implemented:
    - steps 1-5: see :func:`group_transaction` (both idTokens answered Accepted with <Configured groupIdToken>);
    - manual action: the other valid idToken of the group (``[id_tokens.group]``) is presented;
    - step 6: an AuthorizeRequest for it (C09.FR.05: SHALL when the token is in neither the Authorization Cache nor
      the Local Authorization List; with either enabled the station may know it, then its absence is noted);
      Part 6 names the <Configured valid_idtoken> there, the token presented is the group's other one: that is
      what is checked;
    - step 8: TransactionEventRequest triggerReason StopAuthorized (C09.FR.03, E07.FR.02) with an idToken: the
      presented one (E07.FR.02) or, as Part 6's validation names it, the <Configured valid_idtoken>;
    - steps 10-12: EVConnectedPostSession, EVDisconnected, ParkingBayUnoccupied."""
    valid, other, group = configured_group(station, "TC_C_39_CS")
    answers = {valid["idToken"]: group_info(group), other["idToken"]: group_info(group)}
    async with group_transaction(station, "TC_C_39_CS", answers) as tx:
        with answering_tokens(station, answers):
            conn = station.connection
            tx.instruction(conn)
            mark = await presented(station, other, tx.evse)
            tx.stop_authorized = True
            event = await states.transaction_step_event(
                station, tx, "a TransactionEventRequest follows the stop by the other idToken of the group",
                triggers=("StopAuthorized",), requirements=("C09.FR.03", "E07.FR.02", "Part 6 TC_C_39_CS step 8"))
            until = next((i for i, c in enumerate(conn.mailbox) if c is event), len(conn.mailbox))
            asked = [c for c in conn.mailbox[mark:until] if c.action == "Authorize"]
            if asked:
                station.check.fields("AuthorizeRequest (Part 6 TC_C_39_CS step 6)", asked[0].payload,
                                     {"idToken.idToken": other["idToken"], "idToken.type": other["type"]},
                                     requirements=("C09.FR.05", "Part 6 TC_C_39_CS step 6"))
            else:
                local = [await station.read_variable(v) for v in (AUTH_CACHE_ENABLED, LOCAL_AUTH_LIST_ENABLED)]
                known = any((v or "").lower() == "true" for v in local)
                station.check.that("an AuthorizeRequest for the other idToken of the group (Part 6 TC_C_39_CS step 6)",
                                   known, expected="an AuthorizeRequest (C09.FR.05: the token is in neither the "
                                                   "Authorization Cache nor the Local Authorization List)",
                                   actual="none before the StopAuthorized event",
                                   requirements=("C09.FR.05", "Part 6 TC_C_39_CS step 6"), soft=True)
                if known:
                    station.note("step 6: no AuthorizeRequest; the Authorization Cache or Local Authorization List is "
                                 "enabled and may hold the idToken (C09.FR.04)")
            station.check.fields("TransactionEventRequest after the stop by the other idToken of the group (Part 6 "
                                 "TC_C_39_CS step 8)", event.payload, {
                                     "triggerReason": "StopAuthorized",
                                     "idToken": OneOf(other, valid)},
                                 requirements=("C09.FR.03", "E07.FR.02", "Part 6 TC_C_39_CS step 8"))
            if tx.ended:
                station.check.fields("TransactionEventRequest eventType Ended after a local stop", event.payload,
                                     {"transactionInfo.stoppedReason": OneOf("Local", ABSENT)},
                                     requirements=("E07.FR.04", "E07.FR.05"))
            await states.ev_connected_post_session(station, tx)
            await states.ev_disconnected(station, tx)
            await states.parking_bay_unoccupied(station, tx)


@case
async def test_tc_c_42_cs(station: ChargingStationUnderTest) -> None:
    """An idToken of the same GroupId whose status is Invalid does not stop the transaction.

    Part 6 steps / validations implemented:
    - steps 1-5: see :func:`group_transaction` (the valid idToken answered Accepted with <Configured groupIdToken>);
    - manual action: the <Configured invalid_idtoken> is presented ("invalid idToken with <Configured GroupId>");
    - steps 6-7: an AuthorizeRequest with its value and type (C01.FR.02; Part 6 names the <Configured
      valid_idtoken> there, the token presented is the invalid one: that is what is checked), answered Invalid with
      <Configured groupIdToken>;
    - note: no TransactionEventRequest of the EVSE within the message timeout after the AuthorizeResponse (periodic /
      clock-aligned meter values without idToken accepted, J02.FR.11 / J01);
    - post scenario: the energy transfer is not stopped (C09.FR.11): no event ends the transaction or reports a
      chargingState other than Charging."""
    valid, _, group = configured_group(station, "TC_C_42_CS")
    invalid = configured_token(station, "invalid", "TC_C_42_CS")
    answers = {valid["idToken"]: group_info(group), invalid["idToken"]: group_info(group, "Invalid")}
    async with group_transaction(station, "TC_C_42_CS", answers) as tx:
        with answering_tokens(station, answers):
            conn = station.connection
            mark = await presented(station, invalid, tx.evse)
            requirements = ("C01.FR.02", "Part 6 TC_C_42_CS step 6")
            request = await conn.expect_call("Authorize", since=mark, requirements=requirements)
            station.check.fields("AuthorizeRequest (Part 6 TC_C_42_CS step 6)", request.payload,
                                 {"idToken.idToken": invalid["idToken"], "idToken.type": invalid["type"]},
                                 requirements=requirements)
            await request.answered.wait()
            events = await transaction_events_during(
                station, tx, mark, station.message_timeout,
                reason="Part 6 TC_C_42_CS: the station must not send a TransactionEventRequest for an idToken of the "
                       "group that is not Accepted")
        reactions = [e for e in events if e.payload.get("triggerReason") not in SIDE_TRIGGERS or "idToken" in e.payload]
        station.check.that("the station does not send a TransactionEventRequest after the idToken of the group was "
                           "answered Invalid (Part 6 TC_C_42_CS note)", not reactions, expected="none",
                           actual=[f"seqNo {e.payload.get('seqNo')} eventType {e.payload.get('eventType')} "
                                   f"triggerReason {e.payload.get('triggerReason')}" for e in reactions],
                           requirements=("C09.FR.11", "Part 6 TC_C_42_CS note"), soft=True)
        stopped = [e for e in events if e.payload.get("eventType") == "Ended"
                   or e.payload.get("transactionInfo", {}).get("chargingState") not in (None, "Charging")]
        station.check.that("the energy transfer is not stopped (Part 6 TC_C_42_CS post scenario)", not stopped,
                           expected="the transaction goes on charging",
                           actual=[f"seqNo {e.payload.get('seqNo')} eventType {e.payload.get('eventType')} "
                                   f"chargingState {e.payload.get('transactionInfo', {}).get('chargingState')}"
                                   for e in stopped], requirements=("C09.FR.11", "Part 6 TC_C_42_CS post scenario"))


MASTER_PASS_START_POINTS = ("Authorized", "PowerPathClosed")
NOT_BEFORE_AUTHORIZATION = ("ParkingBayOccupancy", "EVConnected")


@case
async def test_tc_c_45_cs(station: ChargingStationUnderTest) -> None:
    """An idToken of the MasterPassGroupId does not start a transaction, neither at the presentation nor when the EV
    is plugged in afterwards.

    Part 6 steps / validations implemented:
    - configuration state: TxCtrlr.TxStartPoint contains Authorized or PowerPathClosed and neither
      ParkingBayOccupancy nor EVConnected (set to PowerPathClosed if ReadWrite, restored; NOT APPLICABLE when it
      cannot be reached); AuthCtrlr.MasterPassGroupId = <Configured masterPassGroupId> (restored);
    - steps 1-2: AuthorizeRequest with the Master Pass idToken (the token the manual action presents; Part 6's
      validation names the <Configured valid_idtoken>), answered Accepted with the MasterPassGroupId;
    - note: no TransactionEventRequest for the EVSE (C16.FR.03, C12.FR.09);
    - step 3: EVConnectedPreSession (no transaction event expected with these start points);
    - step 4: within the message timeout after the plug-in no TransactionEventRequest with chargingState Charging
      and triggerReason ChargingStateChanged, nor any other sign of energy flowing (C16.FR.03, C01.FR.01)."""
    evse, connector = configured_connector(station)
    points = await states.tx_start_points(station)
    async with contextlib.AsyncExitStack() as stack:
        if not (set(points) & set(MASTER_PASS_START_POINTS)) or set(points) & set(NOT_BEFORE_AUTHORIZATION):
            value = await stack.enter_async_context(states.settable(station, TX_START_POINT, "PowerPathClosed"))
            now = (value or "").split(",")
            if not (set(now) & set(MASTER_PASS_START_POINTS)) or set(now) & set(NOT_BEFORE_AUTHORIZATION):
                raise NotApplicable("TC_C_45_CS configuration state not reachable: TxStartPoint should contain "
                                    "Authorized or PowerPathClosed and not ParkingBayOccupancy or EVConnected (it is "
                                    f"{value or 'unreadable'})")
        token = await stack.enter_async_context(master_pass_configured(station, "TC_C_45_CS"))
        await stack.enter_async_context(states.transactions_ended_afterwards(station))
        tx = await states.followed_transaction(station, evse, connector)
        conn = station.connection
        mark = await presented(station, token, evse)
        requirements = ("C01.FR.02", "Part 6 TC_C_45_CS step 1")
        request = await conn.expect_call("Authorize", since=mark, requirements=requirements)
        station.check.fields("AuthorizeRequest (Part 6 TC_C_45_CS step 1)", request.payload,
                             {"idToken.idToken": token["idToken"], "idToken.type": token["type"]},
                             requirements=requirements)
        await request.answered.wait()
        await states.ev_connected_pre_session_of(station, tx)
        plugged = conn.mark()
        events = await transaction_events_during(
            station, tx, mark, station.message_timeout,
            reason="Part 6 TC_C_45_CS step 4: the station must not start charging for the Master Pass")
        carried = [e for e in events if e.payload.get("idToken", {}).get("idToken") == token["idToken"]]
        station.check.that("the station does not authorize a transaction with the Master Pass idToken (Part 6 "
                           "TC_C_45_CS note)", not carried, expected="no TransactionEventRequest with the Master Pass "
                           "idToken", actual=[f"seqNo {e.payload.get('seqNo')} eventType {e.payload.get('eventType')} "
                                              f"triggerReason {e.payload.get('triggerReason')}" for e in carried],
                           requirements=("C16.FR.03", "C12.FR.09", "Part 6 TC_C_45_CS note"), soft=True)
        charging = [e for e in events if e.payload.get("triggerReason") == "ChargingStateChanged"
                    and e.payload.get("transactionInfo", {}).get("chargingState") == "Charging"]
        shown = charging[0] if charging else charging_shown(station, conn, evse, plugged)
        station.check.that("the station does NOT send a TransactionEventRequest with chargingState Charging and "
                           "triggerReason ChargingStateChanged (Part 6 TC_C_45_CS step 4)", shown is None,
                           expected=f"no sign of an energy transfer on EVSE {evse}",
                           actual=None if shown is None else f"{shown.action} {shown.payload}",
                           requirements=("C16.FR.03", "C01.FR.01", "Part 6 TC_C_45_CS step 4"))


# ------------------------------------------------------------------ coffline: GroupId with the Local Authorization List
@contextlib.asynccontextmanager
async def group_in_local_list(station: ChargingStationUnderTest, entries: list[tuple[dict[str, str], str]],
                              group: str) -> AsyncIterator[None]:
    """Configuration state of TC_C_40/43_CS: LocalAuthListCtrlr.Enabled and AuthCtrlr.LocalPreAuthorize true (if
    implemented), restored; memory state: the Local Authorization List holds ``entries`` (idToken, status), each with
    groupIdToken <Configured groupIdToken> (Full update; emptied afterwards)."""
    async with states.local_list_enabled(station), states.settable(station, LOCAL_PRE_AUTHORIZE, "true"):
        await states.id_token_local_auth_list(station, [
            {"idToken": dict(token), "idTokenInfo": group_info(group, status)} for token, status in entries])
        yield


def _stop_checked(station: ChargingStationUnderTest, tx: states.Transaction, event: Any, valid: dict[str, str],
                  other: dict[str, str], case_id: str, step: int) -> None:
    requirements = ("C09.FR.03", "E07.FR.02", f"Part 6 {case_id} step {step}")
    station.check.fields(f"TransactionEventRequest after the stop (Part 6 {case_id} step {step})", event.payload, {
        "triggerReason": "StopAuthorized", "idToken": OneOf(other, valid),
        "eventType": OneOf("Updated", "Ended") if tx.ended else "Updated"}, requirements=requirements)


async def _stopped_by_other_of_group(station: ChargingStationUnderTest, tx: states.Transaction,
                                     answers: dict[str, Any], valid: dict[str, str], other: dict[str, str],
                                     case_id: str) -> None:
    """Steps 4-7 of TC_C_40/41_CS: the other idToken of the group is presented (manual action), the
    TransactionEventRequest StopAuthorized follows (C09.FR.03, C09.FR.07), then EVConnectedPostSession,
    EVDisconnected, ParkingBayUnoccupied."""
    with answering_tokens(station, answers):
        tx.instruction(station.connection)
        await presented(station, other, tx.evse)
        tx.stop_authorized = True
        event = await states.transaction_step_event(
            station, tx, "a TransactionEventRequest follows the stop by the other idToken of the group",
            triggers=("StopAuthorized",), requirements=("C09.FR.03", "C09.FR.07", f"Part 6 {case_id} step 4"))
        _stop_checked(station, tx, event, valid, other, case_id, 4)
        await states.ev_connected_post_session(station, tx)
        await states.ev_disconnected(station, tx)
        await states.parking_bay_unoccupied(station, tx)


@case
async def test_tc_c_40_cs(station: ChargingStationUnderTest) -> None:
    """Another idToken of the same GroupId in the Local Authorization List stops the transaction.

    Part 6 steps / validations implemented:
    - configuration state: LocalAuthListEnabled, LocalPreAuthorize true (if implemented), restored;
    - memory state: the valid idToken and the group's other idToken (``[id_tokens.group]``) listed Accepted with
      <Configured groupIdToken>;
    - steps 1-3: see :func:`group_transaction` (EVConnectedPreSession, the valid idToken presented: the
      TransactionEventRequest triggerReason Authorized with it, Updated when the transaction had started, answered
      Accepted with the groupIdToken; EnergyTransferStarted);
    - manual action: the other idToken of the group presented;
    - step 4: TransactionEventRequest triggerReason StopAuthorized (C09.FR.03: same groupIdToken, known from the
      list, C09.FR.07) with an idToken: the presented one (E07.FR.02) or the <Configured valid_idtoken> Part 6
      names; eventType Updated (Ended accepted when TxStopPoint ends the transaction at once);
    - steps 5-7: EVConnectedPostSession, EVDisconnected, ParkingBayUnoccupied."""
    valid, other, group = configured_group(station, "TC_C_40_CS")
    answers = {valid["idToken"]: group_info(group), other["idToken"]: group_info(group)}
    async with group_in_local_list(station, [(valid, "Accepted"), (other, "Accepted")], group), \
            group_transaction(station, "TC_C_40_CS", answers) as tx:
        await _stopped_by_other_of_group(station, tx, answers, valid, other, "TC_C_40_CS")


@case
async def test_tc_c_43_cs(station: ChargingStationUnderTest) -> None:
    """An idToken of the same GroupId listed Invalid in the Local Authorization List does not stop the transaction;
    the valid idToken does.

    Part 6 steps / validations implemented:
    - configuration state: LocalAuthListEnabled, LocalPreAuthorize true (if implemented), restored;
    - memory state: the valid idToken listed Accepted and the <Configured invalid_idtoken> listed Invalid, both with
      <Configured groupIdToken>;
    - steps 1-3: see :func:`group_transaction`;
    - manual action: the invalid idToken presented; steps 4-5: an AuthorizeRequest with its value and type (C14.FR.03:
      a listed idToken not Accepted is checked with the CSMS; Part 6 names the valid idToken there, the presented one
      is what is checked), answered Invalid with the groupIdToken;
    - note: no TransactionEventRequest of the EVSE within the message timeout (periodic meter values without idToken
      accepted); the transaction is not stopped (C09.FR.11);
    - step 6: the valid idToken presented (reusable state StopAuthorized): triggerReason StopAuthorized with it,
      eventType Updated; then EVConnectedPostSession, EVDisconnected, ParkingBayUnoccupied."""
    valid, _, group = configured_group(station, "TC_C_43_CS")
    invalid = configured_token(station, "invalid", "TC_C_43_CS")
    answers = {valid["idToken"]: group_info(group), invalid["idToken"]: group_info(group, "Invalid")}
    async with group_in_local_list(station, [(valid, "Accepted"), (invalid, "Invalid")], group), \
            group_transaction(station, "TC_C_43_CS", answers) as tx:
        with answering_tokens(station, answers):
            conn = station.connection
            mark = await presented(station, invalid, tx.evse)
            requirements = ("C14.FR.03", "Part 6 TC_C_43_CS step 4")
            request = await conn.expect_call("Authorize", since=mark, requirements=requirements)
            station.check.fields("AuthorizeRequest (Part 6 TC_C_43_CS step 4)", request.payload,
                                 {"idToken.idToken": invalid["idToken"], "idToken.type": invalid["type"]},
                                 requirements=requirements)
            await request.answered.wait()
            events = await transaction_events_during(
                station, tx, mark, station.message_timeout,
                reason="Part 6 TC_C_43_CS: the station must not send a TransactionEventRequest for an idToken of the "
                       "group that is not Accepted")
            stopped = [e for e in events if e.payload.get("triggerReason") not in SIDE_TRIGGERS
                       or "idToken" in e.payload or e.payload.get("eventType") == "Ended"]
            station.check.that("the idToken of the group listed and answered Invalid does not stop the transaction "
                               "(Part 6 TC_C_43_CS note)", not stopped, expected="no TransactionEventRequest",
                               actual=[f"seqNo {e.payload.get('seqNo')} eventType {e.payload.get('eventType')} "
                                       f"triggerReason {e.payload.get('triggerReason')}" for e in stopped],
                               requirements=("C09.FR.11", "Part 6 TC_C_43_CS note"))
            if tx.ended:
                return
            event = await states.stop_authorized(station, tx)
            _stop_checked(station, tx, event, valid, valid, "TC_C_43_CS", 6)
            await states.ev_connected_post_session(station, tx)
            await states.ev_disconnected(station, tx)
            await states.parking_bay_unoccupied(station, tx)


# ------------------------------------------------------------------ coffline: GroupId with the Authorization Cache
@contextlib.asynccontextmanager
async def group_in_cache(station: ChargingStationUnderTest, tokens: list[tuple[Any, str]], group: str, *,
                         post_authorize_off: bool = False) -> AsyncIterator[None]:
    """Configuration state of TC_C_41/44_CS (errata 2025-09 §6.2.29/30): AuthCacheCtrlr.Enabled and AuthCtrlr.
    LocalPreAuthorize true (if implemented), with ``post_authorize_off`` AuthCacheCtrlr.DisablePostAuthorize false
    (if implemented), restored; memory state IdTokenCached for each (``[id_tokens]`` entry, status) with groupIdToken
    <Configured groupIdToken> (the harness's answers carry it); the cache is cleared afterwards."""
    evse, connector = configured_connector(station)
    async with contextlib.AsyncExitStack() as stack:
        await stack.enter_async_context(states.cache_cleared_afterwards(station))
        await stack.enter_async_context(states.settable(station, AUTH_CACHE_ENABLED, "true"))
        await stack.enter_async_context(states.settable(station, LOCAL_PRE_AUTHORIZE, "true"))
        if post_authorize_off:
            await stack.enter_async_context(states.settable(station, AUTH_CACHE_DISABLE_POST_AUTHORIZE, "false"))
        with answering_tokens(station, {spec.id_token: group_info(group, status) for spec, status in tokens}):
            for spec, status in tokens:
                await states.id_token_cached(station, evse, connector, token=spec, status=status,
                                             token_info=group_info(group, status))
                if status == "Accepted":
                    # the memory state (an AuthorizeRequest answered Accepted, no EV: with token_info given even the
                    # valid idToken takes that path) left the EVSE authorized for that idToken: presenting it again
                    # withdraws that authorization before the case's transaction (else the plug-in of step 1 starts
                    # it with the left-over authorization and the valid idToken presented then stops it)
                    await station.actions.do("present_id_token", id_token=spec.id_token, type=spec.type, evse=evse)
                    station.note(f"the authorization IdTokenCached left for {spec.id_token} is withdrawn (presented "
                                 f"again before an EV was connected)")
        yield


@case
async def test_tc_c_41_cs(station: ChargingStationUnderTest) -> None:
    """Another idToken of the same GroupId in the Authorization Cache stops the transaction.

    Part 6 steps / validations implemented:
    - configuration state: AuthCacheCtrlr.Enabled, LocalPreAuthorize true (if implemented), restored;
    - memory state IdTokenCached for the valid idToken and the group's other idToken (``[id_tokens.group]``), both
      Accepted with <Configured groupIdToken>; the cache cleared afterwards;
    - steps 1-3: see :func:`group_transaction`;
    - manual action: the other idToken of the group presented;
    - step 4: TransactionEventRequest triggerReason StopAuthorized (C09.FR.03, C09.FR.07: the group known from the
      cache) with the presented idToken or the <Configured valid_idtoken> Part 6 names; eventType Updated (Ended
      accepted when TxStopPoint ends the transaction at once);
    - steps 5-7: EVConnectedPostSession, EVDisconnected, ParkingBayUnoccupied."""
    valid, other, group = configured_group(station, "TC_C_41_CS")
    answers = {valid["idToken"]: group_info(group), other["idToken"]: group_info(group)}
    tokens = station.config.id_tokens
    async with group_in_cache(station, [(tokens.valid, "Accepted"), (tokens.group, "Accepted")], group), \
            group_transaction(station, "TC_C_41_CS", answers) as tx:
        await _stopped_by_other_of_group(station, tx, answers, valid, other, "TC_C_41_CS")


@case
async def test_tc_c_44_cs(station: ChargingStationUnderTest) -> None:
    """An idToken of the same GroupId cached Invalid is checked with the CSMS and does not stop the transaction.

    Part 6 steps / validations implemented:
    - configuration state: AuthCacheCtrlr.Enabled, LocalPreAuthorize true, AuthCacheCtrlr.DisablePostAuthorize false
      (each if implemented), restored;
    - memory state IdTokenCached for the valid idToken (Accepted) and the <Configured invalid_idtoken> (Invalid), both
      with <Configured groupIdToken>; the cache cleared afterwards;
    - steps 1-3: see :func:`group_transaction`;
    - manual action: the invalid idToken presented; step 4: an AuthorizeRequest with its value and type (C10.FR.03,
      C12.FR.05: a cached idToken not Accepted is checked with the CSMS), answered Invalid with the groupIdToken;
    - note: no TransactionEventRequest of the EVSE within the message timeout (periodic meter values without idToken
      accepted); the transaction is not stopped (C09.FR.11)."""
    valid, _, group = configured_group(station, "TC_C_44_CS")
    invalid = configured_token(station, "invalid", "TC_C_44_CS")
    answers = {valid["idToken"]: group_info(group), invalid["idToken"]: group_info(group, "Invalid")}
    tokens = station.config.id_tokens
    async with group_in_cache(station, [(tokens.valid, "Accepted"), (tokens.invalid, "Invalid")], group,
                              post_authorize_off=True), \
            group_transaction(station, "TC_C_44_CS", answers) as tx:
        with answering_tokens(station, answers):
            conn = station.connection
            mark = await presented(station, invalid, tx.evse)
            requirements = ("C10.FR.03", "C12.FR.05", "Part 6 TC_C_44_CS step 4")
            request = await conn.expect_call("Authorize", since=mark, requirements=requirements)
            station.check.fields("AuthorizeRequest (Part 6 TC_C_44_CS step 4)", request.payload,
                                 {"idToken.idToken": invalid["idToken"], "idToken.type": invalid["type"]},
                                 requirements=requirements)
            await request.answered.wait()
            events = await transaction_events_during(
                station, tx, mark, station.message_timeout,
                reason="Part 6 TC_C_44_CS: the station must not send a TransactionEventRequest for an idToken of the "
                       "group that is not Accepted")
        stopped = [e for e in events if e.payload.get("triggerReason") not in SIDE_TRIGGERS
                   or "idToken" in e.payload or e.payload.get("eventType") == "Ended"]
        station.check.that("the idToken of the group cached and answered Invalid does not stop the transaction "
                           "(Part 6 TC_C_44_CS note)", not stopped, expected="no TransactionEventRequest",
                           actual=[f"seqNo {e.payload.get('seqNo')} eventType {e.payload.get('eventType')} "
                                   f"triggerReason {e.payload.get('triggerReason')}" for e in stopped],
                           requirements=("C09.FR.11", "Part 6 TC_C_44_CS note"))
