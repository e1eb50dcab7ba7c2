"""The reference station: Reconnection back-off (Part 4 §5.3) and what the station reports after an offline period (B04)."""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from typing import Any

from ...outcomes import CheckFailed, SutDisconnected, SutTimeout
from ...transport.connection import Connection


class OfflineMixin:
    """Part of :class:`~conformance.reference.station.ReferenceStation` (it holds the state)."""

    # ------------------------------------------------------------------ offline queue, reconnection (B04)
    def _backoff_settings(self) -> tuple[float, float, int]:
        """OCPPCommCtrlr RetryBackOffWaitMinimum, RetryBackOffRandomRange, RetryBackOffRepeatTimes (Part 4 §5.3)."""
        model = self.device_model
        return (float(model.get("OCPPCommCtrlr", "RetryBackOffWaitMinimum") or 0),
                float(model.get("OCPPCommCtrlr", "RetryBackOffRandomRange") or 0),
                int(model.get("OCPPCommCtrlr", "RetryBackOffRepeatTimes") or 0))

    def _connection_lost(self) -> None:
        """The connection ended without a restart: the offline period starts, and the first reconnect attempt
        waits RetryBackOffWaitMinimum (plus a random part)."""
        if self._restarting:
            self._restarting = False
            return  # a restart: it connects at once
        if self._offline_since is None and not self._needs_boot:  # not accepted yet: its next boot reports all
            self._offline_since = time.monotonic()
        if self._backoff is None:
            self._backoff = self._backoff_settings()[0]
            self._backoff_repeats = 0

    def _backoff_failed(self) -> None:
        """A connection attempt failed: double the back-off, at most RetryBackOffRepeatTimes times."""
        minimum, _, repeat_times = self._backoff_settings()
        if self._backoff is None:
            self._backoff, self._backoff_repeats = minimum, 0
            return
        if "reconnect_backoff_not_doubled" in self.faults:
            return
        if self._backoff_repeats < repeat_times:
            self._backoff *= 2
            self._backoff_repeats += 1

    async def _backoff_wait(self) -> None:
        """Wait the current back-off plus a random value up to RetryBackOffRandomRange; a restart ends it."""
        if self._backoff is None:
            return
        _, random_range, _ = self._backoff_settings()
        seconds = self._backoff + random.uniform(0, random_range)
        if "reconnect_without_backoff" in self.faults:
            seconds = self.reconnect_delay
        deadline = time.monotonic() + seconds
        while self._backoff is not None and not self._stopping and time.monotonic() < deadline:
            self._interrupt.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(deadline - time.monotonic()):
                    await self._interrupt.wait()

    def _forget_offline(self) -> None:
        """A restart: it connects at once and reports every connector when accepted (B01.FR.05)."""
        self._backoff = None
        self._restarting = True
        self._offline_since = None
        self._offline_changed.clear()

    def _is_offline(self) -> bool:
        """In an offline period (B04): the network is down, or the connection was lost and is not back yet (also
        when the CSMS closed it a moment ago and the connection loop has not noticed yet)."""
        lost = self._offline or self.connection is None or not self.connection.is_open
        if lost and self._offline_since is None and not self._needs_boot and not self._restarting:
            self._offline_since = time.monotonic()
        return self._offline_since is not None and lost

    def _offline_status_change(self, evse: int, connector: int, *, plugged: bool) -> dict[str, Any]:
        """A cable plugged in / out while offline: noted, reported after the reconnection (B04)."""
        if plugged:
            self.state.plugged.add((evse, connector))
        else:
            self.state.plugged.discard((evse, connector))
        self._offline_changed.add((evse, connector))
        return {"offline": True}

    async def _report_after_offline(self, conn: Connection) -> None:
        """After reconnecting: every connector when the offline period exceeded OCPPCommCtrlr.OfflineThreshold
        (B04.FR.01), else only those whose status changed meanwhile (B04.FR.02)."""
        if self._offline_since is None:
            return
        period = time.monotonic() - self._offline_since
        threshold = self.device_model.get("OCPPCommCtrlr", "OfflineThreshold") or 0
        changed, self._offline_since, self._offline_changed = self._offline_changed, None, set()
        report_all = period > threshold
        if "reconnect_reports_changed_only" in self.faults:
            report_all = False
        if "reconnect_reports_all_connectors" in self.faults:
            report_all = True
        connectors = [k for k in self._connectors() if report_all or k in changed]
        with contextlib.suppress(CheckFailed, SutDisconnected, SutTimeout):
            for evse, connector in connectors:
                await self.send_status(conn, evse, connector)
