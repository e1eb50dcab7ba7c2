"""Ids the harness invents (a NotifyEvent eventId, a requestId, a reservation id, a remoteStartId, a
transactionId ...): unique within a run and, because every run starts its counters from the clock, not
repeated by the next run against the same SUT either (a CSMS rejected a second NotifyEvent with eventId 1).

One :class:`IdSource` per run lives on the :class:`~conformance.harness.context.RunContext` (``ctx.ids``); every
place that makes such an id asks it. Counters are kept per kind: ids of different kinds may coincide, which
OCPP allows (each is unique only among its own kind).
"""

from __future__ import annotations

import itertools
import time
import uuid
from typing import Iterator

# Integer ids are OCPP "integer" fields; stay within a signed 32-bit int, which every implementation can store.
_INT_MAX = 2**31 - 1
# The counters start at (seconds since EPOCH) * RATE: a later run starts above every id an earlier run used as long
# as a run invents fewer than RATE ids of one kind per second it lasts; wraps after (2**31 / RATE) s, ~17 years.
_EPOCH = 1_735_689_600  # 2025-01-01T00:00:00Z
_RATE = 4


class IdSource:
    """Monotonic id counters per kind, seeded per run (``seed``: the first integer id; default from the clock)."""

    def __init__(self, seed: int | None = None) -> None:
        if seed is None:
            seed = max(1, int((time.time() - _EPOCH) * _RATE))
        self.seed = 1 + (seed - 1) % _INT_MAX
        self.run_tag = uuid.uuid4().hex[:8]  # distinguishes string ids of two runs started in the same second
        self._counters: dict[str, Iterator[int]] = {}

    def next(self, kind: str) -> int:
        """The next integer id of ``kind`` (e.g. "eventId", "requestId", "reservationId", "remoteStartId"): > 0."""
        counter = self._counters.setdefault(kind, itertools.count(self.seed))
        return 1 + (next(counter) - 1) % _INT_MAX

    def text(self, kind: str, prefix: str = "") -> str:
        """The next string id of ``kind`` (e.g. a transactionId): ``<prefix><run tag>-<n>``, at most 36 characters
        with a prefix of up to 16 (TransactionType.transactionId's limit)."""
        return f"{prefix[:16]}{self.run_tag}-{self.next(kind) - self.seed + 1}"
