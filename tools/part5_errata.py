"""The Part 5 errata (errata sheet of 2025-09, section 5) as structured data for build_catalog.py.

Each entry names the erratum by its id ("5.8") and lists what it changes, in a machine form:
ids, levels and feature expressions only (no prose from the errata sheet). The changes are
applied after Part 5 and Part 6 are parsed; every "old" value is checked against what was
parsed, so an entry that no longer fits its source is a build error instead of a silent no-op.

Change kinds (tuples, first item the kind):

* ("none", reason)                          no catalog data changes (editorial, prose only)
* ("feature_added", id, roles, name)
* ("feature_removed", id, replaced_by)      replaced_by: the id a PICS should use instead, or None
* ("feature_roles", id, roles)              the roles whose Part 5 feature list has the id
* ("feature_renamed", id, name)             our own short name, corrected to the erratum's meaning
* ("feature_condition", id, expr)           when a PICS may declare the feature (structured form)
* ("question_added", role, id, name)
* ("question_renamed", role, old, new)      Appendix A id change; expressions of that role follow
* ("case_condition", case, profile, (old level, old expr), (new level, new expr))
* ("case_added_to_profile", case, profile, level, expr)
* ("case_added", case, fields)              a case Part 6 (as parsed) does not have
* ("case_removed", case)                    taken out of the certification program; kept listed
* ("not_applied", reason)                   what of the entry is not in the catalog, and why
"""

from __future__ import annotations

from typing import Any

ERRATA_SOURCE = "ocpp-2.0.1/OCPP-2.0.1_edition3_errata_2025-09.md"
ERRATA_EDITION = "2025-09"

_LOCAL_AUTH = "(C-30 or C-31 or C-32 or C-34)"  # local start authorization options incl. MacAddress
_OLD_LOCAL_AUTH = "(C-30 or C-31 or C-32)"
_CACHE_ONLY = [f"TC_C_{n}_CS" for n in ("32", "33", "34", "36", "37", "38", "08", "09", "12", "10", "11", "13")]

