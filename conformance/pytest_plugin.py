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

import asyncio
import contextlib
import functools
import inspect
import sys
import time
import os
import platform
from pathlib import Path
from typing import Any, AsyncIterator

import pytest
import pytest_asyncio

from . import SPEC_EDITION, __version__
from .actions.port import ActionFailed, ActionPort
from .actions import make_backend
from .catalog import CATALOG_VERSION
from .config import Config, ConfigError, load_config
from .harness.applicability import applicability
from .harness.case import CaseMeta, case_of
from .harness.context import RunContext, current, new_run_id, set_current
from .harness.sides import ChargingStationUnderTest, CsmsUnderTest, csms_default_handler
from .harness.sut_state import SutState, SutUnavailable, csms_state, station_state
from .outcomes import CheckFailed, HarnessError, Inconclusive, NotApplicable, Verdict, describe_failed_checks
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
    overrides = list(config.getoption("--ocpp-set"))
    faults = config.getoption("--ocpp-fault")
    if faults:
        overrides.append("faults=[" + ",".join(f'"{f}"' for f in faults) + "]")
    if config.getoption("--ocpp-strict"):
        overrides.append("strict=true")
    try:
        cfg = load_config(config.getoption("--ocpp-config"), overrides=overrides,
                          role=config.getoption("--ocpp-role"))
        if cfg.reference and faults:
            from .reference.faults import FaultSet
            FaultSet(cfg.faults, sut=cfg.role)
        without = frozenset(config.getoption("--ocpp-without-feature"))
        if without:
            cfg = cfg.without_features(without)
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
    if _xdist_controller(config):  # the workers run the cases and write their sessions into this one run
        if first:
            log.emit("run_start", run_id=run_dir.name, suite_version=__version__, spec=SPEC_EDITION,
                     catalog_version=CATALOG_VERSION, host=platform.node(), python=platform.python_version())
        log.close()
        return
    if first:  # the roles of one run append to one log; the first writer describes the run
        log.emit("run_start", run_id=run_dir.name, suite_version=__version__, spec=SPEC_EDITION,
                 catalog_version=CATALOG_VERSION, host=platform.node(), python=platform.python_version())
    from .harness.case import discover
    sut_role = "CS" if cfg.role == "station" else "CSMS"
    implemented = sorted(case_id for case_id, meta in discover().items() if meta.role == sut_role)
    # emitted once collection has said which cases are selected (pytest_collection_finish)
    config.stash[_SESSION_KEY] = dict(role=cfg.role, sut_name=cfg.name, reference=cfg.reference,
                                      faults=list(cfg.faults), strict=cfg.strict, config=cfg.to_dict(redact=True),
                                      pid=os.getpid(), implemented=implemented)
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
    log, cfg = config.stash[_LOG_KEY], config.stash[_CONFIG_KEY]
    log.emit("session_start", **data, **({"selected": selected} if selected is not None else {}))
    if cfg.role == "csms":
        log.emit("sut_identity", identity=cfg.name, url=cfg.connection.csms_url if not cfg.reference else "reference")


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
        log.current_case = None
        log.emit("session_end", role=config.stash[_CONFIG_KEY].role)
        log.close()
    _render_reports(config)


# --------------------------------------------------------------------------- pytest as users know it
#: Markers selecting by value: ``-m block_g``, ``-m "profile_core and not block_p"``.
def _marker_name(prefix: str, value: str) -> str:
    return prefix + "_" + "".join(c if c.isalnum() else "_" for c in value.lower()).strip("_")


