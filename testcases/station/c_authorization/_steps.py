"""Steps the block C cases share (station side): private to this block.

The local start / stop configuration state and the configured connector are block E's (one concept, one place:
imported from there, not copied).
"""

from __future__ import annotations

import contextlib
import time
from typing import Any, AsyncIterator, Callable, Iterator, Mapping

from conformance.harness import ChargingStationUnderTest
from conformance.harness.reusable_states import station as states
from conformance.harness.sides import default_token_info
from conformance.outcomes import NotApplicable
from conformance.protocol.errors import PeerClosed, PeerTimeout
from conformance.protocol.patterns import matches
from conformance.protocol.variables import MASTER_PASS_GROUP_ID
from conformance.transport.connection import Connection, IncomingCall

from ..e_transactions._steps import configured_connector, local_start_configuration

__all__ = ["configured_connector", "local_start_configuration", "configured_token", "answering_tokens",
           "transaction_events_during", "charging_shown", "presented", "SIDE_TRIGGERS", "master_pass_group",
           "master_pass_info", "master_pass_configured"]

# TransactionEventRequests a station sends on its own while a transaction runs (periodic / clock-aligned meter
# values, J02.FR.11, J01): never caused by an idToken presented meanwhile.
SIDE_TRIGGERS = ("MeterValuePeriodic", "MeterValueClock")


def configured_token(station: ChargingStationUnderTest, role: str, case_id: str) -> dict[str, str]:
    """``[id_tokens.<role>]`` (<Configured <role>_idtoken_idtoken / _type>): a case that needs a token the
    configuration does not give cannot run against this SUT: NOT APPLICABLE with a message saying which table to add
    (docs/configuration.md, [id_tokens])."""
    spec = getattr(station.config.id_tokens, role)
    if spec is None:
        raise NotApplicable(f"{case_id} needs the <Configured {role}_idtoken_idtoken>: add [id_tokens.{role}] with "
                           "id_token (and type) to the configuration")
    return spec.to_ocpp()


@contextlib.contextmanager
def answering_tokens(station: ChargingStationUnderTest,
                     infos: Mapping[str, dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]]]
                     ) -> Iterator[list[IncomingCall]]:
    """Inside the block, the harness CSMS answers AuthorizeRequest and TransactionEventRequest with the idTokenInfo
    ``infos`` gives for the idToken (by idToken value; a callable gets the idToken), every other idToken as it does
    by default. Yields the list of AuthorizeRequests answered meanwhile, in arrival order."""
    default = default_token_info(station.ctx)
    asked: list[IncomingCall] = []

    def info(token: dict[str, Any]) -> dict[str, Any]:
        given = infos.get(token.get("idToken"))
        if given is None:
            return default(token)
        return dict(given(token) if callable(given) else given)

    def authorize(incoming: IncomingCall) -> dict[str, Any]:
        asked.append(incoming)
        return {"idTokenInfo": info(incoming.payload.get("idToken", {}))}

    def transaction_event(incoming: IncomingCall) -> dict[str, Any]:
        token = incoming.payload.get("idToken")
        return {"idTokenInfo": info(token)} if token else {}

    with station.answering("Authorize", authorize), station.answering("TransactionEvent", transaction_event):
        yield asked


async def presented(station: ChargingStationUnderTest, token: dict[str, str], evse: int) -> int:
    """Manual action: present ``token`` at ``evse`` (action ``present_id_token``). Returns the mark of the station's
    connection taken before the instruction (what the station sent before it is never taken for its reaction)."""
    conn = station.connection
    mark = conn.mark()
    await station.actions.do("present_id_token", id_token=token["idToken"], type=token["type"], evse=evse)
    return mark


def _of_evse(conn: Connection, incoming: IncomingCall, evse: int) -> bool:
    """Whether a TransactionEventRequest belongs to ``evse`` (its own evse field, or its transaction's first event's)."""
    where = incoming.payload.get("evse", {}).get("id")
    if where is not None:
        return where == evse
    tid = incoming.payload.get("transactionInfo", {}).get("transactionId")
    started = {c.payload.get("evse", {}).get("id") for c in conn.mailbox if c.action == "TransactionEvent"
               and c.payload.get("transactionInfo", {}).get("transactionId") == tid and c.payload.get("evse")}
    return not started or evse in started


