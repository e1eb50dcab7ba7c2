"""The reference station: Meter Values (J01, J02; E01/E02/E06 meter data in TransactionEvents). A simulated energy
meter per EVSE and one for the whole station (EVSE 0, the sum), read at the moments the device model configures:

* clock-aligned (AlignedDataCtrlr): every Interval seconds on the wall clock (from midnight UTC, the station's
  TimeOffset being +00:00), the Measurands of each idle EVSE and of EVSE 0 in a MeterValuesRequest, those of an
  EVSE with a transaction in a TransactionEvent Updated with triggerReason MeterValueClock (J01.FR.14, J01.FR.22);
  none at all while a transaction runs when SendDuringIdle is true (J01.FR.20); every TxEndedInterval the
  TxEndedMeasurands of each transaction, kept for its Ended event;
* sampled (SampledDataCtrlr): from the start of each transaction, every TxUpdatedInterval a TransactionEvent
  Updated with triggerReason MeterValuePeriodic and the TxUpdatedMeasurands (J02.FR.11), every TxEndedInterval the
  TxEndedMeasurands kept for the Ended event; the TxStartedMeasurands (Transaction.Begin) in the Started event
  (E01.FR.09) and the TxEndedMeasurands (Transaction.End) in the Ended event (E06.FR.11), with the start value too
  when TxEndedInterval is 0 (start and end only, Part 2 §2.7.5);
* signed (SignReadings of either controller): every value of that kind carries a signedMeterValue, its publicKey
  as OCPPCommCtrlr.PublicKeyWithSignedMeterValue says.

The timers run on the station's clock through ``station.sleep`` and wake up when a metering variable changes. The
transactions area asks :meth:`MeterValues.meter_value` for the meterValue of every TransactionEvent it builds.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any, Protocol

from ...actions.port import ActionFailed
from ...device_model.model import Change, DeviceModel
from ...protocol.errors import LocalError, PeerError
from ...protocol.meter_values import (SAMPLE_CLOCK, SAMPLE_PERIODIC, TRANSACTION_BEGIN, TRANSACTION_END,
                                      EnergyMeter, MeterSigner, format_time, measurands, next_aligned, sampled_value)
from .component import Component, Station
from .state import Transaction

CHARGING_POWER = 7400.0  # W: what the simulated EV draws while charging
_METERING = ("SampledDataCtrlr", "AlignedDataCtrlr", "OCPPCommCtrlr")


class MeterEvents(Protocol):  # transactions.Transactions
    ongoing: dict[int, Transaction]
    def busy_evses(self) -> set[int]: ...
    async def meter_value_event(self, tx: Transaction, trigger: str) -> None: ...


class MeterValues(Component):
    """Owns the simulated meters, the meter values kept for each transaction's Ended event and the timers."""

    def __init__(self, station: Station, transactions: MeterEvents) -> None:
        super().__init__(station)
        self.transactions = transactions
        self.meters = {evse: EnergyMeter(register=1000.0 * evse, since=time.time()) for evse, _ in station.evses}
        self.signer = MeterSigner()
        self.ended: dict[str, list[dict[str, Any]]] = {}  # transactionId -> meterValues for its Ended event
        self.pending: dict[str, list[dict[str, Any]]] = {}  # transactionId -> meterValue of the next Updated event
        self.key_sent: set[str] = set()  # transactions whose public key was sent (OncePerTransaction)
        self._wakers: set[asyncio.Event] = set()
        self._loop_wakers: dict[str, asyncio.Event] = {}  # transactionId -> the waker of its sampled loop
        self._tasks: dict[str, asyncio.Task[None]] = {}  # "aligned" and one per transactionId
        self._boot_interval: int | None = None  # fault sampled_interval_ignored: the interval read at start

    # ------------------------------------------------------------------ lifecycle
    def bind(self, model: DeviceModel) -> None:
        model.add_listener(self._changed)

    def _changed(self, change: Change) -> None:
        if change.key.component in _METERING:
            for event in self._wakers:
                event.set()

    def start(self) -> None:
        self._boot_interval = int(self._get("SampledDataCtrlr", "TxUpdatedInterval", 0) or 0)
        self._spawn("aligned", self._aligned_loop())

    def stop(self) -> None:
        for task in self._tasks.values():
            task.cancel()
        self._tasks.clear()

    def on_reboot(self) -> None:  # the transactions are gone: so are their timers and kept values
        for key in [k for k in self._tasks if k != "aligned"]:
            self._tasks.pop(key).cancel()
        self.ended.clear()
        self.pending.clear()
        self._boot_interval = None  # fault sampled_interval_ignored: read again at the restart

    def _spawn(self, key: str, coroutine: Any) -> None:
        task = asyncio.get_running_loop().create_task(coroutine, name=f"meter-{key}")
        self._tasks[key] = task
        task.add_done_callback(lambda t, k=key: self._tasks.pop(k, None) if self._tasks.get(k) is t else None)

    async def _sleep_until(self, moment: float, waker: asyncio.Event) -> bool:
        """Sleep until ``moment`` (epoch) on the station's clock; False when a metering variable changed first."""
        waker.clear()
        while time.time() < moment and not waker.is_set():  # a timer may fire a little early: sleep the rest
            await self.station.sleep(max(0.001, moment - time.time()), wake=waker)
        return not waker.is_set()

    # ------------------------------------------------------------------ configuration
    def _get(self, component: str, variable: str, default: Any = None) -> Any:
        try:
            value = self.model.get(component, variable)
        except KeyError:  # an optional variable the station does not have
            return default
        return default if value is None else value

    def _measurands(self, component: str, variable: str) -> list[str]:
        found = measurands(self._get(component, variable, []))
        if "meter_reports_energy_only" in self.faults:
            return found[:1]
        return found

    def _interval(self, component: str, variable: str) -> int:
        value = int(self._get(component, variable, 0) or 0)
        if (component, variable) == ("SampledDataCtrlr", "TxEndedInterval") \
                and "sampled_tx_ended_interval_ignored" in self.faults:
            return 0  # start and end values only, whatever is configured
        if component == "SampledDataCtrlr" and variable == "TxUpdatedInterval" \
                and "sampled_interval_ignored" in self.faults:
            if self._boot_interval is None:
                self._boot_interval = value
            return self._boot_interval
        return value

    # ------------------------------------------------------------------ reading the meters
    def _power(self, evse: int) -> float:
        tx = self.transactions.ongoing.get(evse)
        return CHARGING_POWER if tx is not None and tx.charging else 0.0

    def _sync(self, now: float) -> None:
        """Bring every meter to ``now`` with the power that flowed since, then take the current power."""
        for evse, meter in self.meters.items():
            meter.set_power(self._power(evse), now)

    def _read(self, evse: int, wanted: list[str], context: str, moment: float, *, sign: bool,
              tx: Transaction | None) -> list[dict[str, Any]]:
        self._sync(max(moment, time.time()))
        values = []
        for measurand in wanted:
            if evse == 0:
                parts = [m.read(measurand, moment) for m in self.meters.values()]
                value = None if None in parts else (sum(parts) if measurand != "Voltage" else parts[0])
            else:
                value = self.meters[evse].read(measurand, moment)
            if value is None:
                continue
            signed = None
            if sign and "meter_values_unsigned" not in self.faults:
                signed = self.signer.sign({"evse": evse, "measurand": measurand, "value": round(value, 3),
                                           "context": context, "timestamp": format_time(moment)},
                                          with_public_key=self._with_public_key(tx))
            values.append(sampled_value(value, measurand, context, location="Outlet" if evse else "Inlet",
                                        signed=signed))
            if "clock_aligned_context_omitted" in self.faults and context == SAMPLE_CLOCK:
                values[-1].pop("context")
        return values

    def _with_public_key(self, tx: Transaction | None) -> bool:
        option = self._get("OCPPCommCtrlr", "PublicKeyWithSignedMeterValue", "EveryMeterValue")
        if option == "Never":
            return False
        if option == "OncePerTransaction" and tx is not None:
            if tx.transaction_id in self.key_sent:
                return False
            self.key_sent.add(tx.transaction_id)
        return True

    def _meter_value(self, evse: int, wanted: list[str], context: str, moment: float, *, sign: bool,
                     tx: Transaction | None) -> dict[str, Any] | None:
        values = self._read(evse, wanted, context, moment, sign=sign, tx=tx)
        return {"timestamp": format_time(moment), "sampledValue": values} if values else None

    def reading(self, evse: int, wanted: list[str], context: str, *, signed: bool = False,
                tx: Transaction | None = None) -> list[dict[str, Any]]:
        """One MeterValue of ``evse`` now, a sampledValue per measurand of ``wanted`` the meter has, with
        ``context`` (``signed``: with a signedMeterValue): for a reading another area sends (TriggerMessage,
        F06.FR.06/07; the signed start of TxStartPoint DataSigned, E01.FR.04); [] when there is none."""
        tx = tx if tx is not None else self.transactions.ongoing.get(evse)
        value = self._meter_value(evse, wanted, context, time.time(), sign=signed, tx=tx)
        return [value] if value is not None else []

    # ------------------------------------------------------------------ TransactionEvent (the transactions area asks)
    def meter_value(self, tx: Transaction, event_type: str, trigger: str) -> list[dict[str, Any]] | None:
        """The meterValue of the TransactionEvent ``event_type`` / ``trigger`` of ``tx`` (None: none)."""
        now = time.time()
        self._sync(now)
        sign = bool(self._get("SampledDataCtrlr", "SignReadings", False))
        if event_type == "Started":
            self.ended[tx.transaction_id] = []
            if self._interval("SampledDataCtrlr", "TxEndedInterval") == 0:  # start and end values only (§2.7.5)
                begin = self._meter_value(tx.evse, self._measurands("SampledDataCtrlr", "TxEndedMeasurands"),
                                          TRANSACTION_BEGIN, now, sign=sign, tx=tx)
                if begin is not None:
                    self.ended[tx.transaction_id].append(begin)
            self._spawn(tx.transaction_id, self._sampled_loop(tx, now))
            if "started_meter_values_missing" in self.faults:
                return None
            # estart's fault data_signed_start_unsigned: the meter does not sign the readings of the start
            started = self._meter_value(tx.evse, self._measurands("SampledDataCtrlr", "TxStartedMeasurands"),
                                        TRANSACTION_BEGIN, now, sign=sign and "data_signed_start_unsigned"
                                        not in self.faults, tx=tx)
            return [started] if started is not None else None
        if event_type == "Ended":
            # The sampled loop ends by itself (its transaction is no longer ongoing): woken, never cancelled, so an
            # Updated event it is sending completes first (a CALL cut off would stay outstanding, Part 4 §4.1.1).
            waker = self._loop_wakers.get(tx.transaction_id)
            if waker is not None:
                waker.set()
            kept = self.ended.pop(tx.transaction_id, [])
            self.key_sent.discard(tx.transaction_id)
            end = self._meter_value(tx.evse, self._measurands("SampledDataCtrlr", "TxEndedMeasurands"),
                                    TRANSACTION_END, now, sign=sign, tx=tx)
            if "ended_meter_values_missing" in self.faults:
                return None
            values = kept + ([end] if end is not None else [])
            return values or None
        return self.pending.pop(tx.transaction_id, None)

    # ------------------------------------------------------------------ sampled (J02)
    async def _sampled_loop(self, tx: Transaction, start: float) -> None:
        """Every TxUpdatedInterval / TxEndedInterval from the start of the transaction; each moment follows the one
        before (a late wake-up still takes every reading), a changed interval counts again from the start."""
        waker = asyncio.Event()
        self._wakers.add(waker)
        self._loop_wakers[tx.transaction_id] = waker
        due: dict[str, tuple[float, int]] = {}  # kind -> (next moment, the interval it was computed with)
        try:
            while self.transactions.ongoing.get(tx.evse) is tx:
                for kind, variable in (("updated", "TxUpdatedInterval"), ("ended", "TxEndedInterval")):
                    interval = self._interval("SampledDataCtrlr", variable)
                    if interval <= 0:
                        due.pop(kind, None)
                    elif kind not in due or due[kind][1] != interval:
                        due[kind] = (start + (int((time.time() - start) // interval) + 1) * interval, interval)
                if not due:
                    await self.station.sleep(3600.0, wake=waker)
                    waker.clear()
                    continue
                moment = min(m for m, _ in due.values())
                if not await self._sleep_until(moment, waker) or self.transactions.ongoing.get(tx.evse) is not tx:
                    continue
                fired = {kind for kind, (m, _) in due.items() if m == moment}
                for kind in fired:
                    due[kind] = (moment + due[kind][1], due[kind][1])
                sign = bool(self._get("SampledDataCtrlr", "SignReadings", False))
                if "ended" in fired:
                    kept = self._meter_value(tx.evse, self._measurands("SampledDataCtrlr", "TxEndedMeasurands"),
                                             SAMPLE_PERIODIC, moment, sign=sign, tx=tx)
                    if kept is not None:
                        self.ended.setdefault(tx.transaction_id, []).append(kept)
                if "updated" in fired:
                    sample = self._meter_value(tx.evse, self._measurands("SampledDataCtrlr", "TxUpdatedMeasurands"),
                                               SAMPLE_PERIODIC, moment, sign=sign, tx=tx)
                    if sample is not None:
                        self.pending[tx.transaction_id] = [sample]
                        await self._send_event(tx, "MeterValuePeriodic")
        finally:
            self._wakers.discard(waker)
            self._loop_wakers.pop(tx.transaction_id, None)

    async def _send_event(self, tx: Transaction, trigger: str) -> None:
        if self.transactions.ongoing.get(tx.evse) is tx:  # never an Updated event after the Ended one
            with contextlib.suppress(ActionFailed, PeerError, LocalError):
                await self.transactions.meter_value_event(tx, trigger)
        self.pending.pop(tx.transaction_id, None)

    # ------------------------------------------------------------------ clock-aligned (J01)
    def _next_aligned(self, now: float, interval: int) -> float:
        if "aligned_values_mid_interval" in self.faults:  # stamped (and sent) in the middle of each interval
            return next_aligned(now - interval / 2, interval) + interval / 2
        return next_aligned(now, interval)

    async def _aligned_loop(self) -> None:
        """Every Interval / TxEndedInterval on the clock; each moment follows the one before on the grid (a late
        wake-up still takes every reading), a changed interval starts from the next moment of its grid."""
        waker = asyncio.Event()
        self._wakers.add(waker)
        due: dict[str, tuple[float, int]] = {}
        try:
            while not self.station.stopping:
                for kind, variable in (("interval", "Interval"), ("ended", "TxEndedInterval")):
                    interval = self._interval("AlignedDataCtrlr", variable)
                    if interval <= 0:
                        due.pop(kind, None)
                    elif kind not in due or due[kind][1] != interval:
                        due[kind] = (self._next_aligned(time.time(), interval), interval)
                if not due:
                    await self.station.sleep(3600.0, wake=waker)
                    waker.clear()
                    continue
                moment = min(m for m, _ in due.values())
                if not await self._sleep_until(moment, waker):
                    continue
                fired = {kind for kind, (m, _) in due.items() if m == moment}
                for kind in fired:
                    due[kind] = (self._next_aligned(moment, due[kind][1]), due[kind][1])
                if "ended" in fired:
                    self._keep_aligned_tx_ended(moment)
                if "interval" in fired:
                    self.station.spawn(self._send_clock_aligned(moment))
        finally:
            self._wakers.discard(waker)

    def _keep_aligned_tx_ended(self, moment: float) -> None:
        wanted = self._measurands("AlignedDataCtrlr", "TxEndedMeasurands")
        sign = bool(self._get("AlignedDataCtrlr", "SignReadings", False))
        for tx in list(self.transactions.ongoing.values()):
            if tx.transaction_id not in self.ended:
                continue
            kept = self._meter_value(tx.evse, wanted, SAMPLE_CLOCK, moment, sign=sign, tx=tx)
            if kept is not None:
                self.ended[tx.transaction_id].append(kept)

    async def _send_clock_aligned(self, moment: float) -> None:
        conn = self.station.connection
        if conn is None or not conn.is_open or not self.station.boot.booted.is_set():
            return  # not transaction related: not queued while offline
        wanted = self._measurands("AlignedDataCtrlr", "Measurands")
        busy = self.transactions.busy_evses()
        if not wanted or (busy and self._get("AlignedDataCtrlr", "SendDuringIdle", False)
                          and "send_during_idle_ignored" not in self.faults):
            return  # J01.FR.20: nothing while a transaction runs
        sign = bool(self._get("AlignedDataCtrlr", "SignReadings", False))
        for evse in [0] + [e for e, _ in self.station.evses]:
            tx = self.transactions.ongoing.get(evse)
            value = self._meter_value(evse, wanted, SAMPLE_CLOCK, moment, sign=sign, tx=tx)
            if value is None:
                continue
            if tx is not None:  # J01.FR.22: the EVSE of a transaction reports in a TransactionEvent
                self.pending[tx.transaction_id] = [value]
                await self._send_event(tx, "MeterValueClock")
                continue
            with contextlib.suppress(PeerError, LocalError):
                await conn.call("MeterValues", {"evseId": evse, "meterValue": [value]})
