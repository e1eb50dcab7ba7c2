"""Allure results for the conformance cases, written through allure-pytest.

When pytest runs the cases with ``--alluredir DIR`` and allure-pytest is installed, the pytest
plugin calls :func:`record_case` once per case, from ``pytest_runtest_makereport``, right after
the case's ``case_end`` event is in the log. It enriches the Allure ``TestResult`` that
allure-pytest is building for that test (not a fixture container) with:

* labels: ``epic`` = functional block ("B Provisioning"), ``feature`` = each use case
  ("B01 Cold Boot Charging Station"), ``story`` = the case id, ``severity`` (see
  :func:`severity_of`), ``role`` = the SUT's role, ``verdict`` = our verdict, ``profile`` = each
  Part 5 applicability, ``parentSuite`` / ``suite`` = role / block, and a ``tag`` with the verdict;
* title ``"<id> <title>"`` and the requirement texts appended to the description;
* one link per requirement id (link type ``requirement``, url ``#<id>``, or the pattern given
  with ``--allure-link-pattern requirement:https://.../{}``);
* steps rebuilt from the event log, in order: one per exchange (a CALL and its response, payloads
  attached as JSON), per action, per wait, per check, per connection event and per note;
* attachments on the test: the wire log (text, every frame, once per case), the case's events (JSON)
  and the sequence diagram (a standalone SVG from :func:`conformance.reporting.diagram.sequence_svg`,
  skipped when that is not importable or the case did nothing).

A case with more than ``MAX_FRAMES_SHOWN`` frames (a flooding SUT) keeps the steps of its first
and last frames only, without their payload attachments, with one "N frames omitted" step in
between, and its "case events" attachment is capped the same way; the wire log attachment and the
event log keep every frame. So the results stay a few dozen files whatever the SUT sends.

Allure's status comes from allure-pytest, which reads the report our plugin has already adjusted:
PASS -> passed, FAIL -> failed, INCONCLUSIVE -> broken, ERROR -> broken, NOT APPLICABLE ->
skipped. :func:`record_case` corrects it should allure-pytest have read the report first.

The module imports nothing at import time beyond the standard library (and :mod:`conformance.roles`);
allure is imported only inside :func:`record_case`, which the plugin calls only when allure-pytest's
listener is registered (that is, with ``--alluredir``). The pure part
(:func:`case_steps`, :func:`wire_log`, :func:`severity_of`, ...) needs no allure at all.
"""

from __future__ import annotations

import inspect
import json
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..roles import Role

if TYPE_CHECKING:  # pragma: no cover
    from ..harness.case import CaseMeta
    from ..recording import EventLog

#: our verdict -> Allure status
STATUS_OF_VERDICT = {
    "PASS": "passed",
    "FAIL": "failed",
    "INCONCLUSIVE": "broken",
    "ERROR": "broken",
    "NOT APPLICABLE": "skipped",
    "SKIPPED": "skipped",
}

REQUIREMENT_LINK_TYPE = "requirement"

_RESPONSES = ("CALLRESULT", "CALLERROR", "CALLRESULTERROR")


# --------------------------------------------------------------------------- metadata
def severity_of(meta: CaseMeta) -> str:
    """Allure severity from the case's Part 5 applicability.

    * ``blocker``: mandatory in the Core profile (every SUT must pass it);
    * ``critical``: mandatory in another profile (every SUT claiming that profile must pass it);
    * ``normal``: only conditional (on optional features the PICS declares);
    * ``minor``: Part 5 lists it in no profile, or our own case beyond the catalog.

    ``trivial`` is not used.
    """
    if meta.beyond_catalog or not meta.profiles:
        return "minor"
    if any(p.level == "M" and p.profile == "Core" for p in meta.profiles):
        return "blocker"
    if any(p.level == "M" for p in meta.profiles):
        return "critical"
    return "normal"


def _profile_label(p: Any) -> str:
    if p.level == "M":
        return f"{p.profile}: mandatory"
    return f"{p.profile}: conditional" + (f" on {p.features_expr}" if p.features_expr else "")


def role_name(meta: CaseMeta) -> str:
    """The SUT's role: "Charging Station" or "CSMS"."""
    return Role.of(meta.role).display


