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
from conformance.pytest_plugin import _bounded
from conformance.recording import EventLog
from testcases.station import test_b_provisioning as station_cases


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
