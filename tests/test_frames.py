"""OCPP-J framing and CALLERROR classification (Part 4 §4), without sockets."""

from __future__ import annotations

import json

import pytest

from conformance.protocol.frames import (
    ERROR_CODES,
    Call,
    CallError,
    CallResult,
    ErrorCode,
    FrameError,
    check_action,
    encode,
    new_message_id,
    parse_frame,
)
from conformance.protocol.rpc import OutstandingCallError, RpcState
from conformance.protocol.schemas import callerror_for, get_registry

RPC = ErrorCode.RPC_FRAMEWORK_ERROR
BOOT = '{"reason":"PowerUp","chargingStation":{"model":"M","vendorName":"V"}}'
KNOWN = get_registry().actions
CS_RECEIVES = frozenset({"Reset", "GetVariables", "SetVariables", "DataTransfer"})


def classify(data: str | bytes, handled: frozenset[str] | None = None) -> tuple[str, str, bool]:
    """(code, message id, respond) for a malformed frame; 'ok' when it is well formed and valid."""
    try:
        frame = parse_frame(data)
        if isinstance(frame, Call):
            check_action(frame, KNOWN, handled)
            violations = get_registry().validate(frame.action, "request", frame.payload)
            if violations:
                return callerror_for(violations), frame.message_id, True
    except FrameError as err:
        return err.code, err.message_id, err.respond
    return "ok", frame.message_id, True