def labels_for(meta: CaseMeta, verdict: str) -> list[tuple[str, str]]:
    """(name, value) Allure labels of a case."""
    from ..catalog import load_catalog

    catalog = load_catalog()
    block_name = catalog.blocks.get(meta.block, "")
    epic = f"{meta.block} {block_name}".strip()
    labels = [("epic", epic)]
    for uc in meta.use_cases:
        use_case = catalog.use_cases.get(uc)
        labels.append(("feature", f"{uc} {use_case.name}" if use_case is not None else uc))
    labels += [("story", meta.id), ("severity", severity_of(meta)), ("role", role_name(meta)),
               ("verdict", verdict), ("tag", verdict)]
    labels += [("profile", _profile_label(p)) for p in meta.profiles]
    labels += [("parentSuite", f"SUT: {role_name(meta)}"), ("suite", epic)]
    return labels


def requirement_texts(meta: CaseMeta) -> dict[str, str]:
    """Requirement id -> the catalog's paraphrase, for the case's requirements (in its order)."""
    from ..catalog import load_catalog

    catalog = load_catalog()
    known: dict[str, str] = {}
    for uc in catalog.use_cases.values():
        for req in uc.requirements:
            known.setdefault(req.id, req.text)
    return {r: known.get(r, "") for r in meta.requirements}


def links_for(meta: CaseMeta, pattern: str | None = None) -> list[tuple[str, str, str]]:
    """(type, url, name) Allure links, one per requirement id."""
    return [(REQUIREMENT_LINK_TYPE, pattern.format(r) if pattern else f"#{r}", r) for r in meta.requirements]


def description_for(meta: CaseMeta, doc: str | None) -> str:
    lines = [inspect.cleandoc(doc or meta.summary or meta.title), ""]
    lines.append(f"{meta.id}: {meta.title}" + (f" ({meta.summary})" if meta.summary and meta.summary != meta.title
                                               else ""))
    texts = requirement_texts(meta)
    if texts:
        lines += ["", "Requirements:"]
        lines += [f"- {r}: {t}" if t else f"- {r}" for r, t in texts.items()]
    return "\n".join(lines)


# --------------------------------------------------------------------------- steps (pure)
@dataclass
class Attachment:
    name: str
    body: str
    kind: str  # "json" | "text" | "svg"


@dataclass
class Step:
    name: str
    start: float  # epoch seconds
    stop: float
    status: str = "passed"
    message: str = ""
    parameters: list[tuple[str, str]] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


def _short_id(message_id: Any) -> str:
    text = str(message_id) if message_id is not None else "?"
    return text[:8]  # as the sequence diagram shows it


class _Parties:
    """Names for the two ends of a frame: "CSMS" and "Charging Station" (with the station's
    identity when the case talks over more than one connection)."""

    def __init__(self, events: list[dict[str, Any]], sut_role: str) -> None:
        self.connections = {e.get("connection") for e in events if e.get("kind") == "frame" and e.get("connection")}
        self.default_local = Role.of(sut_role).peer.party

    def _name(self, role: str, connection: Any) -> str:
        parsed = Role.parse(role)
        name = parsed.display if parsed else role
        if name == "Charging Station" and len(self.connections) > 1 and connection:
            name = f"{name} {connection}"
        return name

    def ends(self, frame: dict[str, Any]) -> tuple[str, str]:
        local_role = frame.get("local_role") or self.default_local
        peer_role = Role.STATION.party if Role.parse(local_role) is Role.CSMS else Role.CSMS.party
        local = self._name(local_role, frame.get("connection"))
        peer = self._name(peer_role, frame.get("connection"))
        return (local, peer) if frame.get("direction") == "out" else (peer, local)


