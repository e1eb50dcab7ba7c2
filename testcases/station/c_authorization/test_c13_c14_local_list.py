"""Block C Authorization, the SUT is a Charging Station (the harness is its CSMS).

Authorization through the Local Authorization List: online (C14: TC_C_27..31_CS, TC_C_58_CS LocalAuthListCtrlr.
DisablePostAuthorize) and offline (C13: TC_C_21..25_CS; C15 unknown idToken: TC_C_26_CS, helper coffline).

Offline, the harness closes the WebSocket connection and refuses reconnection attempts as Part 6 does (reusable
states ``offline_period`` / ``start_offline_transaction``, shared with block E), performs the manual actions, then
accepts the next attempt and judges what the station queued meanwhile. TC_C_22..24_CS only see a message when
TxStartPoint is ParkingBayOccupancy: the case sets it when TxCtrlr.TxStartPoint takes that value (restored), and
checks for every start point that the idToken listed Invalid / Blocked / Expired authorized nothing offline
(C13.FR.02: no queued TransactionEventRequest with that idToken or triggerReason Authorized).

The list holds the configured idToken the case presents (``id_tokens.valid`` / ``invalid`` / ``blocked`` /
``expired``: a physical card is what a driver presents), with the status the case names; a case whose idToken is not
configured is INCONCLUSIVE. The list is installed with a Full update (memory state IdTokenLocalAuthList) and emptied
afterwards (``states.local_list_enabled``, see testcases/station/d_local_authorization_list). The harness CSMS answers
the AuthorizeRequest of a listed idToken with the status Part 6 gives (TC_C_31_CS: Accepted).
"""

from __future__ import annotations

import contextlib
from types import SimpleNamespace
from typing import Any, AsyncIterator

from conformance.harness import ChargingStationUnderTest, case
from conformance.harness.reusable_states import station as states
from conformance.outcomes import Inconclusive
from conformance.protocol.errors import PeerTimeout
from conformance.protocol.variables import (LOCAL_AUTH_LIST_DISABLE_POST_AUTHORIZE, LOCAL_AUTHORIZE_OFFLINE,
                                            LOCAL_PRE_AUTHORIZE, STOP_TX_ON_INVALID_ID, TX_START_POINT,
                                            component_variable)
from conformance.transport.connection import Connection, IncomingCall

C14_ACCEPTED = ("C14.FR.02",)
C13_OFFLINE = ("C13.FR.02",)
OFFLINE_TX_FOR_UNKNOWN_ID = component_variable("AuthCtrlr", "OfflineTxForUnknownIdEnabled")
MAX_ENERGY_ON_INVALID_ID = component_variable("TxCtrlr", "MaxEnergyOnInvalidId")
C14_POST_AUTHORIZE = ("C14.FR.03",)


def _connector(station: ChargingStationUnderTest) -> tuple[int, int]:
    """<Configured evseId> and <Configured connectorId>: the first configured connector."""
    return station.connectors[0]


def _spec(station: ChargingStationUnderTest, role: str) -> Any:
    spec = getattr(station.config.id_tokens, role)
    if spec is None:
        raise Inconclusive(f"the case presents the {role} idToken: [id_tokens.{role}] is not configured")
    return spec


@contextlib.asynccontextmanager
async def _online_list(station: ChargingStationUnderTest, role: str, status: str, *,
                       post_authorize_disabled: bool | None = False) -> AsyncIterator[Any]:
    """The configuration and memory state of the C14 cases: LocalAuthListCtrlr.Enabled true (if implemented),
    AuthCtrlr.LocalPreAuthorize true (if implemented), LocalAuthListCtrlr.DisablePostAuthorize as given (false: if
    implemented; true: required, else INCONCLUSIVE; None: left as it is), all restored; then the list holds the
    configured ``role`` idToken with ``status``. Yields that idToken's configuration."""
    spec = _spec(station, role)
    async with contextlib.AsyncExitStack() as stack:
        await stack.enter_async_context(states.local_list_enabled(station))
        await stack.enter_async_context(states.settable(station, LOCAL_PRE_AUTHORIZE, "true"))
        if post_authorize_disabled is not None:
            wanted = "true" if post_authorize_disabled else "false"
            value = await stack.enter_async_context(
                states.settable(station, LOCAL_AUTH_LIST_DISABLE_POST_AUTHORIZE, wanted))
            if post_authorize_disabled and (value or "").strip().lower() != "true":
                raise Inconclusive("LocalAuthListCtrlr.DisablePostAuthorize could not be set to true "
                                   f"({'not implemented' if value is None else value!r})")
        await states.id_token_local_auth_list(station, [states.configured_entry(station, role, status)])
        yield spec


