"""What a fault is (:class:`Fault`) and the set switched on in one reference SUT (:class:`FaultSet`).

Data only (no conformance imports): see the package docstring.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .edits import PayloadEdit, apply_edits


@dataclass(frozen=True)
class Fault:
    name: str
    sut: str  # "station" (reference Charging Station) or "csms" (reference CSMS)
    breaks: tuple[str, ...]  # requirement ids
    description: str  # what the SUT does wrong, in our words
    fails: tuple[str, ...]  # test cases that must FAIL with it
    # Part 5 features the reference SUT is declared (and behaves as) WITHOUT for the negative-control run,
    # for cases that apply only then (e.g. "not C-13": Reset of a single EVSE not supported).
    without: tuple[str, ...] = ()
    # Configuration the run needs (``--set KEY=VALUE``), for cases that apply only then (e.g. TC_B_50_CS needs a
    # station on security profile 2: "connection.security_profile=2").
    settings: tuple[str, ...] = ()
    # A fault that only reshapes a payload: the edits the reference SUT applies, in one place, to the messages it
    # sends (its requests and answers) or, for a request it receives, to what it reads (``FaultSet.edit``).
    edits: tuple[PayloadEdit, ...] = ()


FAULTS: dict[str, Fault] = {}  # filled by the package index (conformance/faults/__init__.py)


class FaultSet:
    """The faults switched on in one reference SUT."""

    def __init__(self, names: tuple[str, ...] | list[str] | frozenset[str] = (), *, sut: str) -> None:
        unknown = [n for n in names if n not in FAULTS]
        if unknown:
            raise ValueError(f"unknown fault(s): {', '.join(unknown)}; known: {', '.join(sorted(FAULTS))}")
        self.names = frozenset(n for n in names if FAULTS[n].sut == sut)

    def __contains__(self, name: str) -> bool:
        if name not in FAULTS:
            raise KeyError(f"no such fault {name!r}")
        return name in self.names

    def __bool__(self) -> bool:
        return bool(self.names)

    def edit(self, message: str, payload: dict[str, Any]) -> dict[str, Any]:
        """``payload`` of ``message`` (e.g. "GetVariablesResponse") as the switched-on faults reshape it: the same
        object when no fault edits this message."""
        edits = [e for name in sorted(self.names) for e in FAULTS[name].edits]
        return apply_edits(edits, message, payload) if edits else payload
