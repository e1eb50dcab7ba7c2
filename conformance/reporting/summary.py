"""The run's outcome for CI gates: the JSON summary, the exit code, the terminal table.

Exit codes: 0 every selected, applicable case passed (expected failures excepted); 1 a case
failed, was inconclusive, ended in error or did not finish, or an expected failure passed; 2 a
configuration, usage or harness error (nothing was judged).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .model import NOT_FINISHED, VERDICTS, RunModel

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2
EXIT_MEANING = {
    0: "every selected, applicable case passed",
    1: "at least one case failed, was inconclusive, ended in error or did not finish (or an expected "
       "failure passed)",
    2: "a configuration, usage or harness error: nothing was judged",
}


@dataclass(frozen=True)
class ExpectedFailure:
    case: str
    reason: str


class ExpectedFailuresError(ValueError):
    pass


def load_expected_failures(path: Path) -> dict[str, ExpectedFailure]:
    """A TOML file of ``[[expected_failure]]`` tables with ``case`` and ``reason``."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ExpectedFailuresError(f"{path}: {exc}") from None
    entries = data.get("expected_failure", [])
    unknown = set(data) - {"expected_failure"}
    if unknown or not isinstance(entries, list):
        raise ExpectedFailuresError(f"{path}: only [[expected_failure]] tables are allowed (found {sorted(unknown)})")
    out: dict[str, ExpectedFailure] = {}
    for number, entry in enumerate(entries, start=1):
        case, reason = entry.get("case"), entry.get("reason")
        if not isinstance(case, str) or not isinstance(reason, str) or not reason.strip():
            raise ExpectedFailuresError(f"{path}: entry {number} needs a case id and a non-empty reason")
        out[case] = ExpectedFailure(case, reason)
    return out


@dataclass
class Outcome:
    exit_code: int
    deciding: list[str]  # lines saying which cases decided a non-zero exit
    expected: list[str]  # expected failures that failed as expected
    unexpected_passes: list[str]


def decide(model: RunModel, *, harness_error: str | None = None,
           expected_failures: dict[str, ExpectedFailure] | None = None, interrupted: str | None = None) -> Outcome:
    """The exit code and the lines that decided it. ``interrupted``: why the run ended early (SIGINT): never a
    pass, even when every case that ran passed."""
    expected_failures = expected_failures or {}
    deciding, expected, unexpected = [], [], []
    for case in model.cases.values():
        first_line = case.message.splitlines()[0] if case.message else ""
        if case.verdict in ("PASS", "NOT APPLICABLE", "SKIPPED"):
            if case.id in expected_failures and case.verdict == "PASS":
                unexpected.append(f"{case.id}: expected to fail ({expected_failures[case.id].reason}) but PASSED: "
                                  f"remove it from the expected failures")
            continue
        if case.id in expected_failures and case.verdict != NOT_FINISHED:
            expected.append(f"{case.id}: {case.verdict} as expected ({expected_failures[case.id].reason})")
            continue
        deciding.append(f"{case.id}: {case.verdict}: {first_line}")
    if harness_error:
        return Outcome(EXIT_ERROR, [harness_error, *deciding], expected, unexpected)
    if not model.cases:
        return Outcome(EXIT_ERROR, ["no test case was selected"], expected, unexpected)
    if interrupted:
        deciding.append(interrupted)
    code = EXIT_FAILED if deciding or unexpected else EXIT_OK
    return Outcome(code, deciding + unexpected, expected, unexpected)


