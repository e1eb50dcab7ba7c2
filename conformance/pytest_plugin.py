"""The pytest plugin (registered through the ``pytest11`` entry point).

It is inert unless a run is configured (``--ocpp-role`` or ``--ocpp-config``): the project's
own tests load it too. When active it

* loads and validates the SUT configuration before anything runs (a bad config is a usage
  error with the key and the reason, never a traceback);
* starts the transport for the run: the harness CSMS server when the SUT is a Charging
  Station, and the built-in reference SUT when ``reference = true``;
* gives cases their fixtures: ``station`` (:class:`ChargingStationUnderTest`) and ``csms``
  (:class:`CsmsUnderTest`);
* marks cases by case id, block, use case, profile and requirement, deselects cases of the
  other role, and skips those the PICS excludes with "not applicable: <condition>";
* bounds each case by ``timing.case_time_limit`` and maps what ended it to a verdict
  (PASS, FAIL, INCONCLUSIVE, NOT APPLICABLE, ERROR), recorded in the event log; a failed
  ``check`` event of the case decides too (HELPERS contract 1): a case that raised nothing but
  has failed checks is FAIL, and the message lists every failed check;
* records which cases were selected (``session_start`` ``selected``), so that a run that is
  killed renders the cases that never ran as NOT FINISHED;
* before each case checks that the SUT is still in the state a case starts from
  (:mod:`conformance.harness.sut_state`); when it cannot be restored the case and the
  remaining ones are INCONCLUSIVE "the SUT stopped answering after TC_x" and the run stops,
  unless ``--ocpp-keep-going``.
"""

from __future__ import annotations

import inspect
import sys
import time
import os
from pathlib import Path
from typing import Any, AsyncIterator

import pytest
import pytest_asyncio

from .roles import Role
from .config import Config, ConfigError
from .harness.case import CaseMeta, case_of
from .harness.context import RunContext, new_run_id
from .session import (begin_run, begin_session, bounded, build_config, csms_under_test, end_case,
                              end_session, failed_checks, judged, not_applicable_reason, record_failed_check,
                              record_not_run, run_session, session_data, start_case, station_under_test, verdict_of)
from .harness.sides import ChargingStationUnderTest, CsmsUnderTest
from .harness.sut_state import SutState, SutUnavailable
from .outcomes import CheckFailed, LocalError, NotApplicable, Verdict
from .recording import EventLog

_CONFIG_KEY = pytest.StashKey[Config]()
_VERDICT_KEY = pytest.StashKey[dict]()
_RUN_DIR_KEY = pytest.StashKey[Path]()
_LOG_KEY = pytest.StashKey[EventLog]()
_SESSION_KEY = pytest.StashKey[dict]()  # the session_start event's data until collection says what is selected
_STATE_KEY = pytest.StashKey[SutState]()
_START_KEY = pytest.StashKey[float]()  # the monotonic time of the case's case_start


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("ocpp-conformance")
    group.addoption("--ocpp-config", help="SUT configuration file (TOML)")
    group.addoption("--ocpp-role", choices=["station", "csms"],
                    help="the SUT's role: station (a Charging Station) or csms")
    group.addoption("--ocpp-set", action="append", default=[], metavar="KEY=VALUE",
                    help="override a configuration key, e.g. timing.message_timeout=5 (repeatable)")
    group.addoption("--ocpp-fault", action="append", default=[], metavar="NAME",
                    help="switch on a named fault in the reference SUT (negative control; repeatable)")
    group.addoption("--ocpp-without-feature", action="append", default=[], metavar="FEATURE",
                    help="declare the SUT without this Part 5 feature (e.g. C-13); the reference SUT then behaves "
                         "as a product without it (repeatable)")
    group.addoption("--ocpp-run-dir", help="where the run's event log and results go (default reports/<run-id>)")
    group.addoption("--ocpp-strict", action="store_true", help="accept only the preferred CALLERROR codes")
    group.addoption("--ocpp-progress", action="store_true",
                    help="one live progress line in a terminal (plain lines otherwise) instead of pytest's dots")
    group.addoption("--ocpp-keep-going", action="store_true",
                    help="when the SUT cannot be brought back to the state a case starts from, still try every "
                         "remaining case (default: they are INCONCLUSIVE and the run stops)")
    group.addoption("--ocpp-block", action="append", default=[], metavar="LETTER",
                    help="only the cases of this functional block, e.g. G (repeatable; same as -m block_g)")
    group.addoption("--ocpp-no-render", action="store_true",
                    help="do not render report.html, junit.xml and summary.json at the end (`ocpp-conformance run` "
                         "renders them once for all roles)")
    group.addoption("--ocpp-no-preflight", action="store_true",
                    help="skip the pre-flight checks (conformance/preflight.py; `ocpp-conformance run` did them)")


