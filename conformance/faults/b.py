"""The faults of the block B Provisioning: the block of the first case each must FAIL."""

from __future__ import annotations

from .edits import Apply, Drop, PayloadEdit, Remove, Set, Truncate
from .spec import Fault


def _status(status: str):
    """A Get/SetVariables result with this attributeStatus."""
    return lambda result: result["attributeStatus"] == status


def _read_only(result: dict) -> bool:
    return result.get("attributeStatusInfo", {}).get("reasonCode") == "ReadOnly"


def _invalid_value(result: dict) -> bool:
    return result.get("attributeStatusInfo", {}).get("reasonCode") == "InvalidValue"


def _not_supported(response: dict) -> bool:
    return response["status"] == "NotSupported"


_BASES = ("ConfigurationInventory", "FullInventory", "SummaryInventory")


def _next_base(base: str) -> str:
    """The report base after ``base`` (cyclic): the off-by-one of csms_report_base_off_by_one."""
    return _BASES[(_BASES.index(base) + 1) % len(_BASES)] if base in _BASES else base


def _misspelt(component_name: str) -> str:
    return component_name.replace("Ctrlr", "Ctrl")


FAULTS: list[Fault] = [
    # --- reference Charging Station -------------------------------------------------------
    Fault("boot_skips_connector_status", "station", ("B01.FR.05",),
          "after an accepted boot, the station does not report the status of its last connector",
          ("TC_B_01_CS", "TC_G_18_CS", "TC_G_19_CS", "TC_G_21_CS", "X_G_02_CS")),
    Fault("boot_without_reason", "station", ("B01.FR.09", "OCPP-J Part 4 §4.1.2"),
          "BootNotificationRequest is sent without the required 'reason' field (schema violation)",
          ("TC_B_01_CS",),
          edits=(PayloadEdit("BootNotificationRequest", Drop("reason")),)),
    Fault("get_variables_stale_value", "station", ("B06.FR.04", "B06.FR.10"),
          "GetVariables returns the factory default instead of the value last set",
          ("TC_B_06_CS",)),
    Fault("get_variables_omits_attribute_type", "station", ("B06.FR.03",),
          "GetVariables results never repeat the requested attributeType",
          ("TC_B_06_CS",),
          edits=(PayloadEdit("GetVariablesResponse", Drop("getVariableResult.*.attributeType")),)),
    Fault("get_variables_empty_value_on_error", "station", ("B06.FR.06", "B06.FR.07", "B06.FR.08"),
          "GetVariables results that are not Accepted still carry attributeValue, as an empty string",
          ("TC_B_32_CS", "TC_B_33_CS", "TC_B_34_CS"),
          edits=(PayloadEdit("GetVariablesResponse", Set(
              "getVariableResult.*.attributeValue", "", when=lambda r: r["attributeStatus"] != "Accepted")),)),
    Fault("get_variables_first_item_only", "station", ("B06.FR.01",),
          "GetVariables answers only the first getVariableData entry and drops the others",
          ("TC_B_07_CS",),
          edits=(PayloadEdit("GetVariablesResponse", Truncate("getVariableResult", 1)),)),
    Fault("set_variables_omits_attribute_type", "station", ("B05.FR.03", "B05.FR.12"),
          "SetVariables results never repeat the attributeType (neither the requested one nor Actual)",
          ("TC_B_09_CS", "TC_B_10_CS"),
          edits=(PayloadEdit("SetVariablesResponse", Drop("setVariableResult.*.attributeType")),)),
    Fault("set_variables_accepts_read_only", "station", ("B05.FR.09",),
          "SetVariables answers Accepted for a ReadOnly variable (the value is silently not changed)",
          ("TC_B_39_CS",),
          edits=(PayloadEdit("SetVariablesResponse",
                             Set("setVariableResult.*.attributeStatus", "Accepted", when=_read_only),
                             Drop("setVariableResult.*.attributeStatusInfo", when=_read_only)),)),
    Fault("unknown_component_reported_as_unknown_variable", "station", ("B06.FR.06", "B05.FR.04"),
          "the station looks variables up by name across all components, so an unknown component is answered "
          "with UnknownVariable instead of UnknownComponent (Get and SetVariables)",
          ("TC_B_32_CS", "TC_B_35_CS"),
          edits=(PayloadEdit("GetVariablesResponse", Set("getVariableResult.*.attributeStatus", "UnknownVariable",
                                                         when=_status("UnknownComponent"))),
                 PayloadEdit("SetVariablesResponse", Set("setVariableResult.*.attributeStatus", "UnknownVariable",
                                                         when=_status("UnknownComponent"))),)),
    Fault("unknown_variable_rejected", "station", ("B06.FR.07", "B05.FR.05"),
          "the station answers a Get/SetVariables entry for a variable its component does not have with "
          "Rejected instead of UnknownVariable",
          ("TC_B_33_CS", "TC_B_36_CS"),
          edits=(PayloadEdit("GetVariablesResponse", Set("getVariableResult.*.attributeStatus", "Rejected",
                                                         when=_status("UnknownVariable"))),
                 PayloadEdit("SetVariablesResponse", Set("setVariableResult.*.attributeStatus", "Rejected",
                                                         when=_status("UnknownVariable"))),)),
    Fault("attribute_type_ignored", "station", ("B06.FR.08", "B05.FR.06"),
          "the station ignores the requested attributeType: an attribute it does not support (e.g. Target) is "
          "read from / written to the Actual attribute and answered Accepted",
          ("TC_B_34_CS", "TC_B_37_CS")),
    Fault("set_variables_accepts_any_format", "station", ("B05.FR.07",),
          "SetVariables answers Accepted for a value that is malformed for the variable's dataType (e.g. 'abc' "
          "for an integer), and silently keeps the old value",
          ("TC_B_11_CS",),
          edits=(PayloadEdit("SetVariablesResponse",
                             Set("setVariableResult.*.attributeStatus", "Accepted", when=_invalid_value),
                             Drop("setVariableResult.*.attributeStatusInfo", when=_invalid_value)),)),
    # --- reference Charging Station: B07/B08 reports ---------------------------------------
    Fault("report_seq_no_from_one", "station", ("B07.FR.10", "B08.FR.14"),
          "the station numbers the NotifyReportRequest parts of a report from 1 instead of 0",
          ("TC_B_12_CS", "TC_B_13_CS", "TC_B_14_CS", "TC_B_17_CS", "TC_B_53_CS"),
          edits=(PayloadEdit("NotifyReportRequest", Apply("seqNo", lambda seq_no: seq_no + 1)),)),
    Fault("config_inventory_includes_read_only", "station", ("B07.FR.07",),
          "the ConfigurationInventory report is the FullInventory: read-only variables are reported too",
          ("TC_B_12_CS",)),
    Fault("full_inventory_omits_list_values", "station", ("B07.FR.08", "B07.FR.07", "B07.FR.09"),
          "reported variableCharacteristics never carry a valuesList, also for OptionList, SequenceList and "
          "MemberList variables",
          ("TC_B_12_CS", "TC_B_13_CS", "TC_B_14_CS", "TC_B_53_CS"),
          edits=(PayloadEdit("NotifyReportRequest", Drop("reportData.*.variableCharacteristics.valuesList")),)),
    Fault("report_write_only_value", "station", ("B07.FR.03",),
          "reports carry an (empty) value for WriteOnly attributes (BasicAuthPassword) instead of leaving it out",
          ("TC_B_13_CS", "TC_B_53_CS"),
          edits=(PayloadEdit("NotifyReportRequest", Set(
              "reportData.*.variableAttribute.*.value", "",
              when=lambda attribute: attribute.get("mutability") == "WriteOnly")),)),
    Fault("summary_inventory_omits_evses", "station", ("B07.FR.09",),
          "the SummaryInventory report lists the AvailabilityState of the station and its connectors but not of "
          "the EVSEs",
          ("TC_B_14_CS",)),
    Fault("summary_inventory_rejected", "station", ("B07.FR.02",),
          "a station without the SummaryInventory answers a request for it with Rejected instead of NotSupported",
          ("TC_B_15_CS",), without=("C-56",),
          edits=(PayloadEdit("GetBaseReportResponse", Drop("statusInfo", when=_not_supported),
                             Set("status", "Rejected", when=_not_supported)),)),
    Fault("summary_not_supported_but_reported", "station", ("B07.FR.05",),
          "a station without the SummaryInventory answers NotSupported but still sends a NotifyReportRequest",
          ("TC_B_15_CS",), without=("C-56",)),
    Fault("criteria_value_compared_wrongly", "station", ("B08.FR.09",),
          "the station compares the criterion variable's value with 'True', so for componentCriteria Enabled it "
          "reports only components without an Enabled variable, never those with Enabled true",
          ("TC_B_16_CS",)),
    Fault("custom_report_ignores_evse", "station", ("B08.FR.11",),
          "a GetReport componentVariable's component.evse is ignored: AvailabilityState of every EVSE is reported",
          ("TC_B_17_CS",),
          edits=(PayloadEdit("GetReportRequest", Drop("componentVariable.*.component.evse")),)),
    Fault("criteria_ignored_with_component_variables", "station", ("B08.FR.05", "B08.FR.15"),
          "when a GetReport has componentVariable entries the station ignores its componentCriteria (Problem "
          "gives a report instead of EmptyResultSet)",
          ("TC_B_18_CS",),
          edits=(PayloadEdit("GetReportRequest", Drop(
              "componentCriteria", when=lambda request: bool(request.get("componentVariable")))),)),
    Fault("unsupported_criterion_rejected", "station", ("B08.FR.02",),
          "a GetReport with a componentCriteria value the station does not evaluate (Active) is answered Rejected "
          "instead of NotSupported",
          ("TC_B_19_CS",),
          edits=(PayloadEdit("GetReportResponse", Drop("statusInfo", when=_not_supported),
                             Set("status", "Rejected", when=_not_supported)),)),
    Fault("custom_report_variable_instance_required", "station", ("B08.FR.21",),
          "a GetReport componentVariable without variable.instance matches only variables without an instance, "
          "so DeviceDataCtrlr.ItemsPerMessage (which exists only with instances) gives EmptyResultSet",
          ("TC_B_54_CS",)),
    Fault("custom_report_ignores_variable_instance", "station", ("B08.FR.11",),
          "a GetReport componentVariable's variable.instance is ignored: every instance of the variable is reported",
          ("TC_B_55_CS",),
          edits=(PayloadEdit("GetReportRequest", Drop("componentVariable.*.variable.instance")),)),
    Fault("custom_report_first_evse_only", "station", ("B08.FR.23",),
          "a GetReport componentVariable without component.evse is taken as EVSE 1: the other EVSEs are not "
          "reported",
          ("TC_B_56_CS",),
          edits=(PayloadEdit("GetReportRequest", Set(
              "componentVariable.*.component.evse", {"id": 1}, when=lambda component: "evse" not in component)),)),
    # --- reference Charging Station: B02/B03/B04 boot, offline, reconnection ---------------
    Fault("boot_retry_ignores_interval", "station", ("B02.FR.04", "B03.FR.06"),
          "after a Pending or Rejected boot the station retries BootNotification after its own short retry delay "
          "(0.2 s) instead of waiting the interval of the BootNotificationResponse",
          ("TC_B_02_CS", "TC_B_03_CS")),
    Fault("rejected_station_reports_status", "station", ("B03.FR.02",),
          "right after a Rejected boot the station reports the status of its connectors instead of staying silent "
          "until it retries the boot",
          ("TC_B_03_CS",)),
    Fault("pending_accepts_remote_start", "station", ("B02.FR.05",),
          "while its boot is Pending the station handles RequestStartTransaction as usual (it is configured to "
          "allow transactions before being accepted) instead of answering Rejected",
          ("TC_B_02_CS",)),
    Fault("trigger_boot_accepted_when_accepted", "station", ("F06.FR.17",),
          "the station accepts a TriggerMessage for BootNotification although its last boot was Accepted, and "
          "boots again",
          ("TC_B_02_CS", "TC_F_26_CS")),
    Fault("rejected_station_serves_requests", "station", ("B03.FR.08",),
          "while its boot is Rejected the station serves the CSMS's requests as usual instead of answering them "
          "with CALLERROR SecurityError",
          ("TC_B_30_CS",)),
    Fault("reconnect_reports_changed_only", "station", ("B04.FR.01",),
          "after reconnecting the station reports only the connectors whose status changed while offline, "
          "however long the offline period was (OCPPCommCtrlr.OfflineThreshold is ignored)",
          ("TC_B_51_CS",)),
    Fault("reconnect_reports_all_connectors", "station", ("B04.FR.02",),
          "after reconnecting the station reports every connector, even after an offline period shorter than "
          "OCPPCommCtrlr.OfflineThreshold",
          ("TC_B_52_CS",)),
    Fault("reconnect_without_backoff", "station", ("Part 4 §5.3",),
          "after losing the connection the station reconnects after a fixed 0.2 s, ignoring "
          "OCPPCommCtrlr.RetryBackOffWaitMinimum",
          ("TC_B_57_CS",)),
    Fault("reconnect_backoff_not_doubled", "station", ("Part 4 §5.3",),
          "after a failed reconnection attempt the station waits RetryBackOffWaitMinimum again instead of doubling "
          "the back-off",
          ("TC_B_57_CS",)),
    # --- reference Charging Station: B11/B12 reset ----------------------------------------
    Fault("onidle_reset_scheduled_when_idle", "station", ("B11.FR.03", "B11.FR.08"),
          "the station treats every OnIdle reset as waiting for the end of a transaction: it answers Scheduled "
          "although nothing is charging, and never resets",
          ("TC_B_20_CS", "TC_B_23_CS", "TC_B_25_CS")),
    Fault("reset_clears_availability", "station", ("B11.FR.02",),
          "the station's Reset handler re-initialises the connectors' state machines: after a remote reset a "
          "connector set Inoperative is Available again",
          ("TC_B_23_CS",)),
    Fault("reservation_forgotten_after_reboot", "station", ("B11.FR.05", "B01.FR.13"),
          "the station keeps reservations in RAM only: after a reboot the reserved EVSE is Available",
          ("TC_B_24_CS",)),
    Fault("immediate_reset_ends_as_remote_stop", "station", ("B12.FR.04", "B12.FR.08"),
          "an Immediate reset during a transaction ends it as a remote stop (triggerReason RemoteStop, "
          "stoppedReason Remote) instead of ResetCommand / ImmediateReset",
          ("TC_B_22_CS", "TC_B_27_CS")),
    Fault("immediate_reset_without_ending_transaction", "station", ("B12.FR.04", "B12.FR.08"),
          "an Immediate reset during a transaction reboots at once: no TransactionEventRequest Ended is sent",
          ("TC_B_22_CS", "TC_B_27_CS")),
    Fault("onidle_reset_accepted_during_transaction", "station", ("B12.FR.01",),
          "an OnIdle reset during a transaction is answered Accepted and performed at once, ending the "
          "transaction, instead of Scheduled until the transactions have ended",
          ("TC_B_21_CS", "TC_B_26_CS", "TC_B_41_CS")),
    Fault("evse_reset_accepted_unsupported", "station", ("B11.FR.09", "B12.FR.09"),
          "a station that cannot reset a single EVSE answers a Reset with evseId like one without it",
          ("TC_B_28_CS", "TC_B_29_CS"), without=("C-13",)),
    # --- reference Charging Station: B09/B10 network profiles -----------------------------
    Fault("network_profile_accepts_any_slot", "station", ("B09.FR.02", "B09.FR.05"),
          "the station stores a SetNetworkProfileRequest for any configurationSlot number, also one that is not "
          "in the valuesList of NetworkConfigurationPriority, and answers Accepted",
          ("TC_B_43_CS",)),
    Fault("network_priority_ignored_after_reboot", "station", ("B10.FR.04",),
          "after a reboot the station first reconnects through the profile it used before, instead of the first "
          "entry of NetworkConfigurationPriority",
          ("TC_B_45_CS", "TC_B_46_CS", "TC_B_49_CS")),
    Fault("network_profile_single_attempt", "station", ("B10.FR.03",),
          "the station tries each entry of NetworkConfigurationPriority once, ignoring "
          "NetworkProfileConnectionAttempts",
          ("TC_B_46_CS",)),
    Fault("network_fallback_restarts_priority_list", "station", ("B10.FR.07",),
          "although declared with C-47, the station starts the whole NetworkConfigurationPriority list again after "
          "every entry failed, instead of reconnecting to the profile of its last successful connection",
          ("TC_B_49_CS",)),
    Fault("tls_ignores_installed_roots", "station", ("M05.FR.13", "B10.FR.04"),
          "on security profile 2 the station validates the CSMS's server certificate only against the CSMS root it "
          "was shipped with, ignoring roots installed later with InstallCertificate",
          ("TC_B_50_CS",), settings=("connection.security_profile=2",)),
    Fault("csms_root_replaced_at_once", "station", ("M05.FR.12", "M05.FR.16"),
          "with AdditionalRootCertificateCheck the station deletes the old CSMS root as soon as a new one is "
          "installed, so after a failed migration it cannot validate the original CSMS with the fallback root",
          # the station then never reconnects: a shorter connect timeout makes the case fail sooner
          ("TC_B_47_CS",), settings=("connection.security_profile=2", "timing.connect_timeout=4")),
    Fault("csms_root_fallback_used_when_migrating", "station", ("M05.FR.15",),
          "with AdditionalRootCertificateCheck the station also validates the certificate of a CSMS it migrates to "
          "with the old (fallback) CSMS root, instead of only with the new root",
          ("TC_B_47_CS",), settings=("connection.security_profile=2",)),
    Fault("csms_root_fallback_kept", "station", ("M05.FR.13",),
          "with AdditionalRootCertificateCheck the station keeps the old CSMS root after it connected using the new "
          "one, instead of removing the fallback",
          ("TC_B_50_CS",), settings=("connection.security_profile=2",)),
    # block B faults added with the issue 9 re-read (helper fixbcs)
    Fault("report_omits_active_network_profile", "station", ("B07.FR.08",),
          "the device model report leaves out OCPPCommCtrlr.ActiveNetworkProfile, optional before errata 2025-09 "
          "§2.57 made it required",
          ("TC_B_13_CS", "TC_B_53_CS"),
          edits=(PayloadEdit("NotifyReportRequest", Remove(
              "reportData", when=lambda entry: entry["variable"]["name"] == "ActiveNetworkProfile")),)),
    Fault("items_per_message_set_variables_unreported", "station", ("B08.FR.21", "B07.FR.08"),
          "reports leave out the instance SetVariables of DeviceDataCtrlr.ItemsPerMessage (only the Get instances "
          "are implemented as report entries)",
          ("TC_B_54_CS", "TC_B_13_CS", "TC_B_53_CS"),
          edits=(PayloadEdit("NotifyReportRequest", Remove(
              "reportData", when=lambda entry: (entry["variable"]["name"], entry["variable"].get("instance"))
              == ("ItemsPerMessage", "SetVariables"))),)),
    Fault("triggered_boot_keeps_original_reason", "station", ("F06.FR.10", "B01.FR.09"),
          "a BootNotification sent because of a TriggerMessage repeats the reason of the first boot (PowerUp, ...) "
          "instead of Triggered",
          ("TC_B_02_CS",)),
    Fault("boot_without_security_event", "station", ("A04.FR.01",),
          "the station does not report its start-up with a SecurityEventNotification (StartupOfTheDevice / "
          "ResetOrReboot)",
          ("TC_B_01_CS", "TC_B_21_CS")),
    Fault("stop_point_authorized_ignored", "station", ("E06.FR.03", "errata 2025-09 §6.2.117"),
          "with TxStopPoint containing Authorized, presenting the idToken again only stops the energy transfer: "
          "the transaction goes on (Updated events) until the EV is unplugged",
          ("TC_B_21_CS",)),
    # --- reference Charging Station: transaction steps (fixrecheck, issue 9 re-check) ----------------
    Fault("plug_in_event_without_connector", "station", ("E01.FR.16",),
          "the TransactionEventRequest sent when the EV is plugged in names the EVSE but not the connector",
          ("TC_B_21_CS",),
          edits=(PayloadEdit("TransactionEventRequest", Apply(
              "evse", lambda evse: {"id": evse["id"]},
              when=lambda request: request.get("triggerReason") == "CablePluggedIn")),)),
    Fault("started_event_omits_id_token", "station", ("Part 6 §2.1", "E01.FR.10"),
          "the TransactionEventRequest that starts a transaction authorized before the EV was plugged in does not "
          "carry the presented idToken",
          ("TC_B_21_CS",),
          edits=(PayloadEdit("TransactionEventRequest", Drop(
              "idToken", when=lambda request: request.get("eventType") == "Started")),)),
    # --- reference CSMS -------------------------------------------------------------------
    Fault("boot_rejects_known_station", "csms", ("B01.FR.02",),
          "the CSMS answers a registered station's BootNotification with Rejected",
          ("TC_B_01_CSMS", "TC_B_06_CSMS")),
    Fault("get_variables_wrong_component", "csms",
          ("Part 6 TC_B_06_CSMS tool validation step 1", "Part 6 TC_B_07_CSMS tool validation step 1"),
          "the CSMS asks for variables of a controller under a misspelt name (OCPPCommCtrl, AuthCtrl: 'Ctrl' "
          "for 'Ctrlr')",
          ("TC_B_06_CSMS", "TC_B_07_CSMS"),
          edits=(PayloadEdit("GetVariablesRequest", Apply("getVariableData.*.component.name", _misspelt)),)),
    Fault("csms_set_variables_wrong_component", "csms",
          ("Part 6 TC_B_09_CSMS tool validation step 1", "Part 6 TC_B_10_CSMS tool validation step 1"),
          "the CSMS sets variables of a controller under a misspelt name (OCPPCommCtrl, AuthCtrl: 'Ctrl' for "
          "'Ctrlr')",
          ("TC_B_09_CSMS", "TC_B_10_CSMS"),
          edits=(PayloadEdit("SetVariablesRequest", Apply("setVariableData.*.component.name", _misspelt)),)),
    Fault("csms_set_variables_first_entry_only", "csms", ("Part 6 TC_B_10_CSMS tool validation step 1",),
          "the CSMS's SetVariables form sends only the first of several variables the operator set",
          ("TC_B_10_CSMS",),
          edits=(PayloadEdit("SetVariablesRequest", Truncate("setVariableData", 1)),)),
    # --- reference CSMS: B07/B08 reports and B06 ItemsPerMessage ----------------------------
    Fault("csms_get_variables_ignores_items_per_message", "csms", ("B06.FR.05",),
          "the CSMS sends every variable the operator asked for in one GetVariablesRequest, whatever the station's "
          "ItemsPerMessage[GetVariables]",
          ("TC_B_08_CSMS",)),
    Fault("csms_items_per_message_off_by_one", "csms", ("B06.FR.05",),
          "the CSMS splits a GetVariables into requests of ItemsPerMessage[GetVariables] + 1 entries",
          ("TC_B_08_CSMS",)),
    Fault("csms_report_base_off_by_one", "csms",
          ("Part 6 TC_B_12_CSMS tool validation step 1", "Part 6 TC_B_13_CSMS tool validation step 1",
           "Part 6 TC_B_14_CSMS tool validation step 1"),
          "the CSMS's report type selection is shifted: ConfigurationInventory is requested as FullInventory, "
          "FullInventory as SummaryInventory, SummaryInventory as ConfigurationInventory",
          ("TC_B_12_CSMS", "TC_B_13_CSMS", "TC_B_14_CSMS"),
          edits=(PayloadEdit("GetBaseReportRequest", Apply("reportBase", _next_base)),)),
    Fault("csms_notify_report_not_implemented", "csms", ("OCPP-J Part 4 §4.2.2",),
          "the CSMS has no handler for NotifyReport and answers every part with CALLERROR NotImplemented",
          ("TC_B_12_CSMS", "TC_B_13_CSMS", "TC_B_14_CSMS", "TC_B_18_CSMS")),
    Fault("csms_get_report_drops_criteria", "csms", ("Part 6 TC_B_18_CSMS tool validation step",),
          "the CSMS sends a GetReportRequest without the componentCriteria the operator chose",
          ("TC_B_18_CSMS",),
          edits=(PayloadEdit("GetReportRequest", Drop("componentCriteria")),)),
    Fault("csms_get_variables_balanced_split", "csms", ("Part 6 TC_B_08_CSMS tool validation step 1",),
          "the CSMS spreads variables evenly over the fewest GetVariablesRequests ItemsPerMessage allows (5 with a "
          "limit of 4: 3 + 2), where Part 6 expects full requests first (4 + 1); B06.FR.05 alone allows it",
          ("TC_B_08_CSMS",)),
    # --- reference CSMS: B02/B03 boot ------------------------------------------------------
    Fault("csms_pending_closes_connection", "csms", ("B02.FR.06",),
          "after answering a BootNotification with Pending, the CSMS closes the WebSocket connection",
          ("TC_B_02_CSMS",)),
    Fault("csms_serves_pending_station", "csms", ("B02.FR.09",),
          "the CSMS refuses the other CALLs of a Rejected station only: a Pending station's StatusNotifications "
          "are answered as usual instead of with CALLERROR SecurityError",
          ("TC_B_30_CSMS",)),
    Fault("csms_rejects_triggered_boot", "csms", ("Part 6 TC_B_31_CSMS tool validation step 6", "B01.FR.02"),
          "the CSMS's boot handler does not know the reason Triggered and answers such a BootNotification with "
          "Rejected, so a station it asked to boot (TriggerMessage) is never accepted",
          ("TC_B_31_CSMS",)),
    # --- reference CSMS: B02 boot (fixrest, issue 9) -------------------------------------------
    Fault("csms_pending_until_operator_accepts", "csms", ("B01.FR.02",),
          "configured to first answer Pending (or Rejected), the CSMS keeps answering every boot that way until an "
          "operator accepts the station by hand: it never leaves Pending by itself",
          ("TC_B_02_CSMS", "TC_B_31_CSMS")),
    Fault("csms_queries_rejected_station", "csms", ("B03.FR.03",),
          "right after answering a BootNotification with Rejected, the CSMS sends the station a GetVariablesRequest "
          "to find out what it is", ("TC_B_30_CSMS",), without=("C-44",), settings=("pics.answers.AQ-16=false",)),
    # --- reference CSMS: WebSocket subprotocol (Part 5 erratum 5.10, TC_B_58_CSMS) ---------
    Fault("csms_selects_first_offered_subprotocol", "csms",
          ("OCPP-J Part 4 §3.2", "Part 6 TC_B_58_CSMS (erratum 6.2.21) step 2"),
          "the CSMS's handshake echoes the first subprotocol the station offers instead of choosing one it "
          "implements, so a station offering ocpp0.1 first gets an upgrade to a protocol the CSMS does not speak",
          ("TC_B_58_CSMS",)),
    Fault("csms_always_names_ocpp201", "csms", ("OCPP-J Part 4 §3.2",),
          "the CSMS's handshake hard-codes Sec-WebSocket-Protocol ocpp2.0.1 in its 101 answer, also when the "
          "station did not offer it (a 101 the station must fail, not a refusal)",
          ("TC_B_58_CSMS",)),
    # --- reference CSMS: B11/B12 reset -----------------------------------------------------
    Fault("csms_reset_default_evse", "csms",
          ("Part 6 TC_B_20_CSMS manual action / tool validation step 1",
           "Part 6 TC_B_21_CSMS tool validation step 1", "Part 6 TC_B_22_CSMS tool validation step 1"),
          "the CSMS's reset form fills in EVSE 1 when the operator resets the whole station",
          ("TC_B_20_CSMS", "TC_B_21_CSMS", "TC_B_22_CSMS"),
          edits=(PayloadEdit("ResetRequest", Set("evseId", 1, when=lambda request: "evseId" not in request)),)),
    Fault("csms_reset_drops_evse", "csms",
          ("Part 6 TC_B_25_CSMS tool validation step 1", "Part 6 TC_B_26_CSMS tool validation step 1",
           "Part 6 TC_B_27_CSMS tool validation step 1"),
          "the CSMS sends a Reset for one EVSE without evseId, so the whole station resets",
          ("TC_B_25_CSMS", "TC_B_26_CSMS", "TC_B_27_CSMS"),
          edits=(PayloadEdit("ResetRequest", Drop("evseId")),)),
    Fault("csms_reset_always_immediate", "csms",
          ("Part 6 TC_B_20_CSMS manual action / tool validation step 1",
           "Part 6 TC_B_21_CSMS tool validation step 1", "Part 6 TC_B_25_CSMS tool validation step 1",
           "Part 6 TC_B_26_CSMS tool validation step 1"),
          "the CSMS ignores the reset type the operator chose and always sends type Immediate",
          ("TC_B_20_CSMS", "TC_B_21_CSMS", "TC_B_25_CSMS", "TC_B_26_CSMS"),
          edits=(PayloadEdit("ResetRequest", Set("type", "Immediate")),)),
    # --- reference CSMS: B09 network profiles ----------------------------------------------
    Fault("csms_network_profile_slot_default", "csms", ("Part 6 TC_B_42",),
          "the CSMS's network profile form does not pass the chosen slot on: every SetNetworkProfileRequest "
          "carries the field's default, configurationSlot 0, which is not one of the station's slots",
          ("TC_B_42_CSMS", "TC_B_44_CSMS"),
          edits=(PayloadEdit("SetNetworkProfileRequest", Set("configurationSlot", 0)),)),
    Fault("csms_network_profile_default_timeout", "csms", ("Part 6 TC_B_42_CSMS tool validation step 1",),
          "the CSMS ignores the messageTimeout the operator entered for a network profile and always sends 30",
          ("TC_B_42_CSMS",),
          edits=(PayloadEdit("SetNetworkProfileRequest", Set("connectionData.messageTimeout", 30)),)),
]