def coverage_lines(model: RunModel) -> list[str]:
    """What the run covered, per role tested: the catalog cases the suite implements, this run's verdicts, and
    the certification readiness of the profiles the PICS claims (all profiles the run touched without a PICS),
    e.g. "Charging Station: 60 of 340 catalog cases implemented; this run: 58 cases: 56 PASS, 2 FAIL; Core: 51
    of 104 mandatory passed, NOT READY"."""
    from ..catalog import load_catalog
    from ..roles import Role
    from .readiness import readiness, sut_name

    catalog = load_catalog()
    table = readiness(model)
    lines = []
    for role, rows in table.items():
        in_program = {t.id for t in catalog.cases_for(role) if t.in_program}  # type: ignore[arg-type]
        implemented = {c for s in model.sessions if Role.parse(s.role) == role for c in s.implemented}
        beyond = {c for c in implemented if c not in catalog.test_cases}
        text = f"{sut_name(role)}: {len(implemented & in_program)} of {len(in_program)} catalog cases " \
               "implemented" + (f" (+{len(beyond)} beyond the catalog)" if beyond else "")
        cases = [c for c in model.cases.values() if Role.parse(c.role) == role]
        counts: dict[str, int] = {}
        for case in cases:
            counts[case.verdict] = counts.get(case.verdict, 0) + 1
        text += f"; this run: {len(cases)} case{'s' if len(cases) != 1 else ''}"
        if counts:
            text += ": " + ", ".join(f"{counts[v]} {v}" for v in VERDICTS if counts.get(v))
        lines.append(text)
        shown = [r for r in rows if r.run_count and r.claimed is not False]
        untested = [r.profile for r in rows if r.claimed and not r.run_count]
        parts = [f"{r.profile}: {len(r.mandatory_passed)} of {len(r.mandatory)} mandatory passed, {r.status.upper()}"
                 for r in shown]
        if untested:
            parts.append("not tested: " + ", ".join(untested))
        if parts:
            lines.append(f"{sut_name(role)} readiness: " + "; ".join(parts))
    return lines


def summary_json(model: RunModel, outcome: Outcome) -> dict[str, Any]:
    """The machine-readable summary for dashboards."""
    return {
        "run": model.run,
        "start": model.start_wall,
        "end": model.end_wall,
        "interrupted": model.interrupted,
        "exit_code": outcome.exit_code,
        "coverage": coverage_lines(model),
        "counts": {v: model.counts.get(v, 0) for v in VERDICTS if model.counts.get(v)},
        "sessions": [{"role": s.role, "sut": s.sut_name, "sut_identity": s.sut_identity, "reference": s.reference,
                      "faults": s.faults} for s in model.sessions],
        "deciding": outcome.deciding,
        "expected_failures": outcome.expected,
        "cases": [{"id": c.id, "title": c.title, "role": c.role, "block": c.block, "use_cases": c.use_cases,
                   "requirements": c.requirements, "verdict": c.verdict, "message": c.message,
                   "duration": c.duration} for c in model.cases.values()],
    }


def terminal_table(model: RunModel, outcome: Outcome, report_path: Path | None) -> str:
    width = max([len(c.id) for c in model.cases.values()] + [10])
    lines = [f"{'case':<{width}}  {'verdict':<14}  {'time':>7}  title", "-" * (width + 40)]
    for case in model.cases.values():
        duration = f"{case.duration:.3f}s" if case.duration is not None else "-"
        lines.append(f"{case.id:<{width}}  {case.verdict:<14}  {duration:>7}  {case.title}")
    counts = ", ".join(f"{n} {v}" for v, n in sorted(model.counts.items()))
    lines.append("")
    lines.append(f"summary: {counts or 'no cases'}")
    for line in coverage_lines(model):
        lines.append(f"  {line}")
    for line in outcome.expected:
        lines.append(f"  expected: {line}")
    for line in outcome.deciding:
        lines.append(f"  decided by {line}")
    lines.append(f"exit code {outcome.exit_code}: {EXIT_MEANING.get(outcome.exit_code, 'unknown exit code')}"
                 + (" (the run was interrupted: cases that did not finish or never ran count as not passed)"
                    if model.interrupted else ""))
    if report_path is not None:
        lines.append(f"report: {report_path}")
    return "\n".join(lines)
