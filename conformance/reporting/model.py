"""The run as renderers see it: the event log folded into runs, sessions and cases.

Every output (HTML, JUnit, JSON summary, Allure, the CLI summary and its exit code) is a
renderer over :class:`RunModel`, which is built from the event log alone, so a finished (or
interrupted) run can be re-rendered offline and gives the same result.

Event log schema (one JSON object per line; ``kind``, ``wall`` (epoch s), ``mono``
(monotonic s), ``case`` (the case id or null), then per kind):

* ``run_start``: run_id, suite_version, spec, catalog_version, host, python
* ``session_start`` / ``session_end``: role ("station" | "csms"), sut_name, reference, faults,
  strict, config (redacted snapshot, with the PICS), implemented (the suite's case ids for the
  role), selected (the case ids the session was to run, in order; a selected case without a
  case_start never ran and is NOT FINISHED)
* ``sut_identity``: identity, vendor, model, serial, firmware (from BootNotification) or url
* ``connection``: event (handshake | opened | closed | rejected | connecting), connection, ...
* ``frame``: direction ("in" = from the SUT, "out" = to the SUT), raw, message_type, message_id,
  action, payload, valid, violations [{path, keyword, message}], error, rpc_issues, connection,
  frame_index, binary, deliberate (a malformed frame the harness sent on purpose), overtook
* ``action``: action, params, backend, status (started | ok | failed | timeout | cancelled),
  result, reason, duration, call
* ``check``: name, passed, expected, actual, requirements, severity, (timing: required,
  measured, tolerance), detail, generic (a protocol validation of the transport, with rule,
  message_id, action, frame_index, frame, connection), late (attributed to the case after it ended:
  judged against the case that ended last). A failed check decides its case's verdict wherever it
  came from: the case is FAIL and every failed check is listed in its message (HELPERS contract 1)
* ``wait``: reason, seconds (a wait the protocol requires)
* ``note``: level, message
* ``case_start``: title, role, block, use_cases, requirements, negative_controls (the faults of
  the reference SUTs that must make the case FAIL), nodeid
* ``case_end``: verdict, message, duration, phase
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ..outcomes import describe_check, describe_failed_checks
from ..recording import read_log

NOT_FINISHED = "NOT FINISHED"  # a case that started and never ended, or never started (the run was interrupted)
NEVER_RAN = "the case never ran: the session ended before it started (the run was interrupted)"
DID_NOT_FINISH = "the case did not finish (the run was interrupted)"
VERDICTS = ("PASS", "FAIL", "INCONCLUSIVE", "ERROR", "NOT APPLICABLE", "SKIPPED", NOT_FINISHED)


@dataclass
class CaseRecord:
    id: str
    title: str = ""
    role: str = ""
    block: str = ""
    use_cases: list[str] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)
    negative_controls: list[str] = field(default_factory=list)  # faults that must make the case FAIL
    verdict: str = NOT_FINISHED
    message: str = ""
    start_wall: float | None = None
    end_wall: float | None = None
    start_mono: float | None = None
    duration: float | None = None
    events: list[dict[str, Any]] = field(default_factory=list)  # everything between start and end
    ended: bool = False  # its case_end is in the log (a case that never started or never ended: False)

    @property
    def finished(self) -> bool:
        """The case ran to its end (a case interrupted after a failed check is FAIL, but not finished)."""
        return self.ended

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        return [e for e in self.events if e["kind"] == kind]

    @property
    def frames(self) -> list[dict[str, Any]]:
        return self.of_kind("frame")

    @property
    def checks(self) -> list[dict[str, Any]]:
        return self.of_kind("check")

    @property
    def actions(self) -> list[dict[str, Any]]:
        return [e for e in self.of_kind("action") if e.get("status") != "started"]

    @property
    def failing_check(self) -> dict[str, Any] | None:
        failed = [c for c in self.checks if not c.get("passed")]
        return failed[-1] if failed else None


@dataclass
class Session:
    role: str
    sut_name: str = ""
    reference: bool = False
    faults: list[str] = field(default_factory=list)
    strict: bool = False
    config: dict[str, Any] = field(default_factory=dict)
    sut_identity: dict[str, Any] = field(default_factory=dict)
    ended: bool = False
    implemented: list[str] = field(default_factory=list)  # the suite's cases for this role when the run started
    selected: list[str] | None = None  # the cases the session was to run (None: a log from before it was recorded)


@dataclass
class RunModel:
    run: dict[str, Any] = field(default_factory=dict)
    sessions: list[Session] = field(default_factory=list)
    cases: dict[str, CaseRecord] = field(default_factory=dict)
    start_wall: float | None = None
    end_wall: float | None = None
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return dict(Counter(c.verdict for c in self.cases.values()))

    @property
    def interrupted(self) -> bool:
        return any(not c.finished for c in self.cases.values()) or any(not s.ended for s in self.sessions)

    def generic_validations(self) -> list["GenericValidation"]:
        """The generic validations (run in every case, whatever its block) with their failed checks in this run."""
        found: Counter[str] = Counter()
        for record in self.cases.values():
            for check in record.checks:
                if check.get("generic") and not check.get("passed"):
                    found[str(check.get("rule", ""))] += int(check.get("count", 1)) if check.get("summary") else 1
        return [GenericValidation(title, applies, rules, sum(found[r] for r in rules))
                for title, applies, rules in GENERIC_VALIDATIONS]

    def deciding(self) -> list[CaseRecord]:
        """The cases that make the run not pass (FAIL, INCONCLUSIVE, ERROR, NOT FINISHED)."""
        return [c for c in self.cases.values() if c.verdict not in ("PASS", "NOT APPLICABLE", "SKIPPED")]


def _generic_validations() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    from ..protocol.findings import RULE_REQUIREMENTS
    from ..protocol.transactions import RULES as TRANSACTION_RULES

    framing = tuple(r for r in RULE_REQUIREMENTS if r != "connection-close")
    return (
        ("OCPP-J framing and RPC rules (OCPP-J Part 4 §4)", "every message of the SUT", framing),
        ("JSON schemas both ways, and the Part 2 rules the schemas cannot express", "every message of the SUT",
         ("request-schema", "response-schema")),
        ("Connection closes caused by the SUT (OCPP-J Part 4 §5)", "every connection", ("connection-close",)),
        ("Transaction invariants (Part 2 E §1.3, E and F requirements): per transaction across connections, "
         "reconnects and reboots", "every TransactionEvent of a Charging Station SUT", tuple(TRANSACTION_RULES)),
    )


@dataclass(frozen=True)
class GenericValidation:
    """A validation the harness applies in every case (shared contract 2: its findings are generic checks)."""

    title: str
    applies_to: str
    rules: tuple[str, ...]
    findings: int  #: failed checks of its rules in the run


GENERIC_VALIDATIONS = _generic_validations()


def build_model(events: Iterable[dict[str, Any]]) -> RunModel:
    model = RunModel()
    current: dict[str, CaseRecord] = {}
    session: Session | None = None
    for event in events:
        model.events.append(event)
        kind = event.get("kind")
        wall = event.get("wall")
        if wall is not None:
            model.start_wall = wall if model.start_wall is None else min(model.start_wall, wall)
            model.end_wall = wall if model.end_wall is None else max(model.end_wall, wall)
        if kind == "run_start":
            model.run = {k: v for k, v in event.items() if k not in ("kind", "mono", "case")}
            continue
        if kind == "session_start":
            session = Session(role=event.get("role", ""), sut_name=event.get("sut_name", ""),
                              reference=bool(event.get("reference")), faults=list(event.get("faults") or []),
                              strict=bool(event.get("strict")), config=event.get("config") or {},
                              implemented=list(event.get("implemented") or []),
                              selected=list(event["selected"]) if isinstance(event.get("selected"), list) else None)
            model.sessions.append(session)
            continue
        if kind == "session_end":
            if session is not None:
                session.ended = True
            continue
        if kind == "sut_identity" and session is not None:
            session.sut_identity = {k: v for k, v in event.items() if k not in ("kind", "wall", "mono", "case")}
        case_id = event.get("case")
        if kind == "case_start" and case_id:
            record = CaseRecord(id=case_id, title=event.get("title", ""), role=event.get("role", ""),
                                block=event.get("block", ""), use_cases=list(event.get("use_cases") or []),
                                requirements=list(event.get("requirements") or []),
                                negative_controls=list(event.get("negative_controls") or []), start_wall=wall,
                                start_mono=event.get("mono"))
            model.cases[case_id] = record
            current[case_id] = record
            record.events.append(event)
            continue
        if not case_id or case_id not in model.cases:
            continue
        record = model.cases[case_id]
        record.events.append(event)
        if kind == "case_end":
            record.ended = True
            record.verdict = event.get("verdict", "ERROR")
            record.message = event.get("message", "")
            record.end_wall = wall
            if record.start_mono is not None and event.get("mono") is not None:
                record.duration = event["mono"] - record.start_mono
            current.pop(case_id, None)
    _never_ran(model)
    for record in model.cases.values():
        _judge_checks(record)
    return model


def _never_ran(model: RunModel) -> None:
    """A selected case without a case_start never ran: NOT FINISHED (a killed run never reads as a pass)."""
    for session in model.sessions:
        for case_id in session.selected or []:
            if case_id not in model.cases:
                parts = case_id.split("_")
                model.cases[case_id] = CaseRecord(id=case_id, title=_catalog_title(case_id),
                                                  role=_case_role(session.role),
                                                  block=parts[1] if len(parts) > 2 else "", message=NEVER_RAN)


def _case_role(session_role: str) -> str:
    """The role a case record carries ("CS" / "CSMS") for a session's role ("station" / "csms")."""
    from ..roles import Role

    role = Role.parse(session_role)
    return role.value if role is not None else ""


