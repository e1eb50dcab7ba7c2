"""Device-model components and variables the suite reads and writes, each name written once.

Each constant is the ComponentVariable an OCPP 2.0.1 message carries (GetVariables, SetVariables,
GetReport): ``{"component": {"name": ...}, "variable": {"name": ...}}``, named after the variable of
Part 2's referenced components and variables. Add attributes with ``dict(OFFLINE_THRESHOLD,
attributeValue="300")``; never change a constant in place.
"""

from __future__ import annotations

from typing import Any


def component_variable(component: str, variable: str, *, instance: str | None = None,
                       evse: int | None = None, connector: int | None = None) -> dict[str, Any]:
    """A ComponentVariable: ``component_variable("EVSE", "AvailabilityState", evse=1)``."""
    comp: dict[str, Any] = {"name": component}
    if evse is not None:
        comp["evse"] = {"id": evse} if connector is None else {"id": evse, "connectorId": connector}
    var: dict[str, Any] = {"name": variable}
    if instance is not None:
        var["instance"] = instance
    return {"component": comp, "variable": var}


# OCPPCommCtrlr
OFFLINE_THRESHOLD = component_variable("OCPPCommCtrlr", "OfflineThreshold")
MESSAGE_TIMEOUT_DEFAULT = component_variable("OCPPCommCtrlr", "MessageTimeout", instance="Default")
NETWORK_CONFIGURATION_PRIORITY = component_variable("OCPPCommCtrlr", "NetworkConfigurationPriority")
NETWORK_PROFILE_CONNECTION_ATTEMPTS = component_variable("OCPPCommCtrlr", "NetworkProfileConnectionAttempts")
ACTIVE_NETWORK_PROFILE = component_variable("OCPPCommCtrlr", "ActiveNetworkProfile")
RETRY_BACK_OFF_WAIT_MINIMUM = component_variable("OCPPCommCtrlr", "RetryBackOffWaitMinimum")
RETRY_BACK_OFF_RANDOM_RANGE = component_variable("OCPPCommCtrlr", "RetryBackOffRandomRange")
RETRY_BACK_OFF_REPEAT_TIMES = component_variable("OCPPCommCtrlr", "RetryBackOffRepeatTimes")
FILE_TRANSFER_PROTOCOLS = component_variable("OCPPCommCtrlr", "FileTransferProtocols")
MESSAGE_ATTEMPTS_TRANSACTION_EVENT = component_variable("OCPPCommCtrlr", "MessageAttempts", instance="TransactionEvent")
MESSAGE_ATTEMPT_INTERVAL_TRANSACTION_EVENT = component_variable("OCPPCommCtrlr", "MessageAttemptInterval",
                                                                instance="TransactionEvent")

# AuthCtrlr
AUTHORIZE_REMOTE_START = component_variable("AuthCtrlr", "AuthorizeRemoteStart")
LOCAL_AUTHORIZE_OFFLINE = component_variable("AuthCtrlr", "LocalAuthorizeOffline")
AUTH_ENABLED = component_variable("AuthCtrlr", "Enabled")
DISABLE_REMOTE_AUTHORIZATION = component_variable("AuthCtrlr", "DisableRemoteAuthorization")
LOCAL_PRE_AUTHORIZE = component_variable("AuthCtrlr", "LocalPreAuthorize")
MASTER_PASS_GROUP_ID = component_variable("AuthCtrlr", "MasterPassGroupId")
AUTH_CACHE_ENABLED = component_variable("AuthCacheCtrlr", "Enabled")
# ccache: the rest of AuthCacheCtrlr (Part 2 §2.4)
AUTH_CACHE_AVAILABLE = component_variable("AuthCacheCtrlr", "Available")
AUTH_CACHE_LIFE_TIME = component_variable("AuthCacheCtrlr", "LifeTime")
AUTH_CACHE_DISABLE_POST_AUTHORIZE = component_variable("AuthCacheCtrlr", "DisablePostAuthorize")
LOCAL_AUTH_LIST_ENABLED = component_variable("LocalAuthListCtrlr", "Enabled")
# LocalAuthListCtrlr (dlist): Part 2 §2.5
LOCAL_AUTH_LIST_ENTRIES = component_variable("LocalAuthListCtrlr", "Entries")
LOCAL_AUTH_LIST_ITEMS_PER_MESSAGE = component_variable("LocalAuthListCtrlr", "ItemsPerMessage")
LOCAL_AUTH_LIST_BYTES_PER_MESSAGE = component_variable("LocalAuthListCtrlr", "BytesPerMessage")
LOCAL_AUTH_LIST_DISABLE_POST_AUTHORIZE = component_variable("LocalAuthListCtrlr", "DisablePostAuthorize")
# ISO15118Ctrlr (c15118: C07 Plug & Charge authorization)
PNC_ENABLED = component_variable("ISO15118Ctrlr", "PnCEnabled")
CENTRAL_CONTRACT_VALIDATION_ALLOWED = component_variable("ISO15118Ctrlr", "CentralContractValidationAllowed")
CONTRACT_VALIDATION_OFFLINE = component_variable("ISO15118Ctrlr", "ContractValidationOffline")

# SampledDataCtrlr
SIGN_READINGS = component_variable("SampledDataCtrlr", "SignReadings")
PUBLIC_KEY_WITH_SIGNED_METER_VALUE = component_variable("OCPPCommCtrlr", "PublicKeyWithSignedMeterValue")

