"""Benchmark: the whole negative-control matrix in one process (conformance/selftest.py), and what it
projects for the self-tests at the size of the full catalog.

Runs the matrix the way tests/test_conformance_run.py does (same setups, timers, concurrency) in two
phases, so each has its own figures:

1. the reference setups: every implemented case against the reference SUTs (default setups, chunked;
   the variant setups);
2. the fault setups: one reference pair per fault, the cases it names.

Reported per phase: setups, case runs, wall time, CPU time (user + system of this process: everything
runs in it), case runs per minute (wall and CPU), faults per minute.

Projection to ``--cases`` cases and ``--faults`` faults (default 675 and 600), one event loop on one core:

* CPU  = fixed + cpu_per_case x cases + cpu_per_fault x faults, where fixed is the CPU before the
  matrix starts (interpreter, imports, catalog, schemas), cpu_per_case the CPU of phase 1 per implemented
  case and cpu_per_fault the CPU of phase 2 per fault (with today's mean number of cases per fault);
* wall = max(CPU, waiting / concurrency, longest setup), where waiting is the sum of the setups' wall
  times scaled the same way (setups mostly wait for protocol timers and SUT timeouts, concurrently);
* the matrix file (tests/test_conformance_run.py) = wall + its few real ``ocpp-conformance run``
  subprocess tests (``--cli-seconds``, 20 s measured with --durations; they do not grow with the catalog);
* ``.ci/run`` on 2 cores = install + max(file, (file + rest) / 2): the file runs in one xdist worker
  (``--dist loadfile``), the other test files share both workers. ``--rest-seconds`` is the time the
  other test files take on one worker (this benchmark does not run them; give the figure you measured,
  e.g. ``.ci/run``'s time minus the matrix file's); without it, only the matrix part is projected.

Nothing is asserted about speed; the script checks only that the matrix itself was good (every
case as expected, every fault a working negative control), so that a broken run is not measured.

    python bench/bench_matrix.py
    python bench/bench_matrix.py --rest-seconds 300 --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

_T0_WALL = time.perf_counter()
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from conformance.harness.case import discover  # noqa: E402
from conformance.faults import FAULTS  # noqa: E402
from conformance.selftest import (DEFAULT_CONCURRENCY, SELFTEST_TIMING, fault_problems, fault_setups,  # noqa: E402
                                  pass_problems, reference_setups, run_matrix)


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def phase(name: str, setups: list, base: Path, concurrency: int) -> dict:
    cpu0, wall0 = cpu(), time.perf_counter()
    results = run_matrix(setups, base / name, concurrency=concurrency)
    wall, used = time.perf_counter() - wall0, cpu() - cpu0
    problems = [p for r in results for p in (fault_problems(r) if r.setup.faults else pass_problems(r))]
    runs = sum(len(r.cases) for r in results)
    return {"setups": len(results), "case_runs": runs, "wall": wall, "cpu": used,
            "waiting": sum(r.wall for r in results), "longest": max((r.wall for r in results), default=0.0),
            "longest_setup": max(results, key=lambda r: r.wall).setup.name if results else "",
            "problems": problems}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=675, help="catalog size to project to")
    parser.add_argument("--faults", type=int, default=600, help="number of faults to project to")
    parser.add_argument("--concurrency", type=int, default=DEFAULT_CONCURRENCY)
    parser.add_argument("--cli-seconds", type=float, default=20.0,
                        help="the matrix file's real CLI subprocess tests (measured with --durations)")
    parser.add_argument("--install-seconds", type=float, default=60.0, help=".ci/run's venv + pip install")
    parser.add_argument("--rest-seconds", type=float, default=None,
                        help="the other test files on one worker, at the projected size (not run here)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    implemented = discover()
    fixed_cpu, fixed_wall = cpu(), time.perf_counter() - _T0_WALL
    print(f"python {platform.python_version()} on {platform.platform()}, {os.cpu_count()} CPUs, "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"timers: {', '.join(SELFTEST_TIMING)}; concurrency {args.concurrency}")
    print(f"start-up (interpreter, imports, catalog, case discovery): {fixed_wall:.2f}s wall, {fixed_cpu:.2f}s CPU")

    with tempfile.TemporaryDirectory(prefix="bench-matrix-") as tmp:
        base = Path(tmp)
        ref = phase("reference", reference_setups(), base, args.concurrency)
        flt = phase("faults", fault_setups(), base, args.concurrency)

    n_cases, n_faults = len(implemented), len(FAULTS)
    print()
    print(f"{'phase':<11}{'setups':>7}{'case runs':>10}{'wall s':>9}{'CPU s':>8}{'runs/min':>10}"
          f"{'runs/CPU-min':>13}{'longest setup':>16}")
    for name, f in (("reference", ref), ("faults", flt)):
        print(f"{name:<11}{f['setups']:>7}{f['case_runs']:>10}{f['wall']:>9.1f}{f['cpu']:>8.2f}"
              f"{60 * f['case_runs'] / f['wall']:>10.0f}{60 * f['case_runs'] / max(f['cpu'], 1e-9):>13.0f}"
              f"{f['longest']:>10.1f}s {f['longest_setup']}")
    print(f"\ncases per minute (every implemented case against the reference SUTs): "
          f"{60 * n_cases / ref['wall']:.0f} wall, {60 * n_cases / ref['cpu']:.0f} per CPU-minute")
    print(f"faults per minute (each fault against the cases it names): "
          f"{60 * n_faults / flt['wall']:.0f} wall, {60 * n_faults / flt['cpu']:.0f} per CPU-minute")
    total_wall, total_cpu = ref["wall"] + flt["wall"], ref["cpu"] + flt["cpu"]
    print(f"whole matrix today: {n_cases} cases, {n_faults} faults: {total_wall:.1f}s wall (two phases one after "
          f"the other), {total_cpu:.2f}s CPU")

    problems = ref["problems"] + flt["problems"]
    if problems:
        print("\nthe matrix is not good, figures not valid:\n  " + "\n  ".join(problems[:20]), file=sys.stderr)

    # ----------------------------------------------------------------------- projection
    per_case_cpu, per_fault_cpu = ref["cpu"] / n_cases, flt["cpu"] / n_faults
    per_case_wait, per_fault_wait = ref["waiting"] / n_cases, flt["waiting"] / n_faults
    cpu_target = fixed_cpu + per_case_cpu * args.cases + per_fault_cpu * args.faults
    waiting_target = per_case_wait * args.cases + per_fault_wait * args.faults
    longest = max(ref["longest"], flt["longest"])
    wall_target = max(cpu_target, waiting_target / args.concurrency, longest)
    file_target = wall_target + args.cli_seconds
    print(f"\nprojection to {args.cases} cases and {args.faults} faults (one event loop, one core):")
    print(f"  CPU  = {fixed_cpu:.2f} fixed + {1000 * per_case_cpu:.1f} ms x {args.cases} cases"
          f" + {1000 * per_fault_cpu:.1f} ms x {args.faults} faults = {cpu_target:.0f}s")
    print(f"  wall = max(CPU {cpu_target:.0f}s, waiting {waiting_target:.0f}s / {args.concurrency}"
          f" = {waiting_target / args.concurrency:.0f}s, longest setup {longest:.0f}s) = {wall_target:.0f}s")
    print(f"  tests/test_conformance_run.py = {wall_target:.0f}s + {args.cli_seconds:.0f}s CLI tests"
          f" = {file_target:.0f}s")
    ci = None
    if args.rest_seconds is not None:
        ci = args.install_seconds + max(file_target, (file_target + args.rest_seconds) / 2)
        print(f"  .ci/run on 2 cores = {args.install_seconds:.0f}s install + max({file_target:.0f}s,"
              f" ({file_target:.0f}s + {args.rest_seconds:.0f}s rest) / 2) = {ci:.0f}s ({ci / 60:.1f} min)")
    else:
        print("  .ci/run: give --rest-seconds (the other test files on one worker) for the total")

    if args.json:
        Path(args.json).write_text(json.dumps({
            "cases": n_cases, "faults": n_faults, "fixed_cpu": fixed_cpu, "reference": ref, "fault_phase": flt,
            "projection": {"cases": args.cases, "faults": args.faults, "cpu": cpu_target, "wall": wall_target,
                           "file": file_target, "ci_run": ci}}, indent=1, default=str))
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