def _catalog_title(case_id: str) -> str:
    """The title of a Part 6 case that never ran (its case_start, which carries the title, is not in the log)."""
    from ..catalog import load_catalog

    case = load_catalog().test_cases.get(case_id)
    return case.title if case is not None else ""


def _judge_checks(record: CaseRecord) -> None:
    """Contract 1 (HELPERS.md): a failed check of the case, also one recorded after it ended (``late``), makes
    it FAIL; the message keeps what ended the case and lists every failed check."""
    failed = [c for c in record.checks if not c.get("passed")]
    if not failed:
        if record.verdict == NOT_FINISHED and not record.message:
            record.message = DID_NOT_FINISH
        return
    if record.verdict not in VERDICTS:
        return  # a verdict this model does not know is shown as it is (and never passes: summary.decide)
    if record.verdict == "FAIL":  # the live verdict listed the checks failed up to its end; add later ones
        late = [c for c in failed if c.get("late") and str(c.get("name")) not in record.message]
        if late:
            record.message += "\nfailed after the case ended:\n" + "\n".join(f"- {describe_check(c)}" for c in late)
        return
    message = describe_failed_checks(failed)
    if record.verdict == NOT_FINISHED:
        message += f"\n{DID_NOT_FINISH}"
    elif record.verdict != "PASS":
        message += f"\nthe case ended {record.verdict}" + (f": {record.message}" if record.message else "")
    record.verdict, record.message = "FAIL", message


def load_model(path: Path) -> RunModel:
    """Load a run from its event log (a file, or a run folder holding events.jsonl)."""
    if path.is_dir():
        path = path / "events.jsonl"
    return build_model(read_log(path))
