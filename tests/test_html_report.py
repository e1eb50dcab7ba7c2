"""The HTML compliance report (``conformance.reporting.html``) and its sequence diagrams
(``conformance.reporting.diagram``), from synthetic event logs and from real runs.

No browser here (see ``test_report_browser.py``): the report is checked as text. The markers
the tests rely on are the report's documented hooks: ``<section class="case ..." id="<case id>">``
per case, ``class="step frame ..."`` per arrow in a diagram, ``class="step failing"`` (id
``<case id>-failing``) for the failing step, ``<tr class="failing" id="<case id>-check-failing">``
for the deciding check, ``data-verdict`` / ``data-block`` on everything the filters hide.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from conformance.catalog import PROFILES
from conformance.reporting.diagram import lane_labels, sequence_svg
from conformance.reporting.html import html_report, readiness, render_html
from conformance.reporting.model import NOT_FINISHED, build_model, load_model
from conformance.reporting.summary import ExpectedFailure, decide

REPO = Path(__file__).resolve().parents[1]
XSS = "<script>alert('x')</script>"

BOOT = {"reason": "PowerUp", "chargingStation": {"model": "M-1", "vendorName": "ACME", "serialNumber": "S-1",
                                                  "firmwareVersion": "1.2.3"}}
BOOT_RESULT = {"currentTime": "2025-01-01T00:00:00Z", "interval": 300, "status": "Accepted"}


# --------------------------------------------------------------------------------------------
# A synthetic event log
# --------------------------------------------------------------------------------------------


class Log:
    """Builds an event log the way the recorder writes it (wall and mono clocks advance together)."""

    def __init__(self, run_id: str = "synthetic") -> None:
        self.events: list[dict[str, Any]] = []
        self.wall = 1_750_000_000.0
        self.mono = 1000.0
        self.ids = 0
        self.add("run_start", run_id=run_id, suite_version="0.1.0",
                 spec="OCPP 2.0.1 Edition 3 (2024-05-06), errata to 2025-09",
                 catalog_version="test-catalog", host="lab-host-1", python="3.11.7")

    def add(self, kind: str, case: str | None = None, dt: float = 0.01, **data: Any) -> dict[str, Any]:
        self.wall += dt
        self.mono += dt
        event = {"kind": kind, "wall": round(self.wall, 6), "mono": round(self.mono, 6), "case": case, **data}
        self.events.append(event)
        return event

    def session(self, role: str = "station", faults: list[str] | None = None, strict: bool = False,
                pics_profiles: list[str] | None = None, implemented: list[str] | None = None) -> None:
        config: dict[str, Any] = {"role": role, "connection": {"password": "***", "identity": "CS001"}}
        if pics_profiles is not None:
            config["pics"] = {"profiles": pics_profiles}
        self.add("session_start", role=role, sut_name=f"ACME {role}", reference=faults is not None,
                 faults=faults or [], strict=strict, config=config, implemented=implemented or [])

    def identity(self) -> None:
        self.add("sut_identity", identity="CS001", vendor="ACME", model="M-1", serial="S-1", firmware="1.2.3")

    def start(self, case: str, *, title: str = "", role: str = "CS", block: str | None = None,
              use_cases: list[str] | None = None, requirements: list[str] | None = None) -> None:
        block = block or case.split("_")[1]
        self.add("case_start", case, title=title or f"title of {case}", role=role, block=block,
                 use_cases=use_cases if use_cases is not None else [f"{block}01"],
                 requirements=requirements if requirements is not None else [f"{block}01.FR.01"],
                 nodeid=f"x::{case}")

    def frame(self, case: str, direction: str, message_type: str, action: str, payload: Any, *,
              message_id: str | None = None, valid: bool = True, connection: str = "CS001",
              **extra: Any) -> str:
        if message_id is None:
            self.ids += 1
            message_id = f"{self.ids:08d}-0000-4000-8000-000000000000"
        self.add("frame", case, connection=connection, direction=direction, raw="[...]", message_type=message_type,
                 message_id=message_id, action=action, payload=payload, valid=valid, **extra)
        return message_id

    def exchange(self, case: str, action: str, request: Any, response: Any, *, sut_calls: bool = True) -> None:
        first, second = ("in", "out") if sut_calls else ("out", "in")
        mid = self.frame(case, first, "CALL", action, request)
        self.frame(case, second, "CALLRESULT", action, response, message_id=mid)

    def check(self, case: str, name: str, passed: bool = True, *, expected: Any = "'x'", actual: Any = "'x'",
              requirements: list[str] | None = None, **extra: Any) -> None:
        self.add("check", case, name=name, passed=passed, expected=expected, actual=actual,
                 requirements=requirements or ["B01.FR.01"], severity="MUST", **extra)

    def end(self, case: str, verdict: str, message: str = "", dt: float = 0.01) -> None:
        self.add("case_end", case, dt=dt, verdict=verdict, message=message, duration=0.0, phase="call")

    def model(self):
        return build_model(self.events)


def passing_case(log: Log, case: str = "TC_B_01_CS", role: str = "CS") -> None:
    log.start(case, title="Cold Boot Charging Station - Accepted", role=role, block="B", use_cases=["B01"],
              requirements=["B01.FR.01", "B01.FR.05"])
    log.exchange(case, "BootNotification", BOOT, BOOT_RESULT, sut_calls=(role == "CS"))
    log.check(case, "BootNotificationRequest: reason", expected="'PowerUp'", actual="'PowerUp'")
    log.end(case, "PASS")


def failing_case(log: Log, case: str = "TC_B_06_CS") -> None:
    log.start(case, title="Get Variables - single value", block="B", use_cases=["B06"], requirements=["B06.FR.01"])
    log.add("action", case, action="power_cycle", params={}, backend="reference", call=1, status="started")
    log.add("action", case, action="power_cycle", params={}, backend="reference", call=1, status="ok", result={},
            reason=None, duration=0.002)
    log.exchange(case, "GetVariables", {"getVariableData": []}, {"getVariableResult": []}, sut_calls=False)
    log.add("wait", case, reason="no StatusNotification expected", seconds=5)
    log.check(case, "one getVariableResult per getVariableData entry", False, expected="1", actual="0",
              requirements=["B06.FR.01"])
    log.end(case, "FAIL", "one getVariableResult per getVariableData entry [B06.FR.01]\nexpected: 1\nactual:   0")


def mixed_log(*, interrupted: bool = True) -> Log:
    """Every verdict once: PASS, FAIL, INCONCLUSIVE, ERROR, NOT APPLICABLE and (optionally) NOT FINISHED."""
    log = Log()
    log.session("station", pics_profiles=["Core"])
    log.identity()
    passing_case(log)
    failing_case(log)
    log.start("TC_C_01_CS", title="Local start transaction - Authorized", block="C", use_cases=["C01"])
    log.add("action", "TC_C_01_CS", action="present_token", params={"id_token": "A1B2"}, backend="prompt", call=1,
            status="started")
    log.add("action", "TC_C_01_CS", action="present_token", params={"id_token": "A1B2"}, backend="prompt", call=1,
            status="timeout", result=None, reason="the operator did not answer within 10 s", duration=10.0)
    log.end("TC_C_01_CS", "INCONCLUSIVE", "the action present_token could not be performed")
    log.start("TC_E_01_CS", title="Start transaction options - PowerPathClosed", block="E", use_cases=["E01"])
    log.end("TC_E_01_CS", "ERROR", "HarnessError: the harness CSMS could not bind its port")
    log.start("TC_K_01_CS", title="SetChargingProfile - TxDefaultProfile", block="K", use_cases=["K01"])
    log.end("TC_K_01_CS", "NOT APPLICABLE", "excluded by the PICS: \"Smart Charging\" is not declared")
    if interrupted:
        log.start("TC_B_02_CS", title="Cold Boot Charging Station - Pending", block="B", use_cases=["B02"])
        log.exchange("TC_B_02_CS", "BootNotification", BOOT, {**BOOT_RESULT, "status": "Pending"})
    else:
        log.add("session_end", role="station")
    return log


def render(model, outcome=None, **kwargs: Any) -> str:
    return html_report(model, outcome or decide(model), **kwargs)


def section_of(html: str, case_id: str) -> str:
    """The text of one case's section."""
    start = html.index(f'id="{case_id}" data-verdict=')
    start = html.rindex("<section", 0, start)
    return html[start:html.index("</section>", start)]


