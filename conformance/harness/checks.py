"""Checks: named conditions with requirement ids, recorded whether they pass or fail.

A test case states what Part 6 validates as checks; each one becomes a ``check`` event in
the run log (name, requirements, expected, actual, passed) and a failed one ends the case
with :class:`~conformance.outcomes.CheckFailed`. Expected values are patterns of
:mod:`conformance.protocol.patterns`, the language ``Connection.expect_call`` reads too.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from ..outcomes import CheckFailed
from ..protocol.patterns import lookup, matches
from ..recording import EventLog


def _recorded(exc: CheckFailed) -> CheckFailed:
    exc.recorded = True
    return exc


class Checker:
    """Records and evaluates checks for the running case."""

    def __init__(self, log: EventLog) -> None:
        self.log = log

    def that(self, name: str, passed: bool, *, expected: Any = None, actual: Any = None,
             requirements: Sequence[str] = (), severity: str = "MUST") -> None:
        self.log.emit("check", name=name, passed=bool(passed), expected=repr(expected) if expected is not None else None,
                      actual=repr(actual) if actual is not None else None, requirements=list(requirements),
                      severity=severity)
        if not passed:
            raise _recorded(CheckFailed(name, expected=expected, actual=actual, requirements=requirements))

    def equal(self, name: str, actual: Any, expected: Any, *, requirements: Sequence[str] = ()) -> None:
        self.that(name, matches(actual, expected), expected=expected, actual=actual, requirements=requirements)

    def fields(self, what: str, payload: Any, expected: Mapping[str, Any], *,
               requirements: Sequence[str] = ()) -> None:
        """Check several fields of a payload; paths like ``getVariableResult[0].attributeStatus``.

        Every field is recorded; the first mismatch fails the case, naming all mismatches.
        """
        failures = []
        for path, want in expected.items():
            got = lookup(payload, path)
            ok = matches(got, want)
            self.log.emit("check", name=f"{what}: {path}", passed=ok, expected=repr(want), actual=repr(got),
                          requirements=list(requirements), severity="MUST")
            if not ok:
                failures.append((path, want, got))
        if failures:
            path, want, got = failures[0]
            detail = "; ".join(f"{p}: expected {w!r}, got {g!r}" for p, w, g in failures)
            raise _recorded(CheckFailed(f"{what}: {path}", expected=want, actual=got, requirements=requirements,
                                        detail=detail if len(failures) > 1 else ""))

    def timing(self, name: str, measured: float, *, required: float, tolerance: float, at_least: bool = False,
               requirements: Sequence[str] = ()) -> None:
        """A timing check: ``measured`` seconds against ``required`` +- ``tolerance``
        (or at least ``required - tolerance`` when ``at_least``)."""
        if at_least:
            ok = measured >= required - tolerance
            want = f">= {required:g}s (tolerance {tolerance:g}s)"
        else:
            ok = abs(measured - required) <= tolerance
            want = f"{required:g}s +- {tolerance:g}s"
        self.log.emit("check", name=name, passed=ok, expected=want, actual=f"{measured:.3f}s",
                      requirements=list(requirements), severity="MUST", timing=True, required=required,
                      measured=measured, tolerance=tolerance)
        if not ok:
            raise _recorded(CheckFailed(name, expected=want, actual=f"{measured:.3f}s", requirements=requirements))
