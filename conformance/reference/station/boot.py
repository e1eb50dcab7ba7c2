"""The reference station: boot and registration (B01-B03), heartbeats (G02); a TriggerMessage for BootNotification
(F06, answered by :mod:`.triggers`) wakes the boot retry.

The registration rules (what it may send and how it answers while Pending / Rejected) are the table of
:mod:`conformance.protocol.registration`; the core's dispatch answers with it."""

from __future__ import annotations

import asyncio
from typing import Any

from ...protocol import registration
from ...protocol.frames import utc_now
from ...transport.connection import Connection
from .component import Component, Connectors, Handler, OfflinePeriod, Station, TransactionMessages



class Boot(Component):
    """Registration state: the status of the last BootNotificationResponse, the heartbeat interval, whether a
    boot is due (after a restart or a new network profile), and why."""

    def __init__(self, station: "Station", availability: "Connectors") -> None:
        super().__init__(station)
        self.availability = availability
        self.offline: "OfflinePeriod | None" = None  # set by the core (the offline area reads this one too)
        self.tx_queue: "TransactionMessages | None" = None  # set by the core
        self.registration: str | None = None
        self.heartbeat_interval = 0
        self.booted = asyncio.Event()
        self.needs_boot = True
        self.reason = "PowerUp"  # why the station (re)started: the reason of its next boot
        self._wake = asyncio.Event()  # a TriggerMessage for BootNotification while not accepted

    def restarted(self, reason: str) -> None:
        """A restart: the next connection boots with ``reason``."""
        self.reason = reason
        self.needs_boot = True

    def connection_ended(self) -> None:
        if self.needs_boot:
            self.registration = None
            self.booted.clear()

    def payload(self, reason: str) -> dict[str, Any]:
        station = self.station
        return {"reason": reason, "chargingStation": {
            "model": station.model, "vendorName": station.vendor_name, "serialNumber": station.serial_number,
            "firmwareVersion": station.firmware_version}}

    async def session(self, conn: Connection) -> None:
        """One connection: boot when due (else report what changed while offline), then heartbeats."""
        assert self.offline is not None
        if not self.needs_boot:
            self.booted.set()
            await self.offline.report_after_offline(conn)  # B04.FR.01 / B04.FR.02
            if self.tx_queue is not None:
                self.tx_queue.connected()  # the transaction messages queued meanwhile (E11.FR.02, E12.FR.02)
            await self._heartbeats(conn)
            return
        self.booted.clear()
        reason = self.reason
        while True:
            self._wake.clear()
            response = await conn.call("BootNotification", self.payload(reason))
            if not response.ok:
                await self.station.sleep(self.station.reconnect_delay)
                continue
            status = response.payload["status"]
            interval = response.payload["interval"]
            self.registration = status
            if not registration.retries_boot(status):
                if interval > 0:
                    self.heartbeat_interval = interval  # B01.FR.04
                break
            # Pending / Rejected: retry after the interval (B02.FR.07/08, B03.FR.05/06); a TriggerMessage for
            # BootNotification during Pending wakes it early, and the retry then says Triggered (B02.FR.04).
            wait = registration.boot_retry_wait(interval, own=1)
            if status == registration.REJECTED and "rejected_station_reports_status" in self.faults:
                for evse, connector in self.availability.connectors():
                    await self.availability.send_status(conn, evse, connector)
            if "boot_retry_ignores_interval" in self.faults:
                wait = self.station.reconnect_delay
            await self.station.sleep(wait, wake=self._wake)
            reason = "Triggered" if self._wake.is_set() and "triggered_boot_keeps_original_reason" not in \
                self.faults else self.reason
        self.needs_boot = False
        self.booted.set()
        if "boot_without_security_event" not in self.faults:
            await conn.call("SecurityEventNotification", {
                "type": "StartupOfTheDevice" if self.reason == "PowerUp" else "ResetOrReboot", "timestamp": utc_now()})
        connectors = self.availability.connectors()
        if "boot_skips_connector_status" in self.faults:
            connectors = connectors[:-1]
        for evse, connector in connectors:  # B01.FR.05
            await self.availability.send_status(conn, evse, connector)
        if self.tx_queue is not None:
            self.tx_queue.connected()  # the transaction messages queued meanwhile (E11.FR.02, E12.FR.02)
        await self._heartbeats(conn)

    async def _heartbeats(self, conn: Connection) -> None:
        while not self.station.stopping:
            interval = self.heartbeat_interval or 300
            if "heartbeat_ignores_boot_interval" in self.faults:
                interval = self.model.get("OCPPCommCtrlr", "HeartbeatInterval") or 300
            await self.station.sleep(interval)
            await conn.call("Heartbeat", {})

    # ------------------------------------------------------------------ TriggerMessage (F06), from triggers.py
    def trigger_boot(self, conn: Connection) -> str:
        """A TriggerMessage for BootNotification: Rejected once the last boot was Accepted (F06.FR.17); otherwise
        the waiting retry is woken after this response (F06.FR.04, B02.FR.04)."""
        station = self.station
        if self.registration == registration.ACCEPTED:
            if "trigger_boot_accepted_when_accepted" in self.faults:
                station.spawn(station.send_quietly(conn, "BootNotification", self.payload("Triggered")))
                return "Accepted"
            return "Rejected"  # F06.FR.17
        asyncio.get_running_loop().call_soon(self._wake.set)  # after this response (F06.FR.04)
        return "Accepted"
