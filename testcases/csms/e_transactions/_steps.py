"""Steps the block E cases share (csms side): private to this block."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from conformance.harness import ABSENT, CsmsUnderTest
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


async def transaction_status(csms: CsmsUnderTest, case_id: str, step: int, transaction_id: str | None,
                             answer: dict[str, Any]) -> IncomingCall:
    """On request (``csms_send``), the CSMS sends GetTransactionStatusRequest, with ``transaction_id`` or without a
    transactionId (None); the harness station answers ``answer``. Tool validation of ``step``: the transactionId
    is the one generated in Before, or omitted (E14.FR.02 / E14.FR.06 give the station's answer to either)."""
    payload = {} if transaction_id is None else {"transactionId": transaction_id}
    with csms.station.answering("GetTransactionStatus", answer):
        await csms.actions.do("csms_send", station=csms.identity, request="GetTransactionStatus", payload=payload)
        request = await csms.expect_call("GetTransactionStatus")
    csms.check.fields("GetTransactionStatusRequest", request.payload,
                      {"transactionId": ABSENT if transaction_id is None else transaction_id},
                      requirements=(f"Part 6 {case_id} tool validation step {step}",))
    return request
