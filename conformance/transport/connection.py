"""One OCPP-J connection, for either side, over a `websockets` connection.

The protocol decisions are made by the sans-I/O core (:mod:`conformance.protocol`); this
class moves frames, records each one, and gives test code three verbs:

* ``await conn.call(action, payload)``: send a CALL, return the CALLRESULT or CALLERROR.
* ``await conn.expect_call(action, **match)``: wait for the peer's CALL whose payload
  matches partially; returns an :class:`IncomingCall`.
* ``conn.on(action, handler)`` / ``conn.hold(action)``: decide how CALLs are answered.
  Unheld CALLs are answered at once by the handler (or the default handler); held CALLs
  wait for the test to ``await incoming.reply(...)``, and are answered by the handler when
  the hold ends, so the peer never waits forever.

Every wait is bounded by a timeout and ends with a clear :mod:`~conformance.protocol.errors`
failure that names what was expected.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Iterator, Mapping

from websockets.exceptions import ConnectionClosed

from ..protocol.errors import LocalError, PeerClosed, PeerMalformed, PeerTimeout
from ..protocol.findings import Finding, TrafficJudge, close_finding
from ..protocol.frames import Call, CallError, CallResult, ErrorCode, Frame, FrameError, check_action, encode, \
    new_message_id, parse_frame
from ..protocol.patterns import describe, differences, matches
from ..protocol.rpc import OutstandingCallError, RpcState
from ..protocol.schemas import Violation, callerror_for, get_registry
from ..recording import EventLog



@dataclass(frozen=True)
class Withhold:
    """A handler's decision not to answer a CALL at all, because the case asks for it (Part 6 E13: "the CSMS does
    not reply"): nothing is sent, not even when a hold ends; the decision is recorded. ``peer_timeout``: after how
    many seconds the peer may take the CALL as timed out and send its next CALL (its own message timeout, Part 4
    §4.1.1); None: the connection's message timeout, as for every CALL. ``tolerance``: the judge compares arrival
    times, which deviate from the peer's own timer by up to this (the max time deviation, Part 6 §2.1): a next CALL
    that arrives ``peer_timeout - tolerance`` after the withheld one is taken as sent after the peer's timeout."""

    reason: str
    peer_timeout: float | None = None
    tolerance: float = 0.0


HandlerResult = dict[str, Any] | CallError | Withhold
Handler = Callable[["IncomingCall"], HandlerResult | Awaitable[HandlerResult]]


def describe_pattern(action: str, pattern: Mapping[str, Any]) -> str:
    if not pattern:
        return action
    fields = ", ".join(f"{k}={describe(v)}" for k, v in pattern.items())
    return f"{action}({fields})"


@dataclass(eq=False)
class IncomingCall:
    """A CALL received from the peer."""

    connection: "Connection"
    call: Call
    received_mono: float
    received_wall: float
    violations: tuple[Violation, ...] = ()
    response: HandlerResult | None = None
    claimed: bool = False
    held: bool = False
    withheld: bool = False  # a handler decided never to answer it (:class:`Withhold`)
    answered: asyncio.Event = field(default_factory=asyncio.Event)
    answered_mono: float | None = None  # when the answer (CALLRESULT / CALLERROR) went out on the wire

    @property
    def action(self) -> str:
        return self.call.action

    @property
    def payload(self) -> dict[str, Any]:
        return self.call.payload

    @property
    def message_id(self) -> str:
        return self.call.message_id

    async def reply(self, payload: dict[str, Any]) -> None:
        await self.connection._answer(self, payload)

    async def reply_error(self, code: str, description: str = "", details: dict[str, Any] | None = None) -> None:
        await self.connection._answer(self, CallError(self.message_id, code, description, details or {}))


@dataclass(frozen=True)
class Response:
    """What came back for a CALL we sent."""

    call: Call
    frame: CallResult | CallError | None
    sent_mono: float
    received_mono: float
    violations: tuple[Violation, ...] = ()

    @property
    def ok(self) -> bool:
        return isinstance(self.frame, CallResult)

    @property
    def payload(self) -> dict[str, Any]:
        if isinstance(self.frame, CallResult):
            return self.frame.payload
        raise PeerMalformed(f"{self.call.action} answered with a CALLRESULT", expected="CALLRESULT",
                            actual=self.describe())

    @property
    def error_code(self) -> str | None:
        return self.frame.error_code if isinstance(self.frame, CallError) else None

    def describe(self) -> str:
        if isinstance(self.frame, CallError):
            return f"CALLERROR {self.frame.error_code} {self.frame.error_description!r}"
        return "CALLRESULT"


