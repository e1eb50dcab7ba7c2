"""Block F Remote control, the SUT is a Charging Station (the harness is its CSMS).

Remote start (F01 cable plugin first, F02 remote start first) and its cable plugin timeout (F02, E03).
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import time

from conformance.harness import ChargingStationUnderTest, OneOf, case
from conformance.harness.reusable_states import station as states
from conformance.outcomes import NotApplicable
from conformance.protocol.variables import (AUTH_CACHE_ENABLED, EV_CONNECTION_TIMEOUT, LOCAL_AUTH_LIST_ENABLED,
                                            TX_START_POINT)

from ._steps import configured_connector


@case
async def test_tc_f_01_cs(station: ChargingStationUnderTest) -> None:
    """With the EV plugged in first, a RequestStartTransaction authorizes the transaction and it charges.

    Part 6 steps / validations implemented:
    - Before: AuthCtrlr.AuthEnabled true and DisableRemoteAuthorization false (if implemented and ReadWrite);
      EVConnectedPreSession (Occupied; the Started event with TxStartPoint EVConnected);
    - step 1, Authorized (remote): the response Accepted, with the transactionId when the transaction had started
      (F01.FR.13); an AuthorizeRequest when AuthorizeRemoteStart is true (none when false, F01.FR.02); the next
      TransactionEventRequest has triggerReason RemoteStart, the remoteStartId and the idToken (F01.FR.19, F01.FR.25,
      F01.FR.04, F02.FR.01);
    - step 2, EnergyTransferStarted: chargingState Charging.
    The prerequisite "no cable lock that prevents plugging in before authorization" is the PICS's (Part 5 AQ-2)."""
    evse, connector = configured_connector(station)
    async with states.remote_start_settings(station) as settings, states.transactions_ended_afterwards(station):
        tx = await states.ev_connected_transaction(station, evse, connector)
        await states.authorized_remote(station, evse, connector, settings, tx=tx)
        await states.energy_transfer_started(station, evse, connector, tx=tx)


async def _remote_start_first(station: ChargingStationUnderTest, *, authorize_remote_start: bool) -> None:
    """TC_F_02/03_CS: the prerequisite (AuthorizeRemoteStart not ReadOnly with the other value), Authorized (remote)
    with the EV not plugged in, then EnergyTransferStarted."""
    evse, connector = configured_connector(station)
    wanted = "true" if authorize_remote_start else "false"
    async with states.remote_start_settings(station, authorize_remote_start=authorize_remote_start) as settings, \
            states.transactions_ended_afterwards(station):
        if settings.authorize_remote_start is not None and settings.authorize_remote_start.lower() != wanted:
            raise NotApplicable(f"prerequisite: AuthCtrlr.AuthorizeRemoteStart is {settings.authorize_remote_start} "
                                f"and cannot be set to {wanted} (ReadOnly)")
        if authorize_remote_start and settings.auth_enabled is not None and settings.auth_enabled.lower() == "false":
            raise NotApplicable("prerequisite: AuthCtrlr.AuthEnabled is ReadOnly and false")
        if authorize_remote_start and settings.token_known_locally:
            settings = await _uncached(station, settings)
        conn = station.connection
        mark = conn.mark()
        tx = await states.authorized_remote(station, evse, connector, settings)
        await states.energy_transfer_started(station, evse, connector, tx=tx)
        if settings.must_authorize is False and station.connection is conn:
            # F01.FR.02 / F02.FR.10 "without checking authorization": none until charging either (the plug-in).
            token = station.config.id_tokens.valid.id_token
            late = [c.payload for c in conn.mailbox[mark:] if c.action == "Authorize"
                    and c.payload.get("idToken", {}).get("idToken") == token]
            station.check.that("no AuthorizeRequest after a remote start with AuthorizeRemoteStart false, up to "
                               "charging", not late, expected="no AuthorizeRequest", actual=late,
                               requirements=("F01.FR.02", "F02.FR.10"))