def _register_value_markers(config: pytest.Config) -> None:
    from .catalog import PROFILES

    for letter in "ABCDEFGHIJKLMNOP":
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
                item.obj = _bounded(item.obj, meta)
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
    ctx_holder: dict[str, Any] = {}
    reference = None
    backend_target = None
    server = None
    csms_root = None  # station role on security profile 2: the harness's CSMS root (test PKI)
    try:
        if cfg.role == "station":
            from .transport.server import CsmsServer
            from .catalog import actions_handled_by
            conn = cfg.connection
            tls = csms_root = None
            if conn.security_profile >= 2:  # the reference setup only (Config.unsupported): a test PKI of its own
                from .transport.tls import issue_server, make_root, server_context
                csms_root = make_root("OCPP Conformance harness CSMS root")
                tls = server_context(issue_server(csms_root, [conn.listen_host]))
            server = CsmsServer(host=conn.listen_host, port=conn.listen_port, path=conn.path, log=log,
                                message_timeout=cfg.timing.scaled(cfg.timing.message_timeout),
                                passwords={conn.identity: conn.password}, security_profile=conn.security_profile,
                                handled_actions=actions_handled_by("CSMS"), ssl_context=tls,
                                max_frame_size=conn.max_frame_size,
                                default_handler_for=lambda identity: csms_default_handler(ctx_holder["ctx"]))
            await server.start()
            if cfg.reference:
                from .reference.faults import FaultSet
                from .reference.station import ReferenceStation
                reference = ReferenceStation(
                    csms_url=server.url, identity=conn.identity, password=conn.password,
                    evses=[(e.id, e.connectors) for e in cfg.evses], faults=FaultSet(cfg.faults, sut="station"),
                    features=cfg.pics.supported(),
                    message_timeout=cfg.timing.scaled(cfg.timing.message_timeout),
                    connect_timeout=cfg.timing.scaled(cfg.timing.connect_timeout))
                if csms_root is not None:  # shipped trusting the harness CSMS root, on security profile 2
                    reference.install_factory_csms_root(csms_root.certificate_pem)
                backend_target = reference
        elif cfg.reference:
            from .reference.csms import ReferenceCsms
            from .reference.faults import FaultSet
            conn = cfg.connection
            passwords = {conn.identity: conn.password, **{s.identity: s.password for s in conn.extra_stations}}
            tokens = {cfg.id_tokens.valid.id_token: "Accepted"}
            for name, status in (("blocked", "Blocked"), ("expired", "Expired"), ("invalid", "Invalid")):
                spec = getattr(cfg.id_tokens, name)
                if spec is not None:
                    tokens[spec.id_token] = status
            reference = ReferenceCsms(host="127.0.0.1", port=0, path="/ocpp", passwords=passwords,
                                      security_profile=conn.security_profile,
                                      faults=FaultSet(cfg.faults, sut="csms"), tokens=tokens,
                                      features=cfg.pics.supported(),
                                      heartbeat_interval=cfg.timing.heartbeat_interval,
                                      boot_retry_interval=cfg.timing.boot_retry_interval,
                                      message_timeout=cfg.timing.scaled(cfg.timing.message_timeout))
            await reference.start()
            cfg = cfg.with_csms_url(reference.url)
            backend_target = reference
        backend = make_backend(cfg.actions.backend, command=cfg.actions.command, url=cfg.actions.url,
                               headers=dict(cfg.actions.headers), target=backend_target)
        actions = ActionPort(backend, log, timeout=cfg.timing.scaled(cfg.timing.action_timeout), role=cfg.role)
        ctx = RunContext(config=cfg, log=log, run_dir=run_dir, actions=actions, server=server, reference=reference,
                         csms_root=csms_root)
        ctx_holder["ctx"] = ctx
        set_current(ctx)
        if reference is not None and cfg.role == "station":
            await reference.start()
        yield ctx
    finally:
        set_current(None)
        with contextlib.suppress(Exception):
            async with asyncio.timeout(5):
                if reference is not None:
                    await reference.stop()
                if server is not None:
                    await server.stop()


@pytest_asyncio.fixture(loop_scope="session")
async def station(ocpp_run: RunContext, request: pytest.FixtureRequest) -> AsyncIterator[ChargingStationUnderTest]:
    """The Charging Station under test, connected to the harness CSMS (general precondition:
    connected and accepted)."""
    _start_case(ocpp_run, request)
    sut = ChargingStationUnderTest(ocpp_run)
    await _sut_state(request, station_state(sut, request.config.stash[_STATE_KEY]))
    await sut.ensure_ready()
    sut.start_case()
    try:
        yield sut
    finally:
        ocpp_run.response_overrides.clear()


