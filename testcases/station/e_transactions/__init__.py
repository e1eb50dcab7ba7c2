"""Block E Transactions, the SUT is a Charging Station (the harness is its CSMS).

Start points (TC_E_01/02/09/10/11/12_CS, helper estart). Part 6 writes "If the mutability of TxStartPoint is ReadWrite
then TxStartPoint contains X": the case sets TxStartPoint to X alone by SetVariables (so the start option under test is
the first one the session reaches) and restores the station's value afterwards. A station that does not accept the
value runs the case with its own TxStartPoint when the prerequisite allows it (X set, none of the earlier points the
prerequisite excludes); otherwise the case is NOT APPLICABLE with the Part 6 prerequisite, never FAIL. The errata
2025-09 §6.2.44 extend TC_E_01/09/10/12_CS until the energy transfer starts: the case's own tool validations are
checked on the reusable state's step they belong to (TC_E_09_CS step 3 on EVConnectedPreSession's TransactionEvent,
TC_E_10_CS step 1/3 on Authorized, TC_E_12_CS step 1 on ParkingBayOccupied).

Reusable states: ParkingBayOccupied is optional in Part 6; it is executed when TxStartPoint contains ParkingBayOccupancy
(TC_E_12_CS always), with the action ``drive_in``, and the EV leaves the bay in the restore. EVConnectedPreSession after
Authorized / ParkingBayOccupied expects its step 3 event when TxStartPoint contains EVConnected, when the transaction
already started, or with PowerPathClosed once authorized (then Started). Authorized is way A (local presentation of
the configured valid idToken); an AuthorizeRequest is checked when sent and may be skipped (token cached or in the
local list, C01.FR.05).

Local start / stop (TC_E_03/04/05/06/38/52_CS) run with whatever TxStartPoint / TxStopPoint the station has. TC_E_05_CS
sets TxCtrlr.EVConnectionTimeOut to ``configured.ev_connection_timeout``; its step 1 event is required only when the
transaction started before the cable (TxStartPoint ParkingBayOccupancy or Authorized): Ended with stoppedReason
Timeout when TxStopPoint contains Authorized (E03.FR.05), Updated when it contains ParkingBayOccupancy (E03.FR.15),
either otherwise (Part 6 says Updated, E03.FR.05 says the station SHOULD end it). TC_E_38_CS makes the EV not ready with
the action ``ev_suspend`` before plug-in and resumes it afterwards. TC_E_52_CS presents an idToken the harness invents
for the run (so it is in neither the Authorization Cache nor the Local Authorization List, Part 6 memory state) and,
per errata 2025-09 §6.2.48, plugs the EV in and checks that no charging starts.

Stop points (TC_E_07/08/14/15/19/22/39/46_CS in test_e06_stop_options.py, helper estop). Part 6 writes "TxStopPoint
contains X" with the prerequisite "NOT (TxStopPoint ReadOnly AND <condition>)": the station's TxStopPoint is kept
when it meets the case's condition, otherwise set for the case and restored; a station that cannot take the value is
NOT APPLICABLE with the prerequisite. StopAuthorized follows errata 2025-09 §6.2.117 (the StopAuthorized event, then
ChargingStateChanged EVConnected; the last one Ended when TxStopPoint has Authorized, PowerPathClosed or
EnergyTransfer), and E07's alternative (Updated StopAuthorized, Ended ChargingStateChanged) is accepted. A local stop
ends with stoppedReason Local or without it (E06.FR.09, E07.FR.04), where Part 6 writes "Local". TC_E_22_CS uses the
action ``ev_suspend``, TC_E_19_CS ``drive_out``, TC_E_46_CS ``ev_stop_session`` (SessionStopReq Terminate), TC_E_39_CS
sets EVConnectionTimeOut to ``configured.ev_connection_timeout`` and checks that no charging starts afterwards.

EV-side disconnect (TC_E_17/20/24/25/26/27/37/54_CS in test_e09_e10_ev_side_disconnect.py, helper estop): from
EnergyTransferSuspended the cable is pulled at the EV (``unplug`` side ``ev``); a detachable cable stays in the socket
until ``unplug`` side ``station`` (after the idToken where the station keeps it locked, E09.FR.03 / E10.FR.01); a fixed
cable (PICS HFS-2 without HFS-1) leaves the connector Available. StopTxOnEVSideDisconnect / UnlockOnEVSideDisconnect
are set as Part 6 says ("(If mutability is ReadWrite)": kept otherwise; else NOT APPLICABLE) and restored.

General preconditions afterwards: transactions ended, EV unplugged and out of the bay
(``transactions_ended_afterwards``), changed variables restored.
"""
