"""Block C Authorization, the SUT is a Charging Station (the harness is its CSMS).

Start a transaction with a cached idToken (C12): a token cached as Accepted, cached with another status (Invalid,
Blocked, Expired: checked again with the CSMS, C10.FR.03 / C12.FR.05, unless AuthCacheCtrlr.DisablePostAuthorize),
the cable plugged in after the authorization; offline, a token cached as Accepted that the CSMS finds Invalid once the
station is back (TC_C_16/17_CS: StopTxOnInvalidId true / false, E05).

Part 6 gives these cases' memory state "IdTokenCached" (errata 2025-09 §6.2.120, :func:`states.id_token_cached`); the
harness reaches it before the configuration state when the token is not Accepted (the station must ask the CSMS
for it then, so LocalPreAuthorize is false while it is presented), after it otherwise.
"""

from __future__ import annotations

import contextlib
import time
from typing import Any

from conformance.harness import ActionFailed
from conformance.harness import ChargingStationUnderTest, case
from conformance.harness.reusable_states import station as states
from conformance.outcomes import NotApplicable
from conformance.protocol.errors import PeerClosed, PeerTimeout
from conformance.protocol.patterns import ABSENT, OneOf, lookup, matches
from conformance.protocol.variables import LOCAL_AUTHORIZE_OFFLINE, STOP_TX_ON_INVALID_ID, component_variable

# The offline period as Part 6 makes it (closes the WebSocket connection, refuses reconnects, then accepts one): the
# shared reusable state (conformance/harness/reusable_states/station.py), as block E uses it.
from conformance.harness.reusable_states.station import configured_if_implemented, offline_configured
from conformance.harness.reusable_states.station import offline_period as offline

from ._cache_steps import (POST_AUTHORIZE, cache_available, cache_configuration, configured_connector,
                           configured_token, ensure, expect_authorize, present, no_authorize, authorize_found)

OFFLINE_TX_FOR_UNKNOWN_ID = component_variable("AuthCtrlr", "OfflineTxForUnknownIdEnabled")


async def _cached_accepted_then_energy(station: ChargingStationUnderTest, *, plug_first: bool, step: str) -> None:
    """TC_C_08_CS / TC_C_13_CS: the valid idToken cached as Accepted, LocalPreAuthorize true; the EV plugged in
    before (EVConnectedPreSession) or after the idToken is presented; the energy transfer starts."""
    await cache_available(station)
    evse, connector = configured_connector(station)
    token = station.config.id_tokens.valid
    async with cache_configuration(station) as settings, states.transactions_ended_afterwards(station):
        await states.id_token_cached(station, evse, connector)
        if plug_first:
            tx = await states.ev_connected_transaction(station, evse, connector)
        else:
            tx = await states.parking_bay_occupied(station, evse, connector)
        conn, mark = station.connection, station.connection.mark()
        tx = await states.authorized(station, evse, connector, tx=tx)
        if not plug_first:
            await states.ev_connected_pre_session_of(station, tx)
        await states.energy_transfer_started(station, evse, connector, tx=tx)
        no_authorize(station, settings, conn, mark, token, step=step)


@case
async def test_tc_c_08_cs(station: ChargingStationUnderTest) -> None:
    """Authorization through authorization cache - Accepted: a token cached as Accepted starts the energy transfer.

    Part 6 steps / validations implemented:
    - prerequisite: AuthCacheCtrlr.Available true (NOT APPLICABLE when false); configuration state
      AuthCacheCtrlr.Enabled true, AuthCtrlr.LocalPreAuthorize true (if implemented), restored;
    - memory state IdTokenCached for the valid idToken (errata 2025-09 §6.2.120);
    - Before, EVConnectedPreSession; step 1, Authorized (the AuthorizeRequest may be skipped: the token is cached);
      step 2, EnergyTransferStarted with its tool validations; post-scenario: the energy transfer started;
    - with LocalPreAuthorize true the token is authorized without an AuthorizeRequest (C12.FR.02, LocalPreAuthorize:
      "without waiting for or requesting" the CSMS's answer)."""
    await _cached_accepted_then_energy(station, plug_first=True, step="Part 6 TC_C_08_CS step 1")


