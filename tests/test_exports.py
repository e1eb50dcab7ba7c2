"""Every public name of the harness's reusable states is exported, and both roles use the same names."""

from __future__ import annotations

import ast
import importlib
import inspect

import pytest

from conformance.harness import reusable_states

MODULES = ("conformance.harness.reusable_states.station", "conformance.harness.reusable_states.csms",
           "conformance.harness.reusable_states.common")


def public_definitions(module_name: str) -> set[str]:
    """The names a module defines at top level (functions, classes, constants) that do not start with _."""
    tree = ast.parse(inspect.getsource(importlib.import_module(module_name)))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return {n for n in names if not n.startswith("_")}


@pytest.mark.parametrize("module_name", MODULES)
def test_every_public_name_is_exported(module_name: str) -> None:
    module = importlib.import_module(module_name)
    missing = public_definitions(module_name) - set(module.__all__)
    assert not missing, f"{module_name}: public but not in __all__: {sorted(missing)}"
    assert all(hasattr(module, name) for name in module.__all__)


def test_the_package_exports_its_two_sibling_modules() -> None:
    assert reusable_states.__all__ == ["csms", "station"]
    assert reusable_states.station.__name__.endswith(".station")
    assert reusable_states.csms.__name__.endswith(".csms")


def test_the_same_part6_states_have_the_same_names_on_both_sides() -> None:
    both = ("booted", "unavailable", "change_availability", "availability_restored", "energy_transfer_started",
            "transactions_ended_afterwards", "boot_answered", "Boot", "Transaction")
    for name in both:
        assert name in reusable_states.station.__all__ and name in reusable_states.csms.__all__, name
    common = set(reusable_states.common.__all__)
    assert common <= set(reusable_states.station.__all__) and common <= set(reusable_states.csms.__all__)
    assert not [n for n in reusable_states.csms.__all__ if "csms" in n.lower()]
