"""Block F against a CSMS (helper fcsms): the harness station's answers to remote control, the reference CSMS's
remote start bookkeeping, and the cases against CSMS peers that do an allowed variant (must PASS) or a mistake of
their own (must FAIL).

The peers are the reference CSMS with one variant each, driven through a webhook, with the suite run as a user
runs it (``ocpp-conformance run --config``)."""

from __future__ import annotations

import contextlib
import copy
from pathlib import Path
from typing import Any, AsyncIterator

import pytest

from conformance.protocol.frames import CallError, ErrorCode
from conformance.reference.csms import ReferenceCsms
from conformance.transport.connection import IncomingCall

from support import FULL_PICS, run_cases, started_with_webhook, write_peer_config
from test_harness_peer import _boot, harness_against_reference

MESSAGE_TIMEOUT = 3.0


# --------------------------------------------------------------------------- the harness station
@pytest.mark.asyncio
async def test_harness_station_unlocks_known_connectors_and_sends_triggered_meter_values(tmp_path: Path) -> None:
    async with harness_against_reference(tmp_path) as (csms, reference):
        await _boot(csms)
        unlocked = await reference.send("CS001", "UnlockConnector", {"evseId": 1, "connectorId": 1})
        assert unlocked.payload == {"status": "Unlocked"}  # F05.FR.04 (F05.FR.06: with or without a cable)
        unknown = await reference.send("CS001", "UnlockConnector", {"evseId": 1, "connectorId": 7})
        assert unknown.payload == {"status": "UnknownConnector"}  # F05.FR.03
        conn = reference.server.connections["CS001"]
        mark = conn.mark()
        trigger = await reference.send("CS001", "TriggerMessage", {"requestedMessage": "MeterValues",
                                                                   "evse": {"id": 2}})
        assert trigger.payload == {"status": "Accepted"}
        meter = await conn.expect_call("MeterValues", since=mark, timeout=3)
        assert meter.payload["evseId"] == 2
        assert meter.payload["meterValue"][0]["sampledValue"][0]["context"] == "Trigger"


# --------------------------------------------------------------------------- the reference CSMS
@pytest.mark.asyncio
async def test_reference_csms_gives_each_remote_start_its_id_and_learns_the_transaction(tmp_path: Path) -> None:
    async with harness_against_reference(tmp_path) as (csms, reference):
        await _boot(csms)
        token = {"idToken": "A1B2C3D4", "type": "ISO14443"}
        with csms.station.answering("RequestStartTransaction", {"status": "Accepted"}):
            for _ in range(2):  # what csms_send does, awaited here: the operator's request, the CSMS's id
                await reference.send("CS001", "RequestStartTransaction", reference.remote.prepare(
                    "RequestStartTransaction", {"idToken": token, "evseId": 1}))
        starts = reference.remote.remote_starts["CS001"]
        assert len(starts) == 2  # a new remoteStartId for each request
        first = min(starts)
        assert all(s.status == "Accepted" and s.transaction_id is None for s in starts.values())
        await csms.call("TransactionEvent", {
            "eventType": "Started", "timestamp": "2026-01-01T00:00:00Z", "triggerReason": "RemoteStart", "seqNo": 0,
            "idToken": token, "evse": {"id": 1, "connectorId": 1},
            "transactionInfo": {"transactionId": "TX-1", "remoteStartId": first}})
        assert starts[first].transaction_id == "TX-1"  # F02.FR.01: the event names the remote start's transaction


