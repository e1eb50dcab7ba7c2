"""Which cases apply: Part 5 profiles and features against the SUT's PICS."""

from __future__ import annotations

import dataclasses

import pytest

from conformance.config import Pics, default_config
from conformance.harness.applicability import applicability
from conformance.harness.case import CaseMeta
from conformance.catalog import load_catalog


def meta(case_id: str) -> CaseMeta:
    tc = load_catalog().test_cases[case_id]
    return CaseMeta(tc.id, tc.role, tc.block, tc.title, tc.summary, tc.use_cases, tc.requirements, tc.profiles)


def config_with(profiles: list[str], features: list[str]):
    base = default_config("station")
    return dataclasses.replace(base, pics=Pics(features=frozenset(features), profiles=frozenset(profiles)))


def test_mandatory_core_case_applies_without_any_feature() -> None:
    assert applicability(meta("TC_B_01_CS"), config_with(["Core"], [])) == (True, "")


def test_conditional_case_is_not_applicable_without_its_feature_and_says_why() -> None:
    applies, reason = applicability(meta("TC_B_25_CS"), config_with(["Core"], []))  # Core, C on C-13
    assert not applies
    assert "C-13" in reason and "Core" in reason


def test_conditional_case_applies_with_its_feature() -> None:
    assert applicability(meta("TC_B_25_CS"), config_with(["Core"], ["C-13"]))[0]


def test_negated_condition() -> None:
    assert applicability(meta("TC_B_28_CS"), config_with(["Core"], []))[0]  # "not C-13"
    assert not applicability(meta("TC_B_28_CS"), config_with(["Core"], ["C-13"]))[0]


def test_profile_not_claimed() -> None:
    applies, reason = applicability(meta("TC_B_01_CS"), config_with(["Smart Charging"], []))
    assert not applies and "profile Core is not claimed" in reason


def test_case_beyond_the_catalog_always_applies() -> None:
    own = dataclasses.replace(meta("TC_B_01_CS"), id="X_G_02_CS", profiles=(), beyond_catalog=True)
    assert applicability(own, config_with([], []))[0]


def test_every_catalog_case_has_a_decidable_applicability() -> None:
    """No feature expression in the catalog makes the evaluator fail; an exclusion has a reason."""
    catalog = load_catalog()
    every_profile = sorted({p.profile for t in catalog.test_cases.values() for p in t.profiles})
    for cfg in (config_with(["Core"], []), config_with(every_profile, sorted(catalog.features))):
        for case_id in catalog.test_cases:
            applies, reason = applicability(meta(case_id), cfg)
            assert applies or reason


# Part 5 errata (2025-09) as the run sees them.


def csms_config_with(profiles: list[str], features: list[str], answers: dict[str, bool]):
    base = default_config("csms")
    return dataclasses.replace(base, pics=Pics(features=frozenset(features), answers=answers,
                                               profiles=frozenset(profiles)))


def test_summary_inventory_case_is_optional_in_core_since_erratum_5_8() -> None:
    applies, reason = applicability(meta("TC_B_14_CS"), config_with(["Core"], []))
    assert not applies and "conditional in Core on C-56" in reason
    assert applicability(meta("TC_B_14_CS"), config_with(["Core"], ["C-56"]))[0]
    assert applicability(meta("TC_B_14_CS"), config_with(["Advanced Device Management"], []))[0]


def test_boot_pending_csms_cases_use_the_renumbered_question() -> None:
    """TC_B_30/31_CSMS: C-44 or not AQ-16 (errata 5.9, 5.22); the old id AQ-6 means nothing now."""
    for case_id in ("TC_B_30_CSMS", "TC_B_31_CSMS"):
        rejects_at_websocket = csms_config_with(["Core"], [], {"AQ-16": True})
        applies, reason = applicability(meta(case_id), rejects_at_websocket)
        assert not applies and "AQ-16" in reason
        assert applicability(meta(case_id), csms_config_with(["Core"], [], {}))[0]
        assert applicability(meta(case_id), csms_config_with(["Core"], ["C-44"], {"AQ-16": True}))[0]
        assert applicability(meta(case_id), csms_config_with(["Core"], [], {"AQ-6": True}))[0]


@pytest.mark.parametrize("case_id, erratum", [("TC_O_15_CS", "5.17"), ("TC_A_13_CS", "5.20"),
                                              ("TC_A_13_CSMS", "5.20")])
def test_removed_case_never_applies_and_says_which_erratum_removed_it(case_id: str, erratum: str) -> None:
    catalog = load_catalog()
    every = sorted({p.profile for t in catalog.test_cases.values() for p in t.profiles})
    role = "csms" if case_id.endswith("_CSMS") else "station"
    cfg = dataclasses.replace(default_config(role), pics=Pics(features=frozenset(catalog.features),
                                                               profiles=frozenset(every)))
    applies, reason = applicability(meta(case_id), cfg)
    assert not applies
    assert f"removed from the certification program by Part 5 erratum {erratum}" in reason


def test_new_csms_case_from_erratum_5_10_is_mandatory_in_core() -> None:
    assert applicability(meta("TC_B_58_CSMS"), csms_config_with(["Core"], [], {})) == (True, "")
