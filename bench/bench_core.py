#!/usr/bin/env python
"""Benchmark of the harness core: per-frame cost and loopback round-trip time.

    python bench/bench_core.py [--quick] [--json out.json]

1. Per inbound frame: ``parse_frame`` -> ``SchemaRegistry.validate`` -> ``EventLog.emit("frame")``,
   each stage alone and the whole pipeline, with an in-memory and a file-backed event log, for a
   BootNotificationRequest and a TransactionEventRequest carrying 10 sampledValues.
2. Round-trip time on 127.0.0.1: a bare ``websockets`` echo versus the harness
   (``CsmsServer`` + ``open_station_connection`` + ``Connection.call("Heartbeat", {})``).

This is a script, not a test: it asserts only that its inputs are valid and that the round trips
succeed. Everything runs in one process and one asyncio event loop, is bounded, and stops by
itself. See bench/README.md for how to read the numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Callable

import orjson

from conformance.protocol.frames import Call, encode, parse_frame
from conformance.protocol.schemas import get_registry
from conformance.recording import EventLog

pc = time.perf_counter_ns

HOST = "127.0.0.1"
DATE = "2025-01-01T00:00:00Z"


# ------------------------------------------------------------------------------------------------
# Settings
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    name: str
    warmup_ns: int  # per-frame: warm-up time per measurement (also used to size the batches)
    batch_ns: int  # per-frame: target duration of one timed batch
    batches: int  # per-frame: timed batches per measurement
    rtt_warmup: int  # round trips before timing, per variant
    rtt_rounds: int  # timed rounds per variant (variants interleaved round by round)
    rtt_per_round: int  # sequential round trips per round
    overall_timeout_s: float  # hard bound on the asyncio part


FULL = Settings("full", warmup_ns=100_000_000, batch_ns=5_000_000, batches=60,
                rtt_warmup=500, rtt_rounds=25, rtt_per_round=200, overall_timeout_s=90)
QUICK = Settings("quick", warmup_ns=20_000_000, batch_ns=2_000_000, batches=15,
                 rtt_warmup=100, rtt_rounds=8, rtt_per_round=100, overall_timeout_s=30)


# ------------------------------------------------------------------------------------------------
# Statistics
# ------------------------------------------------------------------------------------------------


def p90(values: list[float]) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=10, method="inclusive")[8]


@dataclass
class Result:
    section: str  # "per_frame" | "rtt"
    subject: str  # frame name, or RTT variant
    stage: str
    median_ns: float
    p90_ns: float
    min_ns: float
    samples: int  # batches (per_frame) or round trips (rtt)
    ops_per_sample: int = 1
    extra: dict[str, Any] = field(default_factory=dict)


# ------------------------------------------------------------------------------------------------
# Payloads
# ------------------------------------------------------------------------------------------------


def boot_notification_payload() -> dict[str, Any]:
    return {
        "reason": "PowerUp",
        "chargingStation": {
            "model": "ACME-Wallbox-22",
            "vendorName": "ACME Charging",
            "serialNumber": "ACW22-000123456",
            "firmwareVersion": "4.2.1+build.77",
            "modem": {"iccid": "8931440400000000001", "imsi": "204080000000001"},
        },
    }


def transaction_event_payload() -> dict[str, Any]:
    """TransactionEvent Updated / MeterValuePeriodic with one meterValue of 10 sampledValues."""
    rows = [  # (measurand, phase, unit, multiplier, value)
        ("Energy.Active.Import.Register", "L1", "Wh", 0, 4211.5),
        ("Energy.Active.Import.Register", "L2", "Wh", 0, 4198.25),
        ("Energy.Active.Import.Register", "L3", "Wh", 0, 4205.0),
        ("Power.Active.Import", "L1", "W", 0, 3678.4),
        ("Power.Active.Import", "L2", "W", 0, 3661.9),
        ("Power.Active.Import", "L3", "W", 0, 3670.2),
        ("Current.Import", "L1", "A", 0, 15.98),
        ("Current.Import", "L2", "A", 0, 15.91),
        ("Current.Import", "L3", "A", 0, 15.95),
        ("Voltage", "L1-N", "V", 0, 230.2),
    ]
    sampled = [{"value": value, "measurand": measurand, "phase": phase, "context": "Sample.Periodic",
                "location": "Outlet", "unitOfMeasure": {"unit": unit, "multiplier": multiplier}}
               for measurand, phase, unit, multiplier, value in rows]
    return {
        "eventType": "Updated",
        "timestamp": "2025-01-01T12:30:00.000Z",
        "triggerReason": "MeterValuePeriodic",
        "seqNo": 7,
        "transactionInfo": {"transactionId": "3f1c2a9e-7b4d-4e2a-9c1e-5d6f7a8b9c0d",
                            "chargingState": "Charging", "timeSpentCharging": 1800},
        "evse": {"id": 1, "connectorId": 1},
        "idToken": {"idToken": "04A2B3C4D5E6F7", "type": "ISO14443"},
        "meterValue": [{"timestamp": "2025-01-01T12:30:00.000Z", "sampledValue": sampled}],
    }


FRAMES: list[tuple[str, str, dict[str, Any]]] = [
    ("BootNotification", "BootNotification", boot_notification_payload()),
    ("TransactionEvent(10 sv)", "TransactionEvent", transaction_event_payload()),
]


# ------------------------------------------------------------------------------------------------
# 1. Per-frame cost
# ------------------------------------------------------------------------------------------------

Prepare = Callable[[], tuple[Callable[[], Any], Callable[[], None] | None]]


@dataclass
class _Bench:
    subject: str
    stage: str
    prepare: Prepare
    per_batch: int = 0
    per_op: list[float] = field(default_factory=list)


def _run_batch(prepare: Prepare, count: int) -> float:
    """ns per op over ``count`` back-to-back calls; ``prepare()`` is outside the timed region."""
    op, cleanup = prepare()
    loop = range(count)
    t0 = pc()
    for _ in loop:
        op()
    t1 = pc()
    if cleanup:
        cleanup()
    return (t1 - t0) / count


def _measure_all(benches: list[_Bench], s: Settings) -> None:
    """Warm up and size every benchmark, then time them interleaved: batch i of every benchmark
    runs before batch i+1 of any (rotating the order), so a burst of machine noise hits all of
    them alike instead of one stage."""
    for b in benches:
        op, cleanup = b.prepare()
        n = 0
        start = pc()
        while pc() - start < s.warmup_ns:
            op()
            n += 1
        estimate = (pc() - start) / n
        if cleanup:
            cleanup()
        b.per_batch = max(1, int(s.batch_ns / estimate))
    for i in range(s.batches):
        k = i % len(benches)
        for b in benches[k:] + benches[:k]:
            b.per_op.append(_run_batch(b.prepare, b.per_batch))


def record_data(text: str, call: Call) -> dict[str, Any]:
    """What ``Connection._record_frame`` passes to ``EventLog.emit`` for a valid inbound CALL."""
    return {"connection": "BENCH01", "local_role": "CSMS", "direction": "in", "raw": text,
            "message_type": "CALL", "message_id": call.message_id, "action": call.action,
            "payload": call.payload, "valid": True}


def bench_per_frame(s: Settings, tmp: Path) -> list[Result]:
    registry = get_registry()
    counter = iter(range(10**9))
    sizes: dict[str, int] = {}

    def memory_log() -> tuple[EventLog, Callable[[], None]]:
        log = EventLog(None)  # fresh per batch: the list does not grow across batches
        return log, log.close

    def file_log() -> tuple[EventLog, Callable[[], None]]:
        path = tmp / f"events-{next(counter)}.jsonl"
        log = EventLog(path)

        def cleanup() -> None:
            log.close()
            path.unlink(missing_ok=True)

        return log, cleanup

    # the cost of the timing loop itself (a no-op closure call), reported, not subtracted
    def noop() -> None:
        return None

    benches = [_Bench("-", "loop overhead", lambda: (noop, None))]

    for label, action, payload in FRAMES:
        text = encode(Call("6f1d8b2e-4c3a-4b5e-9f70-1a2b3c4d5e6f", action, payload))
        call = parse_frame(text)
        assert isinstance(call, Call) and call.action == action and call.payload == payload
        violations = registry.validate(action, "request", call.payload)
        if violations:
            raise SystemExit(f"benchmark payload {action}Request is not schema-valid: "
                             + "; ".join(f"{v.path}: {v.message}" for v in violations))
        data = record_data(text, call)
        sizes[label] = len(text.encode())

        def parse(text: str = text) -> Any:
            return parse_frame(text)

        def validate(action: str = action, payload: dict = call.payload) -> Any:
            return registry.validate(action, "request", payload)

        def record_with(make_log: Callable[[], tuple[EventLog, Callable[[], None]]],
                        data: dict = data) -> Prepare:
            def prepare() -> tuple[Callable[[], Any], Callable[[], None]]:
                log, cleanup = make_log()
                emit = log.emit
                return (lambda: emit("frame", **data)), cleanup
            return prepare

        def pipeline_with(make_log: Callable[[], tuple[EventLog, Callable[[], None]]],
                          text: str = text) -> Prepare:
            validate_ = registry.validate

            def prepare() -> tuple[Callable[[], Any], Callable[[], None]]:
                log, cleanup = make_log()
                emit = log.emit

                def op() -> None:
                    frame = parse_frame(text)
                    violations = validate_(frame.action, "request", frame.payload)
                    emit("frame", connection="BENCH01", local_role="CSMS", direction="in", raw=text,
                         message_type="CALL", message_id=frame.message_id, action=frame.action,
                         payload=frame.payload, valid=not violations)
                return op, cleanup
            return prepare

        measurements: list[tuple[str, Prepare]] = [
            ("parse", lambda parse=parse: (parse, None)),
            ("validate", lambda validate=validate: (validate, None)),
            ("record (memory)", record_with(memory_log)),
            ("record (file)", record_with(file_log)),
            ("pipeline (memory)", pipeline_with(memory_log)),
            ("pipeline (file)", pipeline_with(file_log)),
        ]
        benches += [_Bench(label, stage, prepare) for stage, prepare in measurements]
    gc.collect()
    _measure_all(benches, s)
    return [Result("per_frame", b.subject, b.stage, statistics.median(b.per_op), p90(b.per_op), min(b.per_op),
                   len(b.per_op), b.per_batch, {"frame_bytes": sizes[b.subject]} if b.subject in sizes else {})
            for b in benches]


# ------------------------------------------------------------------------------------------------
# 2. Round-trip time
# ------------------------------------------------------------------------------------------------


async def bench_rtt(s: Settings, tmp: Path, info: dict[str, Any]) -> list[Result]:
    from websockets.asyncio.client import connect
    from websockets.asyncio.server import serve

    from conformance.transport.client import open_station_connection
    from conformance.transport.server import CsmsServer

    loop_type = type(asyncio.get_running_loop())
    info["event_loop"] = f"{loop_type.__module__}.{loop_type.__name__}"

    # -- (a) bare websockets echo, same transport settings as the harness (ping off, deflate on)
    async def echo(ws: Any) -> None:
        async for message in ws:
            await ws.send(message)

    echo_server = await serve(echo, HOST, 0, ping_interval=None, compression="deflate", max_size=2**22)
    echo_port = next(iter(echo_server.sockets)).getsockname()[1]
    echo_ws = await connect(f"ws://{HOST}:{echo_port}/", ping_interval=None, compression="deflate",
                            max_size=2**22, open_timeout=5)
    # the same size as the harness's Heartbeat CALL text
    probe = encode(Call("6f1d8b2e-4c3a-4b5e-9f70-1a2b3c4d5e6f", "Heartbeat", {}))

    async def raw_rtt(n: int) -> list[int]:
        out = []
        for _ in range(n):
            t0 = pc()
            await echo_ws.send(probe)
            reply = await echo_ws.recv()  # no per-call wait_for (it would add a Task); the run is bounded
            out.append(pc() - t0)
        assert reply == probe
        return out

    # -- (b) the harness: CsmsServer + station Connection, Heartbeat CALL / CALLRESULT
    def default_handler_for(identity: str) -> Any:
        return lambda incoming: {"currentTime": DATE}

    servers: list[CsmsServer] = []
    conns: list[Any] = []
    logs: list[EventLog] = []

    async def harness(file_backed: bool) -> Any:
        def new_log(name: str) -> EventLog:
            log = EventLog(tmp / f"rtt-{name}.jsonl") if file_backed else EventLog(None)
            logs.append(log)
            return log

        tag = "file" if file_backed else "mem"
        server = CsmsServer(host=HOST, port=0, path="", log=new_log(f"csms-{tag}"), message_timeout=5,
                            security_profile=0, handled_actions=None, default_handler_for=default_handler_for)
        await server.start()
        servers.append(server)
        conn = await open_station_connection(server.url, f"BENCH-{tag}", password=None,
                                             log=new_log(f"station-{tag}"), message_timeout=5,
                                             connect_timeout=5)
        conns.append(conn)
        return conn

    async def harness_rtt(conn: Any, n: int) -> list[int]:
        out = []
        for _ in range(n):
            t0 = pc()
            response = await conn.call("Heartbeat", {})
            out.append(pc() - t0)
            if not response.ok or response.violations:
                raise SystemExit(f"harness Heartbeat failed: {response.describe()} {response.violations}")
        return out

    results: list[Result] = []
    try:
        conn_mem = await harness(file_backed=False)
        conn_file = await harness(file_backed=True)
        variants: list[tuple[str, Callable[[int], Any]]] = [
            ("websockets echo (baseline)", raw_rtt),
            ("harness Heartbeat, memory logs", lambda n: harness_rtt(conn_mem, n)),
            ("harness Heartbeat, file logs", lambda n: harness_rtt(conn_file, n)),
        ]
        for _, run in variants:
            await run(s.rtt_warmup)
        samples: dict[str, list[int]] = {name: [] for name, _ in variants}
        round_medians: dict[str, list[float]] = {name: [] for name, _ in variants}
        for _ in range(s.rtt_rounds):  # interleave variants so drift affects them alike
            for name, run in variants:
                gc.collect()
                got = await run(s.rtt_per_round)
                samples[name].extend(got)
                round_medians[name].append(statistics.median(got))
        for name, _ in variants:
            xs = samples[name]
            rm = round_medians[name]
            results.append(Result("rtt", name, "round trip", statistics.median(xs), p90(xs), min(xs), len(xs), 1,
                                  {"round_median_min_ns": min(rm), "round_median_max_ns": max(rm)}))
    finally:
        for conn in conns:
            await conn.close()
        for server in servers:
            await server.stop()
        await echo_ws.close()
        echo_server.close()
        await asyncio.wait_for(echo_server.wait_closed(), 5)
        for log in logs:
            log.close()
    return results


# ------------------------------------------------------------------------------------------------
# Output
# ------------------------------------------------------------------------------------------------


def machine_info() -> dict[str, Any]:
    def version(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "?"

    return {
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor() or "?",
        "cpu_count": os.cpu_count(),
        "websockets": version("websockets"),
        "orjson": version("orjson"),
        "jsonschema_rs": version("jsonschema-rs"),
    }


def us(ns: float) -> str:
    return f"{ns / 1000:10.2f}"


def print_header(info: dict[str, Any], s: Settings) -> None:
    print(f"machine: Python {info['python']} ({info['implementation']}), {info['platform']}, "
          f"{info['cpu_count']} CPUs ({info['machine']})")
    print(f"libs:    websockets {info['websockets']}, orjson {info['orjson']}, "
          f"jsonschema-rs {info['jsonschema_rs']}; mode: {s.name}")
    print(flush=True)


def print_report(info: dict[str, Any], per_frame: list[Result], rtt: list[Result], elapsed_s: float) -> None:
    print("1. Per inbound frame: parse_frame -> registry.validate(request) -> EventLog.emit('frame')")
    print("   time per operation, median / p90 over batches (each batch = many back-to-back ops)")
    head = (f"   {'frame':<34} {'stage':<18} {'median us':>10} {'p90 us':>10} {'min us':>10} {'share':>6} "
            f"{'batches x ops':>14}")
    print(head)
    print("   " + "-" * (len(head) - 3))
    by_subject: dict[str, dict[str, Result]] = {}
    for r in per_frame:
        by_subject.setdefault(r.subject, {})[r.stage] = r
    for subject, stages in by_subject.items():
        size = next(iter(stages.values())).extra.get("frame_bytes")
        subject = f"{subject} [{size} B]" if size else subject
        for stage, r in stages.items():
            share = ""
            if stage in ("parse", "validate", "record (memory)") and "pipeline (memory)" in stages:
                share = f"{100 * r.median_ns / stages['pipeline (memory)'].median_ns:5.0f}%"
            elif stage == "record (file)" and "pipeline (file)" in stages:
                share = f"{100 * r.median_ns / stages['pipeline (file)'].median_ns:5.0f}%"
            print(f"   {subject:<34} {stage:<18} {us(r.median_ns)} {us(r.p90_ns)} {us(r.min_ns)} {share:>6} "
                  f"{r.samples:>5} x {r.ops_per_sample:<7}")
            subject = ""
    print("   share = stage median / pipeline median of the same log kind (memory or file);")
    print("   loop overhead (one closure call per op) is included in every figure, not subtracted.")
    print()
    print("2. Round-trip time on 127.0.0.1, sequential, client and server in ONE process and ONE event loop")
    print(f"   ({info.get('event_loop', '?')}; compression=deflate, ping off; "
          "harness: both ends are harness Connections)")
    head = (f"   {'variant':<34} {'median us':>10} {'p90 us':>10} {'min us':>10} {'x baseline':>10} "
            f"{'round medians us':>20} {'n':>6}")
    print(head)
    print("   " + "-" * (len(head) - 3))
    base = rtt[0].median_ns if rtt else 0
    for r in rtt:
        lo, hi = r.extra["round_median_min_ns"] / 1000, r.extra["round_median_max_ns"] / 1000
        print(f"   {r.subject:<34} {us(r.median_ns)} {us(r.p90_ns)} {us(r.min_ns)} {r.median_ns / base:10.2f} "
              f"{f'{lo:.1f}..{hi:.1f}':>20} {r.samples:>6}")
    if len(rtt) >= 2:
        print(f"   harness overhead per round trip (memory logs): {(rtt[1].median_ns - base) / 1000:.1f} us "
              f"median ({rtt[1].median_ns / base:.2f}x the bare websockets echo)")
    print()
    print(f"total time: {elapsed_s:.1f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer repeats (under ~10 s)")
    parser.add_argument("--json", metavar="PATH", type=Path, help="also write the results as JSON")
    args = parser.parse_args(argv)
    s = QUICK if args.quick else FULL

    started = time.monotonic()
    info = machine_info()
    print_header(info, s)
    get_registry()  # compile the schemas before anything is timed
    with tempfile.TemporaryDirectory(prefix="ocpp-bench-") as tmp_name:
        tmp = Path(tmp_name)
        per_frame = bench_per_frame(s, tmp)

        async def rtt_bounded() -> list[Result]:
            return await asyncio.wait_for(bench_rtt(s, tmp, info), s.overall_timeout_s)

        rtt = asyncio.run(rtt_bounded())
    elapsed = time.monotonic() - started
    print_report(info, per_frame, rtt, elapsed)

    if args.json is not None:
        doc = {
            "machine": info,
            "settings": asdict(s),
            "units": "ns",
            "same_process_same_event_loop": True,
            "per_frame": [asdict(r) for r in per_frame],
            "rtt": [asdict(r) for r in rtt],
            "harness_over_baseline": (rtt[1].median_ns / rtt[0].median_ns) if len(rtt) >= 2 else None,
            "elapsed_s": elapsed,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_bytes(orjson.dumps(doc, option=orjson.OPT_INDENT_2))
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
