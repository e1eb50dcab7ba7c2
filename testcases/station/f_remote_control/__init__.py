"""Block F Remote control, the SUT is a Charging Station (the harness is its CSMS)."""
