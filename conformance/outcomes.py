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


def plain(value: Any) -> str:
    """A value as a person reads it in a verdict, without Python notation: a pair of ints is the harness's
    (EVSE id, connector id), "EVSE 2 connector 1"; a list, tuple or set is its items separated by commas
    ("none" when empty); a dict is JSON; a string is itself; anything else its repr."""
    if isinstance(value, str):
        return value
    if isinstance(value, tuple) and len(value) == 2 and all(type(v) is int for v in value):
        return f"EVSE {value[0]} connector {value[1]}"
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else list(value)
        return ", ".join(plain(v) for v in items) if items else "none"
    if isinstance(value, dict):
        import json

        return json.dumps(value, ensure_ascii=False, default=str)
    return repr(value)


def _short(value: Any, limit: int = 400) -> str:
    text = plain(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


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
        reqs = f" [{', '.join(self.requirements)}]" if self.requirements else ""
        lines = [f"{self.check}{reqs}"]
        if self.detail:
            lines.append(self.detail)
        if self.expected is not None or self.actual is not None:
            lines.append(f"expected: {_short(self.expected)}")
            lines.append(f"actual:   {_short(self.actual)}")
        return "\n".join(lines)


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


class SutTimeout(CheckFailed):
    """The SUT did not send what it had to within the configured time."""


class SutDisconnected(CheckFailed):
    """The SUT closed or lost the connection while the harness waited on it."""


class Inconclusive(Exception):
    """The case cannot be judged: a precondition or an action could not be reached."""


class NotApplicable(Exception):
    """The case does not apply to this SUT; the message names the condition."""


class HarnessError(Exception):
    """A fault in the harness or its environment, not in the SUT."""
