"""The generic judgement of OCPP-J traffic, without I/O: one rule set for the live run and for ``validate``.

:class:`TrafficJudge` is fed every message of one WebSocket connection, in the order it crossed the
wire, tagged with its sender (``"in"``: the peer of the recording side, ``"out"``: the recording side;
``None`` when the sender is unknown, as in a bare list of frames). It answers with the
:class:`Finding` s each message raises:

=========================  ==========================================================================
rule                       what it checks (requirement)
=========================  ==========================================================================
``text-frame``             OCPP-J messages are text (UTF-8 JSON) WebSocket frames (Part 4 §4.1.2)
``json``                   the message is valid UTF-8 JSON (Part 4 §4.1.2)
``message-type``           the MessageTypeId is 2, 3 or 4 (Part 4 §4.1.3)
``message-id``             the MessageId is a string of 1 to 36 characters (Part 4 §4.1.4)
``message-structure``      the array has the elements of its message type (Part 4 §4.2.1-§4.2.3, §4.3)
``known-action``           a CALL's action is an OCPP 2.0.1 message the receiver takes (Part 4 §4.1.6)
``request-schema``         a CALL's payload conforms to its request schema and the Part 2 rules the
                           schemas cannot express (:mod:`conformance.protocol.schemas`)
``response-schema``        a CALLRESULT's payload conforms to the response schema of its CALL
``unique-message-id``      a sender never reuses a CALL message id on the connection (Part 4 §4.1.4);
                           errata 2024-09: a retry of a message (same action and payload) may keep
                           its id
``one-outstanding-call``   a sender sends no CALL while an earlier CALL of its own is unanswered and
                           not timed out (Part 4 §4.1.1)
``response-matches-call``  a CALLRESULT / CALLERROR answers an outstanding CALL of the other sender
                           (Part 4 §4.1.4)
=========================  ==========================================================================

RPC rules (reuse, outstanding) need the sender; without it they are not judged.

Part 4 §4.1.1 leaves the CALL timeout to the implementation. The judge takes the earlier CALL as
timed out once ``peer_timeout`` seconds passed since it was sent (``None``: never). A CALL the
receiver had already answered still counts as outstanding for a CALL that the sender sent before
that answer could reach it: the recording side says so with ``overtook`` (the message id of its
answer that the new message was already queued behind when it was sent).

:func:`close_finding` judges how a connection ended (a SUT-caused close is a finding, a close
that was asked for or announced is not).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .frames import UNREADABLE_MESSAGE_ID, Call, CallError, CallResult, ErrorCode, Frame, FrameError, \
    check_action, parse_frame
from .schemas import SchemaRegistry, Violation, get_registry

_OPPOSITE = {"in": "out", "out": "in", None: None}

RULE_REQUIREMENTS = {
    "text-frame": "OCPP-J Part 4 §4.1.2",
    "json": "OCPP-J Part 4 §4.1.2",
    "message-type": "OCPP-J Part 4 §4.1.3",
    "message-id": "OCPP-J Part 4 §4.1.4",
    "message-structure": "OCPP-J Part 4 §4.2",
    "known-action": "OCPP-J Part 4 §4.1.6",
    "unique-message-id": "OCPP-J Part 4 §4.1.4",
    "one-outstanding-call": "OCPP-J Part 4 §4.1.1",
    "response-matches-call": "OCPP-J Part 4 §4.1.4",
    "connection-close": "OCPP-J Part 4 §5",
}
_STRUCTURE_SECTION = {2: "OCPP-J Part 4 §4.2.1", 3: "OCPP-J Part 4 §4.2.2", 4: "OCPP-J Part 4 §4.2.3"}


@dataclass(frozen=True)
class Finding:
    """One breach of a generic rule by one message (or one connection close)."""

    rule: str
    name: str  #: the check, as a headline
    requirements: tuple[str, ...]
    expected: str
    actual: str
    message_id: str | None = None
    action: str | None = None
    kind: str | None = None  #: CALL / CALLRESULT / CALLERROR of the judged message, if readable
    error: FrameError | None = None  #: framing rules: what parse_frame / check_action said
    violations: tuple[Violation, ...] = ()  #: schema rules: every violation of the payload
    earlier: "Sent | None" = None  #: RPC rules: the earlier CALL involved (its ``ref`` says where it is)

    def as_event(self) -> dict[str, Any]:
        """The fields of the failed ``check`` event this finding becomes (shared contract 2)."""
        data: dict[str, Any] = {"name": self.name, "passed": False, "generic": True, "rule": self.rule,
                                "requirements": list(self.requirements), "expected": self.expected,
                                "actual": self.actual, "severity": "MUST"}
        if self.message_id is not None:
            data["message_id"] = self.message_id
        if self.action is not None:
            data["action"] = self.action
        return data


@dataclass(frozen=True)
class Judged:
    frame: Frame | None  #: None when the message is malformed
    findings: list[Finding]
    answers: "Sent | None" = None  #: for a response: the CALL it answers
    error: FrameError | None = None


@dataclass
class Sent:
    """A CALL one sender sent on the connection."""

    message_id: str
    action: str
    known: bool  #: an OCPP 2.0.1 action (its response schema applies)
    ref: Any
    mono: float | None
    payload: Any = None
    answered: bool = False
    timeout: float | None = None  #: when the receiver withholds its answer on purpose: the sender's own timeout


@dataclass
class _Sender:
    used: dict[str, Sent] = field(default_factory=dict)  # every CALL id used on this connection
    open: dict[str, Sent] = field(default_factory=dict)  # unanswered CALLs
    reported: set[str] = field(default_factory=set)  # open CALLs already held against a later CALL
    answerable: set[str] = field(default_factory=set)  # malformed messages the other side may answer
    unreadable: int = 0  # malformed messages whose id could not be read (answered with "-1")


def _frame_error_finding(err: FrameError, raw: str) -> Finding:
    reason = err.reason
    if err.code == ErrorCode.MESSAGE_TYPE_NOT_SUPPORTED:
        rule = "message-type"
    elif "MessageId" in reason:
        rule = "message-id"
    elif "not valid JSON" in reason or "UTF-8" in reason:
        rule = "json"
    else:
        rule = "message-structure"
    requirement = RULE_REQUIREMENTS[rule]
    if rule == "message-structure" and err.message_type in _STRUCTURE_SECTION:
        requirement = _STRUCTURE_SECTION[err.message_type]
        if "errorCode" in reason:
            requirement = "OCPP-J Part 4 §4.3"
    message_id = None if err.message_id == UNREADABLE_MESSAGE_ID else err.message_id
    return Finding(rule, "the SUT sends well-formed OCPP-J messages", (requirement,),
                   expected="a well-formed OCPP-J message", actual=f"{err.code}: {reason}; frame {_snippet(raw)}",
                   message_id=message_id, error=err)


def _snippet(raw: str, limit: int = 120) -> str:
    return raw if len(raw) <= limit else raw[: limit - 3] + "..."


def _schema_text(violations: tuple[Violation, ...]) -> str:
    shown = "; ".join(f"{v.path}: {v.message} [{v.keyword}]" for v in violations[:5])
    return shown + (f"; and {len(violations) - 5} more" if len(violations) > 5 else "")


class TrafficJudge:
    """The generic rules over one WebSocket connection's messages (see the module docstring)."""

    def __init__(self, *, registry: SchemaRegistry | None = None, peer_timeout: float | None = None,
                 handled_actions: dict[str | None, frozenset[str]] | None = None,
                 lone_response_action: str | None = None) -> None:
        self.registry = registry or get_registry()
        # validate --action NAME: a response to no CALL is a lone response of NAME (its schema applies)
        self.lone_response_action = lone_response_action
        self.peer_timeout = peer_timeout
        self.handled_actions = handled_actions or {}  # sender -> the actions its receiver takes
        self._senders: dict[str | None, _Sender] = {}

    def _sender(self, sender: str | None) -> _Sender:
        return self._senders.setdefault(sender, _Sender())

    def outstanding(self, sender: str | None, mono: float | None = None) -> list[Sent]:
        """The CALLs ``sender`` sent that are still unanswered (and not timed out at ``mono``)."""
        return [c for c in self._sender(sender).open.values() if not self._timed_out(c, mono)]

    # ------------------------------------------------------------------ one message
    def frame(self, sender: str | None, data: str | bytes, *, ref: Any = None, mono: float | None = None,
              binary: bool = False, overtook: str | None = None, deliberate: bool = False) -> Judged:
        """Judge one message. ``deliberate``: a malformed message its sender sends on purpose (a test
        of the receiver): it is not judged, only remembered as answerable."""
        findings: list[Finding] = []
        raw = data if isinstance(data, str) else data.decode("utf-8", "replace")
        if binary and not deliberate:
            findings.append(Finding("text-frame", "the SUT sends OCPP-J messages as WebSocket text frames",
                                    (RULE_REQUIREMENTS["text-frame"],), expected="a text frame",
                                    actual=f"a binary frame: {_snippet(raw)}"))
        me = self._sender(sender)
        try:
            frame = parse_frame(data)
        except FrameError as err:
            if not deliberate:
                findings.append(_frame_error_finding(err, raw))
            if err.message_id == UNREADABLE_MESSAGE_ID:
                me.unreadable += 1
            elif err.message_type in (3, 4):
                self._sender(_OPPOSITE[sender]).open.pop(err.message_id, None)  # it still answers its CALL
                self._sender(_OPPOSITE[sender]).answerable.discard(err.message_id)
            else:
                me.answerable.add(err.message_id)
            return Judged(None, findings, error=err)
        if isinstance(frame, Call):
            if deliberate:
                me.answerable.add(frame.message_id)
                return Judged(frame, findings)
            findings += self._call(sender, me, frame, ref, mono, overtook)
            return Judged(frame, findings)
        answered, more = self._response(sender, frame, raw)
        return Judged(frame, findings + more, answers=answered)

    def _call(self, sender: str | None, me: _Sender, call: Call, ref: Any, mono: float | None,
              overtook: str | None) -> list[Finding]:
        findings: list[Finding] = []
        what = f"CALL {call.action} {call.message_id!r}"
        retry = False
        if sender is not None:
            earlier = me.used.get(call.message_id)
            if earlier is not None:
                # a retry (errata 2024-09 §4.1.4): the same message again; whether the sender received the
                # response to the earlier one cannot be seen from here, so an answered one may be retried too
                retry = earlier.action == call.action and earlier.payload == call.payload
                if not retry:
                    findings.append(Finding(
                        "unique-message-id", "the SUT uses a new message id for every CALL",
                        (RULE_REQUIREMENTS["unique-message-id"], "OCPP 2.0.1 errata 2024-09 §4.1.4"),
                        expected="a message id not used before on this connection (a retry of the same "
                                 "message may keep its id)",
                        actual=f"{what} reuses the id of the earlier {earlier.action}"
                               + (" that was answered" if earlier.answered else ""),
                        message_id=call.message_id, action=call.action, kind="CALL", earlier=earlier))
            pending = [(mid, c) for mid, c in me.open.items()
                       if mid != call.message_id and mid not in me.reported and not self._timed_out(c, mono)]
            if overtook is not None and overtook != call.message_id and overtook in me.used \
                    and overtook not in me.reported and overtook not in me.open \
                    and not self._timed_out(me.used[overtook], mono):
                pending.append((overtook, me.used[overtook]))
            for mid, _ in pending:
                me.reported.add(mid)
            if pending:
                names = ", ".join(f"{c.action} {mid!r}" for mid, c in pending)
                findings.append(Finding(
                    "one-outstanding-call", "the SUT sends no CALL while an earlier CALL of its own is unanswered",
                    (RULE_REQUIREMENTS["one-outstanding-call"],),
                    expected="the earlier CALL answered (or timed out) before the next CALL",
                    actual=f"{what} sent while {names} was still unanswered",
                    message_id=call.message_id, action=call.action, kind="CALL", earlier=pending[0][1]))
        if retry:
            me.open.pop(call.message_id, None)
            me.reported.discard(call.message_id)
        known = self.registry.is_known(call.action)
        sent = Sent(call.message_id, call.action, known, ref, mono, call.payload)
        me.used[call.message_id] = sent
        me.open[call.message_id] = sent
        try:
            check_action(call, self.registry.actions, self.handled_actions.get(sender))
        except FrameError as err:
            findings.append(Finding("known-action", "the SUT sends only OCPP 2.0.1 actions its peer takes",
                                    (RULE_REQUIREMENTS["known-action"],), expected="an OCPP 2.0.1 action "
                                    "sent in this direction", actual=f"{err.code}: {err.reason}",
                                    message_id=call.message_id, action=call.action, kind="CALL", error=err))
            return findings
        violations = tuple(self.registry.validate(call.action, "request", call.payload))
        if violations:
            findings.append(Finding("request-schema", f"{call.action}Request conforms to its JSON schema",
                                    (f"schema {call.action}Request",), expected="a schema-valid payload",
                                    actual=f"{what}: {_schema_text(violations)}", message_id=call.message_id,
                                    action=call.action, kind="CALL", violations=violations))
        return findings

    def withhold(self, sender: str | None, message_id: str, timeout: float | None) -> None:
        """The receiver of ``sender``'s CALL ``message_id`` will never answer it, on purpose (a test of the
        sender's retries): the sender may take it as timed out after ``timeout`` seconds (its own message
        timeout; None: ``peer_timeout``)."""
        call = self._sender(sender).open.get(message_id)
        if call is not None and timeout is not None:
            call.timeout = timeout

    def _timed_out(self, earlier: Sent, mono: float | None) -> bool:
        limit = earlier.timeout if earlier.timeout is not None else self.peer_timeout
        return (limit is not None and mono is not None and earlier.mono is not None
                and mono - earlier.mono >= limit)

    def _response(self, sender: str | None, frame: CallResult | CallError, raw: str) -> tuple[Sent | None, list[Finding]]:
        kind = "CALLRESULT" if isinstance(frame, CallResult) else "CALLERROR"
        other = self._sender(_OPPOSITE[sender])
        call = other.open.pop(frame.message_id, None)
        if call is None:
            if frame.message_id in other.answerable:
                other.answerable.discard(frame.message_id)
                return None, []
            if self.lone_response_action is not None:
                lone = self.lone_response_action
                violations = tuple(self.registry.validate(lone, "response", frame.payload)) \
                    if isinstance(frame, CallResult) else ()
                return None, [Finding("response-schema", f"{lone}Response conforms to its JSON schema",
                                      (f"schema {lone}Response",), expected="a schema-valid payload",
                                      actual=f"CALLRESULT {frame.message_id!r}: {_schema_text(violations)}",
                                      message_id=frame.message_id, action=lone, kind=kind,
                                      violations=violations)] if violations else []
            if isinstance(frame, CallError) and frame.message_id == UNREADABLE_MESSAGE_ID and other.unreadable > 0:
                other.unreadable -= 1
                return None, []
            earlier = other.used.get(frame.message_id)
            why = (f"the {earlier.action} with this id was answered already" if earlier is not None
                   else "no CALL with this id was sent on this connection")
            return None, [Finding("response-matches-call", "every CALLRESULT/CALLERROR of the SUT answers an "
                                  "outstanding CALL", (RULE_REQUIREMENTS["response-matches-call"],),
                                  expected="a response to an outstanding CALL of this connection",
                                  actual=f"{kind} {frame.message_id!r} answers nothing: {why}; frame {_snippet(raw)}",
                                  message_id=frame.message_id, kind=kind, earlier=earlier)]
        call.answered = True
        other.reported.discard(frame.message_id)
        if isinstance(frame, CallResult) and call.known:
            violations = tuple(self.registry.validate(call.action, "response", frame.payload))
            if violations:
                return call, [Finding("response-schema", f"{call.action}Response conforms to its JSON schema",
                                      (f"schema {call.action}Response",), expected="a schema-valid payload",
                                      actual=f"CALLRESULT {frame.message_id!r}: {_schema_text(violations)}",
                                      message_id=frame.message_id, action=call.action, kind=kind,
                                      violations=violations)]
        return call, []


