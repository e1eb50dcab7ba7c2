"""The faults of the block OCPPJ: the block of the first case each must FAIL."""

from __future__ import annotations

from .spec import Fault

FAULTS: list[Fault] = [
    # --- OCPP-J Part 4 RPC reactions (our X_OCPPJ cases), both reference SUTs ----------------
    Fault("station_answers_unknown_action_with_callresult", "station", ("OCPP-J Part 4 §4.2.3", "OCPP-J Part 4 §4.3"),
          "the station's dispatcher answers a request whose action it does not know with an empty CALLRESULT "
          "instead of CALLERROR NotImplemented",
          ("X_OCPPJ_01_CS",)),
    Fault("station_rejects_with_generic_error", "station", ("OCPP-J Part 4 §4.2.3", "OCPP-J Part 4 §4.3"),
          "the station answers every message it cannot process (unknown action, invalid payload, invalid JSON, "
          "unknown message type) with CALLERROR GenericError instead of the specific code",
          ("X_OCPPJ_01_CS", "X_OCPPJ_02_CS", "X_OCPPJ_03_CS", "X_OCPPJ_04_CS")),
    Fault("station_does_not_wait_for_response", "station", ("OCPP-J Part 4 §4.1.1",),
          "the station sends a triggered StatusNotification at once, while its previous CALL is still unanswered",
          ("X_OCPPJ_05_CS",)),
    Fault("csms_answers_unknown_action_with_callresult", "csms", ("OCPP-J Part 4 §4.2.3", "OCPP-J Part 4 §4.3"),
          "the CSMS's dispatcher answers a request whose action it does not know with an empty CALLRESULT "
          "instead of CALLERROR NotImplemented",
          ("X_OCPPJ_01_CSMS",)),
    Fault("csms_rejects_with_generic_error", "csms", ("OCPP-J Part 4 §4.2.3", "OCPP-J Part 4 §4.3"),
          "the CSMS answers every message it cannot process (unknown action, invalid payload, invalid JSON, "
          "unknown message type) with CALLERROR GenericError instead of the specific code",
          ("X_OCPPJ_01_CSMS", "X_OCPPJ_02_CSMS", "X_OCPPJ_03_CSMS", "X_OCPPJ_04_CSMS")),
    Fault("csms_does_not_wait_for_response", "csms", ("OCPP-J Part 4 §4.1.1",),
          "the CSMS sends an operator's request to a station at once, while its previous request to that station "
          "is still unanswered",
          ("X_OCPPJ_05_CSMS",)),
]
