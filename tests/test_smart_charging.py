"""The reference station's charging profiles (K01 SetChargingProfile, K10 ClearChargingProfile)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from conformance.protocol.schemas import get_registry
from conformance.reference.smart_charging import ChargingProfiles, Limits

LIMITS = Limits(rate_units=("A", "W"), max_stack_level=3, periods_per_schedule=4, max_entries=3)


def profile(pid: int = 1, *, purpose: str = "TxDefaultProfile", kind: str = "Relative", stack: int = 0,
            unit: str = "A", periods: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    schedule: dict[str, Any] = {"id": 1, "chargingRateUnit": unit,
                                "chargingSchedulePeriod": periods or [{"startPeriod": 0, "limit": 6}]}
    if kind != "Relative":
        schedule["startSchedule"] = "2025-01-01T00:00:00Z"
    body = {"id": pid, "stackLevel": stack, "chargingProfilePurpose": purpose, "chargingProfileKind": kind,
            "chargingSchedule": [schedule], **extra}
    assert not get_registry().validate("SetChargingProfile", "request", {"evseId": 1, "chargingProfile": body})
    return body


def status(answer: dict[str, Any]) -> tuple[str, str | None]:
    return answer["status"], answer.get("statusInfo", {}).get("reasonCode")


@pytest.fixture
def profiles() -> ChargingProfiles:
    return ChargingProfiles([1, 2])


def test_a_valid_default_profile_is_stored_and_replaced_by_id(profiles: ChargingProfiles) -> None:
    assert status(profiles.set(1, profile(customData={"vendorId": "x", "y": 1}), LIMITS, transactions={})) == \
        ("Accepted", None)
    assert len(profiles) == 1
    replaced = profile(unit="W", periods=[{"startPeriod": 0, "limit": 6000}])
    assert status(profiles.set(1, replaced, LIMITS, transactions={})) == ("Accepted", None)  # K01.FR.05
    assert profiles.installed[1] == (1, replaced)


@pytest.mark.parametrize("evse, body, reason", [
    (9, profile(), "UnknownEvse"),  # K01.FR.28
    (1, profile(purpose="ChargingStationExternalConstraints"), "InvalidProfile"),  # K01.FR.22
    (0, profile(purpose="ChargingStationMaxProfile"), "InvalidProfile"),  # K01.FR.38: not Relative
    (1, profile(purpose="ChargingStationMaxProfile", kind="Absolute"), "UnknownEvse"),
    (1, profile(purpose="TxProfile", transactionId="T1"), "TxNotFound"),  # K01.FR.09
    (0, profile(purpose="TxProfile", transactionId="T1"), "UnknownEvse"),  # K01.FR.16
    (1, profile(stack=4), "InvalidStackLevel"),
    (1, profile(periods=[{"startPeriod": 10, "limit": 6}]), "InvalidSchedule"),  # K01.FR.31
    (1, profile(periods=[{"startPeriod": 0, "limit": 6}, {"startPeriod": 0, "limit": 8}]), "InvalidSchedule"),
    (1, profile(periods=[{"startPeriod": i * 60, "limit": 6} for i in range(5)]), "TooManyElements"),
    (1, profile(periods=[{"startPeriod": 0, "limit": 6, "numberPhases": 1, "phaseToUse": 2}]), "UnsupportedParam"),
    (1, profile(periods=[{"startPeriod": 0, "limit": 6, "numberPhases": 3, "phaseToUse": 2}]), "UnsupportedParam"),
    (1, profile(kind="Recurring"), "InvalidProfile"),  # recurrencyKind missing
])
def test_invalid_profiles_are_rejected_with_a_reason(profiles: ChargingProfiles, evse: int, body: dict[str, Any],
                                                     reason: str) -> None:
    assert status(profiles.set(evse, body, LIMITS, transactions={})) == ("Rejected", reason)
    assert len(profiles) == 0


def test_rate_unit_and_start_schedule_rules(profiles: ChargingProfiles) -> None:
    only_w = Limits(rate_units=("W",), max_stack_level=3, periods_per_schedule=4, max_entries=3)
    assert status(profiles.set(1, profile(), only_w, transactions={})) == ("Rejected", "UnsupportedRateUnit")
    absolute = profile(kind="Absolute")
    del absolute["chargingSchedule"][0]["startSchedule"]
    assert status(profiles.set(1, absolute, LIMITS, transactions={})) == ("Rejected", "InvalidSchedule")  # K01.FR.40
    relative = profile()
    relative["chargingSchedule"][0]["startSchedule"] = "2025-01-01T00:00:00Z"
    assert status(profiles.set(1, relative, LIMITS, transactions={})) == ("Rejected", "InvalidSchedule")  # K01.FR.41
    two = profile()
    two["chargingSchedule"].append(dict(two["chargingSchedule"][0], id=2))
    assert status(profiles.set(1, two, LIMITS, transactions={})) == ("Rejected", "TooManyElements")  # K01.FR.34


def test_tx_profile_needs_the_active_transaction(profiles: ChargingProfiles) -> None:
    body = profile(9, purpose="TxProfile", transactionId="T1")
    assert status(profiles.set(1, body, LIMITS, transactions={1: "T2"})) == ("Rejected", "UnknownTxId")  # K01.FR.33
    assert status(profiles.set(1, body, LIMITS, transactions={1: "T1"})) == ("Accepted", None)  # K01.FR.04


def test_duplicate_default_profiles(profiles: ChargingProfiles) -> None:
    assert profiles.set(0, profile(1), LIMITS, transactions={})["status"] == "Accepted"
    assert status(profiles.set(1, profile(2), LIMITS, transactions={})) == ("Rejected", "DuplicateProfile")  # FR.53
    assert profiles.set(1, profile(2, stack=1), LIMITS, transactions={})["status"] == "Accepted"
    assert status(profiles.set(0, profile(3, stack=1), LIMITS, transactions={})) == \
        ("Rejected", "DuplicateProfile")  # K01.FR.52
    # same purpose, EVSE and stackLevel: only when the validity periods do not overlap
    early = profile(4, stack=2, validTo="2025-01-01T00:00:00Z")
    late = profile(5, stack=2, validFrom="2025-01-01T00:00:00Z")
    profiles.installed.clear()
    assert profiles.set(1, early, LIMITS, transactions={})["status"] == "Accepted"
    assert profiles.set(1, late, LIMITS, transactions={})["status"] == "Accepted"
    assert status(profiles.set(1, profile(6, stack=2), LIMITS, transactions={})) == ("Rejected", "DuplicateProfile")


def test_capacity(profiles: ChargingProfiles) -> None:
    for pid, stack in ((1, 0), (2, 1), (3, 2)):
        assert profiles.set(1, profile(pid, stack=stack), LIMITS, transactions={})["status"] == "Accepted"
    assert status(profiles.set(1, profile(4, stack=3), LIMITS, transactions={})) == ("Rejected", "OutOfStorage")
    assert profiles.set(1, profile(3, stack=3), LIMITS, transactions={})["status"] == "Accepted"  # a replacement


def test_clear_by_id_and_by_criteria(profiles: ChargingProfiles) -> None:
    profiles.set(1, profile(1), LIMITS, transactions={})
    profiles.set(2, profile(2), LIMITS, transactions={})
    profiles.set(2, profile(3, stack=1), LIMITS, transactions={})
    external = profile(4, purpose="ChargingStationExternalConstraints")
    profiles.installed[4] = (0, copy.deepcopy(external))
    assert profiles.clear({"chargingProfileId": 1}) == {"status": "Accepted"}  # K10.FR.03
    assert profiles.clear({"chargingProfileId": 1}) == {"status": "Unknown"}  # K10.FR.01
    assert profiles.clear({"chargingProfileId": 4}) == {"status": "Unknown"}  # K10.FR.09
    assert profiles.clear({"chargingProfileCriteria": {"evseId": 2, "stackLevel": 1}}) == {"status": "Accepted"}
    assert set(profiles.installed) == {2, 4}
    assert profiles.clear({"chargingProfileCriteria": {"chargingProfilePurpose": "TxProfile"}}) == \
        {"status": "Unknown"}  # K10.FR.01
    assert profiles.clear({"chargingProfileCriteria": {"evseId": 0}}) == {"status": "Unknown"}  # K10.FR.08
    assert set(profiles.installed) == {2, 4}
