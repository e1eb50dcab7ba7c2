"""The faults of the block F RemoteControl: the block of the first case each must FAIL."""

from __future__ import annotations

from .edits import Apply, Drop, PayloadEdit, Set
from .spec import Fault

FAULTS: list[Fault] = [
    # --- reference Charging Station: F (helper fcs) -----------------------------------------
    Fault("remote_start_id_missing", "station", ("F01.FR.25", "F02.FR.01", "F02.FR.21"),
          "after an accepted RequestStartTransaction the station reports the transaction with triggerReason "
          "RemoteStart but leaves out the remoteStartId the CSMS gave",
          ("TC_F_01_CS", "TC_F_02_CS", "TC_F_03_CS", "TC_F_04_CS", "TC_E_13_CS")),
    Fault("remote_start_authorize_ignored", "station", ("F01.FR.01", "F01.FR.02", "F02.FR.09", "F02.FR.10"),
          "the station reads AuthCtrlr.AuthorizeRemoteStart inverted: it sends an AuthorizeRequest for a remote "
          "start when the variable is false and skips it when it is true",
          ("TC_F_02_CS", "TC_F_03_CS")),
    Fault("remote_start_without_connection_timeout", "station", ("E03.FR.05", "F02.FR.07"),
          "the station runs its EVConnectionTimeOut timer for local authorizations only: a remotely started "
          "transaction waits for a cable for ever",
          ("TC_F_04_CS",)),
    Fault("remote_start_ignores_availability", "station", ("F01.FR.23", "F02.FR.25"),
          "the station accepts a RequestStartTransaction for an EVSE it made Unavailable (the start would wait until "
          "the EVSE is operative again)",
          ("X_F_01_CS",)),
    Fault("remote_start_on_busy_evse_accepted", "station", ("F01.FR.24", "F02.FR.26"),
          "the station accepts a RequestStartTransaction for an EVSE whose transaction is already authorized, and "
          "reports it as a new authorization of that transaction",
          ("X_F_02_CS",)),
    Fault("remote_stop_accepted_not_stopped", "station", ("F03.FR.02", "F03.FR.03"),
          "the station answers RequestStopTransaction Accepted but never stops the transaction",
          ("TC_F_08_CS", "TC_E_21_CS", "TC_E_35_CS")),
    Fault("remote_stop_any_transaction", "station", ("F03.FR.08",),
          "the station does not compare the transactionId of RequestStopTransaction: it accepts it and stops "
          "whatever transaction is running",
          ("TC_F_09_CS",)),
    Fault("unlock_during_transaction", "station", ("F05.FR.02",),
          "the station unlocks the connector of an ongoing authorized transaction on UnlockConnector instead of "
          "answering OngoingAuthorizedTransaction",
          ("TC_F_05_CS",)),
    Fault("unlock_without_cable_fails", "station", ("F05.FR.04", "F05.FR.06"),
          "the station does not try the lock when no cable is detected and answers UnlockFailed",
          ("TC_F_06_CS", "TC_F_07_CS")),
    Fault("trigger_meter_context_periodic", "station", ("F06.FR.06", "F06.FR.07"),
          "the station sends the triggered meter values with the context of its periodic samples "
          "(Sample.Periodic) instead of Trigger",
          ("TC_F_11_CS", "TC_F_12_CS", "TC_F_13_CS", "TC_F_14_CS")),
    Fault("trigger_meter_values_first_evse_only", "station", ("F06.FR.11",),
          "a TriggerMessage for MeterValues without evse makes the station report its first EVSE only, not every "
          "EVSE",
          ("TC_F_12_CS",)),
    Fault("trigger_transaction_event_without_meter", "station", ("F06.FR.07",),
          "the triggered TransactionEventRequest carries no meterValue",
          ("TC_F_13_CS", "TC_F_14_CS")),
    Fault("trigger_firmware_status_downloaded", "station", ("F06.FR.16", "F06.FR.09"),
          "asked for FirmwareStatusNotification while no firmware job runs, the station repeats the status of its "
          "last finished update (Downloaded) instead of Idle",
          ("TC_F_17_CS", "TC_F_18_CS")),
    Fault("trigger_not_implemented_rejected", "station", ("F06.FR.08",),
          "the station answers Rejected, not NotImplemented, to a TriggerMessage for a message it has not "
          "implemented",
          ("TC_F_27_CS",)),
    Fault("trigger_job_status_not_tracked", "station", ("F06.FR.14", "L01.FR.26"),
          "the station's TriggerMessage handler does not know about running log uploads and firmware downloads: "
          "it always reports LogStatusNotification / FirmwareStatusNotification Idle",
          ("TC_F_16_CS", "TC_F_19_CS")),
    Fault("unlock_unknown_connector_unlocked", "station", ("F05.FR.03",),
          "the station does not look the connector of UnlockConnector up: for a connector it does not have it "
          "answers Unlocked",
          ("TC_F_10_CS",)),
    Fault("trigger_log_status_last_upload", "station", ("F06.FR.15", "F06.FR.09"),
          "asked for LogStatusNotification while no upload runs, the station repeats the status of its last "
          "upload (Uploaded) instead of Idle",
          ("TC_F_15_CS",)),
    Fault("trigger_heartbeat_not_implemented", "station", ("F06.FR.05", "F06.FR.08"),
          "the station implements TriggerMessage only for status and meter messages and answers NotImplemented "
          "for Heartbeat (a message it sends all the time; Part 6 TC_F_20_CS, mandatory, expects Accepted)",
          ("TC_F_20_CS",)),
    Fault("trigger_status_accepted_not_sent", "station", ("F06.FR.10",),
          "the station accepts a TriggerMessage for StatusNotification of a connector but sends nothing, because "
          "the connector's status has not changed since its last report",
          ("TC_F_23_CS", "TC_F_24_CS")),
    # --- reference CSMS: remote start, unlock, trigger (fcsms) --------------------------------
    Fault("csms_remote_start_central_token", "csms",
          ("Part 6 tool validation step 1 (RequestStartTransactionRequest)",),
          "the CSMS starts every remote transaction with an idToken of type Central, whatever the type of the driver's "
          "token it names",
          ("TC_F_01_CSMS", "TC_F_02_CSMS", "TC_F_03_CSMS", "TC_F_04_CSMS"),
          edits=(PayloadEdit("RequestStartTransactionRequest", Set("idToken.type", "Central")),)),
    Fault("csms_remote_start_token_without_type", "csms", ("OCPP-J Part 4 §4.1.2", "F01.FR.04"),
          "the CSMS's remote start, ported from OCPP 1.6 (an idTag string), sends idToken without its type",
          ("TC_F_01_CSMS", "TC_F_03_CSMS"),
          edits=(PayloadEdit("RequestStartTransactionRequest", Drop("idToken.type")),)),
    Fault("csms_remote_start_default_profile", "csms", ("F01.FR.09", "F02.FR.17"),
          "the CSMS attaches the station's default charging profile (purpose TxDefaultProfile) to every remote start",
          ("TC_F_01_CSMS", "TC_F_02_CSMS", "TC_F_03_CSMS", "TC_F_04_CSMS"),
          edits=(PayloadEdit("RequestStartTransactionRequest", Set("chargingProfile", {
              "id": 1, "stackLevel": 0, "chargingProfilePurpose": "TxDefaultProfile",
              "chargingProfileKind": "Absolute", "chargingSchedule": [{
                  "id": 1, "startSchedule": "2025-01-01T00:00:00Z", "chargingRateUnit": "A",
                  "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 32.0}]}]})),)),
    Fault("csms_unlock_connector_zero_based", "csms", ("Part 6 tool validation step 1 (UnlockConnectorRequest)",),
          "the CSMS numbers an EVSE's connectors from 0 (its list index): asked to unlock connector 1 it sends "
          "connectorId 0",
          ("TC_F_06_CSMS",),
          edits=(PayloadEdit("UnlockConnectorRequest", Apply("connectorId", lambda connector: connector - 1)),)),
    Fault("csms_trigger_drops_evse", "csms", ("Part 6 tool validation (TriggerMessageRequest)",),
          "the CSMS's TriggerMessage form ignores the EVSE the operator chose: the request goes out without evse",
          ("TC_F_11_CSMS", "TC_F_13_CSMS", "TC_F_23_CSMS", "TC_F_24_CSMS"),
          edits=(PayloadEdit("TriggerMessageRequest", Drop("evse")),)),
    Fault("csms_trigger_status_without_connector", "csms", ("F06.FR.13",),
          "the CSMS asks for a StatusNotification of an EVSE without evse.connectorId",
          ("TC_F_23_CSMS", "TC_F_24_CSMS"),
          edits=(PayloadEdit("TriggerMessageRequest", Apply(
              "evse", lambda evse: {k: v for k, v in evse.items() if k != "connectorId"},
              when=lambda request: request.get("requestedMessage") == "StatusNotification")),)),
    Fault("csms_rejects_trigger_context", "csms", ("OCPP-J Part 4 §4.2.2",),
          "the CSMS's sampled-value parser knows the periodic, clock and transaction contexts only: a MeterValues or "
          "TransactionEvent request with a value of context Trigger is answered with CALLERROR "
          "PropertyConstraintViolation",
          ("TC_F_11_CSMS", "TC_F_12_CSMS", "TC_F_13_CSMS", "TC_F_14_CSMS")),
    Fault("csms_job_status_requires_request_id", "csms", ("OCPP-J Part 4 §4.2.2",),
          "the CSMS takes LogStatusNotification and FirmwareStatusNotification only for a log / firmware request of "
          "its own: an Idle report without requestId (a triggered one) is answered with CALLERROR",
          ("TC_F_15_CSMS", "TC_F_18_CSMS")),
    Fault("csms_heartbeat_local_time", "csms", ("HeartbeatResponse",),
          "the CSMS answers HeartbeatRequest with its local time without a time-zone offset (a naive timestamp)",
          ("TC_F_20_CSMS",),
          edits=(PayloadEdit("HeartbeatResponse", Apply("currentTime", lambda value: value[:19])),)),
    Fault("csms_trigger_not_implemented_closes_connection", "csms", ("OCPP-J Part 4 §5",),
          "the CSMS takes a TriggerMessageResponse with status NotImplemented for a broken peer and closes the "
          "station's connection",
          ("TC_F_27_CSMS",)),
]
