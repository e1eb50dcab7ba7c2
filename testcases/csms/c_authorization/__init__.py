"""Block C Authorization, the SUT is a CSMS (the harness plays the Charging Station)."""
