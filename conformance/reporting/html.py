"""The HTML compliance report: one self-contained file rendered from the run model.

What a vendor hands to a customer or a test lab, so it is exact and complete:

* a header: suite, specification and catalog versions, the run's id, times and host, and per
  session the role, the SUT as it identified itself, whether it was a reference SUT with faults
  switched on (a negative-control run), strict mode and the (redacted) configuration snapshot;
* the summary: counts per verdict, the exit code and the cases that decided it, certification
  readiness per Part 5 profile and role, a block x use case matrix, the failures;
* one section per case (the anchor is the case id): metadata, the checks, a sequence diagram
  (:mod:`.diagram`), the wire log with every payload, the actions performed and the notes.

Plain string building with :func:`html.escape` on every value from the log; inline CSS and a
little inline JavaScript (filters, expand/collapse, print); no external resource, so it opens
from ``file://`` anywhere. Deterministic: the same log renders to the same bytes (only the
run's own times appear; whatever the log does not order is sorted).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

from ..catalog import PROFILES, TestCase, load_catalog
from .capping import FULL_LOG, MAX_FRAMES_SHOWN, Omitted, cap_rows
from ..roles import Role
from .diagram import (
    format_relative,
    frame_problems,
    is_bad_frame,
    lane_labels,
    reference_link,
    relative_time,
    sequence_svg,
)
from .model import NOT_FINISHED, CaseRecord, RunModel, Session
from .readiness import ProfileReadiness, readiness, run_roles, sut_name  # noqa: F401 (re-exported)
from .summary import EXIT_MEANING, Outcome, coverage_lines

#: the verdicts in the order the report shows them (SKIPPED only when it occurs)
SHOWN_VERDICTS = ("PASS", "FAIL", "INCONCLUSIVE", "ERROR", "NOT APPLICABLE", NOT_FINISHED)
#: worst first: the colour of a group of cases is that of its worst verdict
SEVERITY = {"FAIL": 6, "ERROR": 5, NOT_FINISHED: 4, "INCONCLUSIVE": 3, "PASS": 2, "NOT APPLICABLE": 1, "SKIPPED": 0}
NOT_PASSING = frozenset({"FAIL", "ERROR", "INCONCLUSIVE", NOT_FINISHED})
LEGEND = ('<figcaption class="legend"><span><i class="lg solid"></i>request (CALL)</span>'
          '<span><i class="lg dashed"></i>response (CALLRESULT / CALLERROR)</span>'
          '<span><i class="lg red"></i>CALLERROR or invalid frame</span>'
          '<span><i class="lg box action"></i>action</span><span><i class="lg box wait"></i>wait</span>'
          '<span><i class="lg box culprit"></i>last step before the failure</span>'
          '<span class="hint">hover a row for its details; message names open the message reference</span>'
          '</figcaption>')
MIDDOT, DASH = " \u00b7 ", " \u2014 "
DECIDING_SHOWN = 10
LONG_PAYLOAD_LINES = 20
LONG_PAYLOAD_CHARS = 1200



def _readable(value: Any) -> Any:
    """A check value recorded as a Python repr of a list, tuple or set ("[(2, 1)]") in the wording of
    the verdicts ("EVSE 2 connector 1", outcomes.plain); anything else as recorded."""
    if not isinstance(value, str) or not value[:1] in ("[", "(", "{"):
        return value
    import ast

    from ..outcomes import plain

    try:
        literal = ast.literal_eval(value)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return value
    return plain(literal) if isinstance(literal, (list, tuple, set, frozenset)) else value


_SUT_NAMES = {"station": "reference Charging Station", "csms": "reference CSMS"}


def _own_faults(session: Any) -> list[str]:
    """The faults a session's SUT really had: a run gives every role all --fault names, each reference SUT
    switches on only its own (FaultSet)."""
    from ..faults import FAULTS

    return [f for f in session.faults if f not in FAULTS or FAULTS[f].sut == session.role]


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def slug(verdict: str) -> str:
    """The CSS class suffix of a verdict: pass, fail, inconclusive, error, na, skipped, unfinished."""
    return {"PASS": "pass", "FAIL": "fail", "INCONCLUSIVE": "inconclusive", "ERROR": "error",
            "NOT APPLICABLE": "na", "SKIPPED": "skipped", NOT_FINISHED: "unfinished"}.get(verdict, "other")


def badge(verdict: str, small: bool = False) -> str:
    return f'<span class="badge v-{slug(verdict)}{" sm" if small else ""}">{_e(verdict)}</span>'


def utc(wall: float | None, *, millis: bool = False) -> str:
    if wall is None:
        return "\u2014"
    moment = datetime.fromtimestamp(wall, tz=UTC)
    text = moment.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3] if millis else moment.strftime("%Y-%m-%d %H:%M:%S")
    return f"{text} UTC"


def seconds(value: float | None) -> str:
    if value is None:
        return "\u2014"
    if value >= 120:
        minutes, rest = divmod(value, 60)
        return f"{int(minutes)} min {rest:04.1f} s"
    return f"{value:.3f} s"


def first_line(text: str | None) -> str:
    return str(text).splitlines()[0] if text else ""


def case_link(case_id: str) -> str:
    return f'<a class="cid" href="#{_e(case_id)}">{_e(case_id)}</a>'


def _pretty(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


@cache
def _requirement_texts() -> dict[str, str]:
    texts: dict[str, str] = {}
    for use_case in load_catalog().use_cases.values():
        for requirement in use_case.requirements:
            texts.setdefault(requirement.id, requirement.text)
    return texts


def requirement_tags(requirements: Iterable[str]) -> str:
    texts = _requirement_texts()
    tags = []
    for requirement in requirements:
        title = texts.get(requirement)
        title_attr = f' title="{_e(title)}"' if title else ""
        tags.append(f'<span class="req"{title_attr}>{_e(requirement)}</span>')
    return " ".join(tags) if tags else '<span class="muted">\u2014</span>'


# --------------------------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------------------------


def render_html(model: RunModel, outcome: Outcome, path: Path, *, reference_href: str | None = "reference",
                max_frames: int | None = MAX_FRAMES_SHOWN) -> Path:
    """Write the report for ``model`` to ``path`` (one self-contained HTML file); returns ``path``.
    Per case at most ``max_frames`` frames are shown (wire log, diagram; None: all)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html_report(model, outcome, reference_href=reference_href, max_frames=max_frames),
                    encoding="utf-8")
    return path


def html_report(model: RunModel, outcome: Outcome, *, reference_href: str | None = "reference",
                max_frames: int | None = MAX_FRAMES_SHOWN) -> str:
    """The report as a string (see :func:`render_html`)."""
    return _Report(model, outcome, reference_href, max_frames).render()