def tile_count(html: str, verdict: str) -> int:
    match = re.search(rf'data-only="{re.escape(verdict)}"[^>]*><span class="n">(\d+)</span>', html)
    assert match, f"no summary tile for {verdict}"
    return int(match[1])


# --------------------------------------------------------------------------------------------
# Synthetic logs
# --------------------------------------------------------------------------------------------


def test_summary_counts_and_exit_code() -> None:
    model = mixed_log().model()
    html = render(model)
    for verdict in ("PASS", "FAIL", "INCONCLUSIVE", "ERROR", "NOT APPLICABLE", NOT_FINISHED):
        assert tile_count(html, verdict) == 1, verdict
    assert '<div class="tile total"><span class="n">6</span>' in html
    assert '<span class="n">1</span><span class="l">exit code</span>' in html
    # the deciding cases are listed and linked, the passing and not applicable ones are not
    deciding = html[html.index("<h3>Decided by</h3>"):html.index("</ul>", html.index("<h3>Decided by</h3>"))]
    for case_id in ("TC_B_06_CS", "TC_C_01_CS", "TC_E_01_CS", "TC_B_02_CS"):
        assert f'href="#{case_id}"' in deciding
    assert "TC_B_01_CS" not in deciding and "TC_K_01_CS" not in deciding