@pytest_asyncio.fixture(loop_scope="session")
async def csms(ocpp_run: RunContext, request: pytest.FixtureRequest) -> AsyncIterator[CsmsUnderTest]:
    """The CSMS under test; the harness plays the configured station(s)."""
    _start_case(ocpp_run, request)
    await _sut_state(request, csms_state(ocpp_run, request.config.stash[_STATE_KEY]))
    sut = CsmsUnderTest(ocpp_run)
    try:
        yield sut
    finally:  # the harness stations stay connected for the next case; the last CSMS case of the session closes
        items = request.session.items
        later = items[items.index(request.node) + 1:] if request.node in items else []
        await (sut.finish_case() if any("csms" in getattr(i, "fixturenames", ()) for i in later) else sut.close_all())


async def _sut_state(request: pytest.FixtureRequest, check: Any) -> None:
    """Run the pre-case state check (:mod:`conformance.harness.sut_state`) of a case."""
    state = request.config.stash[_STATE_KEY]
    await check
    state.broken = None  # (again) in a state cases start from


# --------------------------------------------------------------------------- per case
def pytest_runtest_setup(item: pytest.Item) -> None:
    meta = case_of(getattr(item, "function", None))
    cfg = item.config.stash.get(_CONFIG_KEY, None)
    if meta is None or cfg is None:
        return
    applies, reason = applicability(meta, cfg)
    if not applies:
        raise NotApplicable(reason)


def _bounded(original: Any, meta: CaseMeta) -> Any:
    """Bound a case by ``timing.case_time_limit``: a case never hangs the run."""

    @functools.wraps(original)
    async def bounded(*args: Any, **kwargs: Any) -> Any:
        ctx = current()
        timing = ctx.config.timing
        needed = meta.time_needed(timing) if meta.time_needed is not None else 0.0
        limit = ctx.scaled(max(timing.case_time_limit, needed))
        try:
            async with asyncio.timeout(limit) as scope:
                return await original(*args, **kwargs)
        except TimeoutError:
            if scope.expired():
                raise CheckFailed(f"the case completes within its time limit of {limit:g}s",
                                  expected=f"done within {limit:g}s", actual="time limit exceeded") from None
            raise

    return bounded


def _start_case(ctx: RunContext, request: pytest.FixtureRequest) -> None:
    meta = case_of(getattr(request.node, "function", None))
    if meta is None:
        return
    ctx.log.current_case = meta.id
    request.node.stash[_START_KEY] = ctx.log.emit(
        "case_start", title=meta.title, role=meta.role, block=meta.block, use_cases=list(meta.use_cases),
        requirements=list(meta.requirements), negative_controls=list(meta.faults), nodeid=request.node.nodeid).mono


def _text(value: Any) -> str | None:
    from .outcomes import plain  # the verdict's wording: no Python notation ("EVSE 2 connector 1")

    return None if value is None else plain(value)


def _verdict_of(call: pytest.CallInfo[Any]) -> tuple[Verdict, str]:
    if call.excinfo is None:
        return Verdict.PASS, ""
    exc = call.excinfo.value
    if isinstance(exc, NotApplicable):
        return Verdict.NOT_APPLICABLE, str(exc)
    if isinstance(exc, (Inconclusive, ActionFailed)):
        return Verdict.INCONCLUSIVE, str(exc)
    if isinstance(exc, CheckFailed):
        return Verdict.FAIL, str(exc)
    if isinstance(exc, AssertionError):
        return Verdict.FAIL, str(exc) or "assertion failed"
    if isinstance(exc, pytest.skip.Exception):
        return Verdict.SKIPPED, str(exc)
    if isinstance(exc, HarnessError):
        return Verdict.ERROR, f"harness error: {exc}"
    return Verdict.ERROR, f"{type(exc).__name__}: {exc}"


