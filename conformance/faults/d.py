"""The faults of the block D LocalAuthorizationListManagement: the block of the first case each must FAIL."""

from __future__ import annotations

from .spec import Fault

FAULTS: list[Fault] = [
    # --- reference Charging Station: Local Authorization List (helper dlist) -------------------------------------
    Fault("local_list_version_counted_locally", "station", ("D01.FR.01", "D01.FR.15"),
          "the station numbers the versions of its list itself (one more per accepted update) instead of taking the "
          "versionNumber of the SendLocalListRequest",
          ("TC_D_01_CS", "TC_D_04_CS", "TC_D_08_CS")),
    Fault("local_list_differential_version_kept", "station", ("D01.FR.16", "D01.FR.17", "D01.FR.05"),
          "a Differential update is applied but the list keeps its old version number",
          ("TC_D_02_CS", "TC_D_03_CS", "TC_D_05_CS")),
    Fault("local_list_full_merged", "station", ("D01.FR.15", "D01.FR.04"),
          "a Full update is merged into the current list instead of replacing it: a Full update without entries "
          "removes nothing",
          ("TC_D_04_CS",)),
    Fault("local_list_version_mismatch_not_detected", "station", ("D01.FR.19",),
          "a Differential update whose versionNumber is not higher than the list's is applied (Accepted) instead of "
          "answered VersionMismatch",
          ("TC_D_06_CS",)),
    Fault("local_list_lost_on_reboot", "station", ("D01.FR.10",),
          "the Local Authorization List is kept in RAM only: after a reboot the list is empty and its version 0",
          ("TC_D_07_CS",)),
    Fault("local_list_version_when_disabled", "station", ("D02.FR.03",),
          "with LocalAuthListCtrlr.Enabled false, GetLocalListVersion still answers the stored list's version "
          "instead of 0",
          ("TC_D_10_CS",)),
    # cdcsms: reference CSMS, Local Authorization List management (reference/csms_authorization.py) ---------------
    Fault("csms_local_list_version_from_zero", "csms", ("D01.FR.18", "Part 6 TC_D_01_CSMS tool validation step 1"),
          "the CSMS numbers its first list for a station from its 0-based counter: versionNumber 0, the value that "
          "means 'no list'",
          ("TC_D_01_CSMS",)),
    Fault("csms_full_entries_without_token_info", "csms", ("Part 6 TC_D_01_CSMS tool validation step 1",
                                                          "D01.FR.15"),
          "the CSMS sends a Full list of bare idTokens, without their idTokenInfo",
          ("TC_D_01_CSMS",)),
    Fault("csms_local_list_version_not_increased", "csms", ("D01.FR.19", "Part 6 TC_D_02_CSMS tool validation step 1"),
          "the CSMS numbers a Differential update with the version of the list it updates instead of a higher one "
          "(the station refuses it: VersionMismatch)",
          ("TC_D_02_CSMS", "TC_D_03_CSMS")),
    Fault("csms_differential_sent_as_full", "csms", ("D01.FR.16", "D01.FR.17", "Part 6 TC_D_02_CSMS tool validation "
                                                     "step 1", "Part 6 TC_D_03_CSMS tool validation step 1"),
          "the CSMS sends every list update with updateType Full: a differential update replaces the station's list "
          "with only the changed entries",
          ("TC_D_02_CSMS", "TC_D_03_CSMS")),
    Fault("csms_empty_full_list_as_differential", "csms", ("D01.FR.04", "D01.FR.05",
                                                           "Part 6 TC_D_04_CSMS tool validation step 1"),
          "the CSMS sends an emptied list as a Differential update without entries, which leaves the station's list "
          "as it is",
          ("TC_D_04_CSMS",)),
    Fault("csms_local_list_version_from_memory", "csms", ("D02", "Part 6 TC_D_08_CSMS step 1"),
          "the CSMS shows the list version it last sent instead of asking the station: no GetLocalListVersionRequest "
          "is sent",
          ("TC_D_08_CSMS", "TC_D_09_CSMS")),
]
