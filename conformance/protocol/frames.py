"""OCPP-J framing (Part 4 §4): CALL, CALLRESULT and CALLERROR, without I/O.

Everything here is a plain function over data:

* :func:`parse_frame` turns the text of one WebSocket message into a :class:`Call`,
  :class:`CallResult` or :class:`CallError`, or raises :class:`FrameError` that says which
  CALLERROR a conformant receiver answers with (and which other answers Part 4 allows).
* :func:`encode` is the inverse.
* :func:`new_message_id` makes message ids (unique, at most 36 characters).

Part 4 is loose about error codes: §4.3 lists twelve, §4.1.7 says an invalid message is
answered with a CALLERROR, §4.2.3 also allows dropping a message that is not valid OCPP or
not schema-conformant. Each :class:`FrameError` therefore carries the *preferred* code, every
*allowed* code, and whether dropping is allowed; a judge in strict mode accepts only the
preferred code.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, Union

import orjson

MAX_MESSAGE_ID_LENGTH = 36
MAX_ERROR_DESCRIPTION_LENGTH = 255
UNREADABLE_MESSAGE_ID = "-1"  # Part 4 §4.2.3: the id to use when the message id cannot be read


class MessageType(IntEnum):
    CALL = 2
    CALLRESULT = 3
    CALLERROR = 4


class ErrorCode:
    """The twelve RPC framework error codes of Part 4 §4.3."""

    FORMAT_VIOLATION = "FormatViolation"
    GENERIC_ERROR = "GenericError"
    INTERNAL_ERROR = "InternalError"
    MESSAGE_TYPE_NOT_SUPPORTED = "MessageTypeNotSupported"
    NOT_IMPLEMENTED = "NotImplemented"
    NOT_SUPPORTED = "NotSupported"
    OCCURRENCE_CONSTRAINT_VIOLATION = "OccurrenceConstraintViolation"
    PROPERTY_CONSTRAINT_VIOLATION = "PropertyConstraintViolation"
    PROTOCOL_ERROR = "ProtocolError"
    RPC_FRAMEWORK_ERROR = "RpcFrameworkError"
    SECURITY_ERROR = "SecurityError"
    TYPE_CONSTRAINT_VIOLATION = "TypeConstraintViolation"


ERROR_CODES: frozenset[str] = frozenset(
    v for k, v in vars(ErrorCode).items() if not k.startswith("_") and isinstance(v, str)
)


@dataclass(frozen=True)
class Call:
    message_id: str
    action: str
    payload: dict[str, Any]

    message_type = MessageType.CALL

    def to_list(self) -> list[Any]:
        return [2, self.message_id, self.action, self.payload]


@dataclass(frozen=True)
class CallResult:
    message_id: str
    payload: dict[str, Any]

    message_type = MessageType.CALLRESULT

    def to_list(self) -> list[Any]:
        return [3, self.message_id, self.payload]


@dataclass(frozen=True)
class CallError:
    message_id: str
    error_code: str
    error_description: str = ""
    error_details: dict[str, Any] = field(default_factory=dict)

    message_type = MessageType.CALLERROR

    def to_list(self) -> list[Any]:
        return [4, self.message_id, self.error_code, self.error_description, self.error_details]


Frame = Union[Call, CallResult, CallError]


@dataclass(frozen=True)
class FrameError(Exception):
    """A frame that a conformant receiver must not process.

    ``code`` is the CALLERROR code the receiver should answer with (preferred), ``allowed``
    every code the text of Part 4 permits (preferred first). ``respond`` is False when the
    offending frame is itself a response (CALLRESULT / CALLERROR): responses are never
    answered. ``may_drop`` is True where Part 4 §4.2.3 lets the receiver drop the message.
    """

    code: str
    reason: str
    message_id: str = UNREADABLE_MESSAGE_ID
    allowed: tuple[str, ...] = ()
    respond: bool = True
    may_drop: bool = True
    message_type: int | None = None
    action: str | None = None

    def __post_init__(self) -> None:
        if not self.allowed:
            object.__setattr__(self, "allowed", (self.code,))
        elif self.allowed[0] != self.code:
            object.__setattr__(self, "allowed", (self.code, *[c for c in self.allowed if c != self.code]))

    def __str__(self) -> str:
        return f"{self.code}: {self.reason}"

    def to_call_error(self) -> CallError:
        """The CALLERROR a conformant receiver sends back (errorDetails carries the reason)."""
        return CallError(self.message_id, self.code, self.reason[:MAX_ERROR_DESCRIPTION_LENGTH], {})


_RPC = ErrorCode.RPC_FRAMEWORK_ERROR
_STRUCTURE_ALTERNATIVES = (ErrorCode.RPC_FRAMEWORK_ERROR, ErrorCode.PROTOCOL_ERROR, ErrorCode.FORMAT_VIOLATION)


def _raise_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def loads_strict(text: str | bytes) -> Any:
    """Decode JSON as RFC 8259 defines it: no NaN/Infinity; integers of any size."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        pass
    # orjson rejects integers beyond 64 bits, which are valid JSON; the stdlib decides.
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    return json.loads(text, parse_constant=_raise_constant)


