"""The faults of the block G Availability: the block of the first case each must FAIL."""

from __future__ import annotations

from .edits import Drop, PayloadEdit, Set
from .spec import Fault

FAULTS: list[Fault] = [
    # --- reference Charging Station -------------------------------------------------------
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
          ("TC_G_09_CS", "TC_G_10_CS", "TC_G_12_CS", "TC_G_13_CS", "TC_G_15_CS", "TC_G_16_CS")),
    Fault("availability_forgotten_after_reboot", "station", ("G03.FR.08", "G04.FR.09"),
          "the station keeps availability set by ChangeAvailability in RAM only: after a reboot every "
          "connector is Available again",
          ("TC_G_18_CS", "TC_G_19_CS", "TC_G_21_CS")),
    Fault("heartbeat_ignores_boot_interval", "station", ("G02.FR.01", "B01.FR.04"),
          "the station ignores the interval of the BootNotificationResponse and keeps sending heartbeats at "
          "its configured OCPPCommCtrlr.HeartbeatInterval (factory 300 s)",
          ("X_G_02_CS",)),
    # --- reference Charging Station: G (transactions, lock failure, same-state reports) ---
    Fault("scheduled_availability_never_applied", "station", ("G03.FR.05", "G04.FR.06", "G03.FR.04", "G04.FR.05"),
          "a change to Inoperative answered Scheduled during a transaction is never carried out for the EVSE of "
          "that transaction: its connectors stay available (and unreported) after the transaction has ended",
          ("TC_G_11_CS", "TC_G_14_CS", "TC_G_17_CS")),
    Fault("scheduled_availability_waits_for_all_evses", "station", ("G04.FR.05", "G04.FR.07"),
          "the station set Inoperative while one EVSE charges postpones the whole change until that transaction "
          "ends, leaving the idle EVSEs available meanwhile",
          ("TC_G_14_CS",)),
    Fault("stop_token_authorized_again", "station", ("C01.FR.03", "E07.FR.01"),
          "the station sends an AuthorizeRequest for the idToken presented to stop the transaction it started, "
          "instead of ending the authorization locally",
          ("TC_G_11_CS", "TC_G_14_CS", "TC_G_17_CS")),
    Fault("lock_failure_not_reported", "station", ("G05.FR.02",),
          "when the connector's retention lock fails, the station silently refuses to charge: no NotifyEvent "
          "ConnectorPlugRetentionLock.Problem is sent",
          ("TC_G_20_CS",)),
    Fault("lock_failure_charges_anyway", "station", ("G05.FR.01",),
          "the station reports the failed retention lock but closes the power path and charges all the same",
          ("TC_G_20_CS",)),
    Fault("same_state_change_not_reported", "station", ("G03.FR.04", "G04.FR.05"),
          "a ChangeAvailability request for the availability the station already has is answered Accepted but no "
          "connector status is reported afterwards (Part 6 expects a report of every connector in scope)",
          ("TC_G_10_CS", "TC_G_12_CS", "TC_G_13_CS", "TC_G_15_CS", "TC_G_16_CS", "TC_G_18_CS")),
    # --- reference Charging Station: G (fixrest, issue 9) ------------------------------------
    Fault("same_state_reports_whole_station", "station", ("G03.FR.04",),
          "asked for the availability an EVSE already has, the station re-reports every connector of the "
          "station with the requested status, the other EVSEs' connectors included",
          ("TC_G_18_CS",)),
    Fault("reset_rejected_while_inoperative", "station", ("B11.FR.01", "B11.FR.03"),
          "the station's reset guard counts an Inoperative connector as busy and answers ResetRequest Rejected "
          "while any scope is Inoperative",
          ("TC_G_19_CS", "TC_G_21_CS")),
    # --- reference CSMS -------------------------------------------------------------------
    Fault("csms_change_availability_inverted", "csms", ("Part 6 tool validation step 1 (ChangeAvailabilityRequest",),
          "the CSMS's availability toggle is inverted for Operative: asked to make a station, EVSE or connector "
          "Operative it sends ChangeAvailability with operationalStatus Inoperative",
          ("TC_G_04_CSMS", "TC_G_06_CSMS", "TC_G_08_CSMS"),
          edits=(PayloadEdit("ChangeAvailabilityRequest", Set("operationalStatus", "Inoperative")),)),
    Fault("csms_change_availability_drops_connector", "csms",
          ("Part 6 tool validation step 1 (ChangeAvailabilityRequest, G03",),
          "the CSMS sends ChangeAvailability for a connector without evse.connectorId (so the whole EVSE changes)",
          ("TC_G_07_CSMS", "TC_G_08_CSMS", "TC_G_17_CSMS"),
          edits=(PayloadEdit("ChangeAvailabilityRequest", Drop("evse.connectorId")),)),
    Fault("csms_change_availability_default_evse", "csms",
          ("Part 6 tool validation step 1 (ChangeAvailabilityRequest, G04",),
          "the CSMS fills in EVSE 1 when asked to change the availability of the whole station",
          ("TC_G_05_CSMS", "TC_G_06_CSMS", "TC_G_14_CSMS"),
          edits=(PayloadEdit("ChangeAvailabilityRequest", Set(
              "evse", {"id": 1}, when=lambda request: "evse" not in request)),)),
    Fault("csms_rejects_unavailable_status", "csms",
          ("Part 6 §3.18: the CSMS responds to the status report", "OCPP-J Part 4 §4.2.2"),
          "the CSMS's StatusNotification handler does not know connectorStatus Unavailable and answers it with "
          "CALLERROR PropertyConstraintViolation",
          ("TC_G_03_CSMS", "TC_G_05_CSMS", "TC_G_07_CSMS", "TC_G_11_CSMS", "TC_G_14_CSMS", "TC_G_17_CSMS")),
    Fault("csms_notify_event_not_implemented", "csms", ("G05.FR.03",),
          "the CSMS has no handler for NotifyEvent and answers it with CALLERROR NotImplemented",
          ("TC_G_20_CSMS",)),
]
