"""The reference station: the reconnection back-off (Part 4 §5.3) and what the station reports after an offline
period (B04)."""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from typing import Any

from ...protocol.errors import PeerError
from ...transport.connection import Connection
from .component import Component, Connectors, Registration, Station, Step



class Offline(Component):
    """Owns the network state the action port sets (go_offline / go_online), the offline period and the
    connectors whose status changed meanwhile, and the reconnect back-off."""

    def __init__(self, station: Station, boot: "Registration", availability: "Connectors") -> None:
        super().__init__(station)
        self.boot = boot
        self.availability = availability
        self.network_down = False  # action go_offline: every connection attempt fails
        self.backoff: float | None = None  # the current reconnect back-off; None: connect at once
        self.backoff_repeats = 0  # how often it was doubled (at most RetryBackOffRepeatTimes)
        self.restarting = False  # the connection ends because of a restart, not a connection loss
        self.since: float | None = None  # when the connection was lost (not by a restart)
        self.changed: set[tuple[int, int]] = set()  # connectors whose status changed meanwhile
        self.cache: Any = None  # the Authorization Cache (auth_cache.AuthCache), set by the core
        self.local_list: Any = None  # the Local Authorization List (local_list.LocalList), set by the core (dlist)

    def steps(self) -> dict[str, Step]:
        return {"go_offline": self._go_offline, "go_online": self._go_online}

    async def _go_offline(self, evse: int, connector: int, params: dict[str, Any]) -> dict[str, Any]:
        self.network_down = True
        self.since = self.since or time.monotonic()  # B04: the offline period starts now
        self.station.interrupt.set()
        return {}

    async def _go_online(self, evse: int, connector: int, params: dict[str, Any]) -> dict[str, Any]:
        self.network_down = False
        return {}

    def connected(self) -> None:
        """A connection succeeded: the back-off starts again from nothing (Part 4 §5.3)."""
        self.backoff, self.restarting = None, False

    # ------------------------------------------------------------------ offline queue, reconnection (B04)
    def _settings(self) -> tuple[float, float, int]:
        """OCPPCommCtrlr RetryBackOffWaitMinimum, RetryBackOffRandomRange, RetryBackOffRepeatTimes (Part 4 §5.3)."""
        model = self.model
        return (float(model.get("OCPPCommCtrlr", "RetryBackOffWaitMinimum") or 0),
                float(model.get("OCPPCommCtrlr", "RetryBackOffRandomRange") or 0),
                int(model.get("OCPPCommCtrlr", "RetryBackOffRepeatTimes") or 0))

    def connection_lost(self) -> None:
        """The connection ended without a restart: the offline period starts, and the first reconnect attempt
        waits RetryBackOffWaitMinimum (plus a random part)."""
        if self.restarting:
            self.restarting = False
            return  # a restart: it connects at once
        if self.since is None and not self.boot.needs_boot:  # not accepted yet: its next boot reports all
            self.since = time.monotonic()
        if self.backoff is None:
            self.backoff = self._settings()[0]
            self.backoff_repeats = 0

    def attempt_failed(self) -> None:
        """A connection attempt failed: double the back-off, at most RetryBackOffRepeatTimes times."""
        minimum, _, repeat_times = self._settings()
        if self.backoff is None:
            self.backoff, self.backoff_repeats = minimum, 0
            return
        if "reconnect_backoff_not_doubled" in self.faults:
            return
        if self.backoff_repeats < repeat_times:
            self.backoff *= 2
            self.backoff_repeats += 1

    async def wait_backoff(self) -> None:
        """Wait the current back-off plus a random value up to RetryBackOffRandomRange; a restart ends it."""
        if self.backoff is None:
            return
        _, random_range, _ = self._settings()
        seconds = self.backoff + random.uniform(0, random_range)
        if "reconnect_without_backoff" in self.faults:
            seconds = self.station.reconnect_delay
        deadline = time.monotonic() + seconds
        while self.backoff is not None and not self.station.stopping and time.monotonic() < deadline:
            self.station.interrupt.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(deadline - time.monotonic()):
                    await self.station.interrupt.wait()

    def on_reboot(self) -> None:
        """A restart: it connects at once and reports every connector when accepted (B01.FR.05)."""
        self.backoff = None
        self.restarting = True
        self.since = None
        self.changed.clear()

    # ------------------------------------------------------------------ offline authorization (C12, E04, E08, E12)
    def authorize_offline(self, token: dict[str, Any]) -> bool:
        """Offline, an idToken is authorized locally when AuthCtrlr.LocalAuthorizeOffline is true and the
        Authorization Cache holds it as Accepted (Part 2 §2.3.5; C12.FR.02). A Local Authorization List entry comes
        first and decides alone (C13.FR.01/02: only an Accepted entry authorizes; dlist)."""
        if self.local_list is not None and self.local_list.holds(token):
            info = self.local_list.lookup(token)  # offline: the entry, when LocalAuthorizeOffline is true
            return info is not None and info.get("status") == "Accepted"
        if not self.model.get("AuthCtrlr", "LocalAuthorizeOffline") or self.cache is None:
            return False
        return (self.cache.cached(token) or {}).get("status") == "Accepted"

    def same_group(self, token: dict[str, Any], other: dict[str, Any]) -> bool:
        """Whether the Authorization Cache gives both idTokens the same groupIdToken (E07.FR.01, E08.FR.02)."""
        if self.cache is None:
            return False
        groups = [((self.cache.cached(t) or {}).get("groupIdToken") or {}).get("idToken") for t in (token, other)]
        return groups[0] is not None and groups[0] == groups[1]

    def is_offline(self) -> bool:
        """In an offline period (B04): the network is down, or the connection was lost and is not back yet (also
        when the CSMS closed it a moment ago and the connection loop has not noticed yet)."""
        conn = self.station.connection
        lost = self.network_down or conn is None or not conn.is_open
        if lost and self.since is None and not self.boot.needs_boot and not self.restarting:
            self.since = time.monotonic()
        return self.since is not None and lost

    def status_change(self, evse: int, connector: int, *, plugged: bool) -> dict[str, Any]:
        """A cable plugged in / out while offline: noted, reported after the reconnection (B04)."""
        if plugged:
            self.station.state.plugged.add((evse, connector))
        else:
            self.station.state.plugged.discard((evse, connector))
        self.changed.add((evse, connector))
        return {"offline": True}

    async def report_after_offline(self, conn: Connection) -> None:
        """After reconnecting: every connector when the offline period exceeded OCPPCommCtrlr.OfflineThreshold
        (B04.FR.01), else only those whose status changed meanwhile (B04.FR.02)."""
        if self.since is None:
            return
        period = time.monotonic() - self.since
        threshold = self.model.get("OCPPCommCtrlr", "OfflineThreshold") or 0
        changed, self.since, self.changed = self.changed, None, set()
        report_all = period > threshold
        if "reconnect_reports_changed_only" in self.faults:
            report_all = False
        if "reconnect_reports_all_connectors" in self.faults:
            report_all = True
        connectors = [k for k in self.availability.connectors() if report_all or k in changed]
        with contextlib.suppress(PeerError):
            for evse, connector in connectors:
                await self.availability.send_status(conn, evse, connector)
