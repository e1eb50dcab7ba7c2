"""The reference station itself: its lifecycle (connect, session, reconnect, restart), the dispatch of the CSMS's
requests and of the action port's steps to the areas that registered them, and what every area shares (the
connection, the persistent state, the faults, the station's own tasks and timers). Each area is a component
(:mod:`.component`) that owns its state; see the package docstring."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any, Sequence

from ...actions.port import ActionFailed
from ...device_model.model import DeviceModel
from ...faults import FaultSet
from ...protocol.errors import PeerError
from ...protocol import registration
from ...protocol.frames import CallError, ErrorCode
from ...recording import EventLog
from ...transport.connection import Connection, IncomingCall
from ..rpc_reactions import react_to_invalid
from ..vendor import carries_custom_data
from .auth_cache import AuthCache
from .authorization import Authorization
from .availability import Availability
from .boot import Boot
from .component import Component, Handler, Step
from .data_transfer import DataTransfer
from .file_transfers import FileTransfers
from .iso15118 import Iso15118
from .local_list import LocalList
from .meter_values import MeterValues
from .network import Network
from .offline import Offline
from .remote_control import RemoteControl
from .report_requests import Reports
from .reservations import Reservations
from .reset import Reset
from .smart_charging import SmartCharging
from .state import StationState, Transaction
from .transactions import Transactions
from .tx_queue import TransactionQueue
from .triggers import Triggers
from .variables import Variables

log = logging.getLogger("conformance.reference.station")


class ReferenceStation:
    vendor_name = "OpenConformance"
    model = "RefStation-1"
    firmware_version = "0.1.0"
    serial_number = "REF-0001"

    def __init__(self, *, csms_url: str, identity: str, password: str | None,
                 evses: Sequence[tuple[int, Sequence[int]]], faults: FaultSet | None = None,
                 message_timeout: float = 10.0, connect_timeout: float = 10.0, reconnect_delay: float = 0.2,
                 log_events: EventLog | None = None, features: frozenset[str] | None = None) -> None:
        self.csms_url = csms_url
        self.identity = identity
        self.password = password
        self.evses = [(e, tuple(c)) for e, c in evses]
        self.faults = faults or FaultSet(sut="station")
        self.message_timeout = message_timeout
        self.connect_timeout = connect_timeout
        self.reconnect_delay = reconnect_delay
        self.events = log_events  # None: the reference SUT's own frames are not recorded
        # What the station's PICS declares (Part 5 feature ids, profiles, hardware facts): the station behaves as a
        # product with exactly these features (e.g. without C-13 it rejects a Reset of a single EVSE).
        self.features = frozenset(features) if features is not None else None
        self.state = StationState()  # what survives a reboot (its non-volatile memory)
        self.connection: Connection | None = None
        self.stopping = False
        self.interrupt = asyncio.Event()  # ends the current connection (restart, network down) or back-off wait
        self.acting = 0  # actions (physical steps) in progress
        self._background: set[asyncio.Task[Any]] = set()  # the station's own tasks, kept until done
        self._task: asyncio.Task[None] | None = None
        self._session_task: asyncio.Task[None] | None = None
        # The areas, each owning its state, wired to the areas it talks to.
        self.availability = Availability(self)
        self.boot = Boot(self, self.availability)
        self.offline = Offline(self, self.boot, self.availability)
        self.local_list = LocalList(self, self.offline)
        self.auth_cache = AuthCache(self)
        self.authorization = Authorization(self, self.local_list, self.auth_cache)
        self.transactions_area = Transactions(self, self.availability)
        self.tx_queue = TransactionQueue(self, self.boot, self.transactions_area)
        self.transactions_area.authorization = self.authorization
        self.offline.cache = self.auth_cache  # offline authorization (C12, E04, E08, E12)
        self.offline.local_list = self.local_list  # offline authorization through the list first (C13, dlist)
        self.authorization.transactions = self.transactions_area  # C16: the Master Pass stops transactions
        self.reset = Reset(self, self.transactions_area)
        self.reservations = Reservations(self, self.availability)
        self.network = Network(self, self.boot)
        self.smart_charging = SmartCharging(self, self.transactions_area)
        self.reports = Reports(self)
        self.data_transfer = DataTransfer(self)
        self.remote_control = RemoteControl(self, self.availability, self.transactions_area)
        self.triggers = Triggers(self, self.boot, self.availability, self.transactions_area)
        self.file_transfers = FileTransfers(self, self.triggers)
        self.availability.transactions = self.reservations.transactions = self.transactions_area
        self.availability.reservations = self.reservations
        self.boot.offline = self.transactions_area.offline = self.tx_queue.offline = self.offline
        self.transactions_area.queue = self.boot.tx_queue = self.tx_queue
        self.transactions_area.reset = self.reset
        self.meter_values = MeterValues(self, self.transactions_area)
        self.transactions_area.meter_values = self.triggers.meter = self.meter_values
        self.iso15118 = Iso15118(self)  # c15118: C07 Plug & Charge contract certificates
        self.iso15118.transactions = self.transactions_area
        self.iso15118.authorization = self.authorization
        self.variables = Variables(self)
        self.components: list[Component] = [
            self.variables, self.boot, self.availability, self.transactions_area, self.reset, self.reservations,
            self.network, self.offline, self.smart_charging, self.reports, self.data_transfer, self.remote_control,
            self.triggers, self.file_transfers, self.local_list, self.auth_cache, self.authorization,
            self.meter_values, self.tx_queue, self.iso15118]
        self.variables.device_model = self.variables.new_model(self.components)  # the areas hook into it
        self._handlers: dict[str, Handler] = self._register("handlers")
        self._steps: dict[str, Step] = self._register("steps")
        if "event_after_ended" in self.faults:  # fault (faults/transactions.py): one more Updated after each Ended
            send_event = self.transactions_area._transaction_event

            async def event_after_ended(tx: Any, event_type: str, trigger: str, **options: Any) -> None:
                await send_event(tx, event_type, trigger, **options)
                if event_type == "Ended":
                    await send_event(tx, "Updated", "MeterValuePeriodic", charging_state=None)
            self.transactions_area._transaction_event = event_after_ended  # type: ignore[method-assign]

    def _register(self, kind: str) -> dict[str, Any]:
        """The dispatch table action -> the one area's handler (or step)."""
        table: dict[str, Any] = {}
        for component in self.components:
            for action, function in getattr(component, kind)().items():
                if action in table:
                    raise ValueError(f"{action} is registered twice ({type(component).__name__})")
                table[action] = function
        return table

    # ------------------------------------------------------------------ what the areas share
    def supports(self, feature: str) -> bool:
        """Whether the station is a product with this Part 5 feature (every feature when not told)."""
        return self.features is None or feature in self.features

    @property
    def device_model(self) -> DeviceModel:
        return self.variables.device_model

    def spawn(self, coroutine: Any) -> None:
        """Run one of the station's own tasks (a report after a response, a timer's work)."""
        task = asyncio.get_running_loop().create_task(coroutine)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def sleep(self, seconds: float, wake: asyncio.Event | None = None) -> None:
        """The station's own protocol timers (heartbeat, boot retry); ``wake`` ends the wait early."""
        if wake is None:
            await asyncio.sleep(seconds)
            return
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await wake.wait()

    async def send_quietly(self, conn: Connection, action: str, payload: dict[str, Any]) -> None:
        with contextlib.suppress(PeerError):
            await conn.call(action, payload)

    # The state the harness, the action backend and the tests read.
    @property
    def registration(self) -> str | None:
        return self.boot.registration

    @property
    def booted(self) -> asyncio.Event:
        return self.boot.booted

    @property
    def heartbeat_interval(self) -> int:
        return self.boot.heartbeat_interval

    @property
    def transactions(self) -> dict[int, Transaction]:
        return self.transactions_area.ongoing

    def connector_status(self, evse: int, connector: int) -> str:
        return self.availability.connector_status(evse, connector)

    def boot_payload(self, reason: str) -> dict[str, Any]:
        return self.boot.payload(reason)

    def install_factory_csms_root(self, certificate_pem: str) -> None:
        """Ship the station for security profile 2 (see :meth:`.network.Network.install_factory_csms_root`)."""
        self.network.install_factory_csms_root(certificate_pem)

    # ------------------------------------------------------------------ lifecycle
    async def start(self) -> "ReferenceStation":
        self._task = asyncio.create_task(self._run(), name=f"reference-station-{self.identity}")
        self.meter_values.start()  # the clock-aligned timer (J01)
        return self

    async def stop(self) -> None:
        self.stopping = True
        self.interrupt.set()
        self.meter_values.stop()
        if self.connection is not None:
            await self.connection.close(1001, "station shutting down")
        for task in (self._task, self._session_task):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        if self.connection is not None:
            await self.connection.close(1001, "station shutting down")

    async def _run(self) -> None:
        while not self.stopping:
            await self.offline.wait_backoff()  # after a connection loss: the reconnect back-off (Part 4 §5.3)
            self.interrupt.clear()
            slot, url, message_timeout = self.network.connecting()  # the network profile to use (B10)
            try:
                if self.offline.network_down:  # no network (action go_offline): the attempt fails
                    raise OSError("network down")
                conn = await self.network.open(slot, url, message_timeout)  # TLS trust: see the network area
            except (PeerError, OSError) as exc:
                log.debug("reference station: connect failed: %s", exc)
                self.offline.attempt_failed()
                continue
            self.offline.connected()
            self.network.connected(slot)
            self.connection = conn
            conn.react_to_invalid = react_to_invalid(self.faults, "station")  # Part 4 §4.2.3 (or a fault)
            conn.edit_outgoing = lambda message, payload: self.faults.edit(message, payload)  # payload faults
            session = self._session_task = asyncio.create_task(self.boot.session(conn))
            closed = asyncio.create_task(conn.closed.wait())
            interrupted = asyncio.create_task(self.interrupt.wait())
            await asyncio.wait({closed, interrupted, session}, return_when=asyncio.FIRST_COMPLETED)
            for task in (closed, interrupted, session):
                task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await session
            await conn.close(1000, "station restarting" if self.boot.needs_boot else "going offline")
            self.connection = None
            self.offline.connection_lost()
            self.tx_queue.connection_lost()  # E11.FR.07
            self.boot.connection_ended()

    def reboot(self, reason: str) -> None:
        """Simulate a restart: every area forgets its volatile state (the persistent part is ``state``)."""
        for component in self.components:
            component.on_reboot()
        self.boot.restarted(reason)
        self.interrupt.set()

    # ------------------------------------------------------------------ CSMS -> station
    async def handle(self, incoming: IncomingCall) -> dict[str, Any] | CallError:
        await asyncio.sleep(0)  # a BootNotificationResponse read just before this request takes effect first
        fixed = registration.station_answer(self.boot.registration, incoming.action)  # B02.FR.05, B03.FR.08
        if fixed is not None and not self._serves_anyway(fixed):
            if fixed.error_code is not None:
                return CallError(incoming.message_id, fixed.error_code, "station not accepted", {})
            return dict(fixed.payload or {})
        handler = self._handlers.get(incoming.action)
        if handler is None:
            return CallError(incoming.message_id, ErrorCode.NOT_SUPPORTED,
                             f"{incoming.action} is not supported by the reference station", {})
        if "custom_data_rejected" in self.faults and carries_custom_data(incoming.payload):
            return CallError(incoming.message_id, ErrorCode.FORMAT_VIOLATION,
                             "additional property 'customData' is not allowed", {})
        if incoming.action == "DataTransfer" and "data_transfer_not_supported" in self.faults:
            return CallError(incoming.message_id, ErrorCode.NOT_SUPPORTED, "DataTransfer is not supported", {})
        return await handler(self.faults.edit(f"{incoming.action}Request", incoming.payload))  # as a fault reads it

    def _serves_anyway(self, fixed: registration.Answer) -> bool:
        """The faults that switch the station away from the registration table."""
        if fixed.error_code is not None:
            return "rejected_station_serves_requests" in self.faults
        return "pending_accepts_remote_start" in self.faults

    async def answer(self, action: str, payload: dict[str, Any]) -> dict[str, Any] | CallError:
        """The answer of the area that handles ``action`` to a request ``payload`` (no connection needed)."""
        return await self._handlers[action](payload)

    # ------------------------------------------------------------------ action port
    async def perform_action(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        """Entry point of the action port: perform the action, then any reset that became due by it (a reset
        answered Scheduled waits for the physical step that ended the last transaction, see :mod:`.reset`)."""
        self.acting += 1
        try:
            return await self._perform_action(action, params)
        finally:
            self.acting -= 1
            self.reset.if_due()

    async def _perform_action(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        """Perform one action (physical step); :meth:`perform_action` is the entry point."""
        if action in ("reboot", "power_cycle"):
            self.reboot("PowerUp" if action == "power_cycle" else "LocalReset")
            return {}
        step = self._steps.get(action)
        if step is None:
            raise ActionFailed(action, params, f"the reference station does not implement action {action!r} yet")
        return await step(int(params.get("evse", 1)), int(params.get("connector", 1)), params)
