"""Charging profiles of the reference Charging Station: K01 (SetChargingProfile) and K10
(ClearChargingProfile), pure logic, no I/O.

The minimum a station that claims Smart Charging must do with these two messages: judge a
SetChargingProfileRequest against the K01 requirements a station can judge, answer Accepted or
Rejected (with a reason code from the Part 2 appendix list), keep accepted profiles (the caller
stores :attr:`ChargingProfiles.installed` in its persistent state, K01.FR.27), replace a profile
with the same id (K01.FR.05), and clear profiles by id or by criteria (K10). The reference station
has no power path of its own, so there is no composite schedule to recompute (K01.FR.07,
K10.FR.05): the stored profiles are what a CSMS can set, replace and clear.
"""

from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable, Mapping

EXTERNAL = "ChargingStationExternalConstraints"
_EARLIEST = datetime.min.replace(tzinfo=timezone.utc)
_LATEST = datetime.max.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class Limits:
    """What the station supports, as its SmartChargingCtrlr variables say (Part 2 §2.9)."""

    rate_units: tuple[str, ...]  # SmartChargingCtrlr.RateUnit
    max_stack_level: int  # SmartChargingCtrlr.ProfileStackLevel
    periods_per_schedule: int  # SmartChargingCtrlr.PeriodsPerSchedule
    max_entries: int  # maxLimit of SmartChargingCtrlr.Entries[ChargingProfiles]
    phase_switching: bool = False  # SmartChargingCtrlr.ACPhaseSwitchingSupported (not implemented: False)