def _describe(value: Any) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _message_id_of(items: list[Any]) -> str:
    """The message id if it can be read, else "-1" (Part 4 §4.2.3)."""
    if len(items) >= 2 and isinstance(items[1], str) and 0 < len(items[1]) <= MAX_MESSAGE_ID_LENGTH:
        return items[1]
    return UNREADABLE_MESSAGE_ID


def parse_frame(data: str | bytes) -> Frame:
    """Parse one OCPP-J message; raise :class:`FrameError` for anything not well formed.

    Only the RPC structure is checked here. The payload's conformance to its schema is
    checked by :func:`conformance.protocol.schemas.SchemaRegistry.validate`, and whether an
    action is known / handled by the receiver by :func:`check_action`.
    """
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FrameError(_RPC, f"message is not valid UTF-8 ({exc.reason} at byte {exc.start})",
                             allowed=_STRUCTURE_ALTERNATIVES) from None
    try:
        items = loads_strict(data)
    except (ValueError, RecursionError) as exc:
        raise FrameError(_RPC, f"message is not valid JSON: {exc}", allowed=_STRUCTURE_ALTERNATIVES) from None
    if not isinstance(items, list):
        raise FrameError(_RPC, f"message is a JSON {type(items).__name__}, not an array",
                         allowed=_STRUCTURE_ALTERNATIVES)
    if not items:
        raise FrameError(_RPC, "message is an empty array", allowed=_STRUCTURE_ALTERNATIVES)
    type_id = items[0]
    message_id = _message_id_of(items)
    if isinstance(type_id, bool) or not isinstance(type_id, int):
        raise FrameError(_RPC, f"MessageTypeId must be an integer, got {_describe(type_id)}", message_id,
                         allowed=_STRUCTURE_ALTERNATIVES)
    if type_id not in (2, 3, 4):
        # Part 4 §4.1.3 / §4.4: ignore the payload, answer MessageTypeNotSupported.
        raise FrameError(ErrorCode.MESSAGE_TYPE_NOT_SUPPORTED, f"unknown MessageTypeId {type_id}", message_id,
                         allowed=(ErrorCode.MESSAGE_TYPE_NOT_SUPPORTED, _RPC), may_drop=False, message_type=type_id)
    is_call = type_id == MessageType.CALL
    expected_length = {2: 4, 3: 3, 4: 5}[type_id]
    name = MessageType(type_id).name
    if len(items) < 2:
        raise FrameError(_RPC, f"{name} has no MessageId", allowed=_STRUCTURE_ALTERNATIVES,
                         respond=is_call, message_type=type_id)
    raw_id = items[1]
    if not isinstance(raw_id, str):
        raise FrameError(_RPC, f"MessageId must be a string, got {_describe(raw_id)}",
                         allowed=_STRUCTURE_ALTERNATIVES, respond=is_call, message_type=type_id)
    if len(raw_id) > MAX_MESSAGE_ID_LENGTH:
        raise FrameError(_RPC, f"MessageId is {len(raw_id)} characters long, at most {MAX_MESSAGE_ID_LENGTH} allowed",
                         allowed=_STRUCTURE_ALTERNATIVES, respond=is_call, message_type=type_id)
    if raw_id == "":
        raise FrameError(_RPC, "MessageId is empty", allowed=_STRUCTURE_ALTERNATIVES,
                         respond=is_call, message_type=type_id)
    if len(items) != expected_length:
        raise FrameError(_RPC, f"{name} must have {expected_length} elements, got {len(items)}", raw_id,
                         allowed=_STRUCTURE_ALTERNATIVES, respond=is_call, message_type=type_id)
    if is_call:
        action, payload = items[2], items[3]
        if not isinstance(action, str):
            raise FrameError(_RPC, f"Action must be a string, got {_describe(action)}", raw_id,
                             allowed=(_RPC, ErrorCode.NOT_IMPLEMENTED, ErrorCode.PROTOCOL_ERROR,
                                      ErrorCode.FORMAT_VIOLATION), message_type=type_id)
        if not isinstance(payload, dict):
            raise FrameError(ErrorCode.FORMAT_VIOLATION, f"payload of {action} must be a JSON object, got "
                             f"{_describe(payload)}", raw_id,
                             allowed=(ErrorCode.FORMAT_VIOLATION, ErrorCode.TYPE_CONSTRAINT_VIOLATION,
                                      ErrorCode.PROTOCOL_ERROR, _RPC), message_type=type_id, action=action)
        return Call(raw_id, action, payload)
    if type_id == MessageType.CALLRESULT:
        payload = items[2]
        if not isinstance(payload, dict):
            raise FrameError(ErrorCode.FORMAT_VIOLATION, f"CALLRESULT payload must be a JSON object, got "
                             f"{_describe(payload)}", raw_id, respond=False, message_type=type_id)
        return CallResult(raw_id, payload)
    code, description, details = items[2], items[3], items[4]
    if not isinstance(code, str) or code not in ERROR_CODES:
        raise FrameError(_RPC, f"CALLERROR errorCode {_describe(code)} is not one of the Part 4 §4.3 codes",
                         raw_id, respond=False, message_type=type_id)
    if not isinstance(description, str):
        raise FrameError(_RPC, f"CALLERROR errorDescription must be a string, got {_describe(description)}",
                         raw_id, respond=False, message_type=type_id)
    if len(description) > MAX_ERROR_DESCRIPTION_LENGTH:
        raise FrameError(_RPC, f"CALLERROR errorDescription is {len(description)} characters, at most "
                         f"{MAX_ERROR_DESCRIPTION_LENGTH} allowed", raw_id, respond=False, message_type=type_id)
    if not isinstance(details, dict):
        raise FrameError(_RPC, f"CALLERROR errorDetails must be a JSON object, got {_describe(details)}",
                         raw_id, respond=False, message_type=type_id)
    return CallError(raw_id, code, description, details)


