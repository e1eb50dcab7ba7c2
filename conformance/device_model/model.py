"""Device model of a Charging Station, the reference station's and the harness station's (pure data + logic,
no I/O, no asyncio).

The module has two halves:

* ``VARIABLE_TABLE`` - the component/variable combinations the reference station implements,
  written as Python data (the runtime never reads the specification files).  Every entry cites
  where its shape comes from: "P2 §x.y" is a table in the "Referenced Components and Variables"
  chapter of OCPP 2.0.1 Part 2, "P4 §8.x" the configuration chapter of Part 4, "CSV" the
  standardized list ``dm_components_vars.csv`` of the Part 2 appendices (v1.4), "E2025" the
  2025-09 errata.  Where the OCR'd Part 2 text and the appendix CSV disagree on a spelling
  (LocalAuthorizeOffline, LocalPreAuthorize, TxEndedInterval, ...) the CSV name is used.
* ``DeviceModel`` - the stateful device model for a given EVSE/connector topology: answers
  GetVariables (B06) and SetVariables (B05) entries, produces GetBaseReport data (B07),
  offers typed accessors, change listeners, validators, and snapshot/restore for persistence.

Names of components, variables and instances are matched case-insensitively (ComponentType /
VariableType in the JSON schemas say so); results echo what the CSMS sent.
"""

from __future__ import annotations

import copy
import dataclasses
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, NamedTuple

__all__ = [
    "ATTRIBUTE_TYPES",
    "DATA_TYPES",
    "DEFAULT_FEATURES",
    "MUTABILITIES",
    "REPORT_BASES",
    "VARIABLE_TABLE",
    "AttributeSpec",
    "Change",
    "DeviceModel",
    "VarKey",
    "VariableSpec",
]

ATTRIBUTE_TYPES = ("Actual", "Target", "MinSet", "MaxSet")  # AttributeEnumType, schema order
MUTABILITIES = ("ReadOnly", "WriteOnly", "ReadWrite")  # MutabilityEnumType
DATA_TYPES = (  # DataEnumType
    "string",
    "decimal",
    "integer",
    "dateTime",
    "boolean",
    "OptionList",
    "SequenceList",
    "MemberList",
)
REPORT_BASES = ("ConfigurationInventory", "FullInventory", "SummaryInventory")  # ReportBaseEnumType
_LIST_TYPES = ("OptionList", "SequenceList", "MemberList")

# Length limits of the JSON schemas (SetVariableData.attributeValue, GetVariableResult.attributeValue,
# VariableAttribute.value, VariableCharacteristics.valuesList, StatusInfo.reasonCode).
SCHEMA_SET_VALUE_MAX = 1000
SCHEMA_REPORT_VALUE_MAX = 2500
SCHEMA_VALUES_LIST_MAX = 1000

# Measurands the reference station's simulated meter can produce (subset of MeasurandEnumType).
SUPPORTED_MEASURANDS = (
    "Energy.Active.Import.Register",
    "Power.Active.Import",
    "Current.Import",
    "Voltage",
)
# TxStartPoint / TxStopPoint values the reference station can detect (P2 §2.6.6). As a start point it has every
# value (estart): a parking bay sensor (action drive_in) and a meter that signs its Transaction.Begin reading
# (SampledDataCtrlr.SignReadings); as a stop point the values below.
SUPPORTED_TX_POINTS = ("EVConnected", "Authorized", "PowerPathClosed", "EnergyTransfer")
# estop: as a stop point the bay sensor too (the EV leaving the bay ends the transaction, E06.FR.01)
SUPPORTED_TX_STOP_POINTS = ("ParkingBayOccupancy", "EVConnected", "Authorized", "PowerPathClosed", "EnergyTransfer")
SUPPORTED_TX_START_POINTS = ("ParkingBayOccupancy", "EVConnected", "Authorized", "DataSigned", "PowerPathClosed",
                             "EnergyTransfer")
AVAILABILITY_STATES = ("Available", "Occupied", "Reserved", "Unavailable", "Faulted")

# Optional groups of variables.  A group is part of the model only when the station enables it
# (DeviceModel(features=...)), so the model never claims a function the station does not have.
#   "TimeOffset": ClockCtrlr.TimeOffset, TimeOffset[NextTransition], NextTimeOffsetTransitionDateTime
#                 (plain stored settings; TC_B_11_CS uses NextTimeOffsetTransitionDateTime).
#   "AuthCache":  AuthCacheCtrlr.Available/Enabled/LifeTime - only for a station with a cache.
#   "SmartCharging": SmartChargingCtrlr variables (P2 §2.9) - only for a station with Smart Charging.
#   "LocalAuthList": LocalAuthListCtrlr variables (P2 §2.5) - only for a station with a Local Authorization List;
#   "LocalAuthListPostAuthorize": LocalAuthListCtrlr.DisablePostAuthorize (PICS LA-3).
#   "SignedMeterValues": AlignedDataCtrlr.SignReadings, PublicKeyWithSignedMeterValue (P2 §2.7).
#   "AlignedDataSendDuringIdle": AlignedDataCtrlr.SendDuringIdle (P2 §2.7.13).
DEFAULT_FEATURES = frozenset({"TimeOffset"})


# --------------------------------------------------------------------------------------------
# Specification data structures
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttributeSpec:
    """One supported VariableAttribute type of a variable."""

    mutability: str = "ReadWrite"
    default: Any = None  # typed or string; None = no value (reported as "" per B06.FR.13)


@dataclass(frozen=True, eq=False)
class VariableSpec:
    """Static description of one component/variable combination."""

    component: str
    variable: str
    data_type: str
    attributes: Mapping[str, AttributeSpec]
    tier: str = "station"  # "station": no evse; "evse": one per EVSE; "connector": one per connector
    component_instance: str | None = None
    variable_instance: str | None = None
    unit: str | None = None
    min_limit: float | None = None
    max_limit: float | None = None  # for string / list types: maximum length of the (CSV) string
    values_list: tuple[str, ...] | None = None
    supports_monitoring: bool = False
    constant: bool = False  # value never changes at runtime (VariableAttribute.constant)
    persistent: bool | None = None  # None: persistent when writable (P2 "Referenced Components" intro)
    reboot_required: bool = False  # an accepted SetVariables answers RebootRequired
    allow_empty: bool = True  # list types: whether "" (empty list) is an allowed value
    value_format: str | None = None  # extra string syntax: passwordString, timeOffset
    min_length: int | None = None  # minimum string length (BasicAuthPassword: A00.FR.205)
    required: bool = True  # required by the specification (documentation only)
    feature: str | None = None  # optional group, see DEFAULT_FEATURES
    ref: str = ""  # where the definition comes from

    @property
    def mutability(self) -> str:
        return self.attributes["Actual"].mutability if "Actual" in self.attributes else "ReadOnly"

    @property
    def writable(self) -> bool:
        return any(a.mutability != "ReadOnly" for a in self.attributes.values())

    @property
    def is_persistent(self) -> bool:
        if self.persistent is not None:
            return self.persistent
        return self.writable or self.constant


def _v(
    component: str,
    variable: str,
    data_type: str,
    mutability: str = "ReadWrite",
    default: Any = None,
    *,
    ref: str,
    extra: Mapping[str, AttributeSpec] | None = None,
    **kwargs: Any,
) -> VariableSpec:
    attrs = {"Actual": AttributeSpec(mutability, default)}
    if extra:
        attrs.update(extra)
    return VariableSpec(component, variable, data_type, attrs, ref=ref, **kwargs)