# ---------------------------------------------------------------------- connection close
#: close codes (RFC 6455 §7.4.1) that say the closing side found the other side at fault
_PEER_FAULT_CODES = {1002: "protocol error", 1003: "unacceptable data", 1007: "invalid UTF-8 / inconsistent data",
                     1008: "policy violation", 1009: "message too big", 1010: "missing extension",
                     1011: "internal error"}


def close_finding(*, by: str, code: int | None, reason: str = "", expected: bool = False,
                  outstanding: list[str] | None = None) -> Finding | None:
    """Judge how a connection ended, from the recording side's view.

    ``by``: ``"peer"`` (the SUT closed, or the TCP connection broke), ``"local"`` (the harness closed
    it, e.g. because the SUT sent a message too big: ``code`` 1009) or ``"abort"`` (no close frame).
    ``expected``: the case announced the close (a reboot it asked for). ``outstanding``: CALLs of
    either side unanswered at the close (described). None when the close is not the SUT's fault."""
    if expected:
        return None
    outstanding = outstanding or []
    causes = []
    if by == "local":
        if code in _PEER_FAULT_CODES:
            causes.append(f"the harness closed it with {code} ({_PEER_FAULT_CODES[code]}) because of what "
                          f"the SUT sent" + (f": {reason}" if reason else ""))
        else:
            return None
    elif by == "abort":
        causes.append("the SUT aborted the TCP connection without a WebSocket close frame")
    else:
        label = _PEER_FAULT_CODES.get(code or 0)
        if label is None and not outstanding:
            return None  # a plain close with nothing outstanding: a SUT may close (and reconnect)
        causes.append(f"the SUT closed it (code {code}{' ' + label if label else ''}"
                      f"{', ' + repr(reason) if reason else ''})")
    if outstanding:
        causes.append(f"while {', '.join(outstanding)} was outstanding")
    return Finding("connection-close", "the SUT keeps the connection open unless a close is expected",
                   (RULE_REQUIREMENTS["connection-close"],), expected="the connection open (or a close the case asked for)",
                   actual="connection closed: " + "; ".join(causes))
