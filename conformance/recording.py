"""The event log: one record per frame, action, check, wait and case boundary.

Record once, render many: every report is a renderer over these events. The log is
written as it goes (JSON lines, flushed per event) so an interrupted run still leaves
everything that happened up to the interruption.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import orjson

Listener = Callable[["Event"], None]


@dataclass(frozen=True)
class Event:
    """One thing that happened during a run."""

    kind: str  # "frame", "action", "check", "wait", "case_start", "case_end", "note", ...
    wall: float  # seconds since the epoch
    mono: float  # time.monotonic(), for durations and ordering
    case: str | None  # the test case id the event belongs to, if any
    data: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "wall": self.wall, "mono": self.mono, "case": self.case, **self.data}


class EventLog:
    """An append-only event log, optionally mirrored to a JSON-lines file.

    Thread-safe: actions may run in worker threads (shell, webhook backends).
    """

    def __init__(self, path: Path | None = None) -> None:
        self._events: list[Event] = []
        self._lock = threading.Lock()
        self._listeners: list[Listener] = []
        self.current_case: str | None = None
        self.path = path
        self._fh = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = open(path, "ab")

    def emit(self, kind: str, /, **data: Any) -> Event:
        event = Event(kind=kind, wall=time.time(), mono=time.monotonic(), case=self.current_case, data=data)
        with self._lock:
            self._events.append(event)
            if self._fh is not None:
                self._fh.write(orjson.dumps(event.to_json(), default=str) + b"\n")
                self._fh.flush()
            listeners = list(self._listeners)
        for listener in listeners:
            listener(event)
        return event

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def events(self, kind: str | None = None, case: str | None = None) -> list[Event]:
        with self._lock:
            snapshot = list(self._events)
        return [e for e in snapshot if (kind is None or e.kind == kind) and (case is None or e.case == case)]

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events())

    def close(self) -> None:
        with self._lock:
            if self._fh is not None:
                self._fh.close()
                self._fh = None


def read_log(path: Path) -> list[dict[str, Any]]:
    """Read a JSON-lines event log; a torn last line (interrupted write) is ignored."""
    records = []
    for line in path.read_bytes().splitlines():
        if not line.strip():
            continue
        try:
            records.append(orjson.loads(line))
        except orjson.JSONDecodeError:
            continue
    return records