_RO, _RW, _WO = "ReadOnly", "ReadWrite", "WriteOnly"
_OCPP, _TX, _DD, _CLK = "OCPPCommCtrlr", "TxCtrlr", "DeviceDataCtrlr", "ClockCtrlr"
_SEC, _SD, _AD, _AUTH = "SecurityCtrlr", "SampledDataCtrlr", "AlignedDataCtrlr", "AuthCtrlr"
_MEAS = SUPPORTED_MEASURANDS
_MEAS_CSV_MAX = 1000.0  # maxLimit (CSV length) of the measurand lists: "to be defined by the implementer"


def _measurands(component: str, variable: str, *, ref: str) -> VariableSpec:
    """A measurand list of SampledDataCtrlr / AlignedDataCtrlr (Part 2 §2.7): ReadWrite MemberList of the
    supported measurands, Energy.Active.Import.Register by default."""
    return _v(component, variable, "MemberList", _RW, "Energy.Active.Import.Register", ref=ref, values_list=_MEAS,
              max_limit=_MEAS_CSV_MAX)


def _seconds(component: str, variable: str, default: int, *, ref: str) -> VariableSpec:
    """A ReadWrite interval in seconds, 0 or more (SampledDataCtrlr / AlignedDataCtrlr intervals)."""
    return _v(component, variable, "integer", _RW, default, ref=ref, unit="s", min_limit=0)