async def _cached_not_accepted(station: ChargingStationUnderTest, name: str, status: str, step: str) -> None:
    """TC_C_09/10/11_CS: a token cached with ``status`` is presented while online: the station asks the CSMS
    (AuthorizeRequest with the token, C10.FR.03, C12.FR.05), answered with ``status`` again (the harness's answer for
    the configured token)."""
    await cache_available(station)
    evse, connector = configured_connector(station)
    token = configured_token(station, name)
    async with states.transactions_ended_afterwards(station):
        await states.id_token_cached(station, evse, connector, token=token, status=status)
        async with cache_configuration(station, disable_post_authorize="false"):
            await states.ev_connected_transaction(station, evse, connector)
            with station.answering("Authorize", {"idTokenInfo": {"status": status}}):
                conn, mark = await present(station, token, evse)
                await expect_authorize(station, conn, mark, token, step=step, requirements=POST_AUTHORIZE)


@case
async def test_tc_c_09_cs(station: ChargingStationUnderTest) -> None:
    """Authorization through authorization cache - Invalid & Not Accepted: a token cached as Invalid is checked
    with the CSMS.

    Part 6 steps / validations implemented:
    - prerequisite: AuthCacheCtrlr.Available true; configuration state AuthCacheCtrlr.Enabled true,
      LocalPreAuthorize true, DisablePostAuthorize false (each if implemented), restored;
    - memory state IdTokenCached for the invalid idToken (answered Invalid, errata 2025-09 §6.2.120 step 2);
    - Before, EVConnectedPreSession; step 1: AuthorizeRequest with the invalid idToken and type (C10.FR.03,
      C12.FR.05); step 2 answered Invalid."""
    await _cached_not_accepted(station, "invalid", "Invalid", "Part 6 TC_C_09_CS step 1")


@case
async def test_tc_c_10_cs(station: ChargingStationUnderTest) -> None:
    """Authorization through authorization cache - Blocked: a token cached as Blocked is checked with the CSMS.

    Part 6 steps / validations implemented: as TC_C_09_CS with the blocked idToken (``[id_tokens.blocked]``;
    INCONCLUSIVE without it): memory state IdTokenCached answered Blocked; step 1 AuthorizeRequest with the blocked
    idToken and type (C10.FR.03, C12.FR.05); step 2 answered Blocked."""
    await _cached_not_accepted(station, "blocked", "Blocked", "Part 6 TC_C_10_CS step 1")


@case
async def test_tc_c_11_cs(station: ChargingStationUnderTest) -> None:
    """Authorization through authorization cache - Expired: a token cached as Expired is checked with the CSMS.

    Part 6 steps / validations implemented: as TC_C_09_CS with the expired idToken (``[id_tokens.expired]``;
    INCONCLUSIVE without it): memory state IdTokenCached answered Expired; step 1 AuthorizeRequest with the presented
    (expired) idToken and type (C10.FR.03, C12.FR.05: Part 6 prints <Configured valid_idtoken_idtoken> in the tool
    validation, but the scenario presents the expired one); step 2 answered Expired (Part 6 prints
    TransactionEventResponse: the answer to an AuthorizeRequest is an AuthorizeResponse)."""
    await _cached_not_accepted(station, "expired", "Expired", "Part 6 TC_C_11_CS step 1")


@case
async def test_tc_c_12_cs(station: ChargingStationUnderTest) -> None:
    """Authorization through authorization cache - Invalid & Accepted: a token cached as Invalid that the CSMS now
    accepts starts the energy transfer.

    Part 6 steps / validations implemented:
    - prerequisite: AuthCacheCtrlr.Available true; configuration state AuthCacheCtrlr.Enabled true,
      LocalPreAuthorize true, DisablePostAuthorize false (each if implemented), restored;
    - memory state IdTokenCached for the token with status Invalid: the valid idToken answered Invalid (Part 6 names
      <Configured valid_idtoken_idtoken> in step 1 and the purpose: cached Invalid, valid at the CSMS);
    - Before, EVConnectedPreSession; step 1: AuthorizeRequest with the valid idToken and type (C10.FR.03,
      C12.FR.05), step 2 answered Accepted; steps 3-4 (optional TransactionEventRequest) and step 5
      EnergyTransferStarted with their tool validations; post-scenario: the energy transfer started;
    - afterwards the cache is cleared (ClearCache, noted) so no later case meets the valid idToken cached Invalid."""
    await cache_available(station)
    evse, connector = configured_connector(station)
    token = station.config.id_tokens.valid
    async with states.cache_cleared_afterwards(station), states.transactions_ended_afterwards(station):
        await states.id_token_cached(station, evse, connector, status="Invalid")
        async with cache_configuration(station, disable_post_authorize="false"):
            tx = await states.ev_connected_transaction(station, evse, connector)
            conn, mark = station.connection, station.connection.mark()
            tx = await states.authorized(station, evse, connector, tx=tx)
            authorize_found(station, conn, mark, token, step="Part 6 TC_C_12_CS step 1", requirements=POST_AUTHORIZE)
            await states.energy_transfer_started(station, evse, connector, tx=tx)