async def _uncached(station: ChargingStationUnderTest, settings: states.RemoteStartSettings,
                    ) -> states.RemoteStartSettings:
    """Part 6 waives the step 3 AuthorizeRequest only when the idToken is cached: with the Authorization Cache
    enabled (and no Local Authorization List), the cache is cleared first (ClearCacheRequest, C11.FR.04; nothing to
    restore), so that the AuthorizeRequest stays required. A station that does not clear it keeps the waiver."""
    if _true(await station.read_variable(LOCAL_AUTH_LIST_ENABLED)) \
            or not _true(await station.read_variable(AUTH_CACHE_ENABLED)):
        return settings
    response = await station.call("ClearCache", {})
    if response.ok and response.payload.get("status") == "Accepted":
        station.note("configuration state: the Authorization Cache was cleared (ClearCache Accepted), so the "
                     "AuthorizeRequest of step 3 is required")
        return dataclasses.replace(settings, token_known_locally=False)
    station.note(f"ClearCache answered {response.describe()}: the idToken may be cached, step 3 stays waived")
    return settings


def _true(value: str | None) -> bool:
    return (value or "").strip().lower() == "true"


@case
async def test_tc_f_02_cs(station: ChargingStationUnderTest) -> None:
    """A RequestStartTransaction before the EV is plugged in, with AuthorizeRemoteStart true: the station authorizes
    the idToken first, then charges once the EV is plugged in.

    Part 6 steps / validations implemented:
    - prerequisites: AuthEnabled not ReadOnly false, AuthorizeRemoteStart not ReadOnly false (else NOT APPLICABLE);
    - Before: AuthEnabled true, DisableRemoteAuthorization false (if implemented), AuthorizeRemoteStart true (if
      ReadWrite); ParkingBayOccupied (optional) skipped;
    - step 1, Authorized (remote): response Accepted; AuthorizeRequest with the idToken (F01.FR.01, F02.FR.09) unless
      the token may be known locally (cache / local list enabled); the first TransactionEventRequest (at the
      authorization with TxStartPoint Authorized, else at the plug-in) has triggerReason RemoteStart, the remoteStartId
      and the idToken (F02.FR.01, F02.FR.21);
    - step 2, EnergyTransferStarted: plug-in, Occupied, chargingState Charging."""
    await _remote_start_first(station, authorize_remote_start=True)


@case
async def test_tc_f_03_cs(station: ChargingStationUnderTest) -> None:
    """A RequestStartTransaction before the EV is plugged in, with AuthorizeRemoteStart false: the station starts
    without authorizing the idToken, then charges once the EV is plugged in.

    Part 6 steps / validations implemented:
    - prerequisite: AuthorizeRemoteStart not ReadOnly true (else NOT APPLICABLE);
    - Before: AuthEnabled true, DisableRemoteAuthorization false (if implemented), AuthorizeRemoteStart false (if
      ReadWrite);
    - step 1, Authorized (remote): response Accepted; no AuthorizeRequest (F01.FR.02, F02.FR.10: without checking
      authorization); the first TransactionEventRequest has triggerReason RemoteStart, the remoteStartId and the
      idToken (F02.FR.01, F02.FR.21);
    - step 2, EnergyTransferStarted."""
    await _remote_start_first(station, authorize_remote_start=False)


