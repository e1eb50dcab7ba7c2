"""Judging a peer's reaction to a malformed frame (Part 4 §4.1.7, §4.2.3, §4.3), without I/O.

Implementations disagree on CALLERROR codes and Part 4 itself allows more than one reaction:
§4.1.7 says an invalid message is answered with a CALLERROR, §4.2.3 also lets the receiver
drop a message that is not valid OCPP or not schema-conformant, and the code table leaves
room (a missing field is an occurrence, a format and arguably a protocol problem). So:

* :func:`expected_reaction` says, for a frame we are about to send, what a conformant receiver
  does: the preferred CALLERROR code, every code the text allows, whether dropping is allowed,
  and the message id the CALLERROR must carry.
* :func:`judge_reaction` compares what the peer did with that. By default every reaction the
  text allows passes, and the verdict names which one it was; in strict mode only the
  preferred code passes.
"""

from __future__ import annotations

from dataclasses import dataclass

from .frames import Call, CallError, CallResult, FrameError, check_action, parse_frame
from .schemas import allowed_error_codes, callerror_for, get_registry


@dataclass(frozen=True)
class ExpectedReaction:
    message_id: str  # the id the CALLERROR must carry ("-1" when it cannot be read)
    preferred: str
    allowed: tuple[str, ...]  # preferred first
    may_drop: bool
    reason: str  # why the frame is not acceptable


@dataclass(frozen=True)
class Judgement:
    ok: bool
    reaction: str  # what the peer did, in words
    detail: str  # how it relates to Part 4 (preferred, allowed alternative, not allowed)


def expected_reaction(raw: str | bytes, handled_actions: frozenset[str] | None = None) -> ExpectedReaction | None:
    """What a conformant receiver does with ``raw``; None when the frame is valid (a CALLRESULT
    is then due)."""
    registry = get_registry()
    try:
        frame = parse_frame(raw)
        if not isinstance(frame, Call):
            return None  # responses are never answered
        check_action(frame, registry.actions, handled_actions)
    except FrameError as err:
        if not err.respond:
            return None
        return ExpectedReaction(err.message_id, err.code, err.allowed, err.may_drop, err.reason)
    violations = registry.validate(frame.action, "request", frame.payload)
    if not violations:
        return None
    preferred = callerror_for(violations) or "FormatViolation"
    allowed = (preferred, *sorted(allowed_error_codes(violations) - {preferred}))
    first = violations[0]
    return ExpectedReaction(frame.message_id, preferred, allowed, True, f"{first.path}: {first.message}")


def judge_reaction(expected: ExpectedReaction, answer: CallResult | CallError | None, *,
                   strict: bool = False) -> Judgement:
    """``answer`` is the peer's response with the expected message id, or None if it sent none
    within the message timeout (it dropped the frame)."""
    if answer is None:
        if strict:
            return Judgement(False, "no response (dropped)",
                             f"strict mode requires CALLERROR {expected.preferred}")
        if expected.may_drop:
            return Judgement(True, "no response (dropped)", "dropping is allowed by Part 4 §4.2.3")
        return Judgement(False, "no response (dropped)", f"Part 4 requires a CALLERROR ({expected.preferred})")
    if isinstance(answer, CallResult):
        return Judgement(False, "CALLRESULT", f"a CALLERROR is required: {expected.reason}")
    reaction = f"CALLERROR {answer.error_code}"
    if answer.message_id != expected.message_id:
        return Judgement(False, reaction, f"the CALLERROR carries message id {answer.message_id!r}, "
                                          f"expected {expected.message_id!r} (Part 4 §4.2.3)")
    if answer.error_code == expected.preferred:
        return Judgement(True, reaction, "the preferred code")
    if answer.error_code in expected.allowed and not strict:
        return Judgement(True, reaction, f"an alternative Part 4 allows (preferred: {expected.preferred})")
    if answer.error_code in expected.allowed:
        return Judgement(False, reaction, f"strict mode requires {expected.preferred}")
    return Judgement(False, reaction, f"not a code Part 4 allows here; allowed: {', '.join(expected.allowed)}")
