"""`ocpp-conformance serve`: the reference SUTs standalone, in their own process."""

from __future__ import annotations

import asyncio
import signal
import sys

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