def _frame_attachments(frame: dict[str, Any]) -> list[Attachment]:
    mtype = frame.get("message_type")
    action = frame.get("action") or ""
    out: list[Attachment] = []
    if mtype == "CALL":
        out.append(Attachment(f"{action}Request (CALL)", _json(frame.get("payload")), "json"))
    elif mtype == "CALLRESULT":
        out.append(Attachment(f"{action}Response (CALLRESULT)", _json(frame.get("payload")), "json"))
    elif mtype in ("CALLERROR", "CALLRESULTERROR"):
        out.append(Attachment(f"{mtype} {frame.get('error_code') or ''}".strip(), _json({
            "errorCode": frame.get("error_code"), "errorDescription": frame.get("error_description"),
            "errorDetails": frame.get("payload")}), "json"))
    else:
        out.append(Attachment("frame (raw)", str(frame.get("raw", "")), "text"))
    problems = {k: frame[k] for k in ("violations", "error", "rpc_issues") if frame.get(k)}
    if problems:
        out.append(Attachment(f"{mtype or 'frame'} problems", _json(problems), "json"))
    return out


def _frame_problem(frame: dict[str, Any]) -> str:
    parts = []
    for v in frame.get("violations") or []:
        parts.append(f"{v.get('path')}: {v.get('message')} ({v.get('keyword')})")
    if frame.get("error"):
        parts.append(str(frame["error"]))
    parts += [str(i) for i in frame.get("rpc_issues") or []]
    return "; ".join(parts)


def _response_text(frame: dict[str, Any] | None) -> str:
    if frame is None:
        return "no response"
    mtype = frame.get("message_type")
    if mtype in ("CALLERROR", "CALLRESULTERROR") and frame.get("error_code"):
        return f"{mtype} {frame['error_code']}"
    return str(mtype)


def _exchange_step(call: dict[str, Any], response: dict[str, Any] | None, parties: _Parties) -> Step:
    src, dst = parties.ends(call)
    frames = [call] + ([response] if response is not None else [])
    problems = [f"{f.get('message_type')}: {_frame_problem(f)}" for f in frames if f.get("valid") is False]
    start = call.get("wall") or 0.0
    return Step(name=f"{src} -> {dst}: {call.get('action')} (CALL {_short_id(call.get('message_id'))})"
                     f" / {_response_text(response)}",
                start=start, stop=(response or {}).get("wall") or start,
                status="failed" if problems else "passed", message="\n".join(problems),
                parameters=[("connection", str(call.get("connection"))), ("message id", str(call.get("message_id")))],
                attachments=[a for f in frames for a in _frame_attachments(f)])


def _lone_frame_step(frame: dict[str, Any], parties: _Parties, why: str) -> Step:
    src, dst = parties.ends(frame)
    mtype = frame.get("message_type") or "unparseable frame"
    ident = f" {_short_id(frame.get('message_id'))}" if frame.get("message_id") else ""
    action = f"{frame['action']} " if frame.get("action") else ""
    invalid = frame.get("valid") is False
    return Step(name=f"{src} -> {dst}: {action}({mtype}{ident}) {why}".rstrip(), start=frame.get("wall") or 0.0,
                stop=frame.get("wall") or 0.0, status="failed" if invalid else "passed",
                message=_frame_problem(frame) if invalid else "",
                parameters=[("connection", str(frame.get("connection"))),
                            ("message id", str(frame.get("message_id")))],
                attachments=_frame_attachments(frame))


def _action_step(started: dict[str, Any] | None, ended: dict[str, Any] | None) -> Step:
    first = started or ended or {}
    params = first.get("params") or {}
    detail = ""
    if isinstance(params, dict) and params.get("request"):  # e.g. csms_send: make the CSMS send X
        detail = f" {params['request']}"
    status_text = (ended or {}).get("status") or "no result"
    start = first.get("wall") or 0.0
    stop = (ended or {}).get("wall") or start
    status = {"ok": "passed", "cancelled": "skipped"}.get(status_text, "broken")
    step = Step(name=f"Action: {first.get('action')}{detail} -> {status_text}", start=start, stop=stop,
                status=status, message=str((ended or {}).get("reason") or "") if status != "passed" else "",
                parameters=[("backend", str(first.get("backend")))])
    if params:
        step.attachments.append(Attachment("action parameters", _json(params), "json"))
    if ended is not None and ended.get("result"):
        step.attachments.append(Attachment("action result", _json(ended["result"]), "json"))
    return step