VARIABLE_TABLE: tuple[VariableSpec, ...] = (
    # --- OCPPCommCtrlr: Part 2 §2.1 "General" + Part 4 §8 -----------------------------------
    _v(_OCPP, "FileTransferProtocols", "MemberList", _RO, "HTTP,HTTPS", ref="P2 §2.1.4",
       values_list=("FTP", "FTPS", "HTTP", "HTTPS", "SFTP"), constant=True, allow_empty=False),
    _v(_OCPP, "HeartbeatInterval", "integer", _RW, 300, ref="P2 §2.1.5 (optional; minLimit 1)",
       unit="s", min_limit=1, required=False),
    _v(_OCPP, "MessageTimeout", "integer", _RO, 30, ref="P2 §2.1.3", variable_instance="Default",
       unit="s", min_limit=1),
    # P2 §2.1.6 gives SequenceList whose valuesList lists the network-profile slots (the CSV says
    # string); the station itself checks slot contents (A05.FR.02/03) through a validator.
    _v(_OCPP, "NetworkConfigurationPriority", "SequenceList", _RW, "1", ref="P2 §2.1.6",
       values_list=("1", "2", "3"), allow_empty=False),
    _v(_OCPP, "NetworkProfileConnectionAttempts", "integer", _RW, 3, ref="P2 §2.1.7", min_limit=0),
    _v(_OCPP, "OfflineThreshold", "integer", _RW, 300, ref="P2 §2.1.8", unit="s", min_limit=0),
    _v(_OCPP, "MessageAttempts", "integer", _RW, 3, ref="P2 §2.1.10",
       variable_instance="TransactionEvent", min_limit=0),
    _v(_OCPP, "MessageAttemptInterval", "integer", _RW, 60, ref="P2 §2.1.11",
       variable_instance="TransactionEvent", unit="s", min_limit=0),
    # Mutability ReadWrite because the reference connectors are sockets (sType2), see P2 §2.1.12.
    _v(_OCPP, "UnlockOnEVSideDisconnect", "boolean", _RW, True, ref="P2 §2.1.12"),
    _v(_OCPP, "ResetRetries", "integer", _RW, 1, ref="P2 §2.1.14", min_limit=0),
    # Part 4 marks the reconnect back-off and ping variables as required.
    _v(_OCPP, "RetryBackOffRepeatTimes", "integer", _RW, 3, ref="P4 §8.1", min_limit=0),
    _v(_OCPP, "RetryBackOffRandomRange", "integer", _RW, 10, ref="P4 §8.2", unit="s", min_limit=0),
    _v(_OCPP, "RetryBackOffWaitMinimum", "integer", _RW, 3, ref="P4 §8.3", unit="s", min_limit=0),
    _v(_OCPP, "WebSocketPingInterval", "integer", _RW, 30, ref="P4 §8.4 (negative not allowed)",
       unit="s", min_limit=0),
    # Optional in P2 §2.1.1, required since E2025 §2.57 (B09/B10 are Core). The station binds its Actual to the
    # configuration slot of its current connection.
    _v(_OCPP, "ActiveNetworkProfile", "integer", _RO, None, ref="P2 §2.1.1 as amended by E2025 §2.57"),
    # --- TxCtrlr: Part 2 §2.6 ----------------------------------------------------------------
    _v(_TX, "EVConnectionTimeOut", "integer", _RW, 60, ref="P2 §2.6.1", unit="s", min_limit=0),
    _v(_TX, "StopTxOnEVSideDisconnect", "boolean", _RW, True, ref="P2 §2.6.2 (RW or RO: RW chosen)"),
    _v(_TX, "StopTxOnInvalidId", "boolean", _RW, True, ref="P2 §2.6.8"),
    _v(_TX, "TxStartPoint", "MemberList", _RW, "PowerPathClosed", ref="P2 §2.6.4, §2.6.6.1",
       values_list=SUPPORTED_TX_START_POINTS, allow_empty=False),
    _v(_TX, "TxStopPoint", "MemberList", _RW, "EVConnected,Authorized", ref="P2 §2.6.5, §2.6.6.2",
       values_list=SUPPORTED_TX_STOP_POINTS, allow_empty=False),
    # --- DeviceDataCtrlr: Part 2 §2.1.16-§2.1.23 -------------------------------------------------
    _v(_DD, "ItemsPerMessage", "integer", _RO, 50, ref="P2 §2.1.16", variable_instance="GetReport",
       constant=True),
    _v(_DD, "ItemsPerMessage", "integer", _RO, 50, ref="P2 §2.1.17", variable_instance="GetVariables",
       constant=True),
    _v(_DD, "ItemsPerMessage", "integer", _RO, 50, ref="P2 §2.1.22", variable_instance="SetVariables",
       constant=True),
    _v(_DD, "BytesPerMessage", "integer", _RO, 65536, ref="P2 §2.1.18", variable_instance="GetReport",
       constant=True),
    _v(_DD, "BytesPerMessage", "integer", _RO, 65536, ref="P2 §2.1.19",
       variable_instance="GetVariables", constant=True),
    _v(_DD, "BytesPerMessage", "integer", _RO, 65536, ref="P2 §2.1.23",
       variable_instance="SetVariables", constant=True),
    # Optional, but modelled because the model enforces both limits (schema maxima as values).
    _v(_DD, "ConfigurationValueSize", "integer", _RO, SCHEMA_SET_VALUE_MAX, ref="P2 §2.1.20",
       max_limit=SCHEMA_SET_VALUE_MAX, constant=True, required=False),
    _v(_DD, "ReportingValueSize", "integer", _RO, SCHEMA_REPORT_VALUE_MAX, ref="P2 §2.1.21",
       max_limit=SCHEMA_REPORT_VALUE_MAX, constant=True, required=False),
    # --- ClockCtrlr: Part 2 §2.1.24-§2.1.32 ---------------------------------------------------
    # DateTime's value comes from the model's clock (see DeviceModel(clock=...)).
    _v(_CLK, "DateTime", "dateTime", _RO, None, ref="P2 §2.1.24"),
    _v(_CLK, "TimeSource", "SequenceList", _RW, "Heartbeat", ref="P2 §2.1.30",
       values_list=("Heartbeat", "RealTimeClock"), allow_empty=False),
    _v(_CLK, "TimeOffset", "string", _RW, "+00:00", ref="P2 §2.1.27", value_format="timeOffset",
       required=False, feature="TimeOffset"),
    _v(_CLK, "NextTimeOffsetTransitionDateTime", "dateTime", _RW, None, ref="P2 §2.1.28",
       required=False, feature="TimeOffset"),
    _v(_CLK, "TimeOffset", "string", _RW, None, ref="P2 §2.1.29", variable_instance="NextTransition",
       value_format="timeOffset", required=False, feature="TimeOffset"),
    # --- SecurityCtrlr: Part 2 §2.2 -----------------------------------------------------------
    # SecurityProfile is ReadOnly for the CSMS but the station raises it itself after a successful
    # upgrade (A05.FR.06), and that must survive a reboot: persistent.
    _v(_SEC, "SecurityProfile", "integer", _RO, 1, ref="P2 §2.2.5, A05.FR.06", persistent=True),
    _v(_SEC, "OrganizationName", "string", _RW, "OCPP Conformance", ref="P2 §2.2.3"),
    _v(_SEC, "CertificateEntries", "integer", _RO, 0, ref="P2 §2.2.4 (maxLimit = capacity)",
       max_limit=20),
    # M05.FR.09-16: true when the station replaces its CSMS root only by one the old root signed, keeping the old
    # one as a temporary fallback (PICS AS-2). Its presence is required unless only security profile 1 is
    # implemented (P2 §2.2.6 Note 2, CSV); false means the station does not have the mechanism.
    _v(_SEC, "AdditionalRootCertificateCheck", "boolean", _RO, False, ref="P2 §2.2.6, CSV", constant=True),
    # WriteOnly; length 16..maxLimit and passwordString characters (A00.FR.205 as amended by
    # E2025 §2.1: maxLimit between 40 and 64).  Required unless only profile 3 is implemented.
    _v(_SEC, "BasicAuthPassword", "string", _WO, None, ref="P2 §2.2.1, E2025 §2.1, A00.FR.205",
       max_limit=40, min_length=16, value_format="passwordString", required=False),
    # --- SampledDataCtrlr: Part 2 §2.7.4-§2.7.8 ------------------------------------------------
    _measurands(_SD, "TxEndedMeasurands", ref="P2 §2.7.4"),
    _seconds(_SD, "TxEndedInterval", 0, ref="P2 §2.7.5 (0 = start/end only, recommended)"),
    _measurands(_SD, "TxStartedMeasurands", ref="P2 §2.7.6"),
    _measurands(_SD, "TxUpdatedMeasurands", ref="P2 §2.7.7"),
    _seconds(_SD, "TxUpdatedInterval", 60, ref="P2 §2.7.8 (0 = no sampled data)"),
    # estart: the reference meter signs its readings when asked (TxStartPoint DataSigned, E01.FR.04, E02.FR.14).
    _v(_SD, "SignReadings", "boolean", _RW, False, ref="P2 §2.7.3", required=False),
    # --- AlignedDataCtrlr: Part 2 §2.7.11-§2.7.16 ----------------------------------------------
    _measurands(_AD, "Measurands", ref="P2 §2.7.11"),
    _seconds(_AD, "Interval", 900, ref="P2 §2.7.12 (0 = no clock-aligned data)"),
    _measurands(_AD, "TxEndedMeasurands", ref="P2 §2.7.15"),
    _seconds(_AD, "TxEndedInterval", 0, ref="P2 §2.7.16 (large Ended messages: 0 default)"),
    # Optional metering variables (helper j): a station without signing meters SHALL NOT report SignReadings
    # (P2 §2.7.14), so they are a group of their own, as is AlignedDataSendDuringIdle (PICS C-28). (SampledDataCtrlr.
    # SignReadings above is not in the group yet: the DataSigned start point reads it unconditionally.)
    _v(_AD, "SignReadings", "boolean", _RW, False, ref="P2 §2.7.14", required=False, feature="SignedMeterValues"),
    _v(_OCPP, "PublicKeyWithSignedMeterValue", "OptionList", _RW, "EveryMeterValue", ref="P2 §2.7.17",
       values_list=("Never", "OncePerTransaction", "EveryMeterValue"), allow_empty=False, required=False,
       feature="SignedMeterValues"),
    _v(_AD, "SendDuringIdle", "boolean", _RW, False, ref="P2 §2.7.13", required=False,
       feature="AlignedDataSendDuringIdle"),
    # --- AuthCtrlr: Part 2 §2.3 ------------------------------------------------------------------
    _v(_AUTH, "AuthorizeRemoteStart", "boolean", _RW, False, ref="P2 §2.3.4 (RW or RO: RW chosen)"),
    _v(_AUTH, "LocalAuthorizeOffline", "boolean", _RW, True, ref="P2 §2.3.5, CSV name"),
    _v(_AUTH, "LocalPreAuthorize", "boolean", _RW, False, ref="P2 §2.3.6, CSV name"),
    _v(_AUTH, "Enabled", "boolean", _RW, True, ref="P2 §2.3.1 (optional)", required=False),
    # estart: C-58, no AuthorizeRequest at all when true (TC_E_52_CS): only the cache / local list decide.
    _v(_AUTH, "DisableRemoteAuthorization", "boolean", _RW, False, ref="CSV (optional)", required=False),
    # c15118: C07.FR.12 / C15 (Part 6 TC_C_54/55_CS set it "if implemented"); read by the reference station's ISO 15118
    # offline decision only (iso15118.py).
    _v(_AUTH, "OfflineTxForUnknownIdEnabled", "boolean", _RW, False, ref="P2 §2.3 (optional), C15", required=False),
    # cauth: C16 Master Pass; the reference setups' [id_tokens.master_pass] has this groupIdToken.
    _v(_AUTH, "MasterPassGroupId", "string", _RW, "MASTERPASS", ref="CSV (optional), C16", required=False),
    # --- ISO15118Ctrlr (optional group, Part 2 §2.16; c15118: C07 contract certificates) ----------
    _v("ISO15118Ctrlr", "PnCEnabled", "boolean", _RW, True, ref="P2 §2.16 (optional), C07", required=False,
       feature="ISO15118"),
    _v("ISO15118Ctrlr", "CentralContractValidationAllowed", "boolean", _RW, False, ref="P2 §2.16 (optional), C07.FR.06",
       required=False, feature="ISO15118"),
    _v("ISO15118Ctrlr", "ContractValidationOffline", "boolean", _RW, True, ref="P2 §2.16, C07.FR.07/08",
       required=False, feature="ISO15118"),
    # --- AuthCacheCtrlr (optional group, Part 2 §2.4) -------------------------------------------
    _v("AuthCacheCtrlr", "Available", "boolean", _RO, True, ref="P2 §2.4.2", constant=True,
       required=False, feature="AuthCache"),
    _v("AuthCacheCtrlr", "Enabled", "boolean", _RW, True, ref="P2 §2.4.1", required=False,
       feature="AuthCache"),
    _v("AuthCacheCtrlr", "LifeTime", "integer", _RW, 86400, ref="P2 §2.4.3", unit="s", min_limit=0,
       required=False, feature="AuthCache"),
    # --- LocalAuthListCtrlr (optional group "LocalAuthList", Part 2 §2.5; helper dlist) ---------------
    # Only for a station with the Local Authorization List Management profile. Entries (D01.FR.12) and Storage have
    # the live count / bytes as Actual (the list area binds them); maxLimit is the capacity. DisablePostAuthorize
    # (LA-3) is its own group "LocalAuthListPostAuthorize". SupportsExpiryDateTime is absent (= false, C13.FR.02).
    _v("LocalAuthListCtrlr", "Available", "boolean", _RO, True, ref="P2 §2.5.3", constant=True, required=False,
       feature="LocalAuthList"),
    # Shipped disabled: the CSMS enables the list when it manages one (the cases set it, "If implemented").
    _v("LocalAuthListCtrlr", "Enabled", "boolean", _RW, False, ref="P2 §2.5.1, D01.FR.13", required=False,
       feature="LocalAuthList"),
    _v("LocalAuthListCtrlr", "Entries", "integer", _RO, 0, ref="P2 §2.5.2, D01.FR.12", min_limit=0, max_limit=100,
       feature="LocalAuthList"),
    _v("LocalAuthListCtrlr", "ItemsPerMessage", "integer", _RO, 20, ref="P2 §2.5.4, D01.FR.11", constant=True,
       min_limit=1, feature="LocalAuthList"),
    _v("LocalAuthListCtrlr", "BytesPerMessage", "integer", _RO, 8192, ref="P2 §2.5.5, D01.FR.11", constant=True,
       min_limit=1, feature="LocalAuthList"),
    _v("LocalAuthListCtrlr", "Storage", "integer", _RO, 0, ref="P2 §2.5.6 (bytes)", min_limit=0,
       max_limit=65536, required=False, feature="LocalAuthList"),
    _v("LocalAuthListCtrlr", "DisablePostAuthorize", "boolean", _RW, False, ref="P2 §2.5.7, C14.FR.03",
       required=False, feature="LocalAuthListPostAuthorize"),
    # ccache: the rest of the AuthCacheCtrlr group (C10-C12); Storage's Actual is the cache's live size (bound by
    # the station that has one), maxLimit its capacity in bytes.
    _v("AuthCacheCtrlr", "Policy", "OptionList", _RW, "LRU", ref="P2 §2.4.5", values_list=("LRU", "LFU", "FIFO", "CUSTOM"),
       required=False, feature="AuthCache", allow_empty=False),
    _v("AuthCacheCtrlr", "Storage", "integer", _RO, 0, ref="P2 §2.4.4", min_limit=0, max_limit=65536,
       required=False, feature="AuthCache"),
    _v("AuthCacheCtrlr", "DisablePostAuthorize", "boolean", _RW, False, ref="P2 §2.4.6", required=False,
       feature="AuthCache"),
    # --- SmartChargingCtrlr (optional group, Part 2 §2.9; the CSV spells the component Ctrlr) -----
    # Required when Smart Charging is supported: ProfileStackLevel, RateUnit, PeriodsPerSchedule,
    # Entries[ChargingProfiles] (maxLimit = capacity; its Actual is the live count) and
    # LimitChangeSignificance.
    _v("SmartChargingCtrlr", "Available", "boolean", _RO, True, ref="P2 §2.9.2", constant=True,
       required=False, feature="SmartCharging"),
    _v("SmartChargingCtrlr", "ProfileStackLevel", "integer", _RO, 3, ref="P2 §2.9.4", constant=True,
       min_limit=0, feature="SmartCharging"),
    _v("SmartChargingCtrlr", "RateUnit", "MemberList", _RO, "A,W", ref="P2 §2.9.5", values_list=("A", "W"),
       constant=True, allow_empty=False, feature="SmartCharging"),
    _v("SmartChargingCtrlr", "PeriodsPerSchedule", "integer", _RO, 24, ref="P2 §2.9.6", constant=True,
       min_limit=1, feature="SmartCharging"),
    _v("SmartChargingCtrlr", "Entries", "integer", _RO, 0, ref="P2 §2.9.10", variable_instance="ChargingProfiles",
       min_limit=0, max_limit=20, feature="SmartCharging"),
    _v("SmartChargingCtrlr", "LimitChangeSignificance", "decimal", _RW, 1.0, ref="P2 §2.9.11", unit="Percent",
       min_limit=0.0, max_limit=100.0, feature="SmartCharging"),
    # --- Charging infrastructure: Part 2 §2.13 -------------------------------------------------
    _v("ChargingStation", "Available", "boolean", _RO, True, ref="P2 §2.13.1", constant=True),
    _v("ChargingStation", "AvailabilityState", "OptionList", _RO, "Available", ref="P2 §2.13.2",
       values_list=AVAILABILITY_STATES),
    _v("ChargingStation", "SupplyPhases", "integer", _RO, 3, ref="P2 §2.13.6 (0 = DC)",
       constant=True, min_limit=0, max_limit=3),
    _v("EVSE", "Available", "boolean", _RO, True, ref="P2 §2.13.1", tier="evse", constant=True),
    _v("EVSE", "AvailabilityState", "OptionList", _RO, "Available", ref="P2 §2.13.2", tier="evse",
       values_list=AVAILABILITY_STATES),
    # Only maxLimit is required (P2 §2.13.7, E2025 TC_B_53); Actual is the instantaneous power and
    # MaxSet repeats the configured maximum so a CSMS can read it as an attribute too.
    _v("EVSE", "Power", "decimal", _RO, 0.0, ref="P2 §2.13.7", tier="evse", unit="W",
       min_limit=0.0, max_limit=22000.0, extra={"MaxSet": AttributeSpec(_RO, 22000.0)}),
    _v("EVSE", "SupplyPhases", "integer", _RO, 3, ref="P2 §2.13.6", tier="evse", constant=True,
       min_limit=0, max_limit=3),
    _v("Connector", "Available", "boolean", _RO, True, ref="P2 §2.13.1", tier="connector",
       constant=True),
    _v("Connector", "AvailabilityState", "OptionList", _RO, "Available",
       ref="P2 §2.13.2 as amended by E2025 §2.66", tier="connector", values_list=AVAILABILITY_STATES),
    # A ConnectorEnumType value (plus cGBT, cChaoJi, OppCharge), P2 §2.13.4.
    _v("Connector", "ConnectorType", "string", _RO, "sType2", ref="P2 §2.13.4", tier="connector",
       constant=True),
    _v("Connector", "SupplyPhases", "integer", _RO, 3, ref="P2 §2.13.6", tier="connector",
       constant=True, min_limit=0, max_limit=3),
    # G05: each connector's cable retention lock; Problem (locking failed) is the live state (the station binds
    # it), reported by NotifyEvent when a lock fails (G05.FR.02).
    _v("ConnectorPlugRetentionLock", "Problem", "boolean", _RO, False, ref="P2 appendix §3.2.17, G05.FR.02",
       tier="connector"),
)


