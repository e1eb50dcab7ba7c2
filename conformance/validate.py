"""Validate recorded OCPP-J traffic: one frame, or a JSON-lines log of frames.

Accepted input:

* a single frame: ``[2, "id", "BootNotification", {...}]`` (may span lines);
* JSON lines, each either a frame array, or an object with the frame text under ``raw``
  (our own event log's ``frame`` events; non-frame events are skipped) or the frame under
  ``frame``. A ``direction`` / ``connection`` field, when present, keeps CALLs and their
  responses apart per connection and direction.

A CALLRESULT is validated against the response schema of the CALL with the same message id,
sent the other way; a response whose CALL is not in the log is reported as unmatched.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .protocol.frames import Call, CallError, CallResult, FrameError, check_action, parse_frame
from .protocol.schemas import get_registry


@dataclass
class Finding:
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.line}: {self.message}"


@dataclass
class ValidationReport:
    frames: int = 0
    findings: list[Finding] = field(default_factory=list)
    unreadable: bool = False


_OPPOSITE = {"in": "out", "out": "in", None: None}


def _frames_of(text: str) -> list[tuple[int, Any, str | None, str | None]]:
    """(line number, frame text or list, direction, connection) for every frame in the input."""
    stripped = text.strip()
    if stripped.startswith("["):
        try:
            json.loads(stripped)
            return [(1, stripped, None, None)]
        except ValueError:
            pass  # JSON lines of arrays, or a broken single frame: go line by line
    frames = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if line.lstrip().startswith("{"):
            try:
                record = json.loads(line)
            except ValueError:
                frames.append((number, line, None, None))
                continue
            if "raw" in record:
                frames.append((number, record["raw"], record.get("direction"), record.get("connection")))
            elif "frame" in record:
                frame = record["frame"]
                frames.append((number, frame if isinstance(frame, str) else json.dumps(frame),
                               record.get("direction"), record.get("connection")))
            continue
        frames.append((number, line, None, None))
    return frames


def validate_stream(text: str) -> ValidationReport:
    registry = get_registry()
    report = ValidationReport()
    calls: dict[tuple[str | None, str | None, str], str] = {}  # (connection, direction, id) -> action
    for number, raw, direction, connection in _frames_of(text):
        report.frames += 1
        try:
            frame = parse_frame(raw)
            if isinstance(frame, Call):
                check_action(frame, registry.actions)
        except FrameError as err:
            report.findings.append(Finding(number, f"{err.code}: {err.reason}"))
            continue
        if isinstance(frame, Call):
            calls[(connection, direction, frame.message_id)] = frame.action
            for v in registry.validate(frame.action, "request", frame.payload):
                report.findings.append(Finding(number, f"{frame.action}Request {frame.message_id}: {v.path}: "
                                                       f"{v.message} [{v.keyword} -> {v.error_code}]"))
            continue
        action = calls.pop((connection, _OPPOSITE[direction], frame.message_id), None)
        kind = "CALLRESULT" if isinstance(frame, CallResult) else "CALLERROR"
        if action is None:
            report.findings.append(Finding(number, f"{kind} {frame.message_id} answers no CALL in this log"))
            continue
        if isinstance(frame, CallResult):
            for v in registry.validate(action, "response", frame.payload):
                report.findings.append(Finding(number, f"{action}Response {frame.message_id}: {v.path}: "
                                                       f"{v.message} [{v.keyword}]"))
        elif isinstance(frame, CallError):
            pass  # a well-formed CALLERROR is a valid answer
    if report.frames == 0:
        report.unreadable = True
        report.findings.append(Finding(0, "no frames found in the input"))
    return report
