"""The configuration model: one frozen dataclass per TOML table, one field per key.

Each key is declared once, here, with :func:`~conformance.config.schema.setting`: its type, default,
documentation and validation constraints. The TOML layout, the readers, ``to_dict``, the environment
variable names and the key tables of docs/configuration.md are derived from these fields
(conformance/config/schema.py); rules that span several keys are in conformance/config/validate.py; the
reference setups' values in conformance/config/reference.py. Adding a key: add a field here, run
``python tools/config_doc.py`` to regenerate the docs' key tables.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from ..catalog import PROFILES, load_catalog
from ..protocol.endpoint import connection_url
from ..roles import Role
from .checks import host_problem, http_url_problem, identity_problem, password_problem, path_problem, ws_url_problem
from .schema import ConfigError, dump, secret_values, setting

ROLES = tuple(role.config for role in Role)  # "station", "csms"
#: IdTokenEnumType (OCPP 2.0.1 Part 2).
ID_TOKEN_TYPES = ("Central", "eMAID", "ISO14443", "ISO15693", "KeyCode", "Local", "MacAddress", "NoAuthorization")
ACTION_BACKENDS = ("reference", "prompt", "shell", "webhook")
SECURITY_PROFILES = (0, 1, 2, 3)
RUNNABLE_SECURITY_PROFILES = (0, 1)
_ID_TOKEN_MAX = 36  # IdTokenType.idToken: string[0..36]

# Part 5 vocabulary. The catalog (conformance/catalog) is the authority on Part 5; these constants must stay in
# step with it and with fixtures/pics/*.toml (tests/test_config.py checks both).
#: The certification profiles of Part 5.
CERTIFICATION_PROFILES: tuple[str, ...] = PROFILES
#: Every optional feature of every profile (Part 5 §3), both roles; not the hardware ids (HFS-n).
FULL_FEATURES: frozenset[str] = frozenset(f for f in load_catalog().features if not f.startswith("HFS-"))
#: The optional features of the Core profile.
CORE_FEATURES: frozenset[str] = frozenset(f for f in FULL_FEATURES if f.startswith("C-"))

#: The default of ``timing.reconnect_gap`` and ``timing.operator_think_time`` for a real SUT (0 with reference = true).
REAL_SUT_PACING = 1.0


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


def feature_sort_key(feature: str) -> tuple[Any, ...]:
    head, _, tail = feature.partition("-")
    return (head != "C", head, *(int(n) if n.isdigit() else 0 for n in tail.split(".")))


def _profile_sort_key(profile: str) -> tuple[int, str]:
    return (CERTIFICATION_PROFILES.index(profile) if profile in CERTIFICATION_PROFILES else len(CERTIFICATION_PROFILES),
            profile)


# ---------------------------------------------------------------------------------------
# [id_tokens.<role>]
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IdTokenSpec:
    """One idToken the harness presents (SUT = station) or the SUT's CSMS must know (SUT = CSMS)."""

    __shorthand__: ClassVar[str] = "id_token"  # id_tokens.valid = "04AABBCC" sets only the id_token

    id_token: str = setting(required=True, allow_empty=True, secret_if="secret", max_len=_ID_TOKEN_MAX,
                            max_len_ref="IdTokenType.idToken", type_doc="string, at most 36",
                            doc="IdTokenType.idToken; empty only with type `NoAuthorization`")
    type: str = setting("ISO14443", choices=ID_TOKEN_TYPES,
                        what=f"an IdTokenEnumType value ({', '.join(ID_TOKEN_TYPES)})",
                        doc="IdTokenEnumType: " + ", ".join(f"`{t}`" for t in ID_TOKEN_TYPES))
    group_id_token: str | None = setting(None, max_len=_ID_TOKEN_MAX, type_doc="string, at most 36",
                                         doc="the idToken of its groupIdToken (SUT = CSMS: the CSMS answers it in "
                                             "idTokenInfo.groupIdToken, E01.FR.12, C09.FR.12)")
    secret: bool = setting(False, doc="`true`: the `id_token` is redacted in reports (a real card)")

    def to_ocpp(self) -> dict[str, str]:
        """The IdTokenType payload ``{"idToken": ..., "type": ...}``."""
        return {"idToken": self.id_token, "type": self.type}


