"""Block G Availability, the SUT is a CSMS (the harness plays the Charging Station).

On request (action ``csms_send``) the CSMS sends ChangeAvailability for the station, an EVSE or a
connector; the harness answers Accepted and reports the connectors' new status, which the CSMS must
accept. Every case that leaves a scope Inoperative asks the CSMS to make it Operative again.

During a transaction (TC_G_11/14/17_CSMS) the harness answers Scheduled, waits <Configured Transaction
Duration> (``configured.transaction_duration``), runs StopAuthorized, EVConnectedPostSession and EVDisconnected
(the connector reported Available, the transaction Ended) and then, as Part 6's step 6 does, reports the
connector Unavailable. TC_G_04/08_CSMS reach Part 6's Memory State "Unavailable" by the harness station's own
report, not by a request of the CSMS.

The CSMS's requests are judged by the Part 6 tool validations (G03/G04 bind the station only); its answers by
the Part 6 step that says it responds and OCPP-J Part 4 §4.2.2 (G05.FR.03 for the NotifyEvent of TC_G_20_CSMS).
"""
