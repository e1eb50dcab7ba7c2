"""Named, switchable non-conformances of the reference SUTs (for negative controls).

Each fault is a realistic mistake an implementer makes, names the requirement it breaks,
and the test cases that must FAIL when it is switched on. A test case without a fault that
fails it has not been shown to be able to fail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Fault:
    name: str
    sut: str  # "station" (reference Charging Station) or "csms" (reference CSMS)
    breaks: tuple[str, ...]  # requirement ids
    description: str  # what the SUT does wrong, in our words
    fails: tuple[str, ...]  # test cases that must FAIL with it
    # Part 5 features the reference SUT is declared (and behaves as) WITHOUT for the negative-control run,
    # for cases that apply only then (e.g. "not C-13": Reset of a single EVSE not supported).
    without: tuple[str, ...] = ()


FAULTS: dict[str, Fault] = {f.name: f for f in [
    # --- reference Charging Station -------------------------------------------------------
    Fault("boot_skips_connector_status", "station", ("B01.FR.05",),
          "after an accepted boot, the station does not report the status of its last connector",
          ("TC_B_01_CS", "TC_G_18_CS", "TC_G_19_CS", "TC_G_21_CS", "X_G_02_CS")),
    Fault("boot_without_reason", "station", ("B01.FR.09", "FR.03"),
          "BootNotificationRequest is sent without the required 'reason' field (schema violation)",
          ("TC_B_01_CS",)),
    Fault("get_variables_stale_value", "station", ("B06.FR.04", "B06.FR.10"),
          "GetVariables returns the factory default instead of the value last set",
          ("TC_B_06_CS",)),
    Fault("get_variables_omits_attribute_type", "station", ("B06.FR.03",),
          "GetVariables results never repeat the requested attributeType",
          ("TC_B_06_CS",)),
    Fault("get_variables_empty_value_on_error", "station", ("B06.FR.06", "B06.FR.07", "B06.FR.08"),
          "GetVariables results that are not Accepted still carry attributeValue, as an empty string",
          ("TC_B_32_CS", "TC_B_33_CS", "TC_B_34_CS")),
    Fault("get_variables_first_item_only", "station", ("B06.FR.01",),
          "GetVariables answers only the first getVariableData entry and drops the others",
          ("TC_B_07_CS",)),
    Fault("set_variables_omits_attribute_type", "station", ("B05.FR.03", "B05.FR.12"),
          "SetVariables results never repeat the attributeType (neither the requested one nor Actual)",
          ("TC_B_09_CS", "TC_B_10_CS")),
    Fault("set_variables_accepts_read_only", "station", ("B05.FR.09",),
          "SetVariables answers Accepted for a ReadOnly variable (the value is silently not changed)",
          ("TC_B_39_CS",)),
    Fault("unknown_component_reported_as_unknown_variable", "station", ("B06.FR.06", "B05.FR.04"),
          "the station looks variables up by name across all components, so an unknown component is answered "
          "with UnknownVariable instead of UnknownComponent (Get and SetVariables)",
          ("TC_B_32_CS", "TC_B_35_CS")),
    Fault("unknown_variable_rejected", "station", ("B06.FR.07", "B05.FR.05"),
          "the station answers a Get/SetVariables entry for a variable its component does not have with "
          "Rejected instead of UnknownVariable",
          ("TC_B_33_CS", "TC_B_36_CS")),
    Fault("attribute_type_ignored", "station", ("B06.FR.08", "B05.FR.06"),
          "the station ignores the requested attributeType: an attribute it does not support (e.g. Target) is "
          "read from / written to the Actual attribute and answered Accepted",
          ("TC_B_34_CS", "TC_B_37_CS")),
    Fault("set_variables_accepts_any_format", "station", ("B05.FR.07",),
          "SetVariables answers Accepted for a value that is malformed for the variable's dataType (e.g. 'abc' "
          "for an integer), and silently keeps the old value",
          ("TC_B_11_CS",)),
    Fault("data_transfer_accepts_unknown_vendor", "station", ("P01.FR.05",),
          "the station answers every DataTransfer with Accepted, whatever the vendorId",
          ("TC_P_01_CS",)),
    Fault("data_transfer_not_supported", "station", ("P01.FR.05", "FR.02"),
          "the station does not implement DataTransfer and answers it with CALLERROR NotSupported",
          ("TC_P_01_CS",)),
    Fault("custom_data_rejected", "station", ("FR.02",),
          "the station validates requests with a schema without customData and answers any request that "
          "carries customData (at any depth) with CALLERROR FormatViolation",
          ("TC_P_03_CS", "TC_P_04_CS")),
    Fault("plug_in_not_reported", "station", ("G01.FR.03",),
          "the station does not report the connector's status change when an EV is plugged in",
          ("TC_G_01_CS", "TC_G_02_CS")),
    Fault("unplug_reports_occupied", "station", ("G01.FR.04",),
          "when the EV is unplugged the station reports the status it read before the cable was released: Occupied",
          ("TC_G_02_CS",)),
    Fault("change_availability_reports_available", "station", ("G03.FR.04", "G03.FR.06", "G04.FR.05", "G04.FR.07"),
          "the station accepts ChangeAvailability Inoperative but its status reports still say Available",
          ("TC_G_03_CS", "TC_G_05_CS", "TC_G_06_CS", "TC_G_07_CS", "TC_G_08_CS")),
    Fault("availability_reported_on_evse_only", "station", ("G03.FR.04",),
          "after a ChangeAvailability the station sends one NotifyEvent AvailabilityState for the EVSE "
          "component and none for its connectors",
          ("TC_G_03_CS", "TC_G_04_CS")),
    Fault("change_availability_same_state_rejected", "station", ("G03.FR.03", "G04.FR.04"),
          "the station answers Rejected when asked for the availability it already has",
          ("TC_G_09_CS", "TC_G_10_CS", "TC_G_16_CS")),
    Fault("availability_forgotten_after_reboot", "station", ("G03.FR.08", "G04.FR.09"),
          "the station keeps availability set by ChangeAvailability in RAM only: after a reboot every "
          "connector is Available again",
          ("TC_G_18_CS", "TC_G_19_CS", "TC_G_21_CS")),
    Fault("heartbeat_ignores_boot_interval", "station", ("G02.FR.01", "B01.FR.04"),
          "the station ignores the interval of the BootNotificationResponse and keeps sending heartbeats at "
          "its configured OCPPCommCtrlr.HeartbeatInterval (factory 300 s)",
          ("X_G_02_CS",)),
    # --- reference Charging Station: B07/B08 reports ---------------------------------------
    # --- reference Charging Station: B02/B03/B04 boot, offline, reconnection ---------------
    # --- reference Charging Station: B11/B12 reset ----------------------------------------
    # --- reference Charging Station: B09/B10 network profiles -----------------------------
    # --- reference Charging Station: G (transactions, lock failure, same-state reports) ---
    # --- reference CSMS -------------------------------------------------------------------
    Fault("boot_rejects_known_station", "csms", ("B01.FR.02",),
          "the CSMS answers a registered station's BootNotification with Rejected",
          ("TC_B_01_CSMS", "TC_B_06_CSMS")),
    Fault("get_variables_wrong_component", "csms", ("B06.FR.02",),
          "the CSMS asks for variables of a controller under a misspelt name (OCPPCommCtrl, AuthCtrl: 'Ctrl' "
          "for 'Ctrlr')",
          ("TC_B_06_CSMS", "TC_B_07_CSMS")),
    Fault("csms_set_variables_wrong_component", "csms", ("B05.FR.02",),
          "the CSMS sets variables of a controller under a misspelt name (OCPPCommCtrl, AuthCtrl: 'Ctrl' for "
          "'Ctrlr')",
          ("TC_B_09_CSMS", "TC_B_10_CSMS")),
    Fault("csms_set_variables_first_entry_only", "csms", ("B05.FR.01",),
          "the CSMS's SetVariables form sends only the first of several variables the operator set",
          ("TC_B_10_CSMS",)),
    Fault("csms_data_transfer_accepts_unknown_vendor", "csms", ("P02.FR.06",),
          "the CSMS answers every DataTransfer with Accepted, whatever the vendorId",
          ("TC_P_02_CSMS",)),
    Fault("csms_data_transfer_not_implemented", "csms", ("P02.FR.06",),
          "the CSMS has no DataTransfer handler and answers it with CALLERROR NotImplemented",
          ("TC_P_02_CSMS",)),
    Fault("csms_rejects_custom_data", "csms", ("FR.02",),
          "the CSMS answers any request that carries customData with CALLERROR FormatViolation",
          ("TC_P_03_CSMS",)),
    Fault("csms_rejects_nested_custom_data", "csms", ("FR.02",),
          "the CSMS accepts customData at the top of a request but its parser for nested objects (e.g. "
          "transactionInfo) does not know the field and answers CALLERROR FormatViolation",
          ("TC_P_03_CSMS",)),
    Fault("csms_change_availability_inverted", "csms", ("G03", "G04"),
          "the CSMS's availability toggle is inverted for Operative: asked to make a station, EVSE or connector "
          "Operative it sends ChangeAvailability with operationalStatus Inoperative",
          ("TC_G_04_CSMS", "TC_G_06_CSMS", "TC_G_08_CSMS")),
    Fault("csms_change_availability_drops_connector", "csms", ("G03",),
          "the CSMS sends ChangeAvailability for a connector without evse.connectorId (so the whole EVSE changes)",
          ("TC_G_07_CSMS", "TC_G_08_CSMS", "TC_G_17_CSMS")),
    Fault("csms_change_availability_default_evse", "csms", ("G04.FR.01",),
          "the CSMS fills in EVSE 1 when asked to change the availability of the whole station",
          ("TC_G_05_CSMS", "TC_G_06_CSMS", "TC_G_14_CSMS")),
    Fault("csms_rejects_unavailable_status", "csms", ("FR.02",),
          "the CSMS's StatusNotification handler does not know connectorStatus Unavailable and answers it with "
          "CALLERROR PropertyConstraintViolation",
          ("TC_G_03_CSMS", "TC_G_05_CSMS", "TC_G_07_CSMS", "TC_G_11_CSMS", "TC_G_14_CSMS", "TC_G_17_CSMS")),
    Fault("csms_notify_event_not_implemented", "csms", ("G05.FR.03",),
          "the CSMS has no handler for NotifyEvent and answers it with CALLERROR NotImplemented",
          ("TC_G_20_CSMS",)),
    # --- reference CSMS: B07/B08 reports and B06 ItemsPerMessage ----------------------------
    # --- reference CSMS: B02/B03 boot ------------------------------------------------------
    # --- reference CSMS: B11/B12 reset -----------------------------------------------------
    # --- reference CSMS: B09 network profiles ----------------------------------------------
]}


def carries_custom_data(payload: Any, *, nested_only: bool = False) -> bool:
    """Whether a payload has a customData property (Part 4 §9) anywhere, or only below the top level."""
    if isinstance(payload, dict):
        if "customData" in payload and not nested_only:
            return True
        return any(carries_custom_data(v) for k, v in payload.items() if k != "customData")
    if isinstance(payload, list):
        return any(carries_custom_data(v) for v in payload)
    return False


class FaultSet:
    """The faults switched on in one reference SUT."""

    def __init__(self, names: tuple[str, ...] | list[str] | frozenset[str] = (), *, sut: str) -> None:
        unknown = [n for n in names if n not in FAULTS]
        if unknown:
            raise ValueError(f"unknown fault(s): {', '.join(unknown)}; known: {', '.join(sorted(FAULTS))}")
        self.names = frozenset(n for n in names if FAULTS[n].sut == sut)

    def __contains__(self, name: str) -> bool:
        if name not in FAULTS:
            raise KeyError(f"no such fault {name!r}")
        return name in self.names

    def __bool__(self) -> bool:
        return bool(self.names)