def _authorize_requests(conn: Connection, since: int, spec: Any) -> list[IncomingCall]:
    return [c for c in conn.mailbox[since:] if c.action == "Authorize"
            and c.payload.get("idToken", {}).get("idToken") == spec.id_token]


async def _post_authorized(station: ChargingStationUnderTest, role: str, status: str, case_id: str, *,
                           plugged: bool) -> None:
    """TC_C_28/29/30_CS: the idToken listed with ``status`` is presented (after EVConnectedPreSession when
    ``plugged``); the station sends an AuthorizeRequest for it (C14.FR.03, Part 6 step 1), answered ``status``
    (step 2)."""
    evse, connector = _connector(station)
    async with _online_list(station, role, status) as spec, states.transactions_ended_afterwards(station):
        if plugged:
            tx = await states.parking_bay_occupied(station, evse, connector)
            await states.ev_connected_pre_session_of(station, tx)
        conn = station.connection
        mark = conn.mark()
        with station.answering("Authorize", {"idTokenInfo": {"status": status}}):
            await station.actions.do("present_id_token", id_token=spec.id_token, type=spec.type, evse=evse)
            request = await conn.expect_call("Authorize", since=mark, idToken={"idToken": spec.id_token},
                                             requirements=C14_POST_AUTHORIZE)
        station.check.fields(f"AuthorizeRequest for the idToken listed {status} (Part 6 {case_id} step 1)",
                             request.payload, {"idToken.idToken": spec.id_token, "idToken.type": spec.type},
                             requirements=C14_POST_AUTHORIZE)


@case
async def test_tc_c_27_cs(station: ChargingStationUnderTest) -> None:
    """Online, an idToken listed Accepted starts charging without an AuthorizeRequest.

    Part 6 steps / validations implemented:
    - configuration state: LocalAuthListCtrlr.Enabled, AuthCtrlr.LocalPreAuthorize true (if implemented), restored;
    - memory state: the configured valid idToken listed Accepted;
    - manual action / steps 1-2, reusable state Authorized with that idToken: the TransactionEventRequest
      triggerReason Authorized with the idToken when TxStartPoint contains Authorized or the transaction started;
    - steps 3-4: EVConnectedPreSession, EnergyTransferStarted; post-scenario: energy is transferred (Charging);
    - (C14.FR.02, the case's requirement) no AuthorizeRequest for the listed Accepted idToken."""
    evse, connector = _connector(station)
    async with _online_list(station, "valid", "Accepted", post_authorize_disabled=None), \
            states.transactions_ended_afterwards(station):
        conn = station.connection
        mark = conn.mark()
        tx = await states.parking_bay_occupied(station, evse, connector)
        await states.authorized(station, evse, connector, tx=tx)
        await states.ev_connected_pre_session_of(station, tx)
        await states.energy_transfer_started(station, evse, connector, tx=tx)
        asked = _authorize_requests(conn, mark, station.config.id_tokens.valid)
        station.check.that("the idToken listed Accepted is authorized without an AuthorizeRequest", not asked,
                           expected="no AuthorizeRequest", actual=[c.payload for c in asked],
                           requirements=C14_ACCEPTED)


