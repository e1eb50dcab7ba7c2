"""Verdicts and the exceptions that decide them.

A case's verdict is decided by what ends it:

* :class:`CheckFailed` (and its kinds: the SUT stayed silent, answered with a CALLERROR,
  disconnected) -> FAIL. It names the check, the requirement, expected and actual.
* :class:`Inconclusive` (an action could not be performed, a precondition was not reached)
  -> INCONCLUSIVE: we cannot judge the SUT.
* :class:`NotApplicable` -> NOT APPLICABLE, with the condition that excluded the case.
* :class:`HarnessError` or any other exception -> ERROR: a fault of the harness or setup.
"""

from __future__ import annotations

from enum import Enum
from typing import Any, Sequence

# The transport's role-neutral errors (re-exported here beside the verdicts they map to) and the wording of
# values they share with the checks.
from .protocol.errors import (LocalError, PeerClosed, PeerError, PeerMalformed, PeerRefused,  # noqa: F401
                              PeerTimeout, _short, describe_failure, plain)


class Verdict(str, Enum):
    PASS = "PASS"
    FAIL = "FAIL"
    INCONCLUSIVE = "INCONCLUSIVE"
    NOT_APPLICABLE = "NOT APPLICABLE"
    ERROR = "ERROR"
    SKIPPED = "SKIPPED"


# Combination rule: fail wins, then error, then inconclusive (TTCN-3 style sticky verdicts).
_PRECEDENCE = [Verdict.FAIL, Verdict.ERROR, Verdict.INCONCLUSIVE, Verdict.PASS, Verdict.NOT_APPLICABLE,
               Verdict.SKIPPED]


def combine(verdicts: Sequence[Verdict]) -> Verdict:
    for verdict in _PRECEDENCE:
        if verdict in verdicts:
            return verdict
    return Verdict.PASS


class CheckFailed(AssertionError):
    """A requirement the SUT must meet was not met."""

    def __init__(self, check: str, *, expected: Any = None, actual: Any = None,
                 requirements: Sequence[str] = (), detail: str = "") -> None:
        self.check = check
        self.expected = expected
        self.actual = actual
        self.requirements = tuple(requirements)
        self.detail = detail
        self.recorded = False  # True once a check event for it is in the run log
        super().__init__(self.describe())

    def describe(self) -> str:
        return describe_failure(self)


def describe_check(check: dict[str, Any]) -> str:
    """One failed ``check`` event in one line: name, requirements, expected, actual (and its detail)."""
    reqs = check.get("requirements") or []
    text = f"{check.get('name')}" + (f" [{', '.join(reqs)}]" if reqs else "")
    if check.get("expected") is not None or check.get("actual") is not None:
        text += f": expected {_short(check.get('expected'), 200)}, actual {_short(check.get('actual'), 200)}"
    if check.get("detail"):
        text += f" ({_short(check.get('detail'), 200)})"
    if check.get("late"):
        text += " (after the case ended)"
    return text


def describe_failed_checks(checks: Sequence[dict[str, Any]]) -> str:
    """The verdict message of a case whose failed ``check`` events are ``checks`` (not empty): a headline
    naming the first, then every one, one a line. A failed check decides the verdict wherever it came from
    (the case, a generic protocol validation, a late frame), so every one is listed."""
    first = checks[0]
    reqs = first.get("requirements") or []
    headline = f"{first.get('name')}" + (f" [{', '.join(reqs)}]" if reqs else "")
    if len(checks) == 1:
        lines = [headline]
        if first.get("detail"):
            lines.append(str(first["detail"]))
        if first.get("expected") is not None or first.get("actual") is not None:
            lines.append(f"expected: {_short(first.get('expected'))}")
            lines.append(f"actual:   {_short(first.get('actual'))}")
        if first.get("late"):
            lines.append("(recorded after the case ended)")
        return "\n".join(lines)
    return "\n".join([f"{len(checks)} checks failed; the first: {headline}",
                      *(f"- {describe_check(c)}" for c in checks)])


class SutTimeout(CheckFailed, PeerTimeout):
    """The SUT did not send what it had to within the configured time (``except PeerTimeout`` catches it)."""


class SutDisconnected(CheckFailed, PeerClosed):
    """The SUT closed or lost the connection while the harness waited on it (``except PeerClosed`` catches it)."""


# The requirements a transport failure of each kind breaks (the transport names none): a CALL left unanswered,
# an awaited CALL whose payload fails its schema.
PEER_RULE_REQUIREMENTS: dict[str, tuple[str, ...]] = {
    "response-timeout": ("OCPP-J Part 4 §4.1.1",),
    "request-schema": ("OCPP-J Part 4 §4.1.2",),
}


def as_check_failed(exc: BaseException) -> BaseException:
    """A :class:`PeerError` raised by the transport as the failed check it is for the SUT (a FAIL): the same
    check, expected, actual and detail, with the requirements of its rule before the caller's; a timeout stays
    a :class:`SutTimeout`, a close a :class:`SutDisconnected`. Anything else (a :class:`CheckFailed` included)
    is returned as is."""
    if not isinstance(exc, PeerError) or isinstance(exc, CheckFailed):
        return exc
    kind = SutTimeout if isinstance(exc, PeerTimeout) else SutDisconnected if isinstance(exc, PeerClosed) \
        else CheckFailed
    requirements = PEER_RULE_REQUIREMENTS.get(exc.rule, ()) + tuple(
        r for r in exc.requirements if r not in PEER_RULE_REQUIREMENTS.get(exc.rule, ()))
    failed = kind(exc.check, expected=exc.expected, actual=exc.actual, requirements=requirements, detail=exc.detail)
    failed.recorded = exc.recorded
    return failed


class Inconclusive(Exception):
    """The case cannot be judged: a precondition or an action could not be reached."""


class NotApplicable(Exception):
    """The case does not apply to this SUT; the message names the condition."""


class HarnessError(LocalError):
    """A fault in the harness or its environment, not in the SUT (it is a :class:`LocalError`, the transport's
    kind, so ``except LocalError`` catches both)."""