def _instant(value: str | None, default: datetime) -> datetime:
    if value is None:
        return default
    moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def _overlap(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Whether the validity periods (validFrom / validTo, open when absent) of two profiles overlap."""
    start = max(_instant(a.get("validFrom"), _EARLIEST), _instant(b.get("validFrom"), _EARLIEST))
    end = min(_instant(a.get("validTo"), _LATEST), _instant(b.get("validTo"), _LATEST))
    return start < end


def _rejected(reason: str, info: str) -> dict[str, Any]:
    return {"status": "Rejected", "statusInfo": {"reasonCode": reason, "additionalInfo": info[:512]}}


class ChargingProfiles:
    """The installed charging profiles: profile id -> (evseId, ChargingProfileType as received)."""

    def __init__(self, evse_ids: Iterable[int], installed: dict[int, tuple[int, dict[str, Any]]] | None = None) -> None:
        """``installed``: the dict to keep the profiles in (shared, e.g. the station's persistent state)."""
        self.evse_ids = frozenset(evse_ids)
        self.installed: dict[int, tuple[int, dict[str, Any]]] = installed if installed is not None else {}

    def __len__(self) -> int:
        return len(self.installed)

    # ------------------------------------------------------------------ K01
    def set(self, evse_id: int, profile: Mapping[str, Any], limits: Limits, *,
            transactions: Mapping[int, str]) -> dict[str, Any]:
        """SetChargingProfileResponse payload for a (schema-valid) request; stores the profile when
        accepted. ``transactions``: evseId -> transactionId of the active transactions."""
        try:
            problem = self._judge(evse_id, profile, limits, transactions)
        except ValueError as exc:  # a validFrom / validTo that is not a date-time
            problem = _rejected("InvalidValue", str(exc))
        if problem is not None:
            return problem
        self.installed[profile["id"]] = (evse_id, copy.deepcopy(dict(profile)))
        return {"status": "Accepted"}

    def _judge(self, evse_id: int, profile: Mapping[str, Any], limits: Limits,
               transactions: Mapping[int, str]) -> dict[str, Any] | None:
        purpose, kind = profile["chargingProfilePurpose"], profile["chargingProfileKind"]
        profile_id, stack_level = profile["id"], profile["stackLevel"]
        if evse_id != 0 and evse_id not in self.evse_ids:
            return _rejected("UnknownEvse", f"EVSE {evse_id} does not exist")  # K01.FR.28
        if purpose == EXTERNAL:
            return _rejected("InvalidProfile", "ChargingStationExternalConstraints is not set by the CSMS")  # K01.FR.22
        existing = self.installed.get(profile_id)
        if existing is not None and existing[1]["chargingProfilePurpose"] == EXTERNAL:
            return _rejected("InvalidProfile", "an external constraints profile cannot be replaced")  # K01.FR.05
        if purpose == "ChargingStationMaxProfile":
            if evse_id != 0:
                return _rejected("UnknownEvse", "a ChargingStationMaxProfile applies to evseId 0")
            if kind == "Relative":
                return _rejected("InvalidProfile", "a ChargingStationMaxProfile cannot be Relative")  # K01.FR.38
        if purpose == "TxProfile":
            if evse_id == 0:
                return _rejected("UnknownEvse", "a TxProfile needs an evseId > 0")  # K01.FR.16
            active = transactions.get(evse_id)
            if active is None:
                return _rejected("TxNotFound", f"no transaction is active on EVSE {evse_id}")  # K01.FR.09
            if profile.get("transactionId") != active:
                return _rejected("UnknownTxId", "transactionId is not the transaction on that EVSE")  # K01.FR.33
        elif "transactionId" in profile:
            return _rejected("InvalidProfile", "transactionId belongs to a TxProfile only")
        if stack_level > limits.max_stack_level:
            return _rejected("InvalidStackLevel", f"stackLevel > ProfileStackLevel {limits.max_stack_level}")
        schedules = profile["chargingSchedule"]
        if len(schedules) != 1:
            return _rejected("TooManyElements", "one chargingSchedule per profile without ISO 15118")  # K01.FR.34
        problem = self._judge_schedule(schedules[0], kind, profile, limits)
        if problem is not None:
            return problem
        for other_id, (other_evse, other) in self.installed.items():
            if other_id == profile_id or other["chargingProfilePurpose"] != purpose \
                    or other["stackLevel"] != stack_level:
                continue
            if purpose == "TxDefaultProfile" and (other_evse == 0) != (evse_id == 0):
                return _rejected("DuplicateProfile", f"TxDefaultProfile {other_id} has this stackLevel on "
                                                     f"EVSE {other_evse}")  # K01.FR.52 / K01.FR.53
            same_target = other.get("transactionId") == profile.get("transactionId") if purpose == "TxProfile" \
                else other_evse == evse_id
            if same_target and _overlap(other, profile):  # K01.FR.06 / K01.FR.39: not valid at the same time
                return _rejected("DuplicateProfile", f"profile {other_id} has this purpose and stackLevel")
        if profile_id not in self.installed and len(self.installed) >= limits.max_entries:
            return _rejected("OutOfStorage", f"at most {limits.max_entries} charging profiles")
        return None

    @staticmethod
    def _judge_schedule(schedule: Mapping[str, Any], kind: str, profile: Mapping[str, Any],
                        limits: Limits) -> dict[str, Any] | None:
        if schedule["chargingRateUnit"] not in limits.rate_units:
            return _rejected("UnsupportedRateUnit", f"RateUnit is {','.join(limits.rate_units)}")  # K01.FR.26
        if kind in ("Absolute", "Recurring") and "startSchedule" not in schedule:
            return _rejected("InvalidSchedule", f"a {kind} profile needs startSchedule")  # K01.FR.40
        if kind == "Relative" and "startSchedule" in schedule:
            return _rejected("InvalidSchedule", "a Relative profile has no startSchedule")  # K01.FR.41
        if kind == "Recurring" and "recurrencyKind" not in profile:
            return _rejected("InvalidProfile", "a Recurring profile needs recurrencyKind")
        periods = schedule["chargingSchedulePeriod"]
        if len(periods) > limits.periods_per_schedule:
            return _rejected("TooManyElements", f"more than PeriodsPerSchedule {limits.periods_per_schedule}")
        starts = [p["startPeriod"] for p in periods]
        if starts[0] != 0:
            return _rejected("InvalidSchedule", "the first startPeriod is not 0")  # K01.FR.31
        if any(b <= a for a, b in itertools.pairwise(starts)):
            return _rejected("InvalidSchedule", "startPeriod values do not increase")  # K01.FR.35
        for period in periods:
            if period["limit"] < 0:
                return _rejected("ValuePositiveOnly", "a negative limit")
            # K01.FR.19 / K01.FR.48: phaseToUse only with numberPhases 1 and phase switching (not implemented)
            if "phaseToUse" in period and (period.get("numberPhases") != 1 or not limits.phase_switching):
                return _rejected("UnsupportedParam", "phaseToUse is not supported")
        return None

    # ------------------------------------------------------------------ K10
    def clear(self, request: Mapping[str, Any]) -> dict[str, Any]:
        """ClearChargingProfileResponse payload; removes the matching profiles (never external ones)."""
        profile_id = request.get("chargingProfileId")
        if profile_id is not None:
            found = self.installed.get(profile_id)
            if found is None or found[1]["chargingProfilePurpose"] == EXTERNAL:
                return {"status": "Unknown"}  # K10.FR.01 / K10.FR.09
            del self.installed[profile_id]
            return {"status": "Accepted"}  # K10.FR.03
        criteria = request.get("chargingProfileCriteria") or {}
        matching = [pid for pid, (evse, profile) in self.installed.items()
                    if profile["chargingProfilePurpose"] != EXTERNAL
                    and ("evseId" not in criteria or criteria["evseId"] == evse)
                    and ("chargingProfilePurpose" not in criteria
                         or criteria["chargingProfilePurpose"] == profile["chargingProfilePurpose"])
                    and ("stackLevel" not in criteria or criteria["stackLevel"] == profile["stackLevel"])]
        if not matching:
            return {"status": "Unknown"}  # K10.FR.01 / K10.FR.08
        for pid in matching:
            del self.installed[pid]
        return {"status": "Accepted"}  # K10.FR.04
