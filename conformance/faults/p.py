"""The faults of the block P DataTransfer: the block of the first case each must FAIL."""

from __future__ import annotations

from .spec import Fault

FAULTS: list[Fault] = [
    # --- reference Charging Station -------------------------------------------------------
    Fault("data_transfer_accepts_unknown_vendor", "station", ("P01.FR.05",),
          "the station answers every DataTransfer with Accepted, whatever the vendorId",
          ("TC_P_01_CS",)),
    Fault("data_transfer_not_supported", "station", ("P01.FR.05", "FR.02"),
          "the station does not implement DataTransfer and answers it with CALLERROR NotSupported",
          ("TC_P_01_CS",)),
    Fault("custom_data_rejected", "station", ("FR.02",),
          "the station validates requests with a schema without customData and answers any request that "
          "carries customData (at any depth) with CALLERROR FormatViolation",
          ("TC_P_03_CS", "TC_P_04_CS")),
    # --- reference CSMS -------------------------------------------------------------------
    Fault("csms_data_transfer_accepts_unknown_vendor", "csms", ("P02.FR.06",),
          "the CSMS answers every DataTransfer with Accepted, whatever the vendorId",
          ("TC_P_02_CSMS",)),
    Fault("csms_data_transfer_not_implemented", "csms", ("P02.FR.06",),
          "the CSMS has no DataTransfer handler and answers it with CALLERROR NotImplemented",
          ("TC_P_02_CSMS",)),
    Fault("csms_rejects_custom_data", "csms", ("OCPP-J Part 4 §9", "Part 6 TC_P_03_CSMS"),
          "the CSMS answers any request that carries customData with CALLERROR FormatViolation",
          ("TC_P_03_CSMS",)),
    Fault("csms_rejects_nested_custom_data", "csms", ("OCPP-J Part 4 §9", "Part 6 TC_P_03_CSMS"),
          "the CSMS accepts customData at the top of a request but its parser for nested objects (e.g. "
          "transactionInfo) does not know the field and answers CALLERROR FormatViolation",
          ("TC_P_03_CSMS",)),
]
