"""Block C Authorization, the SUT is a Charging Station (the harness is its CSMS).

Store authorization data in the Authorization Cache (C10): persistent over a reboot, updated from every
AuthorizeResponse and TransactionEventResponse, not used online with LocalPreAuthorize false, entries expiring after
AuthCacheCtrlr.LifeTime; clear it (C11): ClearCache Accepted, and Rejected while the cache is disabled.
"""

from __future__ import annotations

import contextlib
import math
import time

from conformance.harness import ChargingStationUnderTest, case
from conformance.harness.reusable_states import station as states
from conformance.protocol.variables import (AUTH_CACHE_ENABLED, AUTH_CACHE_LIFE_TIME, LOCAL_AUTH_LIST_ENABLED,
                                            LOCAL_PRE_AUTHORIZE, STOP_TX_ON_INVALID_ID, component_variable)

from ._cache_steps import (PRE_AUTHORIZED, POST_AUTHORIZE, authorize_found, cache_available, cache_configuration,
                           configured_connector, ensure, expect_authorize, no_authorize, present, wait_out)

MAX_ENERGY_ON_INVALID_ID = component_variable("TxCtrlr", "MaxEnergyOnInvalidId")


@case
async def test_tc_c_32_cs(station: ChargingStationUnderTest) -> None:
    """Store Authorization Data in the Authorization Cache - Persistent over reboot: a token cached as Accepted is
    still cached after a reboot.

    Part 6 steps / validations implemented (errata 2025-09 §6.2.22):
    - configuration state: AuthCacheCtrlr.Enabled true (if implemented), LocalPreAuthorize true; restored;
    - memory state IdTokenCached for the valid idToken;
    - step 1, Booted (power cycle) with its tool validations;
    - the valid idToken presented (after ParkingBayOccupied when TxStartPoint contains ParkingBayOccupancy): step 2,
      when TxStartPoint contains Authorized or the transaction started, TransactionEventRequest triggerReason
      Authorized with the valid idToken (Authorized step 3); steps 4-5 EVConnectedPreSession, EnergyTransferStarted;
    - the token is still in the cache: with LocalPreAuthorize true no AuthorizeRequest for it after the reboot
      (C10.FR.02, the prerequisite's non-volatile cache; C12.FR.02, LocalPreAuthorize)."""
    evse, connector = configured_connector(station)
    token = station.config.id_tokens.valid
    async with cache_configuration(station) as settings, states.transactions_ended_afterwards(station):
        await states.id_token_cached(station, evse, connector)
        station.expect_close("Part 6 TC_C_32_CS step 1: Booted (power cycle)")
        await states.booted(station)
        tx = await states.parking_bay_occupied(station, evse, connector)
        conn, mark = station.connection, station.connection.mark()
        tx = await states.authorized(station, evse, connector, tx=tx)
        await states.ev_connected_pre_session_of(station, tx)
        await states.energy_transfer_started(station, evse, connector, tx=tx)
        no_authorize(station, settings, conn, mark, token, step="Part 6 TC_C_32_CS step 2, after the reboot",
                     requirements=("C10.FR.02", "Part 6 TC_C_32_CS prerequisite: the cache is non-volatile")
                     + PRE_AUTHORIZED)