async def transaction_events_during(station: ChargingStationUnderTest, tx: states.Transaction, since: int,
                                    window: float, *, reason: str) -> list[IncomingCall]:
    """Every TransactionEventRequest of ``tx``'s EVSE the station sends on its connection from ``since`` (a mark)
    until ``window`` seconds from now (recorded as a protocol wait: the case must see silence). Each is recorded
    into ``tx`` when it is ``tx``'s (so the restore knows a transaction the station started), and returned for the
    case to judge. A closed connection ends the window early."""
    conn = station.connection
    station.protocol_wait(window, reason)
    deadline = time.monotonic() + window
    seen: list[IncomingCall] = []
    while (remaining := deadline - time.monotonic()) > 0:
        try:
            incoming = await conn.expect_call("TransactionEvent", since=since, timeout=remaining)
        except (PeerTimeout, PeerClosed):
            break
        if not _of_evse(conn, incoming, tx.evse):
            continue  # a transaction of another EVSE: answered and recorded, not this case's
        tid = incoming.payload.get("transactionInfo", {}).get("transactionId")
        if tx.transaction_id is None and tid is not None and incoming.payload.get("eventType") != "Started":
            # a transaction the station started before the window (e.g. before its AuthorizeRequest)
            first = next((c for c in conn.mailbox if c.action == "TransactionEvent" and c is not incoming
                          and c.payload.get("eventType") == "Started"
                          and c.payload.get("transactionInfo", {}).get("transactionId") == tid), None)
            if first is not None:
                first.claimed = True
                tx.record(first)
        if tx.transaction_id in (None, tid):
            tx.record(incoming)
        seen.append(incoming)
    return seen


def charging_shown(station: ChargingStationUnderTest, conn: Connection, evse: int, since: int) -> IncomingCall | None:
    """The first message from ``since`` on that shows an energy transfer at ``evse`` (the evidence of
    :class:`states.ChargingEvidence`), or None."""
    evidence = states.ChargingEvidence(evse)
    for incoming in conn.mailbox[since:]:
        for action, pattern in evidence.alternatives():
            if incoming.action == action and matches(incoming.payload, pattern):
                if action == "TransactionEvent" and not _of_evse(conn, incoming, evse):
                    continue
                return incoming
    return None


# --------------------------------------------------------------------------- C16 Master Pass (also TC_C_45_CS)
def master_pass_group(station: ChargingStationUnderTest, case_id: str) -> str:
    """<Configured masterPassGroupId>: ``[id_tokens.master_pass].group_id_token``."""
    spec = station.config.id_tokens.master_pass
    if spec is None or not spec.group_id_token:
        raise NotApplicable(f"{case_id} needs <Configured masterpass_idtoken> and <Configured masterPassGroupId>: add "
                           "[id_tokens.master_pass] with id_token, type and group_id_token to the configuration")
    return spec.group_id_token


def master_pass_info(group: str) -> dict[str, Any]:
    """The idTokenInfo the harness answers for the Master Pass idToken (Part 6 C16 steps 2 and 4)."""
    return {"status": "Accepted", "groupIdToken": {"idToken": group, "type": "Central"}}


@contextlib.asynccontextmanager
async def master_pass_configured(station: ChargingStationUnderTest, case_id: str) -> AsyncIterator[dict[str, str]]:
    """Configuration state "AuthCtrlr.MasterPassGroupId is configured" (<Configured masterPassGroupId>, restored
    afterwards; not reached: INCONCLUSIVE); the harness answers the Master Pass idToken Accepted with that
    groupIdToken. Yields the Master Pass idToken."""
    group = master_pass_group(station, case_id)
    token = configured_token(station, "master_pass", case_id)
    current = await station.read_variable(MASTER_PASS_GROUP_ID)
    async with contextlib.AsyncExitStack() as stack:
        if current != group:
            await stack.enter_async_context(station.configured(MASTER_PASS_GROUP_ID, group))
        stack.enter_context(answering_tokens(station, {token["idToken"]: master_pass_info(group)}))
        yield token
