"""Block J Meter values, the SUT is a Charging Station (the harness is its CSMS)."""
