"""The reference station: charging profiles (Smart Charging K01, K10), kept by
:mod:`conformance.reference.smart_charging`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..smart_charging import ChargingProfiles, Limits
from .component import Component, Handler, OngoingTransactions, Station

if TYPE_CHECKING:
    from ...device_model.model import DeviceModel


class SmartCharging(Component):
    """The profiles live in ``station.state`` (persistent, K01.FR.27); :class:`ChargingProfiles` keeps them."""

    def __init__(self, station: Station, transactions: "OngoingTransactions") -> None:
        super().__init__(station)
        self.transactions = transactions
        self.profiles = ChargingProfiles((e for e, _ in station.evses), station.state.charging_profiles)

    def handlers(self) -> dict[str, Handler]:
        return {"SetChargingProfile": self.on_SetChargingProfile, "ClearChargingProfile": self.on_ClearChargingProfile}

    def bind(self, model: "DeviceModel") -> None:
        model.bind("SmartChargingCtrlr", "Entries", lambda: len(self.profiles), instance="ChargingProfiles")

    def _limits(self) -> Limits:
        model = self.model
        entries = model.spec("SmartChargingCtrlr.Entries[ChargingProfiles]").max_limit
        return Limits(rate_units=tuple(model.get("SmartChargingCtrlr", "RateUnit")),
                      max_stack_level=model.get("SmartChargingCtrlr", "ProfileStackLevel"),
                      periods_per_schedule=model.get("SmartChargingCtrlr", "PeriodsPerSchedule"),
                      max_entries=int(entries) if entries is not None else 0)

    async def on_SetChargingProfile(self, payload: dict[str, Any]) -> dict[str, Any]:
        active = {evse: tx.transaction_id for evse, tx in self.transactions.ongoing.items()}
        return self.profiles.set(payload["evseId"], payload["chargingProfile"], self._limits(), transactions=active)

    async def on_ClearChargingProfile(self, payload: dict[str, Any]) -> dict[str, Any]:
        return self.profiles.clear(payload)