# --------------------------------------------------------------------------------------------
# Keys
# --------------------------------------------------------------------------------------------

_KEY_RE = re.compile(
    r"^(?P<c>[^.\[\]@]+)(?:\[(?P<ci>[^\]]*)\])?(?:@(?P<e>\d+)(?::(?P<k>\d+))?)?"
    r"\.(?P<v>[^.\[\]@]+)(?:\[(?P<vi>[^\]]*)\])?$"
)


class VarKey(NamedTuple):
    """Address of one variable: component (+instance, +evse/connector), variable (+instance).

    Text form (used for overrides and snapshots): ``Component[cInst]@evse:connector.Variable[vInst]``,
    e.g. ``OCPPCommCtrlr.MessageTimeout[Default]``, ``EVSE@1.Power``, ``Connector@1:2.ConnectorType``.
    """

    component: str
    variable: str
    component_instance: str | None = None
    variable_instance: str | None = None
    evse: int | None = None
    connector: int | None = None

    def __str__(self) -> str:
        text = self.component
        if self.component_instance:
            text += f"[{self.component_instance}]"
        if self.evse is not None:
            text += f"@{self.evse}"
            if self.connector is not None:
                text += f":{self.connector}"
        text += f".{self.variable}"
        if self.variable_instance:
            text += f"[{self.variable_instance}]"
        return text

    @classmethod
    def parse(cls, text: str) -> VarKey:
        m = _KEY_RE.match(text.strip())
        if not m:
            raise ValueError(f"not a device model key: {text!r}")
        return cls(
            component=m["c"],
            variable=m["v"],
            component_instance=m["ci"] or None,
            variable_instance=m["vi"] or None,
            evse=int(m["e"]) if m["e"] is not None else None,
            connector=int(m["k"]) if m["k"] is not None else None,
        )

    @property
    def folded(self) -> tuple[str, str, str, str, int | None, int | None]:
        return (
            self.component.casefold(),
            self.variable.casefold(),
            (self.component_instance or "").casefold(),
            (self.variable_instance or "").casefold(),
            self.evse,
            self.connector,
        )

    def component_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.component}
        if self.component_instance:
            d["instance"] = self.component_instance
        if self.evse is not None:
            d["evse"] = {"id": self.evse}
            if self.connector is not None:
                d["evse"]["connectorId"] = self.connector
        return d

    def variable_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.variable}
        if self.variable_instance:
            d["instance"] = self.variable_instance
        return d


