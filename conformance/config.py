"""SUT configuration: one TOML file per SUT, overridable by environment variables and CLI options.

Precedence, lowest first: built-in defaults < the TOML file (and its ``pics_file``) <
environment variables ``OCPP_CONFORMANCE_<SECTION>__<KEY>`` < CLI overrides ``key.path=value``.

A configuration is validated completely before anything runs: every problem is collected
with its dotted key (``timing.message_timeout``, ``evse[1].connectors``) and a reason, and
one :class:`ConfigError` lists them all. Loading never raises anything else for bad input.

No value marked secret (passwords, webhook header values, id tokens with ``secret = true``)
is ever echoed in an error message; :meth:`Config.to_dict` replaces them by ``"***"``.

See docs/configuration.md for every key.
"""

from __future__ import annotations

import dataclasses
import difflib
import ipaddress
import math
import os
import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .catalog import PROFILES, load_catalog
from .roles import Role
from .protocol.endpoint import connection_url

__all__ = [
    "ConfigError",
    "IdTokenSpec",
    "IdTokens",
    "Evse",
    "Timing",
    "CaseValues",
    "HarnessStationInfo",
    "REAL_SUT_PACING",
    "StationIdentity",
    "Stations",
    "Connection",
    "Pics",
    "Actions",
    "Config",
    "FrozenDict",
    "load_config",
    "default_config",
    "ENV_PREFIX",
    "ROLES",
    "ID_TOKEN_TYPES",
    "ACTION_BACKENDS",
    "CERTIFICATION_PROFILES",
    "CORE_FEATURES",
    "FULL_FEATURES",
]

ENV_PREFIX = "OCPP_CONFORMANCE_"
ROLES = tuple(role.config for role in Role)  # "station", "csms"
#: IdTokenEnumType (OCPP 2.0.1 Part 2).
ID_TOKEN_TYPES = ("Central", "eMAID", "ISO14443", "ISO15693", "KeyCode", "Local", "MacAddress", "NoAuthorization")
ACTION_BACKENDS = ("reference", "prompt", "shell", "webhook")
SECURITY_PROFILES = (0, 1, 2, 3)
RUNNABLE_SECURITY_PROFILES = (0, 1)
REDACTED = "***"

# Part 4 §3.1.1: the identity is an identifierString (Part 2 §2.1.x) without ':' (it is the
# Basic-auth user name), at most 48 characters.
_IDENTITY_RE = re.compile(r"[A-Za-z0-9*\-_=+|@.]{1,48}")
_IDENTIFIER_CHARS = "a-z A-Z 0-9 * - _ = + | @ ."
# Part 5 ids: features "C-01", "C-06.1", "AS-2", "UI-1.3"; hardware "HFS-8"; questions "AQ-2".
_FEATURE_RE = re.compile(r"[A-Z]{1,3}-\d{1,3}(?:\.\d{1,2})?")
_HARDWARE_RE = re.compile(r"HFS-\d{1,2}")
_QUESTION_RE = re.compile(r"AQ-\d{1,2}(?:\.\d{1,2})?")  # AQ-13.1: Part 5 errata 5.21/5.22
_FAULT_RE = re.compile(r"[a-z0-9][a-z0-9_.\-]*")
_HEADER_NAME_RE = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z\-]+")
_HOSTNAME_RE = re.compile(
    r"(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?)*"
)
_PATH_RE = re.compile(r"(?:/[A-Za-z0-9\-._~!$&'()*+,;=:@%]+)*")
_ID_TOKEN_MAX = 36  # IdTokenType.idToken: string[0..36]
_PASSWORD_MIN, _PASSWORD_MAX = 16, 40  # Part 2 BasicAuthPassword / Part 4 §3.1.1

# ---------------------------------------------------------------------------------------
# Part 5 vocabulary and the PICS of the built-in reference SUTs. The catalog
# (conformance/catalog) is the authority on Part 5; these constants must stay in step with it
# and with fixtures/pics/*.toml (tests/test_config.py checks both).
# ---------------------------------------------------------------------------------------

