"""The sequence diagram of one test case, as inline SVG (no scripts, no external references).

Two lanes, the harness on the left and the system under test on the right, and one row per
thing that happened, in log order, with a fixed row height (so 200 frames make a 200-row,
fixed-width diagram):

* a frame: an arrow in its direction, labelled with the action, the message type and a short
  message id; requests are solid, responses dashed; CALLERRORs and frames that were not valid
  (schema violations, framing errors, RPC issues) are red, with the reason as a tooltip;
* an action (a physical or operator step): a note on the SUT lane (name, backend, final status);
* a wait the protocol requires: a note on the harness lane;
* a connection opened / closed / rejected: a thin line across both lanes;
* a failed check: a red marker across the diagram (``class="step failing"`` for the check that
  decided the verdict, ``class="step warn"`` for a failed check that did not), and the frame or
  action just before it is highlighted (``class="step ... culprit"``);
* the end of the case (its verdict), or, for a case that never ended, an "interrupted" marker.

The left column gives each row's time relative to the case start (``+0.123 s``). Message names
link to ``<reference_href>/<Action>.html`` when a reference folder is given.

A case with more than ``max_frames`` frames (a flooding SUT) shows its first and last
``max_frames / 2`` frames, with one "N frames omitted" row in between (:func:`conformance.reporting.capping.cap_rows`, also
used by the HTML wire log and check list and the Allure steps); the event log keeps everything.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from ..catalog import load_catalog
from .capping import MAX_FRAMES_SHOWN, Omitted, cap_rows
from ..roles import Role
from .model import NOT_FINISHED, CaseRecord

WIDTH = 900
ROW = 30
TOP = 64  # below the lane header boxes
HARNESS_X = 245
SUT_X = 735
NOTE_W = 290
MID_X = (HARNESS_X + SUT_X) // 2
BOX_W = 230
BOX_H = 34

#: verdicts that make a case not pass: the failure is what the diagram points at
FAILING_VERDICTS = frozenset({"FAIL", "ERROR", "INCONCLUSIVE"})



def _e(value: Any) -> str:
    return escape(str(value), quote=True)


def _short(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def short_id(message_id: Any) -> str:
    text = str(message_id) if message_id is not None else "?"
    return text[:8]


def known_actions() -> frozenset[str]:
    return frozenset(load_catalog().messages)


def reference_link(action: str | None, reference_href: str | None) -> str | None:
    """``<reference_href>/<Action>.html`` for a known OCPP action, else None."""
    if reference_href is None or not action or action not in known_actions():
        return None
    return f"{reference_href.rstrip('/')}/{action}.html"


def lane_labels(case: CaseRecord) -> tuple[str, str]:
    """(harness label, SUT label) for the case's role."""
    role = Role.parse(case.role)
    if role is Role.STATION:
        return "Harness (CSMS)", "Charging Station (SUT)"
    if role is Role.CSMS:
        stations = sorted({str(f["connection"]) for f in case.frames if f.get("connection")})
        if not stations:
            return "Harness (Charging Station)", "CSMS (SUT)"
        noun = "Charging Station" if len(stations) == 1 else "Charging Stations"
        return f"Harness ({noun} {', '.join(stations)})", "CSMS (SUT)"
    return "Harness", "SUT"


def relative_time(event: dict[str, Any], case: CaseRecord) -> float | None:
    """Seconds since the case started (monotonic clock when both have one, else wall clock)."""
    if case.start_mono is not None and event.get("mono") is not None:
        return float(event["mono"]) - case.start_mono
    if case.start_wall is not None and event.get("wall") is not None:
        return float(event["wall"]) - case.start_wall
    return None


def format_relative(seconds: float | None) -> str:
    return "" if seconds is None else f"+{max(seconds, 0.0):.3f} s"


