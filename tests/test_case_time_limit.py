"""Every case is bounded by timing.case_time_limit: a case never hangs a run."""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path

import pytest

from conformance.actions import make_backend
from conformance.actions.port import ActionPort
from conformance.config import default_config
from conformance.harness.case import case_of
from conformance.harness.context import RunContext, set_current
from conformance.outcomes import CheckFailed
from conformance.session import bounded as _bounded
from conformance.recording import EventLog
from testcases.station.b_provisioning import test_b05_b06_variables as station_cases


async def test_a_case_that_overruns_its_time_limit_fails_with_the_limit_named(tmp_path: Path) -> None:
    base = default_config("station")
    config = dataclasses.replace(base, timing=dataclasses.replace(base.timing, case_time_limit=0.2))
    log = EventLog()
    ctx = RunContext(config=config, log=log, run_dir=tmp_path,
                     actions=ActionPort(make_backend("prompt"), log, timeout=1, role="station"))
    meta = case_of(station_cases.test_tc_b_06_cs)
    assert meta is not None

    async def stuck() -> None:
        await asyncio.Event().wait()  # waits forever

    set_current(ctx)
    try:
        loop = asyncio.get_running_loop()
        started = loop.time()
        with pytest.raises(CheckFailed, match="time limit of 0.2s"):
            await _bounded(stuck, meta)()
        assert loop.time() - started < 2
    finally:
        set_current(None)


async def test_a_case_that_needs_more_time_than_the_limit_gets_it_from_the_configured_intervals(
        tmp_path: Path) -> None:
    """X_G_02_CS waits one heartbeat interval: with a real station's 300 s interval its limit grows with it,
    while a stuck case without time_needed is still cut at case_time_limit."""
    from testcases.station.g_availability import test_g01_g02_status_heartbeat as g_cases
    base = default_config("station")
    timing = dataclasses.replace(base.timing, case_time_limit=0.2, heartbeat_interval=300)
    meta = case_of(g_cases.test_x_g_02_cs)
    assert meta is not None and meta.time_needed is not None
    assert meta.time_needed(timing) > 300
    config = dataclasses.replace(base, timing=dataclasses.replace(timing, heartbeat_interval=1, action_timeout=0.1,
                                                                   connect_timeout=0.1, message_timeout=0.1,
                                                                   max_time_deviation=0.1))
    log = EventLog()
    ctx = RunContext(config=config, log=log, run_dir=tmp_path,
                     actions=ActionPort(make_backend("prompt"), log, timeout=1, role="station"))
    finished = asyncio.Event()

    async def slower_than_case_time_limit() -> None:
        await asyncio.wait_for(finished.wait(), 0.5)  # 0.5 s: above case_time_limit, below time_needed (1.6 s)

    set_current(ctx)
    try:
        with pytest.raises(TimeoutError):  # its own wait ended it, not the case time limit
            await _bounded(slower_than_case_time_limit, meta)()
        with pytest.raises(CheckFailed, match=r"time limit of 1\.6s"):
            await _bounded(lambda: asyncio.Event().wait(), meta)()
    finally:
        set_current(None)
