"""Which cases apply: Part 5 profiles and features against the SUT's PICS."""

from __future__ import annotations

import dataclasses

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
