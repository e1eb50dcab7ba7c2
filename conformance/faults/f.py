"""The faults of the block F RemoteControl: the block of the first case each must FAIL."""

from __future__ import annotations

from .edits import Apply, Drop, PayloadEdit, Set
from .spec import Fault

FAULTS: list[Fault] = [
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
