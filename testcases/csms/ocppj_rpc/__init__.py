"""Block OCPPJ: Part 4 (OCPP-J) RPC reactions, the SUT is a CSMS (the harness plays the Charging Station). Our own cases X_OCPPJ_nn;
Part 6 has none for them.
"""
