"""What every area of the reference station is: a component that owns its state, registers its handlers per
action (the CSMS's requests) and per physical step (the action port) with the core, and talks to the other areas
through the explicit references it was given."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Awaitable, Callable

from ...protocol.frames import CallError

if TYPE_CHECKING:  # the core imports the components
    from ...device_model.model import DeviceModel
    from ...faults import FaultSet
    from .core import ReferenceStation

Handler = Callable[[dict[str, Any]], Awaitable["dict[str, Any] | CallError"]]
Step = Callable[[int, int, dict[str, Any]], Awaitable[dict[str, Any]]]  # (evse, connector, params) -> result


class Component:
    """One area of the reference station (see the package docstring)."""

    def __init__(self, station: "ReferenceStation") -> None:
        self.station = station

    @property
    def faults(self) -> "FaultSet":
        return self.station.faults

    @property
    def model(self) -> "DeviceModel":
        """The station's device model (it is replaced by a reboot: always read it from here)."""
        return self.station.device_model

    def handlers(self) -> dict[str, Handler]:
        """The CSMS's requests this area answers: action -> handler of the request payload."""
        return {}

    def steps(self) -> dict[str, Step]:
        """The physical / operator steps (action port) this area performs: action name -> step."""
        return {}

    def bind(self, model: "DeviceModel") -> None:
        """Hook this area's live values into a device model the station has just created."""

    def on_reboot(self) -> None:
        """A restart: forget what does not survive it (the persistent part lives in ``station.state``)."""
