"""The faults of the block E Transactions: the block of the first case each must FAIL."""

from __future__ import annotations

from .spec import Fault

FAULTS: list[Fault] = [
    # --- reference Charging Station: E remote start / stop (helper fcs) ----------------------
    Fault("remote_start_trigger_authorized", "station", ("F01.FR.19", "F02.FR.21"),  # fcs
          "the station reports the authorization of a remote start like a local one, with triggerReason "
          "Authorized instead of RemoteStart",
          ("TC_E_13_CS", "TC_F_02_CS", "TC_F_03_CS")),
    Fault("remote_stop_reason_local", "station", ("F03.FR.03", "E06.FR.15"),  # fcs
          "the station ends a remotely stopped transaction like a local stop, with stoppedReason Local instead of "
          "Remote",
          ("TC_E_21_CS", "TC_E_35_CS", "TC_F_08_CS")),
]
