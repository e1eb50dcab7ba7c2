"""The reference station: TriggerMessage (F06) for every MessageTriggerEnumType value. The requested message goes
out after the TriggerMessageResponse (F06.FR.04) and carries current information only (F06.FR.09); an evse that is
not relevant to the message is ignored (F06.FR.03); an absent evse where it is relevant means every EVSE
(F06.FR.11); a message the station does not implement is answered NotImplemented (F06.FR.08)."""

from __future__ import annotations

import contextlib
from typing import Any

from ...actions.port import ActionFailed
from ...protocol.errors import PeerError
from ...protocol.frames import Call, encode, new_message_id, utc_now
from ...transport.connection import Connection
from .component import Component, Connectors, Handler, Station

# The messages whose evse the station takes into account; for the others it is not relevant (F06.FR.03).
EVSE_RELEVANT = ("MeterValues", "TransactionEvent", "StatusNotification")
# What the reference station cannot send: no ISO 15118 certificates, no local firmware publishing.
NOT_IMPLEMENTED = ("SignChargingStationCertificate", "SignV2GCertificate", "SignCombinedCertificate",
                   "PublishFirmwareStatusNotification")
# Part 5 C-29.x: the triggers a station declares it supports; without the feature it answers NotImplemented (the
# reference station behaves as its PICS declares). StatusNotification (C-29.5) and BootNotification (C-29.6) stay:
# the registration and OCPP-J cases use them whatever the PICS.
TRIGGER_FEATURES = {"MeterValues": "C-29.1", "TransactionEvent": "C-29.2", "LogStatusNotification": "C-29.3",
                    "FirmwareStatusNotification": "C-29.4"}


