"""`ocpp-conformance serve`: the reference SUTs standalone, in their own process."""

from __future__ import annotations

import asyncio
import json
import re
import signal
import sys
from pathlib import Path

import pytest

from conformance.recording import EventLog
from conformance.catalog import actions_handled_by
from conformance.transport.client import open_station_connection
from conformance.transport.server import CsmsServer
from support import free_port

TIMEOUT = 10.0


async def start(*args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(sys.executable, "-m", "conformance.cli", "serve", *args,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)


async def stop(proc: asyncio.subprocess.Process) -> int:
    proc.send_signal(signal.SIGTERM)
    async with asyncio.timeout(TIMEOUT):
        return await proc.wait()


async def test_serve_csms_accepts_a_registered_station() -> None:
    port = free_port()
    proc = await start("csms", "--port", str(port), "--station", "CS042:a-long-enough-password-1")
    try:
        async with asyncio.timeout(TIMEOUT):
            line = (await proc.stdout.readline()).decode()  # type: ignore[union-attr]
        assert f"ws://127.0.0.1:{port}/ocpp" in line
        conn = await open_station_connection(f"ws://127.0.0.1:{port}/ocpp", "CS042",
                                             password="a-long-enough-password-1", log=None,
                                             message_timeout=TIMEOUT, connect_timeout=TIMEOUT)
        boot = await conn.call("BootNotification", {"reason": "PowerUp",
                                                    "chargingStation": {"model": "m", "vendorName": "v"}})
        assert boot.payload["status"] == "Accepted"
        await conn.close()
    finally:
        assert await stop(proc) == 0


async def test_serve_station_boots_against_a_csms() -> None:
    server = CsmsServer(host="127.0.0.1", port=0, path="/ocpp", log=EventLog(), message_timeout=TIMEOUT,
                        security_profile=0, handled_actions=actions_handled_by("CSMS"),
                        default_handler_for=lambda identity: lambda incoming: (
                            {"currentTime": "2025-01-01T00:00:00Z", "interval": 300, "status": "Accepted"}
                            if incoming.action == "BootNotification" else {}))
    await server.start()
    proc = await start("station", "--csms-url", server.url, "--identity", "CS077", "--evses", "2")
    try:
        conn = await server.wait_for_connection("CS077", timeout=TIMEOUT)
        boot = await conn.expect_call("BootNotification", timeout=TIMEOUT)
        assert boot.payload["reason"] == "PowerUp"
        await conn.expect_call("StatusNotification", evseId=2, connectorId=1, timeout=TIMEOUT)
    finally:
        assert await stop(proc) == 0
        await server.stop()


async def test_serve_with_an_unknown_fault_is_refused() -> None:
    proc = await start("csms", "--port", str(free_port()), "--fault", "nope")
    async with asyncio.timeout(TIMEOUT):
        output, _ = await proc.communicate()
    assert proc.returncode == 2
    assert b"unknown fault" in output and b"Traceback" not in output


# --------------------------------------------------------------------------- dry run of a real-SUT configuration
# A user's configuration for a real SUT (reference = false, a fixed port, the webhook action backend), run
# against `serve` as the stand-in: `serve <role> --config cfg` takes the configuration's connection, EVSEs,
# id tokens and PICS and listens for actions where actions.url points; `run --config cfg` must PASS.
REFERENCE_CONFIG = {"station": "fixtures/reference-station.toml", "csms": "fixtures/reference-csms.toml"}
DRY_RUN_CASES = {"station": ["TC_B_01_CS", "TC_B_06_CS", "TC_G_01_CS"],
                 "csms": ["TC_B_01_CSMS", "TC_B_06_CSMS", "TC_G_03_CSMS"]}


def real_sut_config(tmp_path: Path, role: str) -> Path:
    """The reference setup spelled out as a real-SUT configuration: reference = false, fixed ports, a
    webhook action backend, other identities and id tokens than the reference defaults."""
    from support import REPO

    text = (REPO / REFERENCE_CONFIG[role]).read_text()
    ocpp_port, actions_port = free_port(), free_port()
    text = text.replace("reference = true", "reference = false")
    text = text.replace('pics_file = "pics/full.toml"', f'pics_file = "{REPO / "fixtures/pics/full.toml"}"')
    text = text.replace('"A1B2C3D4"', '"DRYRUN-VALID-1"').replace('"BADBAD01"', '"DRYRUN-UNKNOWN"')
    text = text.replace('identity = "CS001"', 'identity = "DRY-RUN-01"')
    text = text.replace("connect_timeout = 10.0", "connect_timeout = 40.0")  # the station's reconnect back-off
    if role == "station":
        text = re.sub(r"(?m)^listen_port = 0.*$", f"listen_port = {ocpp_port}", text)
    else:
        text = re.sub(r"(?m)^listen_port = 0.*$", "", text).replace('path = "/ocpp"', "")
        text = re.sub(r'(?m)^listen_host = .*$', f'csms_url = "ws://127.0.0.1:{ocpp_port}/ocpp"', text)
    text = text.replace('backend = "reference"', f'backend = "webhook"\nurl = "http://127.0.0.1:{actions_port}/sut"')
    assert str(ocpp_port) in text and "webhook" in text and "reference = false" in text
    path = tmp_path / f"my-{role}.toml"
    path.write_text(text)
    return path


async def read_until(proc: asyncio.subprocess.Process, marker: str) -> str:
    seen = ""
    async with asyncio.timeout(TIMEOUT):
        while marker not in seen:
            line = (await proc.stdout.readline()).decode()  # type: ignore[union-attr]
            assert line, f"serve ended early: {seen}"
            seen += line
    return seen


@pytest.mark.parametrize("role", ["station", "csms"])
async def test_a_real_sut_configuration_dry_runs_against_serve(tmp_path: Path, role: str) -> None:
    config = real_sut_config(tmp_path, role)
    proc = await start(role, "--config", str(config))
    try:
        banner = await read_until(proc, "actions: POST")
        assert "/actions/<action>" in banner
        run_dir = tmp_path / "run"
        cmd = [sys.executable, "-m", "conformance.cli", "run", "--config", str(config), "--run-dir", str(run_dir)]
        for case_id in DRY_RUN_CASES[role]:
            cmd += ["--case", case_id]
        run = await asyncio.create_subprocess_exec(*cmd, stdout=asyncio.subprocess.PIPE,
                                                   stderr=asyncio.subprocess.STDOUT)
        async with asyncio.timeout(180):
            output, _ = await run.communicate()
        text = output.decode()
        assert run.returncode == 0, text
        summary = json.loads((run_dir / "summary.json").read_text())
        verdicts = {c["id"]: c["verdict"] for c in summary["cases"]}
        assert verdicts == {c: "PASS" for c in DRY_RUN_CASES[role]}, text
        events = [json.loads(line) for line in (run_dir / "events.jsonl").read_text().splitlines()]
        actions = [e for e in events if e.get("kind") == "action" and e.get("status") == "ok"]
        assert actions, "the cases drove the stand-in through its webhook action endpoint"
    finally:
        assert await stop(proc) == 0


async def test_the_preflight_says_when_the_webhook_is_not_there(tmp_path: Path) -> None:
    """The same configuration without `serve` running: one clear message, exit 2, nothing judged."""
    config = real_sut_config(tmp_path, "station")
    run = await asyncio.create_subprocess_exec(sys.executable, "-m", "conformance.cli", "run", "--config",
                                               str(config), "--run-dir", str(tmp_path / "run"),
                                               stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    async with asyncio.timeout(60):
        output, _ = await run.communicate()
    text = output.decode()
    assert run.returncode == 2, text
    assert "pre-flight check failed: the webhook action backend is not reachable" in text, text
    assert "connection refused" in text and "Traceback" not in text
    assert not (tmp_path / "run" / "events.jsonl").exists()


def adapter_from_docs() -> str:
    """The code of docs/actions.md's last section, "A complete webhook adapter" (its Python block)."""
    from support import REPO

    text = (REPO / "docs/actions.md").read_text()
    section = text.split("## A complete webhook adapter", 1)[1]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


async def test_the_documented_webhook_adapter_drives_serve(tmp_path: Path) -> None:
    """harness --webhook--> the adapter of docs/actions.md --HTTP--> serve's action endpoint: the run PASSes."""
    config = real_sut_config(tmp_path, "station")
    adapter_port = int(re.search(r'url = "http://127.0.0.1:(\d+)/sut"', config.read_text()).group(1))
    rig_port = free_port()
    (tmp_path / "sut_adapter.py").write_text(adapter_from_docs())
    proc = await start("station", "--config", str(config), "--actions-port", str(rig_port))
    adapter = await asyncio.create_subprocess_exec(sys.executable, str(tmp_path / "sut_adapter.py"), str(adapter_port),
                                                   f"http://127.0.0.1:{rig_port}", stdout=asyncio.subprocess.PIPE,
                                                   stderr=asyncio.subprocess.PIPE)
    try:
        await read_until(proc, "actions: POST")
        await read_until(adapter, "action adapter on")
        run_dir = tmp_path / "run"
        run = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "conformance.cli", "run", "--config", str(config), "--run-dir", str(run_dir),
            "--case", "TC_G_01_CS", "--case", "TC_B_01_CS",
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        async with asyncio.timeout(180):
            output, _ = await run.communicate()
        assert run.returncode == 0, output.decode()
    finally:
        adapter.terminate()
        async with asyncio.timeout(TIMEOUT):
            _, adapter_log = await adapter.communicate()
        assert await stop(proc) == 0
    posts = adapter_log.decode()
    assert "POST /sut/actions/noop" in posts and "POST /sut/actions/plug_in" in posts, posts