@case
async def test_tc_c_13_cs(station: ChargingStationUnderTest) -> None:
    """Authorization through authorization cache - Accepted but cable not connected yet: the token cached as
    Accepted is presented first, the EV plugged in afterwards; the energy transfer starts.

    Part 6 steps / validations implemented:
    - prerequisite: AuthCacheCtrlr.Available true; configuration state AuthCacheCtrlr.Enabled true,
      LocalPreAuthorize true (if implemented), restored; memory state IdTokenCached for the valid idToken;
    - Before, ParkingBayOccupied (if applicable: TxStartPoint ParkingBayOccupancy);
    - step 1 (when TxStartPoint contains Authorized or the transaction started): TransactionEventRequest
      triggerReason Authorized with the valid idToken, eventType Started (Updated when the transaction had started);
      step 2 answered Accepted;
    - steps 3-4: EVConnectedPreSession, EnergyTransferStarted with their tool validations; post-scenario: the energy
      transfer started;
    - with LocalPreAuthorize true no AuthorizeRequest for the cached token (C12.FR.02, LocalPreAuthorize)."""
    await _cached_accepted_then_energy(station, plug_first=False, step="Part 6 TC_C_13_CS step 1")


@case
async def test_tc_c_57_cs(station: ChargingStationUnderTest) -> None:
    """Authorization through authorization cache - AuthCacheDisablePostAuthorize: a token cached as Invalid is
    refused without an AuthorizeRequest.

    Part 6 steps / validations implemented:
    - prerequisites: AuthCacheCtrlr.Available true, AuthCacheCtrlr.DisablePostAuthorize implemented (NOT APPLICABLE
      otherwise); configuration state AuthCacheCtrlr.Enabled true, LocalPreAuthorize true (if implemented),
      DisablePostAuthorize true; restored;
    - memory state IdTokenCached for the invalid idToken (answered Invalid);
    - Before, EVConnectedPreSession;
    - step 1: within the message timeout after the presentation no AuthorizeRequest for the token (DisablePostAuthorize,
      Part 2 §2.4.6, overrules C10.FR.03 / C12.FR.05) and the authorization is refused: no TransactionEventRequest
      carries the token."""
    await cache_available(station)
    evse, connector = configured_connector(station)
    token = station.config.id_tokens.invalid
    async with states.transactions_ended_afterwards(station):
        await states.id_token_cached(station, evse, connector, token=token, status="Invalid")
        async with cache_configuration(station, disable_post_authorize="true",
                                       post_authorize_required="AuthCacheCtrlr.DisablePostAuthorize is implemented"):
            await states.ev_connected_transaction(station, evse, connector)
            conn, mark = await present(station, token, evse)
            window = station.message_timeout
            station.protocol_wait(window, "Part 6 TC_C_57_CS step 1: the station must not send an AuthorizeRequest")
            deadline = time.monotonic() + window
            found = None
            with contextlib.suppress(PeerTimeout, PeerClosed):
                found = await conn.expect_one_of(
                    [("Authorize", {"idToken": {"idToken": token.id_token}}),
                     ("TransactionEvent", {"idToken": {"idToken": token.id_token}})],
                    since=mark, timeout=max(0.0, deadline - time.monotonic()))
            asked = found is not None and found.action == "Authorize"
            station.check.that("the station does not send an AuthorizeRequest for a token cached as Invalid with "
                               "DisablePostAuthorize true (Part 6 TC_C_57_CS step 1)", not asked,
                               expected=f"no AuthorizeRequest for {token.id_token} within {window:g}s",
                               actual=found.payload if asked else None,
                               requirements=("AuthCacheCtrlr.DisablePostAuthorize (Part 2 §2.4.6)",
                                             "Part 6 TC_C_57_CS step 1"), soft=True)
            started = found is not None and found.action == "TransactionEvent"
            station.check.that("the authorization of the token cached as Invalid is refused (Part 6 TC_C_57_CS "
                               "step 1)", not started, expected="no TransactionEventRequest carrying the token",
                               actual=found.payload if started else None,
                               requirements=("Part 6 TC_C_57_CS step 1", "C01.FR.05"), soft=True)


