"""The faults of the block E Transactions: the block of the first case each must FAIL."""

from __future__ import annotations

from .spec import Fault

FAULTS: list[Fault] = [
    # --- equeue: the reference station's transaction message queue (E11-E14) ---------------
    Fault("queued_events_not_offline", "station", ("E11.FR.02", "E12.FR.02", "E08.FR.07", "E11.FR.07"),
          "the station queues its TransactionEventRequests while offline but sends them after the reconnection "
          "without the offline flag (it sets offline only on events generated while it knows it is offline)",
          ("TC_E_43_CS", "TC_E_44_CS", "TC_E_45_CS")),
    Fault("offline_group_stop_ignored", "station", ("E08.FR.02", "E08.FR.04"),
          "offline, the station stops a transaction only for the idToken that started it: another idToken of the same "
          "GroupId (in its authorization cache) is ignored",
          ("TC_E_45_CS",)),
    Fault("no_retry_after_timeout", "station", ("E13.FR.02",),
          "the station takes a TransactionEventRequest that got no answer within its message timeout as delivered "
          "and never sends it again",
          ("TC_E_41_CS", "TC_E_42_CS")),
    Fault("no_retry_after_callerror", "station", ("E13.FR.02",),
          "the station takes a CALLERROR to its TransactionEventRequest as an answer and never sends it again",
          ("TC_E_50_CS", "TC_E_51_CS")),
    Fault("retry_interval_not_multiplied", "station", ("E13.FR.03",),
          "the station waits MessageAttemptIntervalTransactionEvent before every retry instead of that interval "
          "times the number of transmissions so far: from the third transmission on it retries too early",
          ("TC_E_41_CS", "TC_E_50_CS")),
    Fault("retry_one_attempt_too_many", "station", ("E13.FR.02", "E13.FR.04"),
          "the station counts retries instead of attempts: it sends a failing TransactionEventRequest "
          "MessageAttemptsTransactionEvent + 1 times before it discards it",
          ("TC_E_41_CS", "TC_E_50_CS")),
    Fault("transaction_status_omits_ongoing", "station", ("E14.FR.01", "E14.FR.02", "E14.FR.03"),
          "the station answers GetTransactionStatus without ongoingIndicator even when the CSMS names a "
          "transactionId",
          ("TC_E_28_CS", "TC_E_30_CS", "TC_E_31_CS", "TC_E_32_CS")),
    Fault("transaction_status_ongoing_always_set", "station", ("E14.FR.06",),
          "the station answers GetTransactionStatus without a transactionId with ongoingIndicator false instead "
          "of leaving it out",
          ("TC_E_34_CS",)),
    Fault("transaction_status_ended_still_ongoing", "station", ("E14.FR.03",),
          "the station answers GetTransactionStatus for a transaction that has ended with ongoingIndicator true "
          "(it looks the id up among every transaction it ran, not the ongoing ones)",
          ("TC_E_31_CS", "TC_E_32_CS")),
    Fault("transaction_status_queue_ignored", "station", ("E14.FR.04", "E14.FR.07"),
          "the station answers GetTransactionStatus with messagesInQueue false while TransactionEventRequests "
          "wait in its queue (it only looks at messages being sent)",
          ("TC_E_31_CS",)),
    # --- end equeue ----------------------------------------------------------------------------
    # --- estart: start points, local start, local stop (reference Charging Station) ------------------------------
    Fault("power_path_closed_no_token", "station", ("E01.FR.10", "Part 6 §2.1"),
          "with TxStartPoint PowerPathClosed the station starts the transaction when the EV is plugged in after the "
          "authorization, but its Started event does not carry the idToken that was authorized",
          ("TC_E_01_CS", "TC_E_04_CS")),
    Fault("energy_transfer_start_without_connector", "station", ("E01.FR.16", "Part 6 TC_E_02_CS step 3"),
          "with TxStartPoint EnergyTransfer the Started event, built when the energy starts to flow, names the EVSE "
          "but not the connector the EV is plugged into",
          ("TC_E_02_CS",)),
    Fault("authorized_start_without_token", "station", ("E01.FR.10", "E02.FR.01", "E01.FR.03"),
          "a transaction the station starts at the authorization (TxStartPoint Authorized, or PowerPathClosed with "
          "the EV plugged in first) has a Started event without the idToken that authorized it",
          ("TC_E_03_CS", "TC_E_10_CS")),
    Fault("ev_connection_timeout_ignored", "station", ("C01.FR.26", "E03.FR.05"),
          "the station never ends an authorization for which no cable was plugged in: EVConnectionTimeOut is "
          "ignored (presenting the token again then only withdraws the stale authorization)",
          ("TC_E_05_CS",)),
    Fault("local_stop_reported_deauthorized", "station", ("E07.FR.04", "Part 6 §2.1"),
          "a transaction the driver stopped by presenting the idToken again ends with stoppedReason DeAuthorized "
          "instead of Local",
          ("TC_E_06_CS",)),
    Fault("ev_connected_started_idle", "station", ("E01.FR.02", "Part 6 TC_E_09_CS step 3"),
          "with TxStartPoint EVConnected the Started event sent when the EV is plugged in says chargingState Idle "
          "(the state read before the cable was detected)",
          ("TC_E_09_CS",)),
    Fault("data_signed_start_unsigned", "station", ("E01.FR.04", "E02.FR.14", "Part 6 TC_E_11_CS step 3"),
          "with TxStartPoint DataSigned and SignReadings true the Started event carries the Transaction.Begin "
          "reading without its signedMeterValue",
          ("TC_E_11_CS",)),
    Fault("parking_bay_start_reported_as_cable", "station", ("E01.FR.01", "E01.FR.15", "Part 6 TC_E_12_CS step 1"),
          "with TxStartPoint ParkingBayOccupancy the transaction started by the bay sensor is reported with "
          "triggerReason CablePluggedIn instead of EVDetected",
          ("TC_E_12_CS",)),
    Fault("ev_not_ready_reported_charging", "station", ("E01.FR.19", "E02.FR.13", "Part 6 TC_E_38_CS step 2"),
          "the station reports chargingState Charging as soon as the power path is closed, although the EV is not "
          "ready and draws no energy (no SuspendedEV)",
          ("TC_E_38_CS",), without=("C-09.5",)),  # Part 5: TC_E_38_CS only without the EnergyTransfer start point
    Fault("disable_remote_authorization_ignored", "station", ("C01.FR.02", "C01.FR.05", "Part 6 TC_E_52_CS step 1"),
          "AuthCtrlr.DisableRemoteAuthorization true is accepted but ignored: an idToken in neither the cache nor the "
          "local list is still sent in an AuthorizeRequest (and charged for when the CSMS accepts it)",
          ("TC_E_52_CS",)),
    # --- end estart ------------------------------------------------------------------------------------------------
]