@case
async def test_tc_c_28_cs(station: ChargingStationUnderTest) -> None:
    """Online, an idToken listed Invalid is checked with the CSMS: AuthorizeRequest, answered Invalid.

    Part 6 steps / validations implemented:
    - configuration state: LocalAuthListCtrlr.Enabled, LocalPreAuthorize true, DisablePostAuthorize false (if
      implemented), restored;
    - memory state: the configured invalid idToken listed Invalid;
    - manual action / steps 1-2: the AuthorizeRequest with that idToken (C14.FR.03), answered Invalid."""
    await _post_authorized(station, "invalid", "Invalid", "TC_C_28_CS", plugged=False)


@case
async def test_tc_c_29_cs(station: ChargingStationUnderTest) -> None:
    """Online, an idToken listed Blocked is checked with the CSMS: AuthorizeRequest, answered Blocked.

    Part 6 steps / validations implemented:
    - configuration state: LocalAuthListCtrlr.Enabled, LocalPreAuthorize true, DisablePostAuthorize false (if
      implemented), restored;
    - memory state: the configured blocked idToken listed Blocked; reusable state EVConnectedPreSession;
    - manual action / steps 1-2: the AuthorizeRequest with that idToken (C14.FR.03), answered Blocked."""
    await _post_authorized(station, "blocked", "Blocked", "TC_C_29_CS", plugged=True)


@case
async def test_tc_c_30_cs(station: ChargingStationUnderTest) -> None:
    """Online, an idToken listed Expired is checked with the CSMS: AuthorizeRequest, answered Expired.

    Part 6 steps / validations implemented:
    - configuration state: LocalAuthListCtrlr.Enabled, LocalPreAuthorize true, DisablePostAuthorize false (if
      implemented), restored;
    - memory state: the configured expired idToken listed Expired; reusable state EVConnectedPreSession;
    - manual action / steps 1-2: the AuthorizeRequest with that idToken (C14.FR.03), answered Expired."""
    await _post_authorized(station, "expired", "Expired", "TC_C_30_CS", plugged=True)


@case
async def test_tc_c_31_cs(station: ChargingStationUnderTest) -> None:
    """Online, an idToken listed Invalid that the CSMS accepts charges.

    Part 6 steps / validations implemented:
    - configuration state: LocalAuthListCtrlr.Enabled, LocalPreAuthorize true, DisablePostAuthorize false (if
      implemented), restored;
    - memory state: the configured invalid idToken listed Invalid;
    - step 1, reusable state Authorized presenting that idToken; the harness CSMS answers it Accepted (AuthorizeResponse
      and TransactionEventResponse); (C14.FR.03, the case's requirement) the station sends the AuthorizeRequest;
    - steps 2-3: EVConnectedPreSession, EnergyTransferStarted; post-scenario: energy is transferred (Charging)."""
    evse, connector = _connector(station)
    spec = _spec(station, "invalid")
    valid = station.config.id_tokens.valid.id_token

    def transaction_event(incoming: IncomingCall) -> dict[str, Any]:
        token = incoming.payload.get("idToken")
        if token is None:
            return {}
        return {"idTokenInfo": {"status": "Accepted" if token.get("idToken") in (spec.id_token, valid)
                                else "Unknown"}}

    with station.answering("Authorize", {"idTokenInfo": {"status": "Accepted"}}), \
            station.answering("TransactionEvent", transaction_event):
        async with _online_list(station, "invalid", "Invalid") as spec, states.transactions_ended_afterwards(station):
            conn = station.connection
            mark = conn.mark()
            tx = await states.parking_bay_occupied(station, evse, connector)
            await states.authorized(station, evse, connector, tx=tx, token=spec)
            asked = _authorize_requests(conn, mark, spec)
            station.check.that("the idToken listed Invalid is checked with an AuthorizeRequest", bool(asked),
                               expected=f"AuthorizeRequest for {spec.id_token}",
                               actual=f"CALLs since it was presented: {conn.summary_since(mark)}",
                               requirements=C14_POST_AUTHORIZE, soft=True)
            await states.ev_connected_pre_session_of(station, tx)
            await states.energy_transfer_started(station, evse, connector, tx=tx)