# --------------------------------------------------------------------------- offline with a cached token (C12 + E05)
MAX_ENERGY_ON_INVALID_ID = component_variable("TxCtrlr", "MaxEnergyOnInvalidId")
OFFLINE_WAIT = 5.0  # Part 6 TC_C_16/17_CS step 1: "The OCTT will wait for 5 seconds"


async def _offline_then_invalid(station: ChargingStationUnderTest, *, stop_tx_on_invalid_id: bool, case_id: str,
                                until: str, requirements: tuple[str, ...], max_energy: str = "0",
                                after: Any = None) -> list:
    """TC_C_16/17_CS: the valid idToken cached as Accepted is presented while the station is offline (EV plugged in);
    after the reconnection its queued TransactionEventRequests follow, the one carrying the idToken answered Invalid;
    the events of the transaction are collected up to the first whose triggerReason (or chargingState) is ``until``."""
    await cache_available(station)
    evse, connector = configured_connector(station)
    token = station.config.id_tokens.valid
    wait_minimum = station.config.station_values.retry_back_off_wait_minimum
    async with contextlib.AsyncExitStack() as stack:
        if max_energy != "0":  # TC_C_15/18_CS prerequisite: MaxEnergyOnInvalidId implemented (Part 5 C-03)
            await ensure(stack, station, MAX_ENERGY_ON_INVALID_ID, max_energy,
                         required="the Charging Station has MaxEnergyOnInvalidId implemented")
        await stack.enter_async_context(cache_configuration(station))
        await stack.enter_async_context(configured_if_implemented(station, LOCAL_AUTHORIZE_OFFLINE, "true"))
        await stack.enter_async_context(configured_if_implemented(station, OFFLINE_TX_FOR_UNKNOWN_ID, "true"))
        await stack.enter_async_context(station.configured(STOP_TX_ON_INVALID_ID,
                                                           "true" if stop_tx_on_invalid_id else "false"))
        if max_energy == "0":
            await stack.enter_async_context(configured_if_implemented(station, MAX_ENERGY_ON_INVALID_ID, "0"))
        await stack.enter_async_context(offline_configured(station, wait_minimum, wait_minimum + 60))
        await stack.enter_async_context(states.transactions_ended_afterwards(station))
        await states.id_token_cached(station, evse, connector)
        tx = await states.ev_connected_transaction(station, evse, connector)
        with states.answering_invalid(station, token.id_token):
            async with offline(station) as period:
                await station.actions.do("present_id_token", id_token=token.id_token, type=token.type, evse=evse)
                tx.authorized = True
                conn = await period.accept(not_before=OFFLINE_WAIT, back_off=8 * wait_minimum)
                tx.connection, tx.since, tx.mark = conn, 0, None
                events = []
                while True:
                    event = await states.transaction_step_event(
                        station, tx, f"the TransactionEventRequests after the reconnection reach {until} (Part 6 "
                                     f"{case_id})", triggers=(until, "ChargingStateChanged", "Authorized"),
                        requirements=requirements,
                        wanted=lambda e: True)
                    events.append(event)
                    info = event.payload.get("transactionInfo", {})
                    if event.payload.get("triggerReason") == until or info.get("chargingState") == until \
                            or event.payload.get("eventType") == "Ended":
                        if after is not None:
                            await after(conn, events)
                        return events


def _one_with(station: ChargingStationUnderTest, events: list, what: str, expected: dict, *, requirements: tuple,
              optional: bool = False) -> None:
    """Part 6 "A message with: ...": one of ``events`` matches ``expected`` (field path -> pattern)."""
    found = [e for e in events if all(matches(lookup(e.payload, p), v) for p, v in expected.items())]
    if optional and not any(e.payload.get("triggerReason") == expected.get("triggerReason") for e in events):
        station.note(f"{what}: no such message (optional in Part 6)")
        return
    station.check.that(what, bool(found), expected=expected,
                       actual=[{k: e.payload.get(k) for k in ("seqNo", "triggerReason", "offline", "idToken",
                                                            "transactionInfo")} for e in events],
                       requirements=requirements, soft=True)


