"""The reference station: its device model and Get/SetVariables (B05/B06)."""

from __future__ import annotations

from typing import Any, Sequence

from ...device_model.model import DeviceModel
from .component import Component, Handler, Station
from .state import FACTORY_SETTINGS, STATION_FEATURES



class Variables(Component):
    """Owns the device model: factory settings, the other areas' live values bound into it (``bind``), and its
    persistence across a restart (the snapshot in ``station.state``)."""

    device_model: DeviceModel  # set by the core once every area exists (they hook into it)

    def __init__(self, station: "Station") -> None:
        super().__init__(station)

    @property
    def model(self) -> DeviceModel:
        return self.device_model

    def handlers(self) -> dict[str, Handler]:
        return {"GetVariables": self.on_GetVariables, "SetVariables": self.on_SetVariables}

    def new_model(self, components: Sequence[Component]) -> DeviceModel:
        """The device model as the station starts it: factory settings, the live values of ``components``."""
        # AS-2 (M05.FR.09-16): the station replaces its CSMS root only by one the old root signed.
        settings = dict(FACTORY_SETTINGS,
                        **{"SecurityCtrlr.AdditionalRootCertificateCheck": self.station.supports("AS-2")})
        model = DeviceModel(self.station.evses, settings, features=self.features())
        for component in components:
            component.bind(model)
        return model

    def features(self) -> frozenset[str]:
        """The optional device model groups this station has: its fixed ones, plus those its PICS declares."""
        features = set(STATION_FEATURES)
        # The optional groups the station's PICS declares: signed meter values (C-42), clock-aligned values only
        # while idle (C-28), an Authorization Cache (C-49).
        features |= {group for feature, group in (("C-42", "SignedMeterValues"), ("C-28", "AlignedDataSendDuringIdle"),
                                                  ("C-49", "AuthCache"))
                     if self.station.supports(feature)}
        if self.station.supports("Local Authorization List Management"):  # dlist: LocalAuthListCtrlr (P2 §2.5)
            features.add("LocalAuthList")
            if self.station.supports("LA-3"):
                features.add("LocalAuthListPostAuthorize")
        return frozenset(features)

    def on_reboot(self) -> None:
        """Volatile state is lost, the device model persists."""
        state = self.station.state
        state.device_model_snapshot = self.device_model.snapshot()
        self.device_model = self.new_model(self.station.components)
        self.device_model.restore(state.device_model_snapshot)

    async def on_GetVariables(self, payload: dict[str, Any]) -> dict[str, Any]:
        items = payload["getVariableData"]
        results = self.device_model.get_variables(items)
        if "get_variables_stale_value" in self.faults:
            fresh = DeviceModel(self.station.evses, FACTORY_SETTINGS, features=self.features()).get_variables(items)
            results = [dict(r, attributeValue=f["attributeValue"]) if "attributeValue" in f and "attributeValue" in r
                       else r for r, f in zip(results, fresh)]
        if "attribute_type_ignored" in self.faults:
            results = [dict(self.device_model.get_variables([dict(i, attributeType="Actual")])[0],
                            attributeType=r["attributeType"])
                       if r.get("attributeStatus") == "NotSupportedAttributeType" else r
                       for i, r in zip(items, results)]
        return {"getVariableResult": results}

    async def on_SetVariables(self, payload: dict[str, Any]) -> dict[str, Any]:
        items = payload["setVariableData"]
        if "attribute_type_ignored" in self.faults:  # every entry is written to the Actual attribute
            results = [dict(r, attributeType=i.get("attributeType", "Actual")) for i, r in
                       zip(items, self.device_model.set_variables([dict(i, attributeType="Actual") for i in items]))]
        else:
            results = self.device_model.set_variables(items)
        return {"setVariableResult": results}
