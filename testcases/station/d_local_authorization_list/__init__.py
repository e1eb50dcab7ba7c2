"""Block D Local Authorization List Management, the SUT is a Charging Station (the harness is its CSMS)."""
