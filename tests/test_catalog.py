"""The catalog package data: messages, use cases, Part 6 test cases, Part 5 profiles."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest

from conformance.catalog import (
    CATALOG_VERSION,
    PROFILES,
    Catalog,
    FeatureExpressionError,
    TestCase,
    evaluate_features,
    feature_atoms,
    load_catalog,
    normalise_features,
)

DATA = resources.files("conformance.catalog.data")

CATEGORY_COUNTS = {
    "Core": 10,
    "Remote Control": 6,
    "Configuration": 6,
    "Smart Charging": 9,
    "Firmware Management": 7,
    "Monitoring": 7,
    "Reservation": 3,
    "Certificate Management": 7,
    "Local Auth List": 2,
    "Display Management": 4,
    "Customer Information": 2,
    "Data Transfer": 1,
}
CORE_MESSAGES = {
    "BootNotification", "Heartbeat", "Authorize", "TransactionEvent", "StatusNotification",
    "MeterValues", "SecurityEventNotification", "CostUpdated", "GetTransactionStatus", "ClearCache",
}
# block: (Charging Station cases, CSMS cases) in Part 6.
CASES_PER_BLOCK = {
    "A": (17, 14), "B": (48, 22), "C": (53, 16), "D": (9, 6), "E": (47, 27), "F": (24, 15),
    "G": (21, 10), "H": (21, 9), "I": (3, 2), "J": (10, 9), "K": (44, 32), "L": (15, 19),
    "M": (25, 18), "N": (52, 29), "O": (32, 21), "P": (3, 2),
}
USE_CASES_PER_BLOCK = {
    "A": 5, "B": 12, "C": 16, "D": 2, "E": 15, "F": 6, "G": 5, "H": 4,
    "I": 6, "J": 3, "K": 17, "L": 4, "M": 6, "N": 10, "O": 6, "P": 2,
}
# Part 6 "Use case Id(s)" values that are not use-case ids (N/a gives an empty tuple).
NON_USE_CASE_REFERENCES = {
    "Part 4 section 5.3. Reconnecting",
    "Part 4 - JSON over WebSockets implementation guide",  # TC_B_58_CSMS (errata 5.10 / 6.2.21)
}
# Part 6 "Requirement(s)" entries that cannot be normalised to the X00.FR.00 form (misprints
# and chapter references), kept raw on purpose.
RAW_REQUIREMENTS = {
    "B089.FR.10",
    "N07.FR.04s",
    "Chapter Referenced Components and Variables",
    "Described at section 5.3.",
    "Part 4 section 3.1.2. OCPP version",  # TC_B_58_CSMS
}
PRODUCT_SUBTYPE = "Product Subtype: Mode 1/2-only Charging Station"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def case(catalog: Catalog, case_id: str) -> TestCase:
    return catalog.test_cases[case_id]


def applicability(catalog: Catalog, case_id: str) -> dict[str, tuple[str, str | None]]:
    return {p.profile: (p.level, p.features_expr) for p in case(catalog, case_id).profiles}


# --------------------------------------------------------------------------------------------
# Messages and blocks
# --------------------------------------------------------------------------------------------


def test_64_messages_in_12_categories(catalog: Catalog) -> None:
    assert len(catalog.messages) == 64
    assert Counter(m.category for m in catalog.messages.values()) == CATEGORY_COUNTS
    assert {m.name for m in catalog.messages.values() if m.category == "Core"} == CORE_MESSAGES
    assert all(name == m.name for name, m in catalog.messages.items())


def test_messages_match_the_schema_files() -> None:
    schemas = resources.files("ocpp") / "v201" / "schemas"
    actions = {p.name.removesuffix("Request.json") for p in schemas.iterdir()
               if p.name.endswith("Request.json")}
    assert actions == set(load_catalog().messages)


def test_message_directions_and_blocks(catalog: Catalog) -> None:
    assert Counter(m.initiator for m in catalog.messages.values()) == {
        "ChargingStation": 24, "CSMS": 39, "Both": 1,
    }
    assert catalog.messages["DataTransfer"].initiator == "Both"
    assert catalog.messages["BootNotification"].initiator == "ChargingStation"
    assert catalog.messages["GetLog"].block == "N"
    assert catalog.messages["GetLog"].category == "Firmware Management"
    for message in catalog.messages.values():
        assert catalog.blocks[message.block] == message.block_name
        assert message.purpose and "\n" not in message.purpose


def test_blocks(catalog: Catalog) -> None:
    assert list(catalog.blocks) == list("ABCDEFGHIJKLMNOP")
    assert catalog.blocks["B"] == "Provisioning"
    assert catalog.blocks["K"] == "Smart Charging"


# --------------------------------------------------------------------------------------------
# Use cases
# --------------------------------------------------------------------------------------------


def test_119_use_cases_plus_pseudo_entries(catalog: Catalog) -> None:
    real = [u for u in catalog.use_cases.values() if not u.pseudo]
    assert len(real) == 119
    assert Counter(u.block for u in real) == USE_CASES_PER_BLOCK
    assert {u.id for u in catalog.use_cases.values() if u.pseudo} == {"GEN", "A00"}


def test_use_case_fields(catalog: Catalog) -> None:
    b01 = catalog.use_cases["B01"]
    assert b01.name == "Cold Boot Charging Station"
    assert (b01.block, b01.block_name) == ("B", "Provisioning")
    assert "BootNotification" in b01.messages
    assert b01.requirements[0].id == "B01.FR.01"
    assert b01.requirements[0].level == "SHALL"
    for use_case in catalog.use_cases.values():
        assert use_case.requirements, use_case.id
        assert set(use_case.messages) <= set(catalog.messages), use_case.id
        for requirement in use_case.requirements:
            assert requirement.text
            if use_case.id != "GEN":
                assert requirement.id.startswith(use_case.id + ".FR."), requirement.id


# --------------------------------------------------------------------------------------------
# Test cases
# --------------------------------------------------------------------------------------------


def test_675_test_cases(catalog: Catalog) -> None:
    """Part 6 has 674 cases; Part 5 erratum 5.10 adds TC_B_58_CSMS. Three are listed but out of the
    certification program (errata 5.17, 5.20): 422 station and 250 CSMS cases remain in it."""
    roles = Counter(t.role for t in catalog.test_cases.values())
    assert roles == {"CS": 424, "CSMS": 251}
    assert len(catalog.test_cases) == 675
    in_program = Counter(t.role for t in catalog.test_cases.values() if t.in_program)
    assert in_program == {"CS": 422, "CSMS": 250}


@pytest.mark.parametrize("block", sorted(CASES_PER_BLOCK))
def test_cases_per_block_and_role(catalog: Catalog, block: str) -> None:
    counts = (len(catalog.cases_for("CS", block)), len(catalog.cases_for("CSMS", block)))
    assert counts == CASES_PER_BLOCK[block]


def test_ids_are_unique_and_ordered(catalog: Catalog) -> None:
    raw = json.loads(DATA.joinpath("test_cases.json").read_text("utf-8"))["test_cases"]
    ids = [t["id"] for t in raw]
    assert len(ids) == len(set(ids)) == 675

    def key(case_id: str) -> tuple[int, str, int]:
        _, block, number, role = case_id.split("_")
        return (role != "CS", block, int(number))

    assert list(catalog.test_cases) == sorted(ids, key=key)
    for case_id, test_case in catalog.test_cases.items():
        assert re.fullmatch(r"TC_[A-P]_\d{2}_(CS|CSMS)", case_id)
        assert case_id.endswith("_" + test_case.role)
        assert test_case.block == case_id[3]
        assert test_case.title and test_case.summary
        assert "\n" not in test_case.title + test_case.summary


def test_misprinted_id_is_keyed_by_its_heading(catalog: Catalog) -> None:
    misprinted = case(catalog, "TC_C_58_CS")
    assert misprinted.id_note is not None and "TC_C_28_CS" in misprinted.id_note
    assert misprinted.use_cases == ("C14",)
    assert "Local Authorization List Management" in applicability(catalog, "TC_C_58_CS")
    other = case(catalog, "TC_C_28_CS")  # the genuine TC_C_28_CS is a different case
    assert other.title != misprinted.title and other.id_note is None
    assert [t.id for t in catalog.test_cases.values() if t.id_note] == ["TC_C_58_CS"]


def test_use_case_references(catalog: Catalog) -> None:
    unknown = {
        uc for t in catalog.test_cases.values() for uc in t.use_cases if uc not in catalog.use_cases
    }
    assert unknown == NON_USE_CASE_REFERENCES
    assert case(catalog, "TC_B_57_CS").use_cases == ("Part 4 section 5.3. Reconnecting",)
    assert case(catalog, "TC_P_03_CS").use_cases == ()  # "N/a"
    assert case(catalog, "TC_E_10_CS").use_cases == ("E01", "C01", "C02", "C04", "C06")


def test_requirement_references_are_normalised(catalog: Catalog) -> None:
    raw = {
        r
        for t in catalog.test_cases.values()
        for r in t.requirements
        if not re.fullmatch(r"[A-P]\d{2}\.FR\.\d{2,3}", r)
    }
    assert raw == RAW_REQUIREMENTS
    # C14_FR_03 style, an id wrapped over two lines, and "A00.FR.50" + "8" on the next line.
    assert case(catalog, "TC_C_58_CS").requirements == ("C14.FR.03",)
    assert case(catalog, "TC_L_01_CS").requirements[-1] == "L01.FR.23"
    assert "A00.FR.508" in case(catalog, "TC_A_07_CS").requirements
    assert case(catalog, "TC_G_18_CS").requirements == ("G03.FR.08", "G01.FR.01")
    assert case(catalog, "TC_N_21_CS").requirements == ()


def test_role_name(catalog: Catalog) -> None:
    assert case(catalog, "TC_B_01_CS").role_name == "Charging Station"
    assert case(catalog, "TC_B_01_CSMS").role_name == "CSMS"
    assert case(catalog, "TC_B_01_CSMS").base_id == "TC_B_01"
    assert case(catalog, "TC_B_01_CSMS").number == 1


# --------------------------------------------------------------------------------------------
# Profiles (Part 5)
# --------------------------------------------------------------------------------------------


def test_cold_boot_is_mandatory_in_core(catalog: Catalog) -> None:
    assert applicability(catalog, "TC_B_01_CS") == {"Core": ("M", None)}
    assert applicability(catalog, "TC_B_01_CSMS") == {"Core": ("M", None)}
    entry = case(catalog, "TC_B_01_CS").applicability("Core")
    assert entry is not None and entry.level == "M"
    assert case(catalog, "TC_B_01_CS").applicability("Smart Charging") is None


def test_profile_coverage(catalog: Catalog) -> None:
    with_profiles = [t for t in catalog.test_cases.values() if t.profiles]
    assert len(with_profiles) == 641  # + TC_B_58_CSMS (erratum 5.10)
    assert case(catalog, "TC_B_19_CS").profiles == ()  # not listed in any Part 5 profile
    for test_case in catalog.test_cases.values():
        names = [p.profile for p in test_case.profiles]
        assert names == [p for p in PROFILES if p in names], test_case.id
        for entry in test_case.profiles:
            assert entry.level in ("M", "C")
            if entry.level == "M":
                assert entry.features_expr is None


@pytest.mark.parametrize(
    ("case_id", "expected"),
    [
        ("TC_B_02_CS", {"Core": ("M", None)}),
        ("TC_B_02_CSMS", {"Core": ("C", "C-44")}),
        ("TC_B_30_CSMS", {"Core": ("C", "C-44 or not AQ-16")}),  # errata 5.9 / 5.22
        ("TC_C_02_CS", {"Core": ("C", "(C-30 or C-31 or C-32) and not AQ-2")}),
        ("TC_C_08_CS", {"Core": ("C", "C-49")}),  # erratum 5.11
        ("TC_C_58_CS", {"Local Authorization List Management": ("C", "LA-3")}),  # erratum 5.11
        ("TC_C_21_CS", {"Local Authorization List Management": ("C", "C-30 or C-31 or C-32 or C-34")}),
        ("TC_B_41_CS", {"Core": ("C", "HFS-8 > 1")}),
        ("TC_K_38_CS", {"Core": ("C", 'not "Smart Charging"')}),
        ("TC_F_02_CS", {"Core": ("C", "C-48.1 and (C-36 or C-37 or C-38 or C-39)")}),
        # TC_F_06 gives its conditions in the role columns themselves.
        ("TC_F_06_CS", {"Core": ("C", f'HFS-1 and not "{PRODUCT_SUBTYPE}"')}),
        ("TC_F_06_CSMS", {"Core": ("C", "C-11")}),
        # One cell, a different condition per role in Part 5; R-1 for both since erratum 5.19.
        ("TC_H_15_CS", {"Reservation": ("C", "R-1")}),
        ("TC_H_15_CSMS", {"Reservation": ("C", "R-1")}),
        ("TC_E_31_CSMS", {"Core": ("C", "C-16")}),
        ("TC_K_12_CS", {
            "Smart Charging": ("C", "not (SC-2.1 and SC-2.2)"),
            "ISO 15118 Support": ("C", "not (SC-2.1 and SC-2.2)"),
        }),
        # The markdown rendering has an unbalanced parenthesis here; the text one does not.
        ("TC_E_20_CS", {"Core": ("C", "C-10.1 and not (not C-52 and (C-10.3 or C-10.4)) and not "
                                      "(not C-06.1 and not C-52 and C-10.2) and (AQ-9 or "
                                      f'"{PRODUCT_SUBTYPE}")')}),
    ],
)
def test_profile_spot_checks(
    catalog: Catalog, case_id: str, expected: dict[str, tuple[str, str | None]]
) -> None:
    assert applicability(catalog, case_id) == expected


def test_feature_expressions_are_normalised_and_known(catalog: Catalog) -> None:
    names = set(PROFILES) | {PRODUCT_SUBTYPE}
    for test_case in catalog.test_cases.values():
        if not test_case.in_program:
            continue  # kept as Part 5 listed it (TC_A_13 names the removed ISO-3)
        known = (
            {f for f, roles in catalog.feature_roles.items() if test_case.role in roles}
            | set(catalog.questions[test_case.role])
            | names
        )
        for entry in test_case.profiles:
            if entry.features_expr is None:
                continue
            assert normalise_features(entry.features_expr) == entry.features_expr
            assert feature_atoms(entry.features_expr) <= known, test_case.id


def test_features(catalog: Catalog) -> None:
    assert catalog.features["C-01"]
    assert catalog.features["HFS-8"] == "Number of EVSEs"
    assert catalog.feature_roles["C-11"] == ("CSMS",)
    assert catalog.feature_roles["C-49"] == ("CS",)
    assert catalog.feature_roles["C-30"] == ("CS", "CSMS")
    assert set(catalog.feature_roles) == set(catalog.features)
    assert set(catalog.questions["CS"]) == {f"AQ-{n}" for n in (*range(1, 12), 18)}  # errata 5.2, 5.5, 5.6
    assert set(catalog.questions["CSMS"]) == {  # errata 5.21, 5.22, 5.23
        "AQ-12", "AQ-13", "AQ-13.1", "AQ-13.2", "AQ-14", "AQ-14.1", "AQ-14.2", "AQ-16", "AQ-17",
    }


# --------------------------------------------------------------------------------------------
# Feature expressions
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expr", "supported", "expected"),
    [
        ("C-01", set(), False),
        ("C-01", {"C-01"}, True),
        ("not C-01", set(), True),
        ("not C-01", {"C-01"}, False),
        ("C-01 and C-02", {"C-01"}, False),
        ("C-01 and C-02", {"C-01", "C-02"}, True),
        ("C-01 or C-02", {"C-02"}, True),
        ("C-01 or C-02", set(), False),
        # "and" binds tighter than "or"; "not" tighter than both.
        ("C-01 or C-02 and C-03", {"C-01"}, True),
        ("(C-01 or C-02) and C-03", {"C-01"}, False),
        ("not C-01 and C-02", {"C-02"}, True),
        ("not (C-01 and C-02)", {"C-01", "C-02"}, False),
        ("C-49 and (C-30 or C-31 or C-32)", {"C-49", "C-31"}, True),
        ("C-49 and (C-30 or C-31 or C-32)", {"C-49"}, False),
        ("C-49 and (C-30 or C-31 or C-32)", {"C-31"}, False),
        ("C-49 AND (C-30 OR C-31)", {"C-49", "C-30"}, True),  # operators in any case
        ("Not C-56", set(), True),
        ('not "Smart Charging"', {"Smart Charging"}, False),
        ('C-01 or "Smart Charging"', {"Smart Charging"}, True),
        ("HFS-8 > 1", {"HFS-8=2"}, True),
        ("HFS-8 > 1", {"HFS-8=1"}, False),
        ("HFS-8 > 1", {"HFS-8"}, False),
        ("HFS-8 >= 1", {"HFS-8=1"}, True),
        ("C-20 and NOT C-43 and AQ-7 and HFS-8 > 1", {"C-20", "AQ-7", "HFS-8=3"}, True),
        ("C-20 and NOT C-43 and AQ-7 and HFS-8 > 1", {"C-20", "C-43", "AQ-7", "HFS-8=3"}, False),
    ],
)
def test_evaluate_features(expr: str, supported: set[str], expected: bool) -> None:
    assert evaluate_features(expr, supported) is expected


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("C-49 AND (C-30 OR C-31)", "C-49 and (C-30 or C-31)"),
        ("(C-01)", "C-01"),
        ("C-01 or (C-02 or C-03)", "C-01 or C-02 or C-03"),
        ("C-01 or C-02 and C-03", "C-01 or (C-02 and C-03)"),
        ("NOT (NOT c-10.1)", "not not C-10.1"),
        ("not (C-01 or C-02) and C-03", "not (C-01 or C-02) and C-03"),
        ("HFS-8>1", "HFS-8 > 1"),
    ],
)
def test_normalise_features(expr: str, expected: str) -> None:
    assert normalise_features(expr) == expected


@pytest.mark.parametrize(
    "expr", ["", "C-01 and", "(C-01", "C-01)", "C-01 C-02", "maybe", "HFS-8 >", '"unterminated']
)
def test_malformed_feature_expressions(expr: str) -> None:
    with pytest.raises(FeatureExpressionError):
        evaluate_features(expr, set())


# --------------------------------------------------------------------------------------------
# Loading, version, export
# --------------------------------------------------------------------------------------------


def test_load_is_cached() -> None:
    assert load_catalog() is load_catalog()


def test_version_matches_the_data() -> None:
    meta = json.loads(DATA.joinpath("meta.json").read_text("utf-8"))
    assert CATALOG_VERSION == meta["version"] == load_catalog().version
    package = Path(str(resources.files("conformance.catalog")))
    digest = hashlib.sha256()
    names = ("data/features.json", "data/test_cases.json", "data/use_cases.json", "data/errata.json", "messages.py")
    for name in names:  # the same files, in the same order, as tools/build_catalog.py
        digest.update((package / name).read_text("utf-8").encode("utf-8"))
    assert digest.hexdigest() == meta["content_sha256"], "run python tools/build_catalog.py"


def test_to_json(catalog: Catalog) -> None:
    data = json.loads(catalog.to_json())
    assert data["version"] == CATALOG_VERSION
    assert len(data["messages"]) == 64
    assert len(data["test_cases"]) == 675
    assert [e["id"] for e in data["errata"]] == [f"5.{n}" for n in range(1, 24)]
    first = data["test_cases"][0]
    assert first["id"] == "TC_A_01_CS" and first["role_name"] == "Charging Station"
    b01 = next(t for t in data["test_cases"] if t["id"] == "TC_B_01_CSMS")
    assert b01["profiles"] == {"Core": {"level": "M", "features_expr": None}}
    assert data == catalog.to_dict()


# --------------------------------------------------------------------------------------------
# Part 5 errata (errata sheet 2025-09, section 5), applied by tools/build_catalog.py
# --------------------------------------------------------------------------------------------


def test_every_part5_erratum_is_recorded_with_its_status(catalog: Catalog) -> None:
    status = {e["id"]: e["status"] for e in catalog.errata}
    assert list(status) == [f"5.{n}" for n in range(1, 24)]
    assert status["5.1"] == status["5.18"] == "no data change"  # wording / a heading of 5.17
    assert status["5.2"] == "partly applied"  # AQ-18 only: C-70/71/72/75 and the conditions are not listed
    assert next(e for e in catalog.errata if e["id"] == "5.2")["not_applied"]
    assert all(status[f"5.{n}"] == "applied" for n in range(3, 24) if n != 18)
    meta = json.loads(DATA.joinpath("meta.json").read_text("utf-8"))
    assert meta["errata"] == [i for i, st in status.items() if st in ("applied", "partly applied")]
    assert "errata-2025-09" in CATALOG_VERSION


def test_changed_cases_name_the_erratum(catalog: Catalog) -> None:
    changed = {t.id: t.errata for t in catalog.test_cases.values() if t.errata}
    assert changed["TC_B_14_CS"] == ("5.8",)
    assert changed["TC_B_30_CSMS"] == changed["TC_B_31_CSMS"] == ("5.9",)
    assert changed["TC_F_27_CS"] == ("5.6",)
    assert "TC_B_01_CS" not in changed
    raw = {t["id"]: t for t in json.loads(DATA.joinpath("test_cases.json").read_text("utf-8"))["test_cases"]}
    assert raw["TC_B_14_CS"]["errata"] == ["5.8"] and raw["TC_B_01_CS"]["errata"] == []


@pytest.mark.parametrize(
    ("case_id", "erratum", "expected"),
    [
        ("TC_B_14_CS", "5.8", {"Core": ("C", "C-56"), "Advanced Device Management": ("M", None)}),
        ("TC_B_31_CSMS", "5.9", {"Core": ("C", "C-44 or not AQ-16")}),
        ("TC_F_27_CS", "5.6", {"Core": ("C", "not AQ-11")}),
        ("TC_A_20_CS", "5.7", {"Core": ("C", "AQ-1 and C-61")}),
        ("TC_C_46_CS", "5.11", {"Core": ("C", "C-49 and C-53")}),
        ("TC_C_15_CS", "5.11", {"Core": ("C", "C-49 and C-03 and (C-30 or C-31 or C-32 or C-34)")}),
        ("TC_C_57_CS", "5.11", {"Core": ("C", "C-59 and C-49")}),
        ("TC_E_45_CS", "5.11", {"Core": ("C", '(C-30 or C-31 or C-32 or C-34) and '
                                              '("Local Authorization List Management" or C-49)')}),
        ("TC_C_40_CS", "5.11", {"Local Authorization List Management": ("C", "C-30 or C-31 or C-32 or C-34")}),
        ("TC_E_04_CS", "5.12", {"Core": ("C", "C-30 or C-31 or C-32 or C-33 or C-35")}),
        ("TC_E_17_CS", "5.13", {"Core": ("C", "C-10.2 and C-06.2 and AQ-9 and "
                                              "not (not C-52 and (C-10.1 or C-10.3 or C-10.4))")}),
        ("TC_A_21_CS", "5.14", {"Advanced Security": ("C", "AQ-3")}),
        ("TC_N_48_CS", "5.15", {"Advanced Device Management": ("C", "AQ-10")}),
        ("TC_H_13_CS", "5.16", {"Reservation": ("C", "not R-2")}),
        ("TC_H_16_CS", "5.19", {"Reservation": ("C", "R-1")}),
        ("TC_B_58_CSMS", "5.10", {"Core": ("M", None)}),
    ],
)
def test_erratum_changes_the_case(
    catalog: Catalog, case_id: str, erratum: str, expected: dict[str, tuple[str, str | None]]
) -> None:
    assert applicability(catalog, case_id) == expected
    assert erratum in case(catalog, case_id).errata


def test_new_csms_case_from_erratum_5_10(catalog: Catalog) -> None:
    b58 = case(catalog, "TC_B_58_CSMS")
    assert b58.role == "CSMS" and b58.block == "B" and b58.in_program
    assert b58.title == "WebSocket Subprotocol negotiation"
    assert b58.use_cases == ("Part 4 - JSON over WebSockets implementation guide",)
    assert b58.requirements == ("Part 4 section 3.1.2. OCPP version",)


@pytest.mark.parametrize(
    ("case_id", "erratum"), [("TC_O_15_CS", "5.17"), ("TC_A_13_CS", "5.20"), ("TC_A_13_CSMS", "5.20")]
)
def test_removed_cases_stay_listed_and_say_which_erratum_removed_them(
    catalog: Catalog, case_id: str, erratum: str
) -> None:
    removed = case(catalog, case_id)
    assert removed.removed_by == erratum and not removed.in_program
    assert removed.profiles  # where Part 5 listed it, for reference
    assert removed.to_dict()["removed_by"] == erratum
    assert [t.id for t in catalog.test_cases.values() if t.removed_by] == [
        "TC_A_13_CS", "TC_O_15_CS", "TC_A_13_CSMS",
    ]


def test_features_and_questions_after_the_errata(catalog: Catalog) -> None:
    assert "ISO-3" not in catalog.features  # 5.6
    assert catalog.removed_features["ISO-3"] == {"errata": "5.6", "replaced_by": "AQ-11"}
    assert catalog.feature_roles["C-61"] == ("CS", "CSMS")  # 5.7
    assert catalog.feature_roles["R-1"] == ("CS", "CSMS")  # 5.19
    assert "disabled" in catalog.features["R-3"]  # 5.4
    assert catalog.feature_conditions["C-01"]["errata"] == "5.3"
    assert evaluate_features(catalog.feature_conditions["C-01"]["expr"], {"C-35"})
    assert not evaluate_features(catalog.feature_conditions["C-01"]["expr"], {"C-49"})
    assert evaluate_features(catalog.feature_conditions["C-01"]["expr"], {"C-49", "C-34"})
    renames = catalog.question_renames["CSMS"]
    assert renames["AQ-6"] == {"to": "AQ-16", "errata": ["5.22"]}
    assert renames["AQ-1"] == {"to": "AQ-17", "errata": ["5.22", "5.23"]}  # AQ-11 clashed with the station's
    assert renames["AQ-2"]["to"] == "AQ-12" and renames["AQ-3.1"]["to"] == "AQ-13.1"
    assert "CS" not in catalog.question_renames  # the station ids are unchanged
    no_old_ids = {"AQ-1", "AQ-2", "AQ-6"}
    for test_case in catalog.cases_for("CSMS"):
        for entry in test_case.profiles:
            assert not (entry.features_expr and feature_atoms(entry.features_expr) & no_old_ids), test_case.id
