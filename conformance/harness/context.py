"""The run context: what every test case of a run shares (config, log, transport, actions)."""

from __future__ import annotations

import asyncio
import contextvars
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..actions.port import ActionPort
from ..config import Config
from ..recording import EventLog
from .ids import IdSource

# The run a case belongs to. A context variable, not a module global: several runs may share one event loop
# (conformance/selftest.py runs many reference pairs at once), each task sees its own run.
_CURRENT: contextvars.ContextVar["RunContext | None"] = contextvars.ContextVar("ocpp_conformance_run", default=None)


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
    # The run's ISO 15118 test PKI (harness/pki.py Pki: V2G / MO roots, MO sub-CA, contract certificates), made on
    # first use by the C07 cases (c15118); block M (issue 14) grows it. Its keys never leave it.
    iso15118_pki: Any = None
    # Ids the harness invents (eventId, requestId, reservation ids, transaction ids): unique per run (harness/ids.py).
    ids: IdSource = field(default_factory=IdSource)
    # SUT = CSMS: the harness's Charging Stations (sides.HarnessStation) by identity. They live for the whole run, so a
    # station stays connected and booted across cases where Part 6 does not reconnect (issue 8 §2).
    harness_stations: dict[str, Any] = field(default_factory=dict)
    # SUT = station (dlist): LocalAuthListCtrlr.ItemsPerMessage / BytesPerMessage as the station declares them, read
    # once per run by reusable_states.station.local_list_limits (None: not read yet)
    local_list_limits: tuple[int | None, int | None] | None = None

    def __post_init__(self) -> None:
        # The moment the SUT last sent a frame to the harness (monotonic), for the operator think time, and an event
        # set at each such frame, for waits on "the SUT answered something" (sides.py). Watched through the log.
        self.last_sut_message: float | None = None
        self._sut_activity = asyncio.Event()
        harness_role = "ChargingStation" if self.config.role == "csms" else "CSMS"

        def watch(event: Any) -> None:
            if event.kind == "frame" and event.data.get("direction") == "in" \
                    and event.data.get("local_role") == harness_role:
                self.last_sut_message = event.mono
                activity, self._sut_activity = self._sut_activity, asyncio.Event()
                activity.set()
        if self.log is not None:
            self.log.subscribe(watch)

    def sut_activity(self) -> asyncio.Event:
        """An event set when the SUT next sends a frame to the harness."""
        return self._sut_activity

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
    """Make ``ctx`` the current run in this context (the task, and the tasks it starts from now on)."""
    _CURRENT.set(ctx)


def current_or_none() -> RunContext | None:
    """The current run, or None outside a run."""
    return _CURRENT.get()


def current() -> RunContext:
    ctx = _CURRENT.get()
    if ctx is None:
        raise RuntimeError("no ocpp-conformance run is active (run through `ocpp-conformance run` or pytest "
                           "with --ocpp-role / --ocpp-config)")
    return ctx