@dataclass(frozen=True)
class IdTokens:
    """The idTokens the cases use, by the role they play."""

    valid: IdTokenSpec = setting(required="[id_tokens.valid] with id_token (and type)", doc="accepted")
    invalid: IdTokenSpec = setting(required="[id_tokens.invalid] with id_token (and type)", doc="unknown / Invalid")
    blocked: IdTokenSpec | None = setting(None, omit_none=True, doc="Blocked")
    expired: IdTokenSpec | None = setting(None, omit_none=True, doc="Expired")
    master_pass: IdTokenSpec | None = setting(
        None, omit_none=True,
        doc="a master pass: its `group_id_token` is the station's MasterPassGroupId (required then)")
    group: IdTokenSpec | None = setting(
        None, omit_none=True, doc="a second valid token of a group (usually `valid`'s): `group_id_token` required")

    def items(self) -> list[tuple[str, IdTokenSpec]]:
        """The configured tokens, by role name, in declaration order."""
        return [(f.name, getattr(self, f.name)) for f in dataclasses.fields(self) if getattr(self, f.name) is not None]


# ---------------------------------------------------------------------------------------
# [[evse]]
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evse:
    id: int = setting(required=True, min=1, what="a positive integer",
                      doc="the EVSE id: 1, 2, 3, ... in the order of the tables, without gaps")
    connectors: tuple[int, ...] = setting(
        (1,), type_doc="list of ints, or an int",
        doc="the connector ids of this EVSE, `[1, 2, ...]` without gaps; a count `n` means `[1, ..., n]`")

    def __post_init__(self) -> None:
        _freeze(self, "connectors", tuple)


# ---------------------------------------------------------------------------------------
# [timing]
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    message_timeout: float = setting(
        30.0, unit="s", doc="how long the harness waits for a response or an expected message from the SUT")
    connect_timeout: float = setting(60.0, unit="s", doc="how long to wait for the SUT to (re)connect")
    action_timeout: float = setting(
        120.0, unit="s", doc="how long an action (operator step, back-office step) may take")
    case_time_limit: float = setting(
        300.0, unit="s", doc="hard limit per test case; at least the largest of the three above")
    heartbeat_interval: int = setting(
        300, min=1, what="a positive whole number of seconds", unit="s",
        doc="the interval the harness-as-CSMS gives in BootNotificationResponse")
    boot_retry_interval: int = setting(
        30, min=1, what="a positive whole number of seconds", unit="s",
        doc="the interval the reference CSMS gives with a Pending or Rejected boot (CSMS role); station cases "
            "TC_B_02/03_CS give `heartbeat_interval`, as Part 6 step 2 says (<Configured heartbeatInterval>)")
    max_time_deviation: float = setting(
        4.0, min=0, unit="s",  # Part 6 §2.1: the certification labs configure 4 s
        doc="tolerance of timing checks (e.g. \"a heartbeat every interval\"); Part 6 §2.1: certification labs "
            "configure 4 s")
    time_scale: float = setting(
        1.0, doc="multiplies every wait and timeout above (`Timing.scaled(seconds)`); not `heartbeat_interval` / "
                 "`boot_retry_interval`")
    # The harness as a well-behaved peer (issue 8 §2): the pacing of a real peer for a real SUT, none in the
    # reference setups (``reference = true``), where nobody needs to be waited for.
    reconnect_gap: float = setting(
        REAL_SUT_PACING, min=0, reference_default=0.0, unit="s",
        doc="SUT = CSMS: the least time between a harness station closing its connection and opening the next "
            "one (a real station does not reconnect within milliseconds)")
    operator_think_time: float = setting(
        REAL_SUT_PACING, min=0, reference_default=0.0, unit="s",
        doc="the least time between the SUT's last message and the next operator instruction (`csms_send`, "
            "`csms_configure`, physical steps): an operator does not click within a millisecond, and a SUT may "
            "still be storing what it just learnt. Recorded as a `wait` event with `pacing: "
            "\"operator_think_time\"` (a reconnect gap: `pacing: \"reconnect_gap\"`)")

    def scaled(self, seconds: float) -> float:
        """A wait or timeout as it applies in this run: ``seconds * time_scale``."""
        return seconds * self.time_scale