def _failed_checks(item: pytest.Item, log: EventLog, case_id: str) -> list[dict[str, Any]]:
    """The failed ``check`` events of the running case (since its case_start), in order."""
    start = item.stash.get(_START_KEY, None)
    return [e.to_json() for e in log.events(kind="check", case=case_id)
            if not e.data.get("passed") and (start is None or e.mono >= start)]


def _judged(verdict: Verdict, message: str, exc: BaseException | None,
            failed: list[dict[str, Any]]) -> tuple[Verdict, str]:
    """Contract 1 (HELPERS.md): a failed check of the case makes it FAIL whatever ended it, and the message
    lists every failed check; the case's own ending stays in the message."""
    if not failed:
        return verdict, message
    if verdict == Verdict.FAIL:  # the exception's own check heads the message; the others follow
        others = [c for c in failed if str(c.get("name")) not in message]
        if not others:
            return verdict, message
        listed = describe_failed_checks(others)
        if len(others) > 1:
            listed = listed.split("\n", 1)[1]
        else:
            listed = "- " + listed.replace("\n", "\n  ")
        return verdict, f"{message}\nalso failed:\n{listed}"
    text = describe_failed_checks(failed)
    if verdict != Verdict.PASS:
        text += f"\nthe case then ended {verdict.value}: {message}"
    return Verdict.FAIL, text


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
    if isinstance(exc, CheckFailed) and not getattr(exc, "recorded", False):
        log.emit("check", name=exc.check, passed=False, expected=_text(exc.expected), actual=_text(exc.actual),
                 requirements=list(exc.requirements), severity="MUST", detail=exc.detail)
    if call.when == "setup" and verdict == Verdict.PASS:
        return report
    verdict, message = _judged(verdict, message, exc, _failed_checks(item, log, meta.id))
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
    elif verdict == Verdict.ERROR and isinstance(exc, HarnessError):
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
    cfg = item.config.stash[_CONFIG_KEY]
    log = item.config.stash[_LOG_KEY]
    for other in rest:
        other_meta = case_of(getattr(other, "function", None))
        if other_meta is None:
            continue
        applies, why = applicability(other_meta, cfg)
        verdict = Verdict.INCONCLUSIVE if applies else Verdict.NOT_APPLICABLE
        message = (f"not run: {reason}. The run stopped early (ocpp-conformance run --keep-going runs every case)"
                   if applies else why)
        log.current_case = other_meta.id
        log.emit("case_start", title=other_meta.title, role=other_meta.role, block=other_meta.block,
                 use_cases=list(other_meta.use_cases), requirements=list(other_meta.requirements),
                 negative_controls=list(other_meta.faults), nodeid=other.nodeid)
        log.emit("case_end", verdict=verdict.value, message=log.redact_text(message), duration=0.0, phase="not run")
        log.current_case = None


def _record_end(item: pytest.Item, meta: CaseMeta, verdict: Verdict, message: str, duration: float,
                when: str) -> None:
    log = item.config.stash[_LOG_KEY]
    if log.current_case != meta.id:  # ended before its fixtures ran (e.g. not applicable)
        log.current_case = meta.id
        log.emit("case_start", title=meta.title, role=meta.role, block=meta.block,
                 use_cases=list(meta.use_cases), requirements=list(meta.requirements), negative_controls=list(meta.faults), nodeid=item.nodeid)
    log.emit("case_end", verdict=verdict.value, message=message, duration=duration, phase=when)
    log.current_case = None


def pytest_report_teststatus(report: pytest.TestReport, config: pytest.Config) -> Any:
    verdict = getattr(report, "ocpp_verdict", None)
    if verdict == Verdict.INCONCLUSIVE.value and report.when in ("call", "setup"):
        return "inconclusive", "I", "INCONCLUSIVE"
    if verdict == Verdict.NOT_APPLICABLE.value and report.when in ("call", "setup"):
        return "not applicable", "n", "NOT APPLICABLE"
    return None
