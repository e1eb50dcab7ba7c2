"""What every area of the reference station is: a component that owns its state, registers its handlers per
action (the CSMS's requests) and per physical step (the action port) with the core, and talks to the other areas
through the explicit references it was given. Those references are typed by the small interfaces below (what one
area offers the others), so the areas import none of each other: the core alone puts them together."""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable, Protocol, Sequence

from ...device_model.model import DeviceModel
from ...faults import FaultSet
from ...protocol.frames import CallError
from ...recording import EventLog
from ...transport.connection import Connection, IncomingCall
from .state import StationState, Transaction

Handler = Callable[[dict[str, Any]], Awaitable["dict[str, Any] | CallError"]]
Step = Callable[[int, int, dict[str, Any]], Awaitable[dict[str, Any]]]  # (evse, connector, params) -> result
Connector = tuple[int, int]


class Component:
    """One area of the reference station (see the package docstring)."""

    def __init__(self, station: "Station") -> None:
        self.station = station

    @property
    def faults(self) -> FaultSet:
        return self.station.faults

    @property
    def model(self) -> DeviceModel:
        """The station's device model (it is replaced by a reboot: always read it from here)."""
        return self.station.device_model

    def handlers(self) -> dict[str, Handler]:
        """The CSMS's requests this area answers: action -> handler of the request payload."""
        return {}

    def steps(self) -> dict[str, Step]:
        """The physical / operator steps (action port) this area performs: action name -> step."""
        return {}

    def bind(self, model: DeviceModel) -> None:
        """Hook this area's live values into a device model the station has just created."""

    def on_reboot(self) -> None:
        """A restart: forget what does not survive it (the persistent part lives in ``station.state``)."""


# ------------------------------------------------------------------ what the areas offer each other
class Registration(Protocol):  # boot.Boot
    needs_boot: bool
    booted: asyncio.Event
    registration: str | None


class AuthorizationSource(Protocol):  # local_list.LocalList, auth_cache.AuthCache
    def lookup(self, token: dict[str, Any]) -> dict[str, Any] | None: ...

    def store(self, token: dict[str, Any], info: dict[str, Any]) -> None: ...


class LocalAuthorizationList(AuthorizationSource, Protocol):  # local_list.LocalList (dlist)
    def holds(self, token: dict[str, Any]) -> bool: ...


class Authorizer(Protocol):  # authorization.Authorization
    async def authorize(self, conn: Connection, token: dict[str, Any], *,
                        evse: int | None = None) -> dict[str, Any]: ...

    def learned(self, token: dict[str, Any], info: dict[str, Any]) -> None: ...

    def accepts(self, info: dict[str, Any]) -> bool: ...

    def master_pass(self, info: dict[str, Any]) -> bool: ...

    def ends_authorization(self, started: dict[str, Any], presented: dict[str, Any], info: dict[str, Any]) -> bool: ...

    async def master_pass_presented(self, evse: int, token: dict[str, Any]) -> dict[str, Any]: ...


class Connectors(Protocol):  # availability.Availability
    def connectors(self, scope: tuple[int, ...] = ()) -> list[Connector]: ...
    def connector_status(self, evse: int, connector: int) -> str: ...
    def statuses(self) -> dict[Connector, str]: ...
    def changed_since(self, before: dict[Connector, str]) -> list[Connector]: ...
    async def send_status(self, conn: Connection, evse: int, connector: int) -> None: ...
    def report_later(self, connectors: list[Connector]) -> None: ...
    async def report_changes(self, conn: Connection, connectors: list[Connector]) -> None: ...
    def apply_scheduled(self) -> list[Connector]: ...


class OngoingTransactions(Protocol):  # transactions.Transactions
    ongoing: dict[int, Transaction]
    def busy_evses(self) -> set[int]: ...
    def in_scope(self, evse: int | None) -> list[Transaction]: ...
    async def end_transaction(self, tx: Transaction, stopped_reason: str, trigger: str, *,
                              charging_state: str | None = ..., with_token: bool = ...) -> None: ...
    def id_token_info_answered(self, request: dict[str, Any], answer: dict[str, Any]) -> None: ...


class ReservedEvses(Protocol):  # reservations.Reservations
    def reserved(self, evse: int) -> bool: ...


class OfflinePeriod(Protocol):  # offline.Offline
    def is_offline(self) -> bool: ...
    def status_change(self, evse: int, connector: int, *, plugged: bool) -> dict[str, Any]: ...
    def authorize_offline(self, token: dict[str, Any]) -> bool: ...
    def same_group(self, token: dict[str, Any], other: dict[str, Any]) -> bool: ...
    async def report_after_offline(self, conn: Connection) -> None: ...


class TransactionMessages(Protocol):  # tx_queue.TransactionQueue
    async def send(self, payload: dict[str, Any]) -> None: ...
    def connected(self) -> None: ...


class MeterReadings(Protocol):  # meter_values.MeterValues
    def meter_value(self, tx: Transaction, event_type: str, trigger: str) -> list[dict[str, Any]] | None: ...
    def reading(self, evse: int, wanted: list[str], context: str, *, signed: bool = ...,
                tx: Transaction | None = ...) -> list[dict[str, Any]]: ...


class ScheduledResets(Protocol):  # reset.Reset
    def if_due(self) -> None: ...


class Station(Protocol):
    """What the core (core.ReferenceStation) gives every area."""

    csms_url: str
    identity: str
    password: str | None
    evses: list[tuple[int, tuple[int, ...]]]
    faults: FaultSet
    message_timeout: float
    connect_timeout: float
    reconnect_delay: float
    events: EventLog | None
    state: StationState
    connection: Connection | None
    stopping: bool
    interrupt: asyncio.Event
    acting: int
    boot: Any  # Registration (typed loosely: a Protocol attribute cannot narrow the core's Boot)
    components: Sequence[Component]
    model: str
    vendor_name: str
    serial_number: str
    firmware_version: str

    @property
    def device_model(self) -> DeviceModel: ...
    def supports(self, feature: str) -> bool: ...
    def spawn(self, coroutine: Any) -> None: ...
    async def sleep(self, seconds: float, wake: asyncio.Event | None = None) -> None: ...
    async def send_quietly(self, conn: Connection, action: str, payload: dict[str, Any]) -> None: ...
    def reboot(self, reason: str) -> None: ...
    async def handle(self, incoming: IncomingCall) -> dict[str, Any] | CallError: ...