# ---------------------------------------------------------------------------------------
# [station_values] (helper fixbcs)
# ---------------------------------------------------------------------------------------

_COMPONENT_CRITERIA = ("Active", "Available", "Enabled", "Problem")  # ComponentCriterionEnumType
_OCPP_INTERFACES = ("Wired0", "Wired1", "Wired2", "Wired3", "Wireless0", "Wireless1", "Wireless2", "Wireless3")


@dataclass(frozen=True)
class StationValues:
    """Part 6 "<Configured ...>" values of the Charging Station cases that are not timing, topology or tokens: what
    a lab enters in its test tool for the station under test."""

    offline_threshold: int = setting(
        10, min=3, what="a whole number of seconds >= 3 (TC_B_52 waits 2 s less)", unit="s",
        doc="`<Configured offlineThreshold>`: the value TC_B_11_CS sets, the OfflineThreshold of TC_B_51_CS "
            "(RetryBackOffWaitMinimum = it + 2) and TC_B_52_CS (it - 2)")
    retry_back_off_wait_minimum: int = setting(
        10, min=0, what="a whole number of seconds >= 0", unit="s",
        doc="`<Configured RetryBackOffWaitMinimum>` (TC_B_49_CS, TC_B_57_CS); a value the station's minLimit allows")
    unsupported_component_criteria: str = setting(
        "", allow_empty=True, choices=_COMPONENT_CRITERIA, did_you_mean=False,
        what=f"a ComponentCriterionEnumType value ({', '.join(_COMPONENT_CRITERIA)}) or empty",
        doc="`<Configured Unsupported componentCriteria>` of TC_B_19_CS: a ComponentCriterionEnumType value the "
            "station does not support; empty: the case is NOT APPLICABLE")
    configuration_slot: int = setting(
        1, min=0, what="a configuration slot number >= 0", type_doc="int",
        doc="`<Configured configurationSlot>` (TC_B_43..50_CS): a slot of NetworkConfigurationPriority's valuesList")
    configuration_slot2: int = setting(
        2, min=0, what="a configuration slot number >= 0", type_doc="int",
        doc="`<Configured configurationSlot2>`; the migration cases put the new profile in whichever of the two is "
            "not in use")
    ocpp_interface: str = setting(
        "", allow_empty=True, choices=_OCPP_INTERFACES, did_you_mean=False,
        what=f"an OCPPInterfaceEnumType value ({', '.join(_OCPP_INTERFACES)}) or empty",
        doc="`<Configured ocppInterface>` (`Wired0` ... `Wireless3`); empty: `Wireless0` when PICS `HFS-9` names a "
            "wireless technology, else `Wired0`")
    ocpp_interface2: str = setting(
        "", allow_empty=True, choices=_OCPP_INTERFACES, did_you_mean=False,
        what=f"an OCPPInterfaceEnumType value ({', '.join(_OCPP_INTERFACES)}) or empty",
        doc="`<Configured ocppInterface2>` of the second endpoint's profile; empty: as `ocpp_interface`")
    second_endpoint_host: str = setting(
        "", allow_empty=True,
        doc="host of `<Configured connectionData2>` (the second CSMS endpoint the harness opens for TC_B_45..50_CS); "
            "empty: the listen host, or this machine's FQDN when listening on a wildcard address. With TLS it must "
            "be a name the harness's server certificate carries")
    second_endpoint_port: int = setting(0, min=0, max=65535, what="a TCP port (0 = a free port)", type_doc="int",
                                        doc="its port; 0: a free port")
    long_operation_timeout: float = setting(
        240.0, unit="s", doc="`<Configured Long Operation Time Out>` (TC_B_46_CS, TC_B_49_CS: attempts with back-off)")
    transaction_duration: float = setting(
        0.0, min=0, unit="s",
        doc="`<Configured Transaction Duration>`: how long the harness lets a transaction run before StopAuthorized "
            "presents the idToken again (errata 6.2.117), and, when the SUT is a CSMS, before the harness station sends "
            "StopAuthorized; Part 6 leaves the value to the lab")
    # --- equeue: E13 retries of transaction messages -------------------------------------------
    message_attempts_transaction_event: int = setting(
        3, min=3, what="a whole number >= 3 (TC_E_42/51_CS need more than 2 attempts)",
        doc="`<Configured message_attempts_transaction_event>`: the MessageAttemptsTransactionEvent TC_E_41/42/50/51_CS "
            "set (OCPPCommCtrlr.MessageAttempts[TransactionEvent])")
    message_attempts_transaction_event_interval: int = setting(
        10, min=0, what="a whole number of seconds >= 0", unit="s",
        doc="`<Configured message_attempts_transaction_event_interval>`: the MessageAttemptIntervalTransactionEvent "
            "TC_E_41/42/50/51_CS set (OCPPCommCtrlr.MessageAttemptInterval[TransactionEvent]); the retries are timed "
            "against it (E13.FR.03)")
    sampled_data_tx_updated_measurands: str = setting(
        "Energy.Active.Import.Register", what="a comma-separated list of measurands",
        doc="`<Configured transaction_updated_metervalues_measurands>`: the SampledDataCtrlr.TxUpdatedMeasurands "
            "TC_E_29/33/40_CS set (with `sampled_data_tx_updated_interval` as TxUpdatedInterval) so that the station "
            "queues periodic meter values while offline")
    # --- end equeue ----------------------------------------------------------------------------
    # --- block J meter values (helper j): the intervals the J cases set, and the harness station uses when the SUT
    # is a CSMS (the same Part 6 words in both roles)
    aligned_data_interval: int = setting(
        30, min=1, what="a whole number of seconds >= 1", unit="s",
        doc="`<Configured clock-aligned Meter Values interval>`: the AlignedDataCtrlr.Interval TC_J_01/02/06_CS set "
            "(restored afterwards), the interval of the harness station's clock-aligned values in TC_J_01/02_CSMS. "
            "The J cases wait for two or three readings and raise their time limit above `timing.case_time_limit` "
            "by what these intervals need (TC_J_06_CS: about four intervals + 5 s + a transaction)")
    aligned_data_tx_ended_interval: int = setting(
        30, min=1, what="a whole number of seconds >= 1", unit="s",
        doc="`<Configured clock_aligned_tx_ended_meter_values_interval>`: the AlignedDataCtrlr.TxEndedInterval of "
            "TC_J_03/04_CS, the interval of the clock-aligned values in the harness station's Ended event "
            "(TC_J_03/04_CSMS)")
    sampled_data_tx_updated_interval: int = setting(
        15, min=1, what="a whole number of seconds >= 1", unit="s",
        doc="`<Configured sampled Meter Values Updated interval>`: the SampledDataCtrlr.TxUpdatedInterval of "
            "TC_J_09_CS, the interval of the harness station's periodic values in TC_J_09_CSMS")
    sampled_data_tx_ended_interval: int = setting(
        15, min=1, what="a whole number of seconds >= 1", unit="s",
        doc="`<Configured sampled_tx_ended_meter_values_interval>`: the SampledDataCtrlr.TxEndedInterval of "
            "TC_J_10/11_CS, the interval of the sampled values in the harness station's Ended event (TC_J_10/11_CSMS)")

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


