"""The faults of the block C Authorization: the block of the first case each must FAIL."""

from __future__ import annotations

from .spec import Fault

FAULTS: list[Fault] = [
    # --- cauth: C01 statuses, C09 GroupId, C16 Master Pass (reference Charging Station, authorization.py) --------
    Fault("transaction_started_before_authorization", "station", ("C01.FR.01", "E01.FR.03"),
          "the station does not wait for the CSMS's answer: it starts (or authorizes) the transaction as soon as the "
          "idToken is presented and only deauthorizes it when the AuthorizeResponse / TransactionEventResponse "
          "refuses the token",
          ("TC_C_02_CS", "TC_C_06_CS", "TC_C_07_CS", "TC_C_56_CS")),
    Fault("start_point_authorized_on_any_answer", "station", ("E01.FR.03", "C01.FR.01"),
          "with TxStartPoint Authorized the station takes any AuthorizeResponse for the authorization: it sends "
          "TransactionEventRequest Started (triggerReason Authorized) whatever idTokenInfo.status says, and ends it "
          "when the CSMS answers that event with the same refusal",
          ("TC_C_05_CS",), settings=("pics.answers.AQ-2=true",)),
    Fault("unknown_status_accepted", "station", ("C01.FR.01", "C01.FR.07"),
          "a port from OCPP 1.6: the station refuses only the rejection statuses 1.6 had (Blocked, Expired, Invalid, "
          "ConcurrentTx) and lets a driver charge with a status new in 2.0.1 (Unknown, NoCredit, NotAllowedTypeEVSE, "
          "NotAtThisLocation, NotAtThisTime)",
          ("TC_C_56_CS",)),
    Fault("different_token_stops_transaction", "station", ("C01.FR.03", "C09.FR.03"),
          "any idToken the CSMS accepts ends the authorization of the EVSE's running transaction, not only the one "
          "that started it or one with the same groupIdToken",
          ("TC_C_04_CS",)),
]
