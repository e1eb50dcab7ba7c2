"""Block F Remote control, the SUT is a CSMS (the harness plays the Charging Station)."""
