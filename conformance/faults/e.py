"""The faults of the block E Transactions: the block of the first case each must FAIL."""

from __future__ import annotations

from .edits import Drop, PayloadEdit
from .spec import Fault

# A CALLERROR where the CSMS must answer a TransactionEventRequest: what the CSMS-side cases then name.
_MUST_ANSWER = ("Part 6 §3.18: the CSMS responds with a TransactionEventResponse", "OCPP-J Part 4 §4.2.2")

FAULTS: list[Fault] = [
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