# ---------------------------------------------------------------------------------------
# [harness_station]
# ---------------------------------------------------------------------------------------


def _charging_station_field(ocpp: str, limit: int, default: str | None) -> Any:
    return setting(default, max_len=limit, max_len_ref=f"BootNotificationRequest chargingStation.{ocpp}",
                   omit_none=True, default_doc=None if default is not None else "not sent",
                   doc=f"`chargingStation.{ocpp}`")


@dataclass(frozen=True)
class HarnessStationInfo:
    """How the harness's Charging Station describes itself in BootNotificationRequest.chargingStation when the SUT
    is a CSMS (Part 6 <Configured model> / <Configured vendorName>): a CSMS that accepts only registered hardware
    is told the values it knows. serialNumber / firmwareVersion are sent only when configured."""

    vendor_name: str = _charging_station_field("vendorName", 50, "OpenConformance")
    model: str = _charging_station_field("model", 20, "HarnessStation")
    serial_number: str | None = _charging_station_field("serialNumber", 25, None)
    firmware_version: str | None = _charging_station_field("firmwareVersion", 50, None)

    def charging_station(self) -> dict[str, str]:
        """The ChargingStationType of a BootNotificationRequest."""
        out = {"model": self.model, "vendorName": self.vendor_name}
        if self.serial_number is not None:
            out["serialNumber"] = self.serial_number
        if self.firmware_version is not None:
            out["firmwareVersion"] = self.firmware_version
        return out


