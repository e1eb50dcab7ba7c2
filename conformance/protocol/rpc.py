"""Per-connection RPC bookkeeping without I/O (Part 4 §4.1.1 and §4.1.4).

:class:`RpcState` is fed every frame that goes out and comes in and answers with the
protocol issues it sees: a second CALL from us while one is outstanding (a harness bug:
raises), a CALL from the peer while its previous CALL is still unanswered, a reused
message id, a response to no outstanding CALL.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .frames import Call, CallError, CallResult


@dataclass(frozen=True)
class RpcIssue:
    """A breach of the RPC rules by the peer."""

    rule: str  # short stable name, e.g. "one-outstanding-call", "unique-message-id"
    requirement: str  # where the rule is stated
    message: str


class OutstandingCallError(RuntimeError):
    """We tried to send a CALL while another of ours is unanswered."""


@dataclass
class RpcState:
    """What one side of one OCPP-J connection has sent and received."""

    our_outstanding: Call | None = None
    our_ids: set[str] = field(default_factory=set)
    peer_ids: set[str] = field(default_factory=set)
    peer_unanswered: dict[str, Call] = field(default_factory=dict)

    # --- our side -------------------------------------------------------------------------
    def sending_call(self, call: Call) -> None:
        if self.our_outstanding is not None:
            raise OutstandingCallError(
                f"cannot send {call.action}: {self.our_outstanding.action} "
                f"({self.our_outstanding.message_id}) is still outstanding (Part 4 §4.1.1)"
            )
        if call.message_id in self.our_ids:
            raise OutstandingCallError(f"message id {call.message_id} was already used (Part 4 §4.1.4)")
        self.our_outstanding = call
        self.our_ids.add(call.message_id)

    def call_timed_out(self, call: Call) -> None:
        if self.our_outstanding is call:
            self.our_outstanding = None

    def answering(self, message_id: str) -> None:
        self.peer_unanswered.pop(message_id, None)

    # --- their side -----------------------------------------------------------------------
    def received_call(self, call: Call) -> list[RpcIssue]:
        issues = []
        if call.message_id in self.peer_ids:
            issues.append(RpcIssue("unique-message-id", "Part 4 §4.1.4",
                                   f"message id {call.message_id!r} of {call.action} was used before"))
        if self.peer_unanswered:
            pending = ", ".join(f"{c.action} ({mid})" for mid, c in self.peer_unanswered.items())
            issues.append(RpcIssue("one-outstanding-call", "Part 4 §4.1.1",
                                   f"{call.action} sent while its earlier CALL {pending} was still unanswered"))
        self.peer_ids.add(call.message_id)
        self.peer_unanswered[call.message_id] = call
        return issues

    def received_response(self, frame: CallResult | CallError) -> tuple[Call | None, list[RpcIssue]]:
        """Match a response to our outstanding CALL; returns the CALL it answers, if any."""
        call = self.our_outstanding
        if call is not None and frame.message_id == call.message_id:
            self.our_outstanding = None
            return call, []
        kind = "CALLRESULT" if isinstance(frame, CallResult) else "CALLERROR"
        if call is None:
            why = "no CALL is outstanding"
        else:
            why = f"the outstanding CALL is {call.action} ({call.message_id})"
        return None, [RpcIssue("response-matches-call", "Part 4 §4.1.4",
                               f"{kind} with message id {frame.message_id!r} answers nothing: {why}")]
