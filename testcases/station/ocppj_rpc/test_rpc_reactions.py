"""OCPP-J Part 4 RPC reactions, the SUT is a Charging Station (the harness is its CSMS). Our own cases
(block "OCPPJ"): Part 6 has none for them.

How a receiver treats a message it cannot process is judged by :mod:`conformance.protocol.judge`: every
reaction Part 4 allows passes (the check names which one), only the preferred CALLERROR code in strict mode.
Part 4 §4.2.3 lets a receiver drop a message that is not valid OCPP or not schema-conformant; a message of an
unknown type must be answered (§4.1.3, §4.4).

X_OCPPJ_05_CS withholds the harness's answer to a station CALL for half the station's message timeout (its
OCPPCommCtrlr.MessageTimeout when readable, never more than the harness's): the station must not send its
next CALL meanwhile (Part 4 §4.1.1), and may once the answer came.
"""

import json
import time

from conformance.catalog import actions_handled_by
from conformance.roles import Role
from conformance.harness import ChargingStationUnderTest, case
from conformance.outcomes import Inconclusive
from conformance.protocol.errors import PeerTimeout
from conformance.protocol.frames import new_message_id
from conformance.protocol.variables import MESSAGE_TIMEOUT_DEFAULT

USE_CASES = ("OCPP-J RPC",)
ANSWERS = ("OCPP-J Part 4 §4.2.3", "OCPP-J Part 4 §4.3")
STATION_TAKES = actions_handled_by(Role.STATION)
GET_INTERVAL = {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "HeartbeatInterval"}}
# Part 2 §2.1.3 names MessageTimeout with variableInstance Default; a station that reports it without an instance is
# read that way too.
MESSAGE_TIMEOUT = {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "MessageTimeout"}}


def frame(*items: object) -> str:
    return json.dumps(list(items), separators=(",", ":"))


@case(title="RPC: a request with an unknown action", use_cases=USE_CASES,
      summary="A CALL whose action is not an OCPP 2.0.1 message is answered CALLERROR NotImplemented.",
      requirements=("OCPP-J Part 4 §4.1.6",) + ANSWERS)
async def test_x_ocppj_01_cs(station: ChargingStationUnderTest) -> None:
    """The station answers an unknown action with CALLERROR NotImplemented (Part 4 §4.3; NotSupported is the
    alternative the judge accepts, dropping is allowed by §4.2.3), never with a CALLRESULT."""
    await station.send_malformed(frame(2, new_message_id(), "OcppConformanceUnknownAction", {}),
                                 requirements=("OCPP-J Part 4 §4.1.6",) + ANSWERS, handled_actions=STATION_TAKES)


@case(title="RPC: a request whose payload violates its schema", use_cases=USE_CASES,
      summary="A GetVariablesRequest without its required field, and one with a field of the wrong type, are "
              "answered with a CALLERROR code Part 4 allows for the violation.",
      requirements=("OCPP-J Part 4 §4.1.2",) + ANSWERS)
async def test_x_ocppj_02_cs(station: ChargingStationUnderTest) -> None:
    """Missing required field (OccurrenceConstraintViolation, or FormatViolation / ProtocolError) and a field of
    the wrong type (TypeConstraintViolation, or FormatViolation / ProtocolError)."""
    for payload in ({}, {"getVariableData": "OCPPCommCtrlr.HeartbeatInterval"}):
        await station.send_malformed(frame(2, new_message_id(), "GetVariables", payload),
                                     requirements=("OCPP-J Part 4 §4.1.2",) + ANSWERS, handled_actions=STATION_TAKES)


@case(title="RPC: a message that is not valid JSON", use_cases=USE_CASES,
      summary="A message that is not valid JSON is answered CALLERROR RpcFrameworkError with message id -1 "
              "(or dropped).", requirements=("OCPP-J Part 4 §4.1.2",) + ANSWERS)
