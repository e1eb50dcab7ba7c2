"""Checks: named conditions with requirement ids, recorded whether they pass or fail.

A test case states what Part 6 validates as checks; each one becomes a ``check`` event in
the run log (name, requirements, expected, actual, passed) and a failed one ends the case
with :class:`~conformance.outcomes.CheckFailed`. Expected values are patterns of
:mod:`conformance.protocol.patterns`, the language ``Connection.expect_call`` reads too.

A case reports every failed check it can still evaluate, not only the first. When later
validations do not depend on the one that failed (the seqNo of a report part and the entries
of the report, three independent fields of a payload), record the failure without ending the
case, in either of two ways:

* ``check.that(..., soft=True)`` (also ``equal``, ``fields``, ``timing``): the failure is
  recorded and the case goes on; the case is FAIL at its end all the same, because a failed
  ``check`` event decides the verdict wherever it came from (the pytest plugin lists every
  failed check of the case in its message);
* ``with check.collecting():``: every check inside the block is soft, and leaving the block
  raises one :class:`~conformance.outcomes.CheckFailed` naming all that failed in it (so what
  follows the block, which may depend on them, does not run). Blocks nest; an inner block
  hands its failures to the outer one.
"""

from __future__ import annotations

import contextlib
from typing import Any, Callable, Iterator, Mapping, Sequence

from ..outcomes import CheckFailed, describe_failed_checks
from ..protocol.patterns import lookup, matches
from ..recording import EventLog


def _recorded(exc: CheckFailed) -> CheckFailed:
    exc.recorded = True
    return exc


class Checker:
    """Records and evaluates checks for the running case (see the module docstring for soft checks)."""

    def __init__(self, log: EventLog) -> None:
        self.log = log
        self._collecting: list[list[tuple[CheckFailed, dict[str, Any]]]] = []

    def _record(self, passed: bool, failure: Callable[[], CheckFailed], soft: bool, **data: Any) -> None:
        """Emit the check event; on failure raise (hard) or keep (soft / inside :meth:`collecting`)."""
        event = self.log.emit("check", name=data.pop("name"), passed=bool(passed), **data)
        if passed:
            return
        exc = _recorded(failure())
        if self._collecting:
            self._collecting[-1].append((exc, event.to_json()))
            return
        if not soft:
            raise exc

    @contextlib.contextmanager
    def collecting(self) -> Iterator[None]:
        """Every check in the block is soft; at the end of the block one :class:`CheckFailed` lists all that
        failed (nothing is raised when none did). An exception leaving the block is not replaced: the failures
        recorded before it are in the log and decide the verdict all the same."""
        failures: list[tuple[CheckFailed, dict[str, Any]]] = []
        self._collecting.append(failures)
        try:
            yield
        finally:
            self._collecting.pop()
        if not failures:
            return
        if self._collecting:  # nested: the outer block raises them with its own
            self._collecting[-1].extend(failures)
            return
        first = failures[0][0]
        if len(failures) == 1:
            raise first
        requirements = list(dict.fromkeys(r for exc, _ in failures for r in exc.requirements))
        raise _recorded(CheckFailed(f"{len(failures)} checks failed",
                                    requirements=requirements,
                                    detail=describe_failed_checks([event for _, event in failures])
                                    .split("\n", 1)[1]))

    def that(self, name: str, passed: bool, *, expected: Any = None, actual: Any = None,
             requirements: Sequence[str] = (), severity: str = "MUST", soft: bool = False) -> None:
        """A named condition; a failure ends the case with :class:`CheckFailed` unless ``soft`` (recorded, and
        the case FAILs at its end) or inside :meth:`collecting`."""
        self._record(passed, lambda: CheckFailed(name, expected=expected, actual=actual, requirements=requirements),
                     soft, name=name, expected=repr(expected) if expected is not None else None,
                     actual=repr(actual) if actual is not None else None, requirements=list(requirements),
                     severity=severity)

    def equal(self, name: str, actual: Any, expected: Any, *, requirements: Sequence[str] = (),
              soft: bool = False) -> None:
        self.that(name, matches(actual, expected), expected=expected, actual=actual, requirements=requirements,
                  soft=soft)

    def fields(self, what: str, payload: Any, expected: Mapping[str, Any], *,
               requirements: Sequence[str] = (), soft: bool = False) -> None:
        """Check several fields of a payload; paths like ``getVariableResult[0].attributeStatus``.

        Every field is recorded; a mismatch fails the case (at once, naming all mismatches, unless ``soft``).
        """
        failures = []
        for path, want in expected.items():
            got = lookup(payload, path)
            ok = matches(got, want)
            self.log.emit("check", name=f"{what}: {path}", passed=ok, expected=repr(want), actual=repr(got),
                          requirements=list(requirements), severity="MUST")
            if not ok:
                failures.append((path, want, got))
        if not failures:
            return
        path, want, got = failures[0]
        detail = "; ".join(f"{p}: expected {w!r}, got {g!r}" for p, w, g in failures)
        exc = _recorded(CheckFailed(f"{what}: {path}", expected=want, actual=got, requirements=requirements,
                                    detail=detail if len(failures) > 1 else ""))
        if self._collecting:
            self._collecting[-1].append((exc, {"name": exc.check, "expected": repr(want), "actual": repr(got),
                                               "requirements": list(requirements), "detail": exc.detail}))
        elif not soft:
            raise exc

    def timing(self, name: str, measured: float, *, required: float, tolerance: float, at_least: bool = False,
               requirements: Sequence[str] = (), soft: bool = False) -> None:
        """A timing check: ``measured`` seconds against ``required`` +- ``tolerance``
        (or at least ``required - tolerance`` when ``at_least``)."""
        if at_least:
            ok = measured >= required - tolerance
            want = f">= {required:g}s (tolerance {tolerance:g}s)"
        else:
            ok = abs(measured - required) <= tolerance
            want = f"{required:g}s +- {tolerance:g}s"
        self._record(ok, lambda: CheckFailed(name, expected=want, actual=f"{measured:.3f}s",
                                             requirements=requirements),
                     soft, name=name, expected=want, actual=f"{measured:.3f}s", requirements=list(requirements),
                     severity="MUST", timing=True, required=required, measured=measured, tolerance=tolerance)
