"""Steps the block E cases share (csms side): private to this block."""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta, timezone
from typing import Any

from conformance.harness import ABSENT, CsmsUnderTest
from conformance.protocol.errors import PeerTimeout
from conformance.transport.connection import IncomingCall


def configured_connector(csms: CsmsUnderTest) -> tuple[int, int]:
    """<Configured evseId> and <Configured connectorId>: the first configured connector."""
    return csms.connectors[0]


def at(base: datetime, seconds: float) -> str:
    """An OCPP dateTime ``seconds`` after ``base`` (UTC, milliseconds): when an event queued offline happened."""
    return (base + timedelta(seconds=seconds)).isoformat(timespec="milliseconds").replace("+00:00", "Z")


async def offline_period(csms: CsmsUnderTest) -> datetime:
    """TC_E_29/31/33_CSMS steps 1-2: the harness station closes its WebSocket connection, waits <Configured
    Transaction Duration> (``station_values.transaction_duration``) and connects again, without a reboot (no
    BootNotification). Returns when it went offline (the events it queued meanwhile happened after that)."""
    went_offline = datetime.now(timezone.utc)
    await csms.station.offline_period(csms.config.station_values.transaction_duration,
                                      "<Configured Transaction Duration> offline (Part 6 TC_E_29/31/33_CSMS step 2)")
    return went_offline


def holding_queue(csms: CsmsUnderTest, transaction_id: str, *, ongoing: bool, queued: bool
                  ) -> contextlib.AbstractContextManager[None]:
    """Inside the block the harness station answers GetTransactionStatus as a station whose transaction
    ``transaction_id`` runs (``ongoing``) or has stopped, with (``queued``) or without events of it still to be
    delivered, whenever the CSMS asks (on its own or instructed): about that transaction ongoingIndicator
    ``ongoing`` (E14.FR.02/03) and messagesInQueue ``queued`` (E14.FR.04/05); about another one what its own
    transactions say, nothing queued (E14.FR.01/02/05); without a transactionId no ongoingIndicator and
    messagesInQueue ``queued`` (E14.FR.06/07/08)."""
    def answer(incoming: IncomingCall) -> dict[str, Any]:
        asked = incoming.payload.get("transactionId")
        if asked is None:
            return {"messagesInQueue": queued}
        if asked == transaction_id:
            return {"ongoingIndicator": ongoing, "messagesInQueue": queued}
        return {"ongoingIndicator": asked in csms.station.ongoing_transactions, "messagesInQueue": False}
    return csms.station.answering("GetTransactionStatus", answer)


async def transaction_status(csms: CsmsUnderTest, case_id: str, step: int, transaction_id: str | None, *,
                             since: int | None = None) -> IncomingCall:
    """Part 6 "The CSMS sends a GetTransactionStatusRequest" (no manual action): with ``since`` (a mark on the
    current connection, e.g. its start after a reconnect), a request the CSMS sent on its own from there, or sends
    within the message timeout, is the step (E14 lets a CSMS ask when it misses events); only if none comes the
    CSMS is asked (``csms_send``, with ``transaction_id`` or without a transactionId for None); one it sends on its
    own about something else is answered and left aside. The answer is the caller's (:func:`holding_queue`, or the
    harness station's own). Tool validation of ``step`` (soft: the queued events are delivered all the same): the
    transactionId is the one generated in Before, or omitted."""
    request: IncomingCall | None = None
    asked = ABSENT if transaction_id is None else transaction_id
    if since is not None:  # only the step's request (as the tool validation says) is taken; others are answered
        with contextlib.suppress(PeerTimeout):
            request = await csms.connection.expect_call("GetTransactionStatus", since=since, transactionId=asked)
            csms.note(f"the CSMS sent GetTransactionStatusRequest on its own ({case_id} step {step}); "
                      "no instruction given")
    if request is None:
        payload = {} if transaction_id is None else {"transactionId": transaction_id}
        await csms.actions.do("csms_send", station=csms.identity, request="GetTransactionStatus", payload=payload)
        request = await csms.expect_call("GetTransactionStatus")
    csms.check.fields("GetTransactionStatusRequest", request.payload, {"transactionId": asked},
                      requirements=(f"Part 6 {case_id} tool validation step {step}",), soft=True)
    return request
