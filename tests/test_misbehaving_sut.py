"""A whole case against SUTs that misbehave: one that sends garbage, one that goes silent, one
that drops the connection mid-call. Each case must end with a clear FAIL within its time
limit, and the run must finish: nothing hangs, nothing crashes."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, AsyncIterator

import pytest
from websockets.asyncio.server import ServerConnection

from support import booting_station, csms_server, free_port, run_cases, running, write_peer_config

CASE_LIMIT = 6.0
MESSAGE_TIMEOUT = 1.0


def write_config(path: Path, role: str, port: int) -> Path:
    return write_peer_config(path, role, port, message_timeout=MESSAGE_TIMEOUT, connect_timeout=5,
                             case_time_limit=CASE_LIMIT)


async def run_case(config: Path, case_id: str, run_dir: Path) -> tuple[int, dict[str, Any], str, float]:
    run = await run_cases(config, run_dir, case_id, timeout=60)
    return run.code, run.results, run.output, run.elapsed


# --------------------------------------------------------------------------- station peers
def misbehaving_station(port: int, mode: str) -> Any:
    """Connects to the harness CSMS, boots properly, then misbehaves on the first CSMS request."""
    async def on_call(ws: Any, message: list[Any]) -> bool:
        if mode == "garbage":
            await ws.send("}{ not json")
        elif mode == "disconnect":
            await ws.close()
            return True
        return False  # silent: never answer

    return booting_station(port, on_call)


def station_peer(port: int, mode: str) -> contextlib.AbstractAsyncContextManager[Any]:
    return running(misbehaving_station(port, mode))


STATION_MODES = {
    "garbage": "malformed frame(s) arrived: RpcFrameworkError: message is not valid JSON",
    "silent": "within the message timeout",
    "disconnect": "connection closed",
}


@pytest.mark.parametrize("mode", sorted(STATION_MODES))
async def test_case_against_misbehaving_station_fails_clearly(mode: str, tmp_path: Path) -> None:
    port = free_port()
    config = write_config(tmp_path / "sut.toml", "station", port)
    async with station_peer(port, mode):
        code, results, output, elapsed = await run_case(config, "TC_B_06_CS", tmp_path / "run")
    assert code == 1, output
    result = results["TC_B_06_CS"]
    assert result["verdict"] == "FAIL", output
    assert STATION_MODES[mode] in result["message"], result["message"]
    assert "Traceback" not in output
    assert elapsed < CASE_LIMIT + 15


# --------------------------------------------------------------------------- CSMS peers
@contextlib.asynccontextmanager
async def misbehaving_csms(port: int, mode: str) -> AsyncIterator[None]:
    async def handler(ws: ServerConnection) -> None:
        with contextlib.suppress(Exception):
            async for _ in ws:
                if mode == "garbage":
                    await ws.send("[3]")
                elif mode == "disconnect":
                    await ws.close()
                    return
                # silent: never answer

    async with csms_server(port, handler):
        yield


@pytest.mark.parametrize("mode", ["garbage", "silent", "disconnect"])
async def test_case_against_misbehaving_csms_fails_clearly(mode: str, tmp_path: Path) -> None:
    port = free_port()
    config = write_config(tmp_path / "sut.toml", "csms", port)
    async with misbehaving_csms(port, mode):
        code, results, output, elapsed = await run_case(config, "TC_B_01_CSMS", tmp_path / "run")
    assert code == 1, output
    result = results["TC_B_01_CSMS"]
    assert result["verdict"] == "FAIL", output
    expected = {"garbage": "well-formed", "silent": "within the message timeout",
                "disconnect": "connection closed"}[mode]
    assert expected in result["message"], result["message"]
    assert elapsed < CASE_LIMIT + 15


async def test_station_that_never_connects_is_a_clear_failure(tmp_path: Path) -> None:
    config = write_config(tmp_path / "sut.toml", "station", free_port())
    code, results, output, elapsed = await run_case(config, "TC_B_06_CS", tmp_path / "run")
    assert code == 1, output
    assert results["TC_B_06_CS"]["verdict"] == "FAIL"
    assert "connects to" in results["TC_B_06_CS"]["message"]


async def test_failing_action_backend_makes_the_case_inconclusive(tmp_path: Path) -> None:
    """TC_B_01_CS needs a power cycle; the shell backend ('false') cannot do it."""
    port = free_port()
    config = write_config(tmp_path / "sut.toml", "station", port)
    async with station_peer(port, "silent"):
        code, results, output, elapsed = await run_case(config, "TC_B_01_CS", tmp_path / "run")
    assert results["TC_B_01_CS"]["verdict"] == "INCONCLUSIVE", output
    assert "power_cycle" in results["TC_B_01_CS"]["message"]
    assert code == 1
