"""OCPP-J Part 4 RPC reactions, the SUT is a CSMS (the harness plays the Charging Station). Our own cases
(block "OCPPJ"): Part 6 has none for them. The judgement of a reaction is the same as on the station side
(see testcases/station/ocppj_rpc/test_rpc_reactions.py): every reaction Part 4 allows passes.

X_OCPPJ_05_CSMS withholds the harness station's answer to a CSMS request for half the message timeout while
the operator asks the CSMS for a second request to the same station: the CSMS must not send it before the
first is answered (or timed out) (Part 4 §4.1.1).
"""

import json
import time

from conformance.catalog import actions_handled_by
from conformance.roles import Role
from conformance.harness import CsmsUnderTest, case
from conformance.harness.reusable_states import csms as states
from conformance.protocol.errors import PeerTimeout
from conformance.protocol.frames import new_message_id, utc_now

USE_CASES = ("OCPP-J RPC",)
ANSWERS = ("OCPP-J Part 4 §4.2.3", "OCPP-J Part 4 §4.3")
CSMS_TAKES = actions_handled_by(Role.CSMS)
GET_INTERVAL = {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "HeartbeatInterval"}}


def frame(*items: object) -> str:
    return json.dumps(list(items), separators=(",", ":"))


@case(title="RPC: a request with an unknown action", use_cases=USE_CASES,
      summary="A CALL whose action is not an OCPP 2.0.1 message is answered CALLERROR NotImplemented.",
      requirements=("OCPP-J Part 4 §4.1.6",) + ANSWERS)
async def test_x_ocppj_01_csms(csms: CsmsUnderTest) -> None:
    await states.booted(csms)
    await csms.send_malformed(frame(2, new_message_id(), "OcppConformanceUnknownAction", {}),
                              requirements=("OCPP-J Part 4 §4.1.6",) + ANSWERS, handled_actions=CSMS_TAKES)


@case(title="RPC: a request whose payload violates its schema", use_cases=USE_CASES,
      summary="A HeartbeatRequest with a property it does not define, and a StatusNotificationRequest without "
              "its required connectorStatus, are answered with a CALLERROR code Part 4 allows.",
      requirements=("OCPP-J Part 4 §4.1.2",) + ANSWERS)
async def test_x_ocppj_02_csms(csms: CsmsUnderTest) -> None:
    await states.booted(csms)
    evse, connector = csms.connectors[0]
    for action, payload in (("Heartbeat", {"ocppConformanceUndefined": 1}),
                            ("StatusNotification", {"timestamp": utc_now(), "evseId": evse, "connectorId": connector})):
        await csms.send_malformed(frame(2, new_message_id(), action, payload),
                                  requirements=("OCPP-J Part 4 §4.1.2",) + ANSWERS, handled_actions=CSMS_TAKES)


@case(title="RPC: a message that is not valid JSON", use_cases=USE_CASES,
      summary="A message that is not valid JSON is answered CALLERROR RpcFrameworkError with message id -1 "
              "(or dropped).", requirements=("OCPP-J Part 4 §4.1.2",) + ANSWERS)
async def test_x_ocppj_03_csms(csms: CsmsUnderTest) -> None:
    await states.booted(csms)
    await csms.send_malformed(frame(2, new_message_id(), "Heartbeat", {})[:-3],
                              requirements=("OCPP-J Part 4 §4.1.2",) + ANSWERS, handled_actions=CSMS_TAKES)


@case(title="RPC: a message of an unknown message type", use_cases=USE_CASES,
      summary="A message with MessageTypeId 5 is answered CALLERROR MessageTypeNotSupported.",
      requirements=("OCPP-J Part 4 §4.1.3", "OCPP-J Part 4 §4.4") + ANSWERS)
async def test_x_ocppj_04_csms(csms: CsmsUnderTest) -> None:
    await states.booted(csms)
    await csms.send_malformed(frame(5, new_message_id(), "Heartbeat", {}),
                              requirements=("OCPP-J Part 4 §4.1.3", "OCPP-J Part 4 §4.4") + ANSWERS,
                              handled_actions=CSMS_TAKES)


@case(title="RPC: no second CALL while the first is unanswered", use_cases=USE_CASES,
      summary="While the harness station withholds its GetVariablesResponse, the CSMS does not send the "
              "TriggerMessageRequest the operator asked for next.",
      requirements=("OCPP-J Part 4 §4.1.1",), time_needed=lambda t: 6 * t.message_timeout)
async def test_x_ocppj_05_csms(csms: CsmsUnderTest) -> None:
    requirement = ("OCPP-J Part 4 §4.1.1",)
    window = csms.message_timeout / 2
    boot = await states.booted(csms)
    conn = boot.connection
    with conn.hold("GetVariables"):
        mark = conn.mark()
        await csms.actions.do("csms_send", station=csms.identity, request="GetVariables",
                              payload={"getVariableData": [GET_INTERVAL]})
        held = await csms.expect_call("GetVariables")
        await csms.actions.do("csms_send", station=csms.identity, request="TriggerMessage",
                              payload={"requestedMessage": "Heartbeat"})
        remaining = max(0.0, window - (time.monotonic() - held.received_mono))
        # the silence window is recorded as a protocol wait by expect_no_call
        await conn.expect_no_call("TriggerMessage", within=remaining, since=mark, requirements=requirement)
        others = [c for c in conn.mailbox[mark:] if c is not held and c.received_mono - held.received_mono < window]
        csms.check.that("the CSMS sends no CALL while its GetVariablesRequest is unanswered", not others,
                        expected=f"nothing within {window:g}s of the GetVariablesRequest",
                        actual=", ".join(f"{c.action} {c.message_id!r}" for c in others) or "nothing",
                        requirements=requirement)
    try:  # the hold ended: the GetVariablesResponse is sent; the queued request may follow now
        await csms.expect_call("TriggerMessage")
    except PeerTimeout:
        csms.note("the CSMS did not send the second request after the GetVariablesResponse")
