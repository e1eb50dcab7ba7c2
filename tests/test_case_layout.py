"""Test case layout: a block is a package of use-case files, the case id is written once (the function name)."""

from __future__ import annotations

import pytest

from conformance.harness.case import case, case_id_of, case_of, discover

REPO_BLOCKS = ("b_provisioning", "c_authorization", "d_local_authorization_list", "e_transactions",
               "f_remote_control", "g_availability", "j_meter_values", "p_data_transfer", "ocppj_rpc")
WITH_CASES = ("b_provisioning", "e_transactions", "f_remote_control", "g_availability", "j_meter_values",
              "p_data_transfer", "ocppj_rpc")


def test_the_case_id_comes_from_the_function_name() -> None:
    assert case_id_of("test_tc_b_01_cs") == "TC_B_01_CS"
    assert case_id_of("test_tc_b_58_csms") == "TC_B_58_CSMS"
    assert case_id_of("test_x_g_02_cs") == "X_G_02_CS"

    @case
    async def test_tc_b_06_cs(station: object) -> None: ...

    meta = case_of(test_tc_b_06_cs)
    assert meta is not None and meta.id == "TC_B_06_CS" and meta.role == "CS" and meta.block == "B"


def test_a_function_name_that_is_no_case_id_is_an_error_at_import() -> None:
    with pytest.raises(ValueError, match="named test_ \\+ its case id"):
        @case
        async def test_boot(station: object) -> None: ...
    with pytest.raises(ValueError, match="not a Part 6 test case"):
        @case
        async def test_tc_b_99_cs(station: object) -> None: ...


def test_the_case_id_is_not_written_twice() -> None:
    with pytest.raises(TypeError, match="comes from the function name"):
        case("TC_B_01_CS")  # type: ignore[arg-type]


def test_discover_finds_the_cases_in_the_block_packages() -> None:
    cases = discover()
    modules = {}
    import testcases
    import pkgutil
    import importlib
    for info in pkgutil.walk_packages(testcases.__path__, prefix="testcases."):
        module = importlib.import_module(info.name)
        for name in dir(module):
            meta = case_of(getattr(module, name))
            if meta is not None and name.startswith("test_"):
                modules[meta.id] = info.name
    assert set(modules) == set(cases)
    assert set(WITH_CASES) <= {m.split(".")[2] for m in modules.values()} <= set(REPO_BLOCKS)
    assert all(m.split(".")[3].startswith("test_") for m in modules.values())