@case
async def test_tc_c_58_cs(station: ChargingStationUnderTest) -> None:
    """With LocalAuthListCtrlr.DisablePostAuthorize true, an idToken listed Invalid is refused without an
    AuthorizeRequest.

    Part 6 steps / validations implemented:
    - configuration state: LocalAuthListCtrlr.Enabled, LocalPreAuthorize true (if implemented), DisablePostAuthorize
      true (required: otherwise INCONCLUSIVE), restored;
    - memory state IdTokenLocalAuthList: the configured invalid idToken listed Invalid;
    - manual action / step 1: no AuthorizeRequest for <Configured message timeout> after the presentation (a recorded
      silence), and the authorization refused: no TransactionEventRequest triggerReason Authorized with that idToken
      (C14.FR.03 disabled by LocalAuthListCtrlr.DisablePostAuthorize, P2 §2.5.7)."""
    evse, _ = _connector(station)
    async with _online_list(station, "invalid", "Invalid", post_authorize_disabled=True) as spec:
        conn = station.connection
        mark = conn.mark()
        await station.actions.do("present_id_token", id_token=spec.id_token, type=spec.type, evse=evse)
        requirements = ("C14.FR.03", "P2 §2.5.7 LocalAuthListCtrlr.DisablePostAuthorize")
        await conn.expect_no_call("Authorize", within=station.message_timeout, since=mark,
                                  requirements=requirements)
        accepted = [c for c in conn.mailbox[mark:] if c.action == "TransactionEvent"
                    and c.payload.get("triggerReason") == "Authorized"
                    and c.payload.get("idToken", {}).get("idToken") == spec.id_token]
        station.check.that("the idToken listed Invalid is refused (Part 6 TC_C_58_CS step 1)", not accepted,
                           expected="no TransactionEventRequest triggerReason Authorized with it",
                           actual=[c.payload for c in accepted], requirements=requirements)


# ---------------------------------------------------------------------------------------------- C13 / C15 offline
def _back_off(station: ChargingStationUnderTest) -> float:
    """How long the station may wait for its next attempt after refused ones: its back-off doubled a few times
    (OCPP-J Part 4 §5.3), as block E allows."""
    return 8 * station.config.station_values.retry_back_off_wait_minimum


@contextlib.asynccontextmanager
async def _offline_configured(station: ChargingStationUnderTest, *, unknown_id: bool, back_off: bool,
                              stop_tx_on_invalid: bool = False) -> AsyncIterator[None]:
    """The configuration state of TC_C_21..26_CS: LocalAuthListCtrlr.Enabled and LocalPreAuthorize true (if
    implemented), OfflineTxForUnknownIdEnabled ``unknown_id`` (false: if implemented; true: required), LocalAuthorizeOffline
    true (required), StopTxOnInvalidId false where the case names it, and with ``back_off`` OfflineThreshold =
    RetryBackOffWaitMinimum + 60, RetryBackOffWaitMinimum as configured, RetryBackOffRandomRange 0. All restored."""
    async with contextlib.AsyncExitStack() as stack:
        await stack.enter_async_context(states.local_list_enabled(station))
        await stack.enter_async_context(states.settable(station, LOCAL_PRE_AUTHORIZE, "true"))
        if unknown_id:
            await stack.enter_async_context(station.configured(OFFLINE_TX_FOR_UNKNOWN_ID, "true"))
        else:
            await stack.enter_async_context(states.settable(station, OFFLINE_TX_FOR_UNKNOWN_ID, "false"))
        await stack.enter_async_context(station.configured(LOCAL_AUTHORIZE_OFFLINE, "true"))
        if stop_tx_on_invalid:
            await stack.enter_async_context(station.configured(STOP_TX_ON_INVALID_ID, "false"))
        if back_off:
            minimum = station.config.station_values.retry_back_off_wait_minimum
            await stack.enter_async_context(states.offline_configured(station, minimum, minimum + 60))
        yield


def _carries(incoming: IncomingCall, spec: Any) -> bool:
    return (incoming.payload.get("idToken") or {}).get("idToken") == spec.id_token