class _Report:
    def __init__(self, model: RunModel, outcome: Outcome, reference_href: str | None,
                 max_frames: int | None = MAX_FRAMES_SHOWN) -> None:
        self.max_frames = max_frames
        self.model = model
        self.outcome = outcome
        self.href = reference_href
        self.catalog = load_catalog()
        self.cases = list(model.cases.values())
        self.out: list[str] = []

    def w(self, *parts: str) -> None:
        self.out.extend(parts)

    # ------------------------------------------------------------------ page
    def render(self) -> str:
        run = self.model.run
        title = f"OCPP 2.0.1 conformance report \u2014 run {run.get('run_id') or 'unnamed'}"
        self.w('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
               '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
               '<meta name="generator" content="ocpp-conformance">\n',
               f"<title>{_e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n")
        self.header()
        self.toolbar()
        self.w('<main>\n')
        self.run_details()
        self.summary()
        self.failures()
        self.readiness_section()
        self.matrix()
        self.timing_table()
        self.case_index()
        self.case_sections()
        self.w('</main>\n')
        self.footer()
        self.w(f"<script>{JS}</script>\n</body>\n</html>\n")
        return "".join(self.out)

    # ------------------------------------------------------------------ header
    def header(self) -> None:
        run, model, outcome = self.model.run, self.model, self.outcome
        sut_names = list(dict.fromkeys(s.sut_name for s in model.sessions if s.sut_name))  # xdist: one per worker
        result = {0: "PASSED", 1: "FAILED", 2: "ERROR"}.get(outcome.exit_code, f"EXIT {outcome.exit_code}")
        result_cls = {0: "pass", 1: "fail", 2: "error"}.get(outcome.exit_code, "error")
        self.w('<header class="top" id="top"><div class="wrap-top">',
               '<div class="brand">OCPP 2.0.1 <span>Conformance Test Report</span></div>',
               f'<h1>{_e(MIDDOT.join(sut_names) or "System under test")}</h1>',
               '<div class="result-line">',
               f'<span class="result r-{result_cls}">{_e(result)}</span>',
               f'<span class="exit">exit code {outcome.exit_code}</span>')
        if model.interrupted:
            self.w('<span class="result r-unfinished">INTERRUPTED RUN</span>')
        if any(_own_faults(s) for s in model.sessions):
            self.w('<span class="result r-negative">NEGATIVE-CONTROL RUN</span>')
        self.w('</div>')
        coverage = coverage_lines(model)
        if coverage:  # what the run covered, next to the exit code: a partial run never reads as a full pass
            self.w('<ul class="coverage">', "".join(f"<li>{_e(line)}</li>" for line in coverage), '</ul>')
        facts = [
            ("Run id", run.get("run_id")),
            ("Started", utc(model.start_wall)),
            ("Ended", utc(model.end_wall)),
            ("Duration", seconds(model.end_wall - model.start_wall)
             if model.start_wall is not None and model.end_wall is not None else None),
            ("Host", run.get("host")),
            ("Suite version", run.get("suite_version")),
            ("Specification", run.get("spec")),
            ("Catalog version", run.get("catalog_version") or self.catalog.version),
        ]
        self.w('<dl class="facts">')
        for name, value in facts:
            self.w(f'<div><dt>{_e(name)}</dt><dd>{_e(value) if value not in (None, "") else "&mdash;"}</dd></div>')
        self.w('</dl></div></header>\n')
        banners = {(s.sut_name or _SUT_NAMES.get(s.role, "reference SUT"), tuple(_own_faults(s))): None
                   for s in model.sessions if _own_faults(s)}
        for sut_name, faults in banners:
            if faults:
                self.w('<div class="banner negative"><b>Negative-control run.</b> The ',
                       f'{_e(sut_name)} ran with the fault(s) ',
                       ", ".join(f"<code>{_e(f)}</code>" for f in faults),
                       ' switched on on purpose, to show that the suite detects them: failures are expected and '
                       'this report is not a statement about any product.</div>\n')
        if model.interrupted:
            unfinished = [c.id for c in self.cases if not c.finished and c.start_wall is not None]
            never = [c.id for c in self.cases if not c.finished and c.start_wall is None]
            self.w('<div class="banner unfinished"><b>This run was interrupted.</b> ')
            if unfinished:
                self.w(f'{len(unfinished)} case(s) started and never ended: ',
                       ", ".join(case_link(c) for c in unfinished),
                       '. Their verdict is NOT FINISHED (FAIL when a check had already failed); they count as not '
                       'passed. ')
            if never:
                self.w(f'{len(never)} selected case(s) never ran: ', ", ".join(case_link(c) for c in never),
                       '. Their verdict is NOT FINISHED; they count as not passed.')
            if not unfinished and not never:
                roles = ", ".join(s.role for s in model.sessions if not s.ended)
                self.w(f'The log ends before the end of the session ({_e(roles)}); every case it records finished.')
            self.w('</div>\n')

    def toolbar(self) -> None:
        counts = self.model.counts
        self.w('<nav class="toolbar" id="filters" aria-label="filters"><div class="tb-inner">',
               '<span class="tb-label">Verdict</span>')
        for verdict in self._verdicts_shown():
            n = counts.get(verdict, 0)
            if not n:
                continue
            self.w(f'<label class="chip v-{slug(verdict)}"><input type="checkbox" data-f="verdict" '
                   f'value="{_e(verdict)}" checked> {_e(verdict)} <b>{n}</b></label>')
        blocks = sorted({c.block or "?" for c in self.cases})
        if blocks:
            self.w('<span class="tb-label">Block</span>')
            for block in blocks:
                name = self.catalog.blocks.get(block, "")
                self.w(f'<label class="chip blk" title="{_e(name)}"><input type="checkbox" data-f="block" '
                       f'value="{_e(block)}" checked> {_e(block)}</label>')
        self.w('<input type="search" id="q" placeholder="case id or title" aria-label="filter by case id or title">',
               '<span class="tb-spacer"></span>',
               '<span id="shown" class="tb-count"></span>',
               '<button type="button" id="reset">Reset</button>',
               '<button type="button" id="expand">Expand all</button>',
               '<button type="button" id="collapse">Collapse all</button>',
               '</div></nav>\n')

    def _verdicts_shown(self) -> list[str]:
        counts = self.model.counts
        shown = list(SHOWN_VERDICTS)
        extra = sorted(v for v in counts if v not in shown)  # SKIPPED, or anything unforeseen
        return shown + extra

    # ------------------------------------------------------------------ summary
    def summary(self) -> None:
        counts = self.model.counts
        total = len(self.cases)
        self.w('<section class="card" id="summary"><h2>Summary</h2>',
               '<div class="tiles">')
        self.w(f'<div class="tile total"><span class="n">{total}</span><span class="l">cases</span></div>')
        for verdict in self._verdicts_shown():
            n = counts.get(verdict, 0)
            if verdict not in SHOWN_VERDICTS and not n:
                continue
            zero = " zero" if not n else ""
            self.w(f'<button type="button" class="tile v-{slug(verdict)}{zero}" data-only="{_e(verdict)}" '
                   f'title="show only {_e(verdict)} cases"><span class="n">{n}</span>'
                   f'<span class="l">{_e(verdict)}</span></button>')
        self.w('</div>')
        bar = []
        for verdict in self._verdicts_shown():
            n = counts.get(verdict, 0)
            if n and total:
                bar.append(f'<span class="v-{slug(verdict)}" style="width:{100 * n / total:.3f}%" '
                           f'title="{_e(verdict)}: {n}"></span>')
        self.w(f'<div class="stackbar">{"".join(bar)}</div>')
        code = self.outcome.exit_code
        self.w(f'<div class="exit-box x{code if code in (0, 1, 2) else 2}"><div class="exit-code">'
               f'<span class="n">{code}</span><span class="l">exit code</span></div><div>',
               f'<p class="exit-meaning">{_e(EXIT_MEANING.get(code, "unknown exit code"))}.</p>')
        if self.outcome.deciding:
            self.w('<h3>Decided by</h3><ul class="deciding">')
            shown = self.outcome.deciding[:DECIDING_SHOWN]
            for line in shown:
                self.w(f'<li>{self._line_with_case_link(line)}</li>')
            self.w('</ul>')
            rest = self.outcome.deciding[DECIDING_SHOWN:]
            if rest:
                self.w(f'<details class="more"><summary>and {len(rest)} more</summary><ul class="deciding">',
                       "".join(f'<li>{self._line_with_case_link(line)}</li>' for line in rest), '</ul></details>')
        if self.outcome.expected:
            self.w('<h3>Expected failures (do not decide the exit code)</h3><ul class="expected">')
            for line in self.outcome.expected:
                self.w(f'<li>{self._line_with_case_link(line)}</li>')
            self.w('</ul>')
        self.w('</div></div></section>\n')

    def _line_with_case_link(self, line: str) -> str:
        head, sep, rest = line.partition(":")
        if sep and head in self.model.cases:
            return f"{case_link(head)}:{_e(rest)}"
        return _e(line)

    def failures(self) -> None:
        failing = [c for c in self.cases if c.verdict in NOT_PASSING]
        self.w('<section class="card" id="failures"><h2>Failures',
               f' <span class="count">{len(failing)}</span></h2>')
        if not failing:
            self.w('<p class="ok-note">No case failed, was inconclusive, ended in error or was left unfinished.</p>'
                   '</section>\n')
            return
        self.w('<div class="tablewrap"><table class="list failures"><thead><tr><th>Case</th><th>Verdict</th>'
               '<th>Title</th><th>Failing check</th><th>Requirements</th></tr></thead><tbody>')
        for case in failing:
            check = case.failing_check
            if check is not None:
                what = (f'<div class="fc-name">{_e(check.get("name"))}</div>'
                        f'<div class="fc-ea"><span>expected</span> <code>{_e(_clip(str(check.get("expected")), 160))}'
                        f'</code></div><div class="fc-ea"><span>actual</span> '
                        f'<code>{_e(_clip(str(check.get("actual")), 160))}</code></div>')
                reqs = check.get("requirements") or case.requirements
            elif case.verdict == NOT_FINISHED:
                what = '<div class="fc-name">the case did not finish (the run was interrupted)</div>'
                reqs = case.requirements
            else:
                what = f'<div class="fc-name">{_e(first_line(case.message) or case.verdict)}</div>'
                reqs = case.requirements
            self.w(f'<tr {self._data(case)}><td>{case_link(case.id)}</td><td>{badge(case.verdict, True)}</td>'
                   f'<td>{_e(case.title)}</td><td>{what}</td><td>{requirement_tags(reqs)}</td></tr>')
        self.w('</tbody></table></div></section>\n')

    @staticmethod
    def _data(case: CaseRecord) -> str:
        search = f"{case.id} {case.title}".lower()
        return (f'data-verdict="{_e(case.verdict)}" data-block="{_e(case.block or "?")}" '
                f'data-search="{_e(search)}"')

    # ------------------------------------------------------------------ readiness
    def readiness_section(self) -> None:
        table = readiness(self.model)
        self.w('<section class="card" id="readiness"><h2>Certification readiness</h2>',
               '<p class="lead">Per OCA Part 5 certification profile and role, for the catalog cases of that profile: '
               'a profile is <b>ready</b> only when every mandatory case passed and no case failed, was '
               'inconclusive, ended in error or did not finish. <i>Not run</i>: catalog cases of the profile that '
               'this run did not execute. Counts open to the list of cases.</p>')
        if not table:
            self.w('<p class="muted">No role was tested.</p></section>\n')
            return
        for role, rows in table.items():
            self.w(f'<h3>{_e(sut_name(role))} as system under test</h3>',
                   '<div class="tablewrap fit"><table class="list ready"><thead><tr><th>Profile</th><th>PICS</th>'
                   '<th class="num">Mandatory<br>passed</th><th class="num">Conditional<br>passed</th>'
                   '<th class="num">Not<br>applicable</th><th class="num">Failed</th>'
                   '<th class="num">Incon&shy;clusive</th>'
                   '<th class="num">Error / not<br>finished</th><th class="num">Not run</th><th>Readiness</th>'
                   '</tr></thead><tbody>')
            for entry in rows:
                claimed = {True: '<span class="tag yes">claimed</span>',
                           False: '<span class="tag no">not claimed</span>',
                           None: '<span class="muted">\u2014</span>'}[entry.claimed]
                status_cls = entry.status.replace(" ", "-")
                status = f'<span class="rd rd-{status_cls}">{_e(entry.status.upper())}</span>'
                reasons = entry.reasons if entry.status != "ready" else []
                if reasons and entry.status == "not ready":
                    status += f'<div class="why">{_e("; ".join(reasons))}</div>'
                self.w(f'<tr class="r-{status_cls}"><th scope="row">{_e(entry.profile)}</th><td>{claimed}</td>',
                       self._count_cell(entry.mandatory_passed, len(entry.mandatory), "pass"),
                       self._count_cell(entry.conditional_passed, len(entry.conditional), "pass"),
                       self._count_cell(entry.not_applicable, None, "na", reasons=True),
                       self._count_cell(entry.failed, None, "fail"),
                       self._count_cell(entry.inconclusive, None, "inconclusive"),
                       self._count_cell(entry.errors, None, "error"),
                       self._not_run_cell(entry),
                       f'<td>{status}</td></tr>')
            self.w('</tbody></table></div>')
        self.w('</section>\n')

    def _count_cell(self, records: list[CaseRecord], of: int | None, kind: str, *, reasons: bool = False) -> str:
        n = len(records)
        label = f"{n}" + (f" / {of}" if of is not None else "")
        if not n:
            return f'<td class="num"><span class="muted">{_e(label)}</span></td>'
        items = []
        for record in records:
            reason = f' <span class="reason">{_e(_clip(first_line(record.message), 140))}</span>' \
                if reasons and record.message else ""
            items.append(f"<li>{case_link(record.id)}{reason}</li>")
        return (f'<td class="num"><details class="cnt c-{kind}"><summary>{_e(label)}</summary>'
                f'<ul>{"".join(items)}</ul></details></td>')

    def _not_run_cell(self, entry: ProfileReadiness) -> str:
        if not entry.not_run:
            return '<td class="num"><span class="muted">0</span></td>'
        levels = {t.id: t.applicability(entry.profile) for t in entry.not_run}
        items = []
        for test_case in entry.not_run:
            level = levels[test_case.id]
            mark = "M" if level is not None and level.level == "M" else "C"
            items.append(f'<li><span class="lvl l{mark}">{mark}</span>{_e(test_case.id)}</li>')
        mandatory = sum(1 for t in entry.not_run if (levels[t.id] is not None and levels[t.id].level == "M"))
        return (f'<td class="num"><details class="cnt c-notrun"><summary>{len(entry.not_run)}'
                f'<span class="sub"> ({mandatory} M)</span></summary><ul class="ids">{"".join(items)}</ul>'
                f'</details></td>')

    # ------------------------------------------------------------------ block x use case matrix
    def matrix(self) -> None:
        roles = run_roles(self.model) or list(Role)
        by_block: dict[str, dict[str, list[CaseRecord]]] = {}
        for case in self.cases:
            for use_case in case.use_cases or ["\u2014"]:
                by_block.setdefault(case.block or "?", {}).setdefault(use_case, []).append(case)
        catalog_counts: dict[str, int] = {}
        for test_case in self.catalog.test_cases.values():
            if test_case.role in roles:
                catalog_counts[test_case.block] = catalog_counts.get(test_case.block, 0) + 1
        # Coverage of the suite itself: the Part 6 cases it implements (recorded when each session started).
        implemented = {case_id for session in self.model.sessions for case_id in session.implemented
                       if case_id in self.catalog.test_cases and self.catalog.test_cases[case_id].role in roles}
        implemented_counts: dict[str, int] = {}
        for case_id in implemented:
            block = self.catalog.test_cases[case_id].block
            implemented_counts[block] = implemented_counts.get(block, 0) + 1
        blocks = list(self.catalog.blocks) + sorted(b for b in by_block if b not in self.catalog.blocks)
        self.w('<section class="card" id="matrix"><h2>Functional blocks and use cases</h2>',
               '<p class="lead">One row per OCPP functional block; each cell is a use case coloured by the worst '
               'verdict of its cases, with one link per case. <em>Implemented</em> is the suite\'s coverage of '
               'the Part 6 cases of the block (for the roles of this run), <em>run</em> what this run executed.</p>',
               '<div class="tablewrap"><table class="matrix"><thead><tr><th>Block</th>'
               '<th class="num">Implemented / Part 6</th><th class="num">Run</th>'
               '<th>Use cases</th></tr></thead><tbody>')
        for block in blocks:
            use_cases = by_block.get(block, {})
            cases_in_block = {c.id: c for group in use_cases.values() for c in group}
            name = self.catalog.blocks.get(block, "")
            row_cls = "" if use_cases else "empty"
            self.w(f'<tr class="{row_cls}"><th scope="row"><span class="blk-letter">{_e(block)}</span>'
                   f'{_e(name)}</th><td class="num">{implemented_counts.get(block, 0)} / {catalog_counts.get(block, 0)}'
                   f'</td><td class="num">{len(cases_in_block)}</td><td>')
            if not use_cases:
                self.w('<span class="muted">no case run</span>')
            else:
                self.w('<div class="ucs">')
                for use_case in sorted(use_cases):
                    group = use_cases[use_case]
                    worst = max((c.verdict for c in group), key=lambda v: SEVERITY.get(v, 5))
                    catalog_uc = self.catalog.use_cases.get(use_case)
                    uc_title = f"{use_case} {catalog_uc.name}" if catalog_uc else use_case
                    passed = sum(1 for c in group if c.verdict == "PASS")
                    links = "".join(
                        f'<a class="cl v-{slug(c.verdict)}" href="#{_e(c.id)}" title="{_e(c.id)}: {_e(c.verdict)} '
                        f'\u2014 {_e(c.title)}">{_e(c.id.split("_")[2] if c.id.count("_") >= 3 else c.id)}</a>'
                        for c in group)
                    self.w(f'<div class="uc v-{slug(worst)}" title="{_e(uc_title)}"><div class="uc-head">'
                           f'<span class="uc-id">{_e(use_case)}</span><span class="uc-n">{passed}/{len(group)}</span>'
                           f'</div><div class="uc-cases">{links}</div></div>')
                self.w('</div>')
            self.w('</td></tr>')
        self.w('</tbody></table></div></section>\n')

    # ------------------------------------------------------------------ timing
    def timing_table(self) -> None:
        """Every timing check of the run in one table: the protocol timers a case measured (intervals, retries,
        timeouts), required against measured with the tolerance (timing.max_time_deviation)."""
        rows = [(case, check) for case in self.cases for check in case.checks
                if check.get("timing") and isinstance(check.get("measured"), (int, float))]
        if not rows:
            return
        self.w('<section class="card" id="timing"><h2>Timing <span class="count">', f'{len(rows)}</span></h2>',
               '<p class="lead">Each timer a case measured: what Part 2 / Part 6 require, the tolerance '
               '(<code>timing.max_time_deviation</code>), what the SUT did.</p>',
               '<div class="tablewrap"><table class="list timing"><thead><tr><th>Case</th><th>Check</th>'
               '<th>Requirements</th><th>Required</th><th>Measured</th><th>Result</th></tr></thead><tbody>')
        for case, check in rows:
            expected, actual = self._check_values(check)
            result = ('<span class="res ok">\u2713 pass</span>' if check.get("passed")
                      else '<span class="res bad">\u2717 FAIL</span>')
            self.w(f'<tr class="{"ok" if check.get("passed") else "bad"}"><td>{case_link(case.id)}</td>'
                   f'<td>{_e(check.get("name"))}</td><td>{requirement_tags(check.get("requirements") or [])}</td>'
                   f'<td>{expected}</td><td>{actual}</td><td>{result}</td></tr>')
        self.w('</tbody></table></div></section>\n')

    # ------------------------------------------------------------------ case index
    def case_index(self) -> None:
        self.w('<section class="card" id="index"><h2>All cases <span class="count">',
               f'{len(self.cases)}</span></h2>',
               '<div class="tablewrap"><table class="list index"><thead><tr><th>Case</th><th>Verdict</th>'
               '<th>Title</th><th>SUT</th><th>Block</th><th>Use cases</th><th>Negative controls</th>'
               '<th class="num">Duration</th></tr></thead><tbody>')
        active = {fault for session in self.model.sessions for fault in _own_faults(session)}
        for case in self.cases:
            controls = " ".join(f'<code class="fault{" on" if f in active else ""}" title="'
                                f'{"switched on in this run" if f in active else "a fault that must make it FAIL"}">'
                                f'{_e(f)}</code>' for f in case.negative_controls) or '<span class="muted">none</span>'
            self.w(f'<tr {self._data(case)}><td>{case_link(case.id)}</td><td>{badge(case.verdict, True)}</td>'
                   f'<td>{_e(case.title)}</td><td>{_e(sut_name(case.role))}</td>'
                   f'<td>{_e(case.block)}</td><td>{_e(" ".join(case.use_cases))}</td><td>{controls}</td>'
                   f'<td class="num">{_e(seconds(case.duration))}</td></tr>')
        if not self.cases:
            self.w('<tr><td colspan="8" class="muted">No case was run.</td></tr>')
        self.w('</tbody></table></div></section>\n')

    # ------------------------------------------------------------------ run details
    def run_details(self) -> None:
        run = self.model.run
        self.w('<section class="card" id="run"><h2>Run and systems under test</h2>')
        self.w('<div class="sessions">')
        if not self.model.sessions:
            self.w('<p class="muted">The log holds no session record.</p>')
        for number, session in enumerate(self.model.sessions, start=1):
            self.session_card(number, session)
        self.w('</div>')
        self.generic_validations()
        if run.get("python"):
            self.w(f'<p class="muted small">Harness Python {_e(run.get("python"))}.</p>')
        self.w('</section>\n')

    def generic_validations(self) -> None:
        """The validations run in every case, whatever its block; a finding fails the case it arrived in."""
        self.w('<h3>Generic validations</h3><table class="kv"><tbody>')
        for validation in self.model.generic_validations():
            rules = ", ".join(f"<code>{_e(r)}</code>" for r in validation.rules)
            found = (f'<span class="tag neg">{validation.findings} failed check(s)</span>' if validation.findings
                     else '<span class="muted">no finding</span>')
            self.w(f'<tr><th>{_e(validation.title)}</th><td>{_e(validation.applies_to)}: {found}'
                   f'<br><span class="muted small">rules: {rules}</span></td></tr>')
        self.w('</tbody></table>')

    def session_card(self, number: int, session: Session) -> None:
        role = Role.parse(session.role)
        sut = role.display if role else session.role or "?"
        harness = {Role.STATION: "CSMS", Role.CSMS: "Charging Station(s)"}.get(role, "peer")
        identity = session.sut_identity
        self.w(f'<article class="session{" negative" if session.faults else ""}">',
               f'<h3>Session {number}: {_e(sut)} under test '
               f'<span class="muted">(the harness plays the {_e(harness)})</span>'
               '</h3><table class="kv"><tbody>')
        rows: list[tuple[str, str]] = [
            ("Role", f"{_e(session.role)} \u2014 SUT: {_e(sut)}"),
            ("SUT name", _e(session.sut_name) or "&mdash;"),
        ]
        if identity:
            parts = []
            for key, label in (("vendor", "vendor"), ("model", "model"), ("serial", "serial"),
                               ("firmware", "firmware"), ("identity", "identity"), ("url", "url")):
                if identity.get(key) not in (None, ""):
                    parts.append(f'<span class="idf"><span class="k">{label}</span> {_e(identity[key])}</span>')
            extra = sorted(k for k in identity if k not in ("vendor", "model", "serial", "firmware", "identity", "url"))
            for key in extra:
                parts.append(f'<span class="idf"><span class="k">{_e(key)}</span> {_e(identity[key])}</span>')
            rows.append(("SUT identity (as reported)", " ".join(parts)))
        else:
            rows.append(("SUT identity (as reported)", '<span class="muted">not reported</span>'))
        if session.reference:
            ref = "yes: the built-in reference SUT"
            if session.faults:
                ref_html = (f'{_e(ref)} with fault(s) ' + ", ".join(f"<code>{_e(f)}</code>" for f in session.faults) +
                            ' switched on <span class="tag neg">negative-control run</span>')
            else:
                ref_html = _e(ref) + " (no fault switched on)"
        else:
            ref_html = "no" + (" (faults: " + ", ".join(f"<code>{_e(f)}</code>" for f in session.faults) + ")"
                               if session.faults else "")
        rows.append(("Reference SUT", ref_html))
        rows.append(("Strict mode", "on" if session.strict else "off"))
        rows.append(("Session", "ended" if session.ended else '<span class="tag unf">did not end (interrupted)</span>'))
        for key, value in rows:
            self.w(f'<tr><th>{_e(key)}</th><td>{value}</td></tr>')
        self.w('</tbody></table>')
        if session.config:
            text = json.dumps(session.config, indent=2, sort_keys=True, ensure_ascii=False, default=str)
            self.w('<details class="config"><summary>Configuration and PICS snapshot (secrets redacted)</summary>',
                   f'<pre class="json">{_e(text)}</pre></details>')
        self.w('</article>')

    # ------------------------------------------------------------------ cases
    def case_sections(self) -> None:
        self.w('<section id="cases"><h2 class="section-title">Test cases</h2>')
        for case in self.cases:
            self.case_section(case)
        self.w('</section>\n')

    def case_section(self, case: CaseRecord) -> None:
        v = slug(case.verdict)
        open_attr = " open" if case.verdict in NOT_PASSING else ""
        msg = first_line(case.message) if case.verdict != "PASS" else ""
        if case.verdict == NOT_FINISHED:
            msg = ("did not finish: the run was interrupted while this case was running" if case.events else
                   "never ran: the run ended before this case started")
        self.w(f'<section class="case v-{v}" id="{_e(case.id)}" {self._data(case)}>',
               f'<details class="case-d"{open_attr}><summary>',
               f'{badge(case.verdict)}<span class="case-id">{_e(case.id)}</span>',
               f'<span class="case-title">{_e(case.title)}</span>',
               f'<span class="case-meta">{_e(sut_name(case.role))} \u00b7 block {_e(case.block)} '
               f'\u00b7 {_e(seconds(case.duration))}</span>')
        if msg:
            self.w(f'<span class="case-msg">{_e(_clip(msg, 200))}</span>')
        self.w('</summary><div class="case-body">')
        if case.verdict == NOT_FINISHED and not case.events:
            self.w('<div class="banner unfinished inline"><b>NOT FINISHED.</b> This case was selected and never '
                   'ran: the run ended before it started. It counts as not passed.</div>')
        elif case.verdict == NOT_FINISHED:
            last = case.events[-1] if case.events else {}
            self.w('<div class="banner unfinished inline"><b>NOT FINISHED.</b> This case started ',
                   f'({_e(utc(case.start_wall, millis=True))}) and never ended: the run was interrupted ',
                   f'{_e(format_relative(relative_time(last, case)))} after its start (its last recorded event). '
                   'Its verdict is unknown and it counts as not passed.</div>')
        self.case_meta(case)
        self.checks(case)
        if case.frames or case.verdict not in ("NOT APPLICABLE", "SKIPPED") or case.of_kind("action"):
            self.w('<h4>Sequence diagram</h4><figure class="diagram">',
                   sequence_svg(case, reference_href=self.href, max_frames=self.max_frames), LEGEND, '</figure>')
            self.wire_log(case)
        self.actions(case)
        self.notes(case)
        self.w('</div></details></section>\n')

    def case_meta(self, case: CaseRecord) -> None:
        use_cases = []
        for use_case in case.use_cases:
            found = self.catalog.use_cases.get(use_case)
            use_cases.append(f'<span class="ucref">{_e(use_case)}</span>' +
                             (f' {_e(found.name)}' if found else ""))
        harness, sut = lane_labels(case)
        rows = [
            ("Verdict", badge(case.verdict)),
            ("System under test", f"{_e(sut)} \u2014 harness: {_e(harness)}"),
            ("Use cases", "; ".join(use_cases) or "&mdash;"),
            ("Requirements", requirement_tags(case.requirements)),
            ("Started", _e(utc(case.start_wall, millis=True))),
            ("Duration", _e(seconds(case.duration))),
        ]
        catalog_case = self.catalog.test_cases.get(case.id)
        if catalog_case is not None and catalog_case.profiles:
            profiles = ", ".join(f"{p.profile} ({'mandatory' if p.level == 'M' else 'conditional'})"
                                 for p in catalog_case.profiles)
            rows.insert(4, ("Part 5 profiles", _e(profiles)))
        self.w('<table class="kv case-kv"><tbody>')
        for key, value in rows:
            self.w(f'<tr><th>{_e(key)}</th><td>{value}</td></tr>')
        self.w('</tbody></table>')
        if case.message:
            label = {"NOT APPLICABLE": "Why not applicable"}.get(case.verdict, "Verdict message")
            self.w(f'<div class="vmsg v-{slug(case.verdict)}"><div class="vmsg-h">{_e(label)}</div>'
                   f'<pre>{_e(case.message)}</pre></div>')

    def checks(self, case: CaseRecord) -> None:
        checks = case.checks
        self.w(f'<h4>Checks <span class="count">{len(checks)}</span></h4>')
        if not checks:
            self.w('<p class="muted">No check was recorded.</p>')
            return
        deciding = case.failing_check if case.verdict in ("FAIL", "ERROR", "INCONCLUSIVE") else None
        self.w('<div class="tablewrap"><table class="list checks"><thead><tr><th class="num">#</th><th>Check</th>'
               '<th>Requirements</th><th>Expected</th><th>Actual</th><th class="num">Time</th><th>Result</th></tr>'
               '</thead><tbody>')
        keep = {i for i, c in enumerate(checks) if c is deciding}
        number = 0
        for check in cap_rows(checks, self.max_frames, keep=keep):
            if isinstance(check, Omitted):
                number += check.rows
                self.w(f'<tr class="omitted"><td></td><td colspan="6">{self._omitted(check, "checks")}</td></tr>')
                continue
            number += 1
            passed = bool(check.get("passed"))
            is_deciding = check is deciding
            cls = "ok" if passed else ("failing" if is_deciding else "bad")
            ident = f' id="{_e(case.id)}-check-failing"' if is_deciding else ""
            name = _e(check.get("name"))
            severity = check.get("severity")
            if severity and severity != "MUST":
                name += f' <span class="tag sev">{_e(severity)}</span>'
            if check.get("timing"):
                name += ' <span class="tag timing">timing</span>'
            if check.get("detail"):
                name += f'<div class="detail">{_e(check["detail"])}</div>'
            expected, actual = self._check_values(check)
            result = '<span class="res ok">\u2713 pass</span>' if passed else '<span class="res bad">\u2717 FAIL</span>'
            self.w(f'<tr class="{cls}"{ident}><td class="num">{number}</td><td>{name}</td>'
                   f'<td>{requirement_tags(check.get("requirements") or [])}</td><td>{expected}</td><td>{actual}</td>'
                   f'<td class="num t">{_e(format_relative(relative_time(check, case)))}</td><td>{result}</td></tr>')
        self.w('</tbody></table></div>')

    @staticmethod
    def _check_values(check: dict[str, Any]) -> tuple[str, str]:
        if check.get("timing") and isinstance(check.get("measured"), (int, float)):
            required, tolerance, measured = check.get("required"), check.get("tolerance"), check["measured"]
            at_least = str(check.get("expected", "")).startswith(">=")
            if isinstance(required, (int, float)) and isinstance(tolerance, (int, float)):
                if at_least:
                    expected = f"required \u2265 {required:g} s (tolerance {tolerance:g} s)"
                else:
                    expected = f"required {required:g} s \u00b1 {tolerance:g} s"
                deviation = measured - required
                actual = f"measured {measured:.3f} s (deviation {deviation:+.3f} s)"
            else:
                expected, actual = str(check.get("expected")), f"measured {measured:.3f} s"
            return f'<code>{_e(expected)}</code>', f'<code>{_e(actual)}</code>'
        return (f'<code class="val">{_e(_readable(check.get("expected")))}</code>',
                f'<code class="val">{_e(_readable(check.get("actual")))}</code>')

    def wire_log(self, case: CaseRecord) -> None:
        events = [e for e in case.events if e.get("kind") == "frame" or
                  (e.get("kind") == "connection" and e.get("event") in ("handshake", "opened", "closed", "rejected",
                                                                         "connecting"))]
        n_frames = sum(1 for e in events if e.get("kind") == "frame")
        self.w(f'<h4>Wire log <span class="count">{n_frames} frames</span></h4>')
        if not events:
            self.w('<p class="muted">No frame was exchanged.</p>')
            return
        multi = len({e.get("connection") for e in case.frames if e.get("connection")}) > 1
        self.w('<div class="tablewrap"><table class="list wire"><thead><tr><th class="num">#</th>'
               '<th class="num">Time</th><th>Dir.</th><th>Type</th><th>Action</th><th>Message id</th><th>Valid</th>'
               '<th>Payload</th></tr></thead><tbody>')
        number = 0
        for event in cap_rows(events, self.max_frames, is_frame=lambda e: e.get("kind") == "frame"):
            if isinstance(event, Omitted):
                number += event.frames
                self.w(f'<tr class="omitted"><td></td><td colspan="7">{self._omitted(event, "frames")}</td></tr>')
                continue
            rel = _e(format_relative(relative_time(event, case)))
            wall = _e(utc(event.get("wall"), millis=True))
            if event.get("kind") == "connection":
                details = [f"{k}: {event[k]}" for k in ("connection", "remote", "url", "path", "reason",
                                                          "auth_username", "auth_ok", "offered_subprotocols")
                           if event.get(k) not in (None, "", [])]
                self.w(f'<tr class="conn"><td></td><td class="num t" title="{wall}">{rel}</td>'
                       f'<td colspan="6">connection <b>{_e(event.get("event"))}</b>'
                       f'{DASH if details else ""}{_e(", ".join(details))}</td></tr>')
                continue
            number += 1
            out = event.get("direction") == "out"
            message_type = str(event.get("message_type") or "?")
            bad = is_bad_frame(event)
            arrow = ('<span class="dir out" title="harness \u2192 SUT">\u2192 to SUT</span>' if out
                     else '<span class="dir in" title="SUT \u2192 harness">\u2190 from SUT</span>')
            action = event.get("action")
            href = reference_link(action, self.href)
            action_html = (f'<a href="{_e(href)}">{_e(action)}</a>' if href else _e(action or "\u2014"))
            if multi and event.get("connection"):
                action_html += f'<div class="muted small">{_e(event["connection"])}</div>'
            problems = frame_problems(event)
            valid = '<span class="res ok">\u2713</span>' if event.get("valid", True) is not False else \
                '<span class="res bad">\u2717 invalid</span>'
            type_html = f'<span class="mt mt-{_e(message_type.lower())}">{_e(message_type)}</span>'
            self.w(f'<tr class="{"bad" if bad else ""}"><td class="num">{number}</td>'
                   f'<td class="num t" title="{wall}">{rel}</td><td>{arrow}</td><td>{type_html}</td>'
                   f'<td>{action_html}</td><td><code class="mid" title="{_e(event.get("message_id"))}">'
                   f'{_e(event.get("message_id"))}</code></td><td>{valid}</td><td class="pl">')
            if message_type == "CALLERROR":
                self.w(f'<div class="cerr"><b>{_e(event.get("error_code"))}</b> {_e(event.get("error_description"))}'
                       '</div>')
            if problems:
                self.w('<ul class="viol">' + "".join(f"<li>{_e(p)}</li>" for p in problems) + '</ul>')
            self.w(self._payload(event), '</td></tr>')
        self.w('</tbody></table></div>')

    @staticmethod
    def _omitted(omitted: Omitted, what: str) -> str:
        count = omitted.frames if what == "frames" else omitted.rows
        others = omitted.rows - omitted.frames if what == "frames" else 0
        extra = f" (and {others:,} other events)" if others else ""
        return (f'\u22ef <b>{count:,} {what} omitted</b>{extra}: the report shows the first and the last ones; '
                f'the complete log is <a href="{FULL_LOG}">{FULL_LOG}</a> (<code>ocpp-conformance report '
                f'--max-frames 0</code> renders all)')

    @staticmethod
    def _payload(event: dict[str, Any]) -> str:
        if "payload" in event and event["payload"] is not None:
            text = _pretty(event["payload"])
            raw_needed = event.get("valid") is False
        else:
            text = str(event.get("raw") or "")
            raw_needed = False
        if not text:
            return ""
        lines = text.count("\n") + 1
        if lines > LONG_PAYLOAD_LINES or len(text) > LONG_PAYLOAD_CHARS:
            body = (f'<details class="payload"><summary><code>{_e(_clip(_compact(event.get("payload")), 90))}</code>'
                    f' <span class="muted small">({lines} lines)</span></summary><pre class="json">{_e(text)}</pre>'
                    '</details>')
        else:
            body = f'<pre class="json">{_e(text)}</pre>'
        if raw_needed and event.get("raw"):
            body += (f'<details class="raw"><summary>raw frame</summary><pre class="json">{_e(event["raw"])}</pre>'
                     '</details>')
        return body

    def actions(self, case: CaseRecord) -> None:
        actions = case.actions
        pending = [a for a in case.of_kind("action") if a.get("status") == "started"]
        finished_keys = {(a.get("action"), a.get("call")) for a in actions}
        unfinished = [a for a in pending if (a.get("action"), a.get("call")) not in finished_keys]
        if not actions and not unfinished:
            return
        self.w(f'<h4>Actions performed <span class="count">{len(actions) + len(unfinished)}</span></h4>',
               '<div class="tablewrap"><table class="list actions"><thead><tr><th class="num">Time</th><th>Action</th>'
               '<th>Backend</th><th>Parameters</th><th>Status</th><th class="num">Duration</th><th>Result / reason</th>'
               '</tr></thead><tbody>')
        for action in actions + unfinished:
            status = str(action.get("status") or "?")
            if action in unfinished:
                status = "no result"
            params = action.get("params")
            params_html = f'<code>{_e(_compact(params))}</code>' if params else '<span class="muted">\u2014</span>'
            result_parts = []
            if action.get("result"):
                result_parts.append(f'<code>{_e(_compact(action["result"]))}</code>')
            if action.get("reason"):
                result_parts.append(_e(action["reason"]))
            duration = action.get("duration")
            st_cls = "ok" if status == "ok" else "bad"
            self.w(f'<tr><td class="num t">{_e(format_relative(relative_time(action, case)))}</td>'
                   f'<td><b>{_e(action.get("action"))}</b></td><td>{_e(action.get("backend"))}</td>'
                   f'<td>{params_html}</td><td><span class="st st-{st_cls}">{_e(status)}</span></td>'
                   f'<td class="num">{_e(seconds(duration) if isinstance(duration, (int, float)) else "")}</td>'
                   f'<td>{" ".join(result_parts) or "<span class=muted>&mdash;</span>"}</td></tr>')
        self.w('</tbody></table></div>')

    def notes(self, case: CaseRecord) -> None:
        notes = [e for e in case.events if e.get("kind") in ("note", "wait")]
        if not notes:
            return
        self.w('<h4>Notes and waits</h4><ul class="notes">')
        for note in notes:
            rel = _e(format_relative(relative_time(note, case)))
            if note.get("kind") == "wait":
                secs = note.get("seconds")
                amount = f"{secs:g} s" if isinstance(secs, (int, float)) else ""
                self.w(f'<li class="wait"><span class="t">{rel}</span><span class="lvl-tag">wait</span>'
                       f'{_e(amount)}{": " if note.get("reason") else ""}{_e(note.get("reason"))}</li>')
            else:
                level = str(note.get("level") or "info")
                self.w(f'<li class="lvl-{_e(level)}"><span class="t">{rel}</span><span class="lvl-tag">{_e(level)}'
                       f'</span>{_e(note.get("message"))}</li>')
        self.w('</ul>')

    # ------------------------------------------------------------------ footer
    def footer(self) -> None:
        run = self.model.run
        self.w('<footer class="foot">Rendered by ocpp-conformance ',
               _e(run.get("suite_version") or ""),
               f' from the event log of run <b>{_e(run.get("run_id") or "unnamed")}</b> ',
               f'({len(self.model.events)} events, {_e(utc(self.model.start_wall))} to '
               f'{_e(utc(self.model.end_wall))}). ',
               'All times are UTC; case times are relative to the case start. ',
               'Catalog ', _e(run.get("catalog_version") or self.catalog.version), '.',
               ' <a href="#top">Back to top</a></footer>\n')


