"""The run context: what every test case of a run shares (config, log, transport, actions)."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..actions.port import ActionPort
from ..config import Config
from ..recording import EventLog

_CURRENT: "RunContext | None" = None


@dataclass
class RunContext:
    config: Config
    log: EventLog
    run_dir: Path
    actions: ActionPort
    server: Any = None  # CsmsServer when the SUT is a Charging Station
    reference: Any = None  # the in-process reference SUT, if any
    # action -> payload or callable: how the harness-as-CSMS answers, set by cases for a while
    response_overrides: dict[str, Any] = field(default_factory=dict)
    station_booted: bool = False  # the SUT station has been seen booting in this run
    # (component, variable) -> the spelling the station under test uses, for names the documents spell two ways
    # (protocol/variable_names.py); found by ChargingStationUnderTest.read_variable, kept for the run
    variable_spellings: dict[tuple[str, str], str] = field(default_factory=dict)
    # Security profile 2 (station role): the harness's CSMS root (transport/tls.py Credential, with its key), which
    # signed the harness server's certificate; cases sign new CSMS roots with it (M05.FR.10). None without TLS.
    csms_root: Any = None
    # After a case replaced the station's CSMS root, ``csms_root`` is a copy of that root (same subject and key) signed
    # by the case's root, which this is (the certificate's issuer); None while ``csms_root`` is self-signed.
    csms_root_issuer: Any = None

    @property
    def timing(self):
        return self.config.timing

    def scaled(self, seconds: float) -> float:
        return self.config.timing.scaled(seconds)

    @property
    def message_timeout(self) -> float:
        return self.scaled(self.config.timing.message_timeout)


def new_run_id() -> str:
    return time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:6]


def set_current(ctx: RunContext | None) -> None:
    global _CURRENT
    _CURRENT = ctx


def current() -> RunContext:
    if _CURRENT is None:
        raise RuntimeError("no ocpp-conformance run is active (run through `ocpp-conformance run` or pytest "
                           "with --ocpp-role / --ocpp-config)")
    return _CURRENT