def test_expected_failures_are_listed_apart() -> None:
    model = mixed_log(interrupted=False).model()
    expected = {"TC_B_06_CS": ExpectedFailure("TC_B_06_CS", "known bug ACME-42")}
    html = render(model, decide(model, expected_failures=expected))
    block = html[html.index("Expected failures"):]
    assert "known bug ACME-42" in block[:2000]
    assert 'href="#TC_B_06_CS"' in block[:2000]


def test_a_passing_run_says_so() -> None:
    log = Log()
    log.session()
    passing_case(log)
    log.add("session_end", role="station")
    html = render(log.model())
    assert '<span class="result r-pass">PASSED</span>' in html
    assert "No case failed" in html
    assert 'class="step failing' not in html


def test_one_section_per_case_with_its_anchor_and_metadata() -> None:
    model = mixed_log().model()
    html = render(model)
    for case in model.cases.values():
        assert html.count('<section class="case v-') == len(model.cases)
        section = section_of(html, case.id)
        assert f'data-verdict="{case.verdict}"' in section
        assert f'data-block="{case.block}"' in section
        assert f'<span class="case-id">{case.id}</span>' in section
        assert case.title in section
    failing = section_of(html, "TC_B_06_CS")
    assert '<details class="case-d" open>' in failing  # failures are expanded
    assert '<details class="case-d">' in section_of(html, "TC_B_01_CS")  # passes collapsed
    assert "B06.FR.01" in failing and "Get Variables" in failing
    assert "one getVariableResult per getVariableData entry [B06.FR.01]" in failing  # the verdict message


def test_checks_table_with_the_deciding_check_marked() -> None:
    html = render(mixed_log().model())
    failing = section_of(html, "TC_B_06_CS")
    row = re.search(r'<tr class="failing" id="TC_B_06_CS-check-failing">.*?</tr>', failing)
    assert row, "the deciding check row is marked"
    assert "one getVariableResult per getVariableData entry" in row[0]
    assert "\u2717 FAIL" in row[0]
    assert "\u2713 pass" in section_of(html, "TC_B_01_CS")


def test_timing_checks_show_required_and_measured_with_tolerance() -> None:
    log = Log()
    log.session()
    log.start("TC_B_03_CS", block="B")
    log.check("TC_B_03_CS", "Heartbeat interval", True, expected="2s +- 1s", actual="2.013s", timing=True,
              required=2, measured=2.0134, tolerance=1.0)
    log.check("TC_B_03_CS", "retry after at least the interval", False, expected=">= 10s (tolerance 1s)",
              actual="3.500s", timing=True, required=10, measured=3.5, tolerance=1.0)
    log.end("TC_B_03_CS", "FAIL", "retry after at least the interval")
    html = render(log.model())
    assert "required 2 s \u00b1 1 s" in html
    assert "measured 2.013 s (deviation +0.013 s)" in html
    assert "required \u2265 10 s (tolerance 1 s)" in html
    assert "measured 3.500 s (deviation -6.500 s)" in html


