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
    Fault("unplug_reported_stopped_by_ev", "station", ("E07.FR.04", "E07.FR.05", "E06.FR.08"),
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
    Fault("ev_side_disconnect_reported_local", "station", ("E06.FR.08", "E07.FR.06"),
          "a transaction ended because the cable was pulled at the EV reports stoppedReason Local, as if the "
          "driver had stopped it at the station",
          ("TC_E_37_CS", "TC_E_20_CS", "TC_E_54_CS", "TC_E_17_CS")),
    Fault("ev_side_disconnect_not_reported", "station", ("E06.FR.02", "E09.FR.01", "E06.FR.15"),
          "the station watches only the socket's contact: a cable pulled at the EV stops the energy transfer but "
          "is not reported (no TransactionEventRequest EVCommunicationLost) until it is taken out of the socket",
          ("TC_E_37_CS", "TC_E_20_CS", "TC_E_54_CS", "TC_E_17_CS", "TC_E_24_CS", "TC_E_25_CS", "TC_E_26_CS")),
    Fault("ev_side_reconnect_not_resumed", "station", ("Part 6 TC_E_26_CS step 7",),
          "after the cable pulled at the EV is plugged back in, the station reports CablePluggedIn but does not "
          "resume the energy transfer of the suspended transaction (E10 scenario: the transaction is resumed)",
          ("TC_E_26_CS",)),
    Fault("fixed_cable_never_times_out", "station", ("E10.FR.02",),
          "a fixed cable pulled at the EV keeps the transaction suspended for ever: it is not deauthorized when the "
          "cable is not plugged back in within the timeout",
          ("TC_E_27_CS",), settings=("pics.hardware.HFS-1=false", "pics.hardware.HFS-2=true")),
    Fault("session_stop_reported_local", "station", ("E15.FR.04",),
          "a transaction the ISO 15118 EV ended with SessionStopReq(Terminate) ends with stoppedReason Local, as if "
          "the driver had stopped it at the station",
          ("TC_E_46_CS",)),
]