def check_action(call: Call, known_actions: frozenset[str] | set[str],
                 handled_actions: frozenset[str] | set[str] | None = None) -> None:
    """Raise :class:`FrameError` when the receiver cannot process the CALL's action.

    An action that is not an OCPP 2.0.1 action (names are case-sensitive and carry no
    "Request" suffix, Part 4 §4.1.6) is ``NotImplemented``; a known action that this receiver
    does not take (a CSMS-to-station message sent to the CSMS, say) is ``NotSupported``.
    """
    if call.action not in known_actions:
        hint = ""
        stripped = call.action.removesuffix("Request")
        matches = [a for a in known_actions if a.lower() == stripped.lower()]
        if matches:
            hint = f" (did you mean {matches[0]!r}? actions are case-sensitive and have no 'Request' suffix)"
        raise FrameError(ErrorCode.NOT_IMPLEMENTED, f"unknown action {call.action!r}{hint}", call.message_id,
                         allowed=(ErrorCode.NOT_IMPLEMENTED, ErrorCode.NOT_SUPPORTED), may_drop=True,
                         message_type=2, action=call.action)
    if handled_actions is not None and call.action not in handled_actions:
        raise FrameError(ErrorCode.NOT_SUPPORTED, f"{call.action} is not sent to this side of the connection",
                         call.message_id, allowed=(ErrorCode.NOT_SUPPORTED, ErrorCode.NOT_IMPLEMENTED),
                         may_drop=True, message_type=2, action=call.action)


def encode(frame: Frame) -> str:
    """Serialise a frame to compact JSON text (always a text frame on the wire)."""
    try:
        return orjson.dumps(frame.to_list()).decode("utf-8")
    except TypeError:  # integers beyond 64 bits: only deliberately crafted frames have them
        return json.dumps(frame.to_list(), separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def utc_now() -> str:
    """The current time as an OCPP dateTime: UTC, millisecond precision, "Z" suffix."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_message_id() -> str:
    """A fresh message id: a UUID4 string, 36 characters (Part 4 §4.1.4)."""
    return str(uuid.uuid4())
