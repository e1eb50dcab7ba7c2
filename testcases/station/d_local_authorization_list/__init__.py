"""Block D Local Authorization List Management, the SUT is a Charging Station (the harness is its CSMS).

How the block reads Part 6 (helper dlist):
- Configuration state "LocalAuthListEnabled is true (If implemented)": LocalAuthListCtrlr.Enabled is set for the case
  when the station has it and restored afterwards (``states.local_list_enabled``).
- `<Configured versionNumber>` is ``configured.local_list_version`` (greater than 1); Differential updates use the
  next one, TC_D_06_CS the one before.
- Memory state IdTokenLocalAuthList (Part 6 §3, errata 2025-09 §6.2.121): a Full update with one idToken. Where no
  idToken is presented (every D case) the list holds idTokens the harness invents (unique per run, the type of the
  configured valid idToken, a hexadecimal value like a card UID), never the configured ones.
- The harness splits a list into parts that respect the ItemsPerMessage / BytesPerMessage the station declares
  (D01.FR.11: a Full part, then Differential parts with the next versions); the versions checked are those of the
  last part.
- Where Part 6 checks only the version, the effect on the list is checked too through LocalAuthListCtrlr.Entries
  (D01.FR.12, required with the list; the requirement the case cites, D01.FR.04 / 15 / 16 / 17 / 05 / 19 / 10): a
  station whose Entries cannot be read is noted, not failed.
- TC_D_07_CS reaches "Charging State: Booted" after the memory state with the reusable state Booted (a power cycle).
- TC_D_10_CS installs a list before it sets Enabled false (Part 6: memory state N/a), so that versionNumber 0
  proves D02.FR.03 rather than an empty list; a station whose Enabled cannot be set false is INCONCLUSIVE.
- Every case leaves the list empty: a Full update without entries with version ``configured.local_list_version - 1``
  (a later Full update with the configured version is a change, a Differential one with it is accepted), and
  Enabled as it was.
"""