# ---------------------------------------------------------------------------------------
# [connection]
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StationIdentity:
    identity: str = setting(required=True, check=identity_problem)
    password: str | None = setting(None, secret=True, allow_empty=True, check=password_problem)


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
    listen_host: str = setting(
        "127.0.0.1", check=host_problem,
        doc="SUT = station: where the harness-as-CSMS listens (`\"0.0.0.0\"` for a station on another machine). "
            "Host name or IP address")
    listen_port: int = setting(
        9000, min=0, max=65535, what="a port number 0-65535",
        doc="SUT = station: the port. `0` = any free port, only with `reference = true` (the harness tells the "
            "reference SUT); a real station needs a fixed port")
    path: str = setting(
        "/ocpp", allow_empty=True, check=path_problem,
        doc="SUT = station: stations connect to `ws://<listen_host>:<listen_port><path>/<identity>`. Empty or "
            "starting with `/`, not ending with `/`")
    csms_url: str | None = setting(
        None, check=ws_url_problem, free_text=True,
        doc="SUT = CSMS: its OCPP-J endpoint **without** the identity (`ws://...` or `wss://...`); the harness "
            "connects to `<csms_url>/<identity>`. Required for `role = \"csms\"` unless `reference = true`; not "
            "allowed for `role = \"station\"`. No credentials, query or fragment in it. `ws://` for security "
            "profiles 0/1, `wss://` for 2/3")
    identity: str = setting(
        "CS001", check=identity_problem,
        doc="the Charging Station identity: the SUT station's, or the first harness station's. identifierString "
            "characters (`a-z A-Z 0-9 * - _ = + | @ .`), no `:`, at most 48 characters (Part 4 §3.1.1)")
    password: str | None = setting(
        None, secret=True, allow_empty=True, check=password_problem,
        doc="**secret.** HTTP Basic auth password (16-40 characters, Part 2 BasicAuthPassword). Required for "
            "security profiles 1 and 2. Pass it with `OCPP_CONFORMANCE_CONNECTION__PASSWORD`")
    security_profile: int = setting(
        1, min=0, max=3, what="0, 1, 2 or 3",
        doc="0: no authentication (development only); 1: Basic auth over ws://; 2: Basic auth over TLS; 3: TLS "
            "with client certificates. Only 0 and 1 can run today with a SUT of your own: 2 and 3 are accepted and "
            "reported by `Config.unsupported()`. Profile 2 runs with the built-in reference Charging Station "
            "(`reference = true`, `role = \"station\"`): the harness makes a test PKI at start-up (a CSMS root and "
            "a server certificate for `listen_host`, `conformance/transport/tls.py`) and the reference station "
            "trusts that root")
    extra_stations: tuple[StationIdentity, ...] = setting(
        (), custom=True, type_doc="list of tables",
        doc="SUT = CSMS only: more harness stations for multi-station cases, each `{identity = \"...\", password = "
            "\"...\"}` (`[[connection.extra_stations]]`); a bare string is an identity. Identities must be unique "
            "(case-insensitively, including `identity`); passwords are required under profiles 1/2 and are "
            "**secret**")
    # The largest WebSocket message the harness accepts (bytes); a bigger one is refused with close code 1009
    # and is a finding of the case during which it arrived.
    max_frame_size: int = setting(
        4 * 1024 * 1024, min=1024, what="a size in bytes >= 1024", unit="bytes", default_doc="`4194304` (4 MiB)",
        doc="the largest WebSocket message the harness accepts, both roles. A bigger message from the SUT is "
            "refused with close code 1009 (message too big, RFC 6455 §7.4.1) and is a failed check of the case "
            "during which it arrived. Part 4 sets no limit; raise it for a SUT that sends very large reports")

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