@case
async def test_tc_c_33_cs(station: ChargingStationUnderTest) -> None:
    """Store Authorization Data in the Authorization Cache - Update on AuthorizeResponse: the token accepted by an
    AuthorizeResponse is cached, and used from the cache the next time.

    Part 6 steps / validations implemented:
    - prerequisite: AuthCacheCtrlr.Available true; configuration state AuthCacheCtrlr.Enabled true (if
      implemented), LocalPreAuthorize true, LocalAuthListCtrlr.Enabled true (if implemented); restored;
    - memory state N/a: the cache is cleared first (ClearCache, noted) so that step 1 can happen;
    - Before, EVConnectedPreSession; step 1: AuthorizeRequest with the valid idToken (C01.FR.02), step 2 answered
      Accepted; step 3 (TxStartPoint Authorized or the transaction started): TransactionEventRequest Authorized with
      the idToken, Started or Updated (Authorized step 3); steps 5-10: EnergyTransferStarted, EVConnectedPostSession,
      EVDisconnected, ParkingBayUnoccupied, ParkingBayOccupied, EVConnectedPreSession, each with its validations;
    - the same token presented again: no AuthorizeRequest (the cache was updated from step 2, C10.FR.04; with
      LocalPreAuthorize true, C12.FR.02); step 12: TransactionEventRequest triggerReason Authorized with the valid
      idToken, eventType Started (Updated when the transaction had started), required when TxStartPoint contains
      Authorized or the transaction started; step 13 answered Invalid;
    - afterwards the cache is cleared (the valid idToken is cached Invalid now)."""
    await cache_available(station)
    evse, connector = configured_connector(station)
    token = station.config.id_tokens.valid
    async with contextlib.AsyncExitStack() as stack:
        settings = await stack.enter_async_context(cache_configuration(station))
        await ensure(stack, station, LOCAL_AUTH_LIST_ENABLED, "true")
        await stack.enter_async_context(states.cache_cleared_afterwards(station))
        await stack.enter_async_context(states.transactions_ended_afterwards(station))
        cleared = await station.call("ClearCache", {})
        station.note(f"preparation: ClearCache answered {cleared.payload.get('status') if cleared.ok else cleared.describe()}"
                     " (step 1 needs the token not to be cached)")
        tx = await states.ev_connected_transaction(station, evse, connector)
        conn, mark = station.connection, station.connection.mark()
        tx = await states.authorized(station, evse, connector, tx=tx)
        authorize_found(station, conn, mark, token, step="Part 6 TC_C_33_CS step 1", requirements=("C01.FR.02",))
        await states.energy_transfer_started(station, evse, connector, tx=tx)
        await states.stop_authorized(station, tx)  # (EVConnectedPostSession: "If State is NOT StopAuthorized")
        await states.ev_connected_post_session(station, tx)
        await states.ev_disconnected(station, tx)
        await states.parking_bay_unoccupied(station, tx)
        again = await states.parking_bay_occupied(station, evse, connector)
        await states.ev_connected_pre_session_of(station, again)
        conn, mark = station.connection, station.connection.mark()
        with states.answering_invalid(station, token.id_token):
            again = await states.authorized(station, evse, connector, tx=again)
        no_authorize(station, settings, conn, mark, token, step="Part 6 TC_C_33_CS step 12",
                     requirements=("C10.FR.04",) + PRE_AUTHORIZED)
        event = next((e for e in again.events[again.token_at or 0:] if "idToken" in e.payload), None)
        if event is not None:  # (required, and judged, by Authorized when TxStartPoint contains Authorized)
            station.check.fields("TransactionEventRequest after the second presentation (Part 6 TC_C_33_CS step 12)",
                                 event.payload, {"triggerReason": "Authorized", "idToken.idToken": token.id_token,
                                                 "idToken.type": token.type,
                                                 "eventType": "Started" if event is again.events[0] else "Updated"},
                                 requirements=("C12.FR.02", "E01.FR.10", "Part 6 TC_C_33_CS step 12"), soft=True)


@case
async def test_tc_c_34_cs(station: ChargingStationUnderTest) -> None:
    """Store Authorization Data in the Authorization Cache - Update on TransactionResponse: a token cached as
    Accepted that a TransactionEventResponse reports Invalid is cached Invalid, so the next presentation is checked
    with the CSMS.

    Part 6 steps / validations implemented (errata 2025-09 §6.2.28):
    - prerequisite: AuthCacheCtrlr.Available true; configuration state AuthCacheCtrlr.Enabled true (if
      implemented), LocalPreAuthorize true, LocalAuthListCtrlr.Enabled true (if implemented), StopTxOnInvalidId true,
      MaxEnergyOnInvalidId 0 (if implemented); restored;
    - memory state IdTokenCached for the valid idToken;
    - step 1, Authorized (cached idToken; after ParkingBayOccupied when TxStartPoint contains ParkingBayOccupancy):
      no AuthorizeRequest with LocalPreAuthorize true (C12.FR.02); step 2, Deauthorized: the transaction states go on
      until the TransactionEventRequest carrying the idToken, answered Invalid, then triggerReason Deauthorized
      (Ended / DeAuthorized or Updated as TxStopPoint says: E05.FR.09/10, E06.FR.04);
    - steps 3-5: EVDisconnected, ParkingBayUnoccupied, ParkingBayOccupied;
    - step 6, Authorized (status Invalid): the station sends an AuthorizeRequest with the valid idToken (the cache was
      updated from the TransactionEventResponse: C10.FR.05, C12.FR.06; a token cached Invalid is checked online:
      C10.FR.03), answered Invalid;
    - afterwards the cache is cleared (the valid idToken is cached Invalid)."""
    await cache_available(station)
    evse, connector = configured_connector(station)
    token = station.config.id_tokens.valid
    async with contextlib.AsyncExitStack() as stack:
        settings = await stack.enter_async_context(cache_configuration(station))
        await ensure(stack, station, LOCAL_AUTH_LIST_ENABLED, "true")
        await stack.enter_async_context(station.configured(STOP_TX_ON_INVALID_ID, "true"))
        await ensure(stack, station, MAX_ENERGY_ON_INVALID_ID, "0")
        await stack.enter_async_context(states.cache_cleared_afterwards(station))
        await stack.enter_async_context(states.transactions_ended_afterwards(station))
        await states.id_token_cached(station, evse, connector)
        tx = await states.parking_bay_occupied(station, evse, connector)
        conn, mark = station.connection, station.connection.mark()
        with states.answering_invalid(station, token.id_token):
            tx = await states.authorized(station, evse, connector, tx=tx)
            no_authorize(station, settings, conn, mark, token, step="Part 6 TC_C_34_CS step 1")
            await states.deauthorized(station, tx, stop_tx_on_invalid_id=True)
        if not tx.plugged and not tx.ended:  # (TxStartPoint Authorized: deauthorized before any EV was connected;
            await states.ev_connected_pre_session_of(station, tx)  # EVDisconnected needs one, the transaction goes on)
        if tx.plugged:
            await states.ev_disconnected(station, tx)
        else:
            station.note("EVDisconnected skipped: no EV was plugged in and the transaction has ended")
        await states.parking_bay_unoccupied(station, tx)
        await states.parking_bay_occupied(station, evse, connector)
        with station.answering("Authorize", {"idTokenInfo": {"status": "Invalid"}}):
            conn, mark = await present(station, token, evse)
            await expect_authorize(station, conn, mark, token, step="Part 6 TC_C_34_CS step 6",
                                   requirements=("C10.FR.05", "C12.FR.06") + POST_AUTHORIZE)