@case(time_needed=lambda t: 4 * t.message_timeout + 2 * t.action_timeout)
async def test_tc_f_04_cs(station: ChargingStationUnderTest) -> None:
    """After a remote start the EV is not plugged in: once EVConnectionTimeOut has passed the station ends the
    transaction (EVConnectTimeout) and the EVSE accepts a new remote start.

    Part 6 steps / validations implemented (errata 2025-09 §6.2.56/57):
    - Before: TxCtrlr.EVConnectionTimeOut = ``configured.ev_connection_timeout``; AuthEnabled true,
      DisableRemoteAuthorization false (if implemented); TxStartPoint contains Authorized (if supported: a station
      that cannot set it keeps its own, ParkingBayOccupancy included); Authorized (remote);
    - step 1: when the transaction had started, a TransactionEventRequest triggerReason EVConnectTimeout, eventType
      Ended with stoppedReason Timeout (E03.FR.05, F02.FR.07; with TxStopPoint ParkingBayOccupancy the transaction is
      only deauthorized, F02.FR.08: Updated accepted), no sooner than the timeout; a status report meanwhile is
      accepted; without a started transaction the harness waits the timeout (protocol wait);
    - step 3: Authorized (remote) again succeeds (the EVSE is ready); the restore ends that authorization."""
    evse, connector = configured_connector(station)
    timeout = math.ceil(station.config.configured.ev_connection_timeout)  # the variable takes whole seconds
    async with contextlib.AsyncExitStack() as stack:
        await stack.enter_async_context(station.configured(EV_CONNECTION_TIMEOUT, str(timeout)))
        settings = await stack.enter_async_context(states.remote_start_settings(station))
        points = await states.tx_start_points(station)
        if not {"Authorized", "ParkingBayOccupancy"} & set(points):
            # entered before the transactions' restore: TxStartPoint is set back once they have ended
            await stack.enter_async_context(states.settable(station, TX_START_POINT, "Authorized"))
        await stack.enter_async_context(states.transactions_ended_afterwards(station))
        requested_at = time.monotonic()  # the station's timer starts after this (no_sooner_than: never short)
        tx = await states.authorized_remote(station, evse, connector, settings)
        authorized_at = time.monotonic()
        station.protocol_wait(timeout, "TxCtrlr.EVConnectionTimeOut (E03.FR.05)")
        if tx.started:
            requirements = ("E03.FR.05", "F02.FR.07", "Part 6 TC_F_04_CS step 1")
            ended = await states._tx_step_event(
                station, tx, "the transaction ends after EVConnectionTimeOut", triggers=("EVConnectTimeout",),
                requirements=requirements, timeout=timeout + station.tolerance + station.message_timeout)
            # F02.FR.08: with TxStopPoint ParkingBayOccupancy the transaction is only deauthorized (it ends when
            # the EV leaves the bay), so Part 6's Ended is required only otherwise (F02.FR.07).
            bay = "ParkingBayOccupancy" in tx.stop_points
            station.check.fields("TransactionEventRequest after EVConnectionTimeOut (Part 6 TC_F_04_CS step 1)",
                                 ended.payload, {"triggerReason": "EVConnectTimeout",
                                                 "eventType": OneOf("Ended", "Updated") if bay else "Ended"},
                                 requirements=requirements + (("F02.FR.08",) if bay else ()))
            if not bay:
                station.check.fields("the transaction ended by EVConnectionTimeOut has stoppedReason Timeout "
                                     "(Part 2; Part 6 does not list it)", ended.payload,
                                     {"transactionInfo.stoppedReason": "Timeout"},
                                     requirements=("F02.FR.07", "E03.FR.05"))
            station.no_sooner_than("the transaction ends no sooner than EVConnectionTimeOut after the "
                                   "authorization", ended.received_mono - requested_at, required=timeout,
                                   requirements=("E03.FR.05",))
        else:
            station.note("no transaction started at the authorization (TxStartPoint "
                         f"{','.join(tx.start_points) or '?'}): step 1 is skipped, the timeout is waited")
            await _wait_until(station, authorized_at + timeout + station.tolerance)
            # The authorization has expired (C01.FR.26): the restore must not present the idToken for it again,
            # which would withdraw step 3's authorization and leave a new one pending for the next case.
            tx.authorized = False
        # Step 3: the EVSE is ready for another charging session. A transaction only deauthorized (TxStopPoint
        # ParkingBayOccupancy, F02.FR.08) still runs: the remote start authorizes it (F01.FR.13: its transactionId in
        # the response, an Updated RemoteStart event).
        await states.authorized_remote(station, evse, connector, settings,
                                       tx=tx if tx.started and not tx.ended else None)


