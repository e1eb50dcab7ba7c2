"""Block G Availability, the SUT is a CSMS (the harness plays the Charging Station).

On request (action ``csms_send``) the CSMS sends ChangeAvailability for the station, an EVSE or a
connector; the harness answers Accepted and reports the connectors' new status, which the CSMS must
accept. Every case that leaves a scope Inoperative asks the CSMS to make it Operative again.

During a transaction (TC_G_11/14/17_CSMS) the harness answers Scheduled and, when the EV is unplugged,
reports the connector Unavailable in EVDisconnected (as a station must, G01.FR.05) instead of Available
followed by Unavailable. Part 6's wait for <Configured Transaction Duration> is not made: nothing the CSMS
is judged on depends on it.
"""
