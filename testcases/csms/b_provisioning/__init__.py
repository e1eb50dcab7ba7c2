"""Block B Provisioning, the SUT is a CSMS (the harness plays the Charging Station).

One file per use-case group: cold boot (B01), Get/SetVariables (B05/B06, including the GetVariables item
limit), boot Pending / Rejected (B02/B03), device-model reports (B07/B08), Reset (B11/B12), network
connection profiles (B09) and the WebSocket subprotocol negotiation of Part 4 §3.1.2 (TC_B_58_CSMS, a case
the errata add: Part 5 erratum 5.10, Part 6 erratum 6.2.21).

Steps the files share are in ``_steps.py``.
"""
