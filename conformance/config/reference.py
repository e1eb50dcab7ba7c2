"""The built-in reference setups: what ``ocpp-conformance run`` uses with no target.

The harness starts the reference SUT in-process; short timings for fast self-tests; a 2-EVSE topology; the
full PICS; every id token role. Written as TOML-shaped data (``fixtures/reference-<role>.toml`` spells out the
same; tests/test_config.py checks that they are equal): a key not given here takes its dataclass default, or
its ``reference_default`` (the reference setups have ``reference = true``).
"""

from __future__ import annotations

from typing import Any

from .model import CERTIFICATION_PROFILES, FULL_FEATURES, ROLES, Config, feature_sort_key
from .schema import ConfigError, build, choices_text

# Part 5 Appendix B (hardware) and Appendix A (additional questions) of the reference SUTs.
REFERENCE_HARDWARE: dict[str, dict[str, bool | int | str]] = {
    "station": {
        "HFS-1": True,  # detachable cable
        "HFS-2": False,  # fixed cable
        "HFS-3": True,  # AC charging
        "HFS-4": False,  # DC charging
        "HFS-5": True,  # single-phase
        "HFS-6": False,  # two-phase
        "HFS-7": True,  # three-phase
        "HFS-8": 2,  # number of EVSEs (= the [[evse]] tables)
        "HFS-9": "Ethernet",  # communication technology
        "HFS-10": True,  # RFID reader
    },
    "csms": {},
}
REFERENCE_ANSWERS: dict[str, dict[str, bool | int | str]] = {
    "station": {
        "AQ-1": False, "AQ-2": False, "AQ-3": False, "AQ-4": True, "AQ-5": False,
        "AQ-6": False, "AQ-7": True, "AQ-8": False, "AQ-9": True,
        "AQ-10": False, "AQ-11": False, "AQ-18": True,  # Part 5 errata 5.5, 5.6, 5.2
    },
    # CSMS ids as renumbered by Part 5 errata 5.22/5.23 (formerly AQ-1, AQ-2, AQ-6).
    "csms": {"AQ-17": True, "AQ-12": True, "AQ-16": True},
}

#: Part 6 <Configured ...> values of the station cases, short for the reference SUTs.
REFERENCE_STATION_VALUES: dict[str, Any] = {"offline_threshold": 3, "retry_back_off_wait_minimum": 2,
                                            "unsupported_component_criteria": "Active",
                                            "long_operation_timeout": 40.0,
                                            "message_attempts_transaction_event_interval": 1,
                                            # block J: short meter value intervals (helper j)
                                            "aligned_data_interval": 2, "aligned_data_tx_ended_interval": 2,
                                            "sampled_data_tx_updated_interval": 1,
                                            "sampled_data_tx_ended_interval": 1}

#: How long the built-in reference station waits for the answer to its own requests (its OCPPCommCtrlr.MessageTimeout,
#: Part 2 §2.1.3; E13: an unanswered TransactionEventRequest is retried after it): shorter than the harness's
#: ``timing.message_timeout`` (it is the smaller of the two), so that the E13 retry cases do not wait 5 s per
#: unanswered transmission. The harness answers at once; the cases read the station's MessageTimeout, so any value a
#: real station has works. Whole seconds: the variable is an integer.
REFERENCE_STATION_MESSAGE_TIMEOUT = 2.0

#: The keys both reference setups share, in the TOML layout.
REFERENCE_COMMON: dict[str, Any] = {
    "reference": True,
    "strict": False,
    "faults": [],
    "connection": {
        "listen_host": "127.0.0.1",
        "listen_port": 0,  # ephemeral: the harness binds a free port and tells the reference SUT
        "path": "/ocpp",
        "identity": "CS001",
        "password": "reference-password-01",
        "security_profile": 1,
    },
    "evse": [{"id": 1, "connectors": [1]}, {"id": 2, "connectors": [1]}],
    "id_tokens": {
        "valid": {"id_token": "A1B2C3D4", "type": "ISO14443", "group_id_token": "GROUP-A"},
        "invalid": {"id_token": "BADBAD01", "type": "ISO14443"},
        "blocked": {"id_token": "B10C0ED1", "type": "ISO14443"},
        "expired": {"id_token": "DEADBEEF", "type": "ISO14443"},
        "master_pass": {"id_token": "0A57E201", "type": "ISO14443", "group_id_token": "MASTERPASS"},
        "group": {"id_token": "A1B2C3D5", "type": "ISO14443", "group_id_token": "GROUP-A"},
    },
    "timing": {  # short: the reference SUTs answer at once (reconnect_gap, operator_think_time: 0 by reference = true)
        "message_timeout": 5.0,
        "connect_timeout": 10.0,
        "action_timeout": 10.0,
        "case_time_limit": 60.0,
        "heartbeat_interval": 2,
        "boot_retry_interval": 1,
        "max_time_deviation": 0.5,  # keeps the boot-retry negative control (fixrecheck)
        "time_scale": 1.0,
    },
    "pics": {
        "profiles": list(CERTIFICATION_PROFILES),
        "features": sorted(FULL_FEATURES, key=feature_sort_key),
    },
    "actions": {"backend": "reference"},
    "station_values": REFERENCE_STATION_VALUES,
}

#: What differs between the two reference setups, merged over REFERENCE_COMMON table by table.
REFERENCE_BY_ROLE: dict[str, dict[str, Any]] = {
    "station": {
        "role": "station",
        "name": "reference Charging Station",
        "pics": {"hardware": REFERENCE_HARDWARE["station"], "answers": REFERENCE_ANSWERS["station"]},
        # The reference station decides on a lock failure at once: TC_G_20_CS need not watch its 60 s
        # EVConnectionTimeOut for a start of charging.
        "configured": {"lock_failure_watch": 2.0, "ev_connection_timeout": 2},
    },
    "csms": {
        "role": "csms",
        "name": "reference CSMS",
        "connection": {"extra_stations": [{"identity": "CS002", "password": "reference-password-02"}]},
        "pics": {"hardware": REFERENCE_HARDWARE["csms"], "answers": REFERENCE_ANSWERS["csms"]},
        # The harness station's own EV connection timeout (TC_E_39_CSMS): short, the reference CSMS waits for nothing.
        "configured": {"ev_connection_timeout": 0.5},
    },
}


def reference_data(role: str) -> dict[str, Any]:
    """The reference setup of ``role`` as TOML-shaped data."""
    data = dict(REFERENCE_COMMON)
    for key, value in REFERENCE_BY_ROLE[role].items():
        data[key] = {**data[key], **value} if isinstance(value, dict) and isinstance(data.get(key), dict) else value
    return data


def default_config(role: str) -> Config:
    """The built-in reference setup for ``role`` ("station" or "csms"): the harness starts
    the reference SUT in-process; short timings for fast self-tests; a 2-EVSE topology; the
    full PICS; every id token role. ``fixtures/reference-<role>.toml`` spells out the same."""
    return reference_config(role)


def reference_config(role: str, model: type = Config) -> Any:
    """The reference setup of ``role`` as an instance of ``model`` (Config or a subclass with keys of its own:
    those take their defaults)."""
    if role not in ROLES:
        raise ConfigError([("role", f"must be one of {choices_text(ROLES)}, got {role!r}")])
    return build(model, reference_data(role), reference=True)
