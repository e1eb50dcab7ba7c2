"""The faults that break a transaction invariant (the generic TransactionEvent checks that run in every case of every
block, :mod:`conformance.protocol.transactions`): each fails the cases in which the broken event is sent. The cases
listed are those of blocks B and G that run a transaction today (EnergyTransferStarted, a reset or availability
change during a transaction)."""

from __future__ import annotations

from .edits import Apply, Drop, PayloadEdit, Set
from .spec import Fault

# --- helper inv: one fault per transaction invariant ------------------------------------------------------------------
#: every case of the implemented blocks that runs a transaction on the reference station (a Started, an Updated when
#: the energy transfer starts, an Ended)
WITH_TRANSACTION = ("TC_B_21_CS", "TC_B_22_CS", "TC_B_26_CS", "TC_B_27_CS", "TC_B_41_CS", "TC_G_11_CS", "TC_G_14_CS",
                    "TC_G_17_CS")
#: the cases whose transaction ends by a reset command (triggerReason ResetCommand: not ended by the EV Driver)
ENDED_BY_RESET = ("TC_B_22_CS", "TC_B_27_CS")
#: the cases whose transaction ends by the driver's stop authorization (triggerReason StopAuthorized)
ENDED_BY_STOP_AUTHORIZATION = ("TC_B_21_CS", "TC_B_26_CS", "TC_B_41_CS", "TC_G_11_CS", "TC_G_14_CS", "TC_G_17_CS")
#: for faults after which the case also waits out a timeout for the events it expects (the transactionId or the
#: Started it awaits never comes): two cases, one per block, keep the self-tests' matrix short
WITH_TRANSACTION_SLOW = ("TC_B_21_CS", "TC_G_11_CS")


def _event_type(*types: str):  # noqa: ANN202 - a predicate over the TransactionEventRequest
    return lambda payload: payload.get("eventType") in types


def _not_local(info: dict) -> bool:
    return info.get("stoppedReason") not in (None, "Local")


FAULTS: list[Fault] = [
    Fault("seqno_gap", "station", ("Part 2 E §1.3.2.1", "E01.FR.07"),
          "the station increments its seqNo counter once more when a transaction starts (for the Started it "
          "prepared and for the one it sent), so the first Updated skips a sequence number",
          WITH_TRANSACTION,
          edits=(PayloadEdit("TransactionEventRequest",
                             Apply("seqNo", lambda n: n + 1, when=lambda p: p.get("eventType") != "Started")),)),
    Fault("seqno_not_incremented", "station", ("Part 2 E §1.3.2.1", "E01.FR.07"),
          "the station builds the Ended event from its last Updated and keeps that event's seqNo",
          WITH_TRANSACTION,
          edits=(PayloadEdit("TransactionEventRequest",
                             Apply("seqNo", lambda n: n - 1, when=_event_type("Ended"))),)),
    Fault("transaction_id_changes", "station", ("Part 2 E §1.2", "Part 2 E §1.3.2", "E01.FR.08"),
          "after the Started the station reports the transaction under the id its billing module assigned, not "
          "the transactionId of the Started",
          WITH_TRANSACTION_SLOW,
          edits=(PayloadEdit("TransactionEventRequest",
                             Apply("transactionInfo",
                                   lambda info: {**info, "transactionId": info["transactionId"] + "-b"},
                                   when=lambda p: p.get("eventType") != "Started")),)),
    Fault("started_reported_as_updated", "station", ("TransactionEventRequest.eventType (Part 2 Messages §1.60.1)",
                                                    "E01.FR.02"),
          "the station reports the start of a transaction with eventType Updated",
          WITH_TRANSACTION_SLOW,
          edits=(PayloadEdit("TransactionEventRequest", Set("eventType", "Updated", when=_event_type("Started"))),)),
    Fault("second_started_event", "station", ("TransactionEventRequest.eventType (Part 2 Messages §1.60.1)",),
          "the station reports the start of the energy transfer as a second Started event of the transaction",
          WITH_TRANSACTION,
          edits=(PayloadEdit("TransactionEventRequest",
                             Set("eventType", "Started", when=lambda p: p.get("eventType") == "Updated"
                                 and p.get("triggerReason") == "ChargingStateChanged")),)),
    Fault("event_after_ended", "station", ("TransactionEventRequest.eventType (Part 2 Messages §1.60.1)",
                                           "Part 2 E §1.3.2"),
          "after the Ended the station sends one more Updated of the transaction with its final meter reading",
          ENDED_BY_STOP_AUTHORIZATION),  # after a reset's Ended the station reboots at once: the extra may be lost
    Fault("started_without_evse", "station", ("E01.FR.16",),
          "the Started event of a transaction that starts with the EV connected does not name the EVSE and connector",
          WITH_TRANSACTION_SLOW,
          edits=(PayloadEdit("TransactionEventRequest", Drop("evse", when=_event_type("Started"))),)),
    Fault("ended_without_stopped_reason", "station", ("E06.FR.08",),
          "the station omits stoppedReason from every Ended event (allowed only when the EV Driver stopped locally)",
          ENDED_BY_RESET,
          edits=(PayloadEdit("TransactionEventRequest", Drop("transactionInfo.stoppedReason", when=_not_local)),)),
    Fault("stop_reported_as_deauthorized", "station", ("TriggerReasonEnumType (Part 2 Messages §3.82)", "E07.FR.02"),
          "the station reports the end of the authorization by the driver's own idToken with triggerReason "
          "Deauthorized (meant for an idToken the CSMS did not accept)",
          ENDED_BY_STOP_AUTHORIZATION,
          edits=(PayloadEdit("TransactionEventRequest", Set("triggerReason", "Deauthorized", when=lambda p: p.get(
              "eventType") == "Ended" and p.get("triggerReason") == "StopAuthorized")),)),
]
