"""The faults of the block E Transactions: the block of the first case each must FAIL."""

from __future__ import annotations

from .edits import Drop, PayloadEdit
from .spec import Fault

# A CALLERROR where the CSMS must answer a TransactionEventRequest: what the CSMS-side cases then name.
_MUST_ANSWER = ("Part 6 §3.18: the CSMS responds with a TransactionEventResponse", "OCPP-J Part 4 §4.2.2")

FAULTS: list[Fault] = [
    # --- equeue: the reference station's transaction message queue (E11-E14) ---------------
    Fault("queued_events_not_offline", "station", ("E11.FR.02", "E12.FR.02", "E08.FR.07", "E11.FR.07"),
          "the station queues its TransactionEventRequests while offline but sends them after the reconnection "
          "without the offline flag (it sets offline only on events generated while it knows it is offline)",
          ("TC_E_29_CS", "TC_E_33_CS", "TC_E_40_CS", "TC_E_43_CS", "TC_E_44_CS", "TC_E_45_CS")),
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
          ("TC_E_28_CS", "TC_E_29_CS", "TC_E_30_CS", "TC_E_31_CS", "TC_E_32_CS")),
    Fault("transaction_status_ongoing_always_set", "station", ("E14.FR.06",),
          "the station answers GetTransactionStatus without a transactionId with ongoingIndicator false instead "
          "of leaving it out",
          ("TC_E_33_CS", "TC_E_34_CS")),
    Fault("transaction_status_ended_still_ongoing", "station", ("E14.FR.03",),
          "the station answers GetTransactionStatus for a transaction that has ended with ongoingIndicator true "
          "(it looks the id up among every transaction it ran, not the ongoing ones)",
          ("TC_E_31_CS", "TC_E_32_CS")),
    Fault("transaction_status_queue_ignored", "station", ("E14.FR.04", "E14.FR.07"),
          "the station answers GetTransactionStatus with messagesInQueue false while TransactionEventRequests "
          "wait in its queue (it only looks at messages being sent)",
          ("TC_E_29_CS", "TC_E_31_CS", "TC_E_33_CS")),
    # --- end equeue ----------------------------------------------------------------------------
    # --- reference Charging Station: E remote start / stop (helper fcs) ----------------------
    Fault("remote_start_trigger_authorized", "station", ("F01.FR.19", "F02.FR.21"),  # fcs
          "the station reports the authorization of a remote start like a local one, with triggerReason "
          "Authorized instead of RemoteStart",
          ("TC_E_13_CS", "TC_F_02_CS", "TC_F_03_CS")),
    Fault("remote_stop_reason_local", "station", ("F03.FR.03", "E06.FR.15"),  # fcs
          "the station ends a remotely stopped transaction like a local stop, with stoppedReason Local instead of "
          "Remote",
          ("TC_E_21_CS", "TC_E_35_CS", "TC_F_08_CS")),
    # --- estop: stop points, EV-side disconnect (reference Charging Station) ---------------------------------------
    Fault("local_stop_reported_remote", "station", ("E07.FR.04", "E07.FR.05", "E06.FR.09"),
          "a transaction the driver stopped by presenting the idToken again ends with stoppedReason Remote (the "
          "station reuses the reason of its RequestStopTransaction path)",
          ("TC_E_15_CS", "TC_E_07_CS", "TC_E_08_CS")),
    Fault("stop_point_power_path_closed_ignored", "station", ("E06.FR.06",),
          "with TxStopPoint PowerPathClosed the driver's stop only stops the energy transfer: the transaction goes on "
          "until the cable is unplugged",
          ("TC_E_07_CS",)),
    Fault("stop_point_energy_transfer_ignored", "station", ("E06.FR.07",),
          "with TxStopPoint EnergyTransfer the end of the energy transfer after the driver's stop is reported as "
          "Updated ChargingStateChanged EVConnected: the transaction goes on until the cable is unplugged",
          ("TC_E_08_CS",)),
    Fault("unplug_reported_stopped_by_ev", "station", ("E07.FR.04", "E07.FR.05", "E06.FR.08"),
          "a transaction ended by unplugging the cable at the station reports stoppedReason StoppedByEV (the EV "
          "did not stop it: EVDisconnected, or Local after the driver's stop)",
          ("TC_E_14_CS",)),
    Fault("suspended_ev_ended_as_local", "station", ("E06.FR.07", "E06.FR.08"),
          "with TxStopPoint EnergyTransfer, a transaction ended because the EV suspended the energy transfer "
          "reports stoppedReason Local instead of StoppedByEV",
          ("TC_E_22_CS",)),
    # fixecs: errata 2025-09 §6.2.50 (TC_E_22_CS: the EV suspending ends the transaction)
    Fault("suspended_ev_kept_open", "station", ("E06.FR.07", "errata 2025-09 §6.2.50"),
          "with TxStopPoint EnergyTransfer, the EV suspending the energy transfer is reported as Updated SuspendedEV: "
          "the transaction stays open instead of ending",
          ("TC_E_22_CS",)),
    Fault("ev_side_disconnect_reported_local", "station", ("E06.FR.08", "E07.FR.06"),
          "a transaction ended because the cable was pulled at the EV reports stoppedReason Local, as if the "
          "driver had stopped it at the station",
          ("TC_E_37_CS", "TC_E_20_CS", "TC_E_54_CS", "TC_E_17_CS")),
    Fault("ev_side_disconnect_not_reported", "station", ("E06.FR.02", "E09.FR.01", "E06.FR.15"),
          "the station watches only the socket's contact: a cable pulled at the EV stops the energy transfer but "
          "is not reported (no TransactionEventRequest EVCommunicationLost) until it is taken out of the socket",
          ("TC_E_37_CS", "TC_E_20_CS", "TC_E_54_CS", "TC_E_17_CS", "TC_E_24_CS", "TC_E_25_CS", "TC_E_26_CS")),
    Fault("ev_side_reconnect_not_resumed", "station", ("Part 6 TC_E_26_CS step 7",),
          "after the cable pulled at the EV is plugged back in, the station reports CablePluggedIn but does not "
          "resume the energy transfer of the suspended transaction (E10 scenario: the transaction is resumed)",
          ("TC_E_26_CS",)),
    Fault("fixed_cable_never_times_out", "station", ("E10.FR.02",),
          "a fixed cable pulled at the EV keeps the transaction suspended for ever: it is not deauthorized when the "
          "cable is not plugged back in within the timeout",
          ("TC_E_27_CS",), settings=("pics.hardware.HFS-1=false", "pics.hardware.HFS-2=true")),
    Fault("stop_point_parking_bay_ignored", "station", ("E06.FR.01",),
          "with TxStopPoint ParkingBayOccupancy alone, unplugging the cable ends the transaction (as with "
          "EVConnected) instead of leaving it open until the EV leaves the parking bay",
          ("TC_E_19_CS",)),
    Fault("session_stop_reported_local", "station", ("E15.FR.04",),
          "a transaction the ISO 15118 EV ended with SessionStopReq(Terminate) ends with stoppedReason Local, as if "
          "the driver had stopped it at the station",
          ("TC_E_46_CS",)),
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
          ("TC_E_05_CS", "TC_E_39_CS")),  # TC_E_39_CS: estop
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
    # --- e16: TC_E_16_CS, a transaction started offline deauthorized by the CSMS (reference Charging Station) ------
    Fault("invalid_id_token_ignored", "station", ("E06.FR.04", "E05.FR.10", "C15.FR.04"),
          "the station applies the idTokenInfo of a TransactionEventResponse only to the events it sends live: the "
          "answer to a queued event (sent after the reconnection) is ignored, so a transaction started offline with "
          "an idToken the CSMS answers Invalid keeps charging",
          ("TC_E_16_CS",)),
    # --- end e16 ---------------------------------------------------------------------------------------------------
    # --- end estart ------------------------------------------------------------------------------------------------
    # ecsms: reference CSMS, transactions (reference/csms_transactions.py) -----------------------------------------
    Fault("csms_started_without_id_token_info", "csms", ("E01.FR.12", "E03.FR.02"),
          "the CSMS authorizes idTokens only on Updated events (it expects the station to have sent an Authorize "
          "first): a Started TransactionEventRequest with an idToken is answered without idTokenInfo",
          ("TC_E_01_CSMS", "TC_E_02_CSMS", "TC_E_04_CSMS", "TC_E_10_CSMS", "TC_E_11_CSMS", "TC_E_53_CSMS")),
    Fault("csms_id_token_info_only_on_authorized_trigger", "csms", ("E01.FR.12",),
          "the CSMS looks at the idToken of a TransactionEventRequest only when triggerReason is Authorized or "
          "StopAuthorized: a transaction started on ChargingStateChanged or SignedDataReceived with an idToken is "
          "answered without idTokenInfo",
          ("TC_E_01_CSMS", "TC_E_02_CSMS", "TC_E_11_CSMS")),
    Fault("csms_id_token_info_only_on_started", "csms", ("E03.FR.02", "E01.FR.12"),
          "the CSMS authorizes the idToken of a Started event only: an Updated event with an idToken (authorized "
          "after the cable was plugged in, or the stop authorization) is answered without idTokenInfo",
          ("TC_E_03_CSMS", "TC_E_08_CSMS", "TC_E_14_CSMS", "TC_E_20_CSMS")),
    Fault("csms_omits_group_id_token", "csms", ("E01.FR.12", "C09.FR.12"),
          "the CSMS keeps token groups for its own authorization only: idTokenInfo never carries the groupIdToken of "
          "a token that has one",
          ("TC_E_10_CSMS", "TC_E_04_CSMS")),
    Fault("csms_transaction_token_not_checked", "csms", ("E01.FR.11", "Part 6 TC_E_16_CSMS tool validation step 2"),
          "the CSMS trusts the station's authorization: the idToken of a TransactionEventRequest is answered "
          "Accepted without looking it up, an invalid one too",
          ("TC_E_16_CSMS",)),
    Fault("csms_requires_id_token_on_started", "csms", _MUST_ANSWER,
          "the CSMS assumes every transaction starts authorized: a Started event without idToken (start on "
          "EVConnected or ParkingBayOccupancy) is answered CALLERROR OccurrenceConstraintViolation",
          ("TC_E_03_CSMS", "TC_E_09_CSMS", "TC_E_12_CSMS")),
    Fault("csms_rejects_offline_events", "csms", _MUST_ANSWER,
          "the CSMS refuses TransactionEventRequests with offline = true (queued while the station was offline) with "
          "CALLERROR PropertyConstraintViolation instead of storing them",
          ("TC_E_29_CSMS", "TC_E_31_CSMS", "TC_E_33_CSMS")),
    Fault("csms_rejects_events_after_ended", "csms", _MUST_ANSWER,
          "the CSMS refuses every TransactionEventRequest of a transaction it has seen end (events queued offline "
          "that arrive after the Ended event) with CALLERROR PropertyConstraintViolation",
          ("TC_E_31_CSMS",)),
    Fault("csms_seq_no_restart_rejected", "csms", ("E01.FR.07", *_MUST_ANSWER),
          "the CSMS expects the seqNo to go on from the station's previous transaction and refuses a Started event "
          "whose seqNo it has seen before (a new transaction starting at 0) with CALLERROR PropertyConstraintViolation",
          ("TC_E_53_CSMS",)),
    Fault("csms_transaction_status_drops_transaction_id", "csms",
          ("Part 6 TC_E_29_CSMS tool validation", "Part 6 TC_E_30_CSMS tool validation",
           "Part 6 TC_E_31_CSMS tool validation"),
          "the CSMS's GetTransactionStatus leaves out the transactionId it was asked about (it asks about the "
          "station's queue in general)",
          ("TC_E_29_CSMS", "TC_E_30_CSMS", "TC_E_31_CSMS"),
          edits=(PayloadEdit("GetTransactionStatusRequest", Drop("transactionId")),)),
    Fault("csms_transaction_status_always_names_transaction", "csms",
          ("Part 6 TC_E_33_CSMS tool validation", "Part 6 TC_E_34_CSMS tool validation"),
          "the CSMS's GetTransactionStatus always fills in transactionId: asked about the station's queue in "
          "general, it names the station's last transaction (an empty transactionId when it knows none)",
          ("TC_E_33_CSMS", "TC_E_34_CSMS")),
    Fault("csms_request_stop_internal_transaction_id", "csms", ("Part 6 TC_E_21_CSMS tool validation step 1",),
          "the CSMS's RequestStopTransaction carries its own number of the transaction (its database key) instead "
          "of the transactionId the station gave it",
          ("TC_E_21_CSMS",)),
    Fault("csms_rejects_suspended_ev_state", "csms", _MUST_ANSWER,
          "the CSMS's chargingState mapping lacks SuspendedEV: a TransactionEventRequest with chargingState "
          "SuspendedEV is answered CALLERROR PropertyConstraintViolation",
          ("TC_E_17_CSMS", "TC_E_20_CSMS", "TC_E_22_CSMS", "TC_E_26_CSMS", "TC_E_38_CSMS")),
    Fault("csms_stopped_reason_ocpp16_only", "csms", _MUST_ANSWER,
          "the CSMS, ported from OCPP 1.6, knows only the 1.6 stop reasons: an Ended event with stoppedReason "
          "Timeout or StoppedByEV is answered CALLERROR PropertyConstraintViolation",
          ("TC_E_22_CSMS", "TC_E_39_CSMS")),
    Fault("csms_stop_authorized_requires_id_token", "csms", _MUST_ANSWER,
          "the CSMS wants the stopping idToken in an Ended event with triggerReason StopAuthorized and answers one "
          "without idToken with CALLERROR OccurrenceConstraintViolation",
          ("TC_E_07_CSMS", "TC_E_15_CSMS")),
    Fault("csms_connector_available_closes_transaction", "csms", _MUST_ANSWER,
          "the CSMS closes the transaction of a connector once the connector is reported Available and refuses its "
          "later events (EV departed, cable plugged in again, events queued offline) with CALLERROR "
          "PropertyConstraintViolation",
          ("TC_E_19_CSMS", "TC_E_26_CSMS", "TC_E_31_CSMS")),
]