def _check_step(check: dict[str, Any]) -> Step:
    reqs = list(check.get("requirements") or [])
    passed = bool(check.get("passed"))
    name = f"Check: {check.get('name')}" + (f" [{', '.join(reqs)}]" if reqs else "")
    params = [(k, str(check[k])) for k in ("expected", "actual", "required", "measured", "tolerance")
              if check.get(k) is not None]
    message = ""
    if not passed:
        message = f"expected {check.get('expected')}, actual {check.get('actual')}"
        if check.get("detail"):
            message += f"\n{check['detail']}"
    wall = check.get("wall") or 0.0
    return Step(name=name, start=wall, stop=wall, status="passed" if passed else "failed", message=message,
                parameters=params)


def _wait_step(wait: dict[str, Any], end: float) -> Step:
    seconds = wait.get("seconds")
    start = wait.get("wall") or 0.0
    stop = min(start + float(seconds), end) if isinstance(seconds, (int, float)) else start
    label = f"{seconds:g}s" if isinstance(seconds, (int, float)) else "?"
    return Step(name=f"Wait {label}: {wait.get('reason', '')}".rstrip(": "), start=start, stop=max(start, stop))


_CONNECTION_DETAIL = ("reason", "remote", "url", "path", "offered_subprotocols", "auth_ok", "status")


def _connection_step(event: dict[str, Any]) -> Step:
    wall = event.get("wall") or 0.0
    status = "broken" if event.get("event") == "rejected" else "passed"
    return Step(name=f"Connection {event.get('connection')}: {event.get('event')}", start=wall, stop=wall,
                status=status, parameters=[(k, str(event[k])) for k in _CONNECTION_DETAIL if event.get(k) is not None])


def _note_step(event: dict[str, Any]) -> Step:
    wall = event.get("wall") or 0.0
    level = event.get("level") or "info"
    prefix = "Note" if level == "info" else f"Note ({level})"
    return Step(name=f"{prefix}: {event.get('message', '')}", start=wall, stop=wall)


def _pairs(events: list[dict[str, Any]]) -> tuple[dict[int, int], set[int]]:
    """Index of a CALL -> index of its response, and index of a started action -> index of its
    outcome; plus the set of indices consumed as the second half of such a pair."""
    pairs: dict[int, int] = {}
    open_calls: dict[tuple[Any, Any, Any], int] = {}  # (connection, message id, direction of the CALL)
    open_actions: dict[tuple[Any, Any], int] = {}  # (action, call number)
    for i, e in enumerate(events):
        kind = e.get("kind")
        if kind == "frame" and e.get("message_type") == "CALL":
            open_calls[(e.get("connection"), e.get("message_id"), e.get("direction"))] = i
        elif kind == "frame" and e.get("message_type") in _RESPONSES:
            call_direction = "in" if e.get("direction") == "out" else "out"
            j = open_calls.pop((e.get("connection"), e.get("message_id"), call_direction), None)
            if j is not None:
                pairs[j] = i
        elif kind == "action" and e.get("status") == "started":
            open_actions[(e.get("action"), e.get("call"))] = i
        elif kind == "action":
            j = open_actions.pop((e.get("action"), e.get("call")), None)
            if j is not None:
                pairs[j] = i
    return pairs, set(pairs.values())


def case_steps(events: Iterable[dict[str, Any]], sut_role: str = "CS",
               max_frames: int | None = None) -> list[Step]:
    """The Allure steps of one case, from its events (dicts as in the event log), in order:
    exchanges (a CALL with its response), actions, waits, checks, connection events and notes.
    Frames with no CALL of their own in the case (a late or unsolicited response, an
    unparseable frame) get a step of their own."""
    events = list(events)
    parties = _Parties(events, sut_role)
    end = max((e.get("wall") or 0.0 for e in events), default=0.0)
    pairs, second_halves = _pairs(events)
    steps: list[Step] = []
    frame_steps: set[int] = set()
    for i, event in enumerate(events):
        if i in second_halves:
            continue
        kind = event.get("kind")
        other = events[pairs[i]] if i in pairs else None
        if kind == "frame":
            mtype = event.get("message_type")
            if mtype == "CALL":
                steps.append(_exchange_step(event, other, parties))
            elif mtype in _RESPONSES:
                steps.append(_lone_frame_step(event, parties, "without a CALL in this case"))
            else:
                steps.append(_lone_frame_step(event, parties, ""))
            frame_steps.add(id(steps[-1]))
        elif kind == "action":
            if event.get("status") == "started":
                steps.append(_action_step(event, other))
            else:
                steps.append(_action_step(None, event))
        elif kind == "check":
            steps.append(_check_step(event))
        elif kind == "wait":
            steps.append(_wait_step(event, end))
        elif kind == "connection":
            steps.append(_connection_step(event))
        elif kind == "note":
            steps.append(_note_step(event))
    return _capped_steps(steps, frame_steps, max_frames)


