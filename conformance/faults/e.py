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
]
