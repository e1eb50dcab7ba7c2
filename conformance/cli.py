"""``ocpp-conformance``: run | list | validate | build | serve.

Exit codes (all commands): 0 success; 1 the SUT (or the input) failed - a case did not pass,
or a frame violated the protocol; 2 usage, configuration or harness error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any, Sequence

from . import __version__

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


def _testcases_dir() -> Path:
    import testcases

    return Path(testcases.__file__).resolve().parent


# --------------------------------------------------------------------------- run
def _run_role(role: str, args: argparse.Namespace, run_dir: Path) -> int:
    """Run one role's cases in a pytest process; everything lands in the run's event log."""
    target = _testcases_dir() / role
    cmd = [sys.executable, "-m", "pytest", str(target), "--ocpp-role", role, "--ocpp-run-dir", str(run_dir),
           "-p", "no:cacheprovider", "--rootdir", str(target.parent), "-c", str(target.parent / "pytest.ini"),
           "-q" if not args.verbose else "-v", "-rfE", "--no-header", "--ocpp-progress",
           f"--alluredir={run_dir / 'allure-results'}"]
    if args.config:
        cmd += ["--ocpp-config", str(Path(args.config).resolve())]
    for item in args.set or []:
        cmd += ["--ocpp-set", item]
    for fault in args.fault or []:
        cmd += ["--ocpp-fault", fault]
    for feature in args.without_feature or []:
        cmd += ["--ocpp-without-feature", feature]
    if args.strict:
        cmd.append("--ocpp-strict")
    if args.keep_going:
        cmd.append("--ocpp-keep-going")
    selectors = []
    if args.case:
        selectors.append(" or ".join(f"test_{c.lower()}" for c in args.case))
    if args.block:
        # Part 6 cases (test_tc_g_...) and our own beyond the catalog (test_x_g_...)
        selectors.append(" or ".join(f"test_tc_{b.lower()}_ or test_x_{b.lower()}_" for b in args.block))
    if selectors:
        cmd += ["-k", " and ".join(f"({s})" for s in selectors)]
    if args.profile:
        cmd += ["-m", " or ".join(f'ocpp_profile("{p}")' for p in args.profile)]
    print(f"== {role}: testing the {'Charging Station' if role == 'station' else 'CSMS'} "
          f"(log: {run_dir / 'events.jsonl'})", flush=True)
    proc = subprocess.Popen(cmd, cwd=os.getcwd())
    try:
        return proc.wait()
    except KeyboardInterrupt:  # SIGINT: let the session end its log (pytest stops at the interrupt), then render
        for forward in (None, signal.SIGINT):  # Ctrl-C reaches the whole process group; a lone kill -INT does not
            if forward is not None and proc.poll() is None:
                proc.send_signal(forward)
            try:
                proc.wait(timeout=15)
                break
            except subprocess.TimeoutExpired:
                continue
        else:
            proc.kill()
            proc.wait()
        raise


def cmd_run(args: argparse.Namespace) -> int:
    from .harness.context import new_run_id
    from .reporting.model import load_model
    from .reporting.render import render_all
    from .reporting.summary import ExpectedFailuresError, decide, load_expected_failures, terminal_table

    expected = {}
    if args.expected_failures:
        try:
            expected = load_expected_failures(Path(args.expected_failures))
        except ExpectedFailuresError as exc:
            print(f"invalid expected-failures file: {exc}", file=sys.stderr)
            return EXIT_ERROR
    if args.config:
        from .config import ConfigError, load_config

        try:
            cfg = load_config(args.config, overrides=args.set or [])
        except ConfigError as exc:
            print(f"invalid configuration:\n{exc}", file=sys.stderr)
            return EXIT_ERROR
        roles = [cfg.role]
    else:
        roles = ["station", "csms"] if args.role in (None, "both") else [args.role]
    run_dir = Path(args.run_dir or Path("reports") / new_run_id())
    run_dir.mkdir(parents=True, exist_ok=True)
    harness_error = None
    interrupted = False
    try:
        for role in roles:
            code = _run_role(role, args, run_dir)
            if code not in (0, 1, 5):  # 2 interrupted, 3 internal error, 4 usage error
                harness_error = f"the {role} session ended with pytest exit code {code} (see above)"
    except KeyboardInterrupt:  # render what the log has: what did not run is NOT FINISHED, never a pass
        interrupted = True
        harness_error = None
        print("\ninterrupted: rendering what the event log holds", file=sys.stderr, flush=True)
    if not (run_dir / "events.jsonl").exists():
        print(harness_error or "no event log was written", file=sys.stderr)
        return EXIT_ERROR
    model = load_model(run_dir)
    outcome = decide(model, harness_error=harness_error, expected_failures=expected,
                     interrupted="the run was interrupted (SIGINT)" if interrupted else None)
    report = render_all(model, outcome, run_dir)
    print()
    print(terminal_table(model, outcome, report))
    return outcome.exit_code


def cmd_report(args: argparse.Namespace) -> int:
    from .reporting.model import load_model
    from .reporting.render import render_all
    from .reporting.summary import ExpectedFailuresError, decide, load_expected_failures, terminal_table

    source = Path(args.log)
    if not source.exists():
        print(f"no such event log: {source}", file=sys.stderr)
        return EXIT_ERROR
    expected = {}
    if args.expected_failures:
        try:
            expected = load_expected_failures(Path(args.expected_failures))
        except ExpectedFailuresError as exc:
            print(f"invalid expected-failures file: {exc}", file=sys.stderr)
            return EXIT_ERROR
    model = load_model(source)
    out = Path(args.out) if args.out else (source if source.is_dir() else source.parent)
    out.mkdir(parents=True, exist_ok=True)
    outcome = decide(model, expected_failures=expected)
    report = render_all(model, outcome, out)
    print(terminal_table(model, outcome, report))
    return outcome.exit_code


# --------------------------------------------------------------------------- list
def _list_faults(as_json: bool) -> int:
    """The negative-control matrix: every fault of the reference SUTs, what it breaks, the cases it fails."""
    from .reference.faults import FAULTS

    rows = [{"fault": f.name, "sut": f.sut, "breaks": list(f.breaks), "fails": list(f.fails),
             "description": f.description} for f in sorted(FAULTS.values(), key=lambda f: (f.sut, f.name))]
    if as_json:
        print(json.dumps({"faults": rows}, indent=2))
        return EXIT_OK
    for row in rows:
        print(f"{row['fault']:<42} {row['sut']:<8} breaks {', '.join(row['breaks'])}")
        print(f"{'':<42} {'':<8} fails  {', '.join(row['fails'])}")
    print(f"\n{len(rows)} faults, {len({c for r in rows for c in r['fails']})} cases with a negative control")
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    from .catalog import load_catalog
    from .harness.case import discover

    catalog = load_catalog()
    implemented = discover()
    if args.faults:
        return _list_faults(args.json)
    role = {"station": "CS", "csms": "CSMS"}.get(args.role, args.role) if args.role else None
    blocks = {b.upper() for b in args.block} if args.block else None

    def selected(case_role: str, block: str) -> bool:
        return (role is None or case_role == role) and (blocks is None or block in blocks)

    rows = []
    for tc in catalog.test_cases.values():
        if not selected(tc.role, tc.block) or (args.implemented and tc.id not in implemented):
            continue
        row = tc.to_dict()
        row["implemented"] = tc.id in implemented
        if tc.id in implemented:
            row["negative_controls"] = list(implemented[tc.id].faults)
        rows.append(row)
    beyond = [m.to_json() | {"implemented": True} for m in implemented.values()
              if m.beyond_catalog and selected(m.role, m.block)]
    coverage: dict[str, dict[str, int]] = {}
    for row in rows:
        if row.get("removed_by"):
            continue  # listed, but out of the certification program (a Part 5 erratum): not counted
        key = f"{row['block']} {row['role']}"
        entry = coverage.setdefault(key, {"cases": 0, "implemented": 0})
        entry["cases"] += 1
        entry["implemented"] += int(row["implemented"])
    if args.json:
        print(json.dumps({"catalog_version": _catalog_version(), "count": len(rows), "beyond_catalog": len(beyond),
                          "implemented": sum(r["implemented"] for r in rows), "coverage": coverage,
                          "test_cases": rows + beyond}, indent=2, default=list))
        return EXIT_OK
    for row in rows + beyond:
        mark = "*" if row["implemented"] else " "
        removed = f"  [removed from certification by Part 5 erratum {row['removed_by']}]" if row.get("removed_by") else ""
        print(f"{mark} {row['id']:<16} {row['title']}{removed}")
    print(f"\n{len(rows) + len(beyond)} test cases, {sum(r['implemented'] for r in rows + beyond)} implemented (*)")
    return EXIT_OK


def _catalog_version() -> str:
    from .catalog import CATALOG_VERSION

    return CATALOG_VERSION


# --------------------------------------------------------------------------- validate
def cmd_validate(args: argparse.Namespace) -> int:
    """Output format and exit codes: see the :mod:`conformance.validate` docstring."""
    from .validate import validate_stream

    source = "<stdin>" if args.input in (None, "-") else args.input
    try:
        if args.input in (None, "-"):
            text = sys.stdin.read()
        else:
            text = Path(args.input).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        print(f"cannot read {source}: not UTF-8 text ({exc.reason} at byte {exc.start})", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:
        print(f"cannot read {source}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_ERROR
    report = validate_stream(text)
    if report.unreadable:
        print(f"{source}: {report.reason}", file=sys.stderr)
        return EXIT_ERROR
    for finding in report.findings:
        print(f"{source}:{finding}")
    print(f"{report.frames} frame(s) checked, {len(report.findings)} violation(s)", file=sys.stderr)
    return EXIT_FAILED if report.findings else EXIT_OK


# --------------------------------------------------------------------------- build
def cmd_build(args: argparse.Namespace) -> int:
    from .protocol.examples import build_example
    from .protocol.schemas import get_registry

    registry = get_registry()
    action = args.action.removesuffix("Request")
    kind = "request"
    if action.endswith("Response"):
        action, kind = action.removesuffix("Response"), "response"
    if args.response:
        kind = "response"
    if not registry.is_known(action):
        print(f"unknown message {args.action!r}; known: {', '.join(sorted(registry.actions))}", file=sys.stderr)
        return EXIT_ERROR
    payload = build_example(action, kind, full=args.full)
    if args.frame:
        from .protocol.frames import Call, CallResult, new_message_id

        frame = Call(new_message_id(), action, payload) if kind == "request" else CallResult(new_message_id(), payload)
        print(json.dumps(frame.to_list(), indent=2))
    else:
        print(json.dumps(payload, indent=2))
    return EXIT_OK


# --------------------------------------------------------------------------- reference
def cmd_reference(args: argparse.Namespace) -> int:
    from .reporting.reference import write_reference

    index = write_reference(Path(args.out))
    print(index)
    return EXIT_OK


# --------------------------------------------------------------------------- serve
def cmd_serve(args: argparse.Namespace) -> int:
    from .reference.faults import FaultSet

    try:
        faults = FaultSet(args.fault or [], sut=args.what)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_ERROR

    async def serve() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        if args.what == "station":
            from .reference.station import ReferenceStation

            evses = [(i + 1, (1,)) for i in range(args.evses)]
            sut: Any = ReferenceStation(csms_url=args.csms_url, identity=args.identity, password=args.password,
                                        evses=evses, faults=faults)
            await sut.start()
            print(f"reference station {args.identity} connecting to {args.csms_url}", flush=True)
        else:
            from .reference.csms import ReferenceCsms

            passwords = {}
            for spec in args.station or ["CS001"]:
                identity, _, password = spec.partition(":")
                passwords[identity] = password or None
            sut = ReferenceCsms(host=args.host, port=args.port, path=args.path, passwords=passwords,
                                security_profile=1 if any(passwords.values()) else 0, faults=faults)
            await sut.start()
            print(f"reference CSMS listening on {sut.url}/<identity>", flush=True)
        await stop.wait()
        await sut.stop()

    asyncio.run(serve())
    return EXIT_OK


# --------------------------------------------------------------------------- main
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ocpp-conformance", description="OCPP 2.0.1 conformance test suite")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run the test cases (no --config: against the built-in reference SUTs)")
    run.add_argument("--config", help="SUT configuration (TOML); without it the reference SUTs are tested")
    run.add_argument("--role", choices=["station", "csms", "both"], help="which role to test (no --config only)")
    run.add_argument("--block", action="append", help="functional block letter (repeatable)")
    run.add_argument("--profile", action="append", help="certification profile (repeatable)")
    run.add_argument("--case", action="append", help="test case id, e.g. TC_B_01_CS (repeatable)")
    run.add_argument("--fault", action="append", help="switch on a reference SUT fault (negative control)")
    run.add_argument("--set", action="append", metavar="KEY=VALUE", help="override a configuration key")
    run.add_argument("--without-feature", action="append", metavar="FEATURE",
                     help="declare the SUT without a Part 5 feature, e.g. C-13 (the reference SUT then behaves as a "
                          "product without it; repeatable)")
    run.add_argument("--strict", action="store_true", help="accept only preferred CALLERROR codes")
    run.add_argument("--keep-going", action="store_true",
                     help="when the SUT stops answering and cannot be brought back to the state a case starts from, "
                          "still try every remaining case (default: they are INCONCLUSIVE and the run stops)")
    run.add_argument("--run-dir", help="output folder (default reports/<run-id>)")
    run.add_argument("--expected-failures", metavar="FILE",
                     help="TOML file of [[expected_failure]] case/reason entries: known failures do not fail the "
                          "gate; one that passes does")
    run.add_argument("-v", "--verbose", action="store_true")
    run.set_defaults(func=cmd_run)

    rep = sub.add_parser("report", help="render the reports again from a run's event log (offline); exits as "
                                        "`run` did (0 passed, 1 a case did not pass or did not finish)")
    rep.add_argument("log", help="a run folder or its events.jsonl")
    rep.add_argument("--out", help="output folder (default: next to the log)")
    rep.add_argument("--expected-failures", metavar="FILE",
                     help="the expected-failures file the run was given (the exit code then agrees with the run's)")
    rep.set_defaults(func=cmd_report)

    lst = sub.add_parser("list", help="list the catalog of test cases")
    lst.add_argument("--json", action="store_true")
    lst.add_argument("--role", choices=["station", "csms", "CS", "CSMS"])
    lst.add_argument("--block", action="append")
    lst.add_argument("--implemented", action="store_true", help="only implemented cases")
    lst.add_argument("--faults", action="store_true",
                     help="the negative-control matrix: each reference-SUT fault, what it breaks, the cases it fails")
    lst.set_defaults(func=cmd_list)

    val = sub.add_parser("validate", help="validate a frame or a JSON-lines log of frames (exit 1 on violations)")
    val.add_argument("input", nargs="?", help="file, or - / nothing for stdin")
    val.set_defaults(func=cmd_validate)

    bld = sub.add_parser("build", help="print a schema-valid example payload")
    bld.add_argument("action", help="e.g. BootNotification, BootNotificationResponse")
    bld.add_argument("--response", action="store_true", help="the response payload")
    bld.add_argument("--full", action="store_true", help="every optional field too")
    bld.add_argument("--frame", action="store_true", help="wrap it in a CALL / CALLRESULT frame")
    bld.set_defaults(func=cmd_build)

    ref = sub.add_parser("reference", help="write the HTML message reference (64 messages, fields, examples, errors)")
    ref.add_argument("--out", default=str(Path("reports") / "reference"),
                     help="output folder (default reports/reference)")
    ref.set_defaults(func=cmd_reference)

    srv = sub.add_parser("serve", help="run a reference SUT standalone")
    srv_sub = srv.add_subparsers(dest="what", required=True)
    st = srv_sub.add_parser("station", help="the reference Charging Station")
    st.add_argument("--csms-url", required=True, help="the CSMS's OCPP-J endpoint, e.g. ws://127.0.0.1:9000/ocpp")
    st.add_argument("--identity", default="CS001")
    st.add_argument("--password")
    st.add_argument("--evses", type=int, default=1)
    st.add_argument("--fault", action="append")
    cs = srv_sub.add_parser("csms", help="the reference CSMS")
    cs.add_argument("--host", default="127.0.0.1")
    cs.add_argument("--port", type=int, default=9000)
    cs.add_argument("--path", default="/ocpp")
    cs.add_argument("--station", action="append", metavar="IDENTITY[:PASSWORD]", help="a registered station")
    cs.add_argument("--fault", action="append")
    srv.set_defaults(func=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