@case
async def test_tc_c_16_cs(station: ChargingStationUnderTest) -> None:
    """Authorization through authorization cache - StopTxOnInvalidId = true: a token cached as Accepted starts a
    transaction offline; the CSMS says Invalid after the reconnection: the transaction is deauthorized.

    Part 6 steps / validations implemented (errata 2025-09 §6.2.25):
    - prerequisite: AuthCacheCtrlr.Available true; configuration state AuthCacheCtrlr.Enabled true, LocalPreAuthorize
      true, LocalAuthorizeOffline true (each if implemented), StopTxOnInvalidId true, MaxEnergyOnInvalidId 0 (if
      implemented), OfflineThreshold / RetryBackOffWaitMinimum / RetryBackOffRandomRange as in the offline cases;
      restored; memory state IdTokenCached for the valid idToken; Before, EVConnectedPreSession;
    - step 1: the harness closes the connection and refuses reconnects; the valid idToken is presented; the harness
      waits 5 s, then (step 2) accepts the reconnection;
    - steps 3-6: the queued TransactionEventRequests, the one with the idToken answered Invalid: (optional) one with
      triggerReason Authorized, the valid idToken and offline true; one with triggerReason ChargingStateChanged and
      offline true; one with triggerReason Deauthorized; post-scenario: the energy flow stops (the Deauthorized event
      reports chargingState EVConnected or SuspendedEVSE, or ends the transaction: E05.FR.09, E05.FR.10)."""
    token = station.config.id_tokens.valid
    events = await _offline_then_invalid(station, stop_tx_on_invalid_id=True, case_id="TC_C_16_CS",
                                         until="Deauthorized", requirements=("E05.FR.09", "E05.FR.10",
                                                                             "Part 6 TC_C_16_CS steps 3-5"))
    step = ("Part 6 TC_C_16_CS step 3",)
    _one_with(station, events, "a queued TransactionEventRequest reports the authorization offline (Part 6 TC_C_16_CS "
                               "step 3, optional)",
              {"triggerReason": "Authorized", "idToken.idToken": token.id_token, "idToken.type": token.type,
               "offline": True}, requirements=("E12.FR.02", "C12.FR.02") + step, optional=True)
    _one_with(station, events, "a queued TransactionEventRequest reports the charging state offline (Part 6 "
                               "TC_C_16_CS step 3)", {"triggerReason": "ChargingStateChanged", "offline": True},
              requirements=("E12.FR.02", "C12.FR.04") + step)
    _one_with(station, events, "a TransactionEventRequest reports the transaction deauthorized (Part 6 TC_C_16_CS "
                               "step 3 / step 5)", {"triggerReason": "Deauthorized"},
              requirements=("E05.FR.09", "E05.FR.10") + step)
    last = events[-1]
    if last.payload.get("triggerReason") == "Deauthorized" and last.payload.get("eventType") != "Ended":
        station.check.fields("the energy flow stops on idTokenInfo Invalid (Part 6 TC_C_16_CS post-scenario)",
                             last.payload, {"transactionInfo.chargingState": OneOf("EVConnected", "SuspendedEVSE")},
                             requirements=("E05.FR.09", "Part 6 TC_C_16_CS post-scenario validation"), soft=True)


@case
async def test_tc_c_17_cs(station: ChargingStationUnderTest) -> None:
    """Authorization through authorization cache - StopTxOnInvalidId = false: a token cached as Accepted starts a
    transaction offline; the CSMS says Invalid after the reconnection: the energy offer is suspended (SuspendedEVSE),
    the transaction goes on.

    Part 6 steps / validations implemented (errata 2025-09 §6.2.26):
    - prerequisite: AuthCacheCtrlr.Available true; configuration state as TC_C_16_CS with StopTxOnInvalidId false,
      OfflineTxForUnknownIdEnabled true (if implemented);
    - steps 1-2: offline, the valid idToken presented, reconnection accepted after 5 s;
    - step 2/3 validations: a queued TransactionEventRequest with triggerReason Authorized, the valid idToken and
      offline true; one with chargingState SuspendedEVSE (E05.FR.02); no Deauthorized event before it (StopTxOnInvalidId
      false: the transaction is not stopped, E05.FR.02); post-scenario: the energy flow stops."""
    token = station.config.id_tokens.valid
    events = await _offline_then_invalid(station, stop_tx_on_invalid_id=False, case_id="TC_C_17_CS",
                                         until="SuspendedEVSE", requirements=("E05.FR.02",
                                                                              "Part 6 TC_C_17_CS steps 2-5"))
    step = ("Part 6 TC_C_17_CS step 2",)
    _one_with(station, events, "a queued TransactionEventRequest reports the authorization offline (Part 6 TC_C_17_CS "
                               "step 2)",
              {"triggerReason": "Authorized", "idToken.idToken": token.id_token, "idToken.type": token.type,
               "offline": True}, requirements=("E12.FR.02", "C12.FR.02") + step)
    _one_with(station, events, "a TransactionEventRequest reports chargingState SuspendedEVSE: the energy flow stops "
                               "(Part 6 TC_C_17_CS step 2, post-scenario)",
              {"transactionInfo.chargingState": "SuspendedEVSE"}, requirements=("E05.FR.02",) + step)
    deauthorized = [e for e in events if e.payload.get("triggerReason") == "Deauthorized"]
    station.check.that("no Deauthorized TransactionEventRequest with StopTxOnInvalidId false (Part 6 TC_C_17_CS)",
                       not deauthorized, expected="the transaction is not deauthorized (E05.FR.02)",
                       actual=[e.payload for e in deauthorized], requirements=("E05.FR.02",) + step, soft=True)


