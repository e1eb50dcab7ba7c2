"""Validate recorded OCPP-J traffic: one frame, or a JSON-lines log of frames.

Accepted input (a file, or standard input):

* a single frame: ``[2, "id", "BootNotification", {...}]``, on one line or pretty-printed over
  several (``ocpp-conformance build --frame`` output can be piped straight in);
* JSON lines, one record per line, each either

  - a frame array, or
  - an object with the frame text under ``raw`` (our own event log, ``events.jsonl``: records
    whose ``kind`` is not ``frame`` are skipped) or the frame itself (array or text) under
    ``frame``. A ``direction`` (``"in"`` / ``"out"``) and ``connection`` field, when present,
    keep the two senders of every connection apart.

Blank lines are ignored; line numbers count every line of the input, starting at 1.

What is checked, per frame:

* Part 4 framing: JSON, array, MessageTypeId, MessageId, element count, the types of the
  elements, a CALLERROR's errorCode being one of the twelve of Part 4 §4.3
  (:func:`conformance.protocol.frames.parse_frame`), and a CALL's action being one of the 64;
* a CALL's payload against its request schema;
* a CALLRESULT's payload against the response schema of the CALL with the same message id sent
  the other way on the same connection; a CALLRESULT / CALLERROR whose CALL is not in the log
  is reported as answering no CALL. A malformed message whose id can be read may be answered
  by a CALLERROR with that id; a CALLERROR with message id ``"-1"`` answers a message whose id
  could not be read (Part 4 §4.2.3) and is accepted when such a message precedes it;
* with direction information only (the two senders cannot be told apart otherwise):

  - a CALL whose message id the same sender already used on that connection:
    ``message id reused (Part 4 §4.1.4)``;
  - a CALL sent while the same sender's previous CALL on that connection is unanswered:
    ``one-outstanding-call (Part 4 §4.1.1)``. A log does not record that a CALL timed out
    (after which a next CALL is allowed), so an unanswered CALL is reported once, at the next
    CALL of its sender, and not held against any later one.

  In our event log a ``connection`` event (opened / closed) starts a new WebSocket connection
  for that identity: message ids may be used again and nothing is outstanding.

Output (``ocpp-conformance validate``): one line per violation on standard output, in input
order, exactly ``<source>:<line>: <message>``, where ``<source>`` is the file name as given or
``<stdin>``, and ``<message>`` is one of

* ``<CALLERROR code>: <reason>`` for a framing error (the code a conformant receiver answers
  with), e.g. ``RpcFrameworkError: CALL must have 4 elements, got 3``;
* ``<Action>Request <message id>: <JSON path>: <text> [<keyword> -> <CALLERROR code>]`` or
  ``<Action>Response <message id>: <JSON path>: <text> [<keyword>]`` for a schema violation
  (``$`` is the payload root; the keyword is the JSON-schema keyword or the name of an extra
  check, see :mod:`conformance.protocol.schemas`);
* ``CALLRESULT <id> answers no CALL in this log`` / ``CALLERROR <id> ...``;
* ``message id reused (Part 4 §4.1.4): ...`` / ``one-outstanding-call (Part 4 §4.1.1): ...``.

A lone response (a CALLRESULT whose CALL is not in the input) is validated against the response
schema of ``--action NAME`` when given (``ocpp-conformance validate --action BootNotification``).

Then one count line on standard error: ``<n> frame(s) checked, <m> violation(s)``.
Exit codes: 0 no violation, 1 at least one violation, 2 the input could not be read or holds no
frame at all (the reason on standard error).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .protocol.frames import UNREADABLE_MESSAGE_ID, Call, CallResult, FrameError, check_action, parse_frame
from .protocol.schemas import get_registry

_DIRECTIONS = ("in", "out")
_OPPOSITE = {"in": "out", "out": "in", None: None}
_CONNECTION_RESETS = ("opened", "closed")


@dataclass
class Finding:
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.line}: {self.message}"


@dataclass
class ValidationReport:
    frames: int = 0
    findings: list[Finding] = field(default_factory=list)
    unreadable: bool = False
    reason: str = ""  #: why the input is unreadable (``unreadable`` is True)


@dataclass(frozen=True)
class _Item:
    """One frame of the input (``raw`` is None for a connection boundary)."""

    line: int
    raw: Any
    direction: str | None = None
    connection: str | None = None
    reset: bool = False


def _direction(value: Any) -> str | None:
    return value if value in _DIRECTIONS else None


def _connection(value: Any) -> str | None:
    return None if value is None else str(value)


def _record_item(number: int, record: dict[str, Any]) -> _Item | None:
    kind = record.get("kind")
    if kind == "connection":
        if record.get("event") in _CONNECTION_RESETS and record.get("connection") is not None:
            return _Item(number, None, connection=_connection(record["connection"]), reset=True)
        return None
    if kind is not None and kind != "frame":
        return None  # an action, check, wait, case boundary ... of our event log
    direction, connection = _direction(record.get("direction")), _connection(record.get("connection"))
    if "raw" in record:
        return _Item(number, record["raw"], direction, connection)
    if "frame" in record:
        frame = record["frame"]
        return _Item(number, frame if isinstance(frame, str) else json.dumps(frame), direction, connection)
    if kind == "frame":
        return _Item(number, None, direction, connection)  # reported: a frame event without its text
    return None


def _items_of(text: str) -> list[_Item]:
    """Every frame (and connection boundary) in the input, with its line number."""
    stripped = text.strip()
    if stripped[:1] in ("[", "{"):
        try:
            whole = json.loads(stripped)
        except ValueError:
            whole = None  # JSON lines, or a broken single frame: go line by line
        first = text[: text.index(stripped)].count("\n") + 1
        if isinstance(whole, list):
            return [_Item(first, stripped)]  # one frame, perhaps pretty-printed
        if isinstance(whole, dict):
            item = _record_item(first, whole)  # one record, perhaps pretty-printed
            return [item] if item is not None else []
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if line.lstrip().startswith("{"):
            try:
                record = json.loads(line)
            except ValueError:
                items.append(_Item(number, line))
                continue
            if isinstance(record, dict):
                item = _record_item(number, record)
                if item is not None:
                    items.append(item)
            continue
        items.append(_Item(number, line))
    return items


@dataclass
class _Pending:
    action: str | None  #: the action whose response schema applies; None if unknown or unreadable
    line: int
    name: str = "message"  #: how to name the CALL in a finding


class _Traffic:
    """RPC bookkeeping over a whole log: per (connection, direction of the sender)."""

    def __init__(self) -> None:
        self.pending: dict[tuple[str | None, str | None, str], _Pending] = {}
        self.outstanding: dict[tuple[str | None, str | None], str] = {}
        self.used_ids: dict[tuple[str | None, str | None], set[str]] = {}
        self.unreadable_ids: dict[tuple[str | None, str | None], int] = {}

    def reset(self, connection: str | None) -> None:
        for store in (self.pending, self.outstanding, self.used_ids, self.unreadable_ids):
            for key in [k for k in store if k[0] == connection]:
                del store[key]

    def call(self, number: int, connection: str | None, direction: str | None, message_id: str,
             action: str, *, known: bool) -> list[str]:
        """A well-formed CALL: the issues it raises under the RPC rules."""
        issues: list[str] = []
        sender = (connection, direction)
        if direction is not None:
            if message_id in self.used_ids.get(sender, ()):
                issues.append(f"message id reused (Part 4 §4.1.4): {action} {message_id!r}: the same "
                              f"sender already used this id on this connection")
            earlier = self.outstanding.get(sender)
            if earlier is not None:
                call = self.pending.get((connection, direction, earlier))
                what = f"{call.name} {earlier!r} (line {call.line})" if call else repr(earlier)
                issues.append(f"one-outstanding-call (Part 4 §4.1.1): {action} {message_id!r} sent "
                              f"while the same sender's {what} was still unanswered")
            self.used_ids.setdefault(sender, set()).add(message_id)
            self.outstanding[sender] = message_id
        self.pending[(connection, direction, message_id)] = _Pending(action if known else None, number, action)
        return issues

    def malformed(self, number: int, connection: str | None, direction: str | None, message_id: str) -> None:
        """A malformed message with a readable id: the receiver may answer it with a CALLERROR
        (or drop it, Part 4 §4.2.3), so it is neither outstanding nor held against the id rules."""
        self.pending.setdefault((connection, direction, message_id), _Pending(None, number))

    def response(self, connection: str | None, direction: str | None, message_id: str) -> _Pending | None:
        caller = (connection, _OPPOSITE[direction])
        call = self.pending.pop((connection, _OPPOSITE[direction], message_id), None)
        if call is not None and self.outstanding.get(caller) == message_id:
            del self.outstanding[caller]
        return call

    def unreadable(self, connection: str | None, direction: str | None) -> None:
        key = (connection, direction)
        self.unreadable_ids[key] = self.unreadable_ids.get(key, 0) + 1

    def answers_unreadable(self, connection: str | None, direction: str | None) -> bool:
        key = (connection, _OPPOSITE[direction])
        if self.unreadable_ids.get(key, 0) > 0:
            self.unreadable_ids[key] -= 1
            return True
        return False


def validate_stream(text: str, action: str | None = None) -> ValidationReport:
    """Validate one frame or a JSON-lines log of frames (see the module docstring).

    ``action`` (``validate --action NAME``): a CALLRESULT whose CALL is not in the input (a lone
    response) is validated against NAME's response schema instead of being reported as answering
    no CALL."""
    registry = get_registry()
    report = ValidationReport()
    traffic = _Traffic()

    def flag(number: int, message: str) -> None:
        report.findings.append(Finding(number, message))

    for item in _items_of(text):
        number, raw, direction, connection = item.line, item.raw, item.direction, item.connection
        if item.reset:
            traffic.reset(connection)
            continue
        report.frames += 1
        if not isinstance(raw, str):
            flag(number, f"frame record without the frame's text (raw is {type(raw).__name__})")
            continue
        try:
            frame = parse_frame(raw)
        except FrameError as err:
            flag(number, f"{err.code}: {err.reason}")
            if err.message_id == UNREADABLE_MESSAGE_ID:
                traffic.unreadable(connection, direction)
            elif err.message_type in (3, 4):
                traffic.response(connection, direction, err.message_id)  # it still answers its CALL
            else:
                traffic.malformed(number, connection, direction, err.message_id)
            continue
        if isinstance(frame, Call):
            for issue in traffic.call(number, connection, direction, frame.message_id, frame.action,
                                      known=registry.is_known(frame.action)):
                flag(number, issue)
            try:
                check_action(frame, registry.actions)
            except FrameError as err:
                flag(number, f"{err.code}: {err.reason}")
                continue
            for v in registry.validate(frame.action, "request", frame.payload):
                flag(number, f"{frame.action}Request {frame.message_id}: {v.path}: {v.message} "
                             f"[{v.keyword} -> {v.error_code}]")
            continue
        kind = "CALLRESULT" if isinstance(frame, CallResult) else "CALLERROR"
        call = traffic.response(connection, direction, frame.message_id)
        if call is None and action is not None:
            if isinstance(frame, CallResult):
                for v in registry.validate(action, "response", frame.payload):
                    flag(number, f"{action}Response {frame.message_id}: {v.path}: {v.message} [{v.keyword}]")
            continue
        if call is None:
            if kind == "CALLERROR" and frame.message_id == UNREADABLE_MESSAGE_ID \
                    and traffic.answers_unreadable(connection, direction):
                continue
            flag(number, f"{kind} {frame.message_id} answers no CALL in this log")
            continue
        if isinstance(frame, CallResult) and call.action is not None:
            for v in registry.validate(call.action, "response", frame.payload):
                flag(number, f"{call.action}Response {frame.message_id}: {v.path}: {v.message} [{v.keyword}]")
        # a well-formed CALLERROR is a valid answer to any CALL
    if report.frames == 0:
        report.unreadable = True
        report.reason = "no frames found in the input"
    return report