async def test_x_ocppj_03_cs(station: ChargingStationUnderTest) -> None:
    """The message id of an unparsable message cannot be read: the CALLERROR carries "-1" (Part 4 §4.2.3)."""
    text = frame(2, new_message_id(), "GetVariables", {"getVariableData": [GET_INTERVAL]})
    await station.send_malformed(text[:-3], requirements=("OCPP-J Part 4 §4.1.2",) + ANSWERS,
                                 handled_actions=STATION_TAKES)


@case(title="RPC: a message of an unknown message type", use_cases=USE_CASES,
      summary="A message with MessageTypeId 5 is answered CALLERROR MessageTypeNotSupported.",
      requirements=("OCPP-J Part 4 §4.1.3", "OCPP-J Part 4 §4.4") + ANSWERS)
async def test_x_ocppj_04_cs(station: ChargingStationUnderTest) -> None:
    """The station ignores the payload and answers MessageTypeNotSupported (RpcFrameworkError allowed)."""
    await station.send_malformed(frame(5, new_message_id(), "GetVariables", {"getVariableData": [GET_INTERVAL]}),
                                 requirements=("OCPP-J Part 4 §4.1.3", "OCPP-J Part 4 §4.4") + ANSWERS,
                                 handled_actions=STATION_TAKES)


@case(title="RPC: no second CALL while the first is unanswered", use_cases=USE_CASES,
      summary="While the harness withholds its HeartbeatResponse, the station does not send the "
              "StatusNotification it was asked to trigger; it sends it once the answer came.",
      requirements=("OCPP-J Part 4 §4.1.1", "F06.FR.04"),
      time_needed=lambda t: 6 * t.message_timeout)
async def test_x_ocppj_05_cs(station: ChargingStationUnderTest) -> None:
    requirement = ("OCPP-J Part 4 §4.1.1",)
    window = station.message_timeout
    value = await station.read_variable(MESSAGE_TIMEOUT_DEFAULT)
    if value is None:
        value = await station.read_variable(MESSAGE_TIMEOUT)
    if value is not None and value.strip().isdigit() and int(value) > 0:
        window = min(window, float(value))  # the station's own timeout: after it, a next CALL is allowed
    window /= 2
    evse, connector = station.connectors[0]
    conn = station.connection
    with conn.hold("Heartbeat"):
        mark = conn.mark()
        trigger = await station.call("TriggerMessage", {"requestedMessage": "Heartbeat"})
        if not trigger.ok or trigger.payload.get("status") != "Accepted":
            raise Inconclusive(f"the station does not trigger a Heartbeat: {trigger.describe()} "
                               f"{trigger.payload if trigger.ok else ''}")
        held = await station.expect_call("Heartbeat")
        second = await station.call("TriggerMessage", {"requestedMessage": "StatusNotification",
                                                       "evse": {"id": evse, "connectorId": connector}})
        if not second.ok or second.payload.get("status") != "Accepted":
            raise Inconclusive(f"the station does not trigger a StatusNotification: {second.describe()}")
        # the silence window is recorded as a protocol wait by expect_no_call
        remaining = max(0.0, window - (time.monotonic() - held.received_mono))
        await conn.expect_no_call("StatusNotification", within=remaining, since=mark, requirements=requirement)
        others = [c for c in conn.mailbox[mark:] if c is not held and c.received_mono - held.received_mono < window]
        station.check.that("the station sends no CALL while its HeartbeatRequest is unanswered", not others,
                           expected=f"nothing within {window:g}s of the HeartbeatRequest",
                           actual=", ".join(f"{c.action} {c.message_id!r}" for c in others) or "nothing",
                           requirements=requirement)
    try:  # the hold ended: the HeartbeatResponse is sent; now the triggered message may follow
        await station.expect_call("StatusNotification", evseId=evse, connectorId=connector)
    except PeerTimeout:
        station.note("the triggered StatusNotification did not follow the HeartbeatResponse")
