"""Block C Authorization, the SUT is a Charging Station (the harness is its CSMS)."""