# --------------------------------------------------------------------------- MaxEnergyOnInvalidId > 0 (helper cmax)
async def _no_energy_stop(station: ChargingStationUnderTest, conn, events: list) -> None:
    """TC_C_15_CS step 3 "No message with triggerReason Deauthorized or ChargingStateChanged / SuspendedEVSE": within
    the message timeout after the queued events (the invalid answer given) the station neither deauthorizes the
    transaction nor suspends the energy (E05.FR.03: energy up to MaxEnergyOnInvalidId 10000 Wh)."""
    window = station.message_timeout
    mark = conn.mark()
    station.protocol_wait(window, "Part 6 TC_C_15_CS step 3: no Deauthorized / SuspendedEVSE TransactionEventRequest")
    found = None
    with contextlib.suppress(PeerTimeout, PeerClosed):
        found = await conn.expect_one_of(
            [("TransactionEvent", {"triggerReason": "Deauthorized"}),
             ("TransactionEvent", {"transactionInfo": {"chargingState": "SuspendedEVSE"}})],
            since=mark, timeout=window)
    earlier = [e for e in events if e.payload.get("triggerReason") == "Deauthorized"
               or e.payload.get("transactionInfo", {}).get("chargingState") == "SuspendedEVSE"]
    bad = ([found] if found is not None else []) + earlier
    station.check.that("the energy transfer goes on after idTokenInfo Invalid with StopTxOnInvalidId false and "
                       "MaxEnergyOnInvalidId 10000 (Part 6 TC_C_15_CS step 3)", not bad,
                       expected=f"no TransactionEventRequest with triggerReason Deauthorized or chargingState "
                                f"SuspendedEVSE (within {window:g}s of the queued events)",
                       actual=[e.payload for e in bad], requirements=("E05.FR.03", "Part 6 TC_C_15_CS step 3"),
                       soft=True)


@case
async def test_tc_c_15_cs(station: ChargingStationUnderTest) -> None:
    """Authorization through authorization cache - StopTxOnInvalidId = false, MaxEnergyOnInvalidId > 0: a token cached
    as Accepted starts a transaction offline; the CSMS says Invalid after the reconnection: the energy transfer goes on
    (up to MaxEnergyOnInvalidId).

    Part 6 steps / validations implemented (errata 2025-09 §6.2.24):
    - prerequisites: AuthCacheCtrlr.Available true, MaxEnergyOnInvalidId implemented (NOT APPLICABLE otherwise;
      Part 5 C-03); configuration state as TC_C_17_CS with MaxEnergyOnInvalidId 10000; restored;
    - steps 1-2: offline, the valid idToken presented, reconnection accepted after 5 s;
    - steps 3-4: the queued TransactionEventRequests, the one with the idToken answered Invalid: (optional) one with
      triggerReason Authorized, the valid idToken and offline true; one with triggerReason ChargingStateChanged and
      offline true; no message with triggerReason Deauthorized or chargingState SuspendedEVSE, judged over the
      message timeout after them (E05.FR.03);
    - post-scenario "only MaxEnergyOnInvalidId is delivered": 10000 Wh take over an hour at usual power; not judged
      (noted)."""
    token = station.config.id_tokens.valid
    events = await _offline_then_invalid(station, stop_tx_on_invalid_id=False, case_id="TC_C_15_CS",
                                         until="ChargingStateChanged", max_energy="10000",
                                         requirements=("E05.FR.03", "Part 6 TC_C_15_CS step 3"),
                                         after=lambda conn, events: _no_energy_stop(station, conn, events))
    step = ("Part 6 TC_C_15_CS step 3",)
    _one_with(station, events, "a queued TransactionEventRequest reports the authorization offline (Part 6 TC_C_15_CS "
                               "step 3, optional)",
              {"triggerReason": "Authorized", "idToken.idToken": token.id_token, "idToken.type": token.type,
               "offline": True}, requirements=("E12.FR.02", "C12.FR.02") + step, optional=True)
    _one_with(station, events, "a queued TransactionEventRequest reports the charging state offline (Part 6 "
                               "TC_C_15_CS step 3)", {"triggerReason": "ChargingStateChanged", "offline": True},
              requirements=("E12.FR.02", "C12.FR.04") + step)
    station.note("Part 6 TC_C_15_CS post-scenario (only MaxEnergyOnInvalidId 10000 Wh delivered) is not judged: it "
                 "would take the energy transfer of over an hour")