class Triggers(Component):
    """Answers TriggerMessage. The status of a log upload / firmware update job is kept here (``log_job`` /
    ``firmware_job``: the job's requestId and status) by the areas that run such jobs; Idle without one
    (F06.FR.15, F06.FR.16)."""

    def __init__(self, station: Station, boot: Any, availability: "Connectors", transactions: Any) -> None:
        super().__init__(station)
        self.boot = boot  # boot.Boot
        self.availability = availability
        self.transactions = transactions  # transactions.Transactions
        self.log_job: tuple[int, str] | None = None  # (requestId, LogStatusNotification status) while uploading
        self.firmware_job: tuple[int, str] | None = None  # (requestId, FirmwareStatusNotification status)
        self.meter: Any = None  # meter_values.MeterValues (set by the core): the station's one simulated meter

    def handlers(self) -> dict[str, Handler]:
        return {"TriggerMessage": self.on_TriggerMessage}

    def on_reboot(self) -> None:
        self.log_job = self.firmware_job = None

    # ------------------------------------------------------------------ the simulated meter
    def sample(self, evse: int, context: str, measurands_of: tuple[str, str]) -> list[dict[str, Any]]:
        """One MeterValue of ``evse`` now: a sampledValue per measurand of the device-model list ``measurands_of``
        (component, variable), each with ``context``."""
        listed = self.model.get(*measurands_of) or "Energy.Active.Import.Register"
        measurands = [m.strip() for m in (listed.split(",") if isinstance(listed, str) else listed) if m.strip()]
        readings = self.meter.reading(evse, measurands, context) or self.meter.reading(  # the station's one meter (J)
            evse, ["Energy.Active.Import.Register"], context)  # none of those measured: the energy register
        if "trigger_meter_context_periodic" in self.faults:
            for value in (s for r in readings for s in r["sampledValue"]):
                value["context"] = "Sample.Periodic"
        return readings

    # ------------------------------------------------------------------ TriggerMessage
    async def on_TriggerMessage(self, payload: dict[str, Any]) -> dict[str, Any]:
        conn = self.station.connection
        requested = payload["requestedMessage"]
        evse = payload.get("evse") if requested in EVSE_RELEVANT else None  # F06.FR.03
        if conn is None:
            return {"status": "Rejected"}
        if requested in TRIGGER_FEATURES and not self.station.supports(TRIGGER_FEATURES[requested]):
            return {"status": "NotImplemented"}  # F06.FR.08
        if evse is not None and not self.availability.connectors((evse["id"],)):
            return {"status": "Rejected", "statusInfo": {"reasonCode": "UnknownEvse"}}
        if requested == "BootNotification":
            return {"status": self.boot.trigger_boot(conn)}
        if requested == "Heartbeat":
            if "trigger_heartbeat_not_implemented" in self.faults:
                return {"status": "NotImplemented"}
            self.station.spawn(self.station.send_quietly(conn, "Heartbeat", {}))
            return {"status": "Accepted"}
        if requested == "StatusNotification":
            if evse is None or "connectorId" not in evse:
                return {"status": "Rejected"}  # F06.FR.12
            if not self.availability.connectors((evse["id"], evse["connectorId"])):
                return {"status": "Rejected", "statusInfo": {"reasonCode": "UnknownConnector"}}
            if "trigger_status_accepted_not_sent" in self.faults:
                return {"status": "Accepted"}
            self.station.spawn(self._status(conn, evse["id"], evse["connectorId"]))
            return {"status": "Accepted"}
        if requested == "MeterValues":
            evses = [evse["id"]] if evse is not None else [e for e, _ in self.station.evses]  # F06.FR.11
            if "trigger_meter_values_first_evse_only" in self.faults:
                evses = evses[:1]
            self.station.spawn(self._meter_values(conn, evses))
            return {"status": "Accepted"}
        if requested == "TransactionEvent":
            ongoing = self.transactions.in_scope(evse["id"] if evse is not None else None)
            if not ongoing:
                return {"status": "Rejected"}  # nothing to report: it is up to the station (F06.FR.05)
            self.station.spawn(self._transaction_events(ongoing))
            return {"status": "Accepted"}
        if requested == "LogStatusNotification":
            request_id, status = self.log_job or (None, "Idle")
            if "trigger_job_status_not_tracked" in self.faults:
                request_id, status = None, "Idle"
            if self.log_job is None and "trigger_log_status_last_upload" in self.faults:
                status = "Uploaded"
            message = {"status": status, **({"requestId": request_id} if request_id is not None else {})}
            self.station.spawn(self.station.send_quietly(conn, "LogStatusNotification", message))
            return {"status": "Accepted"}
        if requested == "FirmwareStatusNotification":
            request_id, status = self.firmware_job or (None, "Idle")
            if "trigger_job_status_not_tracked" in self.faults:
                request_id, status = None, "Idle"
            if self.firmware_job is None and "trigger_firmware_status_downloaded" in self.faults:
                status = "Downloaded"
            message = {"status": status, **({"requestId": request_id} if request_id is not None else {})}
            self.station.spawn(self.station.send_quietly(conn, "FirmwareStatusNotification", message))
            return {"status": "Accepted"}
        if requested in NOT_IMPLEMENTED and "trigger_not_implemented_rejected" in self.faults:
            return {"status": "Rejected"}
        return {"status": "NotImplemented"}  # F06.FR.08

    async def _status(self, conn: Connection, evse: int, connector: int) -> None:
        with contextlib.suppress(PeerError):
            if "station_does_not_wait_for_response" in self.faults:  # no queue: out at once
                await conn.send_raw(encode(Call(new_message_id(), "StatusNotification", {
                    "timestamp": utc_now(), "connectorStatus": self.availability.connector_status(evse, connector),
                    "evseId": evse, "connectorId": connector})))
                return
            await self.availability.send_status(conn, evse, connector)

    async def _meter_values(self, conn: Connection, evses: list[int]) -> None:
        """F06.FR.06: the most recent measurements of AlignedDataCtrlr.Measurands, context Trigger."""
        with contextlib.suppress(PeerError):
            for evse in evses:
                await conn.call("MeterValues", {"evseId": evse, "meterValue": self.sample(
                    evse, "Trigger", ("AlignedDataCtrlr", "Measurands"))})

    async def _transaction_events(self, ongoing: list[Any]) -> None:
        """F06.FR.07: per transaction an Updated event, triggerReason Trigger, its chargingState and the most
        recent measurements of SampledDataCtrlr.TxUpdatedMeasurands, context Trigger."""
        with contextlib.suppress(PeerError, ActionFailed):
            for tx in ongoing:
                meter = [] if "trigger_transaction_event_without_meter" in self.faults else self.sample(
                    tx.evse, "Trigger", ("SampledDataCtrlr", "TxUpdatedMeasurands"))
                await self.transactions.triggered_event(tx, meter)