# DeviceDataCtrlr
ITEMS_PER_MESSAGE = component_variable("DeviceDataCtrlr", "ItemsPerMessage")

# TxCtrlr
TX_START_POINT = component_variable("TxCtrlr", "TxStartPoint")
TX_STOP_POINT = component_variable("TxCtrlr", "TxStopPoint")
EV_CONNECTION_TIMEOUT = component_variable("TxCtrlr", "EVConnectionTimeOut")
STOP_TX_ON_EV_SIDE_DISCONNECT = component_variable("TxCtrlr", "StopTxOnEVSideDisconnect")
STOP_TX_ON_INVALID_ID = component_variable("TxCtrlr", "StopTxOnInvalidId")
UNLOCK_ON_EV_SIDE_DISCONNECT = component_variable("OCPPCommCtrlr", "UnlockOnEVSideDisconnect")

# SampledDataCtrlr, AlignedDataCtrlr (Part 2 §2.7, block J)
SAMPLED_TX_STARTED_MEASURANDS = component_variable("SampledDataCtrlr", "TxStartedMeasurands")
SAMPLED_TX_UPDATED_MEASURANDS = component_variable("SampledDataCtrlr", "TxUpdatedMeasurands")
SAMPLED_TX_UPDATED_INTERVAL = component_variable("SampledDataCtrlr", "TxUpdatedInterval")
SAMPLED_TX_ENDED_MEASURANDS = component_variable("SampledDataCtrlr", "TxEndedMeasurands")
SAMPLED_TX_ENDED_INTERVAL = component_variable("SampledDataCtrlr", "TxEndedInterval")
SAMPLED_SIGN_READINGS = component_variable("SampledDataCtrlr", "SignReadings")
SAMPLED_REGISTER_VALUES_WITHOUT_PHASES = component_variable("SampledDataCtrlr", "RegisterValuesWithoutPhases")
ALIGNED_MEASURANDS = component_variable("AlignedDataCtrlr", "Measurands")
ALIGNED_INTERVAL = component_variable("AlignedDataCtrlr", "Interval")
ALIGNED_TX_ENDED_MEASURANDS = component_variable("AlignedDataCtrlr", "TxEndedMeasurands")
ALIGNED_TX_ENDED_INTERVAL = component_variable("AlignedDataCtrlr", "TxEndedInterval")
ALIGNED_SEND_DURING_IDLE = component_variable("AlignedDataCtrlr", "SendDuringIdle")
ALIGNED_SIGN_READINGS = component_variable("AlignedDataCtrlr", "SignReadings")
PUBLIC_KEY_WITH_SIGNED_METER_VALUE = component_variable("OCPPCommCtrlr", "PublicKeyWithSignedMeterValue")

# MonitoringCtrlr
ACTIVE_MONITORING_LEVEL = component_variable("MonitoringCtrlr", "ActiveMonitoringLevel")

# SmartChargingCtrlr, ClockCtrlr
LIMIT_CHANGE_SIGNIFICANCE = component_variable("SmartChargingCtrlr", "LimitChangeSignificance")
NEXT_TIME_OFFSET_TRANSITION_DATE_TIME = component_variable("ClockCtrlr", "NextTimeOffsetTransitionDateTime")


def evse_availability_state(evse: int) -> dict[str, Any]:
    """EVSE.AvailabilityState of one EVSE."""
    return component_variable("EVSE", "AvailabilityState", evse=evse)


__all__ = ["ACTIVE_MONITORING_LEVEL", "ACTIVE_NETWORK_PROFILE", "AUTH_CACHE_ENABLED", "AUTH_ENABLED",
           "AUTHORIZE_REMOTE_START", "DISABLE_REMOTE_AUTHORIZATION", "LOCAL_AUTH_LIST_ENABLED",
           "LOCAL_PRE_AUTHORIZE", "SIGN_READINGS", "PUBLIC_KEY_WITH_SIGNED_METER_VALUE",
           "EV_CONNECTION_TIMEOUT", "ITEMS_PER_MESSAGE", "LIMIT_CHANGE_SIGNIFICANCE",
           "LOCAL_AUTHORIZE_OFFLINE", "MESSAGE_TIMEOUT_DEFAULT", "NETWORK_CONFIGURATION_PRIORITY",
           "NETWORK_PROFILE_CONNECTION_ATTEMPTS", "NEXT_TIME_OFFSET_TRANSITION_DATE_TIME", "OFFLINE_THRESHOLD",
           "RETRY_BACK_OFF_RANDOM_RANGE", "RETRY_BACK_OFF_REPEAT_TIMES", "RETRY_BACK_OFF_WAIT_MINIMUM",
           "STOP_TX_ON_EV_SIDE_DISCONNECT", "STOP_TX_ON_INVALID_ID", "UNLOCK_ON_EV_SIDE_DISCONNECT", "TX_START_POINT", "TX_STOP_POINT", "component_variable", "evse_availability_state",
           # dlist
           "LOCAL_AUTH_LIST_ENTRIES", "LOCAL_AUTH_LIST_ITEMS_PER_MESSAGE", "LOCAL_AUTH_LIST_BYTES_PER_MESSAGE",
           "LOCAL_AUTH_LIST_DISABLE_POST_AUTHORIZE"]
__all__ += ["AUTH_CACHE_AVAILABLE", "AUTH_CACHE_DISABLE_POST_AUTHORIZE", "AUTH_CACHE_LIFE_TIME"]  # ccache