def frame_problems(frame: dict[str, Any]) -> list[str]:
    """Human-readable reasons a frame is not valid (violations, error, RPC issues)."""
    problems = []
    for violation in frame.get("violations") or []:
        if isinstance(violation, dict):
            path = violation.get("path") or "$"
            problems.append(f"{path}: {violation.get('message', '')} [{violation.get('keyword', '')}]")
        else:
            problems.append(str(violation))
    if frame.get("error"):
        problems.append(str(frame["error"]))
    for issue in frame.get("rpc_issues") or []:
        problems.append(str(issue))
    if frame.get("valid") is False and not problems:
        problems.append("the frame is not valid")
    return problems


def is_bad_frame(frame: dict[str, Any]) -> bool:
    return frame.get("message_type") == "CALLERROR" or frame.get("valid") is False


def _timeline(case: CaseRecord) -> list[tuple[str, dict[str, Any]]]:
    """The rows of the diagram, in log order: (kind, event)."""
    ends: dict[tuple[Any, Any], dict[str, Any]] = {}
    starts: set[tuple[Any, Any]] = set()
    for event in case.events:
        if event.get("kind") == "action":
            key = (event.get("action"), event.get("call"))
            if event.get("status") == "started":
                starts.add(key)
            else:
                ends[key] = event
    rows: list[tuple[str, dict[str, Any]]] = []
    for event in case.events:
        kind = event.get("kind")
        if kind == "frame":
            rows.append(("frame", event))
        elif kind == "action":
            key = (event.get("action"), event.get("call"))
            if event.get("status") == "started":
                merged = dict(event)
                end = ends.get(key)
                merged["_end"] = end
                rows.append(("action", merged))
            elif key not in starts:  # an end without a recorded start
                rows.append(("action", {**event, "_end": event}))
        elif kind == "wait":
            rows.append(("wait", event))
        elif kind == "connection" and event.get("event") in ("opened", "closed", "rejected"):
            rows.append(("connection", event))
        elif kind == "check" and not event.get("passed"):
            rows.append(("check", event))
        elif kind == "case_end":
            rows.append(("end", event))
    if not case.finished:
        last = case.events[-1] if case.events else {}
        rows.append(("interrupted", {"kind": "interrupted", "wall": last.get("wall"), "mono": last.get("mono")}))
    return rows


class _Svg:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def add(self, text: str) -> None:
        self.parts.append(text)

    def text(self, x: float, y: float, content: str, cls: str, anchor: str = "start") -> None:
        self.parts.append(f'<text x="{x:g}" y="{y:g}" class="{cls}" text-anchor="{anchor}">{content}</text>')


def _lane_boxes(svg: _Svg, y: float, harness: str, sut: str) -> None:
    for x, label, cls in ((HARNESS_X, harness, "lane-box harness"), (SUT_X, sut, "lane-box sut")):
        svg.add(f'<g class="{cls}"><rect x="{x - BOX_W / 2:g}" y="{y:g}" width="{BOX_W}" height="{BOX_H}" rx="6"/>'
                f'<text x="{x}" y="{y + 22:g}" text-anchor="middle">{_e(_short(label, 34))}</text></g>')


def _arrow_head(x_tip: float, y: float, pointing_right: bool) -> str:
    back = x_tip - 9 if pointing_right else x_tip + 9
    return f'<polygon class="head" points="{x_tip:g},{y:g} {back:g},{y - 4.5:g} {back:g},{y + 4.5:g}"/>'


