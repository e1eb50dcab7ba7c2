"""The 64 OCPP 2.0.1 actions, the 16 functional blocks and our 12 message-reference categories.

Hand-written data (no generator). Directions and functional blocks follow the OCPP 2.0.1
specification (see /work/shared/notes/dependencies.md section 1.6); categories and the one-line
purposes are this project's own grouping and wording.
"""

from __future__ import annotations

from typing import Final, Literal

Initiator = Literal["ChargingStation", "CSMS", "Both"]

#: Functional block letter -> block name (Part 2 / Part 6 chapter names, spaced for reading).
BLOCKS: Final[dict[str, str]] = {
    "A": "Security",
    "B": "Provisioning",
    "C": "Authorization",
    "D": "Local Authorization List Management",
    "E": "Transactions",
    "F": "Remote Control",
    "G": "Availability",
    "H": "Reservation",
    "I": "Tariff and Cost",
    "J": "Meter Values",
    "K": "Smart Charging",
    "L": "Firmware Management",
    "M": "ISO 15118 Certificate Management",
    "N": "Diagnostics",
    "O": "Display Message",
    "P": "Data Transfer",
}

#: Our message-reference categories, in display order.
CATEGORIES: Final[tuple[str, ...]] = (
    "Core",
    "Remote Control",
    "Configuration",
    "Smart Charging",
    "Firmware Management",
    "Monitoring",
    "Reservation",
    "Certificate Management",
    "Local Auth List",
    "Display Management",
    "Customer Information",
    "Data Transfer",
)

_CS: Final = "ChargingStation"
_CSMS: Final = "CSMS"