#: The certification profiles of Part 5.
CERTIFICATION_PROFILES: tuple[str, ...] = PROFILES
#: Every optional feature of every profile (Part 5 §3), both roles; not the hardware ids (HFS-n).
FULL_FEATURES: frozenset[str] = frozenset(f for f in load_catalog().features if not f.startswith("HFS-"))
#: The optional features of the Core profile.
CORE_FEATURES: frozenset[str] = frozenset(f for f in FULL_FEATURES if f.startswith("C-"))
# Part 5 Appendix B (hardware) and Appendix A (additional questions) of the reference SUTs.
_REFERENCE_HARDWARE: dict[str, dict[str, bool | int | str]] = {
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
_REFERENCE_ANSWERS: dict[str, dict[str, bool | int | str]] = {
    "station": {
        "AQ-1": False, "AQ-2": False, "AQ-3": False, "AQ-4": True, "AQ-5": False,
        "AQ-6": False, "AQ-7": True, "AQ-8": False, "AQ-9": True,
        "AQ-10": False, "AQ-11": False, "AQ-18": True,  # Part 5 errata 5.5, 5.6, 5.2
    },
    # CSMS ids as renumbered by Part 5 errata 5.22/5.23 (formerly AQ-1, AQ-2, AQ-6).
    "csms": {"AQ-17": True, "AQ-12": True, "AQ-16": True},
}


# ---------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------


class ConfigError(Exception):
    """A configuration that must not run. ``problems`` is a list of (dotted key, reason)."""

    def __init__(self, problems: Sequence[tuple[str, str]] | str, reason: str | None = None) -> None:
        if isinstance(problems, str):
            problems = [(problems, reason or "invalid")]
        self.problems: list[tuple[str, str]] = [(str(k), str(r)) for k, r in problems]
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(f"{key}: {reason}" if key else reason for key, reason in self.problems)


# ---------------------------------------------------------------------------------------
# The configuration model
# ---------------------------------------------------------------------------------------


class FrozenDict(Mapping[str, Any]):
    """A read-only, hashable mapping (so that a Config is immutable and hashable)."""

    __slots__ = ("_d", "_h")

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        self._d = dict(data or {})
        self._h: int | None = None

    def __getitem__(self, key: str) -> Any:
        return self._d[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._d)

    def __len__(self) -> int:
        return len(self._d)

    def __hash__(self) -> int:
        if self._h is None:
            self._h = hash(frozenset(self._d.items()))
        return self._h

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self._d == dict(other.items())
        return NotImplemented

    def __repr__(self) -> str:
        return f"FrozenDict({self._d!r})"


def _freeze(obj: Any, name: str, kind: type) -> None:
    value = getattr(obj, name)
    if kind is FrozenDict and not isinstance(value, FrozenDict):
        object.__setattr__(obj, name, FrozenDict(value))
    elif kind is tuple and not isinstance(value, tuple):
        object.__setattr__(obj, name, tuple(value))
    elif kind is frozenset and not isinstance(value, frozenset):
        object.__setattr__(obj, name, frozenset(value))


@dataclass(frozen=True)
class IdTokenSpec:
    """One idToken the harness presents (SUT = station) or the SUT's CSMS must know (SUT = CSMS)."""

    id_token: str
    type: str = "ISO14443"
    group_id_token: str | None = None
    secret: bool = False  # true: the id_token value is redacted in reports

    def to_ocpp(self) -> dict[str, str]:
        """The IdTokenType payload ``{"idToken": ..., "type": ...}``."""
        return {"idToken": self.id_token, "type": self.type}


@dataclass(frozen=True)
class IdTokens:
    valid: IdTokenSpec
    invalid: IdTokenSpec
    blocked: IdTokenSpec | None = None
    expired: IdTokenSpec | None = None
    master_pass: IdTokenSpec | None = None
    group: IdTokenSpec | None = None

    def items(self) -> list[tuple[str, IdTokenSpec]]:
        """The configured tokens, by role name, in declaration order."""
        return [(n, getattr(self, n)) for n in _ID_TOKEN_ROLES if getattr(self, n) is not None]


_ID_TOKEN_ROLES = ("valid", "invalid", "blocked", "expired", "master_pass", "group")


@dataclass(frozen=True)
class Evse:
    id: int
    connectors: tuple[int, ...] = (1,)

    def __post_init__(self) -> None:
        _freeze(self, "connectors", tuple)


@dataclass(frozen=True)
class Timing:
    message_timeout: float = 30.0
    connect_timeout: float = 60.0
    action_timeout: float = 120.0
    case_time_limit: float = 300.0
    heartbeat_interval: int = 300
    boot_retry_interval: int = 30
    max_time_deviation: float = 4.0  # Part 6 §2.1: the certification labs configure 4 s
    time_scale: float = 1.0
    # The harness as a well-behaved peer (issue 8 §2). Both default to REAL_SUT_PACING for a real SUT and to 0 in
    # the reference setups (``reference = true``), where nobody needs to be waited for.
    reconnect_gap: float = 1.0  # at least this long between closing a harness station's connection and reopening it
    operator_think_time: float = 1.0  # at least this long between a SUT response and the next operator instruction

    def scaled(self, seconds: float) -> float:
        """A wait or timeout as it applies in this run: ``seconds * time_scale``."""
        return seconds * self.time_scale


# --------------------------------------------------------------------------- [station_values] (helper fixbcs)
# Part 6 "<Configured ...>" values of the Charging Station cases that are not timing, topology or tokens: what a lab
# enters in its test tool for the station under test. Defaults are documented in docs/configuration.md.
@dataclass(frozen=True)
class StationValues:
    offline_threshold: int = 10  # <Configured offlineThreshold> (TC_B_11, TC_B_51, TC_B_52); > 2
    retry_back_off_wait_minimum: int = 10  # <Configured RetryBackOffWaitMinimum> (TC_B_49, TC_B_57)
    unsupported_component_criteria: str = ""  # <Configured Unsupported componentCriteria> (TC_B_19); "" = none
    configuration_slot: int = 1  # <Configured configurationSlot> (TC_B_43..50)
    configuration_slot2: int = 2  # <Configured configurationSlot2>
    ocpp_interface: str = ""  # <Configured ocppInterface>; "" = Wired0, or Wireless0 when PICS HFS-9 says wireless
    ocpp_interface2: str = ""  # <Configured ocppInterface2>; "" = as ocpp_interface
    second_endpoint_host: str = ""  # host in <Configured connectionData2>; "" = listen host (wildcard: this FQDN)
    second_endpoint_port: int = 0  # its port; 0 = a free port
    long_operation_timeout: float = 240.0  # <Configured Long Operation Time Out> (TC_B_46, TC_B_49)
    transaction_duration: float = 0.0  # <Configured Transaction Duration> (reusable state StopAuthorized)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


REFERENCE_STATION_VALUES: dict[str, Any] = {"offline_threshold": 3, "retry_back_off_wait_minimum": 1,
                                            "unsupported_component_criteria": "Active",
                                            "long_operation_timeout": 40.0}
STATION_VALUES_SCHEMA: dict[str, str] = {
    "offline_threshold": "int", "retry_back_off_wait_minimum": "int", "unsupported_component_criteria": "str",
    "configuration_slot": "int", "configuration_slot2": "int", "ocpp_interface": "str", "ocpp_interface2": "str",
    "second_endpoint_host": "str", "second_endpoint_port": "int", "long_operation_timeout": "float",
    "transaction_duration": "float"}
_COMPONENT_CRITERIA = ("Active", "Available", "Enabled", "Problem")
_OCPP_INTERFACES = ("Wired0", "Wired1", "Wired2", "Wired3", "Wireless0", "Wireless1", "Wireless2", "Wireless3")


def read_station_values(checker: Any, raw: Mapping[str, Any]) -> Any:
    """The [station_values] table, validated (``checker``: the config checker; problems are reported on it)."""
    path = ("station_values",)
    table = checker.table(raw, "station_values", path, list(STATION_VALUES_SCHEMA))
    d = StationValues()
    v: dict[str, Any] = {}
    v["offline_threshold"] = checker.integer(table, "offline_threshold", path, d.offline_threshold, 3, None,
                                             "a whole number of seconds >= 3 (TC_B_52 waits 2 s less)")
    v["retry_back_off_wait_minimum"] = checker.integer(table, "retry_back_off_wait_minimum", path,
                                                       d.retry_back_off_wait_minimum, 0, None,
                                                       "a whole number of seconds >= 0")
    for key in ("configuration_slot", "configuration_slot2"):
        v[key] = checker.integer(table, key, path, getattr(d, key), 0, None, "a configuration slot number >= 0")
    v["second_endpoint_port"] = checker.integer(table, "second_endpoint_port", path, d.second_endpoint_port, 0,
                                                65535, "a TCP port (0 = a free port)")
    for key in ("long_operation_timeout", "transaction_duration"):
        v[key] = checker.number(table, key, path, getattr(d, key), allow_zero=key == "transaction_duration")
    for key in ("unsupported_component_criteria", "ocpp_interface", "ocpp_interface2", "second_endpoint_host"):
        v[key] = checker.string(table, key, path, getattr(d, key), allow_empty=True)
    criterion = v["unsupported_component_criteria"]
    if isinstance(criterion, str) and criterion and criterion not in _COMPONENT_CRITERIA:
        checker.err((*path, "unsupported_component_criteria"),
                    f"must be a ComponentCriterionEnumType value ({', '.join(_COMPONENT_CRITERIA)}) or empty, "
                    f"got {criterion!r}")
        v["unsupported_component_criteria"] = _MISSING
    for key in ("ocpp_interface", "ocpp_interface2"):
        if isinstance(v[key], str) and v[key] and v[key] not in _OCPP_INTERFACES:
            checker.err((*path, key), f"must be an OCPPInterfaceEnumType value ({', '.join(_OCPP_INTERFACES)}) or "
                                      f"empty, got {v[key]!r}")
            v[key] = _MISSING
    if isinstance(v["configuration_slot"], int) and v["configuration_slot"] == v["configuration_slot2"]:
        checker.err((*path, "configuration_slot2"), "must differ from configuration_slot")
        v["configuration_slot2"] = _MISSING
    if any(x is _MISSING for x in v.values()):
        return _MISSING
    return StationValues(**v)
# --------------------------------------------------------------------------- end of [station_values]


#: The default of ``timing.reconnect_gap`` and ``timing.operator_think_time`` for a real SUT (0 with reference = true).
REAL_SUT_PACING = 1.0


@dataclass(frozen=True)
class HarnessStationInfo:
    """How the harness's Charging Station describes itself in BootNotificationRequest.chargingStation when the SUT
    is a CSMS (Part 6 <Configured model> / <Configured vendorName>): a CSMS that accepts only registered hardware
    is told the values it knows. serialNumber / firmwareVersion are sent only when configured."""

    vendor_name: str = "OpenConformance"
    model: str = "HarnessStation"
    serial_number: str | None = None
    firmware_version: str | None = None

    def charging_station(self) -> dict[str, str]:
        """The ChargingStationType of a BootNotificationRequest."""
        out = {"model": self.model, "vendorName": self.vendor_name}
        if self.serial_number is not None:
            out["serialNumber"] = self.serial_number
        if self.firmware_version is not None:
            out["firmwareVersion"] = self.firmware_version
        return out


# ChargingStationType field limits (the BootNotificationRequest schema): TOML key -> (OCPP field, maxLength).
_HARNESS_STATION_FIELDS = {"vendor_name": ("vendorName", 50), "model": ("model", 20),
                           "serial_number": ("serialNumber", 25), "firmware_version": ("firmwareVersion", 50)}


@dataclass(frozen=True)
class StationIdentity:
    identity: str
    password: str | None = None


@dataclass(frozen=True)
class Stations:
    """The Charging Stations the harness plays when the SUT is a CSMS: the primary one
    (``connection.identity`` / ``connection.password``) first, then ``connection.extra_stations``."""

    all: tuple[StationIdentity, ...]

    def __post_init__(self) -> None:
        _freeze(self, "all", tuple)

    @property
    def primary(self) -> StationIdentity:
        return self.all[0]

    @property
    def extra(self) -> tuple[StationIdentity, ...]:
        return self.all[1:]

    def __iter__(self) -> Iterator[StationIdentity]:
        return iter(self.all)

    def __len__(self) -> int:
        return len(self.all)

    def __getitem__(self, index: int) -> StationIdentity:
        return self.all[index]


@dataclass(frozen=True)
class Connection:
    listen_host: str = "127.0.0.1"
    listen_port: int = 9000
    path: str = "/ocpp"
    csms_url: str | None = None
    identity: str = "CS001"
    password: str | None = None
    security_profile: int = 1
    extra_stations: tuple[StationIdentity, ...] = ()
    # The largest WebSocket message the harness accepts (bytes); a bigger one is refused with close code 1009
    # and is a finding of the case during which it arrived.
    max_frame_size: int = 4 * 1024 * 1024

    def __post_init__(self) -> None:
        _freeze(self, "extra_stations", tuple)

    @property
    def stations(self) -> Stations:
        """Every station identity the harness uses (SUT = CSMS), the primary one first."""
        return Stations((StationIdentity(self.identity, self.password), *self.extra_stations))

    def station_path(self, identity: str | None = None) -> str:
        """The resource path a station connects to on the harness-as-CSMS: ``<path>/<identity>``."""
        return connection_url(self.path, identity or self.identity)

    def station_url(self, identity: str | None = None, base: str | None = None) -> str:
        """The full OCPP-J URL for a station identity: ``<csms_url>/<identity>``.

        ``base`` replaces ``csms_url`` (e.g. the URL of a reference CSMS on an ephemeral port).
        """
        root = base if base is not None else self.csms_url
        if root is None:
            raise ValueError("connection.csms_url is not set")
        return connection_url(root, identity or self.identity)


@dataclass(frozen=True)
class Pics:
    """The SUT's Part 5 PICS."""

    features: frozenset[str] = frozenset()  # optional feature ids: "C-01", "C-06.1", "AS-2"
    hardware: Mapping[str, bool | int | str] = field(default_factory=FrozenDict)  # Appendix B: "HFS-8": 2
    answers: Mapping[str, bool | int | str] = field(default_factory=FrozenDict)  # Appendix A: "AQ-2": True
    profiles: frozenset[str] = frozenset({"Core"})  # certification profiles claimed (catalog names)

    def __post_init__(self) -> None:
        _freeze(self, "features", frozenset)
        _freeze(self, "hardware", FrozenDict)
        _freeze(self, "answers", FrozenDict)
        _freeze(self, "profiles", frozenset)

    def supports(self, *features: str) -> bool:
        """True when the SUT declares every one of ``features``."""
        return all(f in self.features for f in features)

    def supported(self) -> frozenset[str]:
        """Everything the PICS declares, in the form conformance.catalog.evaluate_features takes:
        feature ids, profile names, hardware ids and question ids that are true (or a non-empty
        string), and every integer fact as "ID=n" (e.g. "HFS-8=2")."""
        out = set(self.features) | set(self.profiles)
        for facts in (self.hardware, self.answers):
            for key, value in facts.items():
                if isinstance(value, bool):
                    if value:
                        out.add(key)
                elif isinstance(value, int):
                    out.add(f"{key}={value}")
                elif value:
                    out.add(key)
        return frozenset(out)


@dataclass(frozen=True)
class Actions:
    backend: str = "reference"
    command: str | None = None
    url: str | None = None
    headers: Mapping[str, str] = field(default_factory=FrozenDict)

    def __post_init__(self) -> None:
        _freeze(self, "headers", FrozenDict)


# --- Part 6 <Configured ...> values of single cases (helper "fixrest", issue 9) -------------------------------
@dataclass(frozen=True)
class CaseValues:
    """The ``<Configured ...>`` values Part 6 leaves to the test setup for single cases (TOML table
    ``[configured]``). ``None``: derived as documented in docs/configuration.md."""

    data_transfer_vendor_id: str = "org.openchargealliance.octt"  # TC_P_02_CSMS <Configured vendorId>
    data_transfer_message_id: str = "OcppConformanceUnusedMessage"  # TC_P_01_CS / TC_P_02_CSMS <Configured messageId>
    charging_profile_id: int | None = None  # TC_P_04_CS <Configured chargingProfileId>; None: an id of the run
    charging_schedule_duration: int = 3600  # TC_P_04_CS <Configured duration>, seconds
    charging_rate_unit: str | None = None  # TC_P_04_CS; None: one SmartChargingCtrlr.RateUnit lists (A first)
    number_phases: int | None = None  # TC_P_04_CS; None: from the PICS hardware (HFS-5/6/7; omitted DC-only)
    network_configuration_slot: int | None = None  # TC_B_42/44_CSMS; None: a slot of the harness station not in use
    network_message_timeout: int | None = None  # None: timing.message_timeout, rounded
    network_ocpp_csms_url: str | None = None  # None: connection.csms_url
    network_ocpp_interface: str | None = None  # None: Wireless0 when PICS HFS-9 names a wireless link, else Wired0
    network_security_profile: int | None = None  # None: connection.security_profile
    lock_failure_watch: float | None = None  # TC_G_20_CS, seconds; None: the station's TxCtrlr.EVConnectionTimeOut
    lock_failure_monitoring_level: int = 9  # TC_G_20_CS prerequisite: the MonitoringLevel (severity 0-9) set if lower

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in dataclasses.asdict(self).items() if v is not None}


