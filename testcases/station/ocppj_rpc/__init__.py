"""Block OCPPJ: Part 4 (OCPP-J) RPC reactions, the SUT is a Charging Station (the harness is its CSMS). Our own cases X_OCPPJ_nn;
Part 6 has none for them.
"""