def _component_id(key: VarKey) -> tuple[str, str, int | None, int | None]:
    return (key.component.casefold(), (key.component_instance or "").casefold(), key.evse, key.connector)


@dataclass(frozen=True)
class Change:
    """A value change, handed to listeners after it has been stored."""

    key: VarKey
    attribute: str
    old: Any  # typed, None when unset
    new: Any  # typed
    source: str  # "csms" (SetVariables) or "station" (set_value)


class _Rejected(Exception):
    def __init__(self, reason: str, info: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.info = info


# --------------------------------------------------------------------------------------------
# Value syntax (Part 2 "Primitive Datatypes")
# --------------------------------------------------------------------------------------------

_INT_RE = re.compile(r"^-?(0|[1-9][0-9]*)$")  # no leading zeros, no plus sign
_DEC_RE = re.compile(r"^-?[0-9]+(\.[0-9]{1,6})?$")  # at most six decimals towards the station
_DEC_ANY_RE = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")  # station-side data keeps its full resolution
_DT_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$"  # RFC 3339, <= 3 decimals
)
_PASSWORD_RE = re.compile(r"^[A-Za-z0-9*\-_=:+|@.]*$")  # passwordString character set
_OFFSET_RE = re.compile(r"^[+-](0\d|1\d|2[0-3]):[0-5]\d$")
_INT32 = (-(2**31), 2**31 - 1)


def _split_list(text: str) -> list[str]:
    return [] if text == "" else [p.strip() for p in text.split(",")]


def _format_datetime(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    value = value.astimezone(timezone.utc)
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    if value.microsecond:
        text += f".{value.microsecond // 1000:03d}"
    return text + "Z"


def _format_decimal(value: float | int | Decimal) -> str:
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"not a finite decimal: {value!r}")
        text = repr(value)
        if "e" in text or "E" in text:
            text = format(Decimal(text), "f")
        return text
    return str(value)


def _parse(spec: VariableSpec, text: str, *, incoming: bool = False) -> Any:
    """Parse ``text`` per the spec's dataType; raise _Rejected("InvalidValue") when malformed.

    ``incoming``: the value comes from the CSMS, so decimals may have at most six places.
    """
    dt = spec.data_type
    if dt == "integer":
        if not _INT_RE.match(text):
            raise _Rejected("InvalidValue", "not an integer")
        value = int(text)
        if not _INT32[0] <= value <= _INT32[1]:
            raise _Rejected("InvalidValue", "not a 32-bit integer")
        return value
    if dt == "decimal":
        if not (_DEC_RE if incoming else _DEC_ANY_RE).match(text):
            raise _Rejected("InvalidValue", "not a decimal")
        return float(text)
    if dt == "boolean":
        if text not in ("true", "false"):
            raise _Rejected("InvalidValue", "not 'true' or 'false'")
        return text == "true"
    if dt == "dateTime":
        if not _DT_RE.match(text):
            raise _Rejected("InvalidValue", "not an RFC 3339 date-time")
        try:
            return datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise _Rejected("InvalidValue", "not an RFC 3339 date-time") from None
    if dt in ("MemberList", "SequenceList"):
        return _split_list(text)
    return text  # string, OptionList


def _to_text(spec: VariableSpec, value: Any) -> str:
    """Convert a typed (or string) value to its canonical wire string; ValueError if impossible."""
    if isinstance(value, str):
        return value
    dt = spec.data_type
    if dt == "boolean" and isinstance(value, bool):
        return "true" if value else "false"
    if dt == "integer" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if dt == "decimal" and isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return _format_decimal(value)
    if dt == "dateTime" and isinstance(value, datetime):
        return _format_datetime(value)
    if dt in ("MemberList", "SequenceList") and isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    raise ValueError(f"{spec.component}.{spec.variable}: {value!r} does not fit dataType {dt}")


def _check(spec: VariableSpec, text: str, *, min_set: float | None = None, max_set: float | None = None) -> Any:
    """Full validation of an incoming value (B05.FR.07 format, B05.FR.08 range); returns typed value."""
    value = _parse(spec, text, incoming=True)
    dt = spec.data_type
    if dt in ("integer", "decimal"):
        low = max((x for x in (spec.min_limit, min_set) if x is not None), default=None)
        high = min((x for x in (spec.max_limit, max_set) if x is not None), default=None)
        if low is not None and value < low:
            raise _Rejected("ValueOutOfRange", f"below minimum {low:g}")
        if high is not None and value > high:
            raise _Rejected("ValueOutOfRange", f"above maximum {high:g}")
        return value
    # string-like: maxLimit is the maximum length of the (CSV) string (VariableCharacteristicsType)
    if spec.max_limit is not None and len(text) > spec.max_limit:
        raise _Rejected("ValueOutOfRange", f"longer than {spec.max_limit:g} characters")
    if spec.min_length is not None and len(text) < spec.min_length:
        raise _Rejected("ValueOutOfRange", f"shorter than {spec.min_length} characters")
    if spec.value_format == "passwordString" and not _PASSWORD_RE.match(text):
        raise _Rejected("InvalidValue", "character outside passwordString set")
    if spec.value_format == "timeOffset" and text and not _OFFSET_RE.match(text):
        raise _Rejected("InvalidValue", "not a [+-]hh:mm offset")
    if dt in _LIST_TYPES:
        allowed = spec.values_list or ()
        if dt == "OptionList":
            if text not in allowed:
                raise _Rejected("InvalidValue", "not in valuesList")
            return value
        members = value
        if not members and not spec.allow_empty:
            raise _Rejected("InvalidValue", "empty list not allowed")
        if any(m not in allowed for m in members):
            raise _Rejected("InvalidValue", "member not in valuesList")
        if len(set(members)) != len(members):
            raise _Rejected("InvalidValue", "duplicate member")
    return value


# --------------------------------------------------------------------------------------------
# The device model
# --------------------------------------------------------------------------------------------

