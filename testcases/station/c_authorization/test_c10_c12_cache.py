"""Block C Authorization, the SUT is a Charging Station (the harness is its CSMS).

Start a transaction with a cached idToken (C12): a token cached as Accepted, cached with another status (Invalid,
Blocked, Expired: checked again with the CSMS, C10.FR.03 / C12.FR.05, unless AuthCacheCtrlr.DisablePostAuthorize),
the cable plugged in after the authorization.

Part 6 gives these cases' memory state "IdTokenCached" (errata 2025-09 §6.2.120, :func:`states.id_token_cached`); the
harness reaches it before the configuration state when the token is not Accepted (the station must ask the CSMS
for it then, so LocalPreAuthorize is false while it is presented), after it otherwise.
"""

from __future__ import annotations

import contextlib
import time

from conformance.harness import ChargingStationUnderTest, case
from conformance.harness.reusable_states import station as states
from conformance.protocol.errors import PeerClosed, PeerTimeout

from ._cache_steps import (POST_AUTHORIZE, cache_available, cache_configuration, configured_connector,
                           configured_token, expect_authorize, present, no_authorize, authorize_found)


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
