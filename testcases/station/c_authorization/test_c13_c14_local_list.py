"""Block C Authorization, the SUT is a Charging Station (the harness is its CSMS).

Authorization through the Local Authorization List: online (C14: TC_C_27..31_CS, TC_C_58_CS LocalAuthListCtrlr.
DisablePostAuthorize).

The list holds the configured idToken the case presents (``id_tokens.valid`` / ``invalid`` / ``blocked`` /
``expired``: a physical card is what a driver presents), with the status the case names; a case whose idToken is not
configured is INCONCLUSIVE. The list is installed with a Full update (memory state IdTokenLocalAuthList) and emptied
afterwards (``states.local_list_enabled``, see testcases/station/d_local_authorization_list). The harness CSMS answers
the AuthorizeRequest of a listed idToken with the status Part 6 gives (TC_C_31_CS: Accepted).
"""

from __future__ import annotations

import contextlib
from typing import Any, AsyncIterator

from conformance.harness import ChargingStationUnderTest, case
from conformance.harness.reusable_states import station as states
from conformance.outcomes import Inconclusive
from conformance.protocol.variables import LOCAL_AUTH_LIST_DISABLE_POST_AUTHORIZE, LOCAL_PRE_AUTHORIZE
from conformance.transport.connection import Connection, IncomingCall

C14_ACCEPTED = ("C14.FR.02",)
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