def _active(config: pytest.Config) -> bool:
    return bool(config.getoption("--ocpp-role") or config.getoption("--ocpp-config"))


def pytest_configure(config: pytest.Config) -> None:
    for name, doc in (("ocpp_case(id)", "OCPP Part 6 test case id"), ("ocpp_block(letter)", "functional block"),
                      ("ocpp_use_case(id)", "use case id"), ("ocpp_profile(name)", "certification profile"),
                      ("ocpp_requirement(id)", "requirement id")):
        config.addinivalue_line("markers", f"{name}: {doc}")
    _register_value_markers(config)
    if not _active(config):
        return
    try:
        cfg = build_config(config.getoption("--ocpp-config"), role=config.getoption("--ocpp-role"),
                           overrides=config.getoption("--ocpp-set"), faults=config.getoption("--ocpp-fault"),
                           without=config.getoption("--ocpp-without-feature"),
                           strict=config.getoption("--ocpp-strict"))
    except (ConfigError, ValueError) as exc:
        raise pytest.UsageError(f"invalid ocpp-conformance configuration:\n{exc}") from None
    unsupported = cfg.unsupported()
    if unsupported:
        raise pytest.UsageError("not supported yet:\n" + "\n".join(unsupported))
    if _xdist_controller(config) and not cfg.reference:
        raise pytest.UsageError("a real SUT (reference = false) is tested by one harness: run the cases in one "
                                "process (-n 0); pytest-xdist would start one harness per worker")
    _preflight(config, cfg)
    config.stash[_CONFIG_KEY] = cfg
    run_dir = _shared_run_dir(config) or Path(config.getoption("--ocpp-run-dir") or Path("reports") / new_run_id())
    config.stash[_RUN_DIR_KEY] = run_dir
    log_path = run_dir / "events.jsonl"
    first = not log_path.exists() or log_path.stat().st_size == 0
    log = EventLog(log_path, secrets=cfg.secrets)
    if first:  # the roles of one run append to one log; the first writer describes the run
        begin_run(log, run_dir.name)
    if _xdist_controller(config):  # the workers run the cases and write their sessions into this one run
        log.close()
        return
    from .harness.case import discover
    sut_role = Role.of(cfg.role)
    implemented = (case_id for case_id, meta in discover().items() if meta.role == sut_role)
    # emitted once collection has said which cases are selected (pytest_collection_finish)
    config.stash[_SESSION_KEY] = session_data(cfg, implemented)
    config.stash[_LOG_KEY] = log
    config.stash[_STATE_KEY] = SutState(keep_going=bool(config.getoption("--ocpp-keep-going")))
    if config.getoption("--ocpp-progress"):
        config.pluginmanager.register(Progress(config), "ocpp-progress")


def _preflight(config: pytest.Config, cfg: Config) -> None:
    """Before any case: the harness can listen / reach the SUT and the action backend answers
    (conformance/preflight.py); once per run, in the controller, not in xdist workers."""
    if config.getoption("--ocpp-no-preflight") or hasattr(config, "workerinput"):
        return
    from .preflight import PreflightFailed, preflight
    try:
        preflight(cfg)
    except PreflightFailed as exc:
        raise pytest.UsageError(f"pre-flight check failed: {exc}") from None