# ---------------------------------------------------------------------------------------
# [pics]
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pics:
    """The SUT's Part 5 PICS."""

    __toml_order__: ClassVar[tuple[str, ...]] = ("profiles", "features", "hardware", "answers")

    features: frozenset[str] = setting(
        frozenset(), custom=True, order=feature_sort_key, default_doc="required",
        doc="the optional Part 5 features the SUT supports: `C-01`, sub-features such as `C-06.1`, `AS-2`, `LA-1`, "
            "`SC-2.1`, `R-2`, `UI-1.3`, ... (1-3 capital letters, `-`, a number, optionally `.n`). The catalog "
            "knows which ids exist; `ISO-3`, removed by Part 5 erratum 5.6, is an error pointing to the station "
            "question `AQ-11`")
    hardware: Mapping[str, bool | int | str] = setting(
        default_factory=FrozenDict, custom=True, type_doc="table",
        doc="Part 5 Appendix B, by hardware id: `HFS-1 = true` (detachable cable), `HFS-8 = 2` (number of EVSEs; "
            "must equal the number of `[[evse]]` tables), `HFS-9 = \"LTE\"`; values true/false, integers or strings")
    answers: Mapping[str, bool | int | str] = setting(
        default_factory=FrozenDict, custom=True, type_doc="table",
        doc="Part 5 Appendix A, the additional questions, by id: `AQ-2 = true` (quote ids with a dot: "
            "`\"AQ-13.1\" = true`); same value types. The questions differ by role (see the catalog); the CSMS ids "
            "are those renumbered by Part 5 errata 5.22/5.23 (`AQ-12`, `AQ-16`, `AQ-17` ...), and an old id is an "
            "error naming the new one")
    profiles: frozenset[str] = setting(
        frozenset({"Core"}), custom=True, order=_profile_sort_key,
        doc="the certification profiles the SUT claims: " + ", ".join(f"`{p}`" for p in CERTIFICATION_PROFILES))

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


# ---------------------------------------------------------------------------------------
# [actions]
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Actions:
    backend: str = setting(
        "reference", custom=True, default_doc="`\"reference\"` with `reference = true`; else required",
        doc="`reference`: the built-in SUT does them itself (only with `reference = true`); `prompt`: ask a person "
            "on the terminal; `shell`: run `command`; `webhook`: POST to `url`")
    command: str | None = setting(None, free_text=True, doc="`shell`: the command run for each action (required)")
    url: str | None = setting(
        None, check=http_url_problem, free_text=True,
        doc="`webhook`: the `http://` or `https://` URL each action is POSTed to (required)")
    headers: Mapping[str, str] = setting(
        default_factory=FrozenDict, custom=True, secret=True, type_doc="table of strings",
        doc="`webhook`: extra HTTP headers, e.g. `Authorization`. **Every value is secret**; pass them with "
            "`OCPP_CONFORMANCE_ACTIONS__HEADERS='{Authorization=\"...\"}'`")

    def __post_init__(self) -> None:
        _freeze(self, "headers", FrozenDict)


# ---------------------------------------------------------------------------------------
# [configured] (helper fixrest, issue 9)
# ---------------------------------------------------------------------------------------


def _unset(what: str) -> str:
    return f"unset: {what}"


