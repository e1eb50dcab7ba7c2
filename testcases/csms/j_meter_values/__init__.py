"""Block J Meter values, the SUT is a CSMS (the harness plays the Charging Station)."""