@case
async def test_tc_c_18_cs(station: ChargingStationUnderTest) -> None:
    """Authorization through authorization cache - StopTxOnInvalidId = true, MaxEnergyOnInvalidId > 0: a token cached
    as Accepted starts a transaction offline; the CSMS says Invalid after the reconnection: StopTxOnInvalidId wins
    (E05.FR.09/10; MaxEnergyOnInvalidId applies only with StopTxOnInvalidId false, E05.FR.03): deauthorized at once.

    Part 6 steps / validations implemented (errata 2025-09 §6.2.27):
    - prerequisites: AuthCacheCtrlr.Available true, MaxEnergyOnInvalidId implemented (NOT APPLICABLE otherwise;
      Part 5 C-03); configuration state as TC_C_16_CS with MaxEnergyOnInvalidId 500; restored;
    - steps 1-4 as TC_C_16_CS: (optional) Authorized with the valid idToken and offline true; ChargingStateChanged
      with offline true;
    - step 5: a TransactionEventRequest with triggerReason Deauthorized and offline false (it follows the invalid
      answer, after the reconnection); post-scenario: the energy flow stops (chargingState EVConnected or SuspendedEVSE,
      or the transaction ends: E05.FR.09, E05.FR.10)."""
    token = station.config.id_tokens.valid
    events = await _offline_then_invalid(station, stop_tx_on_invalid_id=True, case_id="TC_C_18_CS",
                                         until="Deauthorized", max_energy="500",
                                         requirements=("E05.FR.09", "E05.FR.10", "Part 6 TC_C_18_CS steps 3-5"))
    step = ("Part 6 TC_C_18_CS step 3",)
    _one_with(station, events, "a queued TransactionEventRequest reports the authorization offline (Part 6 TC_C_18_CS "
                               "step 3, optional)",
              {"triggerReason": "Authorized", "idToken.idToken": token.id_token, "idToken.type": token.type,
               "offline": True}, requirements=("E12.FR.02", "C12.FR.02") + step, optional=True)
    _one_with(station, events, "a queued TransactionEventRequest reports the charging state offline (Part 6 "
                               "TC_C_18_CS step 3)", {"triggerReason": "ChargingStateChanged", "offline": True},
              requirements=("E12.FR.02", "C12.FR.04") + step)
    _one_with(station, events, "a TransactionEventRequest reports the transaction deauthorized, not offline (Part 6 "
                               "TC_C_18_CS step 5)", {"triggerReason": "Deauthorized", "offline": OneOf(False, ABSENT)},
              requirements=("E05.FR.09", "E05.FR.10", "Part 6 TC_C_18_CS step 5"))
    last = events[-1]
    if last.payload.get("triggerReason") == "Deauthorized" and last.payload.get("eventType") != "Ended":
        station.check.fields("the energy flow stops on idTokenInfo Invalid (Part 6 TC_C_18_CS post-scenario)",
                             last.payload, {"transactionInfo.chargingState": OneOf("EVConnected", "SuspendedEVSE")},
                             requirements=("E05.FR.09", "Part 6 TC_C_18_CS post-scenario validation"), soft=True)


