"""The suite tests itself, in one process: the negative-control matrix.

Every implemented case must PASS against the reference SUTs (in the default setup, or in the setup it needs:
a product declared without a Part 5 feature, security profile 2), and every named fault of the reference
SUTs (conformance/faults/) must make each case it names FAIL. ``ocpp-conformance run --fault``
checks one fault; this module checks them all at once: each :class:`Setup` (SUT role, faults, features
declared without, settings, cases) is its own reference pair (harness transport + reference SUT on port 0,
its own event log and run folder), and many setups run concurrently in ONE event loop, so the matrix costs
the CPU of its cases, not the sum of their protocol timers.

A case is judged exactly as ``ocpp-conformance run`` judges it: the same session and per-case mechanics
(:mod:`conformance.session`: applicability, time limit, verdict rules) write the same event log,
and the verdict is read back from that log by the same fold (:func:`conformance.reporting.model.load_model`)
that makes ``summary.json`` and the exit code.

It ships with the package (not under tests/) because the self-tests, the benchmark (bench/bench_matrix.py)
and a contributor adding a case or a fault all use it: ``python -m conformance.selftest [--fault NAME]``
prints which fault made which case fail.
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import json
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from .config import ConfigError
from .harness.case import CaseMeta, case_function, discover
from .harness.context import RunContext
from .session import (begin_run, begin_session, bounded, build_config, csms_under_test, end_case,
                              end_session, failed_checks, judged, not_applicable_reason, record_failed_check,
                              record_not_run, run_session, session_data, start_case, station_under_test, verdict_of)
from .harness.sut_state import SutState, SutUnavailable
from .outcomes import HarnessError, NotApplicable, Verdict
from .recording import EventLog
from .faults import FAULTS
from .reporting.model import NOT_FINISHED, load_model

#: The timers of the self-test setups, through configuration (``--set``): the cases read every interval and
#: timeout from the configuration, so their checks stay the same, only the waits get shorter. Every case
#: passes with these against the reference SUTs (``ocpp-conformance run --set ...`` with the same values).
#: The OCPP variables a case sets itself (OfflineThreshold, RetryBackOffWaitMinimum) are not configuration.
SELFTEST_TIMING: tuple[str, ...] = ("timing.message_timeout=2", "timing.connect_timeout=5", "timing.action_timeout=5",
                                     "timing.heartbeat_interval=1")

#: Setups at once. Each mostly waits (protocol timers, a faulty SUT's silence), but they share one event loop: more
#: at once means longer waits for the loop between two frames (at 32, about 70 ms at the 99th percentile at the
#: start of the matrix on 2 busy cores; at 16, under 10 ms), and timing-sensitive cases see them.
DEFAULT_CONCURRENCY = 16


@dataclass(frozen=True)
class Setup:
    """One reference pair: the SUT role, the reference SUT's faults, the Part 5 features it is declared
    without, configuration overrides (``key=value``), and the cases run against it, in order."""

    sut: str  # "station" | "csms"
    cases: tuple[str, ...]
    faults: tuple[str, ...] = ()
    without: tuple[str, ...] = ()
    settings: tuple[str, ...] = ()
    label: str = ""
    config: str | None = None  # a configuration file (reference = true); None: the built-in reference setup

    @property
    def name(self) -> str:
        if self.label:
            return self.label
        parts = [self.sut, *self.faults, *(f"without-{f}" for f in self.without), *self.settings]
        return "-".join(parts)


@dataclass(frozen=True)
class CaseResult:
    case: str
    verdict: str
    message: str
    duration: float | None = None


@dataclass
class SetupResult:
    setup: Setup
    cases: dict[str, CaseResult] = field(default_factory=dict)
    run_dir: Path | None = None
    wall: float = 0.0  # seconds from the setup's start to its end (it may have waited for the semaphore first)
    error: str | None = None  # the setup could not be run (configuration, transport): every case NOT FINISHED

    def verdicts(self) -> dict[str, str]:
        return {c: r.verdict for c, r in self.cases.items()}


# --------------------------------------------------------------------------- the matrix's setups
def variant_setups(implemented: dict[str, CaseMeta] | None = None) -> dict[tuple[str, tuple[str, ...],
                                                                                  tuple[str, ...]], set[str]]:
    """The reference setups other than the default one that some cases need -> those cases: a product
    declared WITHOUT a feature (Part 5 "not C-13"), or a configuration such as security profile 2
    (TC_B_50_CS), as the faults of those cases declare them. Key: (sut, without, settings)."""
    variants: dict[tuple[str, tuple[str, ...], tuple[str, ...]], set[str]] = {}
    for fault in FAULTS.values():
        if fault.without or fault.settings:
            key = (fault.sut, tuple(sorted(fault.without)), tuple(sorted(fault.settings)))
            variants.setdefault(key, set()).update(fault.fails)
    return variants


def _chunks(items: Sequence[str], size: int) -> list[tuple[str, ...]]:
    size = max(1, size)
    return [tuple(items[i:i + size]) for i in range(0, len(items), size)]


def reference_setups(chunk: int = 12) -> list[Setup]:
    """Every implemented case against the reference SUTs: the default setup of each role (split into setups of
    ``chunk`` cases each, so a long role does not make the matrix wait for it), then one setup per variant."""
    implemented = discover()
    setups = []
    for sut, role in (("station", "CS"), ("csms", "CSMS")):
        cases = sorted(c for c, meta in implemented.items() if meta.role == role)
        for n, part in enumerate(_chunks(cases, chunk)):
            setups.append(Setup(sut, part, label=f"{sut}-default-{n + 1}"))
    for (sut, without, settings), cases in sorted(variant_setups().items()):
        setups.append(Setup(sut, tuple(sorted(cases)), without=without, settings=settings))
    return setups


def fault_setups(names: Iterable[str] | None = None) -> list[Setup]:
    """One setup per fault: the reference SUT with that fault (and the feature set and settings it needs), the
    cases it must make FAIL."""
    out = []
    for name in sorted(FAULTS if names is None else names):
        spec = FAULTS[name]
        out.append(Setup(spec.sut, tuple(spec.fails), faults=(name,), without=tuple(spec.without),
                         settings=tuple(spec.settings), label=name))
    return out


# --------------------------------------------------------------------------- running
def _side_of(func: Any) -> str:
    params = list(inspect.signature(func).parameters)
    if params == ["station"] or params == ["csms"]:
        return params[0]
    raise HarnessError(f"{func.__qualname__}: a case takes one argument, station or csms; it takes {params}")


def _nodeid(meta: CaseMeta) -> str:
    func = case_function(meta.id)
    return f"{func.__module__}::{func.__name__}"


async def run_case(ctx: RunContext, meta: CaseMeta, state: SutState, *, last: bool,
                   nodeid: str | None = None) -> str | None:
    """One case, as the pytest plugin runs it: not applicable -> NOT APPLICABLE; the case's side object (its
    fixture: the pre-case state check, the general precondition), the case bounded by its time limit, the
    verdict (a failed check makes it FAIL), case end; then the side's teardown (``last``: the last case of
    the setup, the harness stations disconnect). Returns why the run must stop (the SUT could not be brought
    back to a state cases start from), or None."""
    func = case_function(meta.id)
    log, nodeid = ctx.log, nodeid or _nodeid(meta)
    reason = not_applicable_reason(meta, ctx.config)
    if reason is not None:
        end_case(log, meta, Verdict.NOT_APPLICABLE, log.redact_text(reason), 0.0, "setup", nodeid)
        return None
    started = time.monotonic()
    since = start_case(log, meta, nodeid)
    side = _side_of(func)
    scope = station_under_test(ctx, state) if side == "station" else csms_under_test(ctx, state, last=last)
    try:
        sut = await scope.__aenter__()
    except Exception as exc:  # the fixture's setup failed: the verdict is the setup's
        return _ended(ctx, meta, state, exc, since, time.monotonic() - started, "setup", nodeid)
    started = time.monotonic()
    failure: BaseException | None = None
    try:
        await bounded(func, meta)(**{side: sut})
    except Exception as exc:
        failure = exc
    stop = _ended(ctx, meta, state, failure, since, time.monotonic() - started, "call", nodeid)
    try:
        await scope.__aexit__(None, None, None)
    except Exception as exc:  # as in pytest: a teardown error after the verdict does not change it
        log.emit("note", level="warning", message=f"teardown of {meta.id}: {type(exc).__name__}: {exc}")
    return stop


def _ended(ctx: RunContext, meta: CaseMeta, state: SutState, exc: BaseException | None, since: float,
           duration: float, phase: str, nodeid: str) -> str | None:
    """The verdict of a case that ended (the plugin's pytest_runtest_makereport and _after_case)."""
    log = ctx.log
    verdict, message = verdict_of(exc)
    record_failed_check(log, exc)
    verdict, message = judged(verdict, message, failed_checks(log, meta.id, since))
    end_case(log, meta, verdict, log.redact_text(message), duration, phase, nodeid)
    if isinstance(exc, NotApplicable):
        return None
    if not isinstance(exc, SutUnavailable):
        state.case_ended(meta.id, exc)
        return None
    return None if state.keep_going else (state.broken or str(exc))


async def run_setup(setup: Setup, run_dir: Path, *, timing: Sequence[str] = SELFTEST_TIMING) -> SetupResult:
    """Run one setup's cases against its own reference pair; the verdicts as the event log says them."""
    result = SetupResult(setup, run_dir=run_dir)
    started = time.monotonic()
    implemented = discover()
    try:
        cfg = build_config(setup.config, role=setup.sut, overrides=[*timing, *setup.settings], faults=setup.faults,
                           without=setup.without)
        unsupported = cfg.unsupported()
        if unsupported:
            raise ValueError("not supported: " + "; ".join(unsupported))
    except (ConfigError, ValueError) as exc:
        result.error = f"invalid configuration: {exc}"
    else:
        log = EventLog(run_dir / "events.jsonl", secrets=cfg.secrets)
        role = "CS" if cfg.role == "station" else "CSMS"
        begin_run(log, run_dir.name)
        begin_session(log, cfg, session_data(cfg, (c for c, meta in implemented.items() if meta.role == role)),
                      list(setup.cases))
        state = SutState(keep_going=False)  # as `ocpp-conformance run` without --keep-going
        try:
            async with run_session(cfg, log, run_dir) as ctx:
                for n, case_id in enumerate(setup.cases):
                    stop = await run_case(ctx, implemented[case_id], state, last=n == len(setup.cases) - 1)
                    if stop is not None:
                        rest = [implemented[c] for c in setup.cases[n + 1:]]
                        record_not_run(log, cfg, [(m, _nodeid(m)) for m in rest], stop)
                        break
        except Exception as exc:  # the harness could not run the setup (as a pytest session error)
            result.error = f"{type(exc).__name__}: {exc}"
        finally:
            end_session(log, cfg)
    result.wall = time.monotonic() - started
    # the fold reads the whole log: in a thread, so the other setups' exchanges in this loop are not held up
    model = await asyncio.to_thread(load_model, run_dir) if (run_dir / "events.jsonl").exists() else None
    for case_id in setup.cases:
        record = model.cases.get(case_id) if model is not None else None
        if record is None:
            result.cases[case_id] = CaseResult(case_id, NOT_FINISHED, result.error or "the case did not start")
        else:
            result.cases[case_id] = CaseResult(case_id, record.verdict, record.message, record.duration)
    return result


def _folder(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:120]


async def run_matrix_async(setups: Sequence[Setup], base_dir: Path, *, concurrency: int = DEFAULT_CONCURRENCY,
                           timing: Sequence[str] = SELFTEST_TIMING) -> list[SetupResult]:
    """Run every setup, at most ``concurrency`` at once, each in its own task (its own current run) and run
    folder ``base_dir/<setup name>``; results in the order of ``setups``."""
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(n: int, setup: Setup) -> SetupResult:
        async with gate:
            return await run_setup(setup, base_dir / f"{n:03d}-{_folder(setup.name)}", timing=timing)

    return list(await asyncio.gather(*(one(n, s) for n, s in enumerate(setups))))


def run_matrix(setups: Sequence[Setup], base_dir: Path, *, concurrency: int = DEFAULT_CONCURRENCY,
               timing: Sequence[str] = SELFTEST_TIMING) -> list[SetupResult]:
    """:func:`run_matrix_async` in a new event loop."""
    return asyncio.run(run_matrix_async(setups, base_dir, concurrency=concurrency, timing=timing))


# --------------------------------------------------------------------------- judging the matrix
def expected_verdicts(setup: Setup, case_id: str) -> tuple[str, ...]:
    """What the matrix accepts of a case in a setup: FAIL with a fault; PASS otherwise, except in a role's
    default setup for a case one of whose faults needs another setup (a product declared without a feature,
    Part 5 "not C-13"; other settings such as security profile 2): NOT APPLICABLE there, or PASS where Part 5
    applies it to the default product too (TC_B_30_CSMS: its Rejected path is reached without C-44, its
    Accepted path with it). Such a case must PASS in its own setup (the variant test)."""
    if setup.faults:
        return ("FAIL",)
    if not setup.without and not setup.settings and any(case_id in cases for cases in variant_setups().values()):
        return ("NOT APPLICABLE", "PASS")
    return ("PASS",)


def fault_problems(result: SetupResult) -> list[str]:
    """What is wrong with a fault's run: a case it names that did not FAIL, or whose message names none of
    the fault's requirements, or lacks expected/actual. Empty: the fault is a working negative control."""
    problems = []
    breaks = tuple(r for f in result.setup.faults if f in FAULTS for r in FAULTS[f].breaks)
    for case_id, case in result.cases.items():
        if case.verdict != "FAIL":
            problems.append(f"{case_id}: {case.verdict} (expected FAIL): {case.message}")
        elif not any(req in case.message for req in breaks):
            problems.append(f"{case_id}: the failure names none of {list(breaks)}: {case.message}")
        elif "expected" not in case.message or "actual" not in case.message:
            problems.append(f"{case_id}: the failure does not show expected and actual: {case.message}")
    return problems


def pass_problems(result: SetupResult) -> list[str]:
    """The cases of a reference setup without faults that did not end as expected (:func:`expected_verdicts`)."""
    return [f"{case_id}: {case.verdict} (expected {' or '.join(expected_verdicts(result.setup, case_id))}): "
            f"{case.message}" for case_id, case in result.cases.items()
            if case.verdict not in expected_verdicts(result.setup, case_id)]


def table(results: Sequence[SetupResult]) -> str:
    """Which setup made which case end how: one line per (setup, case), the verdict and its message."""
    lines = []
    for result in results:
        head = f"{result.setup.name}  [{result.wall:.1f}s, {result.run_dir}]"
        if result.error:
            head += f"  setup error: {result.error}"
        lines.append(head)
        for case_id, case in result.cases.items():
            mark = "ok " if case.verdict in expected_verdicts(result.setup, case_id) else "BAD"
            message = case.message.replace("\n", " ")
            lines.append(f"  {mark} {case_id:<14} {case.verdict:<14} {message[:160]}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m conformance.selftest", description=__doc__.split("\n\n")[0])
    parser.add_argument("--fault", action="append", help="only this fault's setup (repeatable)")
    parser.add_argument("--no-reference", action="store_true", help="only the fault setups")
    parser.add_argument("--concurrency", type=int, default=DEFAULT_CONCURRENCY)
    parser.add_argument("--out", help="folder for the setups' run folders (default: a temporary one)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    unknown = [f for f in args.fault or [] if f not in FAULTS]
    if unknown:
        print(f"unknown fault(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    setups = ([] if args.fault or args.no_reference else reference_setups()) + fault_setups(args.fault)
    with tempfile.TemporaryDirectory(prefix="ocpp-selftest-") as tmp:
        base = Path(args.out or tmp)
        results = run_matrix(setups, base, concurrency=args.concurrency)
        bad = [p for r in results for p in (fault_problems(r) if r.setup.faults else pass_problems(r))]
        if args.json:
            print(json.dumps([{"setup": r.setup.name, "error": r.error, "wall": r.wall,
                               "cases": {c: {"verdict": x.verdict, "message": x.message} for c, x in r.cases.items()}}
                              for r in results], indent=1))
        else:
            print(table(results))
            print(f"\n{len(setups)} setups, {sum(len(s.cases) for s in setups)} case runs, {len(bad)} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
