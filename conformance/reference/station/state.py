"""What the reference station keeps: its factory settings, and the state that survives a reboot."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature

from ...device_model.model import DEFAULT_FEATURES


# The reference station's own factory settings, where they differ from the device model's defaults.
# Reconnect back-off (Part 4 §5.3): 1 s first, no random part, so that reconnecting takes about a second.
FACTORY_SETTINGS = {"OCPPCommCtrlr.OfflineThreshold": 180, "OCPPCommCtrlr.RetryBackOffWaitMinimum": 1,
                    "OCPPCommCtrlr.RetryBackOffRandomRange": 0,
                    # Its meters measure more than energy: the updated and clock-aligned samples carry power / voltage.
                    "SampledDataCtrlr.TxUpdatedMeasurands": "Energy.Active.Import.Register,Power.Active.Import",
                    "AlignedDataCtrlr.Measurands": "Energy.Active.Import.Register,Voltage"}
# The optional device model groups of the reference station: it supports Smart Charging.
STATION_FEATURES = DEFAULT_FEATURES | {"SmartCharging", "ISO15118"}

def _issued_by(certificate: Any, issuer: Any) -> bool:
    """Whether ``issuer`` (a CA certificate) signed ``certificate``: names match and the signature verifies."""
    try:
        certificate.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


@dataclass
class Transaction:
    transaction_id: str
    evse: int
    connector: int
    seq_no: int = 0
    id_token: dict[str, Any] | None = None
    charging: bool = False
    stop_authorized: bool = False  # the driver ended the authorization (E07)
    stopped_reason: str | None = None  # set by a stop that decides the Ended event's stoppedReason (F03: Remote)
    # stop points (helper estop): the EV suspended the energy transfer (SuspendedEV); the authorization was ended
    # by the station (EV-side disconnect with StopTxOnEVSideDisconnect, E09.FR.01; a fixed cable not plugged back
    # in, E10.FR.02; an idToken found invalid, E05), so a reconnected EV does not charge again
    suspended_ev: bool = False
    deauthorized: bool = False


@dataclass
class StationState:
    """What survives a reboot (the persistent part)."""

    device_model_snapshot: dict[str, Any] | None = None
    tx_counter: int = 0
    charging_profiles: dict[int, tuple[int, dict[str, Any]]] = field(default_factory=dict)  # K01.FR.27
    plugged: set[tuple[int, int]] = field(default_factory=set)
    # estart: EVSEs whose parking bay holds an EV (action drive_in, TxStartPoint ParkingBayOccupancy). (The key of the
    # meter that signs readings is the meter values area's.)
    parked: set[int] = field(default_factory=set)
    # Availability set by ChangeAvailability, persistent across reboots (G03.FR.08, G04.FR.09): the
    # Inoperative scopes, () for the station, (evse,) for an EVSE, (evse, connector) for a connector.
    inoperative: set[tuple[int, ...]] = field(default_factory=set)
    # Changes answered Scheduled (G03.FR.05, G04.FR.06): scope -> operative, applied when the
    # transactions in the scope have ended.
    scheduled: dict[tuple[int, ...], bool] = field(default_factory=dict)
    # Reservations (H01), persistent across reboots (B11.FR.05, B01.FR.13): reservationId -> the
    # ReserveNowRequest payload that made it (always with evseId).
    reservations: dict[int, dict[str, Any]] = field(default_factory=dict)
    # Network profiles (B09/B10): configuration slot -> NetworkConnectionProfile (connectionData), and the slot
    # of the last successful connection (B10.FR.07).
    network_profiles: dict[int, dict[str, Any]] = field(default_factory=dict)
    network_last_slot: int | None = None
    # Installed certificates by certificateType (InstallCertificate, M05), PEM; a wss:// CSMS is checked against
    # the CSMSRootCertificates (security profile 2).
    certificates: dict[str, list[str]] = field(default_factory=dict)
    # With AdditionalRootCertificateCheck (AS-2): the previous CSMS root, kept (also in ``certificates``) as the
    # fallback until a connection validated with the new one succeeds (M05.FR.12/13); the CertificateHashData of
    # each installed certificate, computed when it was installed (its issuer may be gone later).
    csms_root_fallback: str | None = None
    certificate_hashes: dict[str, dict[str, str]] = field(default_factory=dict)
    # dlist: the Local Authorization List (D01.FR.10: non-volatile): (idToken, type) -> AuthorizationData as the CSMS
    # sent it, and its version (0: no list installed, D02.FR.02).
    local_list: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    local_list_version: int = 0
    # ccache: the Authorization Cache (C10.FR.02: persistent across reboots): (idToken, type) -> entry (the idTokenInfo
    # the CSMS returned last, when it was stored / last used on the station's clock, how often it was used).
    auth_cache: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)


@dataclass
class NetworkPlan:
    """The station's volatile connection plan (B10): the slots still to try in this pass, how many passes
    failed completely, and the slot of the open connection (None while connecting)."""

    queue: list[int] = field(default_factory=list)
    passes: int = 0
    active: int | None = None
