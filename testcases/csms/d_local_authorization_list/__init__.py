"""Block D Local Authorization List Management, the SUT is a CSMS (the harness plays the Charging Station).

The operator instructs the CSMS (``csms_send``) to send a Full or Differential list, to remove entries, to empty the
list or to ask for the list's version; the CSMS chooses the versionNumber. The harness station keeps a real Local
Authorization List (conformance/harness/sides.py: Full replaces, Differential adds / updates / removes, a Differential
not above its version is VersionMismatch) and answers GetLocalListVersion from it, so each SendLocalListRequest is
judged against the Part 6 tool validations and against what the CSMS sent before: versionNumber above 0 (D01.FR.18),
a Differential above the station's current version (D01.FR.19), unique idTokens (D01.FR.06). A list too big for one
message may come in parts (Part 6 "step 1 and 2 will be repeated"): further SendLocalListRequests are awaited while the
tokens asked for have not all arrived, each judged the same way.
"""