def _capped_steps(steps: list[Step], frame_steps: set[int], max_frames: int | None) -> list[Step]:
    """At most ``max_frames`` frame steps (default MAX_FRAMES_SHOWN): the first and the last ones."""
    from .capping import MAX_FRAMES_SHOWN, Omitted, cap_rows

    limit = MAX_FRAMES_SHOWN if max_frames is None else max_frames
    shown = cap_rows(steps, limit, is_frame=lambda st: id(st) in frame_steps)
    flooded = any(isinstance(step, Omitted) for step in shown)
    out = []
    for step in shown:
        if flooded and id(step) in frame_steps:
            step.attachments = []  # one file per frame is what made 40,000 files: the wire log has them all
        if isinstance(step, Omitted):
            at = out[-1].stop if out else 0.0
            out.append(Step(name=step.text().replace("events", "steps") + " (the wire log attachment has every frame)",
                            start=at, stop=at, status="skipped"))
        else:
            out.append(step)
    return out


def _clock(wall: Any) -> str:
    if not isinstance(wall, (int, float)):
        return "--:--:--.---"
    return datetime.fromtimestamp(wall, tz=UTC).strftime("%H:%M:%S.%f")[:-3]


def wire_log(events: Iterable[dict[str, Any]], sut_role: str = "CS") -> str:
    """The case's frames as text, one per line (UTC time, connection, direction, raw frame),
    with connection events and schema violations in between."""
    events = [e for e in events]
    parties = _Parties(events, sut_role)
    lines = []
    for e in events:
        kind = e.get("kind")
        if kind == "frame":
            src, dst = parties.ends(e)
            lines.append(f"{_clock(e.get('wall'))}  {e.get('connection')}  {src} -> {dst}  {e.get('raw', '')}")
            if e.get("valid") is False:
                lines.append(f"{'':14}!! invalid: {_frame_problem(e)}")
        elif kind == "connection":
            extra = ", ".join(f"{k}={e[k]}" for k in _CONNECTION_DETAIL if e.get(k) is not None)
            lines.append(f"{_clock(e.get('wall'))}  {e.get('connection')}  -- connection {e.get('event')}"
                         + (f" ({extra})" if extra else ""))
    return "\n".join(lines) + ("\n" if lines else "")


#: A stylesheet for the diagram's classes, so that the SVG attachment renders on its own (the
#: diagram is made to be inlined into a page that styles it).
DIAGRAM_CSS = (
    "svg.seq{font:12px system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;background:#fff}"
    ".seq text{fill:#1f2328}.seq .col-head,.seq .time,.seq .empty{fill:#57606a;font-size:11px}"
    ".seq .lifeline{stroke:#8c959f;stroke-dasharray:4 4}"
    ".seq .lane-box rect{fill:#f6f8fa;stroke:#57606a}.seq .lane-box.sut rect{fill:#ddf4ff}"
    ".seq .lane-box text{font-weight:600}"
    ".seq .bg{fill:transparent}.seq .culprit .bg{fill:#fff1e5}"
    ".seq g.step>line{stroke:#8c959f}"
    ".seq g.frame>line{stroke:#0969da;stroke-width:1.5}.seq .frame .head{fill:#0969da}"
    ".seq g.frame.response>line{stroke-dasharray:6 4}"
    ".seq g.frame.bad>line{stroke:#cf222e}.seq .frame.bad .head,.seq .frame.bad .act,.seq .warn-icon{fill:#cf222e}"
    ".seq .act{font-weight:600}.seq .mt,.seq .mid{fill:#57606a}"
    ".seq .note-box{fill:#fff8c5;stroke:#d4a72c}.seq .action.bad .note-box{fill:#ffebe9;stroke:#cf222e}"
    ".seq .wait .note-box{fill:#f6f8fa;stroke:#8c959f}"
    ".seq g.conn>line{stroke:#8c959f;stroke-dasharray:2 3}.seq .conn text{fill:#57606a;font-size:11px}"
    ".seq .marker-box{fill:#f6f8fa;stroke:#8c959f}"
    ".seq .failing .marker-box{fill:#ffebe9;stroke:#cf222e}.seq g.failing>line{stroke:#cf222e}"
    ".seq .warn .marker-box{fill:#fff8c5;stroke:#d4a72c}"
    ".seq .end.pass .marker-box{fill:#dafbe1;stroke:#1a7f37}"
)