_OVERRIDE_CHARACTERISTICS = {
    "mutability": "mutability",
    "minLimit": "min_limit",
    "maxLimit": "max_limit",
    "valuesList": "values_list",
    "unit": "unit",
    "supportsMonitoring": "supports_monitoring",
    "rebootRequired": "reboot_required",
}


@dataclass
class _Entry:
    key: VarKey
    spec: VariableSpec
    values: dict[str, str | None] = field(default_factory=dict)
    provider: Callable[[], Any] | None = None  # live Actual value (e.g. ClockCtrlr.DateTime)


Listener = Callable[[Change], None]
Validator = Callable[[VarKey, str, Any], "str | None"]


class DeviceModel:
    """The reference station's device model for one EVSE/connector topology.

    ``evses``: ``[(evse_id, [connector_id, ...]), ...]``.
    ``overrides``: ``{key: value}`` where key is a :class:`VarKey` or its text form and value is
    either the Actual value (typed or string) or a mapping with attribute types (``"Actual"``,
    ``"MaxSet"`` ...) and/or characteristics (``"mutability"``, ``"minLimit"``, ``"maxLimit"``,
    ``"valuesList"``, ``"unit"``, ``"supportsMonitoring"``, ``"rebootRequired"``).  A key without
    evse for an EVSE/Connector variable applies to every EVSE/connector.
    ``features``: optional variable groups to include (see ``DEFAULT_FEATURES``).
    ``clock``: returns the current time for ClockCtrlr.DateTime (default: system UTC clock).
    """

    def __init__(
        self,
        evses: Sequence[tuple[int, Sequence[int]]],
        overrides: Mapping[Any, Any] | None = None,
        *,
        features: Iterable[str] = DEFAULT_FEATURES,
        clock: Callable[[], datetime] | None = None,
        table: Sequence[VariableSpec] = VARIABLE_TABLE,
    ) -> None:
        self._topology = self._check_topology(evses)
        self._features = frozenset(features)
        self._clock = clock or (lambda: datetime.now(timezone.utc))
        self._entries: dict[tuple, _Entry] = {}
        self._order: list[tuple] = []
        self._components: set[tuple[str, str, int | None, int | None]] = set()
        self._listeners: list[Listener] = []
        self._validators: list[Validator] = []
        for spec in table:
            if spec.feature is not None and spec.feature not in self._features:
                continue
            for key in self._instantiate(spec):
                self._add(key, spec)
        if overrides:
            for raw_key, value in overrides.items():
                self._apply_override(raw_key, value)
        dt = self._find(VarKey("ClockCtrlr", "DateTime"))
        if dt is not None:
            dt.provider = self._clock

    # ---- construction ------------------------------------------------------------------------

    @staticmethod
    def _check_topology(evses: Sequence[tuple[int, Sequence[int]]]) -> tuple[tuple[int, tuple[int, ...]], ...]:
        seen: set[int] = set()
        result = []
        for evse_id, connectors in evses:
            if not isinstance(evse_id, int) or evse_id <= 0 or evse_id in seen:
                raise ValueError(f"invalid or duplicate EVSE id {evse_id!r}")
            seen.add(evse_id)
            conns = tuple(connectors)
            if not conns or any((not isinstance(c, int)) or c <= 0 for c in conns) or len(set(conns)) != len(conns):
                raise ValueError(f"EVSE {evse_id}: connector ids must be distinct positive integers")
            result.append((evse_id, tuple(sorted(conns))))
        return tuple(sorted(result))

    def _instantiate(self, spec: VariableSpec) -> Iterator[VarKey]:
        base = VarKey(spec.component, spec.variable, spec.component_instance, spec.variable_instance)
        if spec.tier == "station":
            yield base
        elif spec.tier == "evse":
            for evse_id, _ in self._topology:
                yield base._replace(evse=evse_id)
        elif spec.tier == "connector":
            for evse_id, conns in self._topology:
                for conn in conns:
                    yield base._replace(evse=evse_id, connector=conn)
        else:
            raise ValueError(f"unknown tier {spec.tier!r}")

    def _add(self, key: VarKey, spec: VariableSpec) -> None:
        folded = key.folded
        if folded in self._entries:
            raise ValueError(f"duplicate device model variable {key}")
        entry = _Entry(key, spec)
        for attr, aspec in spec.attributes.items():
            entry.values[attr] = self._default_text(spec, attr, aspec.default)
        self._entries[folded] = entry
        self._order.append(folded)
        self._components.add(_component_id(key))

    @staticmethod
    def _default_text(spec: VariableSpec, attr: str, value: Any) -> str | None:
        if value is None:
            return None
        text = _to_text(spec, value)
        try:
            _check(spec, text)
        except _Rejected as exc:
            raise ValueError(f"{spec.component}.{spec.variable} {attr}: default {text!r}: {exc.reason} ({exc.info})") from None
        return text

    def _apply_override(self, raw_key: Any, value: Any) -> None:
        key = raw_key if isinstance(raw_key, VarKey) else VarKey.parse(raw_key) if isinstance(raw_key, str) else VarKey(*raw_key)
        targets = self._override_targets(key)
        if not targets:
            raise KeyError(f"override for unknown device model variable {key}")
        if not isinstance(value, Mapping):
            value = {"Actual": value}
        for entry in targets:
            spec = entry.spec
            changes: dict[str, Any] = {}
            attrs = dict(spec.attributes)
            for name, v in value.items():
                if name in _OVERRIDE_CHARACTERISTICS:
                    if name == "mutability":
                        if v not in MUTABILITIES:
                            raise ValueError(f"{key}: invalid mutability {v!r}")
                        attrs["Actual"] = dataclasses.replace(attrs["Actual"], mutability=v)
                    elif name == "valuesList":
                        changes["values_list"] = tuple(_split_list(v) if isinstance(v, str) else v)
                    else:
                        changes[_OVERRIDE_CHARACTERISTICS[name]] = v
                elif name not in ATTRIBUTE_TYPES:
                    raise ValueError(f"{key}: unknown override field {name!r}")
            changes["attributes"] = attrs
            entry.spec = dataclasses.replace(spec, **changes)
            for name, v in value.items():
                if name in ATTRIBUTE_TYPES:
                    if name not in entry.spec.attributes:
                        raise ValueError(f"{key}: attribute {name} not supported")
                    entry.values[name] = self._default_text(entry.spec, name, v)

    def _override_targets(self, key: VarKey) -> list[_Entry]:
        folded = key.folded
        if key.evse is not None:
            entry = self._entries.get(folded)
            if entry is not None:
                return [entry]
            if key.connector is None:  # "Connector@1.X": every connector of EVSE 1
                return [e for f, e in self._entries.items() if f[:5] == folded[:5] and f[5] is not None]
            return []
        # no evse given: the station-level variable, or every EVSE/connector instance
        exact = self._entries.get(folded)
        if exact is not None:
            return [exact]
        return [e for f, e in self._entries.items() if f[:4] == folded[:4]]

    # ---- lookup ------------------------------------------------------------------------------

    def _find(self, key: VarKey) -> _Entry | None:
        return self._entries.get(key.folded)

    def _entry(self, component: str, variable: str, *, instance: str | None, component_instance: str | None,
               evse: int | None, connector: int | None) -> _Entry:
        key = VarKey(component, variable, component_instance, instance, evse, connector)
        entry = self._find(key)
        if entry is None:
            raise KeyError(f"unknown device model variable {key}")
        return entry

    def _resolve(self, component: Mapping[str, Any], variable: Mapping[str, Any]) -> tuple[str, _Entry | None]:
        """Map a ComponentType/VariableType pair to an entry, or to the B05/B06 unknown status."""
        evse = component.get("evse") or {}
        ckey = VarKey(
            component=str(component.get("name", "")),
            variable=str(variable.get("name", "")),
            component_instance=component.get("instance") or None,  # "" counts as absent (B06.FR.15)
            variable_instance=variable.get("instance") or None,
            evse=evse.get("id"),
            connector=evse.get("connectorId") if evse else None,
        )
        if _component_id(ckey) not in self._components:
            return "UnknownComponent", None
        entry = self._find(ckey)
        if entry is None:
            return "UnknownVariable", None
        return "Accepted", entry

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            key = VarKey.parse(key)
        return isinstance(key, VarKey) and self._find(key) is not None

    def keys(self) -> list[VarKey]:
        """Every modelled variable, in report order."""
        return [self._entries[f].key for f in self._report_order()]

    def spec(self, key: VarKey | str) -> VariableSpec:
        entry = self._find(VarKey.parse(key) if isinstance(key, str) else key)
        if entry is None:
            raise KeyError(f"unknown device model variable {key}")
        return entry.spec

    @property
    def topology(self) -> tuple[tuple[int, tuple[int, ...]], ...]:
        return self._topology

    # ---- values ------------------------------------------------------------------------------

    def _current_text(self, entry: _Entry, attr: str) -> str | None:
        if attr == "Actual" and entry.provider is not None:
            value = entry.provider()
            return None if value is None else _to_text(entry.spec, value)
        return entry.values.get(attr)

    @staticmethod
    def _typed(spec: VariableSpec, text: str | None) -> Any:
        if text is None:
            return None
        try:
            return _parse(spec, text)
        except _Rejected:
            return text

    def get(self, component: str, variable: str, *, instance: str | None = None,
            component_instance: str | None = None, evse: int | None = None, connector: int | None = None,
            attribute: str = "Actual") -> Any:
        """Typed value for the station's own logic (WriteOnly values included); None when unset.

        integer -> int, decimal -> float, boolean -> bool, dateTime -> datetime,
        MemberList/SequenceList -> list[str], string/OptionList -> str.
        """
        entry = self._entry(component, variable, instance=instance, component_instance=component_instance,
                            evse=evse, connector=connector)
        if attribute not in entry.spec.attributes:
            raise KeyError(f"{entry.key}: attribute {attribute} not supported")
        return self._typed(entry.spec, self._current_text(entry, attribute))

    def set_value(self, component: str, variable: str, value: Any, *, instance: str | None = None,
                  component_instance: str | None = None, evse: int | None = None,
                  connector: int | None = None, attribute: str = "Actual") -> None:
        """Station-side update (ignores mutability and limits, checks the syntax); notifies listeners.

        Physical measurements may leave their limits (Part 1 §4.3), so limits are not enforced here.
        """
        entry = self._entry(component, variable, instance=instance, component_instance=component_instance,
                            evse=evse, connector=connector)
        if attribute not in entry.spec.attributes:
            raise KeyError(f"{entry.key}: attribute {attribute} not supported")
        text = None if value is None else _to_text(entry.spec, value)
        if text is not None:
            try:
                _parse(entry.spec, text)
            except _Rejected as exc:
                raise ValueError(f"{entry.key}: {text!r}: {exc.info}") from None
        old = self._current_text(entry, attribute)
        entry.values[attribute] = text
        if old != text:
            self._notify([Change(entry.key, attribute, self._typed(entry.spec, old),
                                 self._typed(entry.spec, text), "station")])

    def bind(self, component: str, variable: str, provider: Callable[[], Any] | None, *,
             instance: str | None = None, component_instance: str | None = None, evse: int | None = None,
             connector: int | None = None) -> None:
        """Let ``provider()`` supply the live Actual value (e.g. CertificateEntries, EVSE Power)."""
        entry = self._entry(component, variable, instance=instance, component_instance=component_instance,
                            evse=evse, connector=connector)
        entry.provider = provider

    # ---- hooks -------------------------------------------------------------------------------

    def add_listener(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(change)`` after every value change; returns an unsubscribe function."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def on_change(self, component: str, variable: str, callback: Callable[[Change], None], *,
                  instance: str | None = None) -> Callable[[], None]:
        """Listener restricted to one component/variable (any evse/connector)."""
        c, v, i = component.casefold(), variable.casefold(), (instance or "").casefold()

        def _filter(change: Change) -> None:
            k = change.key
            if k.component.casefold() == c and k.variable.casefold() == v and (k.variable_instance or "").casefold() == i:
                callback(change)

        return self.add_listener(_filter)

    def add_validator(self, validator: Validator) -> Callable[[], None]:
        """``validator(key, attribute, typed_value)`` -> None to allow, or a reasonCode to reject.

        Runs for SetVariables entries that passed the built-in checks (e.g. A05.FR.02/03 checks of
        NetworkConfigurationPriority against the installed certificates).
        """
        self._validators.append(validator)
        return lambda: self._validators.remove(validator) if validator in self._validators else None

    def _notify(self, changes: list[Change]) -> None:
        for change in changes:
            for listener in list(self._listeners):
                listener(change)

    # ---- limits ------------------------------------------------------------------------------

    def items_per_message(self, message: str) -> int:
        """DeviceDataCtrlr.ItemsPerMessage[<message>] (GetReport, GetVariables, SetVariables)."""
        return int(self.get("DeviceDataCtrlr", "ItemsPerMessage", instance=message))

    def bytes_per_message(self, message: str) -> int:
        """DeviceDataCtrlr.BytesPerMessage[<message>] (GetReport, GetVariables, SetVariables)."""
        return int(self.get("DeviceDataCtrlr", "BytesPerMessage", instance=message))

    def _size_limit(self, variable: str, schema_max: int) -> int:
        entry = self._find(VarKey("DeviceDataCtrlr", variable))
        if entry is None:
            return schema_max
        value = self._typed(entry.spec, self._current_text(entry, "Actual"))
        return min(value, schema_max) if isinstance(value, int) and value > 0 else schema_max

    @property
    def reporting_value_size(self) -> int:
        return self._size_limit("ReportingValueSize", SCHEMA_REPORT_VALUE_MAX)

    @property
    def configuration_value_size(self) -> int:
        return self._size_limit("ConfigurationValueSize", SCHEMA_SET_VALUE_MAX)

    # ---- B06 GetVariables ----------------------------------------------------------------------

    def get_variables(self, request_items: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """GetVariableResultType list, one per GetVariableData, in request order (B06.FR.01/02)."""
        return [self._get_one(item) for item in request_items]

    def _get_one(self, item: Mapping[str, Any]) -> dict[str, Any]:
        attr = item.get("attributeType") or "Actual"
        result: dict[str, Any] = {
            "attributeStatus": "Accepted",
            "attributeType": attr,  # echoed when given (B06.FR.03), Actual otherwise (B06.FR.11)
            "component": copy.deepcopy(dict(item["component"])),
            "variable": copy.deepcopy(dict(item["variable"])),
        }
        status, entry = self._resolve(item["component"], item["variable"])
        if entry is None:  # B06.FR.06 / B06.FR.07 / B06.FR.15: no attributeValue
            result["attributeStatus"] = status
            return result
        aspec = entry.spec.attributes.get(attr)
        if aspec is None:  # B06.FR.08
            result["attributeStatus"] = "NotSupportedAttributeType"
            return result
        if aspec.mutability == "WriteOnly":  # B06.FR.09, value never returned
            result["attributeStatus"] = "Rejected"
            result["attributeStatusInfo"] = {"reasonCode": "WriteOnly"}
            return result
        text = self._current_text(entry, attr)
        # B06.FR.10; an unset (but supported) attribute reads as "" (B06.FR.13)
        result["attributeValue"] = (text or "")[: self.reporting_value_size]
        return result

    # ---- B05 SetVariables ----------------------------------------------------------------------

    def set_variables(self, request_items: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """SetVariableResultType list, one per SetVariableData, in request order (B05.FR.01/02).

        Entries are applied in order; listeners run after the whole request has been processed.
        """
        changes: list[Change] = []
        results = [self._set_one(item, changes) for item in request_items]
        self._notify(changes)
        return results

    def _set_one(self, item: Mapping[str, Any], changes: list[Change]) -> dict[str, Any]:
        attr = item.get("attributeType") or "Actual"
        result: dict[str, Any] = {
            "attributeType": attr,  # echoed (B05.FR.03) or Actual (B05.FR.12)
            "attributeStatus": "Accepted",
            "component": copy.deepcopy(dict(item["component"])),
            "variable": copy.deepcopy(dict(item["variable"])),
        }
        status, entry = self._resolve(item["component"], item["variable"])
        if entry is None:  # B05.FR.04 / B05.FR.05
            result["attributeStatus"] = status
            return result
        spec = entry.spec
        aspec = spec.attributes.get(attr)
        if aspec is None:  # B05.FR.06
            result["attributeStatus"] = "NotSupportedAttributeType"
            return result
        text = item.get("attributeValue")
        try:
            if not isinstance(text, str):
                raise _Rejected("InvalidValue", "attributeValue missing")
            if len(text) > self.configuration_value_size:
                raise _Rejected("TooLargeElement", "longer than ConfigurationValueSize")
            bounds = self._set_bounds(entry, attr)
            value = _check(spec, text, min_set=bounds[0], max_set=bounds[1])  # B05.FR.07 / B05.FR.08
            if aspec.mutability == "ReadOnly":  # B05.FR.09
                raise _Rejected("ReadOnly")
            for validator in list(self._validators):
                reason = validator(entry.key, attr, value)
                if reason:
                    raise _Rejected(str(reason)[:20])
        except _Rejected as exc:
            result["attributeStatus"] = "Rejected"
            info: dict[str, Any] = {"reasonCode": exc.reason}
            if exc.info:
                info["additionalInfo"] = exc.info[:512]
            result["attributeStatusInfo"] = info
            return result
        old = self._current_text(entry, attr)
        entry.values[attr] = text
        if old != text:
            changes.append(Change(entry.key, attr, self._typed(spec, old), value, "csms"))
        result["attributeStatus"] = "RebootRequired" if spec.reboot_required else "Accepted"  # B05.FR.10
        return result

    def _set_bounds(self, entry: _Entry, attr: str) -> tuple[float | None, float | None]:
        """MinSet/MaxSet bound writes to Actual and Target (Part 1 §4.3)."""
        if attr not in ("Actual", "Target") or entry.spec.data_type not in ("integer", "decimal"):
            return None, None
        bounds = []
        for name in ("MinSet", "MaxSet"):
            text = entry.values.get(name) if name in entry.spec.attributes else None
            bounds.append(float(text) if text else None)
        return bounds[0], bounds[1]

    # ---- B07 report data -----------------------------------------------------------------------

    def _report_order(self) -> list[tuple]:
        """Controllers in table order, then ChargingStation, then each EVSE followed by its connectors."""
        station = [f for f in self._order if f[4] is None]
        physical = [f for f in self._order if f[4] is not None]
        physical.sort(key=lambda f: (f[4], -1 if f[5] is None else f[5]))  # stable: table order within
        return station + physical

    def report_data(self, report_base: str) -> list[dict[str, Any]]:
        """ReportDataType list for GetBaseReport (B07), deterministic order.

        FullInventory: every variable with all supported attribute types, even unset (B07.FR.08/11).
        ConfigurationInventory: only variables (and attributes) the operator can set (B07.FR.07).
        SummaryInventory: availability of ChargingStation, EVSEs and connectors (B07.FR.09).
        WriteOnly values are never included (B07.FR.03 as amended by E2025 §2.10).
        """
        if report_base not in REPORT_BASES:
            raise ValueError(f"unsupported reportBase {report_base!r}")
        out = []
        for folded in self._report_order():
            entry = self._entries[folded]
            spec = entry.spec
            if report_base == "SummaryInventory" and not (
                spec.variable == "AvailabilityState" and spec.component in ("ChargingStation", "EVSE", "Connector")
            ):
                continue
            attrs = [a for a in ATTRIBUTE_TYPES if a in spec.attributes]
            if report_base == "ConfigurationInventory":
                attrs = [a for a in attrs if spec.attributes[a].mutability != "ReadOnly"]
                if not attrs:
                    continue
            out.append(self._report_entry(entry, attrs))
        return out

    def _report_entry(self, entry: _Entry, attrs: Sequence[str]) -> dict[str, Any]:
        spec = entry.spec
        variable_attribute = []
        for attr in attrs:
            mutability = spec.attributes[attr].mutability
            va: dict[str, Any] = {"type": attr}
            if mutability != "WriteOnly":
                va["value"] = (self._current_text(entry, attr) or "")[: self.reporting_value_size]
            va["mutability"] = mutability
            va["persistent"] = spec.is_persistent
            va["constant"] = spec.constant
            variable_attribute.append(va)
        characteristics: dict[str, Any] = {"dataType": spec.data_type}
        if spec.unit is not None:
            characteristics["unit"] = spec.unit
        if spec.min_limit is not None:
            characteristics["minLimit"] = spec.min_limit
        if spec.max_limit is not None:
            characteristics["maxLimit"] = spec.max_limit
        if spec.values_list is not None:
            characteristics["valuesList"] = ",".join(spec.values_list)[:SCHEMA_VALUES_LIST_MAX]
        characteristics["supportsMonitoring"] = spec.supports_monitoring
        return {
            "component": entry.key.component_dict(),
            "variable": entry.key.variable_dict(),
            "variableAttribute": variable_attribute,
            "variableCharacteristics": characteristics,
        }

    # ---- persistence ---------------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """JSON-serialisable state of all persistent variables (writable ones, SecurityProfile ...)."""
        values: dict[str, dict[str, str | None]] = {}
        for folded in self._report_order():
            entry = self._entries[folded]
            if entry.spec.is_persistent and entry.provider is None:
                values[str(entry.key)] = {a: entry.values.get(a) for a in entry.spec.attributes}
        return {"format": 1, "values": values}

    def restore(self, snapshot: Mapping[str, Any]) -> None:
        """Load values saved by :meth:`snapshot` (e.g. after a reboot); no listeners are called.

        Keys unknown to this model and values that no longer fit (firmware/device model change) are
        skipped, so a stale snapshot cannot break the boot.
        """
        if snapshot.get("format") != 1:
            raise ValueError("unsupported device model snapshot format")
        for text_key, attrs in snapshot.get("values", {}).items():
            try:
                entry = self._find(VarKey.parse(text_key))
            except ValueError:
                continue
            if entry is None or not entry.spec.is_persistent:
                continue
            for attr, text in attrs.items():
                if attr not in entry.spec.attributes:
                    continue
                if text is not None:
                    try:
                        _check(entry.spec, text)
                    except _Rejected:
                        continue
                entry.values[attr] = text