# --------------------------------------------------------------------------- CSMS peers
class PeerCsms(ReferenceCsms):
    """The reference CSMS with one variant: ``edit(request, payload)`` reshapes what the operator asked it to send;
    ``refuse`` names a station message it answers with CALLERROR (a mistake of this peer)."""

    def __init__(self, *, edit: Any = None, refuse: Any = None) -> None:
        super().__init__(passwords={"CS001": None}, security_profile=0, message_timeout=MESSAGE_TIMEOUT,
                         heartbeat_interval=300, tokens={"VALID001": "Accepted"})
        self.edit = edit
        self.refuse = refuse

    def _handler_for(self, identity: str):
        handle = super()._handler_for(identity)

        async def refusing(incoming: IncomingCall) -> Any:
            if self.refuse is not None and self.refuse(incoming):
                return CallError(incoming.message_id, ErrorCode.GENERIC_ERROR, "not handled by this peer", {})
            return await handle(incoming)
        return refusing

    async def perform_action(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        if action == "csms_send" and self.edit is not None:
            params = dict(params, payload=self.edit(params["request"], copy.deepcopy(params.get("payload", {}))))
        return await super().perform_action(action, params)


@contextlib.asynccontextmanager
async def csms_peer(**variant: Any) -> AsyncIterator[tuple[PeerCsms, str]]:
    peer = PeerCsms(**variant)
    async with started_with_webhook(peer) as hook:
        yield peer, hook


async def verdicts_against(tmp_path: Path, cases: tuple[str, ...], **variant: Any) -> tuple[dict[str, str], str]:
    async with csms_peer(**variant) as (peer, hook):
        config = write_peer_config(tmp_path / "peer.toml", "csms", csms_url=peer.url, pics_file=FULL_PICS,
                                   message_timeout=MESSAGE_TIMEOUT, connect_timeout=5, action_timeout=5,
                                   case_time_limit=20, timing="reconnect_gap = 0.2\noperator_think_time = 0\n",
                                   webhook=hook)
        run = await run_cases(config, tmp_path / "run", *cases, timeout=120)
    return {k: v["verdict"] for k, v in run.results.items()}, run.output


def remote_start_anywhere(request: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Allowed: no evseId (F01.FR.06, F02.FR.14: the station selects the EVSE), the token's groupIdToken and a
    TxProfile (F01.FR.08/09, F02.FR.16/17); a StatusNotification trigger also naming the connector as asked, a
    MeterValues trigger for one EVSE naming a connector too."""
    if request == "RequestStartTransaction":
        payload.pop("evseId", None)
        payload["groupIdToken"] = {"idToken": "GROUP-A", "type": "Central"}
        payload["chargingProfile"] = {"id": 77, "stackLevel": 0, "chargingProfilePurpose": "TxProfile",
                                      "chargingProfileKind": "Relative", "chargingSchedule": [{
                                          "id": 1, "chargingRateUnit": "A",
                                          "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16.0}]}]}
    if request == "TriggerMessage" and payload.get("requestedMessage") == "MeterValues" and "evse" in payload:
        payload["evse"]["connectorId"] = 1
    return payload


@pytest.mark.asyncio
async def test_allowed_variants_of_remote_start_and_trigger_pass(tmp_path: Path) -> None:
    cases = ("TC_F_01_CSMS", "TC_F_02_CSMS", "TC_F_03_CSMS", "TC_F_11_CSMS", "TC_F_23_CSMS")
    verdicts, output = await verdicts_against(tmp_path, cases, edit=remote_start_anywhere)
    assert verdicts == {c: "PASS" for c in cases}, output


def status_trigger_for_the_evse(request: str, payload: dict[str, Any]) -> dict[str, Any]:
    """A mistake: the trigger names the EVSE and the wrong connector (2 of an EVSE with one connector)."""
    if request == "TriggerMessage" and payload.get("requestedMessage") == "StatusNotification":
        payload["evse"]["connectorId"] = 2
    return payload


@pytest.mark.asyncio
async def test_mistakes_of_a_csms_fail_their_cases(tmp_path: Path) -> None:
    """A StatusNotification trigger for a connector other than Part 6's, and a CSMS that refuses the
    TransactionEvent reporting its remote start, FAIL the cases that see them."""
    verdicts, output = await verdicts_against(
        tmp_path, ("TC_F_01_CSMS", "TC_F_03_CSMS", "TC_F_23_CSMS"), edit=status_trigger_for_the_evse,
        refuse=lambda incoming: incoming.action == "TransactionEvent"
        and incoming.payload.get("triggerReason") == "RemoteStart")
    assert verdicts == {"TC_F_01_CSMS": "FAIL", "TC_F_03_CSMS": "FAIL", "TC_F_23_CSMS": "FAIL"}, output
    assert "evse.connectorId" in output and "RemoteStart" in output


@pytest.mark.asyncio
async def test_ev_connected_pre_session_starts_a_transaction_or_updates_the_authorized_one(tmp_path: Path) -> None:
    """Part 6 §3.18 EVConnectedPreSession: eventType Started for a new transaction, Updated when the state is
    Authorized already; the connector reported Occupied first, the evse named."""
    from conformance.harness.reusable_states import csms as states

    async with harness_against_reference(tmp_path) as (csms, reference):
        await _boot(csms)
        new = await states.ev_connected_pre_session(csms, 1, 1)
        authorized = states.Transaction("TX-AUTH", 2, 1)
        await states.transaction_event(csms, authorized, "Started", "Authorized", "Idle",
                                       idToken={"idToken": "A1B2C3D4", "type": "ISO14443"})
        await states.ev_connected_pre_session(csms, 2, 1, authorized)
        events = reference.stations["CS001"].transactions
        assert [e["eventType"] for e in events[new.transaction_id]] == ["Started"]
        assert [(e["eventType"], e["seqNo"], e["triggerReason"]) for e in events["TX-AUTH"]] == [
            ("Started", 0, "Authorized"), ("Updated", 1, "CablePluggedIn")]
        assert events["TX-AUTH"][1]["evse"] == {"id": 2, "connectorId": 1}
        assert reference.stations["CS001"].statuses[(2, 1)] == "Occupied"


def remote_start_on_evse_2(request: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The operator starts the transaction on EVSE 2, while the EV is plugged in at EVSE 1 (TC_F_01_CSMS); the
    trigger of TC_F_27_CSMS asks for a Heartbeat (Part 6 names no requestedMessage)."""
    if request == "RequestStartTransaction":
        payload["evseId"] = 2
    if request == "TriggerMessage":
        payload["requestedMessage"] = "Heartbeat"
    return payload


@pytest.mark.asyncio
async def test_a_remote_start_on_another_evse_is_rejected_and_a_chosen_trigger_passes(tmp_path: Path) -> None:
    """TC_F_01_CSMS: the harness station answers a remote start for an EVSE other than the one its EV is plugged in at
    Rejected (not Accepted with the other EVSE's transactionId): INCONCLUSIVE, the scenario did not happen.
    TC_F_27_CSMS: the CSMS (or operator) chooses the requestedMessage; it is answered NotImplemented and noted."""
    async with csms_peer(edit=remote_start_on_evse_2) as (peer, hook):
        config = write_peer_config(tmp_path / "peer.toml", "csms", csms_url=peer.url, pics_file=FULL_PICS,
                                   message_timeout=MESSAGE_TIMEOUT, connect_timeout=5, action_timeout=5,
                                   case_time_limit=20, timing="reconnect_gap = 0.2\noperator_think_time = 0\n",
                                   webhook=hook, extra="[[evse]]\nid = 2\nconnectors = [1]\n")
        run = await run_cases(config, tmp_path / "run", "TC_F_01_CSMS", "TC_F_27_CSMS", timeout=120)
    verdicts = {k: v["verdict"] for k, v in run.results.items()}
    assert verdicts == {"TC_F_01_CSMS": "INCONCLUSIVE", "TC_F_27_CSMS": "PASS"}, run.output
    answers = [e["payload"] for e in run.events if e.get("case") == "TC_F_01_CSMS" and e.get("kind") == "frame"
               and e.get("action") == "RequestStartTransaction" and e.get("message_type") == "CALLRESULT"]
    assert answers == [{"status": "Rejected"}]
    sent = [e for e in run.events if e.get("case") == "TC_F_01_CSMS" and e.get("kind") == "frame"
            and e.get("action") == "TransactionEvent" and e.get("message_type") == "CALL"]
    assert sent[-1]["payload"]["eventType"] == "Ended", "the transaction of the plugged-in EV is ended afterwards"
    assert any("implements it elsewhere" in (e.get("message") or "") for e in run.events
               if e.get("case") == "TC_F_27_CSMS" and e.get("kind") == "note")


class BlockedTokenCsms(PeerCsms):
    def on_Authorize(self, record: Any, payload: dict[str, Any]) -> dict[str, Any]:
        return {"idTokenInfo": {"status": "Blocked"}}


@pytest.mark.asyncio
async def test_a_remote_start_whose_authorization_fails_stops_there(tmp_path: Path) -> None:
    """TC_F_02_CSMS step 4 not Accepted: FAIL, and the harness station does not go on to start a transaction it may
    not start (F01.FR.01)."""
    peer = BlockedTokenCsms()
    async with started_with_webhook(peer) as hook:
        config = write_peer_config(tmp_path / "peer.toml", "csms", csms_url=peer.url, pics_file=FULL_PICS,
                                   message_timeout=MESSAGE_TIMEOUT, connect_timeout=5, action_timeout=5,
                                   case_time_limit=20, timing="reconnect_gap = 0.2\noperator_think_time = 0\n",
                                   webhook=hook)
        run = await run_cases(config, tmp_path / "run", "TC_F_02_CSMS", timeout=120)
    assert run.results["TC_F_02_CSMS"]["verdict"] == "FAIL", run.output
    assert not [e for e in run.events if e.get("case") == "TC_F_02_CSMS" and e.get("kind") == "frame"
                and e.get("action") == "TransactionEvent"]