def test_timing_table_lists_every_timing_check_of_the_run() -> None:
    """One run-wide table: each timing check with its case, required value, tolerance, measured value and result,
    so a reviewer sees all protocol timers at a glance (issue 12: required vs measured in the report)."""
    log = Log()
    log.session()
    log.start("TC_B_03_CS", block="B")
    log.check("TC_B_03_CS", "Heartbeat interval", True, expected="2s +- 1s", actual="2.013s", timing=True,
              required=2, measured=2.0134, tolerance=1.0)
    log.check("TC_B_03_CS", "BootNotification payload", True)
    log.end("TC_B_03_CS", "PASS")
    log.start("TC_J_01_CS", block="J")
    log.check("TC_J_01_CS", "aligned MeterValues on the clock", False, expected="10s +- 1s", actual="12.500s",
              timing=True, required=10, measured=12.5, tolerance=1.0)
    log.end("TC_J_01_CS", "FAIL", "aligned MeterValues on the clock")
    html = render(log.model())
    table = html.split('id="timing"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r"<tr[^>]*>.*?</tr>", table.split("<tbody>", 1)[1], re.S)
    assert len(rows) == 2, "one row per timing check, none for the other checks"
    assert "TC_B_03_CS" in rows[0] and "Heartbeat interval" in rows[0] and "2.013" in rows[0] and "+0.013" in rows[0]
    assert "TC_J_01_CS" in rows[1] and "12.500" in rows[1] and "+2.500" in rows[1] and "FAIL" in rows[1]


def test_no_timing_table_without_timing_checks() -> None:
    log = Log()
    log.session()
    passing_case(log)
    assert 'id="timing"' not in render(log.model())


def test_diagram_one_arrow_per_frame_in_the_right_direction() -> None:
    model = mixed_log().model()
    for case in model.cases.values():
        svg = sequence_svg(case)
        assert svg.startswith("<svg") and svg.endswith("</svg>")
        arrows = re.findall(r'<g class="step frame[^"]*">.*?</g>', svg, re.DOTALL)
        assert len(arrows) == len(case.frames), case.id
        for arrow, frame in zip(arrows, case.frames):
            x1, x2 = (float(v) for v in re.search(r'<line x1="([\d.]+)" y1="[\d.]+" x2="([\d.]+)"', arrow).groups())
            assert (x1 < x2) == (frame["direction"] == "out"), (case.id, frame["action"], frame["direction"])
            assert f">{frame['action']}<" in arrow
            assert frame["message_type"] in arrow
            assert frame["message_id"][:8] in arrow
            assert (" response" in arrow.split(">", 1)[0]) == (frame["message_type"] != "CALL")
    # the rows carry the time since the case started
    svg = sequence_svg(model.cases["TC_B_01_CS"])
    assert re.search(r'class="time" text-anchor="end">\+0\.0\d\d s<', svg)


def test_diagram_lanes_are_labelled_with_the_roles() -> None:
    log = Log()
    log.session("csms")
    passing_case(log, "TC_B_01_CSMS", role="CSMS")
    log.start("TC_B_02_CSMS", role="CSMS", block="B")
    log.exchange("TC_B_02_CSMS", "BootNotification", BOOT, BOOT_RESULT, sut_calls=False)
    log.frame("TC_B_02_CSMS", "out", "CALL", "Heartbeat", {}, connection="CS002")
    log.end("TC_B_02_CSMS", "PASS")
    station = mixed_log().model().cases["TC_B_01_CS"]
    csms = log.model()
    assert lane_labels(station) == ("Harness (CSMS)", "Charging Station (SUT)")
    assert lane_labels(csms.cases["TC_B_01_CSMS"]) == ("Harness (Charging Station CS001)", "CSMS (SUT)")
    assert lane_labels(csms.cases["TC_B_02_CSMS"]) == ("Harness (Charging Stations CS001, CS002)", "CSMS (SUT)")
    svg = sequence_svg(csms.cases["TC_B_01_CSMS"])
    assert ">Harness (Charging Station CS001)<" in svg and ">CSMS (SUT)<" in svg
    assert ">Harness (CSMS)<" in sequence_svg(station) and ">Charging Station (SUT)<" in sequence_svg(station)
    # several stations: each arrow names its connection
    assert "CS002 \u00b7 " in sequence_svg(csms.cases["TC_B_02_CSMS"])


def test_failing_step_is_highlighted() -> None:
    model = mixed_log().model()
    svg = sequence_svg(model.cases["TC_B_06_CS"])
    marker = re.search(r'<g class="step failing" id="TC_B_06_CS-failing">(.*?)</g>', svg, re.DOTALL)
    assert marker, "the failing check is drawn as a marker"
    assert "one getVariableResult per getVariableData entry" in marker[1]
    assert "expected: 1" in marker[1] and "actual: 0" in marker[1]  # the tooltip
    # the marker sits after the last frame before the failing check, which is highlighted
    assert svg.index('culprit"') < marker.start()
    assert svg.count(" culprit") == 1
    assert 'class="step failing' not in sequence_svg(model.cases["TC_B_01_CS"])
    # a case decided without a failed check (ERROR) points at its end
    error_svg = sequence_svg(model.cases["TC_E_01_CS"])
    assert re.search(r'<g class="step failing error" id="TC_E_01_CS-failing">.*?HarnessError', error_svg, re.DOTALL)
    # and the report carries the marker inside the case section
    assert 'id="TC_B_06_CS-failing"' in section_of(render(model), "TC_B_06_CS")


def test_callerrors_and_invalid_frames_are_red_with_the_reason_as_tooltip() -> None:
    log = Log()
    log.session()
    log.start("TC_B_09_CS", block="B")
    log.frame("TC_B_09_CS", "in", "CALL", "BootNotification", {"reason": "Sometimes"}, valid=False,
              violations=[{"path": "$.reason", "keyword": "enum", "message": "'Sometimes' is not one of [...]"}])
    mid = log.frame("TC_B_09_CS", "out", "CALL", "Reset", {"type": "Immediate"})
    log.frame("TC_B_09_CS", "in", "CALLERROR", "Reset", {}, message_id=mid, error_code="NotImplemented",
              error_description="Reset is not supported")
    log.frame("TC_B_09_CS", "in", "CALL", None, None, valid=False, error="not a JSON array")
    log.end("TC_B_09_CS", "FAIL", "invalid frames")
    case = log.model().cases["TC_B_09_CS"]
    svg = sequence_svg(case)
    arrows = re.findall(r'<g class="step frame[^"]*">.*?</g>', svg, re.DOTALL)
    assert len(arrows) == 4
    assert all(' bad' in a.split(">", 1)[0] for a in arrows[0:1] + arrows[2:])
    assert " bad" not in arrows[1].split(">", 1)[0]
    assert "$.reason: &#x27;Sometimes&#x27; is not one of [...] [enum]" in arrows[0]
    assert "CALLERROR NotImplemented" in arrows[2]
    assert "Reset is not supported" in arrows[2]
    assert "not a JSON array" in arrows[3]
    html = render(log.model())
    assert '<ul class="viol"><li>$.reason: &#x27;Sometimes&#x27; is not one of [...] [enum]</li></ul>' in html
    assert '<span class="res bad">\u2717 invalid</span>' in html
    assert "<b>NotImplemented</b> Reset is not supported" in html


def test_actions_and_waits_appear_as_notes() -> None:
    model = mixed_log().model()
    svg = sequence_svg(model.cases["TC_B_06_CS"])
    action = r'<g class="step action[^"]*">.*?power_cycle \u00b7 reference \u00b7 ok \(0\.002 s\)'
    assert re.search(action, svg, re.DOTALL)
    assert re.search(r'<g class="step wait">.*?wait 5 s: no StatusNotification expected', svg, re.DOTALL)
    timed_out = sequence_svg(model.cases["TC_C_01_CS"])
    failed_action = r'<g class="step action bad[^"]*">.*?present_token \u00b7 prompt \u00b7 timeout'
    assert re.search(failed_action, timed_out, re.DOTALL)
    html = render(model)
    actions = section_of(html, "TC_C_01_CS")
    assert "Actions performed" in actions
    assert "the operator did not answer within 10 s" in actions
    assert "{&quot;id_token&quot;:&quot;A1B2&quot;}" in actions  # the parameters
    assert "no StatusNotification expected" in section_of(html, "TC_B_06_CS")  # waits are listed too


def test_wire_log_has_every_frame_and_pretty_payloads() -> None:
    model = mixed_log().model()
    html = render(model)
    section = section_of(html, "TC_B_01_CS")
    wire = section[section.index('<table class="list wire">'):]
    rows = re.findall(r'<tr class="(?:bad)?"><td class="num">(\d+)</td>', wire)
    assert rows == ["1", "2"]
    assert "\u2190 from SUT" in wire and "\u2192 to SUT" in wire
    assert "&quot;vendorName&quot;: &quot;ACME&quot;" in wire  # pretty-printed, indented
    assert "\n  &quot;chargingStation&quot;: {\n" in wire
    assert "00000001-0000-4000-8000-000000000000" in wire


def test_long_payloads_are_collapsed() -> None:
    log = Log()
    log.session()
    log.start("TC_B_04_CS", block="B")
    big = {"getVariableResult": [{"component": {"name": f"Ctrlr{i}"}, "attributeValue": str(i)} for i in range(30)]}
    log.exchange("TC_B_04_CS", "GetVariables", {"getVariableData": []}, big, sut_calls=False)
    log.end("TC_B_04_CS", "PASS")
    html = render(log.model())
    assert html.count('<details class="payload">') == 1
    assert "Ctrlr29" in html


def test_message_names_link_to_the_reference() -> None:
    model = mixed_log().model()
    html = render(model)
    assert 'href="reference/BootNotification.html"' in html
    svg = sequence_svg(model.cases["TC_B_01_CS"], reference_href="../ref")
    assert '<a href="../ref/BootNotification.html">' in svg
    plain = render(model, reference_href=None)
    assert "BootNotification.html" not in plain
    assert "BootNotification" in plain
    # an action name that is not an OCPP message is never turned into a link
    log = Log()
    log.session()
    log.start("TC_B_05_CS", block="B")
    log.frame("TC_B_05_CS", "in", "CALL", "../../etc/passwd", {})
    log.end("TC_B_05_CS", "FAIL", "unknown action")
    assert "passwd.html" not in render(log.model())


def test_not_finished_case_is_marked() -> None:
    model = mixed_log(interrupted=True).model()
    assert model.cases["TC_B_02_CS"].verdict == NOT_FINISHED
    html = render(model)
    assert "INTERRUPTED RUN" in html
    assert "This run was interrupted." in html
    section = section_of(html, "TC_B_02_CS")
    assert 'class="case v-unfinished"' in section
    assert '<span class="badge v-unfinished">NOT FINISHED</span>' in section
    assert "This case started" in section and "never ended" in section
    assert '<details class="case-d" open>' in section
    svg = sequence_svg(model.cases["TC_B_02_CS"])
    assert 'class="step failing interrupted" id="TC_B_02_CS-failing"' in svg
    assert "run interrupted: the case did not finish" in svg
    assert "did not end (interrupted)" in html  # the session never ended either


def test_not_applicable_case_shows_its_condition() -> None:
    html = render(mixed_log().model())
    section = section_of(html, "TC_K_01_CS")
    assert "Why not applicable" in section
    assert "excluded by the PICS: &quot;Smart Charging&quot; is not declared" in section


def test_header_sessions_and_negative_control() -> None:
    log = Log("run-42")
    log.session("station", faults=["boot_skips_connector_status"], strict=True, pics_profiles=["Core"])
    log.identity()
    passing_case(log)
    log.add("session_end", role="station")
    html = render(log.model())
    assert "run-42" in html and "lab-host-1" in html and "test-catalog" in html
    assert "OCPP 2.0.1 Edition 3 (2024-05-06), errata to 2025-09" in html
    assert "2025-06-15 15:06:40 UTC" in html  # the run's own start time, UTC
    for value in ("ACME", "M-1", "S-1", "1.2.3"):
        assert f"</span> {value}</span>" in html
    assert "NEGATIVE-CONTROL RUN" in html and "Negative-control run." in html
    assert "<code>boot_skips_connector_status</code>" in html
    assert "<th>Strict mode</th><td>on</td>" in html
    config = html[html.index('<details class="config">'):]
    assert "&quot;password&quot;: &quot;***&quot;" in config[:3000]


def test_readiness_per_profile_and_role() -> None:
    model = mixed_log().model()
    table = readiness(model)
    assert list(table) == ["CS"]
    assert [row.profile for row in table["CS"]] == list(PROFILES)
    core = table["CS"][0]
    assert core.claimed is True and table["CS"][1].claimed is False
    assert [r.id for r in core.mandatory_passed] == ["TC_B_01_CS"]
    assert "TC_B_06_CS" in [r.id for r in core.failed]
    core_ids = {t.id for t in core.mandatory + core.conditional}
    assert ("TC_E_01_CS" in [r.id for r in core.errors]) == ("TC_E_01_CS" in core_ids)
    assert core.status == "not ready" and not core.ready
    assert len(core.not_run) == len(core.mandatory) + len(core.conditional) - core.run_count
    smart = next(row for row in table["CS"] if row.profile == "Smart Charging")
    assert [r.id for r in smart.not_applicable] == ["TC_K_01_CS"]
    html = render(model)
    ready = html[html.index('id="readiness"'):html.index('id="matrix"')]
    for profile in PROFILES:
        assert f'<th scope="row">{profile}</th>' in ready
    assert "Charging Station as system under test" in ready
    assert "NOT READY" in ready and "NOT TESTED" in ready
    assert "is not declared" in ready  # the reason of the not applicable case


def test_a_profile_is_ready_when_every_mandatory_case_passed() -> None:
    from conformance.catalog import load_catalog

    catalog = load_catalog()
    security = [t for t in catalog.cases_for("CSMS") if t.applicability("Advanced Security")]
    log = Log()
    log.session("csms")
    for test_case in security:
        log.start(test_case.id, role="CSMS", block=test_case.block, use_cases=list(test_case.use_cases))
        log.end(test_case.id, "PASS")
    row = next(r for r in readiness(log.model())["CSMS"] if r.profile == "Advanced Security")
    assert row.ready and row.status == "ready"
    assert '<span class="rd rd-ready">READY</span>' in render(log.model())
    # one failure in the profile, even of another case, makes it not ready
    log.start(security[0].id, role="CSMS", block=security[0].block)
    log.end(security[0].id, "FAIL", "no")
    assert not next(r for r in readiness(log.model())["CSMS"] if r.profile == "Advanced Security").ready


def test_block_use_case_matrix_links_the_cases() -> None:
    html = render(mixed_log().model())
    matrix = html[html.index('id="matrix"'):html.index('id="index"')]
    for letter in "ABCDEFGHIJKLMNOP":
        assert f'<span class="blk-letter">{letter}</span>' in matrix
    b01 = re.search(r'<div class="uc v-(\w+)" title="B01[^"]*">.*?</div></div>', matrix)
    assert b01 and b01[1] == "pass" and 'href="#TC_B_01_CS"' in b01[0]
    b06 = re.search(r'<div class="uc v-(\w+)" title="B06[^"]*">.*?</div></div>', matrix)
    assert b06 and b06[1] == "fail" and 'href="#TC_B_06_CS"' in b06[0]


def test_matrix_shows_the_suites_coverage_per_block_apart_from_what_ran() -> None:
    log = Log()
    log.session("station", implemented=["TC_B_01_CS", "TC_B_06_CS", "TC_P_01_CS", "TC_B_01_CSMS"])
    passing_case(log, "TC_B_01_CS")
    html = render(log.model())
    matrix = html[html.index('id="matrix"'):html.index('id="index"')]
    rows = dict((letter, (implemented, run)) for letter, implemented, run in re.findall(
        r'<span class="blk-letter">(\w)</span>[^<]*</th><td class="num">([^<]*)</td><td class="num">([^<]*)</td>',
        matrix))
    # station role only: the CSMS case does not count; B has 48 station cases in Part 6, P has 3
    assert rows["B"] == ("2 / 48", "1")
    assert rows["P"] == ("1 / 3", "0")
    assert rows["A"][0].startswith("0 / ") and rows["A"][1] == "0"


def test_failures_list_names_the_check_and_requirements() -> None:
    html = render(mixed_log().model())
    failures = html[html.index('id="failures"'):html.index('id="readiness"')]
    row = re.search(r'<tr data-verdict="FAIL"[^>]*>.*?</tr>', failures)
    assert row
    assert 'href="#TC_B_06_CS"' in row[0]
    assert "one getVariableResult per getVariableData entry" in row[0]
    assert "B06.FR.01" in row[0]
    for case_id in ("TC_C_01_CS", "TC_E_01_CS", "TC_B_02_CS"):
        assert f'href="#{case_id}"' in failures
    assert "TC_B_01_CS" not in failures and "TC_K_01_CS" not in failures


def test_filter_bar_and_filterable_rows() -> None:
    html = render(mixed_log().model())
    bar = html[html.index('<nav class="toolbar"'):html.index("</nav>")]
    for verdict in ("PASS", "FAIL", "INCONCLUSIVE", "ERROR", "NOT APPLICABLE", NOT_FINISHED):
        assert f'data-f="verdict" value="{verdict}" checked' in bar
    for block in "BCEK":
        assert f'data-f="block" value="{block}" checked' in bar
    assert 'id="expand"' in bar and 'id="collapse"' in bar
    assert "@media print" in html
    # summary rows (case index, failures) and case sections carry the filter attributes
    assert len(re.findall(r'<tr data-verdict="', html)) == 6 + 4


def test_user_data_is_escaped() -> None:
    log = Log(run_id=XSS)
    log.session()
    case = "TC_B_07_CS"
    log.start(case, title=XSS, block="B", use_cases=[XSS], requirements=[XSS])
    log.frame(case, "in", "CALL", XSS, {"text": XSS, XSS: 1}, message_id=XSS)
    log.frame(case, "in", "CALL", "DataTransfer", {"vendorId": XSS}, valid=False,
              violations=[{"path": XSS, "keyword": XSS, "message": XSS}], error=XSS)
    log.add("action", case, action=XSS, params={"p": XSS}, backend=XSS, call=1, status="started")
    log.add("action", case, action=XSS, params={"p": XSS}, backend=XSS, call=1, status="failed", reason=XSS)
    log.add("wait", case, reason=XSS, seconds=1)
    log.add("note", case, level=XSS, message=XSS)
    log.check(case, XSS, False, expected=XSS, actual=XSS, requirements=[XSS], detail=XSS)
    log.end(case, "FAIL", XSS)
    html = render(log.model())
    assert "<script>alert" not in html
    assert html.count("<script") == 1  # the report's own
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_no_external_resources() -> None:
    html = render(mixed_log().model())
    assert not re.search(r"(?:src|href|action)\s*=\s*[\"']?\s*(?:https?:)?//", html, re.IGNORECASE)
    assert "http://" not in html and "https://" not in html
    assert not re.search(r"<link\b|@import|url\(|<script\s+src|<iframe|<img\b", html, re.IGNORECASE)


def test_deterministic() -> None:
    events = mixed_log().events
    first = render(build_model(events))
    second = render(build_model([dict(e) for e in events]))
    assert first == second


def test_render_html_writes_one_file(tmp_path: Path) -> None:
    model = mixed_log().model()
    path = render_html(model, decide(model), tmp_path / "deep" / "report.html")
    assert path == tmp_path / "deep" / "report.html"
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in path.parent.iterdir()) == ["report.html"]
    again = render_html(model, decide(model), tmp_path / "again.html")
    assert again.read_bytes() == path.read_bytes()