# --------------------------------------------------------------------------------------------
# Inline CSS and JavaScript
# --------------------------------------------------------------------------------------------

CSS = r"""
code.fault{font-size:11px;margin:0 4px 2px 0;display:inline-block;color:#555}
code.fault.on{color:#8a5a00;background:#fff3cd;font-weight:600}
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--soft:#f6f8fa;--bg:#eef1f4;--card:#fff;--accent:#0b5cad;
--pass:#1a7f37;--pass-bg:#dafbe1;--fail:#cf222e;--fail-bg:#ffebe9;--inc:#9a6700;--inc-bg:#fff8c5;
--err:#8250df;--err-bg:#fbefff;--na:#6e7781;--na-bg:#eaeef2;--unf:#3d444d;--unf-bg:#e6e9ed;
--mono:ui-monospace,SFMono-Regular,"SF Mono",Menlo,Consolas,"DejaVu Sans Mono","Liberation Mono",monospace}
*{box-sizing:border-box}
[hidden]{display:none!important}
html{scroll-padding-top:64px}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,
"Helvetica Neue","Noto Sans","Liberation Sans",Arial,sans-serif}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
code,pre{font-family:var(--mono);font-size:12.5px}
h2{font-size:19px;margin:0 0 14px;font-weight:650}
h3{font-size:15px;margin:18px 0 8px;font-weight:620}
h4{font-size:14px;margin:20px 0 8px;font-weight:650;color:#2f363d;border-bottom:1px solid var(--line);
padding-bottom:4px}
.muted{color:var(--muted)}.small{font-size:12px}
.count{display:inline-block;font-size:12px;font-weight:600;background:var(--soft);border:1px solid var(--line);
border-radius:999px;padding:0 8px;color:var(--muted);vertical-align:2px}
header.top{background:#12263f;color:#fff}
.wrap-top{max-width:1240px;margin:0 auto;padding:22px 28px 18px}
.brand{font-size:13px;letter-spacing:.08em;text-transform:uppercase;color:#9fb7d6;font-weight:600}
.brand span{color:#fff;opacity:.8}
header.top h1{font-size:26px;margin:4px 0 10px;font-weight:650;letter-spacing:-.01em}
.result-line{display:flex;gap:10px;align-items:center;flex-wrap:wrap;margin-bottom:14px}
.result{font-weight:700;letter-spacing:.04em;border-radius:6px;padding:3px 12px;font-size:14px}
.r-pass{background:#2da44e;color:#fff}.r-fail{background:#cf222e;color:#fff}.r-error{background:#8250df;color:#fff}
.r-unfinished{background:#57606a;color:#fff}.r-negative{background:#bf8700;color:#fff}
.exit{color:#cfe0f5;font-size:13px}
.coverage{margin:-6px 0 14px;padding:0;list-style:none;font-size:13.5px;color:#dbe7f5}
.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:8px 24px;margin:0}
.facts div{min-width:0}.facts dt{font-size:11px;text-transform:uppercase;letter-spacing:.06em;color:#9fb7d6}
.facts dd{margin:0;font-size:13.5px;overflow-wrap:anywhere}
.banner{max-width:1240px;margin:14px auto 0;padding:10px 16px;border-radius:8px;border:1px solid}
.banner.negative{background:#fff8c5;border-color:#d4a72c;color:#4d2d00}
.banner.unfinished{background:var(--unf-bg);border-color:#8c959f;color:#24292f;
background-image:repeating-linear-gradient(135deg,transparent 0 10px,rgba(0,0,0,.035) 10px 20px)}
.banner.inline{margin:0 0 12px}
.toolbar{position:sticky;top:0;z-index:20;background:rgba(255,255,255,.97);border-bottom:1px solid var(--line);
box-shadow:0 1px 3px rgba(31,35,40,.08);margin-top:16px}
.tb-inner{max-width:1240px;margin:0 auto;padding:8px 28px;display:flex;flex-wrap:wrap;gap:6px;align-items:center}
.tb-label{font-size:11px;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);margin:0 2px 0 8px}
.tb-label:first-child{margin-left:0}
.chip{display:inline-flex;gap:4px;align-items:center;font-size:12px;border:1px solid var(--line);border-radius:999px;
padding:2px 9px 2px 6px;background:#fff;cursor:pointer;user-select:none;white-space:nowrap}
.chip input{margin:0}.chip b{font-weight:650}
.chip.v-pass{border-color:#4ac26b}.chip.v-fail{border-color:#ff8182}.chip.v-inconclusive{border-color:#d4a72c}
.chip.v-error{border-color:#c297ff}.chip.v-unfinished{border-color:#8c959f}
#q{font:inherit;font-size:12.5px;padding:3px 8px;border:1px solid var(--line);border-radius:6px;width:170px;
margin-left:8px}
.tb-spacer{flex:1}.tb-count{font-size:12px;color:var(--muted)}
button{font:inherit;font-size:12.5px;border:1px solid var(--line);background:var(--soft);border-radius:6px;
padding:3px 10px;
cursor:pointer;color:var(--fg)}button:hover{background:#eaeef2}
main{max-width:1240px;margin:0 auto;padding:18px 28px 10px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:18px 22px;margin:0 0 18px;
box-shadow:0 1px 2px rgba(31,35,40,.04)}
.lead{color:var(--muted);margin:-6px 0 12px;font-size:13px;max-width:980px}
.tiles{display:flex;flex-wrap:wrap;gap:10px;margin-bottom:12px}
.tile{display:flex;flex-direction:column;min-width:118px;padding:10px 14px;border-radius:8px;
border:1px solid var(--line);
background:var(--soft);text-align:left;font:inherit;cursor:pointer;border-left-width:5px}
.tile.total{cursor:default;background:#fff;border-left-color:#12263f}
.tile .n{font-size:26px;font-weight:700;line-height:1.1}
.tile .l{font-size:11.5px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
.tile.zero{opacity:.55}
.tile.v-pass{border-left-color:var(--pass)}.tile.v-pass .n{color:var(--pass)}
.tile.v-fail{border-left-color:var(--fail)}.tile.v-fail .n{color:var(--fail)}
.tile.v-inconclusive{border-left-color:#bf8700}.tile.v-inconclusive .n{color:var(--inc)}
.tile.v-error{border-left-color:var(--err)}.tile.v-error .n{color:var(--err)}
.tile.v-na{border-left-color:var(--na)}.tile.v-na .n{color:var(--na)}
.tile.v-unfinished{border-left-color:var(--unf)}.tile.v-skipped{border-left-color:#afb8c1}
.stackbar{display:flex;height:10px;border-radius:5px;overflow:hidden;background:var(--soft);margin:4px 0 16px}
.stackbar span{display:block;height:100%}
.stackbar .v-pass{background:#2da44e}.stackbar .v-fail{background:var(--fail)}
.stackbar .v-inconclusive{background:#d4a72c}
.stackbar .v-error{background:var(--err)}.stackbar .v-na{background:#afb8c1}
.stackbar .v-unfinished{background:#57606a}
.stackbar .v-skipped{background:#d0d7de}
.exit-box{display:flex;gap:18px;align-items:flex-start;border:1px solid var(--line);border-radius:8px;
padding:12px 16px}
.exit-box.x0{background:#f3fbf5;border-color:#aceebb}.exit-box.x1{background:#fff6f5;border-color:#ffcecb}
.exit-box.x2{background:#fbf5ff;border-color:#e2ccff}
.exit-code{display:flex;flex-direction:column;align-items:center;min-width:72px}
.exit-code .n{font-size:34px;font-weight:750;line-height:1;font-family:var(--mono)}
.exit-code .l{font-size:11px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
.x0 .exit-code .n{color:var(--pass)}.x1 .exit-code .n{color:var(--fail)}.x2 .exit-code .n{color:var(--err)}
.exit-meaning{margin:4px 0 4px;font-weight:550}
.exit-box h3{font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);margin:10px 0 4px}
.deciding,.expected{margin:0;padding-left:18px;font-size:13px}.deciding li{margin:2px 0}
details.more summary{cursor:pointer;color:var(--accent);font-size:12.5px;margin:2px 0 0 18px}
.ok-note{color:var(--pass);margin:0}
.tablewrap{overflow-x:auto;border:1px solid var(--line);border-radius:8px}
table{border-collapse:collapse;width:100%;font-size:13px}
th{text-align:left;font-weight:600;color:#3d444d;background:var(--soft)}
table.list th,table.list td,table.matrix th,table.matrix td{padding:6px 10px;border-bottom:1px solid #e6eaef;
vertical-align:top}
table.list thead th,table.matrix thead th{border-bottom:1px solid var(--line);font-size:12px;white-space:nowrap}
table.list tbody tr:last-child td,table.list tbody tr:last-child th,table.matrix tbody tr:last-child td,
table.matrix tbody tr:last-child th{border-bottom:0}
.num{text-align:right;white-space:nowrap}.t{font-family:var(--mono);font-size:12px;color:var(--muted)}
a.cid{font-family:var(--mono);font-size:12.5px;font-weight:600;white-space:nowrap}
.badge{display:inline-block;font-size:11.5px;font-weight:700;letter-spacing:.03em;border-radius:5px;padding:2px 8px;
white-space:nowrap;border:1px solid transparent}
.badge.sm{font-size:10.5px;padding:1px 6px}
.badge.v-pass{background:var(--pass-bg);color:var(--pass);border-color:#aceebb}
.badge.v-fail{background:var(--fail);color:#fff}
.badge.v-inconclusive{background:var(--inc-bg);color:var(--inc);border-color:#eac54f}
.badge.v-error{background:var(--err);color:#fff}
.badge.v-na{background:var(--na-bg);color:var(--na);border-color:#d0d7de}
.badge.v-skipped{background:#f6f8fa;color:var(--na);border-color:#d0d7de}
.badge.v-unfinished{background:#3d444d;color:#fff;
background-image:repeating-linear-gradient(135deg,transparent 0 6px,rgba(255,255,255,.07) 6px 12px)}
.badge.v-other{background:#eaeef2;color:#24292f}
.req{display:inline-block;font-family:var(--mono);font-size:11.5px;background:#fff1e6;color:#9a3412;border-radius:4px;
padding:0 5px;margin:1px 0;white-space:nowrap}
.req[title]{cursor:help}
.failures .fc-name{font-weight:600}.fc-ea{font-size:12px;color:var(--muted)}
.fc-ea span{display:inline-block;width:56px}
.fc-ea code{color:var(--fg);font-size:11.5px}
.tag{display:inline-block;font-size:11px;font-weight:600;border-radius:999px;padding:0 8px;white-space:nowrap}
.tag.yes{background:#ddf4ff;color:#0969da}.tag.no{background:var(--soft);color:var(--muted)}
.tag.neg{background:#fff8c5;color:#7d4e00;border:1px solid #d4a72c}.tag.unf{background:var(--unf-bg);color:var(--unf)}
.tag.sev{background:var(--inc-bg);color:var(--inc)}.tag.timing{background:#ddf4ff;color:#0969da}
.ready th[scope=row]{white-space:nowrap;background:#fff;font-weight:600}
.rd{display:inline-block;font-size:11px;font-weight:700;letter-spacing:.04em;border-radius:5px;padding:2px 8px;
white-space:nowrap}
.rd-ready{background:#2da44e;color:#fff}
.rd-not-ready{background:var(--fail-bg);color:var(--fail);border:1px solid #ffcecb}
.rd-not-tested{background:var(--soft);color:var(--muted);border:1px solid var(--line)}
.why{font-size:11.5px;color:var(--muted);margin-top:2px}
.tablewrap.fit{overflow:visible}
table.ready thead th{white-space:normal;line-height:1.25;vertical-align:bottom}
details.cnt{display:inline-block;text-align:left;position:relative}
details.cnt summary{cursor:pointer;font-weight:650;list-style:none;text-align:right}
details.cnt summary::-webkit-details-marker{display:none}
details.cnt summary::after{content:" \25BE";color:var(--muted);font-size:10px}
details.cnt[open] summary::after{content:" \25B4"}
details.cnt ul{position:absolute;right:0;top:100%;z-index:15;margin:4px 0 0;padding:8px 10px 8px 24px;background:#fff;
border:1px solid var(--line);border-radius:8px;box-shadow:0 8px 24px rgba(31,35,40,.16);max-height:260px;
overflow:auto;
width:max-content;min-width:220px;max-width:440px;white-space:normal;font-size:12px;font-weight:400;text-align:left}
details.cnt ul.ids{list-style:none;padding-left:10px;display:grid;grid-template-columns:repeat(3,max-content);
gap:2px 14px;
font-family:var(--mono);font-size:11.5px}
.c-pass summary{color:var(--pass)}.c-fail summary{color:var(--fail)}.c-inconclusive summary{color:var(--inc)}
.c-error summary{color:var(--err)}.c-na summary{color:var(--na)}.c-notrun summary{color:var(--muted)}
.sub{font-weight:400;color:var(--muted);font-size:11px}
.lvl{display:inline-block;font-size:9.5px;font-weight:700;border-radius:3px;padding:0 3px;margin-right:3px;
vertical-align:1px}
.lvl.lM{background:#12263f;color:#fff}.lvl.lC{background:#d0d7de;color:#24292f}
.reason{display:block;color:var(--muted);font-size:11.5px}
table.matrix th[scope=row]{white-space:nowrap;width:250px;background:#fff;font-weight:600}
table.matrix tr.empty th,table.matrix tr.empty td{color:#8c959f;background:#fbfcfd}
.blk-letter{display:inline-block;width:22px;height:22px;line-height:22px;text-align:center;border-radius:5px;
background:#12263f;color:#fff;font-weight:700;margin-right:8px;font-size:12px}
tr.empty .blk-letter{background:#afb8c1}
.ucs{display:flex;flex-wrap:wrap;gap:6px}
.uc{border:1px solid var(--line);border-left-width:4px;border-radius:6px;padding:3px 7px;min-width:74px;
background:#fff}
.uc-head{display:flex;justify-content:space-between;gap:8px;font-size:12px}
.uc-id{font-weight:700;font-family:var(--mono)}
.uc-n{color:var(--muted);font-size:11px}
.uc-cases{display:flex;flex-wrap:wrap;gap:3px;margin-top:2px}
a.cl{display:inline-block;font-family:var(--mono);font-size:10.5px;border-radius:3px;padding:0 4px;color:#fff;
font-weight:600}
a.cl.v-pass{background:#2da44e}a.cl.v-fail{background:var(--fail)}a.cl.v-inconclusive{background:#bf8700}
a.cl.v-error{background:var(--err)}a.cl.v-na{background:#8c959f}a.cl.v-unfinished{background:#3d444d}
a.cl.v-skipped{background:#afb8c1}
.uc.v-pass{border-left-color:#2da44e;background:#f3fbf5}.uc.v-fail{border-left-color:var(--fail);background:#fff6f5}
.uc.v-inconclusive{border-left-color:#d4a72c;background:#fffcea}
.uc.v-error{border-left-color:var(--err);background:#fbf5ff}
.uc.v-na{border-left-color:#afb8c1}.uc.v-unfinished{border-left-color:#3d444d;background:var(--unf-bg)}
.sessions{display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));gap:14px}
.session{border:1px solid var(--line);border-radius:8px;padding:10px 14px;background:#fcfdfe}
.session.negative{border-color:#d4a72c;box-shadow:inset 4px 0 0 #d4a72c}
.session h3{margin:2px 0 8px;font-size:14.5px}
table.kv th{width:190px;background:transparent;color:var(--muted);font-weight:500;padding:3px 10px 3px 0;
vertical-align:top;font-size:12.5px}
table.kv td{padding:3px 0;vertical-align:top}
.idf{display:inline-block;background:var(--soft);border:1px solid var(--line);border-radius:5px;padding:0 6px;
margin:1px 2px 1px 0;
font-size:12.5px}.idf .k{color:var(--muted);font-size:11px;margin-right:2px}
details.config{margin-top:8px}details.config summary{cursor:pointer;color:var(--accent);font-size:13px}
pre.json{margin:0;background:#f8fafc;border:1px solid #e1e6eb;border-radius:6px;padding:8px 10px;overflow:auto;
max-height:420px;line-height:1.4;font-size:12px;white-space:pre-wrap;overflow-wrap:anywhere}
details.config pre.json{margin-top:6px;max-height:520px}
.section-title{font-size:19px;margin:26px 0 12px}
section.case{background:var(--card);border:1px solid var(--line);border-radius:10px;margin:0 0 10px;
border-left:5px solid #d0d7de;
box-shadow:0 1px 2px rgba(31,35,40,.04)}
section.case.v-pass{border-left-color:#2da44e}section.case.v-fail{border-left-color:var(--fail)}
section.case.v-inconclusive{border-left-color:#d4a72c}section.case.v-error{border-left-color:var(--err)}
section.case.v-na{border-left-color:#afb8c1}section.case.v-unfinished{border-left-color:#3d444d}
section.case:target{box-shadow:0 0 0 3px rgba(11,92,173,.35)}
.case-d>summary{cursor:pointer;padding:10px 16px;display:flex;flex-wrap:wrap;align-items:center;gap:4px 12px;
list-style:none}
.case-d>summary::-webkit-details-marker{display:none}
.case-d>summary::before{content:"\25B8";color:var(--muted);font-size:12px;width:10px}
.case-d[open]>summary::before{content:"\25BE"}
.case-d[open]>summary{border-bottom:1px solid var(--line)}
.case-id{font-family:var(--mono);font-weight:700;font-size:13.5px}
.case-title{font-weight:550}
.case-meta{margin-left:auto;color:var(--muted);font-size:12px;white-space:nowrap}
.case-msg{flex-basis:100%;padding-left:22px;font-size:12.5px;color:#82071e}
.v-inconclusive .case-msg{color:var(--inc)}.v-error .case-msg{color:var(--err)}
.v-na .case-msg,.v-unfinished .case-msg{color:var(--muted)}
.case-body{padding:6px 18px 16px}
.case-kv{margin-top:6px}
.vmsg{border:1px solid var(--line);border-left:4px solid var(--na);border-radius:6px;margin:10px 0 4px;
background:var(--soft)}
.vmsg.v-fail{border-left-color:var(--fail);background:#fff6f5}
.vmsg.v-inconclusive{border-left-color:#d4a72c;background:#fffcea}
.vmsg.v-error{border-left-color:var(--err);background:#fbf5ff}
.vmsg-h{font-size:11px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);padding:6px 12px 0}
.vmsg pre{margin:0;padding:4px 12px 10px;white-space:pre-wrap;overflow-wrap:anywhere;font-size:12.5px}
table.checks tr.failing td{background:#ffebe9}
table.checks tr.failing td:first-child{box-shadow:inset 3px 0 0 var(--fail)}
table.checks tr.bad td{background:#fff8f0}
code.val{white-space:pre-wrap;overflow-wrap:break-word;word-break:normal}
table.checks th:nth-child(2){width:30%}table.checks th:nth-child(3){width:150px}
table.checks th:nth-child(4),table.checks th:nth-child(5){min-width:150px}
.detail{font-size:12px;color:var(--muted);margin-top:2px}
.res{font-weight:700;white-space:nowrap;font-size:12px}.res.ok{color:var(--pass)}.res.bad{color:var(--fail)}
.diagram{overflow-x:auto;border:1px solid var(--line);border-radius:8px;background:#fff;padding:6px 0 0;margin:0}
.legend{display:flex;flex-wrap:wrap;gap:4px 16px;font-size:11.5px;color:var(--muted);border-top:1px solid #e6eaef;
padding:6px 14px;margin-top:4px;background:#fbfcfd;border-radius:0 0 8px 8px}
.legend span{display:inline-flex;align-items:center;gap:5px}.legend .hint{margin-left:auto;font-style:italic}
.lg{display:inline-block;width:22px;height:0;border-top:2px solid #24292f}.lg.dashed{border-top:2px dashed #57606a}
.lg.red{border-top-color:#cf222e}.lg.box{width:14px;height:10px;border:1px solid;border-radius:2px}
.lg.action{background:#ddf4ff;border-color:#54aeff}.lg.wait{background:#fff8c5;border-color:#d4a72c}
.lg.culprit{background:#fff8c5;border-color:#fff8c5}
svg.seq{display:block;max-width:100%;height:auto;margin:0 auto;font-family:system-ui,-apple-system,"Segoe UI",Roboto,
"Helvetica Neue","Noto Sans","Liberation Sans",Arial,sans-serif;font-size:12px}
svg.seq .lifeline{stroke:#8c959f;stroke-width:1.2;stroke-dasharray:5 5}
svg.seq .lane-box rect{fill:#12263f}svg.seq .lane-box.sut rect{fill:#0b5cad}
svg.seq .lane-box text{fill:#fff;font-weight:650;font-size:12.5px}
svg.seq .col-head{fill:#8c959f;font-size:10.5px;text-transform:uppercase;letter-spacing:.06em}
svg.seq .time{fill:#59636e;font-family:var(--mono);font-size:10.5px}
svg.seq .bg{fill:transparent}svg.seq .step:hover .bg{fill:#f3f6f9}
svg.seq .frame line{stroke:#24292f;stroke-width:1.4}svg.seq .frame .head{fill:#24292f}
svg.seq .frame.response line{stroke:#57606a;stroke-dasharray:6 4}svg.seq .frame.response .head{fill:#57606a}
svg.seq .label .act{font-weight:650;fill:#0a3069}svg.seq a .act{fill:#0b5cad}
svg.seq a:hover .act{text-decoration:underline}
svg.seq .label .mt{fill:#59636e;font-size:10.5px;letter-spacing:.03em}
svg.seq .label .mid{fill:#8c959f;font-family:var(--mono);font-size:10px}
svg.seq .frame.bad line{stroke:#cf222e;stroke-width:1.8}svg.seq .frame.bad .head{fill:#cf222e}
svg.seq .frame.bad .act,svg.seq .frame.bad .mt,svg.seq .warn-icon{fill:#cf222e}
svg.seq .note-box{stroke-width:1}svg.seq .action .note-box{fill:#ddf4ff;stroke:#54aeff}
svg.seq .action.bad .note-box{fill:#ffebe9;stroke:#ff8182}
svg.seq .wait .note-box{fill:#fff8c5;stroke:#d4a72c}
svg.seq .action text,svg.seq .wait text{fill:#24292f;font-size:11.5px}
svg.seq .conn line{stroke:#afb8c1;stroke-dasharray:2 3}svg.seq .conn text{fill:#6e7781;font-size:10.5px}
svg.seq .conn.closed text,svg.seq .conn.rejected text{fill:#9a6700}
svg.seq .culprit .bg{fill:#fff8c5}
svg.seq .failing .bg{fill:#ffebe9}svg.seq .failing line{stroke:#cf222e;stroke-width:1.5;stroke-dasharray:6 3}
svg.seq .failing .marker-box{fill:#cf222e}svg.seq .failing text{fill:#fff;font-weight:650;font-size:11.5px}
svg.seq .failing.inconclusive .bg{fill:#fff8c5}svg.seq .failing.inconclusive line{stroke:#bf8700}
svg.seq .failing.inconclusive .marker-box{fill:#9a6700}
svg.seq .failing.error .bg{fill:#fbefff}svg.seq .failing.error line{stroke:#8250df}
svg.seq .failing.error .marker-box{fill:#8250df}
svg.seq .interrupted .bg{fill:#eaeef2}svg.seq .interrupted line{stroke:#3d444d}
svg.seq .interrupted .marker-box{fill:#3d444d}
svg.seq .warn line{stroke:#d4a72c;stroke-dasharray:4 3}svg.seq .warn .marker-box{fill:#fff8c5;stroke:#d4a72c}
svg.seq .warn text{fill:#7d4e00;font-size:11.5px}
svg.seq .end line{stroke:#d0d7de}svg.seq .end .marker-box{fill:#f6f8fa;stroke:#d0d7de}
svg.seq .end text{fill:#59636e;font-size:11px}
svg.seq .end.pass .marker-box{fill:#dafbe1;stroke:#4ac26b}svg.seq .end.pass text{fill:#1a7f37;font-weight:600}
svg.seq .empty{fill:#8c959f}
table.wire td{font-size:12.5px}table.wire td.pl{min-width:320px;max-width:560px}
table.wire tr.bad td{background:#fff6f5}table.wire tr.bad td:first-child{box-shadow:inset 3px 0 0 var(--fail)}
tr.omitted td{background:#fff8c5;color:var(--muted);text-align:center}
table.wire tr.conn td{background:#fbfcfd;color:var(--muted);font-size:12px;padding-top:3px;padding-bottom:3px}
.dir{font-weight:650;white-space:nowrap;font-size:12px}.dir.out{color:#12263f}.dir.in{color:#0b5cad}
.mt{font-family:var(--mono);font-size:11px;font-weight:650;letter-spacing:.02em}.mt-callerror{color:var(--fail)}
.mt-callresult{color:#57606a}
code.mid{font-size:11px;color:var(--muted);word-break:break-all}
ul.viol{margin:0 0 4px;padding-left:16px;color:var(--fail);font-size:12px}
.cerr{color:var(--fail);font-size:12.5px;margin-bottom:3px}
details.payload summary,details.raw summary{cursor:pointer;font-size:12px}
details.payload summary code{color:#3d444d;font-size:11.5px}
details.payload pre,details.raw pre{margin-top:4px}
table.actions code{font-size:11.5px;overflow-wrap:anywhere}
.st{font-weight:650;font-size:12px}.st-ok{color:var(--pass)}.st-bad{color:var(--fail)}
ul.notes{list-style:none;margin:0;padding:0;font-size:12.5px}
ul.notes li{padding:3px 0;border-bottom:1px dashed #e6eaef}ul.notes .t{display:inline-block;width:80px}
.lvl-tag{display:inline-block;font-size:10.5px;font-weight:650;text-transform:uppercase;background:var(--soft);
border:1px solid var(--line);border-radius:4px;padding:0 5px;margin-right:8px;color:var(--muted)}
li.wait .lvl-tag{background:#fff8c5;border-color:#d4a72c;color:#7d4e00}
li.lvl-warning .lvl-tag,li.lvl-warn .lvl-tag{background:var(--inc-bg);color:var(--inc)}
li.lvl-error .lvl-tag{background:var(--fail-bg);color:var(--fail)}
.ucref{font-family:var(--mono);font-weight:650}
footer.foot{max-width:1240px;margin:0 auto;padding:6px 28px 40px;color:var(--muted);font-size:12px}
@media (max-width:760px){.wrap-top,main,.tb-inner{padding-left:12px;padding-right:12px}
.sessions{grid-template-columns:1fr}}
@media print{
 body{background:#fff;font-size:10.5pt}
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 .toolbar,button,#q{display:none!important}
 header.top{background:#fff;color:#000;border-bottom:2px solid #12263f}
 header.top .brand,header.top .facts dt{color:#444}.exit{color:#444}.coverage{color:#000}
 main,.wrap-top{max-width:none;padding-left:0;padding-right:0}
 .card,section.case{box-shadow:none;break-inside:auto}
 section.case{break-before:auto}
 .case-d>summary{break-after:avoid}
 tr,.uc,svg.seq .step{break-inside:avoid}
 h2,h3,h4{break-after:avoid}
 .tablewrap,.diagram{overflow:visible;border-color:#ccc}
 pre.json{max-height:none;overflow:visible}
 details.cnt ul{position:static;box-shadow:none;max-height:none}
 a{color:inherit}
 footer.foot{padding:6px 0}
}
"""

