"""Block E Transactions, the SUT is a Charging Station (the harness is its CSMS): E13 Transaction-related message not
accepted by CSMS, TC_E_41_CS, TC_E_42_CS (no answer) and TC_E_50_CS, TC_E_51_CS (CALLERROR InternalError).

Before: MessageAttemptsTransactionEvent and MessageAttemptIntervalTransactionEvent set to
``station_values.message_attempts_transaction_event`` / ``..._interval``; reusable states Authorized, then
EVConnectedPreSession (the EV plugged in: the connector reported Occupied and, when the transaction has started or
TxStartPoint contains EVConnected, the CablePluggedIn event, answered). From the plug-in on the harness answers the
optional steps 1-4 (triggerReason SignedDataReceived; ChargingStateChanged with chargingState SuspendedEVSE) and
takes the first other TransactionEventRequest as the message of step 5: it does not answer it (or answers CALLERROR
InternalError), as the case says per transmission. A transmission of the same message is one with the same
transactionId and seqNo (a retry has a new message id, OCPP-J Part 4 §4.1.4, or keeps it).

Timing (E13.FR.03): the k-th retry follows the k-th transmission after MessageAttemptIntervalTransactionEvent x k,
plus, when the harness did not answer, the station's OCPPCommCtrlr.MessageTimeout (read from the station; when it
cannot be read only the lower bound is checked), within ``timing.max_time_deviation``. The gap is measured from where
the station's wait starts: the moment the harness sent the CALLERROR (its own answering delay under load is not the
station's), or the arrival of an unanswered transmission (the station's MessageTimeout runs from sending it). Part 6 TC_E_51_CS adds the
MessageTimeout after a CALLERROR too (copied from TC_E_42_CS, where the harness is silent); Part 2 E13.FR.03 does not:
either is accepted there, the check says which. After the last transmission the harness waits one more iteration
(the interval multiplied again, plus the MessageTimeout and the tolerance) for no further transmission (E13.FR.02,
E13.FR.04).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from typing import Any

from conformance.harness import ChargingStationUnderTest, case
from conformance.harness.reusable_states import station as states
from conformance.outcomes import Inconclusive
from conformance.protocol.frames import CallError, ErrorCode
from conformance.protocol.variables import (MESSAGE_ATTEMPT_INTERVAL_TRANSACTION_EVENT,
                                            MESSAGE_ATTEMPTS_TRANSACTION_EVENT, MESSAGE_TIMEOUT_DEFAULT)
from conformance.transport.connection import IncomingCall, Withhold

RETRY = ("E13.FR.01", "E13.FR.02", "E13.FR.03")
STOPS = ("E13.FR.02", "E13.FR.04")
WITHHOLD, ERROR, ANSWER = "no answer", "CALLERROR InternalError", "TransactionEventResponse"


def _optional_step(payload: dict[str, Any]) -> bool:
    """Part 6 steps 1-4 (optional): SignedDataReceived, ChargingStateChanged to SuspendedEVSE."""
    trigger = payload.get("triggerReason")
    return trigger == "SignedDataReceived" or (
        trigger == "ChargingStateChanged"
        and payload.get("transactionInfo", {}).get("chargingState") == "SuspendedEVSE")


def _key(payload: dict[str, Any]) -> tuple[Any, Any]:
    return payload.get("transactionInfo", {}).get("transactionId"), payload.get("seqNo")


@dataclass
class NotAccepted:
    """The harness CSMS's answers to TransactionEventRequests from the plug-in on (see the module docstring):
    ``plan[k]`` is how the (k+1)-th transmission of the step 5 message is answered (the last entry for any later
    one)."""

    station: ChargingStationUnderTest
    plan: tuple[str, ...]
    peer_timeout: float | None
    target: tuple[Any, Any] | None = None
    transmissions: list[IncomingCall] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    async def transmission(self, index: int, timeout: float) -> IncomingCall | None:
        """The transmission number ``index`` (0: the first) of the step 5 message; None when it did not come within
        ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while len(self.transmissions) <= index:
            self.arrived.clear()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(remaining):
                    await self.arrived.wait()
        return self.transmissions[index]

    def __call__(self, incoming: IncomingCall) -> Any:
        payload = incoming.payload
        if self.target is None and (payload.get("triggerReason") == "CablePluggedIn" or _optional_step(payload)):
            return self.station.usual_answer(incoming)  # EVConnectedPreSession's event, optional steps 1-4
        if self.target is None:
            self.target = _key(payload)
        if _key(payload) != self.target:
            return self.station.usual_answer(incoming)  # the next messages, once the station went on (E13.FR.04)
        self.transmissions.append(incoming)
        incoming.claimed = True  # judged here, never taken for another step's message
        self.arrived.set()
        how = self.plan[min(len(self.transmissions), len(self.plan)) - 1]
        self.answers.append(how)
        if how == WITHHOLD:
            return Withhold("Part 6 E13: the CSMS does not reply to this TransactionEventRequest",
                            peer_timeout=self.peer_timeout, tolerance=self.station.tolerance)
        if how == ERROR:
            return CallError(incoming.message_id, ErrorCode.INTERNAL_ERROR, "not accepted by the test (Part 6 E13)",
                             {})
        return self.station.usual_answer(incoming)