def standalone_svg(svg: str) -> str:
    """Make an inline ``<svg>`` element a standalone SVG document: the SVG namespace on the root
    and :data:`DIAGRAM_CSS` as an embedded stylesheet (unless it brings its own)."""
    head_end = svg.find(">")
    if not svg.startswith("<svg") or head_end < 0:
        return svg
    head, rest = svg[:head_end], svg[head_end:]
    if "xmlns=" not in head:
        head = '<svg xmlns="http://www.w3.org/2000/svg"' + head[len("<svg"):]
    style = "" if "<style" in rest else f"<style>{DIAGRAM_CSS}</style>"
    return head + ">" + style + rest[1:]


def sequence_diagram(case_events: list[dict[str, Any]], case_id: str) -> str | None:
    """The sequence diagram of the case as a standalone SVG document, or None while
    ``conformance.reporting.diagram.sequence_svg`` is not available (or fails)."""
    try:
        from .diagram import sequence_svg  # type: ignore[attr-defined]
    except Exception:  # not there, or broken: the report goes on without the diagram
        return None
    from .model import build_model

    record = build_model(case_events).cases.get(case_id)
    if record is None:
        return None
    try:
        svg = sequence_svg(record)
    except Exception:
        return None
    return standalone_svg(svg) if isinstance(svg, str) and svg else None


def case_attachments(case_events: list[dict[str, Any]], case_id: str, sut_role: str) -> list[Attachment]:
    """The attachments of the test result itself: wire log, case events, sequence diagram."""
    out: list[Attachment] = []
    if any(e.get("kind") in ("frame", "connection") for e in case_events):
        out.append(Attachment("wire log", wire_log(case_events, sut_role), "text"))
    if any(e.get("kind") in ("frame", "connection", "action", "check", "wait") for e in case_events):
        svg = sequence_diagram(case_events, case_id)
        if svg is not None:
            out.append(Attachment("sequence diagram", svg, "svg"))
    from .capping import MAX_FRAMES_SHOWN, Omitted, cap_rows

    shown = [{"kind": "omitted", "events": e.rows, "frames": e.frames, "see": "events.jsonl"}
             if isinstance(e, Omitted) else e
             for e in cap_rows(case_events, MAX_FRAMES_SHOWN, is_frame=lambda e: e.get("kind") == "frame")]
    out.append(Attachment("case events", _json(shown), "json"))
    return out


# --------------------------------------------------------------------------- the case's events
_CURSORS: weakref.WeakKeyDictionary[Any, int] = weakref.WeakKeyDictionary()


def case_events(log: EventLog, case_id: str) -> list[dict[str, Any]]:
    """The events of the latest run of ``case_id`` (from its last ``case_start``), as dicts.
    Scans only what was logged since the previous call, so a long run stays linear."""
    snapshot = log.events()
    start = _CURSORS.get(log, 0)
    if start > len(snapshot):
        start = 0
    mine = [e for e in snapshot[start:] if e.case == case_id]
    _CURSORS[log] = len(snapshot)
    for i in range(len(mine) - 1, -1, -1):
        if mine[i].kind == "case_start":
            mine = mine[i:]
            break
    return [e.to_json() for e in mine]