# (name, raw frame, expected CALLERROR code, expected message id in the CALLERROR, answered?)
MALFORMED = [
    ("not json", "hello", RPC, "-1", True),
    ("truncated json", '[2, "a1", "Heartbeat", {', RPC, "-1", True),
    ("json object", '{"messageTypeId": 2}', RPC, "-1", True),
    ("json string", '"[2]"', RPC, "-1", True),
    ("json number", "2", RPC, "-1", True),
    ("json null", "null", RPC, "-1", True),
    ("empty array", "[]", RPC, "-1", True),
    ("empty text", "", RPC, "-1", True),
    ("NaN literal", '[2, "a1", "Heartbeat", {"x": NaN}]', RPC, "-1", True),
    ("invalid utf-8", b'[2, "a1", "Heartbeat", {"x": "\xff"}]', RPC, "-1", True),
    ("type id as string", '["2", "a1", "Heartbeat", {}]', RPC, "a1", True),
    ("type id as bool", '[true, "a1", "Heartbeat", {}]', RPC, "a1", True),
    ("type id float", '[2.5, "a1", "Heartbeat", {}]', RPC, "a1", True),
    ("type id 5", '[5, "a1", "Heartbeat", {}]', ErrorCode.MESSAGE_TYPE_NOT_SUPPORTED, "a1", True),
    ("type id 0", '[0, "a1"]', ErrorCode.MESSAGE_TYPE_NOT_SUPPORTED, "a1", True),
    ("type id 6 unreadable id", "[6, 7]", ErrorCode.MESSAGE_TYPE_NOT_SUPPORTED, "-1", True),
    ("call without id", "[2]", RPC, "-1", True),
    ("call id as number", '[2, 17, "Heartbeat", {}]', RPC, "-1", True),
    ("call id null", '[2, null, "Heartbeat", {}]', RPC, "-1", True),
    ("call id too long", f'[2, "{"x" * 37}", "Heartbeat", {{}}]', RPC, "-1", True),
    ("call id empty", '[2, "", "Heartbeat", {}]', RPC, "-1", True),
    ("call with 3 elements", '[2, "a1", "Heartbeat"]', RPC, "a1", True),
    ("call with 5 elements", '[2, "a1", "Heartbeat", {}, {}]', RPC, "a1", True),
    ("call action number", '[2, "a1", 42, {}]', RPC, "a1", True),
    ("call action null", '[2, "a1", null, {}]', RPC, "a1", True),
    ("unknown action", '[2, "a1", "Reboot", {}]', ErrorCode.NOT_IMPLEMENTED, "a1", True),
    ("action with Request suffix", '[2, "a1", "HeartbeatRequest", {}]', ErrorCode.NOT_IMPLEMENTED, "a1", True),
    ("action wrong case", '[2, "a1", "heartbeat", {}]', ErrorCode.NOT_IMPLEMENTED, "a1", True),
    ("action sent to the wrong side", '[2, "a1", "BootNotification", ' + BOOT + "]",
     ErrorCode.NOT_SUPPORTED, "a1", True),
    ("payload null", '[2, "a1", "Heartbeat", null]', ErrorCode.FORMAT_VIOLATION, "a1", True),
    ("payload array", '[2, "a1", "Heartbeat", []]', ErrorCode.FORMAT_VIOLATION, "a1", True),
    ("payload string", '[2, "a1", "Heartbeat", "{}"]', ErrorCode.FORMAT_VIOLATION, "a1", True),
    ("missing required field", '[2, "a1", "Reset", {}]', ErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION, "a1", True),
    ("wrong type", '[2, "a1", "Reset", {"type": 1}]', ErrorCode.TYPE_CONSTRAINT_VIOLATION, "a1", True),
    ("enum value unknown", '[2, "a1", "Reset", {"type": "Reboot"}]',
     ErrorCode.PROPERTY_CONSTRAINT_VIOLATION, "a1", True),
    ("enum wrong case", '[2, "a1", "Reset", {"type": "immediate"}]',
     ErrorCode.PROPERTY_CONSTRAINT_VIOLATION, "a1", True),
    ("unknown field", '[2, "a1", "Reset", {"type": "Immediate", "hard": true}]',
     ErrorCode.FORMAT_VIOLATION, "a1", True),
    ("integer as string", '[2, "a1", "Reset", {"type": "Immediate", "evseId": "1"}]',
     ErrorCode.TYPE_CONSTRAINT_VIOLATION, "a1", True),
    ("null for an optional field", '[2, "a1", "Reset", {"type": "Immediate", "evseId": null}]',
     ErrorCode.TYPE_CONSTRAINT_VIOLATION, "a1", True),
    ("string too long", '[2, "a1", "DataTransfer", {"vendorId": "' + "v" * 256 + '"}]',
     ErrorCode.PROPERTY_CONSTRAINT_VIOLATION, "a1", True),
    ("minItems violated", '[2, "a1", "GetVariables", {"getVariableData": []}]',
     ErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION, "a1", True),
    ("result with 2 elements", '[3, "a1"]', RPC, "a1", False),
    ("result with 4 elements", '[3, "a1", {}, {}]', RPC, "a1", False),
    ("result payload array", '[3, "a1", []]', ErrorCode.FORMAT_VIOLATION, "a1", False),
    ("result id number", "[3, 1, {}]", RPC, "-1", False),
    ("error unknown code", '[4, "a1", "Oops", "", {}]', RPC, "a1", False),
    ("error with 4 elements", '[4, "a1", "GenericError", ""]', RPC, "a1", False),
    ("error description number", '[4, "a1", "GenericError", 5, {}]', RPC, "a1", False),
    ("error description too long", '[4, "a1", "GenericError", "' + "d" * 256 + '", {}]', RPC, "a1", False),
    ("error details null", '[4, "a1", "GenericError", "", null]', RPC, "a1", False),
    ("error code misspelt in Part 4 4.4", '[4, "a1", "MessageTypeErrorSupported", "", {}]', RPC, "a1", False),
]


