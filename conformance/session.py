"""One run against one SUT, and one case in it: the mechanics the pytest plugin and the in-process
self-test matrix (:mod:`conformance.selftest`) share, so both judge a case the same way.

* :func:`build_config`: the run's configuration from a file / the built-in reference setup, overrides,
  faults, features declared without;
* :func:`begin_run`, :func:`session_data`, :func:`begin_session` / :func:`end_session`: the run's and the
  session's first and last events;
* :func:`run_session`: starts the harness transport (the harness CSMS when the SUT is a Charging Station)
  and the reference SUT, yields the :class:`RunContext`, stops them afterwards;
* per case: :func:`not_applicable_reason`, :func:`start_case`, :func:`station_under_test` /
  :func:`csms_under_test` (the case's side objects, after the pre-case state check), :func:`bounded`
  (``timing.case_time_limit``), :func:`verdict_of` (what ended the case -> verdict), :func:`record_failed_check`,
  :func:`failed_checks` and :func:`judged` (a failed check makes the case FAIL), :func:`end_case`, and
  :func:`record_not_run` (the cases after a SUT that stopped answering).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import inspect
import os
import platform
from pathlib import Path
from typing import Any, AsyncIterator, Iterable, Sequence

from . import SPEC_EDITION, __version__
from .actions import make_backend
from .actions.port import ActionFailed, ActionPort
from .catalog import CATALOG_VERSION
from .config import Config, load_config
from .outcomes import CheckFailed, Inconclusive, LocalError, NotApplicable, Verdict, as_check_failed, \
    describe_failed_checks
from .recording import EventLog
from .harness.applicability import applicability
from .harness.case import CaseMeta
from .harness.context import RunContext, current, set_current
from .harness.sides import ChargingStationUnderTest, CsmsUnderTest, csms_default_handler
from .harness.sut_state import SutState, csms_state, station_state


# --------------------------------------------------------------------------- the run
def build_config(path: str | Path | None, *, role: str | None, overrides: Sequence[str] = (),
                 faults: Sequence[str] = (), without: Iterable[str] = (), strict: bool = False) -> Config:
    """The run's configuration: ``path`` (None: the built-in reference setup of ``role``), ``overrides``
    (``key=value``), the reference SUT's ``faults`` (validated against its role), the Part 5 features the
    SUT is declared ``without``. Raises :class:`~conformance.config.ConfigError` or ValueError."""
    overrides = list(overrides)
    if faults:
        overrides.append("faults=[" + ",".join(f'"{f}"' for f in faults) + "]")
    if strict:
        overrides.append("strict=true")
    cfg = load_config(path, overrides=overrides, role=role)
    if cfg.reference and faults:
        from .faults import FaultSet
        FaultSet(cfg.faults, sut=cfg.role)
    without = frozenset(without)
    if without:
        cfg = cfg.without_features(without)
    return cfg


def begin_run(log: EventLog, run_id: str) -> None:
    """The event that describes the run, written by the first writer of its log."""
    log.emit("run_start", run_id=run_id, suite_version=__version__, spec=SPEC_EDITION,
             catalog_version=CATALOG_VERSION, host=platform.node(), python=platform.python_version())


def session_data(cfg: Config, implemented: Iterable[str]) -> dict[str, Any]:
    """What the ``session_start`` event says (the suite's cases for the role when the session started)."""
    return dict(role=cfg.role, sut_name=cfg.name, reference=cfg.reference, faults=list(cfg.faults), strict=cfg.strict,
                config=cfg.to_dict(redact=True), pid=os.getpid(), implemented=sorted(implemented))


def begin_session(log: EventLog, cfg: Config, data: dict[str, Any], selected: list[str] | None) -> None:
    """The events that open a session, once the selection is known: ``session_start`` (with the ``selected``
    cases, in the order they will run) and, for a CSMS SUT, ``sut_identity``. (The first writer of the run's
    log has written :func:`begin_run` before.)"""
    log.emit("session_start", **data, **({"selected": selected} if selected is not None else {}))
    if cfg.role == "csms":
        log.emit("sut_identity", identity=cfg.name, url=cfg.connection.csms_url if not cfg.reference else "reference")


def end_session(log: EventLog, cfg: Config) -> None:
    log.current_case = None
    log.emit("session_end", role=cfg.role)
    log.close()


@contextlib.asynccontextmanager
async def run_session(cfg: Config, log: EventLog, run_dir: Path) -> AsyncIterator[RunContext]:
    """Everything a run shares: the harness transport and the reference SUT (``cfg.reference``), started;
    the :class:`RunContext` is the current one (:func:`~conformance.harness.context.current`) in this task
    and the tasks it starts. Stops them afterwards."""
    ctx_holder: dict[str, Any] = {}
    reference = None
    backend_target = None
    server = None
    csms_root = None  # station role on security profile 2: the harness's CSMS root (test PKI)
    try:
        if cfg.role == "station":
            from .catalog import actions_handled_by
            from .transport.server import CsmsServer
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
                                max_frame_size=conn.max_frame_size, judge_transactions=True,
                                default_handler_for=lambda identity: csms_default_handler(ctx_holder["ctx"]))
            await server.start()
            if cfg.reference:
                from .config.reference import REFERENCE_STATION_MESSAGE_TIMEOUT
                from .faults import FaultSet
                from .reference.station import ReferenceStation
                reference = ReferenceStation(
                    csms_url=server.url, identity=conn.identity, password=conn.password,
                    evses=[(e.id, e.connectors) for e in cfg.evses], faults=FaultSet(cfg.faults, sut="station"),
                    features=cfg.pics.supported(),
                    message_timeout=min(cfg.timing.scaled(cfg.timing.message_timeout),
                                        cfg.timing.scaled(REFERENCE_STATION_MESSAGE_TIMEOUT)),
                    connect_timeout=cfg.timing.scaled(cfg.timing.connect_timeout))
                if csms_root is not None:  # shipped trusting the harness CSMS root, on security profile 2
                    reference.install_factory_csms_root(csms_root.certificate_pem)
                backend_target = reference
        elif cfg.reference:
            from .reference.csms import ReferenceCsms, master_pass_group, token_groups, tokens_of
            from .faults import FaultSet
            conn = cfg.connection
            passwords = {conn.identity: conn.password, **{s.identity: s.password for s in conn.extra_stations}}
            reference = ReferenceCsms(host="127.0.0.1", port=0, path="/ocpp", passwords=passwords,
                                      security_profile=conn.security_profile,
                                      faults=FaultSet(cfg.faults, sut="csms"), tokens=tokens_of(cfg.id_tokens),
                                      groups=token_groups(cfg.id_tokens),
                                      master_pass_group=master_pass_group(cfg.id_tokens),
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
                # The harness stations (CSMS role) close their connections themselves at the end of the run, also
                # when the run stopped before its last CSMS case: a connection torn down with the event loop would
                # read as the SUT aborting it.
                for station in (ctx_holder["ctx"].harness_stations.values() if "ctx" in ctx_holder else ()):
                    await station.close("the run is over")
                if reference is not None:
                    await reference.stop()
                if server is not None:
                    await server.stop()


# --------------------------------------------------------------------------- per case
def not_applicable_reason(meta: CaseMeta, cfg: Config) -> str | None:
    """Why the case does not apply to the configured SUT (its PICS, Part 5), or None when it applies."""
    applies, reason = applicability(meta, cfg)
    return None if applies else reason


def start_case(log: EventLog, meta: CaseMeta, nodeid: str) -> float:
    """From now on, events belong to the case; returns the case_start's monotonic time."""
    log.current_case = meta.id
    return log.emit("case_start", title=meta.title, role=meta.role, block=meta.block, use_cases=list(meta.use_cases),
                    requirements=list(meta.requirements), negative_controls=list(meta.faults), nodeid=nodeid).mono


@contextlib.asynccontextmanager
async def station_under_test(ctx: RunContext, state: SutState) -> AsyncIterator[ChargingStationUnderTest]:
    """The Charging Station under test, still in a state cases start from (:func:`station_state`), connected to
    the harness CSMS (general precondition: connected and accepted); afterwards the harness CSMS answers as by
    default again."""
    sut = ChargingStationUnderTest(ctx)
    await station_state(sut, state)
    state.broken = None  # (again) in a state cases start from
    await sut.ensure_ready()
    sut.start_case()
    try:
        yield sut
    finally:
        ctx.response_overrides.clear()


@contextlib.asynccontextmanager
async def csms_under_test(ctx: RunContext, state: SutState, *, last: bool) -> AsyncIterator[CsmsUnderTest]:
    """The CSMS under test, still in a state cases start from (:func:`csms_state`); the harness plays the
    configured station(s). Afterwards they stay connected for the next case, or disconnect after the ``last``
    CSMS case of the session."""
    await csms_state(ctx, state)
    state.broken = None  # (again) in a state cases start from
    sut = CsmsUnderTest(ctx)
    try:
        yield sut
    finally:
        await (sut.close_all() if last else sut.finish_case())


def time_limit(meta: CaseMeta, ctx: RunContext) -> float:
    """The case's time limit: ``timing.case_time_limit``, or what the case needs with the run's timing if that
    is more (``@case(time_needed=...)``), scaled."""
    timing = ctx.config.timing
    needed = 0.0
    if meta.time_needed is not None:  # time_needed(timing), or time_needed(timing, config) for the intervals
        # a case configures on the SUT (the [station_values] of block J)
        arity = len(inspect.signature(meta.time_needed).parameters)
        needed = meta.time_needed(timing, ctx.config) if arity >= 2 else meta.time_needed(timing)
    return ctx.scaled(max(timing.case_time_limit, needed))


def bounded(original: Any, meta: CaseMeta) -> Any:
    """Bound a case by its :func:`time_limit`: a case never hangs the run."""

    @functools.wraps(original)
    async def bounded(*args: Any, **kwargs: Any) -> Any:
        limit = time_limit(meta, current())
        try:
            async with asyncio.timeout(limit) as scope:
                return await original(*args, **kwargs)
        except TimeoutError:
            if scope.expired():
                raise CheckFailed(f"the case completes within its time limit of {limit:g}s",
                                  expected=f"done within {limit:g}s", actual="time limit exceeded") from None
            raise

    return bounded


def verdict_of(exc: BaseException | None) -> tuple[Verdict, str]:
    """What ended a case (None: it returned) -> its verdict and message. (pytest's own skip is the plugin's:
    SKIPPED.)"""
    if exc is None:
        return Verdict.PASS, ""
    exc = as_check_failed(exc)  # a transport failure is a failed check of the SUT
    if isinstance(exc, NotApplicable):
        return Verdict.NOT_APPLICABLE, str(exc)
    if isinstance(exc, (Inconclusive, ActionFailed)):
        return Verdict.INCONCLUSIVE, str(exc)
    if isinstance(exc, CheckFailed):
        return Verdict.FAIL, str(exc)
    if isinstance(exc, AssertionError):
        return Verdict.FAIL, str(exc) or "assertion failed"
    if isinstance(exc, LocalError):  # a HarnessError, or the transport refusing what the harness sent
        return Verdict.ERROR, f"harness error: {exc}"
    return Verdict.ERROR, f"{type(exc).__name__}: {exc}"


def _text(value: Any) -> str | None:
    from .outcomes import plain  # the verdict's wording: no Python notation ("EVSE 2 connector 1")

    return None if value is None else plain(value)


def record_failed_check(log: EventLog, exc: BaseException | None) -> None:
    """A :class:`CheckFailed` (or a transport's :class:`PeerError`) that ended the case without a check event of
    its own gets one."""
    exc = as_check_failed(exc) if exc is not None else None
    if isinstance(exc, CheckFailed) and not getattr(exc, "recorded", False):
        log.emit("check", name=exc.check, passed=False, expected=_text(exc.expected), actual=_text(exc.actual),
                 requirements=list(exc.requirements), severity="MUST", detail=exc.detail)


def failed_checks(log: EventLog, case_id: str, since: float | None) -> list[dict[str, Any]]:
    """The failed ``check`` events of the running case (since its case_start), in order."""
    return [e.to_json() for e in log.events(kind="check", case=case_id)
            if not e.data.get("passed") and (since is None or e.mono >= since)]


def judged(verdict: Verdict, message: str, failed: list[dict[str, Any]]) -> tuple[Verdict, str]:
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


def record_not_run(log: EventLog, cfg: Config, cases: Iterable[tuple[CaseMeta, str]], reason: str) -> None:
    """The run stopped early (the SUT could not be brought back to a state cases start from): each remaining
    case (meta, nodeid) is recorded INCONCLUSIVE "not run", or NOT APPLICABLE with why."""
    ran_last = log.last_case  # what arrives after the stop is judged against the case that ran, not a record
    for meta, nodeid in cases:
        why = not_applicable_reason(meta, cfg)
        verdict = Verdict.INCONCLUSIVE if why is None else Verdict.NOT_APPLICABLE
        message = (f"not run: {reason}. The run stopped early (ocpp-conformance run --keep-going runs every case)"
                   if why is None else why)
        start_case(log, meta, nodeid)
        log.emit("case_end", verdict=verdict.value, message=log.redact_text(message), duration=0.0, phase="not run")
        log.current_case = None
    if ran_last is not None:
        log.last_case = ran_last


def end_case(log: EventLog, meta: CaseMeta, verdict: Verdict, message: str, duration: float, phase: str,
             nodeid: str) -> None:
    """The case's verdict, and the end of its events (a case that ended before it started, e.g. NOT
    APPLICABLE, is started first)."""
    if log.current_case != meta.id:
        start_case(log, meta, nodeid)
    log.emit("case_end", verdict=verdict.value, message=message, duration=duration, phase=phase)
    log.current_case = None