def _queued(station: ChargingStationUnderTest, period: states.OfflinePeriod,
            events: list[IncomingCall]) -> list[IncomingCall]:
    """The events generated in the offline period (timestamp up to the reconnection, within the time deviation)."""
    return [e for e in events if (stamp := states.event_time(e)) is None
            or stamp <= (period.reconnected_wall or 0) + station.tolerance]


@case
async def test_tc_c_21_cs(station: ChargingStationUnderTest) -> None:
    """Offline, an idToken listed Accepted in the Local Authorization List starts a transaction; it is stopped by
    presenting it again once the connection is back.

    Part 6 steps / validations implemented:
    - configuration state: LocalAuthListEnabled, LocalPreAuthorize true (if implemented), OfflineTxForUnknownIdEnabled
      false (if implemented), LocalAuthorizeOffline true (required), restored;
    - memory state IdTokenLocalAuthList: the configured valid idToken listed Accepted;
    - reusable state StartOfflineTransaction with that idToken; manual actions: present it, unplug, drive out (with
      TxStopPoint ParkingBayOccupancy);
    - step 1: the queued TransactionEventRequests (generated offline, before the StopAuthorized one) have offline true
      (C13.FR.02 lets the listed idToken authorize; E12.FR.02); one TransactionEventRequest has triggerReason
      StopAuthorized (so the transaction was authorized by the list entry); step 2 answered Accepted;
    - step 3: reusable state ParkingBayUnoccupied."""
    evse, connector = _connector(station)
    spec = _spec(station, "valid")
    with station.answering("TransactionEvent", lambda c: {"idTokenInfo": {"status": "Accepted"}}
                           if "idToken" in c.payload else {}):
        async with _offline_configured(station, unknown_id=False, back_off=False), \
                states.transactions_ended_afterwards(station):
            await states.id_token_local_auth_list(station, [states.configured_entry(station, "valid", "Accepted")])
            async with states.start_offline_transaction(station, evse, connector, spec,
                                                        back_off=_back_off(station)) as (period, tx):
                await station.actions.do("present_id_token", id_token=spec.id_token, type=spec.type, evse=evse)
                tx.stop_authorized = True
                await station.actions.do("unplug", evse=evse, connector=connector)
                tx.plugged = False
                if "ParkingBayOccupancy" in tx.stop_points:
                    await station.actions.do("drive_out", evse=evse)
                    tx.parked = False
                try:
                    events = await states.queued_events(station, period, until_ended=True)
                except PeerTimeout:  # no Ended event: judged below by what did arrive
                    events = [c for c in (period.connection or station.connection).mailbox
                              if c.action == "TransactionEvent"]
                    station.note(f"no TransactionEventRequest eventType Ended within the message timeout; "
                                 f"{len(events)} arrived")
                for incoming in events:
                    tx.record(incoming)
            stop = next((i for i, e in enumerate(events) if e.payload.get("triggerReason") == "StopAuthorized"), None)
            station.check.that("step 1: one of the TransactionEventRequests has triggerReason StopAuthorized (the "
                               "transaction the listed Accepted idToken authorized offline is stopped by it)",
                               stop is not None, expected="triggerReason StopAuthorized",
                               actual=[f"seqNo {e.payload.get('seqNo')} {e.payload.get('eventType')} "
                                       f"{e.payload.get('triggerReason')}" for e in events],
                               requirements=C13_OFFLINE, soft=True)
            before = _queued(station, period, events[:stop] if stop is not None else events)
            states.check_offline_flag(station, before, step="step 1 (messages before the StopAuthorized one)",
                                      requirements=C13_OFFLINE + ("E12.FR.02",))
            if "ParkingBayOccupancy" in tx.stop_points and not tx.ended:
                await states.parking_bay_unoccupied(station, tx)