@dataclass(frozen=True)
class CaseValues:
    """The ``<Configured ...>`` values Part 6 leaves to the test setup for single cases (TOML table
    ``[configured]``). ``None``: derived as documented in docs/configuration.md."""

    data_transfer_vendor_id: str = setting(
        "org.openchargealliance.octt",
        doc="TC_P_02_CSMS `<Configured vendorId>` (a vendor the CSMS does not implement; TC_P_01_CS fixes this "
            "vendorId itself)")
    data_transfer_message_id: str = setting(
        "OcppConformanceUnusedMessage", doc="TC_P_01_CS / TC_P_02_CSMS `<Configured messageId>`")
    charging_profile_id: int | None = setting(
        None, min=0, what="an integer >= 0", omit_none=True,
        default_doc=_unset("an id of the run (from its id source, so no profile the station holds is replaced, "
                           "K01.FR.05)"),
        doc="TC_P_04_CS `<Configured chargingProfileId>`")
    charging_schedule_duration: int = setting(
        3600, min=0, what="an integer >= 0", unit="s", doc="TC_P_04_CS `<Configured duration>` (seconds)")
    charging_rate_unit: str | None = setting(
        None, choices=("A", "W"), did_you_mean=False, omit_none=True,
        default_doc=_unset("`A` when the station's SmartChargingCtrlr.RateUnit lists it (or cannot be read), else "
                           "the first unit listed"),
        doc="TC_P_04_CS `<Configured chargingRateUnit>` (`\"A\"` or `\"W\"`)")
    number_phases: int | None = setting(
        None, min=1, max=3, what="1, 2 or 3", omit_none=True,
        default_doc=_unset("from the PICS hardware (HFS-7: 3, HFS-6: 2, HFS-5: 1; left out for a DC-only station; "
                           "3 otherwise)"),
        doc="TC_P_04_CS `<Configured numberPhases>`")
    network_configuration_slot: int | None = setting(
        None, min=0, what="an integer >= 0", omit_none=True,
        default_doc=_unset("the first slot of the harness station's NetworkConfigurationPriority valuesList that is "
                           "not in use"),
        doc="TC_B_42/44_CSMS `<Configured configurationSlot>` (must be in that valuesList)")
    network_message_timeout: int | None = setting(
        None, min=0, what="an integer >= 0", omit_none=True,
        default_doc=_unset("`timing.message_timeout`, rounded (at least 1)"),
        doc="TC_B_42/44_CSMS `<Configured messageTimeout>`")
    network_ocpp_csms_url: str | None = setting(
        None, omit_none=True, default_doc=_unset("`connection.csms_url`"),
        doc="TC_B_42/44_CSMS `<Configured ocppCsmsUrl>`")
    network_ocpp_interface: str | None = setting(
        None, omit_none=True, default_doc=_unset("`Wireless0` when PICS HFS-9 names a wireless link, else `Wired0`"),
        doc="TC_B_42/44_CSMS `<Configured ocppInterface>`")
    network_security_profile: int | None = setting(
        None, min=0, max=3, what="a security profile 0-3", omit_none=True,
        default_doc=_unset("`connection.security_profile`"), doc="TC_B_42/44_CSMS `<Configured securityProfile>`")
    lock_failure_watch: float | None = setting(
        None, min=0, unit="s", omit_none=True,
        default_doc=_unset("the station's TxCtrlr.EVConnectionTimeOut (the time it waits for a correctly inserted "
                           "cable), `timing.message_timeout` when unreadable"),
        doc="TC_G_20_CS: how long \"the station did not start charging\" is observed after the authorization "
            "(seconds)")
    lock_failure_monitoring_level: int = setting(
        9, min=0, max=9, what="a severity 0-9",
        doc="TC_G_20_CS prerequisite \"MonitoringLevel is set to a level that a connector lock failure will be "
            "reported\": the severity set by SetMonitoringLevelRequest for the case (restored afterwards)")
    # --- block E (both roles) ---
    ev_connection_timeout: float = setting(
        30.0, min=0, unit="s",
        doc="`<Configured EV connection timeout>`. TC_E_05_CS: the TxCtrlr.EVConnectionTimeOut the case sets (rounded "
            "up to whole seconds, restored afterwards) and then waits out after the authorization; TC_E_39_CS and TC_F_04_CS the same, TC_E_27_CS for the "
            "fixed cable's timeout (which Part 2 leaves to the station). TC_E_39_CSMS: how "
            "long the harness station (its own TxCtrlr.EVConnectionTimeOut) waits after the authorization, without a "
            "cable plugged in, before it ends the transaction with triggerReason EVConnectTimeout. Recorded as a "
            "protocol wait")
    # --- helper dlist (blocks C / D, Local Authorization List, station side) ---
    local_list_version: int = setting(
        10, min=2, max=2**31 - 2, what="an integer >= 2", did_you_mean=False,
        doc="TC_D_xx_CS, TC_C_21..31/58_CS `<Configured versionNumber>` (greater than 1, TC_D_06_CS): the version of "
            "the Local Authorization List the cases install with a Full update; Differential updates use the next "
            "one(s). Every case leaves the list empty (a Full update without entries) with this version minus one")
    # --- helper fcs (block F, station side; TC_F_04_CS uses block E's ev_connection_timeout) ---
    log_location: str = setting(
        "", allow_empty=True,
        doc="TC_F_16_CS `<Configured log_location>`: the URL GetLogRequest gives the station to upload its log to "
            "(an upload that stays in progress while the trigger is sent); empty: the harness's own HTTP file server "
            "(conformance/harness/file_transfer.py) on connection.listen_host; the case is INCONCLUSIVE when the "
            "station's OCPPCommCtrlr.FileTransferProtocols lacks HTTP, or it reports the upload failed and none "
            "reached that server")
    firmware_location: str = setting(
        "", allow_empty=True,
        doc="TC_F_19_CS `<Configured firmware_location>`: the URL UpdateFirmwareRequest gives the station to "
            "download from; empty: the harness's own HTTP file server, INCONCLUSIVE as for log_location "
            "(FileTransferProtocols without HTTP, or DownloadFailed without a download reaching it)")
    firmware_signing_certificate: str = setting(
        "", allow_empty=True, doc="TC_F_19_CS `<Configured signingCertificate>` (PEM); empty: left out")
    firmware_invalid_signature: str = setting(
        "", allow_empty=True,
        doc="TC_F_19_CS `<Configured invalid firmware signature>` (errata 2025-09 §6.2.59: an invalid signature keeps "
            "the update from being installed); empty: left out")

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in dataclasses.asdict(self).items() if v is not None}