class Progress:
    """The current case, counts so far and elapsed time: one live line in a terminal, one plain
    line per finished case otherwise (CI logs)."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.started = time.monotonic()
        self.counts: dict[str, int] = {}
        self.done = 0
        self.total = 0
        self.live = sys.stdout.isatty() and not os.environ.get("CI")
        # One duration per case: the one the report shows (case_start to case_end in the event log, the
        # case's own setup included), not pytest's call phase alone.
        self.case_started: dict[str, float] = {}
        self.case_durations: dict[str, float] = {}
        log = config.stash.get(_LOG_KEY, None)
        if log is not None:
            log.subscribe(self._on_event)

    def _on_event(self, event: Any) -> None:
        if event.kind == "case_start" and event.case:
            self.case_started[event.case] = event.mono
        elif event.kind == "case_end" and event.case:
            self.case_durations[event.case] = event.mono - self.case_started.get(event.case, event.mono)

    def _writer(self) -> Any:
        return self.config.pluginmanager.getplugin("terminalreporter")

    def _status(self) -> str:
        counts = " ".join(f"{n} {v}" for v, n in sorted(self.counts.items())) or "-"
        elapsed = time.monotonic() - self.started
        return f"[{self.done}/{self.total}] {counts} | {int(elapsed // 60):02d}:{elapsed % 60:04.1f}"

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.total = len(session.items)

    def pytest_runtest_logstart(self, nodeid: str, location: Any) -> None:
        writer = self._writer()
        if self.live and writer is not None:
            writer.rewrite(f"{self._status()} running {nodeid.rsplit('::', 1)[-1]}", erase=True)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        verdict = getattr(report, "ocpp_verdict", None)
        if verdict is None or (report.when == "teardown" and report.passed):
            return
        if report.when == "setup" and verdict == Verdict.PASS.value:
            return
        self.done += 1
        self.counts[verdict] = self.counts.get(verdict, 0) + 1
        writer = self._writer()
        if writer is None:
            return
        case = dict(report.user_properties).get("ocpp_case", report.nodeid)
        duration = self.case_durations.get(case, report.duration)
        line = f"{case:<16} {verdict:<14} {duration:7.3f}s  {self._status()}"
        if self.live:
            writer.rewrite(line, erase=True)
            writer.write("\n")
        else:
            writer.write_line(line)

    @pytest.hookimpl(tryfirst=True)
    def pytest_report_teststatus(self, report: pytest.TestReport, config: pytest.Config) -> Any:
        if getattr(report, "ocpp_verdict", None) is not None or report.when == "call":
            category = {"INCONCLUSIVE": "inconclusive", "NOT APPLICABLE": "not applicable"}.get(
                getattr(report, "ocpp_verdict", ""), report.outcome)
            return category, "", ""
        return None


def _emit_session_start(config: pytest.Config, selected: list[str] | None) -> None:
    data = config.stash.get(_SESSION_KEY, None)
    if data is None:
        return
    del config.stash[_SESSION_KEY]
    begin_session(config.stash[_LOG_KEY], config.stash[_CONFIG_KEY], data, selected)


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    """The selection is final (-k, -m, the role's cases): the session's cases, in the order they will run."""
    if session.config.stash.get(_LOG_KEY, None) is None:
        return
    selected = [meta.id for meta in (case_of(getattr(i, "function", None)) for i in session.items) if meta]
    _emit_session_start(session.config, selected)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    state = session.config.stash.get(_STATE_KEY, None)
    if state is not None and state.broken and session.shouldstop and exitstatus == pytest.ExitCode.INTERRUPTED:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED  # stopped on purpose: the cases say why, no crash


def pytest_unconfigure(config: pytest.Config) -> None:
    log = config.stash.get(_LOG_KEY, None)
    if log is not None:
        _emit_session_start(config, None)  # collection never finished: the log still says what the session was
        end_session(log, config.stash[_CONFIG_KEY])
    _render_reports(config)


# --------------------------------------------------------------------------- pytest as users know it
#: Markers selecting by value: ``-m block_g``, ``-m "profile_core and not block_p"``.
def _marker_name(prefix: str, value: str) -> str:
    return prefix + "_" + "".join(c if c.isalnum() else "_" for c in value.lower()).strip("_")


def _register_value_markers(config: pytest.Config) -> None:
    from .catalog import PROFILES

    for letter in (*"ABCDEFGHIJKLMNOP", "OCPPJ"):  # OCPPJ: our own cases of Part 4's RPC rules
        config.addinivalue_line("markers", f"{_marker_name('block', letter)}: the cases of functional block {letter}")
    for profile in PROFILES:
        config.addinivalue_line("markers", f"{_marker_name('profile', profile)}: the cases of the {profile} profile")


def _add_value_markers(item: pytest.Item, meta: CaseMeta) -> None:
    item.add_marker(_marker_name("block", meta.block))
    for p in meta.profiles:
        item.add_marker(_marker_name("profile", p.profile))


def _xdist_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def _xdist_controller(config: pytest.Config) -> bool:
    return not _xdist_worker(config) and getattr(config.option, "dist", "no") != "no"


def _shared_run_dir(config: pytest.Config) -> Path | None:
    """In an xdist worker: the run folder the controller chose (one run, not one folder per worker)."""
    shared = getattr(config, "workerinput", {}).get("ocpp_run_dir")
    return Path(shared) if shared else None


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """xdist controller, per worker: hand over the run folder."""
    run_dir = node.config.stash.get(_RUN_DIR_KEY, None)
    if run_dir is not None:
        node.workerinput["ocpp_run_dir"] = str(run_dir)


def _render_reports(config: pytest.Config) -> None:
    """A configured pytest run renders what ``ocpp-conformance run`` renders (report.html, junit.xml,
    summary.json), once, in the process that is not an xdist worker."""
    run_dir = config.stash.get(_RUN_DIR_KEY, None)
    if run_dir is None or _xdist_worker(config) or config.getoption("--ocpp-no-render"):
        return
    if not (run_dir / "events.jsonl").exists():
        return
    from .reporting.model import load_model
    from .reporting.render import render_all
    from .reporting.summary import decide, terminal_table

    model = load_model(run_dir)
    outcome = decide(model)
    report = render_all(model, outcome, run_dir)
    print("\n" + terminal_table(model, outcome, report), flush=True)


def _no_run_configured(config: pytest.Config, cases: int, others: int) -> None:
    """Test cases were collected, but no run is configured: say how to choose one."""
    how = ("the OCPP test cases need a run: --ocpp-role station or --ocpp-role csms (the built-in reference SUT), "
           "or --ocpp-config my-sut.toml (docs/configuration.md); or use `ocpp-conformance run`")
    if not others:
        raise pytest.UsageError(f"{cases} test case(s) collected, none can run: {how}")
    reporter = config.pluginmanager.getplugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"ocpp-conformance: {cases} test case(s) deselected: {how}", yellow=True)


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    cfg = config.stash.get(_CONFIG_KEY, None)
    keep, drop = [], []
    for item in items:
        meta = case_of(getattr(item, "function", None))
        if meta is None:
            keep.append(item)
            continue
        item.add_marker(pytest.mark.ocpp_case(meta.id))
        item.add_marker(pytest.mark.ocpp_block(meta.block))
        for uc in meta.use_cases:
            item.add_marker(pytest.mark.ocpp_use_case(uc))
        for p in meta.profiles:
            item.add_marker(pytest.mark.ocpp_profile(p.profile))
        for r in meta.requirements:
            item.add_marker(pytest.mark.ocpp_requirement(r))
        _add_value_markers(item, meta)
        blocks = {b.upper() for b in config.getoption("--ocpp-block")}
        if cfg is None or meta.sut_role != cfg.role or (blocks and meta.block not in blocks):
            drop.append(item)  # a case for the other role, or no run configured
        else:
            if inspect.iscoroutinefunction(item.obj):
                item.obj = bounded(item.obj, meta)
            keep.append(item)
    if drop:
        if cfg is None:
            _no_run_configured(config, len(drop), len(keep))
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


# --------------------------------------------------------------------------- the run
@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def ocpp_run(request: pytest.FixtureRequest) -> AsyncIterator[RunContext]:
    """Everything a run shares; started once, torn down at the end."""
    cfg = request.config.stash.get(_CONFIG_KEY, None)
    if cfg is None:
        pytest.skip("no ocpp-conformance run configured (--ocpp-role / --ocpp-config)")
    run_dir = request.config.stash[_RUN_DIR_KEY]
    log = request.config.stash[_LOG_KEY]
    async with run_session(cfg, log, run_dir) as ctx:
        yield ctx


@pytest_asyncio.fixture(loop_scope="session")
async def station(ocpp_run: RunContext, request: pytest.FixtureRequest) -> AsyncIterator[ChargingStationUnderTest]:
    """The Charging Station under test, connected to the harness CSMS (general precondition:
    connected and accepted)."""
    _start_case(ocpp_run, request)
    async with station_under_test(ocpp_run, request.config.stash[_STATE_KEY]) as sut:
        yield sut


@pytest_asyncio.fixture(loop_scope="session")
async def csms(ocpp_run: RunContext, request: pytest.FixtureRequest) -> AsyncIterator[CsmsUnderTest]:
    """The CSMS under test; the harness plays the configured station(s)."""
    _start_case(ocpp_run, request)
    # the harness stations stay connected for the next case; the last CSMS case of the session closes
    items = request.session.items
    later = items[items.index(request.node) + 1:] if request.node in items else []
    last = not any("csms" in getattr(i, "fixturenames", ()) for i in later)
    async with csms_under_test(ocpp_run, request.config.stash[_STATE_KEY], last=last) as sut:
        yield sut


# --------------------------------------------------------------------------- per case
def pytest_runtest_setup(item: pytest.Item) -> None:
    meta = case_of(getattr(item, "function", None))
    cfg = item.config.stash.get(_CONFIG_KEY, None)
    if meta is None or cfg is None:
        return
    reason = not_applicable_reason(meta, cfg)
    if reason is not None:
        raise NotApplicable(reason)


def _start_case(ctx: RunContext, request: pytest.FixtureRequest) -> None:
    meta = case_of(getattr(request.node, "function", None))
    if meta is None:
        return
    request.node.stash[_START_KEY] = start_case(ctx.log, meta, request.node.nodeid)


def _verdict_of(call: pytest.CallInfo[Any]) -> tuple[Verdict, str]:
    if call.excinfo is not None and isinstance(call.excinfo.value, pytest.skip.Exception):
        return Verdict.SKIPPED, str(call.excinfo.value)
    return verdict_of(call.excinfo.value if call.excinfo is not None else None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Any:
    report = yield
    meta = case_of(getattr(item, "function", None))
    if meta is None or item.config.stash.get(_CONFIG_KEY, None) is None:
        return report
    log = item.config.stash[_LOG_KEY]
    if call.excinfo is not None:  # other reporters (Allure) format the exception itself: redact it too
        exc_value = call.excinfo.value
        exc_value.args = tuple(log.redact_text(a) if isinstance(a, str) else a for a in exc_value.args)
    verdict, message = _verdict_of(call)
    previous = item.stash.get(_VERDICT_KEY, None)
    if call.when == "teardown" and (verdict == Verdict.PASS or previous is not None):
        return report
    exc = call.excinfo.value if call.excinfo is not None else None
    record_failed_check(log, exc)
    if call.when == "setup" and verdict == Verdict.PASS:
        return report
    verdict, message = judged(verdict, message, failed_checks(log, meta.id, item.stash.get(_START_KEY, None)))
    message = log.redact_text(message)
    if verdict == Verdict.NOT_APPLICABLE:
        report.outcome = "skipped"
        report.longrepr = (str(item.path), item.location[1] or 0, f"not applicable: {message}")
    elif verdict == Verdict.INCONCLUSIVE:
        report.outcome = "failed"
        report.longrepr = f"INCONCLUSIVE: {message}"
    elif verdict == Verdict.FAIL and (exc is None or isinstance(exc, CheckFailed) or not isinstance(
            exc, AssertionError)):
        report.outcome = "failed"
        report.longrepr = f"FAIL: {message}"
    elif verdict == Verdict.ERROR and isinstance(exc, LocalError):
        report.longrepr = f"{verdict.value}: {message}"
    item.stash[_VERDICT_KEY] = {"verdict": verdict, "message": message}
    report.user_properties.append(("ocpp_verdict", verdict.value))
    report.user_properties.append(("ocpp_case", meta.id))
    report.ocpp_verdict = verdict.value  # type: ignore[attr-defined]
    _record_end(item, meta, verdict, message, report.duration, call.when)
    _after_case(item, meta, exc)
    # Allure results (conformance/reporting/allure.py): labels, links, steps and attachments from
    # the event log onto allure-pytest's test result (its listener exists only with --alluredir).
    if item.config.pluginmanager.has_plugin("allure_listener"):
        from .reporting.allure import record_case
        record_case(item, meta, verdict.value, item.config.stash[_LOG_KEY])
    return report


def _after_case(item: pytest.Item, meta: CaseMeta, exc: BaseException | None) -> None:
    """Keep the SUT state (:class:`SutState`) up to date; when the pre-case check could not restore it, stop the
    run (unless --ocpp-keep-going) and record every case that will not run."""
    state = item.config.stash[_STATE_KEY]
    if isinstance(exc, NotApplicable):
        return  # nothing was sent: says nothing about the SUT
    if not isinstance(exc, SutUnavailable):
        state.case_ended(meta.id, exc)
        return
    if state.keep_going:
        return
    reason = state.broken or str(exc)
    item.session.shouldstop = f"{reason} (--keep-going runs the remaining cases anyway)"
    items = item.session.items
    # an xdist worker does not know which of the remaining items are its own: those stay NOT FINISHED
    rest = items[items.index(item) + 1:] if item in items and not _xdist_worker(item.config) else []
    metas = ((case_of(getattr(other, "function", None)), other.nodeid) for other in rest)
    record_not_run(item.config.stash[_LOG_KEY], item.config.stash[_CONFIG_KEY],
                   [(meta, nodeid) for meta, nodeid in metas if meta is not None], reason)


def _record_end(item: pytest.Item, meta: CaseMeta, verdict: Verdict, message: str, duration: float,
                when: str) -> None:
    end_case(item.config.stash[_LOG_KEY], meta, verdict, message, duration, when, item.nodeid)


def pytest_report_teststatus(report: pytest.TestReport, config: pytest.Config) -> Any:
    verdict = getattr(report, "ocpp_verdict", None)
    if verdict == Verdict.INCONCLUSIVE.value and report.when in ("call", "setup"):
        return "inconclusive", "I", "INCONCLUSIVE"
    if verdict == Verdict.NOT_APPLICABLE.value and report.when in ("call", "setup"):
        return "not applicable", "n", "NOT APPLICABLE"
    return None
