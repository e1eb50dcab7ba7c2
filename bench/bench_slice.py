"""Benchmark: a slice of blocks, both roles, against the built-in reference SUTs.

Runs ``ocpp-conformance run --block ...`` (a real run: subprocesses, sockets, reports) and reads
its event log. Reported per run:

* wall time of the whole command (both roles, pytest start-up and report rendering included);
* per case: time from ``case_start`` to the last ``case_end`` (setup, the case, teardown/restore);
  median, 90th percentile and worst, and the slowest cases by name;
* protocol-required waits: the ``wait`` events the cases record (silence windows of
  ``expect_no_call``, heartbeat / boot-retry / offline intervals via ``protocol_wait``), as a share of
  the time spent in cases: time no implementation of the harness could save.

Nothing is asserted about speed. The script checks only that the run itself was good (exit code 0,
every selected case PASS or NOT APPLICABLE) so that a broken run is not measured.

    python bench/bench_slice.py                      # blocks B, G, P, one run
    python bench/bench_slice.py --repeat 3 --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run_once(blocks: list[str], run_dir: Path) -> tuple[float, int, str]:
    cmd = [sys.executable, "-m", "conformance.cli", "run", "--run-dir", str(run_dir)]
    for block in blocks:
        cmd += ["--block", block]
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=1800)
    return time.perf_counter() - started, proc.returncode, proc.stdout + proc.stderr


def case_figures(events_path: Path) -> dict[str, dict[str, float | str]]:
    """case id -> seconds in the case (start to last end), seconds of recorded protocol waits, verdict."""
    cases: dict[str, dict[str, float | str]] = {}
    for line in events_path.read_text().splitlines():
        event = json.loads(line)
        case_id = event.get("case")
        if not case_id:
            continue
        entry = cases.setdefault(case_id, {"start": event["mono"], "end": event["mono"], "waits": 0.0,
                                           "verdict": ""})
        entry["end"] = max(float(entry["end"]), event["mono"])
        if event["kind"] == "case_start":
            entry["start"] = min(float(entry["start"]), event["mono"])
        elif event["kind"] == "wait" and isinstance(event.get("seconds"), (int, float)):
            entry["waits"] = float(entry["waits"]) + event["seconds"]
        elif event["kind"] == "case_end":
            entry["verdict"] = event.get("verdict", "")
    return {k: {"seconds": float(v["end"]) - float(v["start"]),
                "waits": min(float(v["waits"]), float(v["end"]) - float(v["start"])),
                "verdict": v["verdict"]} for k, v in cases.items()}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--block", action="append", help="blocks to run (default B, G, P)")
    parser.add_argument("--repeat", type=int, default=1, help="runs to make (figures per run and best wall)")
    parser.add_argument("--json", help="also write the figures here")
    args = parser.parse_args()
    blocks = args.block or ["B", "G", "P"]
    print(f"python {platform.python_version()} on {platform.platform()}, {os.cpu_count()} CPUs; blocks {blocks}")
    runs = []
    for index in range(args.repeat):
        with tempfile.TemporaryDirectory(prefix="bench-slice-") as tmp:
            run_dir = Path(tmp) / "run"
            wall, code, output = run_once(blocks, run_dir)
            figures = case_figures(run_dir / "events.jsonl")
        bad = {k: v["verdict"] for k, v in figures.items() if v["verdict"] not in ("PASS", "NOT APPLICABLE")}
        if code != 0 or bad:
            print(output[-3000:])
            print(f"run {index + 1}: exit code {code}, not passing: {bad}; not measured", file=sys.stderr)
            return 1
        times = [float(v["seconds"]) for v in figures.values()]
        waits = sum(float(v["waits"]) for v in figures.values())
        in_cases = sum(times)
        slowest = sorted(figures.items(), key=lambda kv: -float(kv[1]["seconds"]))[:5]
        run = {"wall_s": wall, "cases": len(figures),
               "passed": sum(1 for v in figures.values() if v["verdict"] == "PASS"),
               "in_cases_s": in_cases, "median_case_s": statistics.median(times),
               "p90_case_s": percentile(times, 0.9), "worst_case_s": max(times),
               "protocol_waits_s": waits, "protocol_wait_share": waits / in_cases if in_cases else 0.0,
               "slowest": [{"case": k, "seconds": v["seconds"], "protocol_waits": v["waits"]} for k, v in slowest]}
        runs.append(run)
        print(f"run {index + 1}: wall {wall:.2f} s; {run['cases']} cases ({run['passed']} PASS); "
              f"in cases {in_cases:.2f} s; per case median {run['median_case_s'] * 1000:.0f} ms, "
              f"p90 {run['p90_case_s'] * 1000:.0f} ms, worst {run['worst_case_s']:.2f} s; "
              f"protocol-required waits {waits:.2f} s = {run['protocol_wait_share']:.0%} of case time")
        for item in run["slowest"]:
            print(f"    {item['case']:<14} {item['seconds']:6.2f} s  (protocol waits {item['protocol_waits']:.2f} s)")
    if args.json:
        Path(args.json).write_text(json.dumps({"blocks": blocks, "runs": runs}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