PART5_ERRATA: list[dict[str, Any]] = [
    {"id": "5.1", "date": "2025-02", "summary": "tool renamed in the document text",
     "changes": [("none", "wording only")]},
    {"id": "5.2", "date": "2025-09", "summary": "more station types (wireless, connectors without locking, "
                                                "separate stop authorization)",
     "changes": [
         ("question_added", "CS", "AQ-18", "Has a connector with a mechanised lock on the station side"),
         ("not_applied", "the erratum adds feature ids C-70, C-71, C-72, C-75 and a wireless product subtype "
                         "without defining each id, and does not list which case conditions change"),
     ]},
    {"id": "5.3", "date": "2025-02", "summary": "C-01 made conditional on the local authorization options",
     "changes": [("feature_condition", "C-01",
                  f'("Local Authorization List Management" and {_LOCAL_AUTH}) or '
                  "(C-02 and (C-30 or C-31 or C-32 or C-33 or C-34)) or "
                  f"(C-49 and {_LOCAL_AUTH}) or C-35")]},
    {"id": "5.4", "date": "2024-11", "summary": "R-3 is about disabling reservations",
     "changes": [("feature_renamed", "R-3", "Reservations can be disabled (ReservationEnabled)")]},
    {"id": "5.5", "date": "2025-02", "summary": "station question AQ-10 added",
     "changes": [("question_added", "CS", "AQ-10",
                  "Supports a Delta monitor on the write-only SecurityCtrl.BasicAuthPassword")]},
    {"id": "5.6", "date": "2025-02", "summary": "feature ISO-3 replaced by station question AQ-11",
     "changes": [
         ("feature_removed", "ISO-3", "AQ-11"),
         ("question_added", "CS", "AQ-11", "Supports one station certificate for both OCPP and ISO 15118"),
         ("case_condition", "TC_F_27_CS", "Core", ("C", "not ISO-3"), ("C", "not AQ-11")),
     ]},
    {"id": "5.7", "date": "2025-06", "summary": "feature C-61 (Security Profile 1) added",
     "changes": [
         ("feature_added", "C-61", ["CS", "CSMS"], "Security Profile 1 (unsecured transport, Basic auth)"),
         ("case_condition", "TC_A_20_CS", "Core", ("C", "AQ-1"), ("C", "AQ-1 and C-61")),
     ]},
    {"id": "5.8", "date": "2025-09", "summary": "TC_B_14_CS optional in Core",
     "changes": [("case_added_to_profile", "TC_B_14_CS", "Core", "C", "C-56")]},
    {"id": "5.9", "date": "2025-02", "summary": "TC_B_30/31_CSMS use the renumbered CSMS question",
     "changes": [
         ("case_condition", "TC_B_30_CSMS", "Core", ("C", "C-44 or not AQ-6"), ("C", "C-44 or not AQ-16")),
         ("case_condition", "TC_B_31_CSMS", "Core", ("C", "C-44 or not AQ-6"), ("C", "C-44 or not AQ-16")),
     ]},
    {"id": "5.10", "date": "2025-04", "summary": "new CSMS case TC_B_58_CSMS (Core, mandatory)",
     "changes": [("case_added", "TC_B_58_CSMS", {
         # Part 6 errata 6.2.21 defines the case; its use case and requirement are Part 4 references.
         "role": "CSMS", "title": "WebSocket Subprotocol negotiation",
         "use_cases": ["Part 4 - JSON over WebSockets implementation guide"],
         "requirements": ["Part 4 section 3.1.2. OCPP version"],
         "profiles": {"Core": {"level": "M", "features_expr": None}}})]},
    {"id": "5.11", "date": "2025-02", "summary": "authorization cache and local list conditions updated",
     "changes": [
         *[("case_condition", c, "Core", ("C", f"C-49 and {_OLD_LOCAL_AUTH}"), ("C", "C-49")) for c in _CACHE_ONLY],
         ("case_condition", "TC_C_46_CS", "Core", ("C", f"C-53 and {_OLD_LOCAL_AUTH}"), ("C", "C-49 and C-53")),
         *[("case_condition", c, "Core", ("C", f"C-49 and {_OLD_LOCAL_AUTH}"), ("C", f"C-49 and {_LOCAL_AUTH}"))
           for c in ("TC_C_41_CS", "TC_C_44_CS", "TC_C_16_CS", "TC_C_17_CS")],
         *[("case_condition", c, "Core", ("C", f"C-49 and C-03 and {_OLD_LOCAL_AUTH}"),
            ("C", f"C-49 and C-03 and {_LOCAL_AUTH}")) for c in ("TC_C_15_CS", "TC_C_18_CS")],
         ("case_condition", "TC_C_57_CS", "Core", ("C", f"C-59 and C-49 and {_OLD_LOCAL_AUTH}"),
          ("C", "C-59 and C-49")),
         ("case_condition", "TC_E_52_CS", "Core",
          ("C", f'C-58 and {_OLD_LOCAL_AUTH} and (C-49 or "Local Authorization List Management")'),
          ("C", f'C-58 and {_LOCAL_AUTH} and (C-49 or "Local Authorization List Management")')),
         ("case_condition", "TC_E_45_CS", "Core",
          ("C", f'{_OLD_LOCAL_AUTH} and ("Local Authorization List Management" or C-49)'),
          ("C", f'{_LOCAL_AUTH} and ("Local Authorization List Management" or C-49)')),
         *[("case_condition", f"TC_C_{n}_CS", "Local Authorization List Management", ("M", None),
            ("C", _LOCAL_AUTH)) for n in ("21", "22", "23", "24", "25", "40", "43")],
         ("case_condition", "TC_C_58_CS", "Local Authorization List Management",
          ("C", f"LA-3 and {_OLD_LOCAL_AUTH}"), ("C", "LA-3")),
     ]},
    {"id": "5.12", "date": "2024-09", "summary": "TC_E_04_CS not for MacAddress or ISO 15118 PnC",
     "changes": [("case_condition", "TC_E_04_CS", "Core",
                  ("C", 'C-30 or C-31 or C-32 or C-33 or C-34 or C-35 or "ISO 15118 Support"'),
                  ("C", "C-30 or C-31 or C-32 or C-33 or C-35"))]},
    {"id": "5.13", "date": "2024-09", "summary": "TC_E_17_CS TxStopPoint combinations",
     # The erratum prints "10.1" and "10.4" without the "C-" prefix; read as C-10.1 and C-10.4.
     "changes": [("case_condition", "TC_E_17_CS", "Core", ("C", "(C-10.2 or C-10.3) and C-06.2 and AQ-9"),
                  ("C", "C-10.2 and C-06.2 and AQ-9 and not (not C-52 and (C-10.1 or C-10.3 or C-10.4))"))]},
    {"id": "5.14", "date": "2025-06", "summary": "TC_A_21_CS refers to AQ-3",
     "changes": [("case_condition", "TC_A_21_CS", "Advanced Security", ("C", "AQ-1"), ("C", "AQ-3"))]},
    {"id": "5.15", "date": "2025-02", "summary": "TC_N_48_CS conditional on AQ-10",
     "changes": [("case_condition", "TC_N_48_CS", "Advanced Device Management", ("M", None), ("C", "AQ-10"))]},
    {"id": "5.16", "date": "2024-11", "summary": "TC_H_13_CS condition inverted",
     "changes": [("case_condition", "TC_H_13_CS", "Reservation", ("C", "R-2"), ("C", "not R-2"))]},
    {"id": "5.17", "date": "2025-02", "summary": "TC_O_15_CS removed from the certification program",
     "changes": [("case_removed", "TC_O_15_CS")]},
    {"id": "5.18", "date": "2025-02", "summary": "heading of the 5.17 table (no change of its own)",
     "changes": [("none", "a section heading of the errata sheet, part of 5.17")]},
    {"id": "5.19", "date": "2025-06", "summary": "R-1 also a station feature; TC_H_15/16_CS use R-1",
     "changes": [
         ("feature_roles", "R-1", ["CS", "CSMS"]),
         ("case_condition", "TC_H_15_CS", "Reservation", ("C", "R-2"), ("C", "R-1")),
         ("case_condition", "TC_H_16_CS", "Reservation", ("C", "R-2"), ("C", "R-1")),
     ]},
    {"id": "5.20", "date": "2025-02", "summary": "TC_A_13_CS and TC_A_13_CSMS removed from the certification program",
     "changes": [("case_removed", "TC_A_13_CS"), ("case_removed", "TC_A_13_CSMS")]},
    {"id": "5.21", "date": "2024-06", "summary": "CSMS questions on Absolute and Recurring profiles added",
     "changes": [
         ("question_added", "CSMS", "AQ-3", "Supports Absolute charging profiles of these purposes"),
         ("question_added", "CSMS", "AQ-3.1", "Absolute TxDefaultProfile"),
         ("question_added", "CSMS", "AQ-3.2", "Absolute ChargingStationMaxProfile"),
         ("question_added", "CSMS", "AQ-4", "Supports Recurring charging profiles of these purposes"),
         ("question_added", "CSMS", "AQ-4.1", "Recurring TxDefaultProfile"),
         ("question_added", "CSMS", "AQ-4.2", "Recurring ChargingStationMaxProfile"),
     ]},
    {"id": "5.22", "date": "2025-02", "summary": "CSMS question ids renumbered (AQ-n -> AQ-1n)",
     # The table lists AQ-3.1/AQ-3.2 -> AQ-13.1/AQ-13.2 but not their parent AQ-3; it is read as
     # AQ-3 -> AQ-13, like AQ-4 -> AQ-14.
     "changes": [("question_renamed", "CSMS", old, new) for old, new in (
         ("AQ-1", "AQ-11"), ("AQ-2", "AQ-12"), ("AQ-3", "AQ-13"), ("AQ-3.1", "AQ-13.1"), ("AQ-3.2", "AQ-13.2"),
         ("AQ-4", "AQ-14"), ("AQ-4.1", "AQ-14.1"), ("AQ-4.2", "AQ-14.2"), ("AQ-6", "AQ-16"))]},
    {"id": "5.23", "date": "2025-04", "summary": "CSMS AQ-11 renumbered AQ-17 (clash with the station AQ-11)",
     "changes": [("question_renamed", "CSMS", "AQ-11", "AQ-17")]},
]
