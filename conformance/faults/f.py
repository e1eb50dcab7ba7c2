"""The faults of the block F RemoteControl: the block of the first case each must FAIL."""

from __future__ import annotations

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
]
