"""What pytest needs to run the OCPP test cases straight from a checkout (``pytest testcases/station
--ocpp-role station``), besides the settings in pyproject.toml ([tool.pytest.ini_options]):

* the ocpp-conformance plugin (conformance/pytest_plugin.py), when the package is not installed (an
  installed one registers it through its ``pytest11`` entry point);
* the cases bounded by the harness, not by the self-tests' safety net: pyproject.toml's pytest-timeout
  of 120 s is for the project's own tests; each case is already bounded by ``timing.case_time_limit``
  (or the longer time the case needs), so it is lifted for the cases.

Choosing a run: ``--ocpp-role station|csms`` (the built-in reference SUT) or ``--ocpp-config FILE``;
select with ``-m block_g``, ``-m profile_core`` or ``--ocpp-block G``; the reports (report.html,
junit.xml, summary.json) land in ``--ocpp-run-dir`` (default reports/<run-id>), one run however many
xdist workers; with ``--ocpp-config`` the cases run in one process (below).
"""

from __future__ import annotations

import importlib.metadata
import os

import pytest


def _plugin_installed() -> bool:
    if os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD"):
        return False
    return any(ep.value == "conformance.pytest_plugin" for ep in importlib.metadata.entry_points(group="pytest11"))


if not _plugin_installed():
    pytest_plugins = ["conformance.pytest_plugin"]


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    """A configured SUT (--ocpp-config, typically a real one) is tested by one harness: one process, whatever
    pyproject.toml's ``-n auto`` (meant for the project's own tests) says."""
    if config.getoption("--ocpp-config", None) and getattr(config.option, "numprocesses", None):
        config.option.numprocesses = 0


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("ocpp_case") is not None:
            item.add_marker(pytest.mark.timeout(0))  # bounded by timing.case_time_limit instead
