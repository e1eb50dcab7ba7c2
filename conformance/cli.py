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

from .roles import Role
from . import __version__
from .reporting.capping import MAX_FRAMES_SHOWN

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


def _testcases_dir() -> Path:
    import testcases

    return Path(testcases.__file__).resolve().parent


# --------------------------------------------------------------------------- run
def _run_role(role: str, args: argparse.Namespace, run_dir: Path) -> int:
    """Run one role's cases in a pytest process; everything lands in the run's event log."""
    target = _testcases_dir() / role
    cmd = [sys.executable, "-m", "pytest", str(target), "--ocpp-role", role, "--ocpp-run-dir", str(run_dir),
           "-p", "no:cacheprovider", "--rootdir", str(target.parent), "-c", str(Path(__file__).with_name("pytest-cases.ini")),
           "-q" if not args.verbose else "-v", "-rfE", "--no-header", "--ocpp-progress", "--ocpp-no-render",
           f"--alluredir={run_dir / 'allure-results'}"]
    if args.config:
        cmd += ["--ocpp-config", str(Path(args.config).resolve()), "--ocpp-no-preflight"]  # cmd_run did it
    for item in args.set or []:
        cmd += ["--ocpp-set", item]
    from .faults import FAULTS

    for fault in args.fault or []:
        if FAULTS[fault].sut == role:  # each fault to the reference SUT that has it
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
    if args.profile:  # the value markers of the plugin: profile_core, profile_smart_charging, ...
        from .pytest_plugin import _marker_name

        cmd += ["-m", " or ".join(_marker_name("profile", p) for p in args.profile)]
    own_faults = [f for f in args.fault or [] if FAULTS[f].sut == role]
    negative = (f", the reference {'Charging Station' if role == 'station' else 'CSMS'} with the fault(s) "
                f"{', '.join(own_faults)} (a negative control: failures are expected)") if own_faults else ""
    print(f"== {role}: testing the {'Charging Station' if role == 'station' else 'CSMS'}{negative} "
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


def _did_you_mean(word: str, choices: Sequence[str]) -> str:
    import difflib

    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {match[0]!r}?" if match else ""


def _check_selection(args: argparse.Namespace, config_role: str | None) -> list[str]:
    """Check --case, --block and --fault before anything runs; normalise them in ``args``. Returns
    the roles to run (the configuration's, or those the selection needs). _UsageError on bad input."""
    from .harness.case import discover
    from .faults import FAULTS

    implemented = discover()
    roles = [config_role] if config_role else (
        ["station", "csms"] if args.role in (None, "both") else [args.role])
    if args.case:
        by_upper = {case_id.upper(): case_id for case_id in implemented}
        cases = []
        for given in args.case:
            case_id = by_upper.get(given.strip().upper())
            if case_id is None:
                from .catalog import load_catalog

                if given.strip().upper() in {c.upper() for c in load_catalog().test_cases}:
                    raise _UsageError(f"test case {given!r} is in the catalog but not implemented yet "
                                      f"(`ocpp-conformance list --implemented` lists those that are)")
                raise _UsageError(f"unknown test case {given!r}{_did_you_mean(given.upper(), sorted(implemented))}")
            cases.append(case_id)
        args.case = cases
        needed = {implemented[c].sut_role for c in cases}
        if config_role and config_role not in needed:
            raise _UsageError(f"--case {', '.join(cases)}: not a case for the {config_role} this configuration "
                              f"describes")
        roles = [r for r in roles if r in needed]
        if not roles:
            raise _UsageError(f"--case {', '.join(cases)}: no case for --role {args.role}")
    if args.block:
        blocks = sorted({m.block for m in implemented.values()})
        chosen = []
        for given in args.block:
            letter = given.strip().upper()
            if letter not in blocks:
                raise _UsageError(f"unknown functional block {given!r}{_did_you_mean(letter, blocks)} "
                                  f"(blocks with implemented cases: {', '.join(blocks)})")
            chosen.append(letter)
        args.block = chosen
    if args.profile:
        from .catalog import PROFILES

        by_lower = {p.lower(): p for p in PROFILES}
        chosen = []
        for given in args.profile:
            if given.strip().lower() not in by_lower:
                raise _UsageError(f"unknown certification profile {given!r}"
                                  f"{_did_you_mean(given, list(PROFILES))} (profiles: {', '.join(PROFILES)})")
            chosen.append(by_lower[given.strip().lower()])
        args.profile = chosen
    if args.fault:
        for name in args.fault:
            if name not in FAULTS:
                raise _UsageError(f"unknown fault {name!r}{_did_you_mean(name, sorted(FAULTS))} "
                                  f"(`ocpp-conformance list --faults` lists them)")
        suts = {FAULTS[name].sut for name in args.fault}
        if config_role:
            wrong = [n for n in args.fault if FAULTS[n].sut != config_role]
            if wrong:
                raise _UsageError(f"fault(s) {', '.join(wrong)} belong to the reference "
                                  f"{'CSMS' if config_role == 'station' else 'Charging Station'}, but this "
                                  f"configuration tests a {config_role}")
        elif args.role in (None, "both") and not args.case:
            roles = [r for r in roles if r in suts]  # a negative-control run tests the SUT that has the fault
    return roles


def _expected_failures(args: argparse.Namespace) -> dict[str, Any] | None:
    """The ``--expected-failures`` file of ``run`` and ``report`` (empty without one); None, said on stderr, when
    it is invalid."""
    from .reporting.summary import ExpectedFailuresError, load_expected_failures

    if not args.expected_failures:
        return {}
    try:
        return load_expected_failures(Path(args.expected_failures))
    except ExpectedFailuresError as exc:
        print(f"invalid expected-failures file: {exc}", file=sys.stderr)
        return None


def cmd_run(args: argparse.Namespace) -> int:
    from .harness.context import new_run_id
    from .reporting.model import load_model
    from .reporting.render import render_all
    from .reporting.summary import decide, terminal_table

    expected = _expected_failures(args)
    if expected is None:
        return EXIT_ERROR
    if args.config:
        from .config import ConfigError, load_config

        try:
            cfg = load_config(args.config, overrides=args.set or [])
        except ConfigError as exc:
            print(f"invalid configuration:\n{exc}", file=sys.stderr)
            return EXIT_ERROR
        from .preflight import PreflightFailed, preflight

        try:
            preflight(cfg)
        except PreflightFailed as exc:
            print(f"pre-flight check failed: {exc}", file=sys.stderr)
            return EXIT_ERROR
        if args.fault and not cfg.reference:
            print("--fault switches on a fault of a built-in reference SUT; this configuration tests a real SUT "
                  "(reference = false)", file=sys.stderr)
            return EXIT_ERROR
        config_role: str | None = cfg.role
    else:
        config_role = None
        if args.set:  # the reference configurations with the overrides: say a bad key once, up front
            from .config import ConfigError, load_config

            for role in (["station", "csms"] if args.role in (None, "both") else [args.role]):
                try:
                    load_config(None, overrides=args.set, role=role)
                except ConfigError as exc:
                    print(f"invalid --set:\n{exc}", file=sys.stderr)
                    return EXIT_ERROR
    try:
        roles = _check_selection(args, config_role)
    except _UsageError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_ERROR
    run_dir = Path(args.run_dir or Path("reports") / new_run_id())
    try:
        run_dir.mkdir(parents=True, exist_ok=True)
        (run_dir / ".write-test").touch()
        (run_dir / ".write-test").unlink()
    except OSError as exc:
        print(f"cannot write the run folder {run_dir}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_ERROR
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
    report = render_all(model, outcome, run_dir, max_frames=args.max_frames)
    print()
    print(terminal_table(model, outcome, report))
    return outcome.exit_code


def cmd_report(args: argparse.Namespace) -> int:
    from .reporting.model import load_model
    from .reporting.render import render_all
    from .reporting.summary import decide, terminal_table

    source = Path(args.log)
    if not source.exists():
        print(f"no such event log: {source}", file=sys.stderr)
        return EXIT_ERROR
    log_file = source / "events.jsonl" if source.is_dir() else source
    if not log_file.is_file():
        print(f"{source} holds no event log (events.jsonl)", file=sys.stderr)
        return EXIT_ERROR
    expected = _expected_failures(args)
    if expected is None:
        return EXIT_ERROR
    try:
        model = load_model(source)
    except (OSError, UnicodeDecodeError) as exc:
        print(f"cannot read {log_file}: {getattr(exc, 'strerror', None) or exc}", file=sys.stderr)
        return EXIT_ERROR
    if not any(e.get("kind") in ("run_start", "session_start", "case_start") for e in model.events
               if isinstance(e, dict)):
        print(f"{log_file} is not an event log of ocpp-conformance (no run_start / session_start / case_start "
              f"record)", file=sys.stderr)
        return EXIT_ERROR
    out = Path(args.out) if args.out else (source if source.is_dir() else source.parent)
    if out.exists() and not out.is_dir():
        print(f"--out {out} exists and is not a folder", file=sys.stderr)
        return EXIT_ERROR
    try:
        out.mkdir(parents=True, exist_ok=True)
        outcome = decide(model, expected_failures=expected)
        report = render_all(model, outcome, out, max_frames=args.max_frames)
    except OSError as exc:
        print(f"cannot write the reports to {out}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_ERROR
    print(terminal_table(model, outcome, report))
    return outcome.exit_code


# --------------------------------------------------------------------------- list
def _list_faults(as_json: bool) -> int:
    """The negative-control matrix: every fault of the reference SUTs, what it breaks, the cases it fails."""
    from .faults import FAULTS

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
    role = Role.of(args.role) if args.role else None
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
    action = None
    if args.action:
        try:
            action, _ = _message_name(args.action)
        except _UsageError as exc:
            print(str(exc), file=sys.stderr)
            return EXIT_ERROR
    report = validate_stream(text, action=action)
    if report.unreadable:
        print(f"{source}: {report.reason}", file=sys.stderr)
        return EXIT_ERROR
    for finding in report.findings:
        print(f"{source}:{finding}")
    print(f"{report.frames} frame(s) checked, {len(report.findings)} violation(s)", file=sys.stderr)
    return EXIT_FAILED if report.findings else EXIT_OK


# --------------------------------------------------------------------------- build
def _message_name(text: str) -> tuple[str, str]:
    """(OCPP action, "request" | "response") for a message name in any letter case: ``bootnotification``,
    ``BootNotificationResponse``; _UsageError with a "did you mean" for an unknown one."""
    from .protocol.schemas import get_registry

    registry = get_registry()
    by_lower = {a.lower(): a for a in registry.actions}
    name = text.strip()
    kind = "request"
    lowered = name.lower()
    if lowered.endswith("response"):
        lowered, kind = lowered.removesuffix("response"), "response"
    elif lowered.endswith("request"):
        lowered = lowered.removesuffix("request")
    action = by_lower.get(lowered)
    if action is None:
        match = _did_you_mean(lowered, sorted(by_lower))
        hint = f"\ndid you mean {by_lower[match.split(chr(39))[1]]!r}?" if match else ""
        raise _UsageError(f"unknown message {text!r}; known: {', '.join(sorted(registry.actions))}{hint}")
    return action, kind


def cmd_build(args: argparse.Namespace) -> int:
    from .protocol.examples import build_example
    from .protocol.schemas import get_registry

    try:
        action, kind = _message_name(args.action)
    except _UsageError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_ERROR
    if args.response:
        kind = "response"
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

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        print(f"--out {out} exists and is not a folder", file=sys.stderr)
        return EXIT_ERROR
    try:
        index = write_reference(out)
    except OSError as exc:
        print(f"cannot write the reference to {out}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_ERROR
    print(index)
    return EXIT_OK


# --------------------------------------------------------------------------- serve
def _serve_sut(args: argparse.Namespace, faults: Any) -> tuple[Any, str]:
    """The reference SUT ``serve`` runs (from ``--config`` or the options) and its OCPP-J address."""
    if args.config:
        from .config import ConfigError, load_config
        from .reference.serve import csms_from_config, station_from_config

        try:
            cfg = load_config(args.config, overrides=args.set or [])
        except ConfigError as exc:
            raise _UsageError(f"invalid configuration:\n{exc}") from None
        if cfg.role != args.what:
            raise _UsageError(f"{args.config} describes a {cfg.role} SUT: serve it with `serve {cfg.role}`")
        try:
            sut = station_from_config(cfg, faults) if args.what == "station" else csms_from_config(cfg, faults)
        except ValueError as exc:
            raise _UsageError(f"{args.config}: {exc}") from None
        url = cfg.actions.url if cfg.actions.backend == "webhook" else None
        if url and args.actions_port is None:  # listen where the configuration's webhook backend will POST
            from urllib.parse import urlsplit

            parts = urlsplit(url)
            if parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost", "::1") and parts.port:
                args.actions_host, args.actions_port = parts.hostname, parts.port
        return sut, (sut.csms_url if args.what == "station" else cfg.connection.csms_url)
    if args.what == "station":
        from .reference.station import ReferenceStation

        if not args.csms_url:
            raise _UsageError("serve station needs --csms-url (or --config with a station configuration)")
        evses = [(i + 1, (1,)) for i in range(args.evses)]
        return ReferenceStation(csms_url=args.csms_url, identity=args.identity, password=args.password,
                                evses=evses, faults=faults), args.csms_url
    from .reference.csms import ReferenceCsms

    passwords = {}
    for spec in args.station or ["CS001"]:
        identity, _, password = spec.partition(":")
        passwords[identity] = password or None
    return ReferenceCsms(host=args.host, port=args.port, path=args.path, passwords=passwords,
                         security_profile=1 if any(passwords.values()) else 0, faults=faults), ""


class _UsageError(Exception):
    """Bad input to a command: its message is printed, the command exits 2."""


def _listen_error(what: str, host: str, port: int, exc: OSError) -> str:
    import errno

    if exc.errno == errno.EADDRINUSE:
        return f"cannot listen for {what} on {host}:{port}: port {port} is in use, something else listens there"
    if exc.errno == errno.EACCES:
        return f"cannot listen for {what} on {host}:{port}: permission denied (ports below 1024 need privileges)"
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"cannot listen for {what} on {host}:{port}: {host} is not an address of this machine"
    return f"cannot listen for {what} on {host}:{port}: {exc.strerror or exc}"


def cmd_serve(args: argparse.Namespace) -> int:
    """A reference SUT standalone, with the action contract over HTTP (conformance/reference/serve.py)."""
    from .faults import FaultSet
    from .reference.serve import ActionEndpoint

    try:
        faults = FaultSet(args.fault or [], sut=args.what)
        sut, url = _serve_sut(args, faults)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_ERROR
    except _UsageError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_ERROR

    async def serve() -> int:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        endpoint = ActionEndpoint(sut, role=args.what, host=args.actions_host, port=args.actions_port or 0)
        try:
            await sut.start()
        except OSError as exc:
            server = getattr(sut, "server", None)
            print(_listen_error("OCPP-J", getattr(server, "host", args.what), getattr(server, "port", 0), exc),
                  file=sys.stderr)
            return EXIT_ERROR
        try:
            await endpoint.start()
        except OSError as exc:
            await sut.stop()
            print(_listen_error("the action endpoint", args.actions_host, args.actions_port or 0, exc),
                  file=sys.stderr)
            return EXIT_ERROR
        if args.what == "station":
            print(f"reference station {sut.identity} connecting to {url}", flush=True)
        else:
            print(f"reference CSMS listening on {sut.url}/<identity>", flush=True)
        print(f"actions: POST {endpoint.url}/actions/<action> (docs/actions.md)", flush=True)
        await stop.wait()
        await endpoint.stop()
        await sut.stop()
        return EXIT_OK

    return asyncio.run(serve())


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a port number (0-65535)")
    return value


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
    run.add_argument("--max-frames", type=_count, default=MAX_FRAMES_SHOWN, metavar="N",
                     help=f"frames the HTML report shows per case, the first and the last half (default "
                          f"{MAX_FRAMES_SHOWN}; 0: all); events.jsonl keeps every frame")
    run.add_argument("-v", "--verbose", action="store_true")
    run.set_defaults(func=cmd_run)

    rep = sub.add_parser("report", help="render the reports again from a run's event log (offline); exits as "
                                        "`run` did (0 passed, 1 a case did not pass or did not finish)")
    rep.add_argument("log", help="a run folder or its events.jsonl")
    rep.add_argument("--out", help="output folder (default: next to the log)")
    rep.add_argument("--expected-failures", metavar="FILE",
                     help="the expected-failures file the run was given (the exit code then agrees with the run's)")
    rep.add_argument("--max-frames", type=_count, default=MAX_FRAMES_SHOWN, metavar="N",
                     help=f"frames the HTML report shows per case (default {MAX_FRAMES_SHOWN}; 0: all)")
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
    val.add_argument("--action", metavar="NAME", help="the action a lone response answers (a CALLRESULT whose CALL "
                                                      "is not in the input), e.g. BootNotification")
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

    srv = sub.add_parser("serve", help="run a reference SUT standalone, a stand-in for a real SUT (OCPP-J and the "
                                       "HTTP action endpoints of docs/actions.md)")
    srv_sub = srv.add_subparsers(dest="what", required=True)
    st = srv_sub.add_parser("station", help="the reference Charging Station")
    cs = srv_sub.add_parser("csms", help="the reference CSMS")
    for p in (st, cs):
        p.add_argument("--config", help="a real-SUT configuration (TOML) of this role: the stand-in takes its "
                                        "connection, EVSEs, id tokens and PICS, and listens for actions where its "
                                        "webhook backend points (a dry run of that configuration)")
        p.add_argument("--set", action="append", metavar="KEY=VALUE", help="override a configuration key")
        p.add_argument("--fault", action="append")
        p.add_argument("--actions-host", default="127.0.0.1", help="the action endpoint's address")
        p.add_argument("--actions-port", type=_port, help="the action endpoint's port (default: the port of the "
                                                          "configuration's actions.url, else any free port)")
    st.add_argument("--csms-url", help="the CSMS's OCPP-J endpoint, e.g. ws://127.0.0.1:9000/ocpp")
    st.add_argument("--identity", default="CS001")
    st.add_argument("--password")
    st.add_argument("--evses", type=int, default=1)
    cs.add_argument("--host", default="127.0.0.1")
    cs.add_argument("--port", type=_port, default=9000)
    cs.add_argument("--path", default="/ocpp")
    cs.add_argument("--station", action="append", metavar="IDENTITY[:PASSWORD]", help="a registered station")
    srv.set_defaults(func=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_ERROR
    except _UsageError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:  # a path that cannot be read or written: say it, no traceback
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        print(f"ocpp-conformance {args.command}: {exc.strerror or exc}{where}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
