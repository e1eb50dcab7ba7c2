"""Role-neutral errors of a peer (sans-I/O): what the transport raises when the other side of a connection
stays silent, closes, or sends something that is not what was awaited.

They carry no requirement ids of their own and no verdict: the harness maps them to verdicts
(:func:`conformance.outcomes.as_check_failed` names the requirements by :attr:`PeerError.rule`), and the
reference SUTs catch them as they are. ``requirements`` holds only ids a caller handed the transport
(``expect_call(..., requirements=...)``).
"""

from __future__ import annotations

from typing import Any, Sequence


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


def describe_failure(failure: Any) -> str:
    """A failed check in lines: the check with its requirements, the detail, expected and actual. One wording
    for the transport's errors and the harness's CheckFailed."""
    reqs = f" [{', '.join(failure.requirements)}]" if failure.requirements else ""
    lines = [f"{failure.check}{reqs}"]
    if failure.detail:
        lines.append(failure.detail)
    if failure.expected is not None or failure.actual is not None:
        lines.append(f"expected: {_short(failure.expected)}")
        lines.append(f"actual:   {_short(failure.actual)}")
    return "\n".join(lines)


def _short(value: Any, limit: int = 400) -> str:
    text = plain(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class PeerError(Exception):
    """The peer did not do what the waiting side needed: the check, expected, actual and a detail."""

    rule = ""

    def __init__(self, check: str, *, expected: Any = None, actual: Any = None, detail: str = "",
                 rule: str = "", requirements: Sequence[str] = ()) -> None:
        self.check = check
        self.expected = expected
        self.actual = actual
        self.detail = detail
        self.rule = rule  #: what was awaited, as in conformance.protocol.findings ("response-timeout", ...)
        self.requirements = tuple(requirements)  #: only what a caller passed; the transport picks none
        self.recorded = False
        super().__init__(self.describe())

    def describe(self) -> str:
        return describe_failure(self)


class LocalError(Exception):
    """The local side was about to break the protocol itself (an invalid outgoing payload, a second
    outstanding CALL, a CALL answered twice): a fault of whoever drives the connection, never of the peer."""


class PeerTimeout(PeerError):
    """The peer did not send what was awaited within the configured time."""


class PeerClosed(PeerError):
    """The peer closed or lost the connection while it was needed."""


class PeerMalformed(PeerError):
    """The peer sent something that is not what was awaited: a response that is not a well-formed
    CALLRESULT/CALLERROR (or a CALLERROR where a CALLRESULT's payload is read), an awaited CALL whose payload
    fails its schema, a CALL that must not be sent."""


class PeerRefused(PeerError):
    """The peer refused or failed the connection handshake (HTTP status, TLS, subprotocol, a refused TCP
    connection)."""