class Connection:
    """An OCPP-J connection seen from the harness (or from a reference SUT)."""

    def __init__(self, ws: Any, *, identity: str, local_role: str, log: EventLog | None,
                 message_timeout: float, handled_actions: frozenset[str] | None = None,
                 default_handler: Handler | None = None, name: str = "") -> None:
        self.ws = ws
        self.identity = identity
        self.local_role = local_role  # "CSMS" or "ChargingStation"
        self.log = log
        self.message_timeout = message_timeout
        self.registry = get_registry()
        self.handled_actions = handled_actions
        self.default_handler = default_handler
        self.name = name or identity
        self.rpc = RpcState()
        # The generic rules (Part 4 framing and RPC, schemas both ways), judged on what the peer sends; with a
        # log every finding is a failed check of the case (EventLog.finding). The peer's CALL timeout is
        # taken to be ours (Part 4 §4.1.1 leaves it to the implementation).
        self.judge = TrafficJudge(registry=self.registry, peer_timeout=message_timeout,
                                  handled_actions={"in": handled_actions} if handled_actions is not None else None)
        self.findings: list[Finding] = []
        self._overtaking: tuple[str, int] | None = None  # (our answer's id, peer messages already queued then)
        self.close_expected = ""  # why a close is expected now (a reboot the case asked for): no finding
        #: How this side answers a message it cannot process (unknown action, invalid payload, malformed frame):
        #: given the conformant CALLERROR and the CALL (None when unreadable), it returns what to send: a
        #: CallError, a payload dict (a CALLRESULT) or None (drop it). The reference SUTs' faults replace it.
        self.react_to_invalid: Callable[[CallError, Call | None], HandlerResult | None] = lambda error, call: error
        #: A reference SUT's payload faults: given the message ("BootNotificationRequest", "GetReportResponse") and
        #: the payload this side is about to send, the payload it sends instead (the same object: unchanged). An
        #: edited payload that breaks its schema is sent as a deliberate violation.
        self.edit_outgoing: Callable[[str, dict[str, Any]], dict[str, Any]] | None = None
        self._closing = False  # this side started the close
        self.handlers: dict[str, Handler] = {}
        self._held: dict[str, int] = {}
        self.mailbox: list[IncomingCall] = []
        self.protocol_issues: list[str] = []
        self._arrived = asyncio.Condition()
        self._pending: asyncio.Future[tuple[Frame, float, tuple[Violation, ...]]] | None = None
        self._send_lock = asyncio.Lock()
        self._call_lock = asyncio.Lock()
        self._raw_waiters: dict[str, asyncio.Future[CallResult | CallError]] = {}
        self._reader: asyncio.Task[None] | None = None
        self.closed = asyncio.Event()
        self.close_reason = ""
        self.remote_address = self._peer(ws)

    @staticmethod
    def _peer(ws: Any) -> str:
        with contextlib.suppress(Exception):
            host, port = ws.remote_address[:2]
            return f"{host}:{port}"
        return "?"

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> "Connection":
        self._reader = asyncio.create_task(self._read_loop(), name=f"ocpp-reader-{self.name}")
        return self

    async def run_until_closed(self) -> None:
        if self._reader is None:
            self.start()
        assert self._reader is not None
        await asyncio.shield(self._reader)

    def expect_close(self, reason: str) -> None:
        """Declare that the peer may close (or lose) this connection from now on without it being a finding:
        a reset or power cycle the case asked for."""
        self.close_expected = reason
        self._emit("connection", event="close_expected", reason=reason)

    async def close(self, code: int = 1000, reason: str = "") -> None:
        self._closing = True
        with contextlib.suppress(Exception):
            await self.ws.close(code, reason)
        if self._reader is not None:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(2):
                    await asyncio.shield(self._reader)
        self._mark_closed(reason or "closed by this side")

    def _mark_closed(self, reason: str, *, by: str = "local", code: int | None = None) -> None:
        if not self.closed.is_set():
            self.close_reason = reason
            self.closed.set()
            now = time.monotonic()
            outstanding = [f"the harness's {c.action} {c.message_id!r}" for c in self.judge.outstanding("out", now)]
            outstanding += [f"the SUT's {c.action} {c.message_id!r}" for c in self.judge.outstanding("in", now)]
            self._emit("connection", event="closed", reason=reason, by=by, code=code,
                       expected=self.close_expected or None, outstanding=outstanding)
            finding = close_finding(by=by, code=code, reason=reason, expected=bool(self.close_expected),
                                    outstanding=outstanding)
            if finding is not None:
                self._report(finding, None, None)
        if self._pending is not None and not self._pending.done():
            self._pending.set_exception(PeerClosed(
                "the connection stayed open until the response arrived", expected="a response",
                actual=f"connection closed: {reason}"))

    @property
    def is_open(self) -> bool:
        return not self.closed.is_set()

    # ------------------------------------------------------------------ recording
    def _emit(self, kind: str, **data: Any) -> None:
        if self.log is not None:
            self.log.emit(kind, connection=self.identity, local_role=self.local_role, **data)

    def _record_frame(self, direction: str, raw: str, frame: Frame | None, *, action: str | None = None,
                      violations: tuple[Violation, ...] = (), error: str | None = None,
                      issues: list[str] | None = None, binary: bool = False, deliberate: bool = False,
                      overtook: str | None = None) -> int | None:
        """Record one frame; returns its run-wide frame index (None without a log)."""
        if self.log is None:
            return None
        index = self.log.next_frame_index()
        data: dict[str, Any] = {"direction": direction, "raw": raw, "frame_index": index}
        if frame is not None:
            data["message_type"] = frame.message_type.name
            data["message_id"] = frame.message_id
            if isinstance(frame, Call):
                data["action"] = frame.action
                data["payload"] = frame.payload
            elif isinstance(frame, CallResult):
                data["action"] = action
                data["payload"] = frame.payload
            else:
                data["action"] = action
                data["error_code"] = frame.error_code
                data["error_description"] = frame.error_description
                data["payload"] = frame.error_details
        data["valid"] = not violations and error is None and not issues
        if violations:
            data["violations"] = [{"path": v.path, "keyword": v.keyword, "message": v.message} for v in violations]
        if error:
            data["error"] = error
        if issues:
            data["rpc_issues"] = issues
        if binary:
            data["binary"] = True
        if deliberate:
            data["deliberate"] = True
        if overtook is not None:
            data["overtook"] = overtook  # already queued when the harness sent its answer to this id
        self._emit("frame", **data)
        return index

    def _report(self, finding: Finding, index: int | None, raw: str | None) -> None:
        """A generic finding about what the peer sent: a failed check of the case (shared contract 2)."""
        self.findings.append(finding)
        if self.log is None:
            return
        data = finding.as_event()
        if index is not None:
            data["frame_index"] = index
        if raw is not None:
            data["frame"] = raw if len(raw) <= 300 else raw[:297] + "..."
        self.log.finding(connection=self.identity, local_role=self.local_role, **data)

    def _judge_out(self, text: str, *, deliberate: bool = False) -> None:
        """What this side sends is fed to the judge too (the peer's responses are matched against it); it is
        not judged here (the harness refuses to send invalid messages, except deliberately malformed ones)."""
        self.judge.frame("out", text, mono=time.monotonic(), deliberate=deliberate)
        # peer messages already queued now were sent before this answer could reach the peer (Part 4 §4.1.1)
        message_id = self._sent_answer_id(text)
        if message_id is not None:
            queued = self._queued_messages()
            self._overtaking = (message_id, queued) if queued else None

    @staticmethod
    def _sent_answer_id(text: str) -> str | None:
        if text.startswith(("[3,", "[4,")):
            with contextlib.suppress(FrameError):
                return parse_frame(text).message_id
        return None

    def _queued_messages(self) -> int:
        """Complete messages the WebSocket library has received and this side has not read yet."""
        with contextlib.suppress(Exception):
            return sum(1 for f in self.ws.recv_messages.frames.queue if f.fin)
        return 0

    # ------------------------------------------------------------------ sending
    async def _send_text(self, text: str) -> None:
        try:
            await self.ws.send(text)
        except ConnectionClosed as exc:
            why, how = self._how_closed()
            self._mark_closed(why if how.get("by") != "local" else f"{exc}", **how)
            raise PeerClosed("the connection was open to send a message", expected="open connection",
                             actual=f"closed: {exc}") from None

    async def send_raw(self, text: str, *, note: str = "") -> None:
        """Send arbitrary text (for deliberately malformed frames); recorded as is."""
        self._record_frame("out", text, None, error=f"deliberately malformed frame{': ' + note if note else ''}",
                           deliberate=True)
        self.judge.frame("out", text, mono=time.monotonic(), deliberate=True)
        async with self._send_lock:
            await self._send_text(text)

    async def send_malformed(self, text: str, *, answer_id: str, timeout: float | None = None,
                             note: str = "") -> CallResult | CallError | None:
        """Send a deliberately malformed frame and return the peer's response carrying
        ``answer_id``, or None if none came within the timeout (the peer dropped it)."""
        timeout = self.message_timeout if timeout is None else timeout
        async with self._call_lock:
            waiter: asyncio.Future[CallResult | CallError] = asyncio.get_running_loop().create_future()
            self._raw_waiters[answer_id] = waiter
            try:
                await self.send_raw(text, note=note)
                async with asyncio.timeout(timeout):
                    return await waiter
            except TimeoutError:
                return None
            finally:
                self._raw_waiters.pop(answer_id, None)

    async def call(self, action: str, payload: dict[str, Any], *, timeout: float | None = None,
                   allow_invalid: bool = False, message_id: str | None = None) -> Response:
        """Send a CALL and wait for its CALLRESULT / CALLERROR (bounded by the message timeout).

        CALLs from concurrent tasks are queued: one outstanding CALL at a time (Part 4 §4.1.1).
        """
        async with self._call_lock:
            return await self._call(action, payload, timeout=timeout, allow_invalid=allow_invalid,
                                    message_id=message_id)

    async def _call(self, action: str, payload: dict[str, Any], *, timeout: float | None,
                    allow_invalid: bool, message_id: str | None) -> Response:
        if self.edit_outgoing is not None:
            edited = self.edit_outgoing(f"{action}Request", payload)
            allow_invalid, payload = allow_invalid or edited is not payload, edited
        call = Call(message_id or new_message_id(), action, payload)
        violations = tuple(self.registry.validate(action, "request", payload)) if self.registry.is_known(action) else ()
        if violations and not allow_invalid:
            raise LocalError(f"the harness was about to send an invalid {action}Request: "
                             + "; ".join(f"{v.path}: {v.message}" for v in violations))
        timeout = self.message_timeout if timeout is None else timeout
        loop = asyncio.get_running_loop()
        try:
            self.rpc.sending_call(call)
        except OutstandingCallError as exc:
            raise LocalError(str(exc)) from None
        self._pending = loop.create_future()
        # a failure delivered after the caller gave up must not be reported as "never retrieved"
        self._pending.add_done_callback(lambda f: f.cancelled() or f.exception())
        issues_before = len(self.protocol_issues)
        text = encode(call)
        sent = time.monotonic()
        self._record_frame("out", text, call, violations=violations)
        self.judge.frame("out", text, mono=sent, deliberate=allow_invalid and bool(violations))
        try:
            async with self._send_lock:
                await self._send_text(text)
            try:
                async with asyncio.timeout(timeout):
                    frame, received, resp_violations = await self._pending
            except TimeoutError:
                self.rpc.call_timed_out(call)
                meanwhile = self.protocol_issues[issues_before:]
                actual = "no response"
                if meanwhile:
                    actual += f"; meanwhile {len(meanwhile)} malformed frame(s) arrived: {meanwhile[0]}"
                raise PeerTimeout(f"the SUT answers {action}Request within the message timeout",
                                  expected=f"CALLRESULT or CALLERROR for {action} ({call.message_id}) "
                                           f"within {timeout:g}s",
                                  actual=actual, rule="response-timeout") from None
        finally:
            self._pending = None
        return Response(call, frame, sent, received, resp_violations)

    async def _answer(self, incoming: IncomingCall, result: HandlerResult) -> None:
        if incoming.answered.is_set():
            raise LocalError(f"{incoming.action} ({incoming.message_id}) was already answered")
        deliberate = False
        if self.edit_outgoing is not None and not isinstance(result, CallError):
            edited = self.edit_outgoing(f"{incoming.action}Response", result)
            deliberate, result = edited is not result, edited
        incoming.answered.set()
        incoming.response = result
        self.rpc.answering(incoming.message_id)
        if isinstance(result, CallError):
            frame: Frame = result
            violations: tuple[Violation, ...] = ()
        else:
            frame = CallResult(incoming.message_id, result)
            violations = tuple(self.registry.validate(incoming.action, "response", result)) \
                if self.registry.is_known(incoming.action) else ()
            if violations and not deliberate:
                raise LocalError(f"the harness was about to send an invalid {incoming.action}Response: "
                                 + "; ".join(f"{v.path}: {v.message}" for v in violations))
        text = encode(frame)
        self._record_frame("out", text, frame, action=incoming.action)
        self._judge_out(text, deliberate=deliberate and bool(violations))
        if self.closed.is_set():
            return
        async with self._send_lock:
            with contextlib.suppress(PeerClosed):
                await self._send_text(text)
                incoming.answered_mono = time.monotonic()

    # ------------------------------------------------------------------ receiving
    async def _read_loop(self) -> None:
        reason = "closed by peer"
        failed = False
        try:
            async for message in self.ws:
                await self._on_message(message)
        except ConnectionClosed:
            pass
        except Exception as exc:  # never let the reader die silently
            failed = True
            reason = f"reader error: {exc!r}"
            self._emit("note", level="error", message=f"connection reader failed: {exc!r}")
        finally:
            if failed:
                self._mark_closed(reason)
            else:
                why, how = self._how_closed()
                self._mark_closed(why, **how)
            async with self._arrived:
                self._arrived.notify_all()

    def _how_closed(self) -> tuple[str, dict[str, Any]]:
        """Why the WebSocket ended, from its close frames: (reason, {by, code}). ``by`` is "local" when this
        side sent the first close frame (asked for, or because of what the peer sent: 1007, 1009), "peer"
        when the peer did, "abort" when the TCP connection ended without a close frame."""
        protocol = getattr(self.ws, "protocol", None)
        rcvd, sent = getattr(protocol, "close_rcvd", None), getattr(protocol, "close_sent", None)
        rcvd_first = getattr(protocol, "close_rcvd_then_sent", None)
        if self._closing or (sent is not None and (rcvd is None or rcvd_first is False)):
            if sent is None:
                return "closed by this side", {"by": "local"}
            return (f"closed by this side (code {sent.code} {sent.reason!r})" + (
                    f"; peer answered {rcvd.code}" if rcvd is not None else ""), {"by": "local", "code": sent.code})
        if rcvd is not None:
            return f"closed by peer (code {rcvd.code} {rcvd.reason!r})", {"by": "peer", "code": rcvd.code}
        return "the peer aborted the TCP connection (no close frame)", {"by": "abort"}

    async def _on_message(self, message: str | bytes) -> None:
        received = time.monotonic()
        binary = isinstance(message, bytes)
        raw = message if isinstance(message, str) else message.decode("utf-8", "replace")
        overtook = None
        if self._overtaking is not None:
            overtook, left = self._overtaking
            self._overtaking = (overtook, left - 1) if left > 1 else None
        judged = self.judge.frame("in", message, mono=received, binary=binary, overtook=overtook)
        issues = [f"{f.rule} ({f.requirements[0]}): {f.actual}" for f in judged.findings
                  if f.rule not in ("request-schema", "response-schema")]
        frame = judged.frame
        if frame is None:
            err = judged.error
            assert err is not None
            self.protocol_issues.append(str(err))
            index = self._record_frame("in", raw, None, error=str(err), issues=issues or None, binary=binary,
                                       overtook=overtook)
            self._report_all(judged.findings, index, raw)
            reaction = self.react_to_invalid(err.to_call_error(), None) if err.respond else None
            if reaction is not None:
                reply = reaction if isinstance(reaction, CallError) else CallResult(err.message_id, reaction)
                text = encode(reply)
                self._record_frame("out", text, reply)
                self._judge_out(text)
                async with self._send_lock:
                    with contextlib.suppress(PeerClosed):
                        await self._send_text(text)
            if self._pending is not None and not self._pending.done() and not err.respond:
                # A malformed response to our CALL: the caller learns it now rather than at timeout.
                self._pending.set_exception(PeerMalformed(
                    "the SUT answers with a well-formed CALLRESULT/CALLERROR (Part 4 §4.2)",
                    expected="a well-formed response", actual=f"{err.reason}: {raw[:200]}"))
            return
        if isinstance(frame, Call):
            violations = next((f.violations for f in judged.findings if f.rule == "request-schema"), ())
            self.protocol_issues.extend(issues)
            index = self._record_frame("in", raw, frame, violations=violations, issues=issues or None,
                                       binary=binary, overtook=overtook)
            self._report_all(judged.findings, index, raw)
            incoming = IncomingCall(self, frame, received, time.time(), violations)
            try:
                check_action(frame, self.registry.actions, self.handled_actions)
            except FrameError as err:
                # unknown or wrong-direction action: answered NotImplemented / NotSupported (Part 4 §4.2.3)
                reaction = self.react_to_invalid(err.to_call_error(), frame)
                if reaction is not None:
                    await self._answer(incoming, reaction)
                return
            if violations:
                code = callerror_for(violations)
                first = next(v for v in violations if v.error_code == code)
                reaction = self.react_to_invalid(CallError(frame.message_id, code,
                                                           f"{first.path}: {first.message}"[:255], {}), frame)
                if reaction is not None:
                    await self._answer(incoming, reaction)
            self.mailbox.append(incoming)
            async with self._arrived:
                self._arrived.notify_all()
            if not violations and not self._is_held(frame.action):
                await self._answer_with_handler(incoming)
            return
        waiter = self._raw_waiters.get(frame.message_id)
        if waiter is not None and not waiter.done():
            index = self._record_frame("in", raw, frame, action=None, issues=issues or None, binary=binary)
            self._report_all(judged.findings, index, raw)
            waiter.set_result(frame)
            return
        call, _ = self.rpc.received_response(frame)
        violations = next((f.violations for f in judged.findings if f.rule == "response-schema"), ())
        action = call.action if call else (judged.answers.action if judged.answers else None)
        index = self._record_frame("in", raw, frame, action=action, violations=violations, issues=issues or None,
                                   binary=binary, overtook=overtook)
        self._report_all(judged.findings, index, raw)
        self.protocol_issues.extend(issues)
        if call is not None and self._pending is not None and not self._pending.done():
            self._pending.set_result((frame, received, violations))

    def _report_all(self, findings: list[Finding], index: int | None, raw: str) -> None:
        for finding in findings:
            self._report(finding, index, raw)

    def _is_held(self, action: str) -> bool:
        return self._held.get(action, 0) > 0 or self._held.get("*", 0) > 0

    async def _answer_with_handler(self, incoming: IncomingCall) -> None:
        handler = self.handlers.get(incoming.action) or self.default_handler
        if handler is None:
            result: HandlerResult = CallError(incoming.message_id, ErrorCode.NOT_SUPPORTED,
                                              f"{incoming.action} is not supported here", {})
        else:
            try:
                result = handler(incoming)
                if asyncio.iscoroutine(result):
                    result = await result
            except Exception as exc:
                self._emit("note", level="error", message=f"handler for {incoming.action} failed: {exc!r}")
                result = CallError(incoming.message_id, ErrorCode.INTERNAL_ERROR, f"handler failed: {exc}"[:255], {})
        if isinstance(result, Withhold):
            self.withhold(incoming, result)
            return
        if isinstance(result, CallError) and result.message_id != incoming.message_id:
            result = CallError(incoming.message_id, result.error_code, result.error_description, result.error_details)
        await self._answer(incoming, result)

    def withhold(self, incoming: IncomingCall, decision: Withhold) -> None:
        """Never answer ``incoming`` (see :class:`Withhold`): recorded, and the judge lets the peer time it out
        after ``decision.peer_timeout``."""
        incoming.withheld = True
        timeout = decision.peer_timeout
        self.judge.withhold("in", incoming.message_id,
                            None if timeout is None else max(0.0, timeout - decision.tolerance))
        self._emit("note", level="info", message=f"the harness does not answer {incoming.action} "
                   f"{incoming.message_id!r}: {decision.reason}", withheld=incoming.message_id,
                   action=incoming.action, peer_timeout=decision.peer_timeout)

    # ------------------------------------------------------------------ test verbs
    def on(self, action: str, handler: Handler | dict[str, Any] | None) -> None:
        """Answer every future ``action`` CALL with ``handler`` (a payload dict, a callable, or None to reset)."""
        if handler is None:
            self.handlers.pop(action, None)
        elif isinstance(handler, dict):
            payload = handler
            self.handlers[action] = lambda _incoming: payload
        else:
            self.handlers[action] = handler

    @contextlib.contextmanager
    def hold(self, action: str = "*") -> Iterator[None]:
        """CALLs of ``action`` that arrive inside the block wait for the test's reply."""
        self._held[action] = self._held.get(action, 0) + 1
        try:
            yield
        finally:
            self._held[action] -= 1
            for incoming in self.mailbox:
                if not incoming.answered.is_set() and not incoming.withheld and not self._is_held(incoming.action):
                    asyncio.get_running_loop().create_task(self._answer_with_handler(incoming))

    def mark(self) -> int:
        """A position in the mailbox: ``expect_call(since=mark)`` only sees CALLs after it."""
        return len(self.mailbox)

    def _find(self, alternatives: list[tuple[str, Mapping[str, Any]]], since: int) -> IncomingCall | None:
        for incoming in self.mailbox[since:]:
            if incoming.claimed:
                continue
            for action, pattern in alternatives:
                if incoming.action == action and matches(incoming.payload, pattern):
                    incoming.claimed = True
                    return incoming
        return None

    def _closest(self, alternatives: list[tuple[str, Mapping[str, Any]]], since: int) -> str:
        """The unclaimed CALL of an expected action that came closest to its pattern (fewest differences),
        and how it differed; "" when none of the expected actions arrived."""
        best: tuple[IncomingCall, list] | None = None
        for incoming in self.mailbox[since:]:
            if incoming.claimed:
                continue
            for action, pattern in alternatives:
                if incoming.action == action:
                    found = differences(incoming.payload, dict(pattern))
                    if best is None or len(found) < len(best[1]):
                        best = (incoming, found)
        if best is None:
            return ""
        incoming, found = best
        return (f"; closest: {incoming.action} (message {incoming.message_id}), differing in "
                + "; ".join(str(d) for d in found))

    async def expect_call(self, action: str, *, timeout: float | None = None, since: int = 0,
                          requirements: tuple[str, ...] = (), **pattern: Any) -> IncomingCall:
        """Wait for the peer's ``action`` CALL whose payload matches ``pattern`` partially.

        CALLs that already arrived (after ``since``) and were not claimed count too, so a CALL
        that raced ahead of the test is not lost.
        """
        return await self.expect_one_of([(action, pattern)], timeout=timeout, since=since,
                                        requirements=requirements)

    async def expect_one_of(self, alternatives: list[tuple[str, Mapping[str, Any]]], *, timeout: float | None = None,
                            since: int = 0, requirements: tuple[str, ...] = ()) -> IncomingCall:
        """Wait for the first CALL that matches any of ``(action, pattern)`` alternatives."""
        timeout = self.message_timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        what = " or ".join(describe_pattern(a, p) for a, p in alternatives)
        async with self._arrived:
            while True:
                found = self._find(alternatives, since)
                if found is not None:
                    if found.violations:
                        v = found.violations[0]
                        raise PeerMalformed(f"{found.action}Request conforms to its JSON schema",
                                            expected="a schema-valid payload", actual=f"{v.path}: {v.message}",
                                            rule="request-schema", requirements=requirements)
                    return found
                if self.closed.is_set():
                    raise PeerClosed(f"the SUT sends {what}", expected=what,
                                     actual=f"connection closed ({self.close_reason}) before it arrived; "
                                            f"received meanwhile: {self.summary_since(since)}",
                                     requirements=requirements)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise PeerTimeout(f"the SUT sends {what} within {timeout:g}s", expected=what,
                                      actual=f"not received; received meanwhile: {self.summary_since(since)}"
                                             f"{self._closest(alternatives, since)}",
                                      requirements=requirements)
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(remaining):
                        await self._arrived.wait()

    async def expect_no_call(self, action: str, *, within: float, since: int | None = None,
                             requirements: tuple[str, ...] = (), **pattern: Any) -> None:
        """Check that no matching CALL arrives for ``within`` seconds (a protocol-required wait)."""
        since = self.mark() if since is None else since
        self._emit("wait", reason=f"no {describe_pattern(action, pattern)} expected", seconds=within)
        try:
            found = await self.expect_call(action, timeout=within, since=since, **pattern)
        except PeerTimeout:
            return
        except PeerClosed:
            return
        raise PeerMalformed(f"the SUT does not send {describe_pattern(action, pattern)}", expected="no such CALL",
                            actual=f"{found.action} {found.payload}", requirements=requirements)

    def summary_since(self, since: int = 0) -> str:
        seen = [i.action for i in self.mailbox[since:]]
        return ", ".join(seen) if seen else "nothing"

    async def wait_closed(self, timeout: float) -> bool:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await self.closed.wait()
        return self.closed.is_set()
