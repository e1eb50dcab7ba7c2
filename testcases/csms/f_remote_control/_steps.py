"""Steps the block F cases share (csms side): private to this block.

The CSMS is asked for each request through ``csms_send``; the harness station answers it as Part 6 says
(:meth:`HarnessStation.answering`) and then, as the case's next steps, does what the station does (starts the
transaction with the remoteStartId, sends the triggered message), so that every answer of the CSMS is judged.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from conformance.harness import CsmsUnderTest
from conformance.outcomes import Inconclusive
from conformance.protocol.frames import utc_now
from conformance.protocol.patterns import ABSENT
from conformance.transport.connection import IncomingCall, Response

#: The requirement a CSMS's answer to the harness station's message is judged by (Part 6 "The CSMS responds
#: with a ...Response"): a CALLRESULT.
ANSWERS = "OCPP-J Part 4 §4.2.2"


def configured_connector(csms: CsmsUnderTest) -> tuple[int, int]:
    """<Configured evseId> and <Configured connectorId>: the first configured connector."""
    return csms.connectors[0]


def valid_token(csms: CsmsUnderTest) -> dict[str, str]:
    """<Configured valid_idtoken_idtoken> and <Configured valid_idtoken_type> as an IdTokenType."""
    return csms.config.id_tokens.valid.to_ocpp()


async def answered(csms: CsmsUnderTest, request: IncomingCall) -> None:
    """The harness station's answer to ``request`` is out before it acts on it (F06.FR.04; a station answers a
    RequestStartTransaction first, F01.FR.01): bounded by the message timeout."""
    with contextlib.suppress(TimeoutError):  # not answered (the connection lost): the next step says so
        async with asyncio.timeout(csms.message_timeout):
            await request.answered.wait()


async def request_start_transaction(csms: CsmsUnderTest, evse: int, *,
                                    transaction_id: str | None = None) -> IncomingCall:
    """Part 6 steps 1-2 of TC_F_01..04_CSMS: on request (``csms_send``, the configured valid idToken on ``evse``;
    the remoteStartId is the CSMS's to choose) the CSMS sends RequestStartTransactionRequest, which the harness
    station answers Accepted, with ``transaction_id`` when a transaction was started already (F01.FR.13).
    Step 1 tool validation (soft, the scenario goes on): idToken.idToken and idToken.type the configured valid
    ones; a chargingProfile, which the CSMS may add, must be a TxProfile without transactionId (Part 2, Part 6 is
    silent). The schema (remoteStartId, idToken present) is judged by the generic validation.

    With a transaction already started (``transaction_id``, the EV plugged in at ``evse``), a request for another
    EVSE (the operator's choice) is answered Rejected, as a station whose EV is at ``evse`` would, and the case is
    INCONCLUSIVE: its scenario (the remote start of that transaction) did not happen."""
    token = valid_token(csms)

    def answer(incoming: IncomingCall) -> dict[str, Any]:
        if transaction_id is None:
            return {"status": "Accepted"}
        if incoming.payload.get("evseId", evse) != evse:
            return {"status": "Rejected"}
        return {"status": "Accepted", "transactionId": transaction_id}

    with csms.station.answering("RequestStartTransaction", answer):
        await csms.actions.do("csms_send", station=csms.identity, request="RequestStartTransaction",
                              payload={"idToken": token, "evseId": evse})
        request = await csms.expect_call("RequestStartTransaction")
        await answered(csms, request)
    if transaction_id is not None and request.payload.get("evseId", evse) != evse:
        raise Inconclusive(f"the CSMS asked to start the transaction on EVSE {request.payload.get('evseId')}, the EV "
                           f"is connected at EVSE {evse} (the configured one): answered Rejected")
    csms.check.fields("RequestStartTransactionRequest", request.payload, {
        "idToken.idToken": token["idToken"], "idToken.type": token["type"]},
        requirements=("Part 6 tool validation step 1 (RequestStartTransactionRequest)", "F01.FR.04"), soft=True)
    if "chargingProfile" in request.payload:  # optional (F01.FR.08, F02.FR.16); Part 2 binds what it may be
        csms.check.fields("RequestStartTransactionRequest", request.payload, {
            "chargingProfile.chargingProfilePurpose": "TxProfile", "chargingProfile.transactionId": ABSENT},
            requirements=("F01.FR.09", "F01.FR.11", "F02.FR.17", "F02.FR.19"), soft=True)
    return request


def remote_start_evse(csms: CsmsUnderTest, request: IncomingCall, default: tuple[int, int]) -> tuple[int, int]:
    """The connector the harness station starts the remote transaction on: the first configured connector of the
    requested evseId, or ``default`` when the request names none (the station selects one, F01.FR.20/F02.FR.22)
    or one it does not have."""
    evse = request.payload.get("evseId")
    return next(((e, c) for e, c in csms.connectors if e == evse), default)


def remote_start_info(request: IncomingCall) -> dict[str, Any]:
    """transactionInfo.remoteStartId of the first TransactionEvent after the remote start: the CSMS's
    (F01.FR.25, F02.FR.01, F02.FR.21). Part 6 TC_F_02..04_CSMS say "<By OCTT generated remoteStartID>"; Part 2
    makes the station report the id of the request, which is what is sent."""
    remote_start_id = request.payload.get("remoteStartId")
    return {"remoteStartId": remote_start_id} if isinstance(remote_start_id, int) else {}


async def trigger_message(csms: CsmsUnderTest, requested: str, *, evse: int | None = None,
                          connector: int | None = None, status: str = "Accepted") -> IncomingCall:
    """Part 6 steps 1-2 of the TriggerMessage cases: on request (``csms_send``) the CSMS sends
    TriggerMessageRequest for ``requested`` (for ``evse`` / ``connector`` when given) and the harness station
    answers ``status``; the triggered message is the case's next step, after the answer (F06.FR.04).
    Tool validations (soft): requestedMessage; evse.id when Part 6 names the EVSE; for a StatusNotification
    evse.connectorId, which the CSMS must set (F06.FR.13), the configured connector of Part 6's next step."""
    scope = {} if evse is None else {
        "evse": {"id": evse} if connector is None else {"id": evse, "connectorId": connector}}
    with csms.station.answering("TriggerMessage", {"status": status}):
        await csms.actions.do("csms_send", station=csms.identity, request="TriggerMessage",
                              payload={"requestedMessage": requested, **scope})
        request = await csms.expect_call("TriggerMessage")
        await answered(csms, request)
    validation = "Part 6 tool validation (TriggerMessageRequest)"
    expected: dict[str, Any] = {"requestedMessage": requested}
    if evse is not None:
        expected["evse.id"] = evse
    csms.check.fields("TriggerMessageRequest", request.payload, expected, requirements=(validation, "F06.FR.01"),
                      soft=True)
    if requested == "StatusNotification":
        csms.check.fields("TriggerMessageRequest", request.payload, {"evse.connectorId": connector},
                          requirements=("F06.FR.13", validation), soft=True)
    return request


async def send_triggered(csms: CsmsUnderTest, action: str, payload: dict[str, Any], step: int) -> Response:
    """The harness station sends the triggered ``action`` request; Part 6 step ``step``: the CSMS responds with
    the ``action`` response (a CALLRESULT)."""
    response = await csms.call(action, payload)
    csms.check.that(f"the CSMS answers the triggered {action}Request with a {action}Response", response.ok,
                    expected="CALLRESULT", actual=response.describe(),
                    requirements=(f"Part 6 step {step}: the CSMS responds with a {action}Response", ANSWERS),
                    soft=True)  # the next triggered message (of another EVSE) is judged all the same
    return response


def triggered_meter_value() -> list[dict[str, Any]]:
    """meterValue of a triggered message: the energy register, read because of the trigger (context Trigger,
    Part 6 TC_F_11..14_CSMS)."""
    return [{"timestamp": utc_now(), "sampledValue": [
        {"value": 0.0, "context": "Trigger", "measurand": "Energy.Active.Import.Register"}]}]
