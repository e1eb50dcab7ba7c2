"""Block G Availability, the SUT is a Charging Station (the harness is its CSMS).

Status reports: Part 6 accepts a StatusNotification or a NotifyEvent AvailabilityState (component
Connector) per connector; NotifyEvent AvailabilityState of the EVSE or the station itself is optional and
checked when sent. Every case leaves the station Operative (``availability_restored``).

Where Part 6 starts from "State is Unavailable" and then asks for Inoperative again (TC_G_10/16/18_CS), the
case reaches that state with the reusable state Unavailable and then sends Part 6's request again. TC_G_19/21_CS
reach Booted through the reusable state Booting (ResetRequest Immediate, answered Accepted).

TC_G_10/12/13/15/16/18_CS (a request for the availability the scope already has) all check Part 6's
post-scenario validation, a status report of every connector of the scope, although Part 2 asks for reports
of changed connectors only (G03.FR.04) or "when an availability change request has happened" (G04.FR.05): the
check says so. TC_G_11/14/17_CS (Scheduled during a transaction) run the station-side transaction reusable
states (EnergyTransferStarted, StopAuthorized, EVConnectedPostSession, EVDisconnected, ParkingBayUnoccupied)
whatever the station's TxStartPoint / TxStopPoint; Part 6's "all connectors" post-scenario validation is read
as all connectors of the request's scope (the others are not changed by it). TC_G_20_CS uses the action
``connector_lock_failure`` before plugging in.

G02 Heartbeat has no Part 6 case for the station: X_G_02_CS is ours.
"""
