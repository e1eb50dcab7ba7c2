"""One Role type for the spellings of the two OCPP roles."""

from __future__ import annotations

import json

import pytest

from conformance.catalog import actions_handled_by, load_catalog
from conformance.harness.case import discover
from conformance.roles import Role


def test_every_spelling_names_one_role() -> None:
    for spelling in ("CS", "station", "ChargingStation", "Charging Station"):
        assert Role.of(spelling) is Role.STATION
    for spelling in ("CSMS", "csms"):
        assert Role.of(spelling) is Role.CSMS
    assert Role.parse("both") is None and Role.parse(None) is None
    with pytest.raises(ValueError, match="not an OCPP role"):
        Role.of("EV")


def test_the_conversions() -> None:
    assert (Role.STATION.config, Role.STATION.party, Role.STATION.display) == ("station", "ChargingStation",
                                                                              "Charging Station")
    assert (Role.CSMS.config, Role.CSMS.party, Role.CSMS.display) == ("csms", "CSMS", "CSMS")
    assert Role.STATION.peer is Role.CSMS and Role.CSMS.peer is Role.STATION


def test_a_role_reads_and_serialises_as_the_part6_suffix() -> None:
    assert Role.STATION == "CS" and f"{Role.CSMS}" == "CSMS" and json.dumps([Role.STATION]) == '["CS"]'
    assert load_catalog().test_cases["TC_B_01_CSMS"].role is Role.CSMS
    meta = discover()["TC_B_01_CS"]
    assert meta.role is Role.STATION and meta.sut_role == "station" and meta.harness_role == "csms"


def test_actions_handled_by_accepts_any_spelling() -> None:
    assert actions_handled_by("CSMS") == actions_handled_by(Role.CSMS) == actions_handled_by("csms")
    assert "BootNotification" in actions_handled_by("CSMS") and "Reset" in actions_handled_by("ChargingStation")
    assert "DataTransfer" in actions_handled_by(Role.STATION) and "DataTransfer" in actions_handled_by(Role.CSMS)