@case
async def test_tc_c_36_cs(station: ChargingStationUnderTest) -> None:
    """Store Authorization Data in the Authorization Cache - LocalPreAuthorize = false: online the station asks the
    CSMS also for a token cached as Accepted.

    Part 6 steps / validations implemented:
    - prerequisite: AuthCacheCtrlr.Available true; configuration state AuthCacheCtrlr.Enabled true (if
      implemented), AuthCtrlr.LocalPreAuthorize false; restored;
    - memory state IdTokenCached for the valid idToken;
    - step 1: AuthorizeRequest with the valid idToken and type (LocalPreAuthorize false: the cache does not authorize
      online, Part 2 §2.3.6; C10.FR.11); step 2 answered Invalid;
    - afterwards the cache is cleared (the valid idToken is cached Invalid)."""
    await cache_available(station)
    evse, connector = configured_connector(station)
    token = station.config.id_tokens.valid
    async with states.cache_cleared_afterwards(station), states.transactions_ended_afterwards(station):
        await states.id_token_cached(station, evse, connector)
        async with cache_configuration(station, local_pre_authorize=None), contextlib.AsyncExitStack() as stack:
            await stack.enter_async_context(station.configured(LOCAL_PRE_AUTHORIZE, "false"))
            with station.answering("Authorize", {"idTokenInfo": {"status": "Invalid"}}):
                conn, mark = await present(station, token, evse)
                await expect_authorize(station, conn, mark, token, step="Part 6 TC_C_36_CS step 1",
                                       requirements=("AuthCtrlr.LocalPreAuthorize (Part 2 §2.3.6)", "C10.FR.11",
                                                     "C01.FR.02"))


@case
async def test_tc_c_37_cs(station: ChargingStationUnderTest) -> None:
    """Clear Authorization Data in Authorization Cache - Accepted: after ClearCache the token is not cached any more.

    Part 6 steps / validations implemented:
    - prerequisite: AuthCacheCtrlr.Available true; configuration state AuthCacheCtrlr.Enabled true (if implemented),
      restored; memory state IdTokenCached for the valid idToken;
    - step 2: ClearCacheResponse status Accepted (C11.FR.01, C11.FR.03);
    - steps 3-4: ParkingBayOccupied (optional state), EVConnectedPreSession;
    - step 5: the valid idToken presented, AuthorizeRequest with the valid idToken and type (the cache was cleared,
      C11.FR.01), answered Accepted; steps 7-8 and 9: the Authorized event and EnergyTransferStarted with their tool
      validations (the first event after the presentation carries the idToken)."""
    await cache_available(station)
    evse, connector = configured_connector(station)
    token = station.config.id_tokens.valid
    async with cache_configuration(station, local_pre_authorize=None), states.transactions_ended_afterwards(station):
        await states.id_token_cached(station, evse, connector)
        response = await station.call("ClearCache", {})
        station.check.that("the station answers ClearCacheRequest with a CALLRESULT (Part 6 TC_C_37_CS step 2)",
                           response.ok, expected="ClearCacheResponse", actual=response.describe(),
                           requirements=("C11.FR.02",))
        station.check.fields("ClearCacheResponse (Part 6 TC_C_37_CS step 2)", response.payload, {"status": "Accepted"},
                             requirements=("C11.FR.01", "C11.FR.03"), soft=True)
        tx = await states.parking_bay_occupied(station, evse, connector)
        await states.ev_connected_pre_session_of(station, tx)
        conn, mark = station.connection, station.connection.mark()
        tx = await states.authorized(station, evse, connector, tx=tx)
        authorize_found(station, conn, mark, token, step="Part 6 TC_C_37_CS step 5: the cache was cleared",
                        requirements=("C11.FR.01", "C01.FR.02"))
        await states.energy_transfer_started(station, evse, connector, tx=tx)


