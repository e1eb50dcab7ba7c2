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

* ``binary WebSocket frame ...`` for a frame our event log recorded as binary, and
  ``connection-close (OCPP-J Part 4 §5): ...`` for a connection our event log recorded as closed
  because of the peer (1007, 1009, a TCP abort, a close while a CALL was outstanding).

* ``transaction-<rule> (<requirements>): <what>`` for a breach of a transaction invariant
  (:mod:`conformance.protocol.transactions`), judged over the whole input: the TransactionEventRequests a Charging
  Station sent (our event log: the SUT's frames when the harness was the CSMS), across its connections.

The rules are those of :mod:`conformance.protocol.findings` and :mod:`conformance.protocol.transactions`, the same
the live run applies, so
``validate`` over a run's event log reports what the run judged (it also judges the harness's own
frames, except those it sent malformed on purpose, recorded ``deliberate``).

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

from .protocol.findings import Finding as RuleFinding
from .protocol.findings import TrafficJudge, close_finding
from .protocol.schemas import get_registry
from .protocol.transactions import TransactionRecords

_DIRECTIONS = ("in", "out")
_CONNECTION_RESETS = ("opened", "closed")
_ROLES = ("CSMS", "ChargingStation")


@dataclass
class Finding:
    line: int
    message: str
    rule: str = ""  #: the rule of :mod:`conformance.protocol.findings`
    direction: str | None = None  #: who sent the frame ("in": the SUT, in our event log)
    frame_index: int | None = None  #: the frame's index in our event log
    connection: str | None = None

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
    record: dict[str, Any] | None = None  #: the event-log record, if the input is our event log


def _direction(value: Any) -> str | None:
    return value if value in _DIRECTIONS else None


def _connection(value: Any) -> str | None:
    return None if value is None else str(value)


def _record_item(number: int, record: dict[str, Any]) -> _Item | None:
    kind = record.get("kind")
    if kind == "session_start":
        return _Item(number, None, reset=True, record=record)  # a new session: every connection starts afresh
    if kind == "connection":
        if record.get("event") in _CONNECTION_RESETS and record.get("connection") is not None:
            return _Item(number, None, connection=_connection(record["connection"]), reset=True, record=record)
        return None
    if kind is not None and kind != "frame":
        return None  # an action, check, wait, case boundary ... of our event log
    direction, connection = _direction(record.get("direction")), _connection(record.get("connection"))
    if "raw" in record:
        return _Item(number, record["raw"], direction, connection, record=record)
    if "frame" in record:
        frame = record["frame"]
        return _Item(number, frame if isinstance(frame, str) else json.dumps(frame), direction, connection,
                     record=record)
    if kind == "frame":
        return _Item(number, None, direction, connection, record=record)  # reported: a frame event without text
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


def render(finding: RuleFinding) -> list[str]:
    """The ``validate`` output lines of one finding (a schema finding gives one line per violation)."""
    rule, mid, action = finding.rule, finding.message_id, finding.action
    if rule == "request-schema":
        return [f"{action}Request {mid}: {v.path}: {v.message} [{v.keyword} -> {v.error_code}]"
                for v in finding.violations]
    if rule == "response-schema":
        return [f"{action}Response {mid}: {v.path}: {v.message} [{v.keyword}]" for v in finding.violations]
    if rule == "response-matches-call":
        return [f"{finding.kind} {mid} answers no CALL in this log"]
    if rule == "unique-message-id":
        return [f"message id reused (Part 4 §4.1.4): {action} {mid!r}: the same sender already used this id "
                f"on this connection"]
    if rule == "one-outstanding-call":
        earlier = finding.earlier
        what = f"{earlier.action} {earlier.message_id!r} (line {earlier.ref})" if earlier else "CALL"
        return [f"one-outstanding-call (Part 4 §4.1.1): {action} {mid!r} sent while the same sender's {what} "
                f"was still unanswered"]
    if rule == "text-frame":
        return [f"binary WebSocket frame: OCPP-J messages are text frames (Part 4 §4.1.2)"]
    if rule == "connection-close":
        return [f"connection-close (OCPP-J Part 4 §5): {finding.actual}"]
    if finding.error is not None:
        return [f"{finding.error.code}: {finding.error.reason}"]
    return [f"{rule}: {finding.actual}"]


def _handled(local_role: Any) -> dict[str | None, frozenset[str]] | None:
    """What the receiver of the SUT's frames takes (our event log: the harness's local role)."""
    if local_role not in _ROLES:
        return None
    from .catalog import actions_handled_by
    return {"in": actions_handled_by(local_role)}


def validate_stream(text: str, action: str | None = None) -> ValidationReport:
    """Validate one frame or a JSON-lines log of frames (see the module docstring).

    ``action`` (``validate --action NAME``): a CALLRESULT whose CALL is not in the input (a lone
    response) is validated against NAME's response schema instead of being reported as answering
    no CALL."""
    registry = get_registry()
    report = ValidationReport()
    judges: dict[str | None, TrafficJudge] = {}
    timeouts: dict[str | None, float | None] = {}
    transactions = TransactionRecords()  # the transaction invariants, over the whole input (every connection)

    def judge_of(connection: str | None, record: dict[str, Any] | None) -> TrafficJudge:
        judge = judges.get(connection)
        if judge is None:
            judge = judges[connection] = TrafficJudge(registry=registry, peer_timeout=timeouts.get(connection),
                                                      handled_actions=_handled((record or {}).get("local_role")),
                                                      lone_response_action=action)
        return judge

    def flag(item: _Item, finding: RuleFinding) -> None:
        index = (item.record or {}).get("frame_index")
        for message in render(finding):
            report.findings.append(Finding(item.line, message, finding.rule, item.direction, index, item.connection))

    for item in _items_of(text):
        number, raw, direction, connection, record = item.line, item.raw, item.direction, item.connection, item.record
        if item.reset:
            if record is not None:
                transactions.observe(record)
            if record is not None and record.get("kind") == "session_start":
                judges.clear()
                continue
            if record is not None and record.get("event") == "closed" and "by" in record:
                finding = close_finding(by=record["by"], code=record.get("code"), reason=record.get("reason", ""),
                                        expected=bool(record.get("expected")), outstanding=record.get("outstanding"))
                if finding is not None:
                    report.findings.append(Finding(number, render(finding)[0], finding.rule, "in", None, connection))
            judges.pop(connection, None)
            if record is not None and record.get("event") == "opened":
                timeouts[connection] = record.get("peer_timeout")
            continue
        report.frames += 1
        if not isinstance(raw, str):
            report.findings.append(Finding(number, f"frame record without the frame's text (raw is "
                                                   f"{type(raw).__name__})", "", direction))
            continue
        record = record or {}
        judged = judge_of(connection, record).frame(
            direction, raw, ref=number, mono=record.get("mono"), binary=bool(record.get("binary")),
            overtook=record.get("overtook"), deliberate=bool(record.get("deliberate")))
        for finding in judged.findings:
            flag(item, finding)
        seen = record if record.get("kind") == "frame" and record.get("raw") == raw else \
            {"kind": "frame", "raw": raw, "direction": direction, "connection": connection, "line": number,
             "wall": record.get("wall"), "local_role": record.get("local_role"), "deliberate": record.get("deliberate")}
        for tx_finding in transactions.observe(seen):
            report.findings.append(Finding(number, tx_finding.render(), tx_finding.rule, "in",
                                           record.get("frame_index"), connection))
    if report.frames == 0:
        report.unreadable = True
        report.reason = "no frames found in the input"
    return report
