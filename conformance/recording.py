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
from typing import Any, Callable, Iterable, Iterator

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


REDACTED = "***"

#: generic findings recorded per rule per case; more are summed up in one check ("and N more")
FINDINGS_PER_RULE = 20

# Fields of OCPP payloads whose values are secrets wherever they appear: (component-variable
# name for SetVariables/GetVariables results) and plain field names.
SECRET_VARIABLES = frozenset({"BasicAuthPassword"})
SECRET_FIELDS = frozenset({"apnPassword", "password"})


def secrets_in_payload(payload: Any) -> list[str]:
    """Secret values inside an OCPP payload: a BasicAuthPassword being set, an APN password."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            variable = node.get("variable")
            if isinstance(variable, dict) and variable.get("name") in SECRET_VARIABLES:
                value = node.get("attributeValue")
                if isinstance(value, str) and value:
                    found.append(value)
            for key, value in node.items():
                if key in SECRET_FIELDS and isinstance(value, str) and value:
                    found.append(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(payload)
    return found


class EventLog:
    """An append-only event log, optionally mirrored to a JSON-lines file.

    Secrets never leave the run: every configured secret, and every secret value seen in a
    payload (:func:`secrets_in_payload`), is replaced by ``***`` in every event, both in
    memory and on disk, before anything else sees it.

    Thread-safe: actions may run in worker threads (shell, webhook backends).
    """

    def __init__(self, path: Path | None = None, *, secrets: "Iterable[str]" = ()) -> None:
        self._secrets: set[str] = {s for s in secrets if s}
        self._events: list[Event] = []
        self._lock = threading.Lock()
        self._listeners: list[Listener] = []
        self._current_case: str | None = None
        #: the case that ended last: a finding between two cases is judged against it (``late: true``)
        self.last_case: str | None = None
        self._finding_counts: dict[tuple[str | None, str], int] = {}
        self._frames = 0
        self.path = path
        self._fh = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = open(path, "ab")

    @property
    def current_case(self) -> str | None:
        return self._current_case

    @current_case.setter
    def current_case(self, value: str | None) -> None:
        previous = self._current_case
        if value != previous:
            self._summarise_findings()
        if previous is not None and value != previous:
            self.last_case = previous
        if value is not None and value != previous:
            self.last_case = None  # the case that ended last gets no more late findings
        self._current_case = value

    def next_frame_index(self) -> int:
        """A run-wide running number for frame events (findings name the frame by it)."""
        with self._lock:
            self._frames += 1
            return self._frames

    def finding(self, /, **data: Any) -> Event | None:
        """Record a generic protocol finding as a failed ``check`` of the current case or, between
        cases, of the case that ended last (``late: true``). At most :data:`FINDINGS_PER_RULE`
        findings per rule per case are recorded; the rest are counted and summed up in one more
        check when the case's window closes."""
        case, late = self._current_case, False
        if case is None and self.last_case is not None:
            case, late = self.last_case, True
        rule = str(data.get("rule", ""))
        with self._lock:
            count = self._finding_counts[(case, rule)] = self._finding_counts.get((case, rule), 0) + 1
        if count > FINDINGS_PER_RULE:
            return None
        data = {"passed": False, "generic": True, **data}
        if late:
            data["late"] = True
        return self._emit_as(case, "check", data)

    def _summarise_findings(self) -> None:
        with self._lock:
            counts, self._finding_counts = self._finding_counts, {}
        for (case, rule), count in counts.items():
            if count > FINDINGS_PER_RULE:
                data: dict[str, Any] = {
                    "name": f"and {count - FINDINGS_PER_RULE} more findings of rule {rule}", "passed": False,
                    "generic": True, "rule": rule, "summary": True, "count": count - FINDINGS_PER_RULE,
                    "expected": None, "actual": f"{count} messages broke rule {rule}; the first "
                                                f"{FINDINGS_PER_RULE} are listed", "requirements": []}
                if case != self._current_case:
                    data["late"] = True  # the window of a case that already ended
                self._emit_as(case, "check", data)

    def add_secret(self, value: str) -> None:
        if value:
            with self._lock:
                self._secrets.add(value)

    def redact_text(self, text: str) -> str:
        """Any text about to leave the run (a terminal message, say) with every secret replaced."""
        with self._lock:
            secrets = sorted(self._secrets, key=len, reverse=True)
        for secret in secrets:
            text = text.replace(secret, REDACTED)
        return text

    def _redact(self, data: dict[str, Any]) -> dict[str, Any]:
        for value in secrets_in_payload(data.get("payload")):
            self._secrets.add(value)
        if not self._secrets:
            return data
        text = orjson.dumps(data, default=str).decode("utf-8")
        changed = False
        for secret in sorted(self._secrets, key=len, reverse=True):
            for form in {secret, orjson.dumps(secret).decode("utf-8")[1:-1]}:
                if form in text:
                    text = text.replace(form, REDACTED)
                    changed = True
        return orjson.loads(text) if changed else data

    def emit(self, kind: str, /, **data: Any) -> Event:
        return self._emit_as(self._current_case, kind, data)

    def _emit_as(self, case: str | None, kind: str, data: dict[str, Any]) -> Event:
        with self._lock:
            data = self._redact(data)
        event = Event(kind=kind, wall=time.time(), mono=time.monotonic(), case=case, data=data)
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
        self._summarise_findings()
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