def test_sparse_logs_render() -> None:
    """An empty log, or events without clocks and with unknown verdicts, still give a report."""
    empty = build_model([])
    html = render(empty)
    assert "No case was run." in html and '<span class="result r-error">ERROR</span>' in html
    sparse = build_model([{"kind": "case_start", "case": "X1"},
                          {"kind": "frame", "case": "X1", "direction": "in", "payload": [1, 2]},
                          {"kind": "check", "case": "X1", "passed": False},
                          {"kind": "case_end", "case": "X1", "verdict": "WEIRD"}])
    html = render(sparse)
    assert '<span class="badge v-other">WEIRD</span>' in html
    assert len(re.findall(r'<g class="step frame', sequence_svg(sparse.cases["X1"]))) == 1


def test_250_cases_render_quickly(record_property: pytest.RecordProperty) -> None:
    log = Log()
    log.session()
    blocks = "ABCDEFGHIJKLMNOP"
    for number in range(250):
        block = blocks[number % len(blocks)]
        case = f"TC_{block}_{number:03d}_CS"
        log.start(case, block=block, use_cases=[f"{block}{number % 7:02d}"])
        for _ in range(10):
            log.exchange(case, "StatusNotification", {"connectorStatus": "Available", "evseId": 1, "connectorId": 1},
                         {})
            log.check(case, "StatusNotificationRequest: connectorStatus")
        if number % 10 == 3:
            log.check(case, "a thing", False, expected="1", actual="2")
            log.end(case, "FAIL", "a thing")
        else:
            log.end(case, "PASS")
    model = log.model()
    started = time.perf_counter()
    html = render(model)
    elapsed = time.perf_counter() - started
    record_property("render_seconds_250_cases", round(elapsed, 3))
    print(f"250 cases, 5000 frames: {elapsed:.2f} s, {len(html) / 1e6:.1f} MB")
    assert html.count('<section class="case v-') == 250
    assert html.count('class="step failing"') == 25
    assert "and 15 more" in html  # the deciding cases beyond the first 10 are folded
    assert html.count('<li><a class="cid" href="#TC_') >= 25


