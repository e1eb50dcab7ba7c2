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
    Fault("master_pass_starts_transaction", "station", ("C16.FR.03", "C12.FR.09"),
          "the station does not compare the groupIdToken with AuthCtrlr.MasterPassGroupId: an Accepted Master Pass "
          "idToken authorizes charging like any other",
          ("TC_C_45_CS",)),
    Fault("master_pass_stops_own_evse", "station", ("C16.FR.01", "C16.FR.02"),
          "the Master Pass screen's \"all transactions\" ends only the transaction of the EVSE whose reader the "
          "Master Pass was presented at: the other transactions go on",
          ("TC_C_47_CS",)),
    Fault("master_pass_selection_ignored", "station", ("C16.FR.01",),
          "the Master Pass screen stops every transaction, whatever transaction the user selected",
          ("TC_C_48_CS",)),
    Fault("master_pass_stopped_reason_local", "station", ("C16.FR.02", "E06.FR.15"),
          "transactions stopped by the Master Pass end with stoppedReason Local (as if the driver had stopped them) "
          "instead of MasterPass",
          ("TC_C_49_CS",), without=("C-07",)),
    Fault("group_stop_refused", "station", ("C09.FR.03", "C01.FR.03"),
          "only the idToken that started a transaction can stop it: another valid idToken with the same "
          "groupIdToken is taken for a second driver and the transaction goes on",
          ("TC_C_39_CS",)),
    Fault("group_stop_ignores_status", "station", ("C09.FR.11",),
          "the station compares only the groupIdToken when another idToken is presented during a transaction: an "
          "idToken of the same group whose status is not Accepted stops the transaction too",
          ("TC_C_42_CS",)),
]