async def _offline_not_accepted(station: ChargingStationUnderTest, role: str, status: str, case_id: str) -> None:
    """TC_C_22/23/24_CS: offline, the idToken listed ``status`` is presented after driving in; after the reconnection
    the queued TransactionEventRequests (TxStartPoint ParkingBayOccupancy: EVDetected, offline true) never carry that
    idToken nor triggerReason Authorized (C13.FR.02)."""
    evse, connector = _connector(station)
    spec = _spec(station, role)
    async with _offline_configured(station, unknown_id=False, back_off=True), \
            states.settable(station, TX_START_POINT, "ParkingBayOccupancy"), \
            states.transactions_ended_afterwards(station) as transactions:
        await states.id_token_local_auth_list(station, [states.configured_entry(station, role, status)])
        tx = states.Transaction(evse, connector, start_points=await states.tx_start_points(station),
                                stop_points=await states.tx_stop_points(station))
        transactions.append(tx)
        async with states.offline_period(station) as period:
            await station.actions.do("drive_in", evse=evse)  # step 2
            tx.parked = True
            await station.actions.do("present_id_token", id_token=spec.id_token, type=spec.type, evse=evse)  # step 3
            conn = await period.accept(back_off=_back_off(station))  # step 4
            tx.connection, tx.since = conn, 0
            events = await states.queued_events(station, period, until_ended=False)
            for incoming in events:
                tx.record(incoming)
        if "ParkingBayOccupancy" in tx.start_points:
            detected = [e for e in events if e.payload.get("triggerReason") == "EVDetected"]
            station.check.that(f"step 5: a queued TransactionEventRequest has triggerReason EVDetected (Part 6 "
                               f"{case_id}, TxStartPoint ParkingBayOccupancy)", bool(detected),
                               expected="triggerReason EVDetected", actual=[
                                   f"seqNo {e.payload.get('seqNo')} {e.payload.get('triggerReason')}" for e in events],
                               requirements=("E12.FR.01",) + C13_OFFLINE, soft=True)
            states.check_offline_flag(station, events, step="step 5", requirements=("E12.FR.02",) + C13_OFFLINE)
        else:
            station.note(f"TxStartPoint {tx.start_points} (ParkingBayOccupancy not settable): Part 6 expects no "
                         f"queued message; {len(events)} arrived")
        authorized = [e for e in events if _carries(e, spec) or e.payload.get("triggerReason") == "Authorized"]
        station.check.that(f"the idToken listed {status} authorizes nothing offline", not authorized,
                           expected=f"no queued TransactionEventRequest with idToken {spec.id_token} or "
                                    f"triggerReason Authorized",
                           actual=[f"seqNo {e.payload.get('seqNo')} {e.payload.get('triggerReason')} idToken "
                                   f"{(e.payload.get('idToken') or {}).get('idToken')} (message {e.message_id})"
                                   for e in authorized], requirements=C13_OFFLINE)


@case
async def test_tc_c_22_cs(station: ChargingStationUnderTest) -> None:
    """Offline, an idToken listed Invalid does not authorize.

    Part 6 steps / validations implemented:
    - configuration state: LocalAuthListEnabled, LocalPreAuthorize (if implemented), OfflineTxForUnknownIdEnabled
      false (if implemented), LocalAuthorizeOffline true, OfflineThreshold, RetryBackOffWaitMinimum,
      RetryBackOffRandomRange 0; TxStartPoint ParkingBayOccupancy where settable; all restored;
    - memory state IdTokenLocalAuthList: the configured invalid idToken listed Invalid;
    - steps 1-4: close and refuse, drive in, present the idToken, accept the reconnection;
    - step 5 (TxStartPoint ParkingBayOccupancy): TransactionEventRequest offline true, triggerReason EVDetected;
    - (C13.FR.02) no queued TransactionEventRequest carries the idToken or triggerReason Authorized."""
    await _offline_not_accepted(station, "invalid", "Invalid", "TC_C_22_CS")


@case
async def test_tc_c_23_cs(station: ChargingStationUnderTest) -> None:
    """Offline, an idToken listed Blocked does not authorize.

    Part 6 steps / validations implemented: as TC_C_22_CS with the configured blocked idToken listed Blocked."""
    await _offline_not_accepted(station, "blocked", "Blocked", "TC_C_23_CS")


@case
async def test_tc_c_24_cs(station: ChargingStationUnderTest) -> None:
    """Offline, an idToken listed Expired does not authorize.

    Part 6 steps / validations implemented: as TC_C_22_CS with the configured expired idToken listed Expired."""
    await _offline_not_accepted(station, "expired", "Expired", "TC_C_24_CS")