# --------------------------------------------------------------------------------------------
# Real runs against the reference SUTs
# --------------------------------------------------------------------------------------------


def _run(tmp_path_factory: pytest.TempPathFactory, name: str, *args: str):
    run_dir = tmp_path_factory.mktemp(name) / "run"
    proc = subprocess.run([sys.executable, "-m", "conformance.cli", "run", "--run-dir", str(run_dir), *args],
                          check=False, cwd=REPO, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    return load_model(run_dir), proc.returncode


@pytest.fixture(scope="module")
def passing_run(tmp_path_factory: pytest.TempPathFactory):
    # a small selection (boot, a transaction, a remote control case): this tests the report, not the suite,
    # whose full reference run takes minutes (tests/test_conformance_run.py runs it)
    return _run(tmp_path_factory, "pass", "--role", "station", "--case", "TC_B_01_CS", "--case", "TC_B_06_CS",
                "--case", "TC_E_01_CS", "--case", "TC_F_06_CS")


@pytest.fixture(scope="module")
def failing_run(tmp_path_factory: pytest.TempPathFactory):
    # two cases only: the counts below are theirs, whatever else is implemented
    return _run(tmp_path_factory, "fail", "--role", "station", "--case", "TC_B_01_CS", "--case", "TC_B_06_CS",
                "--fault", "boot_skips_connector_status")


def test_real_passing_run(passing_run) -> None:
    model, code = passing_run
    assert code == 0
    outcome = decide(model)
    html = render(model, outcome)
    passed = [c for c in model.cases.values() if c.verdict == "PASS"]
    assert {c.verdict for c in model.cases.values()} <= {"PASS", "NOT APPLICABLE"}
    assert tile_count(html, "PASS") == len(passed) >= 2
    assert '<span class="result r-pass">PASSED</span>' in html
    for case in passed:
        section = section_of(html, case.id)
        svg = section[section.index("<svg"):section.index("</svg>")]
        assert len(re.findall(r'<g class="step frame', svg)) == len(case.frames) > 0
        assert section.count('<td class="num">') >= len(case.frames)
    assert "OpenConformance" in html and "RefStation-1" in html
    assert html == render(load_model_again(model), outcome)


def load_model_again(model):
    return build_model([dict(e) for e in model.events])


def test_real_failing_run(failing_run, tmp_path: Path) -> None:
    model, code = failing_run
    assert code == 1
    path = render_html(model, decide(model), tmp_path / "report.html")
    html = path.read_text(encoding="utf-8")
    assert tile_count(html, "FAIL") == 1 and tile_count(html, "PASS") == 1
    assert "NEGATIVE-CONTROL RUN" in html and "<code>boot_skips_connector_status</code>" in html
    section = section_of(html, "TC_B_01_CS")
    assert '<details class="case-d" open>' in section
    case = model.cases["TC_B_01_CS"]
    svg = section[section.index("<svg"):section.index("</svg>")]
    assert len(re.findall(r'<g class="step frame', svg)) == len(case.frames)
    marker = re.search(r'<g class="step failing" id="TC_B_01_CS-failing">.*?</g>', svg, re.DOTALL)
    assert marker and "a connector status report arrives for every connector" in marker[0]
    assert 'id="TC_B_01_CS-check-failing"' in section
    assert "B01.FR.05" in section
    assert "&quot;vendorName&quot;: &quot;OpenConformance&quot;" in section  # the wire log payload
    assert ">Harness (CSMS)<" in svg and ">Charging Station (SUT)<" in svg
    ready = html[html.index('id="readiness"'):html.index('id="matrix"')]
    assert '<th scope="row">Core</th>' in ready and "1 failed" in ready
    assert html == render(load_model_again(model))
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//", html, re.IGNORECASE)


def test_case_index_shows_each_cases_negative_controls_and_which_is_switched_on() -> None:
    from conformance.reporting.html import html_report as render
    from conformance.reporting.model import build_model as build
    from conformance.reporting.summary import decide as judge

    events = [
        {"kind": "session_start", "wall": 1.0, "mono": 1.0, "case": None, "role": "station",
         "faults": ["boot_skips_connector_status"]},
        {"kind": "case_start", "wall": 1.0, "mono": 1.0, "case": "TC_B_01_CS", "title": "t", "role": "CS",
         "block": "B", "negative_controls": ["boot_skips_connector_status", "boot_without_reason"]},
        {"kind": "case_end", "wall": 2.0, "mono": 2.0, "case": "TC_B_01_CS", "verdict": "FAIL", "message": "m"},
    ]
    model = build(events)
    assert model.cases["TC_B_01_CS"].negative_controls == ["boot_skips_connector_status", "boot_without_reason"]
    page = render(model, judge(model))
    assert '<code class="fault on" title="switched on in this run">boot_skips_connector_status</code>' in page
    assert '<code class="fault" title="a fault that must make it FAIL">boot_without_reason</code>' in page
