"""The faults that break a transaction invariant (the generic TransactionEvent checks that run in every case of every
block, :mod:`conformance.protocol.transactions`): each fails the cases in which the broken event is sent."""

from __future__ import annotations

from .spec import Fault

FAULTS: list[Fault] = [
]