async def _wait_until(station: ChargingStationUnderTest, deadline: float) -> None:
    """The protocol wait (recorded by the caller) until ``deadline``; it ends early only if the connection closes."""
    await station.connection.wait_closed(max(0.0, deadline - time.monotonic()))


# --------------------------------------------------------------------------- beyond the catalog: refused remote starts
async def _remote_start_refused(station: ChargingStationUnderTest, evse: int, *, requirements: tuple[str, ...],
                                what: str) -> None:
    """RequestStartTransactionRequest for ``evse`` with the valid idToken; the response status Rejected, and no
    TransactionEventRequest with its remoteStartId arrives by the time the response did (the start was refused)."""
    token = station.config.id_tokens.valid
    remote_start_id = station.ctx.ids.next("remoteStartId")
    conn = station.connection
    mark = conn.mark()
    response = await station.call("RequestStartTransaction", {
        "idToken": {"idToken": token.id_token, "type": token.type}, "evseId": evse, "remoteStartId": remote_start_id})
    station.check.that("the station answers RequestStartTransactionRequest with a CALLRESULT", response.ok,
                       expected="CALLRESULT", actual=response.describe(), requirements=requirements)
    station.check.fields(f"RequestStartTransactionResponse {what}", response.payload, {"status": "Rejected"},
                         requirements=requirements)
    started = [c.payload for c in conn.mailbox[mark:] if c.action == "TransactionEvent"
               and c.payload.get("transactionInfo", {}).get("remoteStartId") == remote_start_id]
    station.check.that("no transaction reports the refused remote start", not started, expected="none",
                       actual=started, requirements=requirements)


@case(title="Remote start transaction - Rejected - EVSE Unavailable", use_cases=("F01", "F02"),
      requirements=("F01.FR.23", "F02.FR.25"))
async def test_x_f_01_cs(station: ChargingStationUnderTest) -> None:
    """A RequestStartTransaction for an EVSE made Unavailable (ChangeAvailability Inoperative) is Rejected.

    Steps / validations (ours, no Part 6 case):
    - Before: reusable state Unavailable for the configured EVSE (Accepted, every connector reported Unavailable);
    - RequestStartTransactionRequest for it with the valid idToken: status Rejected (F01.FR.23, F02.FR.25);
    - afterwards the EVSE is made Operative again (not judged)."""
    station.require_profiles("Core", reason="F01/F02 belong to Core; Part 5 does not list our own case")
    evse, _ = configured_connector(station)
    async with states.availability_restored(station) as restore:
        restore.pending.append((evse, None))
        await states.unavailable(station, evse=evse, requirements=("G03.FR.01",),
                                 report_requirements=("G03.FR.04", "G01.FR.07"))
        await _remote_start_refused(station, evse, requirements=("F01.FR.23", "F02.FR.25"),
                                    what="for an Unavailable EVSE")


@case(title="Remote start transaction - Rejected - EVSE with an authorized transaction", use_cases=("F01",),
      requirements=("F01.FR.24", "F02.FR.26"))
async def test_x_f_02_cs(station: ChargingStationUnderTest) -> None:
    """A RequestStartTransaction for an EVSE whose transaction is authorized and charging is Rejected.

    Steps / validations (ours, no Part 6 case):
    - Before: EnergyTransferStarted on the configured EVSE (local authorization);
    - RequestStartTransactionRequest for that EVSE with the valid idToken: status Rejected (F01.FR.24, F02.FR.26),
      and no TransactionEventRequest carries its remoteStartId;
    - afterwards the transaction is stopped and the EV unplugged (not judged)."""
    station.require_profiles("Core", reason="F01/F02 belong to Core; Part 5 does not list our own case")
    evse, connector = configured_connector(station)
    async with states.transactions_ended_afterwards(station):
        await states.energy_transfer_started(station, evse, connector)
        await _remote_start_refused(station, evse, requirements=("F01.FR.24", "F02.FR.26"),
                                    what="for an EVSE with an authorized transaction")