# ---------------------------------------------------------------------------------------
# The whole configuration
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Config:
    """One SUT's configuration. The field order is the TOML layout (and the order of ``to_dict``)."""

    role: str = setting(
        required="'station' (the SUT is a Charging Station) or 'csms' (the SUT is a CSMS)", choices=ROLES,
        type_doc="`\"station\"` | `\"csms\"`",
        doc="what the SUT is: a Charging Station (harness = CSMS) or a CSMS (harness = station(s))")
    name: str = setting(required="the SUT's name, shown in reports", free_text=True,
                        doc="the SUT's name, shown in reports")
    reference: bool = setting(
        False, doc="`true`: the harness starts the built-in reference SUT in-process (then `actions.backend` must be "
                   "`\"reference\"`)")
    strict: bool = setting(
        False, doc="strict mode: when judging the SUT's answer to a malformed frame, only the preferred CALLERROR code "
                   "passes (otherwise every code the specification allows does)")
    faults: tuple[str, ...] = setting(
        (), custom=True,
        doc="named faults switched on in the reference SUT (e.g. `\"boot_without_reason\"`), to show that the cases "
            "catch them; only with `reference = true`. Names: lower-case letters, digits, `_`, `-`, `.`; the "
            "reference SUTs check that they exist (`conformance/faults/`)")
    pics_file: str | None = setting(
        None, custom=True, compare=False, dump=False, type_doc="string (path)",
        doc="a PICS file (layout below) read before `[pics]`; relative to the configuration file (relative to the "
            "working directory when set by a variable or an override); `~` is expanded")
    connection: Connection
    evses: tuple[Evse, ...] = setting(toml="evse", custom=True,
                                      required="at least one [[evse]] table with id and connectors")
    id_tokens: IdTokens
    timing: Timing
    harness_station: HarnessStationInfo = HarnessStationInfo()
    pics: Pics
    actions: Actions
    station_values: StationValues = StationValues()
    configured: CaseValues = CaseValues()
    source: str = setting("<defaults>", compare=False, internal=True)

    def __post_init__(self) -> None:
        _freeze(self, "evses", tuple)
        _freeze(self, "faults", tuple)

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every secret value, for redaction: passwords, webhook header values, secret id tokens."""
        return secret_values(self)

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
        unless ``redact`` is false (a secret embedded in a free-text value, a shell command or a URL, too)."""
        long_secrets = sorted((s for s in self.secrets if len(s) >= 6), key=len, reverse=True) if redact else []
        return dump(self, redact, long_secrets)