@pytest.mark.parametrize("name,raw,code,message_id,respond", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_frame_is_classified(name: str, raw: str | bytes, code: str, message_id: str, respond: bool) -> None:
    handled = CS_RECEIVES if "wrong side" in name else None
    got_code, got_id, got_respond = classify(raw, handled)
    assert (got_code, got_id, got_respond) == (code, message_id, respond)
    assert got_code in ERROR_CODES


def test_at_least_40_malformed_cases() -> None:
    assert len(MALFORMED) >= 40


EDGE_VALID = [
    ("empty payload", '[2, "a1", "Heartbeat", {}]'),
    ("id of 36 characters", f'[2, "{"x" * 36}", "Heartbeat", {{}}]'),
    ("uuid id", f'[2, "{new_message_id()}", "Heartbeat", {{}}]'),
    ("whitespace around", ' \n [2,"a1","Heartbeat",{}] \n'),
    ("unicode text", '[2, "a1", "DataTransfer", {"vendorId": "vé\u00e9ndor", "data": "\u20ac"}]'),
    ("big integer", '[2, "a1", "DataTransfer", {"vendorId": "v", "data": 123456789012345678901234567890}]'),
    ("integer written 1.0", '[2, "a1", "Reset", {"type": "Immediate", "evseId": 1.0}]'),
    ("customData with extra keys", '[2, "a1", "Heartbeat", {"customData": {"vendorId": "x", "extra": 1}}]'),
    ("result", '[3, "a1", {"currentTime": "2025-01-01T00:00:00Z"}]'),
    ("error", '[4, "a1", "NotSupported", "SetDisplayMessageRequest not implemented", {}]'),
    ("error with details", '[4, "-1", "RpcFrameworkError", "", {"cause": "bad json"}]'),
]


@pytest.mark.parametrize("name,raw", EDGE_VALID, ids=[e[0] for e in EDGE_VALID])
def test_edge_case_frames_are_accepted(name: str, raw: str) -> None:
    assert classify(raw)[0] == "ok"


def test_alternatives_start_with_the_preferred_code() -> None:
    with pytest.raises(FrameError) as info:
        parse_frame("not json")
    assert info.value.allowed[0] == RPC
    assert set(info.value.allowed) <= ERROR_CODES
    with pytest.raises(FrameError) as info:
        parse_frame('[9, "a"]')
    assert info.value.may_drop is False  # §4.4: must answer MessageTypeNotSupported


def test_frame_error_becomes_a_call_error() -> None:
    with pytest.raises(FrameError) as info:
        check_action(parse_frame('[2, "abc", "NoSuchThing", {}]'), KNOWN)
    error = info.value.to_call_error()
    assert error.message_id == "abc" and error.error_code == "NotImplemented"
    assert len(error.error_description) <= 255
    assert parse_frame(encode(error)) == error


@pytest.mark.parametrize("frame", [
    Call("m1", "Heartbeat", {}),
    Call("m2", "DataTransfer", {"vendorId": "é€", "data": [1, 2**70]}),
    CallResult("m3", {"currentTime": "2025-01-01T00:00:00Z"}),
    CallError("m4", "GenericError", "desc", {"a": 1}),
])
def test_encode_parse_round_trip(frame: Call | CallResult | CallError) -> None:
    text = encode(frame)
    assert isinstance(text, str)
    assert parse_frame(text) == frame
    assert json.loads(text)[0] == frame.message_type


def test_message_ids_are_unique_and_short() -> None:
    ids = {new_message_id() for _ in range(2000)}
    assert len(ids) == 2000
    assert all(len(i) <= 36 for i in ids)


def test_twelve_error_codes() -> None:
    assert len(ERROR_CODES) == 12


# --------------------------------------------------------------------------- RPC rules
def test_only_one_outstanding_call_on_our_side() -> None:
    rpc = RpcState()
    rpc.sending_call(Call("1", "Heartbeat", {}))
    with pytest.raises(OutstandingCallError):
        rpc.sending_call(Call("2", "Heartbeat", {}))
    call, issues = rpc.received_response(CallResult("1", {}))
    assert call is not None and not issues
    rpc.sending_call(Call("3", "Heartbeat", {}))


def test_message_id_reuse_on_our_side_is_refused() -> None:
    rpc = RpcState()
    rpc.sending_call(Call("1", "Heartbeat", {}))
    rpc.call_timed_out(rpc.our_outstanding)  # type: ignore[arg-type]
    with pytest.raises(OutstandingCallError):
        rpc.sending_call(Call("1", "Heartbeat", {}))


def test_peer_breaking_the_rpc_rules_is_reported() -> None:
    rpc = RpcState()
    assert rpc.received_call(Call("p1", "Heartbeat", {})) == []
    issues = rpc.received_call(Call("p2", "Heartbeat", {}))
    assert [i.rule for i in issues] == ["one-outstanding-call"]
    rpc.answering("p1")
    rpc.answering("p2")
    assert [i.rule for i in rpc.received_call(Call("p1", "Heartbeat", {}))] == ["unique-message-id"]
    _, issues = rpc.received_response(CallResult("nope", {}))
    assert [i.rule for i in issues] == ["response-matches-call"]
