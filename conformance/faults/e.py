"""The faults of the block E Transactions: the block of the first case each must FAIL."""

from __future__ import annotations

from .spec import Fault

FAULTS: list[Fault] = [
    # --- estop: stop points, EV-side disconnect (reference Charging Station) ---------------------------------------
    Fault("local_stop_reported_remote", "station", ("E07.FR.04", "E07.FR.05", "E06.FR.09"),
          "a transaction the driver stopped by presenting the idToken again ends with stoppedReason Remote (the "
          "station reuses the reason of its RequestStopTransaction path)",
          ("TC_E_15_CS", "TC_E_07_CS", "TC_E_08_CS")),
    Fault("stop_point_power_path_closed_ignored", "station", ("E06.FR.06",),
          "with TxStopPoint PowerPathClosed the driver's stop only stops the energy transfer: the transaction goes on "
          "until the cable is unplugged",
          ("TC_E_07_CS",)),
    Fault("stop_point_energy_transfer_ignored", "station", ("E06.FR.07",),
          "with TxStopPoint EnergyTransfer the end of the energy transfer after the driver's stop is reported as "
          "Updated ChargingStateChanged EVConnected: the transaction goes on until the cable is unplugged",
          ("TC_E_08_CS",)),
    Fault("unplug_reported_stopped_by_ev", "station", ("E06.FR.02", "E06.FR.08"),
          "a transaction ended by unplugging the cable at the station reports stoppedReason StoppedByEV (the EV "
          "did not stop it: EVDisconnected, or Local after the driver's stop)",
          ("TC_E_14_CS",)),
    Fault("suspended_ev_ended_as_local", "station", ("E06.FR.07", "E06.FR.08"),
          "with TxStopPoint EnergyTransfer, a transaction ended because the EV suspended the energy transfer "
          "reports stoppedReason Local instead of StoppedByEV",
          ("TC_E_22_CS",)),
    Fault("authorization_outlives_ev_connection_timeout", "station", ("E03.FR.05",),
          "an authorization given before the cable was plugged in never expires: the EV plugged in after "
          "EVConnectionTimeOut charges",
          ("TC_E_39_CS",)),
]
