"""The in-process matrix runner (conformance/selftest.py): runs in one event loop do not see each other,
a setup that cannot start says why, and the matrix's judgement catches a negative control that does not work.
(The matrix itself, and that it judges a case as ``ocpp-conformance run`` does, is in test_conformance_run.py.)"""

from __future__ import annotations

import asyncio
from pathlib import Path

from conformance.actions import make_backend
from conformance.actions.port import ActionPort
from conformance.config import default_config
from conformance.harness.context import RunContext, current, set_current
from conformance.recording import EventLog
from conformance.selftest import CaseResult, Setup, SetupResult, fault_problems, pass_problems, run_matrix_async


def _context(role: str, tmp_path: Path) -> RunContext:
    log = EventLog()
    return RunContext(config=default_config(role), log=log, run_dir=tmp_path,
                      actions=ActionPort(make_backend("prompt"), log, timeout=1, role=role))


async def test_concurrent_runs_in_one_loop_each_see_their_own_run(tmp_path: Path) -> None:
    seen: dict[str, list[RunContext]] = {"station": [], "csms": []}
    both_set = asyncio.Barrier(2)

    async def run(role: str) -> RunContext:
        ctx = _context(role, tmp_path)
        set_current(ctx)
        await both_set.wait()  # the other run has set its context too
        for _ in range(3):
            seen[role].append(current())
            await asyncio.sleep(0)

        async def started_by_the_run() -> RunContext:  # e.g. a connection handler the run's server starts
            return current()

        seen[role].append(await asyncio.create_task(started_by_the_run()))
        return ctx

    station, csms = await asyncio.gather(run("station"), run("csms"))
    assert seen["station"] == [station] * 4
    assert seen["csms"] == [csms] * 4


async def test_a_setup_that_cannot_start_says_why_and_its_cases_did_not_finish(tmp_path: Path) -> None:
    [result] = await run_matrix_async([Setup("station", ("TC_B_01_CS",), faults=("no_such_fault",))], tmp_path)
    assert result.error is not None and "no_such_fault" in result.error
    assert result.verdicts() == {"TC_B_01_CS": "NOT FINISHED"}
    assert fault_problems(result) == [f"TC_B_01_CS: NOT FINISHED (expected FAIL): {result.error}"]


def _result(setup: Setup, **cases: tuple[str, str]) -> SetupResult:
    return SetupResult(setup, {c: CaseResult(c, v, m) for c, (v, m) in cases.items()})


def test_the_matrix_names_a_negative_control_that_does_not_work() -> None:
    setup = Setup("station", ("TC_B_01_CS", "TC_G_18_CS", "TC_G_19_CS"), faults=("boot_skips_connector_status",))
    result = _result(setup,
                     TC_B_01_CS=("FAIL", "the connectors are reported [B01.FR.05] expected: 2 actual: 1"),
                     TC_G_18_CS=("PASS", ""),
                     TC_G_19_CS=("FAIL", "something else [B02.FR.01] expected: x actual: y"))
    problems = fault_problems(result)
    assert len(problems) == 2
    assert problems[0].startswith("TC_G_18_CS: PASS (expected FAIL)")
    assert problems[1].startswith("TC_G_19_CS: the failure names none of ['B01.FR.05']")


def test_a_reference_setup_expects_pass_and_accepts_not_applicable_where_a_variant_takes_the_case() -> None:
    default = Setup("station", ("TC_B_01_CS", "TC_B_50_CS"), label="station-default-1")
    good = _result(default, TC_B_01_CS=("PASS", ""), TC_B_50_CS=("NOT APPLICABLE", "security profile 2"))
    assert pass_problems(good) == []
    # where Part 5 applies a variant's case to the default product too (TC_B_30_CSMS), it may PASS there
    assert pass_problems(_result(default, TC_B_01_CS=("PASS", ""), TC_B_50_CS=("PASS", ""))) == []
    bad = _result(default, TC_B_01_CS=("INCONCLUSIVE", "no answer"), TC_B_50_CS=("FAIL", "x"))
    assert pass_problems(bad) == ["TC_B_01_CS: INCONCLUSIVE (expected PASS): no answer",
                                  "TC_B_50_CS: FAIL (expected NOT APPLICABLE or PASS): x"]