# --------------------------------------------------------------------------- Master Pass in the cache (helper cmax)
@case
async def test_tc_c_14_cs(station: ChargingStationUnderTest) -> None:
    """Authorization through authorization cache - GroupID equal to MasterPassGroupId: the Master Pass idToken,
    cached with its groupIdToken, presented during an energy transfer stops the transaction and never starts one.

    Part 6 steps / validations implemented (errata 2025-09 §6.2.23):
    - prerequisites (Part 5 does not list the case: NOT APPLICABLE unless the PICS declares C-49 and C-07 or C-08):
      AuthCacheCtrlr.Available true (NOT APPLICABLE when false), the Master Pass feature (Part 5;
      ``[id_tokens.master_pass]`` with group_id_token, NOT APPLICABLE without it); configuration state
      AuthCacheCtrlr.Enabled true, LocalPreAuthorize true (each if implemented), AuthCtrlr.MasterPassGroupId
      <Configured masterPassGroupId>; restored;
    - memory state: the Master Pass idToken stored in the cache (IdTokenCached the way of a not-valid idToken: presented
      with LocalPreAuthorize false, answered Accepted with groupIdToken MasterPassGroupId, C10.FR.04);
    - Before: EnergyTransferStarted (the configured valid idToken);
    - manual action: the Master Pass idToken presented (with a Master Pass UI, PICS C-07, the operator selects the
      transaction: action ``master_pass_select``, C16.FR.01);
    - step 1-2: a TransactionEventRequest with triggerReason StopAuthorized and the Master Pass idToken and type; if
      eventType Ended, stoppedReason MasterPass (C12.FR.09, C16.FR.03: the Master Pass never starts a transaction);
    - steps 3-5 only when the transaction still runs: EVConnectedPostSession, EVDisconnected, ParkingBayUnoccupied."""
    from types import SimpleNamespace

    from ._steps import master_pass_configured, master_pass_group, master_pass_info

    pics = station.config.pics
    if not (pics.supports("C-49") and (pics.supports("C-07") or pics.supports("C-08"))):
        # Part 5 does not list TC_C_14; its Part 6 prerequisites in Part 5 features: the cache and the Master Pass
        raise NotApplicable("Part 6 TC_C_14_CS prerequisites: an Authorization Cache (C-49) and a Master Pass "
                            "(C-07 / C-08) are needed; one of them is not claimed in the PICS")
    await cache_available(station)
    evse, connector = configured_connector(station)
    group = master_pass_group(station, "TC_C_14_CS")
    async with master_pass_configured(station, "TC_C_14_CS") as token, states.transactions_ended_afterwards(station):
        spec = SimpleNamespace(id_token=token["idToken"], type=token["type"])
        await states.id_token_cached(station, evse, connector, token=spec, token_info=master_pass_info(group))
        async with cache_configuration(station):
            tx = await states.parking_bay_occupied(station, evse, connector)
            tx = await states.energy_transfer_started(station, evse, connector, tx=tx)
            conn, mark = await present(station, spec, evse)
            if "C-07" in station.config.pics.features:  # C16.FR.01: the Master Pass UI; the operator selects
                try:
                    await station.actions.do("master_pass_select", evse=evse)
                except ActionFailed as exc:  # no Master Pass screen: step 2 below decides
                    station.note(f"the Master Pass screen could not be used after the presentation: {exc}")
            requirements = ("C12.FR.09", "C16.FR.03", "Part 6 TC_C_14_CS step 2")
            try:
                event = await conn.expect_call("TransactionEvent", since=mark, requirements=requirements,
                                               triggerReason="StopAuthorized", **tx.pattern())
            except PeerTimeout as exc:
                station.check.that("the cached Master Pass idToken stops the transaction (Part 6 TC_C_14_CS step 2)",
                                   False, expected="TransactionEventRequest triggerReason StopAuthorized with the "
                                                   f"Master Pass idToken {spec.id_token}",
                                   actual=exc.actual, requirements=requirements)
                raise
            tx.record(event)
            expected = {"triggerReason": "StopAuthorized", "idToken.idToken": spec.id_token,
                        "idToken.type": spec.type}
            if event.payload.get("eventType") == "Ended":
                expected["transactionInfo.stoppedReason"] = "MasterPass"
            station.check.fields("TransactionEventRequest (Part 6 TC_C_14_CS step 2)", event.payload, expected,
                                 requirements=requirements)
            if not tx.ended:  # steps 3-5: "only executed if the transaction is still running"
                await states.ev_connected_post_session(station, tx)
                await states.ev_disconnected(station, tx)
                await states.parking_bay_unoccupied(station, tx)