_CONFIGURED_KINDS = {"data_transfer_vendor_id": "str", "data_transfer_message_id": "str",
                     "charging_profile_id": "int", "charging_schedule_duration": "int", "charging_rate_unit": "str",
                     "number_phases": "int", "network_configuration_slot": "int", "network_message_timeout": "int",
                     "network_ocpp_csms_url": "str", "network_ocpp_interface": "str",
                     "network_security_profile": "int", "lock_failure_watch": "float",
                     "lock_failure_monitoring_level": "int"}
# --- end of the [configured] block ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Config:
    role: str
    name: str
    reference: bool
    connection: Connection
    evses: tuple[Evse, ...]
    id_tokens: IdTokens
    timing: Timing
    pics: Pics
    actions: Actions
    faults: tuple[str, ...] = ()
    strict: bool = False
    source: str = field(default="<defaults>", compare=False)
    station_values: StationValues = field(default_factory=lambda: StationValues())
    harness_station: HarnessStationInfo = HarnessStationInfo()
    configured: CaseValues = CaseValues()  # [configured] (fixrest)

    def __post_init__(self) -> None:
        _freeze(self, "evses", tuple)
        _freeze(self, "faults", tuple)

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every secret value, for redaction: passwords, webhook header values, secret id tokens."""
        found: list[str] = []
        if self.connection.password:
            found.append(self.connection.password)
        found += [s.password for s in self.connection.extra_stations if s.password]
        found += [v for v in self.actions.headers.values() if v]
        found += [t.id_token for _, t in self.id_tokens.items() if t.secret and t.id_token]
        return tuple(dict.fromkeys(found))

    def evse(self, evse_id: int) -> Evse:
        return self.evses[evse_id - 1]

    def unsupported(self) -> list[str]:
        """Settings that are valid but cannot be run by this version of the harness, one
        ``"dotted.key: reason"`` line each (the ConfigError format); empty when it can run."""
        out = []
        sp = self.connection.security_profile
        if sp == 2 and self.reference and self.role == "station":
            return out  # TLS with a test PKI made at run time (transport/tls.py), the reference station trusting it
        if sp not in RUNNABLE_SECURITY_PROFILES:
            out.append(
                f"connection.security_profile: security profile {sp} needs TLS, which this version "
                "of the harness does not support yet (only profiles 0 and 1 can run; profile 2 only with the "
                "built-in reference Charging Station)"
            )
        return out

    def without_features(self, features: frozenset[str] | set[str]) -> Config:
        """A copy whose PICS does not declare ``features`` (Part 5 feature ids). Unknown ids are a
        ConfigError, so a typo cannot silently leave the PICS unchanged."""
        unknown = sorted(f for f in features if f not in FULL_FEATURES)
        if unknown:
            raise ConfigError([("pics.features", f"unknown Part 5 feature id {f!r}" + (
                f"; did you mean {m[0]!r}?" if (m := difflib.get_close_matches(f, sorted(FULL_FEATURES), n=1)) else ""))
                               for f in unknown])
        return dataclasses.replace(self, pics=dataclasses.replace(self.pics, features=self.pics.features - frozenset(features)))

    def with_csms_url(self, url: str) -> Config:
        """A copy with ``connection.csms_url`` set (e.g. to the URL of the reference CSMS once it
        listens on its ephemeral port). The URL is not validated again."""
        return dataclasses.replace(self, connection=dataclasses.replace(self.connection, csms_url=url))

    def to_dict(self, redact: bool = True) -> dict[str, Any]:
        """A JSON-able snapshot, in the TOML layout, plus ``source``; secrets are ``"***"``
        unless ``redact`` is false."""
        c = self.connection
        d: dict[str, Any] = {
            "role": self.role,
            "name": self.name,
            "reference": self.reference,
            "strict": self.strict,
            "faults": list(self.faults),
            "connection": {
                "listen_host": c.listen_host,
                "listen_port": c.listen_port,
                "path": c.path,
                "csms_url": c.csms_url,
                "identity": c.identity,
                "password": _red(c.password, redact),
                "security_profile": c.security_profile,
                "extra_stations": [
                    {"identity": s.identity, "password": _red(s.password, redact)} for s in c.extra_stations
                ],
                "max_frame_size": c.max_frame_size,
            },
            "evse": [{"id": e.id, "connectors": list(e.connectors)} for e in self.evses],
            "id_tokens": {
                name: {
                    "id_token": _red(tok.id_token, redact and tok.secret),
                    "type": tok.type,
                    "group_id_token": tok.group_id_token,
                    "secret": tok.secret,
                }
                for name, tok in self.id_tokens.items()
            },
            "timing": {
                "message_timeout": self.timing.message_timeout,
                "connect_timeout": self.timing.connect_timeout,
                "action_timeout": self.timing.action_timeout,
                "case_time_limit": self.timing.case_time_limit,
                "heartbeat_interval": self.timing.heartbeat_interval,
                "boot_retry_interval": self.timing.boot_retry_interval,
                "max_time_deviation": self.timing.max_time_deviation,
                "time_scale": self.timing.time_scale,
                "reconnect_gap": self.timing.reconnect_gap,
                "operator_think_time": self.timing.operator_think_time,
            },
            "harness_station": {k: v for k, v in (
                ("vendor_name", self.harness_station.vendor_name), ("model", self.harness_station.model),
                ("serial_number", self.harness_station.serial_number),
                ("firmware_version", self.harness_station.firmware_version)) if v is not None},
            "pics": {
                "profiles": [p for p in CERTIFICATION_PROFILES if p in self.pics.profiles],
                "features": sorted(self.pics.features, key=_feature_sort_key),
                "hardware": dict(self.pics.hardware),
                "answers": dict(self.pics.answers),
            },
            "actions": {
                "backend": self.actions.backend,
                "command": self.actions.command,
                "url": self.actions.url,
                "headers": {k: _red(v, redact) for k, v in self.actions.headers.items()},
            },
            "station_values": self.station_values.to_dict(),
            "configured": self.configured.to_dict(),
            "source": self.source,
        }
        if redact:
            # A secret may also be embedded in a free-text value (a shell command, a URL).
            long_secrets = sorted((s for s in self.secrets if len(s) >= 6), key=len, reverse=True)
            for section, key in _FREE_TEXT:
                holder = d[section] if section else d
                if isinstance(holder.get(key), str):
                    holder[key] = _scrub(holder[key], long_secrets)
        return d


def _feature_sort_key(feature: str) -> tuple[Any, ...]:
    head, _, tail = feature.partition("-")
    return (head != "C", head, *(int(n) if n.isdigit() else 0 for n in tail.split(".")))


def _red(value: str | None, redact: bool) -> str | None:
    return REDACTED if (redact and value) else value


_FREE_TEXT = (("", "name"), ("connection", "csms_url"), ("actions", "command"), ("actions", "url"))


def _scrub(text: str, secrets: Sequence[str]) -> str:
    for s in secrets:
        text = text.replace(s, REDACTED)
    return text


# ---------------------------------------------------------------------------------------
# Built-in reference setups
# ---------------------------------------------------------------------------------------


def default_config(role: str) -> Config:
    """The built-in reference setup for ``role`` ("station" or "csms"): the harness starts
    the reference SUT in-process; short timings for fast self-tests; a 2-EVSE topology; the
    full PICS; every id token role. ``fixtures/reference-<role>.toml`` spells out the same."""
    if role not in ROLES:
        raise ConfigError([("role", f"must be one of {_choices(ROLES)}, got {role!r}")])
    if role == "station":
        name, extra = "reference Charging Station", ()
    else:
        name, extra = "reference CSMS", (StationIdentity("CS002", "reference-password-02"),)
    return Config(
        role=role,
        name=name,
        reference=True,
        connection=Connection(
            listen_host="127.0.0.1",
            listen_port=0,  # ephemeral: the harness binds a free port and tells the reference SUT
            path="/ocpp",
            csms_url=None,
            identity="CS001",
            password="reference-password-01",
            security_profile=1,
            extra_stations=extra,
        ),
        evses=(Evse(1, (1,)), Evse(2, (1,))),
        id_tokens=IdTokens(
            valid=IdTokenSpec("A1B2C3D4", "ISO14443", group_id_token="GROUP-A"),
            invalid=IdTokenSpec("BADBAD01", "ISO14443"),
            blocked=IdTokenSpec("B10C0ED1", "ISO14443"),
            expired=IdTokenSpec("DEADBEEF", "ISO14443"),
            master_pass=IdTokenSpec("0A57E201", "ISO14443", group_id_token="MASTERPASS"),
            group=IdTokenSpec("A1B2C3D5", "ISO14443", group_id_token="GROUP-A"),
        ),
        timing=Timing(
            message_timeout=5.0,
            connect_timeout=10.0,
            action_timeout=10.0,
            case_time_limit=60.0,
            heartbeat_interval=2,
            boot_retry_interval=1,
            max_time_deviation=0.5,
            time_scale=1.0,
            reconnect_gap=0.0,
            operator_think_time=0.0,
        ),
        station_values=StationValues(**REFERENCE_STATION_VALUES),
        pics=Pics(
            features=FULL_FEATURES,
            hardware=FrozenDict(_REFERENCE_HARDWARE[role]),
            answers=FrozenDict(_REFERENCE_ANSWERS[role]),
            profiles=frozenset(CERTIFICATION_PROFILES),
        ),
        actions=Actions(backend="reference"),
        faults=(),
        strict=False,
        source="<defaults>",
        # The reference station decides on a lock failure at once: TC_G_20_CS need not watch its 60 s
        # EVConnectionTimeOut for a start of charging.
        configured=CaseValues(lock_failure_watch=2.0) if role == "station" else CaseValues(),
    )


# ---------------------------------------------------------------------------------------
# Schema: the TOML layout, for unknown-key detection and type-directed override parsing
# ---------------------------------------------------------------------------------------

Path_ = tuple[str | int, ...]

_TOKEN_SCHEMA = {"id_token": "str", "type": "str", "group_id_token": "str", "secret": "bool"}
_SCHEMA: dict[str, Any] = {
    "role": "str",
    "name": "str",
    "reference": "bool",
    "strict": "bool",
    "faults": "list[str]",
    "pics_file": "str",
    "connection": {
        "listen_host": "str",
        "listen_port": "int",
        "path": "str",
        "csms_url": "str",
        "identity": "str",
        "password": "str",
        "security_profile": "int",
        "extra_stations": "list",
        "max_frame_size": "int",
    },
    "evse": "list",
    "id_tokens": {name: _TOKEN_SCHEMA for name in _ID_TOKEN_ROLES},
    "timing": {
        "message_timeout": "float",
        "connect_timeout": "float",
        "action_timeout": "float",
        "case_time_limit": "float",
        "heartbeat_interval": "int",
        "boot_retry_interval": "int",
        "max_time_deviation": "float",
        "time_scale": "float",
        "reconnect_gap": "float",
        "operator_think_time": "float",
    },
    "harness_station": {"vendor_name": "str", "model": "str", "serial_number": "str", "firmware_version": "str"},
    "pics": {"profiles": "list[str]", "features": "list[str]", "hardware": "map", "answers": "map"},
    "actions": {"backend": "str", "command": "str", "url": "str", "headers": "map[str]"},
    "configured": _CONFIGURED_KINDS,
}
_SCHEMA["station_values"] = STATION_VALUES_SCHEMA
_PICS_FILE_SCHEMA = _SCHEMA["pics"]


def _kind(path: Sequence[str]) -> str | None:
    """The schema kind at ``path`` ("str", "int", ..., "table", "map", "map-value", ...), or None."""
    if len(path) == 2 and path[0] == "id_tokens" and path[1] in _ID_TOKEN_ROLES:
        return "token"
    node: Any = _SCHEMA
    for i, part in enumerate(path):
        if node == "map":
            return "map-value" if i == len(path) - 1 else None
        if node == "map[str]":
            return "str" if i == len(path) - 1 else None
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return "table" if isinstance(node, dict) else node


def _fmt(path: Sequence[str | int]) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


def _choices(values: Sequence[Any]) -> str:
    return ", ".join(repr(v) for v in values)


def _suggest(word: str, candidates: Sequence[str]) -> str:
    match = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"; did you mean {match[0]!r}?" if match else f" (known keys: {', '.join(sorted(candidates))})"


# ---------------------------------------------------------------------------------------
# Layers: parsed sources with provenance
# ---------------------------------------------------------------------------------------


class _Layers:
    """Deep-merges raw TOML-shaped dicts, remembering which source set each value."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}
        self.origins: dict[tuple[str, ...], str] = {}

    def merge(self, layer: Mapping[str, Any], origin: str | Mapping[tuple[str, ...], str]) -> None:
        self._merge(self.data, _normalize(layer), (), origin)

    def _merge(self, into: dict[str, Any], layer: Mapping[str, Any], prefix: tuple[str, ...], origin: Any) -> None:
        for key, value in layer.items():
            path = (*prefix, key)
            if isinstance(value, Mapping) and isinstance(into.get(key), dict):
                self._merge(into[key], value, path, origin)
                continue
            into[key] = _copy(value)
            for p in [p for p in self.origins if p[: len(path)] == path]:
                del self.origins[p]
            if isinstance(origin, str):
                self.origins[path] = origin
            else:
                label = _lookup(origin, path)
                if label is not None:
                    self.origins[path] = label
                for p, lab in origin.items():  # a new subtree: keep its leaves' origins
                    if len(p) > len(path) and p[: len(path)] == path:
                        self.origins[p] = lab

    def origin(self, path: Sequence[str | int]) -> str | None:
        # only the leading string parts are tracked (lists are replaced as a whole)
        keys: list[str] = []
        for p in path:
            if isinstance(p, int):
                break
            keys.append(p)
        for n in range(len(keys), 0, -1):
            label = self.origins.get(tuple(keys[:n]))
            if label is not None:
                return label
        # a table made only by deeper settings (e.g. an unknown section set by a variable)
        below = {lab for p, lab in self.origins.items() if p[: len(keys)] == tuple(keys) and lab}
        return below.pop() if len(below) == 1 else None