@case
async def test_tc_c_25_cs(station: ChargingStationUnderTest) -> None:
    """Offline, a Local Authorization List entry Invalid wins over an Authorization Cache entry Accepted of the same
    idToken: no transaction is authorized.

    Part 6 steps / validations implemented:
    - configuration state: LocalAuthListEnabled, LocalPreAuthorize (if implemented), OfflineTxForUnknownIdEnabled true,
      LocalAuthorizeOffline true, StopTxOnInvalidId false, OfflineThreshold, RetryBackOffWaitMinimum,
      RetryBackOffRandomRange 0; all restored;
    - memory states IdTokenCached (the valid idToken, Part 6 §2.19) and IdTokenLocalAuthList (the valid idToken listed
      Invalid); reusable state EVConnectedPreSession;
    - step 1: close and refuse, present the idToken, <Configured Transaction Duration> (a recorded wait before the
      reconnection is accepted, step 2);
    - step 3 (C13.FR.01, C14.FR.01): the station does not start a transaction for it: no queued
      TransactionEventRequest with that idToken, triggerReason Authorized or chargingState Charging (MeterValues are
      allowed)."""
    evse, connector = _connector(station)
    spec = _spec(station, "valid")
    requirements = ("C13.FR.01", "C14.FR.01")
    async with _offline_configured(station, unknown_id=True, back_off=True, stop_tx_on_invalid=True), \
            states.transactions_ended_afterwards(station):
        await states.id_token_cached(station, evse, connector)  # memory state IdTokenCached (errata §6.2.120)
        await states.id_token_local_auth_list(station, [states.configured_entry(station, "valid", "Invalid")])
        tx = await states.parking_bay_occupied(station, evse, connector)
        await states.ev_connected_pre_session_of(station, tx)
        async with states.offline_period(station) as period:
            await station.actions.do("present_id_token", id_token=spec.id_token, type=spec.type, evse=evse)
            conn = await period.accept(not_before=station.config.station_values.transaction_duration,
                                       back_off=_back_off(station))
            tx.connection, tx.since = conn, 0
            events = await states.queued_events(station, period, until_ended=False)
            for incoming in events:
                tx.record(incoming)
        started = [e for e in events if _carries(e, spec) or e.payload.get("triggerReason") == "Authorized"
                   or (e.payload.get("transactionInfo") or {}).get("chargingState") == "Charging"]
        station.check.that("step 3: the station does NOT start a transaction for the idToken listed Invalid (the "
                           "list entry wins over the cache entry Accepted)", not started,
                           expected="no TransactionEventRequest with the idToken, triggerReason Authorized or "
                                    "chargingState Charging",
                           actual=[f"seqNo {e.payload.get('seqNo')} {e.payload.get('triggerReason')} "
                                   f"{(e.payload.get('transactionInfo') or {}).get('chargingState')} (message "
                                   f"{e.message_id})" for e in started], requirements=requirements)