def _frame_row(svg: _Svg, y: float, frame: dict[str, Any], index: int, extra_cls: str, multi: bool,
               reference_href: str | None) -> None:
    out = frame.get("direction") == "out"
    x1, x2 = (HARNESS_X, SUT_X) if out else (SUT_X, HARNESS_X)
    message_type = str(frame.get("message_type") or "?")
    action = frame.get("action")
    bad = is_bad_frame(frame)
    cls = "step frame" + (" bad" if bad else "") + (" response" if message_type != "CALL" else "") + extra_cls
    problems = frame_problems(frame)
    way = "harness \u2192 SUT" if out else "SUT \u2192 harness"
    tip = [f"#{index} {way}: {action or '?'} {message_type}",
           f"message id: {frame.get('message_id')}"]
    if frame.get("connection"):
        tip.append(f"connection: {frame['connection']}")
    if message_type == "CALLERROR":
        tip.append(f"error: {frame.get('error_code', '')} {frame.get('error_description', '')}".rstrip())
    if problems:
        tip.append("not valid:")
        tip.extend(f"  {p}" for p in problems)
    payload = frame.get("payload")
    if payload is not None:
        tip.append(_short(json.dumps(payload, ensure_ascii=False, separators=(",", ":")), 400))
    elif frame.get("raw"):
        tip.append(_short(str(frame["raw"]), 400))
    line_y = y + ROW - 9
    svg.add(f'<g class="{cls}">')
    svg.add(f'<title>{_e(chr(10).join(tip))}</title>')
    svg.add(f'<rect class="bg" x="0" y="{y:g}" width="{WIDTH}" height="{ROW}"/>')
    svg.add(f'<line x1="{x1}" y1="{line_y:g}" x2="{x2 + (-10 if out else 10)}" y2="{line_y:g}"/>')
    svg.add(_arrow_head(x2, line_y, out))
    label_parts = []
    name = _e(action or "(unknown action)")
    href = reference_link(action, reference_href)
    if href:
        label_parts.append(f'<a href="{_e(href)}"><tspan class="act">{name}</tspan></a>')
    else:
        label_parts.append(f'<tspan class="act">{name}</tspan>')
    type_text = message_type
    if message_type == "CALLERROR" and frame.get("error_code"):
        type_text += f" {frame['error_code']}"
    label_parts.append(f'<tspan class="mt" dx="6">{_e(_short(type_text, 40))}</tspan>')
    ident = short_id(frame.get("message_id"))
    if multi and frame.get("connection"):
        ident = f"{frame['connection']} \u00b7 {ident}"
    label_parts.append(f'<tspan class="mid" dx="6">{_e(ident)}</tspan>')
    if bad and problems:
        label_parts.append('<tspan class="warn-icon" dx="6">\u26a0</tspan>')
    svg.add(f'<text x="{MID_X}" y="{line_y - 5:g}" text-anchor="middle" class="label">{"".join(label_parts)}</text>')
    svg.add("</g>")


def _note(svg: _Svg, y: float, x: float, width: float, text: str, tip: str, cls: str) -> None:
    svg.add(f'<g class="{cls}"><title>{_e(tip)}</title>')
    svg.add(f'<rect class="bg" x="0" y="{y:g}" width="{WIDTH}" height="{ROW}"/>')
    svg.add(f'<rect class="note-box" x="{x - width / 2:g}" y="{y + 4:g}" width="{width:g}" height="{ROW - 8}" rx="4"/>')
    svg.add(f'<text x="{x:g}" y="{y + ROW / 2 + 4:g}" text-anchor="middle">{_e(text)}</text></g>')


def _marker(svg: _Svg, y: float, text: str, tip: str, cls: str, element_id: str | None = None) -> None:
    ident = f' id="{_e(element_id)}"' if element_id else ""
    svg.add(f'<g class="{cls}"{ident}><title>{_e(tip)}</title>')
    svg.add(f'<rect class="bg" x="0" y="{y:g}" width="{WIDTH}" height="{ROW}"/>')
    svg.add(f'<line x1="96" y1="{y + ROW / 2:g}" x2="{WIDTH - 8}" y2="{y + ROW / 2:g}"/>')
    per_char = 7.1 if "failing" in cls else 6.4  # the failing marker is bold
    width = min(WIDTH - 130, 24 + per_char * len(text))
    svg.add(f'<rect class="marker-box" x="{MID_X - width / 2:g}" y="{y + 5:g}" width="{width:g}" '
            f'height="{ROW - 10}" rx="10"/>')
    svg.add(f'<text x="{MID_X}" y="{y + ROW / 2 + 4:g}" text-anchor="middle">{_e(text)}</text></g>')


