"""The faults of the block J MeterValues: the block of the first case each must FAIL."""

from __future__ import annotations

from .spec import Fault

FAULTS: list[Fault] = [
    # --- helper j: reference Charging Station (meter values) -----------------------------------
    Fault("aligned_values_mid_interval", "station", ("J01.FR.14", "J01.FR.22", "Part 2 §2.7.16"),
          "the station stamps (and sends) each clock-aligned reading in the middle of its aggregation interval, as an "
          "averaging meter would, instead of at the interval's start on the clock (multiples of AlignedDataInterval "
          "from midnight)",
          ("TC_J_01_CS", "TC_J_02_CS", "TC_J_03_CS", "TC_J_04_CS", "TC_J_06_CS")),
    Fault("clock_aligned_context_omitted", "station", ("J01.FR.08",),
          "the station leaves the context out of its clock-aligned sampled values, which then default to "
          "Sample.Periodic instead of Sample.Clock",
          ("TC_J_01_CS", "TC_J_02_CS", "TC_J_03_CS", "TC_J_04_CS", "TC_J_06_CS")),
    Fault("meter_reports_energy_only", "station", ("J01.FR.14", "J02.FR.11"),
          "the station's meter values carry only the first configured measurand (the energy register), whatever "
          "else the measurand variables list",
          ("TC_J_01_CS", "TC_J_02_CS", "TC_J_06_CS", "TC_J_09_CS")),
    Fault("send_during_idle_ignored", "station", ("J01.FR.20",),
          "with AlignedDataSendDuringIdle true the station keeps sending clock-aligned meter values while a "
          "transaction is ongoing",
          ("TC_J_06_CS",)),
    Fault("started_meter_values_missing", "station", ("E01.FR.09", "E01.FR.17"),
          "the station keeps the Transaction.Begin reading for the Ended event only: its Started event carries no "
          "meterValue although SampledDataTxStartedMeasurands is set",
          ("TC_J_07_CS", "TC_J_08_CS")),
    Fault("sampled_interval_ignored", "station", ("J02.FR.11",),
          "the station reads SampledDataCtrlr.TxUpdatedInterval once at start-up: a changed interval only takes "
          "effect after a reboot, so no periodic meter values come at the configured interval",
          ("TC_J_09_CS",)),
    Fault("ended_meter_values_missing", "station", ("E06.FR.11", "J02.FR.11"),
          "the station drops the meter values it collected for the transaction: its Ended event carries no "
          "meterValue although TxEndedMeasurands are configured",
          ("TC_J_03_CS", "TC_J_04_CS", "TC_J_10_CS", "TC_J_11_CS")),
    Fault("meter_values_unsigned", "station", ("J01.FR.21", "J02.FR.21"),
          "the station accepts SignReadings true but its meter never signs: no sampledValue carries a "
          "signedMeterValue",
          ("TC_J_04_CS", "TC_J_11_CS")),
    Fault("sampled_tx_ended_interval_ignored", "station", ("Part 2 §2.7.5", "E06.FR.11"),
          "the station puts only the start and end readings into the Ended event, ignoring "
          "SampledDataCtrlr.TxEndedInterval (as if it were 0)",
          ("TC_J_10_CS", "TC_J_11_CS")),
    # --- helper j: reference CSMS (answers to meter values) --------------------------------------
    Fault("csms_meter_values_not_implemented", "csms", ("J01.FR.18",),
          "the CSMS has no handler for MeterValuesRequest (it only reads meter values from TransactionEvents) and "
          "answers CALLERROR NotImplemented",
          ("TC_J_01_CSMS", "TC_J_02_CSMS")),
    Fault("csms_rejects_meter_values_of_evse_0", "csms", ("J01.FR.18", "J01.FR.03"),
          "the CSMS looks the evseId of a MeterValuesRequest up among the station's EVSEs and refuses evseId 0, the "
          "main power meter, with CALLERROR PropertyConstraintViolation",
          ("TC_J_01_CSMS", "TC_J_02_CSMS")),
    Fault("csms_rejects_meter_value_trigger_reasons", "csms", ("J02.FR.19",),
          "the CSMS does not handle TransactionEvents with triggerReason MeterValueClock or MeterValuePeriodic and "
          "answers CALLERROR NotImplemented",
          ("TC_J_02_CSMS", "TC_J_09_CSMS")),
    Fault("csms_rejects_several_meter_values", "csms", ("J02.FR.19",),
          "the CSMS expects one meterValue per TransactionEvent and refuses the Ended event's readings of several "
          "intervals with CALLERROR OccurrenceConstraintViolation",
          ("TC_J_03_CSMS", "TC_J_04_CSMS", "TC_J_10_CSMS", "TC_J_11_CSMS")),
    Fault("csms_rejects_signed_meter_values", "csms", ("J02.FR.19", "J01.FR.18"),
          "the CSMS's parser does not know sampledValue.signedMeterValue and answers CALLERROR FormatViolation",
          ("TC_J_04_CSMS", "TC_J_11_CSMS")),
    Fault("csms_rejects_meter_values_in_started", "csms", ("J02.FR.19",),
          "the CSMS reads meter values only from Updated and Ended events and refuses a Started event that carries "
          "them with CALLERROR FormatViolation",
          ("TC_J_07_CSMS",)),
    Fault("csms_rejects_transaction_begin_in_updated", "csms", ("J02.FR.19",),
          "the CSMS accepts context Transaction.Begin only in a Started event and refuses the Updated event that "
          "carries the start values when the EVSE was not known at the start (E01.FR.17)",
          ("TC_J_08_CSMS",)),
]