async def _message_timeout(station: ChargingStationUnderTest) -> float | None:
    value = await station.read_variable(MESSAGE_TIMEOUT_DEFAULT, note_unreadable=True)
    try:
        return float(value) if value is not None else None
    except ValueError:
        station.note(f"OCPPCommCtrlr.MessageTimeout {value!r} is not a number")
        return None


async def _ev_connected(station: ChargingStationUnderTest, tx: states.Transaction, evse: int, connector: int) -> None:
    """Reusable state EVConnectedPreSession after Authorized: plug in, the connector reported Occupied and, when the
    transaction started already or TxStartPoint contains EVConnected, its CablePluggedIn event."""
    conn = station.connection
    mark = conn.mark()
    tx.plugged_at = len(tx.events)
    tx.instruction(conn)
    await station.actions.do("plug_in", evse=evse, connector=connector)
    tx.plugged = True
    await states.expect_availability_reports(station, conn, {(evse, connector): "Occupied"},
                                             requirements=("G01.FR.03",),
                                             what="the plugged-in connector is reported Occupied", since=mark)
    if tx.started or "EVConnected" in tx.start_points:
        event = tx.record(await conn.expect_call("TransactionEvent", since=mark, triggerReason="CablePluggedIn",
                                                 requirements=("E02.FR.06", "E01.FR.02")))
        station.check.fields("TransactionEventRequest when the EV is connected (Part 6 EVConnectedPreSession step 3)",
                             event.payload, {"evse.id": evse, "evse.connectorId": connector},
                             requirements=("E01.FR.16", "Part 6 §2.1"))


async def retries(station: ChargingStationUnderTest, plan: tuple[str, ...], *, transmissions: int,
                  answered_last: bool, timeout_after_error: bool = False) -> None:
    """The E13 scenario: ``plan`` says how each transmission of the step 5 message is answered; the station must
    send it ``transmissions`` times, timed per E13.FR.03, and then no more for one further iteration.
    ``timeout_after_error``: a retry after a CALLERROR may also come after the interval + MessageTimeout (Part 6
    TC_E_51_CS step 5)."""
    values = station.config.station_values
    attempts, interval = values.message_attempts_transaction_event, values.message_attempts_transaction_event_interval
    evse, connector = station.connectors[0]
    tolerance = station.tolerance
    async with station.configured(MESSAGE_ATTEMPTS_TRANSACTION_EVENT, str(attempts)), \
            station.configured(MESSAGE_ATTEMPT_INTERVAL_TRANSACTION_EVENT, str(interval)), \
            states.transactions_ended_afterwards(station):
        timeout = await _message_timeout(station)
        tx = await states.authorized(station, evse, connector)
        conn = station.connection
        scenario = NotAccepted(station, plan, timeout)
        wait_timeout = (timeout if timeout is not None else station.message_timeout)
        with station.answering("TransactionEvent", scenario):
            mark = conn.mark()
            await _ev_connected(station, tx, evse, connector)
            first = await scenario.transmission(0, wait_timeout)
            if first is None:
                raise Inconclusive("the station sent no TransactionEventRequest after the EV was connected (other "
                                   "than the optional steps 1-4): nothing to withhold; received meanwhile: "
                                   + conn.summary_since(mark))
            station.note(f"step 5: TransactionEventRequest seqNo {first.payload.get('seqNo')} triggerReason "
                         f"{first.payload.get('triggerReason')} is the message the harness does not accept")
            transaction_id, seq_no = scenario.target
            same = {"seqNo": seq_no, "transactionInfo": {"transactionId": transaction_id}}
            for k in range(1, transmissions):
                previous = scenario.transmissions[k - 1]
                silent = scenario.answers[k - 1] == WITHHOLD
                gap = interval * k
                required = gap + (timeout or 0.0) if silent else gap
                station.protocol_wait(required, f"MessageAttemptIntervalTransactionEvent x {k}"
                                      + (" + MessageTimeout" if silent else "") + " before the retry (E13.FR.03)")
                # E13.FR.03's wait starts when the transmission failed at the station: when the CALLERROR reached
                # it (taken as the moment the harness sent it, so the harness's own answering delay is not charged
                # to the station) or, unanswered, when its MessageTimeout ran out after sending (its arrival here)
                start = previous.received_mono if silent or previous.answered_mono is None else previous.answered_mono
                retry = await scenario.transmission(k, max(0.0, start + required + tolerance
                                                           + wait_timeout - time.monotonic()))
                if retry is None:
                    station.check.that(f"the station sends the TransactionEventRequest it was not accepted again "
                                       f"(transmission {k + 1} of {transmissions})", False,
                                       expected=f"TransactionEventRequest seqNo {seq_no} again after "
                                                f"{required:g}s", actual="not received; received meanwhile: "
                                       + conn.summary_since(mark), requirements=RETRY)
                measured = retry.received_mono - start
                name = (f"retry {k}: MessageAttemptIntervalTransactionEvent ({interval}s) x {k} preceding "
                        f"transmission(s)" + (f" + MessageTimeout ({timeout:g}s)" if silent and timeout else ""))
                if silent and timeout is None:
                    station.no_sooner_than(name + " (MessageTimeout unreadable: lower bound only)", measured,
                                           required=gap, requirements=("E13.FR.03",))
                elif not silent and timeout_after_error and abs(measured - gap) > tolerance and timeout is not None \
                        and abs(measured - gap - timeout) <= tolerance:
                    station.check.timing(name + " + MessageTimeout (Part 6 TC_E_51_CS step 5)", measured,
                                         required=gap + timeout, tolerance=tolerance,
                                         requirements=("E13.FR.03", "Part 6 TC_E_51_CS"), soft=True)
                else:
                    station.check.timing(name, measured, required=required, tolerance=tolerance,
                                         requirements=("E13.FR.03",), soft=True)
            last = scenario.transmissions[-1]
            window = interval * transmissions + (timeout or 0.0) + tolerance
            remaining = max(0.0, last.received_mono + window - time.monotonic())
            # the additional iteration: the same message must not come again (recorded as a protocol wait)
            station.protocol_wait(remaining, "one more iteration: no further transmission expected (E13.FR.02/04)")
            await scenario.transmission(transmissions, remaining)
            extra = scenario.transmissions[transmissions:]
            what = ("after it was accepted" if answered_last
                    else f"after MessageAttemptsTransactionEvent ({attempts}) transmissions")
            station.check.that(f"the station does not send the TransactionEventRequest again {what}", not extra,
                               expected=f"{transmissions} transmission(s) of seqNo {seq_no}, none within "
                                        f"{window:g}s of the last",
                               actual=f"{len(scenario.transmissions)} transmissions ("
                                      + ", ".join(scenario.answers) + ")", requirements=STOPS)
        for incoming in conn.mailbox[mark:]:  # the transaction's events, for the restore
            if incoming.action == "TransactionEvent" and incoming not in tx.events \
                    and _key(incoming.payload)[0] == transaction_id:
                tx.record(incoming)