# --------------------------------------------------------------------------- allure-pytest
def _allure_test_result(item: Any) -> Any:
    """The TestResult allure-pytest is building for ``item``, or None (allure not active)."""
    listener = item.config.pluginmanager.get_plugin("allure_listener")
    if listener is None:
        return None
    from allure_pytest.utils import allure_full_name

    result = listener.allure_logger.get_test(None)
    if result is None or result.fullName != allure_full_name(item):
        return None
    return result


def _to_allure(step: Step, attach: Callable[[Attachment], Any]) -> Any:
    from allure_commons.model2 import Parameter, StatusDetails, TestStepResult

    result = TestStepResult(name=step.name, status=step.status, start=_ms(step.start), stop=_ms(step.stop),
                            parameters=[Parameter(name=k, value=v) for k, v in step.parameters])
    if step.message:
        result.statusDetails = StatusDetails(message=step.message)
    result.attachments = [attach(a) for a in step.attachments]
    result.steps = [_to_allure(s, attach) for s in step.steps]
    return result


def _ms(seconds: float) -> int:
    return round(seconds * 1000)


def _writer() -> Callable[[Attachment], Any]:
    from allure_commons import plugin_manager
    from allure_commons.model2 import ATTACHMENT_PATTERN
    from allure_commons.model2 import Attachment as AllureAttachment
    from allure_commons.types import AttachmentType
    from allure_commons.utils import uuid4

    types = {"json": AttachmentType.JSON, "text": AttachmentType.TEXT, "svg": AttachmentType.SVG}

    def write(attachment: Attachment) -> Any:
        kind = types[attachment.kind]
        file_name = ATTACHMENT_PATTERN.format(prefix=uuid4(), ext=kind.extension)
        plugin_manager.hook.report_attached_data(body=attachment.body, file_name=file_name)
        return AllureAttachment(name=attachment.name, source=file_name, type=kind.mime_type)

    return write


def record_case(item: Any, meta: CaseMeta, verdict: str, log: EventLog) -> None:
    """Put the case's labels, links, steps and attachments on its Allure test result.
    A no-op when allure-pytest is not recording; never raises (a report problem must not
    change a verdict): a failure is noted in the event log instead."""
    try:
        result = _allure_test_result(item)
        if result is None:
            return
        _fill(result, item, meta, verdict, log)
    except Exception as exc:  # pragma: no cover - defensive
        log.emit("note", level="warning", message=f"allure results for {meta.id} incomplete: "
                                                   f"{type(exc).__name__}: {exc}")


def _fill(result: Any, item: Any, meta: CaseMeta, verdict: str, log: EventLog) -> None:
    from allure_commons.model2 import Label, Link

    events = case_events(log, meta.id)
    result.name = f"{meta.id} {meta.title}"
    result.description = description_for(meta, getattr(getattr(item, "function", None), "__doc__", None))
    own = {"epic", "feature", "story", "severity", "role", "verdict", "profile", "parentSuite", "suite"}
    result.labels = [label for label in result.labels if label.name not in own]
    result.labels.extend(Label(name=n, value=v) for n, v in labels_for(meta, verdict))
    patterns = dict(getattr(item.config.option, "allure_link_pattern", None) or [])
    known = {link.url for link in result.links}
    result.links.extend(Link(type=t, url=u, name=n) for t, u, n in links_for(meta, patterns.get(REQUIREMENT_LINK_TYPE))
                        if u not in known)
    starts = [e["wall"] for e in events if e.get("kind") == "case_start" and isinstance(e.get("wall"), (int, float))]
    if starts and (result.start is None or _ms(starts[0]) < result.start):
        result.start = _ms(starts[0])  # the case began in its fixtures (connect, boot): steps from there on
    write = _writer()
    result.steps.extend(_to_allure(step, write) for step in case_steps(events, meta.role))
    result.attachments.extend(write(a) for a in case_attachments(events, meta.id, meta.role))
    # allure-pytest sets the status from the (already adjusted) report after this hook when its
    # wrapper is the outer one (the normal order). Had it run first, correct what it set.
    wanted = STATUS_OF_VERDICT.get(verdict)
    if wanted and result.status not in (None, "passed") and result.status != wanted:
        result.status = wanted
