"""Block B Provisioning, the SUT is a Charging Station (the harness is its CSMS).

One file per use-case group: cold boot accepted (B01), Get/SetVariables (B05/B06), boot Pending /
Rejected (B02/B03), offline behaviour (B04) and reconnection (Part 4 §5.3), device-model reports (B07 Get Base
Report, B08 Get Custom Report), Reset (B11/B12), network connection profiles and migration (B09/B10).

Steps the files share are in ``_steps.py``.
"""
