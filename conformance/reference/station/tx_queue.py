"""The reference station: the queue of transaction-related messages (TransactionEventRequests), the offline queue
(E11, E12, E08: queued while offline, delivered in order after the reconnection with ``offline`` true), the retries of
a message the CSMS does not accept (E13) and GetTransactionStatus answered from the queue (E14).

Every TransactionEventRequest goes through :meth:`TransactionQueue.send` (called by the transactions area's
``_transaction_event``), in the order the events happen; one worker delivers the head of the queue:

* offline (no connection, or not accepted yet), a message waits in the queue with ``offline`` true (E11.FR.01/02,
  E12.FR.01/02); a message still queued when the connection is lost gets ``offline`` true as well (E11.FR.07);
* a message the CSMS does not accept (no answer within the message timeout, or a CALLERROR) is sent again after
  MessageAttemptIntervalTransactionEvent times the number of its transmissions so far (E13.FR.02/03), and discarded
  after MessageAttemptsTransactionEvent transmissions; the next message follows (E13.FR.04);
* GetTransactionStatus: ``ongoingIndicator`` from the transactions area (with a transactionId only, E14.FR.01-03/06)
  and ``messagesInQueue`` from the queue (E14.FR.04/05/07/08).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...protocol.errors import PeerClosed, PeerError, PeerTimeout
from ...transport.connection import Connection
from .component import Component, OngoingTransactions, Registration, Station

if TYPE_CHECKING:
    from ...device_model.model import DeviceModel

log = logging.getLogger("conformance.reference.station")


@dataclass(eq=False)
class Queued:
    """One transaction-related message waiting for delivery."""

    payload: dict[str, Any]
    transmissions: int = 0  # how often it was sent and not accepted
    not_before: float = 0.0  # monotonic time of its next transmission (E13.FR.03)
    sent_once: asyncio.Event = field(default_factory=asyncio.Event)  # its first transmission is over

    @property
    def transaction_id(self) -> str | None:
        return self.payload.get("transactionInfo", {}).get("transactionId")


class TransactionQueue(Component):
    """Owns the queued TransactionEventRequests and the worker that delivers them (see the module docstring)."""

    offline: Any  # OfflinePeriod, set by the core

    def __init__(self, station: Station, boot: Registration, transactions: OngoingTransactions) -> None:
        super().__init__(station)
        self.boot = boot
        self.transactions = transactions
        self.queue: deque[Queued] = deque()
        self.known: set[str] = set()  # every transactionId the station used (E14.FR.01: others are unknown)
        self._wake = asyncio.Event()
        self._worker: asyncio.Task[None] | None = None

    def handlers(self) -> dict[str, Any]:
        return {"GetTransactionStatus": self._get_transaction_status}

    def bind(self, model: "DeviceModel") -> None:
        # The timeout the station really waits for an answer (OCPPCommCtrlr.MessageTimeout, Part 2 §2.1.3).
        model.bind("OCPPCommCtrlr", "MessageTimeout", lambda: max(1, round(self._message_timeout())),
                   instance="Default")

    def _message_timeout(self) -> float:
        conn = self.station.connection
        return conn.message_timeout if conn is not None else self.station.message_timeout

    # ------------------------------------------------------------------ sending
    def _online(self) -> Connection | None:
        conn = self.station.connection
        if conn is None or not conn.is_open or not self.boot.booted.is_set() or self.offline.is_offline():
            return None
        return conn

    async def send(self, payload: dict[str, Any]) -> None:
        """Queue one TransactionEventRequest (in the order the events happen). Online with nothing queued before
        it, wait until its first transmission is over (answered, or failed and left for a retry); offline, return
        at once: it is delivered after the reconnection with ``offline`` true (E11.FR.02, E12.FR.02, E08.FR.07)."""
        transaction_id = payload.get("transactionInfo", {}).get("transactionId")
        if transaction_id:
            self.known.add(transaction_id)
        if self._online() is None and "queued_events_not_offline" not in self.faults:
            payload["offline"] = True
        entry = Queued(payload)
        first = not self.queue
        self.queue.append(entry)
        self.kick()
        if first and self._online() is not None:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._message_timeout() + 1):
                    await entry.sent_once.wait()

    def kick(self) -> None:
        """Wake the worker (a new message, a new connection); start it when it is not running."""
        self._wake.set()
        if self._worker is None or self._worker.done():
            self._worker = asyncio.get_running_loop().create_task(self._deliver())
            self.station.spawn(self._await_worker(self._worker))

    @staticmethod
    async def _await_worker(task: asyncio.Task[None]) -> None:
        with contextlib.suppress(asyncio.CancelledError):
            await task

    def connected(self) -> None:
        """The connection is back and accepted: deliver what was queued meanwhile (E11.FR.02, E12.FR.02)."""
        if self.queue:
            self.kick()

    def connection_lost(self) -> None:
        """Every message still in the queue is now an offline one (E11.FR.07)."""
        if "queued_events_not_offline" in self.faults:
            return
        for entry in self.queue:
            entry.payload["offline"] = True

    def _settings(self) -> tuple[int, float]:
        """MessageAttemptsTransactionEvent, MessageAttemptIntervalTransactionEvent (Part 2 §2.1.10/11)."""
        attempts = self.model.get("OCPPCommCtrlr", "MessageAttempts", instance="TransactionEvent")
        interval = self.model.get("OCPPCommCtrlr", "MessageAttemptInterval", instance="TransactionEvent")
        return max(1, int(attempts if attempts is not None else 3)), float(interval or 0)

    async def _deliver(self) -> None:
        """Deliver the head of the queue until the queue is empty or the station is offline."""
        while self.queue and not self.station.stopping:
            conn = self._online()
            if conn is None:
                return  # resumed by connected()
            entry = self.queue[0]
            remaining = entry.not_before - time.monotonic()
            if remaining > 0:  # waiting for a retry (E13.FR.03)
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(remaining):
                        await self._wake.wait()
                continue
            accepted = await self._transmit(conn, entry)
            entry.sent_once.set()
            if accepted is None:  # the connection was lost while it was out: it is sent again when back
                if "queued_events_not_offline" not in self.faults:
                    entry.payload["offline"] = True
                return
            if accepted:
                self.queue.popleft()
                continue
            self._failed(entry)

    async def _transmit(self, conn: Connection, entry: Queued) -> bool | None:
        """Send ``entry`` once: True when answered with a CALLRESULT, False when not accepted (no answer in time,
        or a CALLERROR), None when the connection was lost."""
        try:
            response = await conn.call("TransactionEvent", entry.payload)
        except PeerTimeout:
            return "no_retry_after_timeout" in self.faults  # the fault takes silence for acceptance
        except PeerClosed:
            return None
        except PeerError:
            return False
        if not response.ok:
            return "no_retry_after_callerror" in self.faults  # the fault takes a CALLERROR for acceptance
        self.transactions.id_token_info_answered(entry.payload, response.payload)  # E05: the idTokenInfo it gave
        return True

    def _failed(self, entry: Queued) -> None:
        """Not accepted: send it again after the interval times its transmissions so far (E13.FR.02/03), or
        discard it after the last attempt and go on with the next (E13.FR.04)."""
        attempts, interval = self._settings()
        entry.transmissions += 1
        if "retry_one_attempt_too_many" in self.faults:
            attempts += 1
        if entry.transmissions >= attempts:
            self.queue.popleft()
            log.debug("reference station: TransactionEventRequest seqNo %s discarded after %d attempt(s) (E13.FR.04)",
                      entry.payload.get("seqNo"), entry.transmissions)
            return
        factor = 1 if "retry_interval_not_multiplied" in self.faults else entry.transmissions
        entry.not_before = time.monotonic() + interval * factor

    # ------------------------------------------------------------------ GetTransactionStatus (E14)
    def in_queue(self, transaction_id: str | None) -> bool:
        return any(transaction_id is None or e.transaction_id == transaction_id for e in self.queue)

    async def _get_transaction_status(self, payload: dict[str, Any]) -> dict[str, Any]:
        transaction_id = payload.get("transactionId")
        queued = self.in_queue(transaction_id)
        if "transaction_status_queue_ignored" in self.faults:
            queued = False
        answer: dict[str, Any] = {"messagesInQueue": queued}  # E14.FR.04/05/07/08
        if transaction_id is not None:  # E14.FR.01-03; without a transactionId it is not set (E14.FR.06)
            ongoing = any(tx.transaction_id == transaction_id for tx in self.transactions.ongoing.values())
            if "transaction_status_ended_still_ongoing" in self.faults and transaction_id in self.known:
                ongoing = True
            if "transaction_status_omits_ongoing" not in self.faults:
                answer["ongoingIndicator"] = ongoing
        elif "transaction_status_ongoing_always_set" in self.faults:
            answer["ongoingIndicator"] = False
        return answer