JS = r"""
(function () {
  var bar = document.getElementById('filters');
  if (!bar) return;
  var q = document.getElementById('q');
  var rows = Array.prototype.slice.call(document.querySelectorAll('[data-verdict]'));
  var sections = Array.prototype.slice.call(document.querySelectorAll('section.case'));
  function checked(kind) {
    var set = {};
    bar.querySelectorAll('input[data-f="' + kind + '"]').forEach(function (i) { if (i.checked) set[i.value] = 1; });
    return set;
  }
  function apply() {
    var vs = checked('verdict'), bs = checked('block'), text = (q.value || '').trim().toLowerCase(), shown = 0;
    rows.forEach(function (el) {
      var ok = vs[el.getAttribute('data-verdict')] && bs[el.getAttribute('data-block')] &&
        (!text || el.getAttribute('data-search').indexOf(text) >= 0);
      el.hidden = !ok;
      if (ok && el.tagName === 'SECTION') shown++;
    });
    document.getElementById('shown').textContent = 'showing ' + shown + ' of ' + sections.length + ' cases';
  }
  function setAll(kind, on, only) {
    bar.querySelectorAll('input[data-f="' + kind + '"]').forEach(function (i) {
      i.checked = only ? i.value === only : on;
    });
  }
  function reset() { setAll('verdict', true); setAll('block', true); q.value = ''; apply(); }
  function detailsOf(s) { return s.querySelector('details.case-d'); }
  function openAll(on) { sections.forEach(function (s) { var d = detailsOf(s); if (d) d.open = on; }); }
  bar.addEventListener('change', apply);
  q.addEventListener('input', apply);
  document.getElementById('reset').addEventListener('click', reset);
  document.getElementById('expand').addEventListener('click', function () { openAll(true); });
  document.getElementById('collapse').addEventListener('click', function () { openAll(false); });
  document.querySelectorAll('[data-only]').forEach(function (b) {
    b.addEventListener('click', function () {
      setAll('verdict', false, b.getAttribute('data-only'));
      apply();
      var c = document.getElementById('cases');
      if (c) c.scrollIntoView();
    });
  });
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    var s = el && el.closest ? el.closest('section.case') : null;
    if (!s) return;
    if (s.hidden) reset();
    var d = detailsOf(s);
    if (d && !d.open) d.open = true;
    el.scrollIntoView();
  }
  window.addEventListener('hashchange', reveal);
  var before = null;
  window.addEventListener('beforeprint', function () {
    before = sections.map(function (s) { var d = detailsOf(s); return d ? d.open : false; });
    openAll(true);
  });
  window.addEventListener('afterprint', function () {
    if (before) sections.forEach(function (s, n) { var d = detailsOf(s); if (d) d.open = before[n]; });
    before = null;
  });
  apply();
  reveal();
})();
"""
