"""Certification readiness: per Part 5 profile and role, how far a run shows the SUT ready to certify.

Shared by the HTML report (its readiness table) and the coverage lines of the terminal summary and the
report header (:func:`conformance.reporting.summary.coverage_lines`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..catalog import PROFILES, TestCase, load_catalog
from ..roles import Role
from .model import CaseRecord, RunModel


@dataclass
class ProfileReadiness:
    """One Part 5 profile for one role: how far this run shows the SUT ready to certify."""

    role: str  # "CS" | "CSMS"
    profile: str
    mandatory: list[TestCase] = field(default_factory=list)
    conditional: list[TestCase] = field(default_factory=list)
    mandatory_passed: list[CaseRecord] = field(default_factory=list)
    conditional_passed: list[CaseRecord] = field(default_factory=list)
    not_applicable: list[CaseRecord] = field(default_factory=list)
    failed: list[CaseRecord] = field(default_factory=list)
    inconclusive: list[CaseRecord] = field(default_factory=list)
    errors: list[CaseRecord] = field(default_factory=list)  # ERROR and NOT FINISHED
    not_run: list[TestCase] = field(default_factory=list)
    claimed: bool | None = None  # declared in the SUT's PICS (None: no PICS in the log)

    @property
    def run_count(self) -> int:
        return len(self.mandatory) + len(self.conditional) - len(self.not_run)

    @property
    def ready(self) -> bool:
        """Every mandatory case passed and nothing failed (or could not be judged)."""
        return (bool(self.mandatory) and len(self.mandatory_passed) == len(self.mandatory)
                and not self.failed and not self.inconclusive and not self.errors)

    @property
    def status(self) -> str:
        if self.ready:
            return "ready"
        if self.run_count == 0:
            return "not tested"
        return "not ready"

    @property
    def reasons(self) -> list[str]:
        out = []
        if self.failed:
            out.append(f"{len(self.failed)} failed")
        if self.inconclusive:
            out.append(f"{len(self.inconclusive)} inconclusive")
        if self.errors:
            out.append(f"{len(self.errors)} error / not finished")
        missing = len(self.mandatory) - len(self.mandatory_passed)
        if missing:
            out.append(f"{missing} of {len(self.mandatory)} mandatory not passed")
        return out


def sut_name(role: str | None) -> str:
    """"Charging Station" / "CSMS" for any spelling of a role (:class:`~conformance.roles.Role`); anything
    else as it is."""
    parsed = Role.parse(role)
    return parsed.display if parsed else (role or "")


def run_roles(model: RunModel) -> list[str]:
    """The roles tested in the run ("CS", "CSMS"), in the order of the log."""
    roles: list[str] = []
    for session in model.sessions:
        role = Role.parse(session.role)
        if role and role not in roles:
            roles.append(role)
    for case in model.cases.values():
        role = Role.parse(case.role)
        if role and role not in roles:
            roles.append(role)
    return roles


def _claimed_profiles(model: RunModel, role: str) -> set[str] | None:
    for session in model.sessions:
        if Role.parse(session.role) == role:
            pics = (session.config or {}).get("pics")
            if isinstance(pics, dict) and isinstance(pics.get("profiles"), list):
                return {str(p) for p in pics["profiles"]}
    return None


def readiness(model: RunModel) -> dict[str, list[ProfileReadiness]]:
    """Role -> one :class:`ProfileReadiness` per Part 5 profile, for the roles in the run."""
    catalog = load_catalog()
    out: dict[str, list[ProfileReadiness]] = {}
    for role in run_roles(model):
        claimed = _claimed_profiles(model, role)
        rows = []
        for profile in PROFILES:
            entry = ProfileReadiness(role, profile, claimed=None if claimed is None else profile in claimed)
            for test_case in catalog.cases_for(role):  # type: ignore[arg-type]
                applicability = test_case.applicability(profile)
                if applicability is None:
                    continue
                mandatory = applicability.level == "M"
                (entry.mandatory if mandatory else entry.conditional).append(test_case)
                record = model.cases.get(test_case.id)
                if record is None or record.verdict == "SKIPPED":
                    entry.not_run.append(test_case)
                elif record.verdict == "PASS":
                    (entry.mandatory_passed if mandatory else entry.conditional_passed).append(record)
                elif record.verdict == "NOT APPLICABLE":
                    entry.not_applicable.append(record)
                elif record.verdict == "FAIL":
                    entry.failed.append(record)
                elif record.verdict == "INCONCLUSIVE":
                    entry.inconclusive.append(record)
                else:
                    entry.errors.append(record)
            rows.append(entry)
        out[role] = rows
    return out