@case
async def test_tc_c_38_cs(station: ChargingStationUnderTest) -> None:
    """Clear Authorization Data in Authorization Cache - Rejected: ClearCache is rejected while the cache is
    disabled.

    Part 6 steps / validations implemented:
    - prerequisite: AuthCacheCtrlr.Available true, AuthCacheCtrlr.Enabled implemented (the configuration state
      "Enabled is false" is what C11.FR.04 rejects on: NOT APPLICABLE without it);
    - memory state IdTokenCached for the valid idToken (while the cache is enabled), then AuthCacheCtrlr.Enabled
      false, restored;
    - step 2: ClearCacheResponse status Rejected (C11.FR.04)."""
    await cache_available(station)
    evse, connector = configured_connector(station)
    async with contextlib.AsyncExitStack() as stack:
        await ensure(stack, station, AUTH_CACHE_ENABLED, "true",
                     required="AuthCacheCtrlr.Enabled is implemented (configuration state AuthCacheEnabled is false)")
        await states.id_token_cached(station, evse, connector)
        await stack.enter_async_context(station.configured(AUTH_CACHE_ENABLED, "false"))
        response = await station.call("ClearCache", {})
        station.check.that("the station answers ClearCacheRequest with a CALLRESULT (Part 6 TC_C_38_CS step 2)",
                           response.ok, expected="ClearCacheResponse", actual=response.describe(),
                           requirements=("C11.FR.02",))
        station.check.fields("ClearCacheResponse while AuthCacheCtrlr.Enabled is false (Part 6 TC_C_38_CS step 2)",
                             response.payload, {"status": "Rejected"}, requirements=("C11.FR.04",))


@case
async def test_tc_c_46_cs(station: ChargingStationUnderTest) -> None:
    """Store Authorization Data in the Authorization Cache - AuthCacheLifeTime: a cache entry not used for
    AuthCacheCtrlr.LifeTime seconds is gone: the token is checked with the CSMS again.

    Part 6 steps / validations implemented (errata 2025-09 §6.2.31):
    - prerequisites: AuthCacheCtrlr.Available true, AuthCacheCtrlr.LifeTime implemented (NOT APPLICABLE otherwise);
    - configuration state: LifeTime <Configured Transaction Duration> (``station_values.transaction_duration``, whole
      seconds, at least 1), LocalPreAuthorize true (if implemented); restored;
    - memory state IdTokenCached for the valid idToken (the entry is last updated at its end);
    - Before, EVConnectedPreSession;
    - step 1: the harness waits until LifeTime (plus the max time deviation) has passed since the entry was last
      updated (a recorded protocol wait);
    - step 2, Authorized (local) with its tool validations; the entry has expired, so with LocalPreAuthorize true the
      station sends an AuthorizeRequest for the token (C10.FR.08, C10.FR.10 as errata 2025-09 words it: removed or
      changed to Expired; Part 6 purpose). Noted, not judged, when LocalPreAuthorize is not implemented."""
    await cache_available(station)
    evse, connector = configured_connector(station)
    token = station.config.id_tokens.valid
    lifetime = max(1, math.ceil(station.config.station_values.transaction_duration))
    async with contextlib.AsyncExitStack() as stack:
        await ensure(stack, station, AUTH_CACHE_LIFE_TIME, str(lifetime),
                     required="configuration variable AuthCacheLifeTime is implemented")
        settings = await stack.enter_async_context(cache_configuration(station))
        await stack.enter_async_context(states.transactions_ended_afterwards(station))
        await states.id_token_cached(station, evse, connector)
        updated = time.monotonic()
        tx = await states.ev_connected_transaction(station, evse, connector)
        remaining = lifetime + station.tolerance - (time.monotonic() - updated)
        if remaining > 0:
            await wait_out(station, remaining, "Part 6 TC_C_46_CS step 1: AuthCacheCtrlr.LifeTime since the cache "
                                               "entry was last updated")
        conn, mark = station.connection, station.connection.mark()
        await states.authorized(station, evse, connector, tx=tx)
        if settings.pre_authorizes:
            authorize_found(station, conn, mark, token, step="Part 6 TC_C_46_CS step 2: the cache entry has expired",
                            requirements=("C10.FR.08", "C10.FR.10", "Part 6 TC_C_46_CS purpose"))
        else:
            station.note("LocalPreAuthorize is not implemented: whether the expired entry was removed is not judged")