#: (action, initiator, block letter, category, purpose), grouped by category.
MESSAGE_TABLE: Final[tuple[tuple[str, Initiator, str, str, str], ...]] = (
    # Core (10)
    ("BootNotification", _CS, "B", "Core",
     "Station announces itself after (re)start and learns whether the CSMS accepts it."),
    ("Heartbeat", _CS, "G", "Core",
     "Keep-alive from the station; the reply carries the CSMS clock."),
    ("Authorize", _CS, "C", "Core",
     "Station asks the CSMS whether an idToken (or contract certificate) may charge."),
    ("TransactionEvent", _CS, "E", "Core",
     "Station reports the start, updates and end of a transaction."),
    ("StatusNotification", _CS, "G", "Core",
     "Station reports a change of a connector's availability status."),
    ("MeterValues", _CS, "J", "Core",
     "Station sends sampled or clock-aligned meter readings outside a transaction event."),
    ("SecurityEventNotification", _CS, "A", "Core",
     "Station informs the CSMS about a security-relevant event."),
    ("CostUpdated", _CSMS, "I", "Core",
     "CSMS pushes the running cost of a transaction to the station for display."),
    ("GetTransactionStatus", _CSMS, "E", "Core",
     "CSMS asks whether transaction messages are still queued at the station."),
    ("ClearCache", _CSMS, "C", "Core",
     "CSMS tells the station to empty its authorization cache."),
    # Remote Control (6)
    ("RequestStartTransaction", _CSMS, "F", "Remote Control",
     "CSMS asks the station to start a transaction for a given idToken."),
    ("RequestStopTransaction", _CSMS, "F", "Remote Control",
     "CSMS asks the station to stop a running transaction."),
    ("TriggerMessage", _CSMS, "F", "Remote Control",
     "CSMS asks the station to send a specific message now."),
    ("UnlockConnector", _CSMS, "F", "Remote Control",
     "CSMS asks the station to release the cable lock of a connector."),
    ("ChangeAvailability", _CSMS, "G", "Remote Control",
     "CSMS sets the station, an EVSE or a connector operative or inoperative."),
    ("Reset", _CSMS, "B", "Remote Control",
     "CSMS asks the station (or one EVSE) to reboot, now or when idle."),
    # Configuration (6)
    ("GetVariables", _CSMS, "B", "Configuration",
     "CSMS reads device-model variable values from the station."),
    ("SetVariables", _CSMS, "B", "Configuration",
     "CSMS writes device-model variable values at the station."),
    ("GetBaseReport", _CSMS, "B", "Configuration",
     "CSMS requests one of the predefined device-model reports."),
    ("GetReport", _CSMS, "B", "Configuration",
     "CSMS requests a device-model report filtered by component/variable criteria."),
    ("NotifyReport", _CS, "B", "Configuration",
     "Station delivers (part of) a requested device-model report."),
    ("SetNetworkProfile", _CSMS, "B", "Configuration",
     "CSMS stores a network connection profile in one of the station's slots."),
    # Smart Charging (9)
    ("SetChargingProfile", _CSMS, "K", "Smart Charging",
     "CSMS installs a charging profile (power/current limits over time) at the station."),
    ("GetChargingProfiles", _CSMS, "K", "Smart Charging",
     "CSMS asks the station to report its installed charging profiles."),
    ("ClearChargingProfile", _CSMS, "K", "Smart Charging",
     "CSMS removes one or more charging profiles from the station."),
    ("GetCompositeSchedule", _CSMS, "K", "Smart Charging",
     "CSMS asks for the schedule that results from all active profiles on an EVSE."),
    ("ReportChargingProfiles", _CS, "K", "Smart Charging",
     "Station delivers the charging profiles asked for by GetChargingProfiles."),
    ("NotifyChargingLimit", _CS, "K", "Smart Charging",
     "Station reports a charging limit imposed by an external system."),
    ("ClearedChargingLimit", _CS, "K", "Smart Charging",
     "Station reports that an external charging limit was lifted."),
    ("NotifyEVChargingNeeds", _CS, "K", "Smart Charging",
     "Station forwards the EV's charging needs (ISO 15118) to the CSMS."),
    ("NotifyEVChargingSchedule", _CS, "K", "Smart Charging",
     "Station forwards the schedule the EV selected (ISO 15118) to the CSMS."),
    # Firmware Management (7)
    ("UpdateFirmware", _CSMS, "L", "Firmware Management",
     "CSMS tells the station where to download signed firmware and when to install it."),
    ("FirmwareStatusNotification", _CS, "L", "Firmware Management",
     "Station reports progress of a firmware download and installation."),
    ("PublishFirmware", _CSMS, "L", "Firmware Management",
     "CSMS asks a Local Controller to host a firmware image for its stations."),
    ("PublishFirmwareStatusNotification", _CS, "L", "Firmware Management",
     "Local Controller reports progress of publishing a firmware image."),
    ("UnpublishFirmware", _CSMS, "L", "Firmware Management",
     "CSMS asks a Local Controller to stop hosting a firmware image."),
    ("GetLog", _CSMS, "N", "Firmware Management",
     "CSMS asks the station to upload a diagnostics or security log file."),
    ("LogStatusNotification", _CS, "N", "Firmware Management",
     "Station reports progress of a log file upload."),
    # Monitoring (7)
    ("SetVariableMonitoring", _CSMS, "N", "Monitoring",
     "CSMS installs monitors that raise events when variables change or cross thresholds."),
    ("ClearVariableMonitoring", _CSMS, "N", "Monitoring",
     "CSMS removes monitors by id."),
    ("SetMonitoringBase", _CSMS, "N", "Monitoring",
     "CSMS activates a predefined set of monitors (all, factory default or hard-wired only)."),
    ("SetMonitoringLevel", _CSMS, "N", "Monitoring",
     "CSMS sets the severity threshold above which monitor events are reported."),
    ("GetMonitoringReport", _CSMS, "N", "Monitoring",
     "CSMS asks which monitors are configured at the station."),
    ("NotifyMonitoringReport", _CS, "N", "Monitoring",
     "Station delivers (part of) a requested monitoring report."),
    ("NotifyEvent", _CS, "N", "Monitoring",
     "Station reports events raised by monitors or by built-in triggers."),
    # Reservation (3)
    ("ReserveNow", _CSMS, "H", "Reservation",
     "CSMS reserves an EVSE (or a connector type) for an idToken until an expiry time."),
    ("CancelReservation", _CSMS, "H", "Reservation",
     "CSMS withdraws an existing reservation."),
    ("ReservationStatusUpdate", _CS, "H", "Reservation",
     "Station reports that a reservation expired or was removed."),
    # Certificate Management (7)
    ("SignCertificate", _CS, "A", "Certificate Management",
     "Station sends a certificate signing request for its own key pair."),
    ("CertificateSigned", _CSMS, "A", "Certificate Management",
     "CSMS delivers the signed certificate chain to the station."),
    ("InstallCertificate", _CSMS, "M", "Certificate Management",
     "CSMS installs a root (CA) certificate at the station."),
    ("DeleteCertificate", _CSMS, "M", "Certificate Management",
     "CSMS removes an installed certificate identified by its hash data."),
    ("GetInstalledCertificateIds", _CSMS, "M", "Certificate Management",
     "CSMS lists the hash data of certificates installed at the station."),
    ("Get15118EVCertificate", _CS, "M", "Certificate Management",
     "Station relays an EV's request to install or update its contract certificate."),
    ("GetCertificateStatus", _CS, "M", "Certificate Management",
     "Station asks the CSMS for the OCSP revocation status of a certificate."),
    # Local Auth List (2)
    ("SendLocalList", _CSMS, "D", "Local Auth List",
     "CSMS sends a full or differential local authorization list."),
    ("GetLocalListVersion", _CSMS, "D", "Local Auth List",
     "CSMS asks for the version number of the station's local authorization list."),
    # Display Management (4)
    ("SetDisplayMessage", _CSMS, "O", "Display Management",
     "CSMS puts a message on the station's display, optionally scheduled or prioritised."),
    ("GetDisplayMessages", _CSMS, "O", "Display Management",
     "CSMS asks the station to report its configured display messages."),
    ("ClearDisplayMessage", _CSMS, "O", "Display Management",
     "CSMS removes a display message by id."),
    ("NotifyDisplayMessages", _CS, "O", "Display Management",
     "Station delivers the display messages asked for by GetDisplayMessages."),
    # Customer Information (2)
    ("CustomerInformation", _CSMS, "N", "Customer Information",
     "CSMS asks the station to report and/or clear data stored about a customer."),
    ("NotifyCustomerInformation", _CS, "N", "Customer Information",
     "Station delivers the customer data asked for by CustomerInformation."),
    # Data Transfer (1)
    ("DataTransfer", "Both", "P", "Data Transfer",
     "Vendor-specific payload exchanged in either direction."),
)
