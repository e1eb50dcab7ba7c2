"""Named, switchable non-conformances of the reference SUTs (for negative controls).

Each fault is a realistic mistake an implementer makes, names the requirement it breaks,
and the test cases that must FAIL when it is switched on. A test case without a fault that
fails it has not been shown to be able to fail.

Data only (no conformance imports): the reference SUTs read it to break what a fault names, and the case metadata,
the reports and the CLI read it for the negative-control matrix without importing the reference SUTs.

The table is split by functional block (the block of the first case a fault fails): :mod:`.b`, :mod:`.g`,
:mod:`.c`, :mod:`.d`, :mod:`.e`, :mod:`.f`, :mod:`.j`, :mod:`.p`, :mod:`.ocppj` (our X_OCPPJ cases),
:mod:`.transactions` (the transaction invariants); this index puts them together as :data:`FAULTS`. What a fault is:
:mod:`.spec`; a fault that only reshapes a payload declares it as data with the edit language of :mod:`.edits`.
"""

from __future__ import annotations

from . import b, c, d, e, f, g, j, ocppj, p, transactions
from .edits import Apply, Drop, PayloadEdit, Remove, Rename, Set, Truncate
from .spec import FAULTS, Fault, FaultSet

BLOCKS = (b, c, d, e, f, g, j, p, ocppj, transactions)


def _index() -> None:
    for block in BLOCKS:
        for fault in block.FAULTS:
            if fault.name in FAULTS:
                raise ValueError(f"fault {fault.name!r} is declared twice ({block.__name__})")
            FAULTS[fault.name] = fault


_index()

__all__ = ["Apply", "BLOCKS", "Drop", "FAULTS", "Fault", "FaultSet", "PayloadEdit", "Remove", "Rename", "Set",
           "Truncate"]