def _attempts(station: ChargingStationUnderTest) -> int:
    return station.config.station_values.message_attempts_transaction_event


NEEDED = dict(time_needed=lambda t: 2 * t.action_timeout + 14 * t.message_timeout)


@case(**NEEDED)
async def test_tc_e_41_cs(station: ChargingStationUnderTest) -> None:
    """No answer to any transmission: the station sends the message MessageAttemptsTransactionEvent times, each retry
    after interval x preceding transmissions + MessageTimeout (step 5, E13.FR.02/03), then discards it (E13.FR.04)."""
    attempts = _attempts(station)
    await retries(station, (WITHHOLD,), transmissions=attempts, answered_last=False)


@case(**NEEDED)
async def test_tc_e_50_cs(station: ChargingStationUnderTest) -> None:
    """CALLERROR InternalError to every transmission: MessageAttemptsTransactionEvent transmissions, each retry after
    interval x preceding transmissions (step 5, E13.FR.02/03), then none (E13.FR.04)."""
    attempts = _attempts(station)
    await retries(station, (ERROR,), transmissions=attempts, answered_last=False)


@case(**NEEDED)
async def test_tc_e_42_cs(station: ChargingStationUnderTest) -> None:
    """No answer to the first transmission, a TransactionEventResponse to the second: sent twice, the retry after the
    interval + MessageTimeout (step 5, E13.FR.02/03), and not again."""
    if _attempts(station) <= 2:
        raise Inconclusive("Part 6 TC_E_42_CS needs <Configured message_attempts_transaction_event> > 2")
    await retries(station, (WITHHOLD, ANSWER), transmissions=2, answered_last=True)


@case(**NEEDED)
async def test_tc_e_51_cs(station: ChargingStationUnderTest) -> None:
    """CALLERROR InternalError to the first transmission, a TransactionEventResponse to the second: sent twice, the
    retry after the interval (step 5, E13.FR.02/03; Part 6's + MessageTimeout accepted), and not again."""
    if _attempts(station) <= 2:
        raise Inconclusive("Part 6 TC_E_51_CS needs <Configured message_attempts_transaction_event> > 2")
    await retries(station, (ERROR, ANSWER, ERROR), transmissions=2, answered_last=True, timeout_after_error=True)