def _failing_class(case: CaseRecord) -> str:
    """``step failing``, plus the verdict when it is not FAIL (inconclusive / error are coloured apart)."""
    extra = {"INCONCLUSIVE": " inconclusive", "ERROR": " error"}.get(case.verdict, "")
    return "step failing" + extra


def sequence_svg(case: CaseRecord, *, reference_href: str | None = None,
                 max_frames: int | None = MAX_FRAMES_SHOWN) -> str:
    """The case's sequence diagram as an inline ``<svg>`` element (a string); at most ``max_frames``
    frames are drawn (see the module docstring)."""
    all_rows = _timeline(case)
    harness_label, sut_label = lane_labels(case)
    connections = {f.get("connection") for f in case.frames if f.get("connection")}
    multi = len(connections) > 1
    deciding = case.failing_check if case.verdict in FAILING_VERDICTS else None
    decided_by_check = deciding is not None

    # which row is the failure, and which step came just before it
    def is_failure(kind: str, event: dict[str, Any]) -> bool:
        if kind == "interrupted":
            return True
        if decided_by_check:
            return kind == "check" and event is deciding
        return kind == "end" and case.verdict in FAILING_VERDICTS

    fail_row = next((number for number, (kind, event) in enumerate(all_rows) if is_failure(kind, event)), None)
    culprit_row: int | None = None
    if fail_row is not None:
        for number in range(fail_row - 1, -1, -1):
            if all_rows[number][0] in ("frame", "action"):
                culprit_row = number
                break
    # (original index, row): the index keeps the failure and its culprit recognisable after capping
    shown = cap_rows(list(enumerate(all_rows)), max_frames, is_frame=lambda r: r[1][0] == "frame",
                     keep={i for i in (fail_row, culprit_row) if i is not None})
    rows = [("omitted", item) if isinstance(item, Omitted) else item[1] for item in shown]
    original = [None if isinstance(item, Omitted) else item[0] for item in shown]

    bottom_boxes = len(rows) > 20
    height = TOP + len(rows) * ROW + 16 + (BOX_H + 12 if bottom_boxes else 0)
    svg = _Svg()
    n_frames = sum(1 for kind, _ in all_rows if kind == "frame")
    aria = _e(f"Sequence diagram of {case.id}: {n_frames} frames")
    svg.add(f'<svg class="seq" role="img" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
            f'preserveAspectRatio="xMinYMin meet" data-rows="{len(rows)}" aria-label="{aria}">')
    lifeline_end = TOP + len(rows) * ROW + 8
    for x in (HARNESS_X, SUT_X):
        svg.add(f'<line class="lifeline" x1="{x}" y1="{8 + BOX_H}" x2="{x}" y2="{lifeline_end}"/>')
    _lane_boxes(svg, 8, harness_label, sut_label)
    svg.text(8, TOP - 8, "time", "col-head")

    frame_number = 0
    for number, (kind, event) in enumerate(rows):
        y = TOP + number * ROW
        extra = " culprit" if original[number] == culprit_row and culprit_row is not None else ""
        if kind == "omitted":
            frame_number += event.frames
            _marker(svg, y, event.text(), event.text(), "step omitted")
            continue
        if kind == "frame":
            frame_number += 1
            _frame_row(svg, y, event, frame_number, extra, multi, reference_href)
        elif kind == "action":
            end = event.get("_end") or {}
            status = end.get("status") or "no result"
            label = f"\u2699 {event.get('action', '?')} \u00b7 {event.get('backend', '?')} \u00b7 {status}"
            if isinstance(end.get("duration"), (int, float)):
                label += f" ({end['duration']:.3f} s)"
            tip = [f"action {event.get('action')} via {event.get('backend')}: {status}"]
            if event.get("params"):
                tip.append("params: " + _short(json.dumps(event["params"], ensure_ascii=False, sort_keys=True), 300))
            if end.get("reason"):
                tip.append(f"reason: {end['reason']}")
            if end.get("result"):
                tip.append("result: " + _short(json.dumps(end["result"], ensure_ascii=False, sort_keys=True), 300))
            ok = status == "ok"
            cls = "step action" + ("" if ok else " bad") + extra
            _note(svg, y, SUT_X, NOTE_W, _short(label, 46), "\n".join(tip), cls)
        elif kind == "wait":
            seconds = event.get("seconds")
            label = f"wait {seconds:g} s" if isinstance(seconds, (int, float)) else "wait"
            reason = str(event.get("reason") or "")
            if reason:
                label += f": {reason}"
            _note(svg, y, HARNESS_X, NOTE_W, _short(label, 46), f"{label}", "step wait")
        elif kind == "connection":
            what = str(event.get("event"))
            details = [str(event.get("connection") or "")]
            if event.get("remote"):
                details.append(str(event["remote"]))
            if event.get("reason") and what != "opened":
                details.append(str(event["reason"]))
            shown = [d for d in details if d]
            text = " \u00b7 ".join([f"connection {what}", *shown])
            svg.add(f'<g class="step conn {_e(what)}"><title>{_e(text)}</title>'
                    f'<line x1="{HARNESS_X}" y1="{y + ROW / 2:g}" x2="{SUT_X}" y2="{y + ROW / 2:g}"/>'
                    f'<text x="{MID_X}" y="{y + ROW / 2 - 4:g}" text-anchor="middle">{_e(_short(text, 70))}</text></g>')
        elif kind == "check":
            is_deciding = fail_row is not None and original[number] == fail_row
            reqs = ", ".join(event.get("requirements") or [])
            text = f"\u2717 {event.get('name', 'check')}" + (f" [{reqs}]" if reqs else "")
            tip = [f"failed check: {event.get('name')}", f"expected: {event.get('expected')}",
                   f"actual: {event.get('actual')}"]
            if reqs:
                tip.append(f"requirements: {reqs}")
            if event.get("severity"):
                tip.append(f"severity: {event['severity']}")
            _marker(svg, y, _short(text, 96), "\n".join(tip), _failing_class(case) if is_deciding else "step warn",
                    f"{case.id}-failing" if is_deciding else None)
        elif kind == "end":
            verdict = str(event.get("verdict") or case.verdict)
            first = str(event.get("message") or "").splitlines()[0] if event.get("message") else ""
            text = f"end of case: {verdict}" + (f": {first}" if first else "")
            if fail_row is not None and original[number] == fail_row:
                _marker(svg, y, _short(text, 96), str(event.get("message") or verdict), _failing_class(case),
                        f"{case.id}-failing")
            else:
                slug = "pass" if verdict == "PASS" else "neutral"
                _marker(svg, y, _short(text, 110), text, f"step end {slug}")
        elif kind == "interrupted":
            _marker(svg, y, "\u25a0 run interrupted: the case did not finish (NOT FINISHED)",
                    "No case_end was recorded: the run stopped while this case was running.",
                    "step failing interrupted", f"{case.id}-failing")
        if kind != "interrupted":  # drawn after the row, so a highlighted row does not hide it
            svg.text(86, y + ROW - 10, _e(format_relative(relative_time(event, case))), "time", "end")
    if not rows:
        svg.text(MID_X, TOP + 18, "nothing was recorded for this case", "empty", "middle")
    if bottom_boxes:
        _lane_boxes(svg, lifeline_end + 4, harness_label, sut_label)
    svg.add("</svg>")
    return "".join(svg.parts)


__all__ = [
    "NOT_FINISHED",
    "format_relative",
    "frame_problems",
    "is_bad_frame",
    "lane_labels",
    "reference_link",
    "relative_time",
    "sequence_svg",
    "short_id",
]
