"""Block D Local Authorization List Management, the SUT is a CSMS (the harness plays the Charging Station)."""