def _normalize(layer: Mapping[str, Any]) -> Mapping[str, Any]:
    """Expand shorthands so that layers merge key by key: ``id_tokens.valid = "ABC"`` is
    ``[id_tokens.valid] id_token = "ABC"``."""
    tokens = layer.get("id_tokens")
    if not isinstance(tokens, Mapping) or not any(isinstance(v, str) for v in tokens.values()):
        return layer
    out = dict(layer)
    out["id_tokens"] = {k: ({"id_token": v} if isinstance(v, str) else v) for k, v in tokens.items()}
    return out


def _lookup(origins: Mapping[tuple[str, ...], str], path: tuple[str, ...]) -> str | None:
    for n in range(len(path), 0, -1):
        if path[:n] in origins:
            return origins[path[:n]]
    return None


def _copy(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _set_path(tree: dict[str, Any], path: Sequence[str], value: Any) -> str | None:
    """Set ``value`` at ``path`` in ``tree``, creating tables; returns an error or None."""
    node = tree
    for i, part in enumerate(path[:-1]):
        nxt = node.get(part)
        if nxt is None:
            nxt = node[part] = {}
        elif not isinstance(nxt, dict):
            return f"{_fmt(path[: i + 1])} is not a table"
        node = nxt
    node[path[-1]] = value
    return None


_KEY_PART_RE = re.compile(r"[A-Za-z0-9_\-]+")


_STRUCTURED = {"table": "an inline table {key = value, ...}", "map": "an inline table {key = value, ...}",
               "map[str]": "an inline table {key = value, ...}", "list": "an array [...]"}


def _parse_value(raw: str, kind: str | None) -> tuple[Any, str | None]:
    """Parse an override value: a TOML value, falling back to the plain string. String-typed
    keys take the text verbatim unless it is a quoted TOML string; list-of-string keys also
    accept ``a,b,c``; an id token takes a token string or an inline table. Returns
    (value, problem); the problem never quotes the value (it may be a secret)."""
    text = raw.strip()
    if kind in ("str", "token"):
        if kind == "token" and text[:1] == "{":
            parsed, err = _toml_value(text)
            return (parsed, None) if err is None else (None, f"must be {_STRUCTURED['table']} or a token: {err}")
        if text[:1] in ("'", '"'):
            parsed, _ = _toml_value(text)
            if isinstance(parsed, str):
                return parsed, None
        return raw, None
    parsed, err = _toml_value(text)
    if err is None:
        if kind == "list[str]" and isinstance(parsed, str):
            return [parsed], None
        return parsed, None
    if kind == "list[str]":
        return [p.strip() for p in text.split(",") if p.strip()], None
    if kind in _STRUCTURED:
        return None, f"must be {_STRUCTURED[kind]} in TOML syntax: {err}"
    return raw, None


def _toml_value(text: str) -> tuple[Any, str | None]:
    try:
        return tomllib.loads(f"v = {text}")["v"], None
    except tomllib.TOMLDecodeError as exc:
        return None, str(exc)
    except (ValueError, KeyError) as exc:
        return None, str(exc)


def _cli_layer(overrides: Sequence[str], problems: list[tuple[str, str]]) -> tuple[dict[str, Any], dict]:
    tree: dict[str, Any] = {}
    origins: dict[tuple[str, ...], str] = {}
    for item in overrides:
        if not isinstance(item, str) or "=" not in item:
            shown = item.split("=")[0] if isinstance(item, str) else repr(item)
            problems.append((shown or "<override>", "an override must look like key.path=value"))
            continue
        key, raw = item.split("=", 1)
        key = key.strip()
        parts = key.split(".")
        if not all(_KEY_PART_RE.fullmatch(p) for p in parts):
            problems.append(
                (key or "<override>", "not a valid key path (dotted names such as timing.message_timeout; "
                 "lists are set as a whole, e.g. evse=[{id=1, connectors=[1]}])")
            )
            continue
        value, why = _parse_value(raw, _kind(parts))
        if why:
            problems.append((key, f"{why} (set on the command line)"))
            continue
        err = _set_path(tree, parts, value)
        if err:
            problems.append((key, f"conflicting overrides: {err}"))
            continue
        origins[tuple(parts)] = "set on the command line"
    return tree, origins


def _env_layer(env: Mapping[str, str], problems: list[tuple[str, str]]) -> tuple[dict[str, Any], dict]:
    tree: dict[str, Any] = {}
    origins: dict[tuple[str, ...], str] = {}
    sections = [k for k, v in _SCHEMA.items() if isinstance(v, dict) or k == "evse"]
    for var in sorted(env):
        if not var.startswith(ENV_PREFIX):
            continue
        rest = var[len(ENV_PREFIX):]
        parts = [p.lower() for p in rest.split("__")]
        if len(parts) == 1 and parts[0] not in _SCHEMA:
            # Not a config key: maybe a typo, maybe a variable of another tool using the prefix.
            head = next((s for s in sections if parts[0].startswith(s + "_")), None)
            if head is not None:
                tail = rest[len(head) + 1:]
                problems.append(
                    (var, f"separate the section from the key with a double underscore: "
                          f"{ENV_PREFIX}{head.upper()}__{tail}")
                )
            elif difflib.get_close_matches(parts[0], list(_SCHEMA), n=1, cutoff=0.8):
                problems.append((var, "unknown configuration variable" + _suggest(parts[0], list(_SCHEMA))))
            continue
        if not all(_KEY_PART_RE.fullmatch(p) for p in parts):
            problems.append((var, "not a valid configuration variable name (OCPP_CONFORMANCE_<SECTION>__<KEY>)"))
            continue
        value, why = _parse_value(env[var], _kind(parts))
        if why:
            problems.append((_fmt(parts), f"{why} (set by {var})"))
            continue
        err = _set_path(tree, parts, value)
        if err:
            problems.append((var, f"conflicts with another variable: {err}"))
            continue
        origins[tuple(parts)] = f"set by {var}"
    return tree, origins


def _read_toml(path: Path, key: str, problems: list[tuple[str, str]]) -> dict[str, Any] | None:
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        problems.append((key, f"file not found: {path}"))
        return None
    except IsADirectoryError:
        problems.append((key, f"is a directory, not a TOML file: {path}"))
        return None
    except UnicodeDecodeError as exc:
        problems.append((key, f"not UTF-8 text ({exc.reason} at byte {exc.start}): {path}"))
        return None
    except OSError as exc:
        problems.append((key, f"cannot read {path}: {exc.strerror or exc}"))
        return None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        problems.append((key, f"not valid TOML: {exc}"))
        return None


# ---------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------


def load_config(
    path: str | Path | None = None,
    *,
    overrides: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
    role: str | None = None,
) -> Config:
    """Load, merge and validate a configuration; raise :class:`ConfigError` listing every problem.

    ``path``: the SUT's TOML file; None starts from :func:`default_config` (``role`` or a
    ``role`` override says which). ``overrides``: ``key.path=value`` strings (CLI).
    ``env``: the environment (default ``os.environ``); ``OCPP_CONFORMANCE_<SECTION>__<KEY>``.
    ``role``: the role the caller needs; a configuration for the other role is an error.
    """
    problems: list[tuple[str, str]] = []
    if role is not None and role not in ROLES:
        raise ConfigError([("role", f"must be one of {_choices(ROLES)}, got {role!r}")])
    env_tree, env_origins = _env_layer(os.environ if env is None else env, problems)
    cli_tree, cli_origins = _cli_layer(overrides, problems)

    layers = _Layers()
    base_dir = Path.cwd()
    if path is None:
        source = "<defaults>"
        wanted = role or cli_tree.get("role") or env_tree.get("role")
        if wanted not in ROLES:
            why = "required: say which kind of SUT to test, 'station' or 'csms'" if wanted is None else (
                f"must be one of {_choices(ROLES)}, got {wanted!r}")
            raise ConfigError([*problems, ("role", why)])
        layers.merge(_raw(default_config(wanted)), "built-in default")
        file_tree: dict[str, Any] = {}
    else:
        file_path = Path(path)
        source = str(path)
        base_dir = file_path.parent
        loaded = _read_toml(file_path, source, problems)
        if loaded is None:
            raise ConfigError(problems)
        file_tree = loaded

    # pics_file: resolved relative to the config file when set there, else to the cwd.
    merged_probe = _Layers()
    merged_probe.merge(file_tree, "file")
    merged_probe.merge(env_tree, env_origins)
    merged_probe.merge(cli_tree, cli_origins)
    pics_file = merged_probe.data.get("pics_file")
    if pics_file is not None:
        if not isinstance(pics_file, str) or not pics_file.strip():
            problems.append(("pics_file", _reason_with_origin(
                f"must be a path to a TOML file, got {_show(pics_file)}", merged_probe.origin(("pics_file",)))))
        else:
            where = merged_probe.origin(("pics_file",))
            pdir = base_dir if where == "file" else Path.cwd()
            ppath = Path(pics_file).expanduser()
            if not ppath.is_absolute():
                ppath = pdir / ppath
            pics_raw = _read_toml(ppath, "pics_file", problems)
            if pics_raw is not None:
                if set(pics_raw) == {"pics"} and isinstance(pics_raw["pics"], dict):
                    pics_raw = pics_raw["pics"]  # a file that kept its [pics] header
                label = f"in pics file {ppath}"
                layers.merge({"pics": pics_raw}, label)

    layers.merge(file_tree, "")  # the file itself: no suffix needed
    layers.merge(env_tree, env_origins)
    layers.merge(cli_tree, cli_origins)
    if role is not None and "role" not in layers.data:
        layers.data["role"] = role

    checker = _Checker(layers, problems)
    found = layers.data.get("role")
    if role is not None and found in ROLES and found != role:
        checker.err(("role",), f"this configuration is for a {found!r} SUT, but a {role!r} run was requested")
    config = checker.build(source)
    if problems or config is None:
        raise ConfigError(problems)
    return config


def _raw(config: Config) -> dict[str, Any]:
    """The TOML-shaped raw form of a config (no secrets redacted, no None values)."""
    d = config.to_dict(redact=False)
    d.pop("source", None)
    return _drop_none(d)


def _drop_none(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _drop_none(v) for k, v in obj.items() if v is not None}
    if isinstance(obj, list):
        return [_drop_none(v) for v in obj]
    return obj


def _show(value: Any) -> str:
    """A value for an error message (type-aware, short)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _what(value: Any) -> str:
    """The type of a value, for messages where the value itself may hold a secret."""
    if isinstance(value, bool):
        return "true" if value else "false"
    for kind, name in ((dict, "a table"), (list, "a list"), (str, "a string"), (int, "an integer"),
                       (float, "a number")):
        if isinstance(value, kind):
            return name
    return f"a {type(value).__name__}"


def _reason_with_origin(reason: str, origin: str | None) -> str:
    return f"{reason} ({origin})" if origin else reason


# ---------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------

_MISSING = object()


class _Checker:
    def __init__(self, layers: _Layers, problems: list[tuple[str, str]]) -> None:
        self.layers = layers
        self.problems = problems

    # -- reporting -----------------------------------------------------------------------

    def err(self, path: Path_, reason: str) -> None:
        self.problems.append((_fmt(path), _reason_with_origin(reason, self.layers.origin(path))))

    # -- primitive readers ---------------------------------------------------------------

    def table(self, parent: Mapping[str, Any], key: str, path: Path_, known: Sequence[str]) -> dict[str, Any]:
        value = parent.get(key, {})
        if not isinstance(value, dict):
            self.err(path, f"must be a table, got {_what(value)}")
            return {}
        self.unknown(value, path, known)
        return value

    def unknown(self, table: Mapping[str, Any], path: Path_, known: Sequence[str]) -> None:
        for key in table:
            if key not in known:
                self.err((*path, key), "unknown key" + _suggest(key, known))

    def string(
        self, table: Mapping[str, Any], key: str, path: Path_, default: Any = _MISSING, *,
        secret: bool = False, allow_empty: bool = False,
    ) -> Any:
        value = table.get(key, default)
        p = (*path, key)
        if value is _MISSING or value is None:  # None only ever comes from the default
            return value
        if not isinstance(value, str):
            self.err(p, f"must be a string, got {'a value of another type' if secret else _show(value)}")
            return _MISSING
        if not value and not allow_empty:
            self.err(p, "must not be empty")
            return _MISSING
        return value

    def boolean(self, table: Mapping[str, Any], key: str, path: Path_, default: Any) -> Any:
        value = table.get(key, default)
        if value is _MISSING or isinstance(value, bool):
            return value
        self.err((*path, key), f"must be true or false, got {_show(value)}")
        return _MISSING

    def integer(self, table: Mapping[str, Any], key: str, path: Path_, default: Any, lo: int | None = None,
                hi: int | None = None, what: str = "an integer") -> Any:
        value = table.get(key, default)
        p = (*path, key)
        if value is _MISSING:
            return value
        if isinstance(value, bool) or not isinstance(value, int):
            self.err(p, f"must be {what}, got {_show(value)}")
            return _MISSING
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            self.err(p, f"must be {what}, got {value}")
            return _MISSING
        return value

    def number(self, table: Mapping[str, Any], key: str, path: Path_, default: float, *,
               allow_zero: bool = False) -> Any:
        value = table.get(key, default)
        p = (*path, key)
        what = "a number >= 0" if allow_zero else "a positive number"
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.err(p, f"must be {what} (seconds), got {_show(value)}")
            return _MISSING
        if not math.isfinite(value):
            self.err(p, f"must be a finite number, got {value}")
            return _MISSING
        if value < 0 or (value == 0 and not allow_zero):
            self.err(p, f"must be {what}, got {value:g}")
            return _MISSING
        return float(value)

    def required(self, path: Path_, why: str = "") -> None:
        self.err(path, "required" + (f": {why}" if why else ""))

    # -- the whole config ----------------------------------------------------------------

    def build(self, source: str) -> Config | None:
        raw = self.layers.data
        self.unknown(raw, (), list(_SCHEMA))
        ok = True

        role = self.string(raw, "role", ())
        if role is _MISSING:
            if "role" not in raw:
                self.required(("role",), "'station' (the SUT is a Charging Station) or 'csms' (the SUT is a CSMS)")
            ok = False
        elif role not in ROLES:
            self.err(("role",), f"must be one of {_choices(ROLES)}, got {_show(role)}{_close(role, ROLES)}")
            ok = False

        name = self.string(raw, "name", ())
        if name is _MISSING:
            if "name" not in raw:
                self.required(("name",), "the SUT's name, shown in reports")
            ok = False
        reference = self.boolean(raw, "reference", (), False)
        strict = self.boolean(raw, "strict", (), False)
        faults = self.faults(raw, reference)
        # pics_file was consumed while loading; its type was checked there.

        connection = self.connection(raw, role if role in ROLES else None, reference)
        evses = self.evses(raw)
        id_tokens = self.id_tokens(raw)
        timing = self.timing(raw, reference)
        harness_station = self.harness_station(raw)
        pics = self.pics(raw, role if role in ROLES else None)
        actions = self.actions(raw, reference)
        station_values = read_station_values(self, raw)

        if isinstance(pics, Pics) and isinstance(evses, tuple):
            count = pics.hardware.get("HFS-8")
            if isinstance(count, int) and not isinstance(count, bool) and count != len(evses):
                self.err(("pics", "hardware", "HFS-8"), f"the number of EVSEs must match the [[evse]] tables "
                                                        f"({len(evses)}), got {count}")
                pics = _MISSING
        parts = (role, name, reference, strict, faults, connection, evses, id_tokens, timing, pics, actions,
                 harness_station, station_values)
        configured = self.configured(raw)  # [configured] (fixrest)
        if not ok or any(p is _MISSING for p in parts) or configured is _MISSING or self.problems:
            return None
        return Config(
            role=role, name=name, reference=reference, connection=connection, evses=evses,
            id_tokens=id_tokens, timing=timing, pics=pics, actions=actions, faults=faults,
            strict=strict, source=source, harness_station=harness_station, station_values=station_values,
            configured=configured,
        )

    # -- [configured] (fixrest) ------------------------------------------------------------

    def configured(self, raw: Mapping[str, Any]) -> Any:
        P: Path_ = ("configured",)
        t = self.table(raw, "configured", P, list(_CONFIGURED_KINDS))
        d = CaseValues()
        v: dict[str, Any] = {}
        for key, kind in _CONFIGURED_KINDS.items():
            default = getattr(d, key)
            if kind == "str":
                v[key] = self.string(t, key, P, default)
            elif kind == "int":
                lo, hi, what = {"number_phases": (1, 3, "1, 2 or 3"),
                                "network_security_profile": (0, 3, "a security profile 0-3"),
                                "lock_failure_monitoring_level": (0, 9, "a severity 0-9")}.get(
                    key, (0, None, "an integer >= 0"))
                v[key] = self.integer(t, key, P, default, lo, hi, what) if key in t or default is not None \
                    else None
            elif key in t or default is not None:
                v[key] = self.number(t, key, P, default if default is not None else 0.0, allow_zero=True)
            else:
                v[key] = None
        unit = v.get("charging_rate_unit")
        if isinstance(unit, str) and unit not in ("A", "W"):
            self.err((*P, "charging_rate_unit"), f"must be one of 'A', 'W', got {_show(unit)}")
            return _MISSING
        if any(x is _MISSING for x in v.values()):
            return _MISSING
        return CaseValues(**v)

    def faults(self, raw: Mapping[str, Any], reference: Any) -> Any:
        value = raw.get("faults", [])
        if not isinstance(value, list):
            self.err(("faults",), f"must be a list of fault names, got {_what(value)}")
            return _MISSING
        out: list[str] = []
        bad = False
        for i, name in enumerate(value):
            if not isinstance(name, str) or not _FAULT_RE.fullmatch(name):
                self.err(("faults", i), f"must be a fault name (lower-case letters, digits, '_', '-', '.'), "
                                        f"got {_show(name)}")
                bad = True
            elif name in out:
                self.err(("faults", i), f"{name!r} is listed twice")
                bad = True
            else:
                out.append(name)
        if out and reference is False:
            self.err(("faults",), "faults can only be switched on in the built-in reference SUT (reference = true)")
            bad = True
        return _MISSING if bad else tuple(out)

    # -- [connection] --------------------------------------------------------------------

    def connection(self, raw: Mapping[str, Any], role: str | None, reference: Any) -> Any:
        P: Path_ = ("connection",)
        t = self.table(raw, "connection", P, list(_SCHEMA["connection"]))
        d = Connection()
        bad = False

        host = self.string(t, "listen_host", P, d.listen_host)
        if host is not _MISSING and not _valid_host(host):
            self.err((*P, "listen_host"), f"must be a host name or an IP address, got {_show(host)}")
            host = _MISSING
        port = self.integer(t, "listen_port", P, d.listen_port, 0, 65535, "a port number 0-65535")
        if role == "station" and reference is False and port == 0:
            self.err((*P, "listen_port"), "a real Charging Station must be told where to connect: set a fixed "
                                          "port 1-65535 (0 = any free port works only with reference = true)")
            port = _MISSING

        path = self.string(t, "path", P, d.path, allow_empty=True)
        if path is not _MISSING:
            if path.endswith("/"):
                self.err((*P, "path"), f"must not end with '/': stations connect to <path>/<identity> "
                                       f"(use \"\" for the root), got {path!r}")
                path = _MISSING
            elif not _PATH_RE.fullmatch(path):
                self.err((*P, "path"), f"must be empty or start with '/' and contain only URL path characters, "
                                       f"got {_show(path)}")
                path = _MISSING

        url = self.string(t, "csms_url", P, None)
        sp = self.integer(t, "security_profile", P, d.security_profile, 0, 3, "0, 1, 2 or 3")
        if isinstance(url, str):
            problem = _check_ws_url(url)
            if problem:
                self.err((*P, "csms_url"), problem)
                url = _MISSING
            elif isinstance(sp, int):
                tls = url.lower().startswith("wss://")
                if sp >= 2 and not tls:
                    self.err((*P, "csms_url"), f"security profile {sp} uses TLS: the URL must start with wss://")
                    url = _MISSING
                elif sp < 2 and tls:
                    self.err((*P, "csms_url"), f"security profile {sp} uses no TLS: the URL must start with ws:// "
                                               "(wss:// needs security_profile 2 or 3)")
                    url = _MISSING
        if role == "csms" and url is None and reference is False:
            self.required((*P, "csms_url"), "the OCPP-J endpoint of the CSMS under test (ws://... or wss://...), "
                                             "without the station identity")
            url = _MISSING
        if role == "station" and isinstance(url, str):
            self.err((*P, "csms_url"), "only used when role = 'csms' (here the harness is the CSMS and the "
                                       "station connects to ws://<listen_host>:<listen_port><path>/<identity>)")
            url = _MISSING

        identity = self.string(t, "identity", P, d.identity)
        if identity is not _MISSING:
            why = _identity_problem(identity)
            if why:
                self.err((*P, "identity"), why)
                identity = _MISSING
        password = self.string(t, "password", P, None, secret=True, allow_empty=True)
        if isinstance(password, str):
            why = _password_problem(password)
            if why:
                self.err((*P, "password"), why)
                password = _MISSING
        needs_password = isinstance(sp, int) and sp in (1, 2)
        if needs_password and password is None:
            self.required((*P, "password"), f"security profile {sp} uses HTTP Basic authentication (16-40 "
                                            "characters); pass it with OCPP_CONFORMANCE_CONNECTION__PASSWORD")
            password = _MISSING

        extra = self.extra_stations(t, P, role, needs_password, identity)
        max_frame_size = self.integer(t, "max_frame_size", P, d.max_frame_size, 1024, None,
                                      "a size in bytes >= 1024")

        for v in (host, port, path, url, identity, password, sp, extra, max_frame_size):
            bad = bad or v is _MISSING
        if bad:
            return _MISSING
        return Connection(listen_host=host, listen_port=port, path=path, csms_url=url, identity=identity,
                          password=password, security_profile=sp, extra_stations=extra,
                          max_frame_size=max_frame_size)

    def extra_stations(self, t: Mapping[str, Any], P: Path_, role: str | None, needs_password: bool,
                       identity: Any) -> Any:
        value = t.get("extra_stations", [])
        p = (*P, "extra_stations")
        if not isinstance(value, list):
            self.err(p, f"must be a list of stations ([[connection.extra_stations]] with identity, password), "
                        f"got {_what(value)}")
            return _MISSING
        if value and role == "station":
            self.err(p, "only used when role = 'csms' (the harness plays several stations only against a CSMS)")
            return _MISSING
        out: list[StationIdentity] = []
        seen = {identity.lower()} if isinstance(identity, str) else set()
        bad = False
        for i, item in enumerate(value):
            ip = (*p, i)
            if isinstance(item, str):
                item = {"identity": item}
            if not isinstance(item, dict):
                self.err(ip, f"must be a table with identity and password, got {_what(item)}")
                bad = True
                continue
            self.unknown(item, ip, ["identity", "password"])
            ident = self.string(item, "identity", ip)
            if ident is _MISSING:
                if "identity" not in item:
                    self.required((*ip, "identity"))
                bad = True
            else:
                why = _identity_problem(ident)
                if why:
                    self.err((*ip, "identity"), why)
                    bad = True
                elif ident.lower() in seen:
                    self.err((*ip, "identity"), f"{ident!r} is already used by another station "
                                                "(identities are case-insensitive)")
                    bad = True
                else:
                    seen.add(ident.lower())
            pw = self.string(item, "password", ip, None, secret=True, allow_empty=True)
            if isinstance(pw, str):
                why = _password_problem(pw)
                if why:
                    self.err((*ip, "password"), why)
                    bad = True
            elif pw is None and needs_password:
                self.required((*ip, "password"), "the security profile uses HTTP Basic authentication")
                bad = True
            elif pw is _MISSING:
                bad = True
            if not bad:
                out.append(StationIdentity(ident, pw))
        return _MISSING if bad else tuple(out)

    # -- [[evse]] ------------------------------------------------------------------------

    def evses(self, raw: Mapping[str, Any]) -> Any:
        value = raw.get("evse", _MISSING)
        if value is _MISSING:
            self.required(("evse",), "at least one [[evse]] table with id and connectors")
            return _MISSING
        if not isinstance(value, list) or not value:
            self.err(("evse",), "must be a non-empty list of [[evse]] tables (id, connectors), "
                                f"got {_what(value) if value != [] else 'an empty list'}")
            return _MISSING
        out: list[Evse] = []
        bad = False
        for i, item in enumerate(value):
            p: Path_ = ("evse", i)
            if not isinstance(item, dict):
                self.err(p, f"must be a table with id and connectors, got {_what(item)}")
                bad = True
                continue
            self.unknown(item, p, ["id", "connectors"])
            eid = self.integer(item, "id", p, _MISSING, 1, None, "a positive integer")
            if eid is _MISSING:
                if "id" not in item:
                    self.required((*p, "id"))
                bad = True
            elif eid != i + 1:
                self.err((*p, "id"), f"EVSE ids are numbered from 1 without gaps, in order: expected {i + 1}, "
                                     f"got {eid}")
                bad = True
            conns = item.get("connectors", [1])
            cp = (*p, "connectors")
            if isinstance(conns, int) and not isinstance(conns, bool):
                if conns < 1:
                    self.err(cp, f"must be a connector count >= 1 or a list [1, 2, ...], got {conns}")
                    bad = True
                    continue
                conns = list(range(1, conns + 1))
            if not isinstance(conns, list) or not conns:
                self.err(cp, "must be a non-empty list of connector ids [1, 2, ...] or a count, "
                             f"got {_what(conns) if conns != [] else 'an empty list'}")
                bad = True
                continue
            for j, c in enumerate(conns):
                if isinstance(c, bool) or not isinstance(c, int):
                    self.err((*cp, j), f"must be an integer connector id, got {_show(c)}")
                    bad = True
                elif c != j + 1:
                    self.err((*cp, j), f"connector ids are numbered from 1 per EVSE without gaps, in order: "
                                       f"expected {j + 1}, got {c}")
                    bad = True
            if not bad:
                out.append(Evse(eid, tuple(conns)))
        return _MISSING if bad else tuple(out)

    # -- [id_tokens.*] -------------------------------------------------------------------

    def id_tokens(self, raw: Mapping[str, Any]) -> Any:
        P: Path_ = ("id_tokens",)
        t = self.table(raw, "id_tokens", P, list(_ID_TOKEN_ROLES))
        specs: dict[str, Any] = {}
        for name in _ID_TOKEN_ROLES:
            specs[name] = self.id_token(t, name, P)
        for name in ("valid", "invalid"):
            if specs[name] is None:
                self.required((*P, name), f"[id_tokens.{name}] with id_token (and type)")
                specs[name] = _MISSING
        for name in ("master_pass", "group"):
            spec = specs[name]
            if isinstance(spec, IdTokenSpec) and spec.group_id_token is None:
                what = ("the station's MasterPassGroupId" if name == "master_pass"
                        else "the group shared with other tokens (usually id_tokens.valid.group_id_token)")
                self.required((*P, name, "group_id_token"), what)
                specs[name] = _MISSING
        # every role needs a different token
        seen: dict[str, str] = {}
        for name in _ID_TOKEN_ROLES:
            spec = specs[name]
            if not isinstance(spec, IdTokenSpec):
                continue
            key = spec.id_token.lower()
            if key in seen:
                self.err((*P, name, "id_token"), f"must differ from id_tokens.{seen[key]}.id_token: each token "
                                                 "plays a different role (idTokens are case-insensitive)")
                specs[name] = _MISSING
            else:
                seen[key] = name
        if any(v is _MISSING for v in specs.values()):
            return _MISSING
        return IdTokens(**specs)

    def id_token(self, t: Mapping[str, Any], name: str, P: Path_) -> Any:
        p = (*P, name)
        value = t.get(name)
        if value is None:
            return None
        if isinstance(value, str):
            value = {"id_token": value}
        if not isinstance(value, dict):
            self.err(p, f"must be a table (id_token, type, group_id_token, secret) or a token string, "
                        f"got {_what(value)}")
            return _MISSING
        self.unknown(value, p, list(_TOKEN_SCHEMA))
        secret = self.boolean(value, "secret", p, False)
        tok = self.string(value, "id_token", p, secret=secret is not False, allow_empty=True)
        typ = self.string(value, "type", p, "ISO14443")
        group = self.string(value, "group_id_token", p, None)
        bad = secret is _MISSING or group is _MISSING
        if typ is _MISSING:
            bad = True
        elif typ not in ID_TOKEN_TYPES:
            self.err((*p, "type"), f"must be an IdTokenEnumType value ({', '.join(ID_TOKEN_TYPES)}), got {_show(typ)}"
                     + _close(typ, ID_TOKEN_TYPES))
            bad = True
        if tok is _MISSING:
            if "id_token" not in value:
                self.required((*p, "id_token"))
            bad = True
        else:
            if tok == "" and typ != "NoAuthorization":
                self.err((*p, "id_token"), "must not be empty (only type NoAuthorization has an empty idToken)")
                bad = True
            elif len(tok) > _ID_TOKEN_MAX:
                self.err((*p, "id_token"), f"must be at most {_ID_TOKEN_MAX} characters (IdTokenType.idToken), "
                                           f"got {len(tok)}")
                bad = True
        if isinstance(group, str) and len(group) > _ID_TOKEN_MAX:
            self.err((*p, "group_id_token"), f"must be at most {_ID_TOKEN_MAX} characters, got {len(group)}")
            bad = True
        if bad:
            return _MISSING
        return IdTokenSpec(id_token=tok, type=typ, group_id_token=group, secret=secret)

    # -- [timing] ------------------------------------------------------------------------

    def timing(self, raw: Mapping[str, Any], reference: Any = False) -> Any:
        P: Path_ = ("timing",)
        t = self.table(raw, "timing", P, list(_SCHEMA["timing"]))
        d = Timing()
        v: dict[str, Any] = {}
        for key in ("message_timeout", "connect_timeout", "action_timeout", "case_time_limit", "time_scale"):
            v[key] = self.number(t, key, P, getattr(d, key))
        v["max_time_deviation"] = self.number(t, "max_time_deviation", P, d.max_time_deviation, allow_zero=True)
        pacing = 0.0 if reference is True else REAL_SUT_PACING
        for key in ("reconnect_gap", "operator_think_time"):
            v[key] = self.number(t, key, P, pacing, allow_zero=True)
        for key in ("heartbeat_interval", "boot_retry_interval"):
            v[key] = self.integer(t, key, P, getattr(d, key), 1, None, "a positive whole number of seconds")
        if any(x is _MISSING for x in v.values()):
            return _MISSING
        longest = max(("message_timeout", "connect_timeout", "action_timeout"), key=lambda k: v[k])
        if v["case_time_limit"] < v[longest]:
            self.err((*P, "case_time_limit"), f"must be at least the longest single wait ({longest} = "
                                              f"{v[longest]:g}), got {v['case_time_limit']:g}")
            return _MISSING
        return Timing(**v)

    # -- [harness_station] ---------------------------------------------------------------

    def harness_station(self, raw: Mapping[str, Any]) -> Any:
        P: Path_ = ("harness_station",)
        t = self.table(raw, "harness_station", P, list(_SCHEMA["harness_station"]))
        d = HarnessStationInfo()
        v: dict[str, Any] = {}
        for key, (ocpp, limit) in _HARNESS_STATION_FIELDS.items():
            value = self.string(t, key, P, getattr(d, key))
            if isinstance(value, str) and len(value) > limit:
                self.err((*P, key), f"must be at most {limit} characters (BootNotificationRequest "
                                    f"chargingStation.{ocpp}), got {len(value)}")
                value = _MISSING
            v[key] = value
        if any(x is _MISSING for x in v.values()):
            return _MISSING
        return HarnessStationInfo(**v)

    # -- [pics] --------------------------------------------------------------------------

    def pics(self, raw: Mapping[str, Any], role: str | None = None) -> Any:
        P: Path_ = ("pics",)
        t = self.table(raw, "pics", P, list(_PICS_FILE_SCHEMA))
        bad = False
        profiles = self.profiles(t, P)
        features = t.get("features", _MISSING)
        fp = (*P, "features")
        out: set[str] = set()
        if features is _MISSING:
            self.required(fp, "the Part 5 feature ids the SUT supports, e.g. [\"C-01\", \"C-06.1\"] "
                              "(or pics_file = \"pics/....toml\")")
            bad = True
        elif not isinstance(features, list):
            self.err(fp, f"must be a list of Part 5 feature ids, got {_what(features)}")
            bad = True
        else:
            for i, f in enumerate(features):
                if not isinstance(f, str) or not _FEATURE_RE.fullmatch(f):
                    hint = ""
                    if isinstance(f, str) and _FEATURE_RE.fullmatch(f.strip().upper()):
                        hint = f"; did you mean {f.strip().upper()!r}?"
                    self.err((*fp, i), "must be a Part 5 feature id such as 'C-01', 'C-06.1' or 'AS-2', "
                                       f"got {_show(f)}{hint}")
                    bad = True
                elif f in out:
                    self.err((*fp, i), f"{f!r} is listed twice")
                    bad = True
                else:
                    out.add(f)
        hardware = self.facts(t, "hardware", P, _HARDWARE_RE, "a Part 5 Appendix B hardware id such as 'HFS-8'")
        answers = self.facts(t, "answers", P, _QUESTION_RE, "a Part 5 Appendix A question id such as 'AQ-2'")
        bad = self.errata_ids(out, answers, role, P) or bad
        if bad or profiles is _MISSING or hardware is _MISSING or answers is _MISSING:
            return _MISSING
        return Pics(frozenset(out), FrozenDict(hardware), FrozenDict(answers), profiles)

    def errata_ids(self, features: set[str], answers: Any, role: str | None, P: Path_) -> bool:
        """Ids the Part 5 errata removed or renumbered are an error naming the id to use now."""
        catalog = load_catalog()
        bad = False
        for f in sorted(features):
            gone = catalog.removed_features.get(f)
            if gone:
                instead = gone["replaced_by"]
                hint = f"; declare {instead} under [pics.answers] instead" if instead and instead.startswith("AQ-") else (
                    f"; use {instead}" if instead else "")
                self.err((*P, "features"), f"{f!r} was removed from Part 5 by erratum {gone['errata']}{hint}")
                bad = True
        if role is None or not isinstance(answers, dict):
            return bad
        renames = catalog.question_renames.get({"station": "CS", "csms": "CSMS"}[role], {})
        for name in answers:
            moved = renames.get(name)
            if moved:
                self.err((*P, "answers", name), f"the {'CSMS' if role == 'csms' else 'Charging Station'} question {name} is "
                                                f"{moved['to']} since Part 5 errata {', '.join(moved['errata'])}; "
                                                f"write {moved['to']} = ... instead")
                bad = True
        return bad

    def profiles(self, t: Mapping[str, Any], P: Path_) -> Any:
        value = t.get("profiles", ["Core"])
        p = (*P, "profiles")
        if not isinstance(value, list):
            self.err(p, f"must be a list of certification profile names, got {_what(value)}")
            return _MISSING
        out: set[str] = set()
        bad = False
        for i, name in enumerate(value):
            if not isinstance(name, str) or name not in CERTIFICATION_PROFILES:
                self.err((*p, i), f"must be a Part 5 certification profile ({', '.join(CERTIFICATION_PROFILES)}), "
                                  f"got {_show(name)}" + _close(name, CERTIFICATION_PROFILES))
                bad = True
            elif name in out:
                self.err((*p, i), f"{name!r} is listed twice")
                bad = True
            else:
                out.add(name)
        return _MISSING if bad else frozenset(out)

    def facts(self, t: Mapping[str, Any], key: str, P: Path_, form: re.Pattern[str], what: str) -> Any:
        p = (*P, key)
        value = t.get(key, {})
        if not isinstance(value, dict):
            self.err(p, f"must be a table of id = value, got {_what(value)}")
            return _MISSING
        bad = False
        for name, v in value.items():
            if not form.fullmatch(name):
                guess = name.strip().upper().replace("_", "-")
                hint = f"; did you mean {guess!r}?" if form.fullmatch(guess) else ""
                self.err((*p, name), f"must be {what}{hint}")
                bad = True
            elif isinstance(v, dict) and form.fullmatch(f"{name}.1"):  # AQ-13.1 = true read by TOML as a table
                self.err((*p, name), f"quote ids with a dot in TOML: \"{name}.{next(iter(v), '1')}\" = ..., "
                                     f"got a table")
                bad = True
            elif isinstance(v, float) or not isinstance(v, (bool, int, str)):
                self.err((*p, name), f"must be true/false, an integer or a string, got {_what(v)}")
                bad = True
        return _MISSING if bad else dict(value)

    # -- [actions] -----------------------------------------------------------------------

    def actions(self, raw: Mapping[str, Any], reference: Any) -> Any:
        P: Path_ = ("actions",)
        t = self.table(raw, "actions", P, list(_SCHEMA["actions"]))
        bad = False
        backend = self.string(t, "backend", P, _MISSING)
        bp = (*P, "backend")
        if backend is _MISSING:
            if "backend" in t:
                bad = True
            elif reference is False:
                self.required(bp, "how the harness performs physical/operator steps on a real SUT: "
                                  "'prompt', 'shell' or 'webhook'")
                bad = True
            else:
                backend = "reference"
        elif backend not in ACTION_BACKENDS:
            self.err(bp, f"must be one of {_choices(ACTION_BACKENDS)}, got {_show(backend)}" + _close(backend,
                                                                                                     ACTION_BACKENDS))
            bad = True
        elif reference is True and backend != "reference":
            self.err(bp, f"must be 'reference' when reference = true (the built-in SUT performs its own actions), "
                         f"got {backend!r}")
            bad = True
        elif reference is False and backend == "reference":
            self.err(bp, "'reference' only drives the built-in reference SUT (reference = true); "
                         "for a real SUT choose 'prompt', 'shell' or 'webhook'")
            bad = True

        command = self.string(t, "command", P, None)
        if command is _MISSING:
            bad = True
        elif command is None and backend == "shell":
            self.required((*P, "command"), "the shell command run for each action (backend = 'shell')")
            bad = True

        url = self.string(t, "url", P, None)
        if isinstance(url, str):
            why = _check_http_url(url)
            if why:
                self.err((*P, "url"), why)
                bad = True
        elif url is _MISSING:
            bad = True
        elif backend == "webhook":
            self.required((*P, "url"), "the http:// or https:// URL each action is POSTed to (backend = 'webhook')")
            bad = True

        headers = t.get("headers", {})
        hp = (*P, "headers")
        if not isinstance(headers, dict):
            self.err(hp, f"must be a table of header name = value, got {_what(headers)}")
            bad = True
            headers = {}
        seen: set[str] = set()
        for hname, hval in headers.items():
            if not _HEADER_NAME_RE.fullmatch(hname):
                self.err((*hp, hname), "not a valid HTTP header name")
                bad = True
            elif hname.lower() in seen:
                self.err((*hp, hname), "header given twice (names are case-insensitive)")
                bad = True
            seen.add(hname.lower())
            if not isinstance(hval, str):
                self.err((*hp, hname), "must be a string")
                bad = True
            elif any(ch in hval for ch in "\r\n\0"):
                self.err((*hp, hname), "must not contain line breaks")
                bad = True
        if bad:
            return _MISSING
        return Actions(backend=backend, command=command, url=url, headers=FrozenDict(headers))


def _close(word: str, choices: Sequence[str]) -> str:
    if not isinstance(word, str):
        return ""
    lowered = {c.lower(): c for c in choices}
    if word.lower() in lowered:
        return f"; did you mean {lowered[word.lower()]!r}?"
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {match[0]!r}?" if match else ""


def _valid_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return bool(_HOSTNAME_RE.fullmatch(host))


def _identity_problem(identity: str) -> str | None:
    if ":" in identity:
        return "must not contain ':' (the identity is the HTTP Basic auth user name; Part 4 §3.1.1)"
    if len(identity) > 48:
        return f"must be at most 48 characters (Part 4 §3.1.1), got {len(identity)}"
    if not _IDENTITY_RE.fullmatch(identity):
        bad = sorted({ch for ch in identity if not re.fullmatch(r"[A-Za-z0-9*\-_=+|@.]", ch)})
        return (f"may only contain identifierString characters ({_IDENTIFIER_CHARS}; Part 4 §3.1.1), "
                f"found {', '.join(repr(c) for c in bad)}")
    return None


def _password_problem(password: str) -> str | None:
    if not _PASSWORD_MIN <= len(password) <= _PASSWORD_MAX:
        return (f"must be {_PASSWORD_MIN} to {_PASSWORD_MAX} characters (BasicAuthPassword), "
                f"got {len(password)} characters")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in password):
        return "must not contain control characters"
    return None


def _check_ws_url(url: str) -> str | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return f"not a valid URL ({exc}): {url!r}"
    if parts.scheme.lower() not in ("ws", "wss"):
        return f"must be a ws:// or wss:// URL, got scheme {parts.scheme + '://' if parts.scheme else 'none'}"
    if parts.username is not None or parts.password is not None:
        return "must not contain credentials: use connection.identity and connection.password"
    if not parts.hostname or not _valid_host(parts.hostname):
        return f"must name a host, got {url!r}"
    if port == 0:
        return "port 0 is not a valid port to connect to"
    if parts.query or parts.fragment:
        return "must not have a query or fragment: the identity is appended as <url>/<identity>"
    return None


def _check_http_url(url: str) -> str | None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises for a bad port)
    except ValueError as exc:
        return f"not a valid URL ({exc})"
    if parts.scheme.lower() not in ("http", "https"):
        return f"must be an http:// or https:// URL, got scheme {parts.scheme + '://' if parts.scheme else 'none'}"
    if not parts.hostname or not _valid_host(parts.hostname):
        return "must name a host"
    return None