@case
async def test_tc_c_26_cs(station: ChargingStationUnderTest) -> None:
    """Offline, with OfflineTxForUnknownIdEnabled true an unknown idToken starts a transaction; answered Invalid after
    the reconnection, the station suspends the energy transfer.

    Part 6 steps / validations implemented (errata 2025-09 §6.2.34):
    - configuration state: LocalAuthListEnabled, LocalPreAuthorize (if implemented), OfflineTxForUnknownIdEnabled true,
      LocalAuthorizeOffline true, MaxEnergyOnInvalidId 0 (if implemented), StopTxOnInvalidId false; all restored;
    - reusable state StartOfflineTransaction with an idToken the harness invents (in neither list nor cache);
    - step 1: all queued TransactionEventRequests offline true (C15.FR.02), one carries the idToken (C13.FR.04,
      C15.FR.08: it was accepted offline); the harness answers it Invalid (step 2); one TransactionEventRequest has
      chargingState SuspendedEVSE (C15.FR.06); the connector is reported Occupied (StatusNotification or NotifyEvent
      AvailabilityState, errata);
    - the transaction is ended by the restore (not judged)."""
    evse, connector = _connector(station)
    invented = states.invented_id_token(station)
    spec = SimpleNamespace(id_token=invented["idToken"], type=invented["type"])

    def transaction_event(incoming: IncomingCall) -> dict[str, Any]:
        token = incoming.payload.get("idToken")
        if token is None:
            return {}
        return {"idTokenInfo": {"status": "Invalid" if token.get("idToken") == spec.id_token else "Accepted"}}

    with station.answering("TransactionEvent", transaction_event):
        async with _offline_configured(station, unknown_id=True, back_off=False, stop_tx_on_invalid=True), \
                states.settable(station, MAX_ENERGY_ON_INVALID_ID, "0"), \
                states.transactions_ended_afterwards(station):
            async with states.start_offline_transaction(station, evse, connector, spec,
                                                        back_off=_back_off(station)) as (period, tx):
                conn = period.connection
                assert conn is not None
                events = await states.queued_events(station, period, until_ended=False)
                for incoming in events:
                    tx.record(incoming)
                # the station's reaction to the Invalid answer (C15.FR.06) is generated online: not part of the queue
                answered = next((i for i, e in enumerate(events) if _carries(e, spec)), None)
                queue = events if answered is None else events[:answered + 1] + [
                    e for e in events[answered + 1:] if (e.payload.get("transactionInfo") or {}).get(
                        "chargingState") != "SuspendedEVSE" and e.payload.get("triggerReason") != "Deauthorized"]
                states.check_offline_flag(station, queue, step="step 1", requirements=("C15.FR.02", "E12.FR.02"))
                station.check.that("step 1: a queued TransactionEventRequest carries the unknown idToken (accepted "
                                   "offline with OfflineTxForUnknownIdEnabled true)",
                                   any(_carries(e, spec) for e in events), expected=f"idToken {spec.id_token}",
                                   actual=[f"seqNo {e.payload.get('seqNo')} {e.payload.get('triggerReason')} idToken "
                                           f"{(e.payload.get('idToken') or {}).get('idToken')}" for e in events],
                                   requirements=("C13.FR.04", "C15.FR.08"), soft=True)

                def suspended() -> list[IncomingCall]:
                    return [c for c in conn.mailbox if c.action == "TransactionEvent" and (
                        c.payload.get("transactionInfo") or {}).get("chargingState") == "SuspendedEVSE"]

                if not suspended():
                    with contextlib.suppress(PeerTimeout):
                        tx.record(await conn.expect_call("TransactionEvent", since=conn.mark(), transactionInfo={
                            "chargingState": "SuspendedEVSE"}, requirements=("C15.FR.06",)))
                station.check.that("step 1: one TransactionEventRequest has chargingState SuspendedEVSE (the unknown "
                                   "idToken answered Invalid, StopTxOnInvalidId false, MaxEnergyOnInvalidId 0)",
                                   bool(suspended()), expected="chargingState SuspendedEVSE",
                                   actual=conn.summary_since(0), requirements=("C15.FR.06",), soft=True)
                occupied = [c for c in conn.mailbox if (
                    c.action == "StatusNotification" and c.payload.get("connectorStatus") == "Occupied"
                    and c.payload.get("evseId") == evse and c.payload.get("connectorId") == connector) or (
                    c.action == "NotifyEvent" and any(
                        d.get("variable", {}).get("name") == "AvailabilityState" and d.get("actualValue") == "Occupied"
                        and d.get("component", {}).get("evse", {}).get("id") == evse
                        for d in c.payload.get("eventData", [])))]
                station.check.that("step 1 (errata 2025-09 §6.2.34): the connector is reported Occupied after the "
                                   "reconnection (StatusNotification or NotifyEvent AvailabilityState)", bool(occupied),
                                   expected="StatusNotification connectorStatus Occupied or NotifyEvent "
                                            "AvailabilityState Occupied", actual=conn.summary_since(0),
                                   requirements=("B04.FR.02", "Part 6 TC_C_26_CS step 1"), soft=True)
