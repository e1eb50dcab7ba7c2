"""Block E, SUT = CSMS: the cases are exactly as strict as Part 2 / Part 6. Each test runs cases as a user runs them
(``ocpp-conformance run --config``) against the reference CSMS with one variant, in this test's event loop, driven
through the webhook action backend (the tests/test_case_strictness_rest.py way):

* conformant variants the documents allow PASS: an invalid idToken answered Unknown (Part 6 TC_E_16_CSMS "Invalid or
  Unknown"), idTokenInfo with optional fields (groupIdToken, cacheExpiryDateTime, language1), idTokenInfo also on
  events without an idToken (the field is optional there);
* a CSMS that never answers the events queued offline FAILs TC_E_29_CSMS (no INCONCLUSIVE, no hang);
* the harness station's offline period (TC_E_29_CSMS steps 1-2) is a reconnect without a new BootNotification,
  recorded as a wait.
The faults of conformance/faults/e.py ("# ecsms") are the misbehaving CSMSs the matrix runs."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any, AsyncIterator

import pytest

from conformance.reference.csms import ReferenceCsms
from conformance.transport.connection import IncomingCall

from support import FULL_PICS, run_cases, started_with_webhook, write_peer_config

MESSAGE_TIMEOUT = 2.0


class VariantCsms(ReferenceCsms):
    """The reference CSMS (tokens of write_peer_config) with one variant."""

    def __init__(self, variant: str) -> None:
        tokens = {"VALID001": "Accepted"} if variant == "unknown_for_invalid" else \
            {"VALID001": "Accepted", "INVALID001": "Invalid"}
        super().__init__(passwords={"CS001": None}, security_profile=0, message_timeout=MESSAGE_TIMEOUT,
                         heartbeat_interval=300, tokens=tokens)
        self.variant = variant

    def _token_info(self, id_token: dict[str, Any]) -> dict[str, Any]:
        info = super()._token_info(id_token)
        if self.variant == "started_token_invalid" and self._answering_started:
            info["status"] = "Invalid"
        if self.variant == "rich_token_info":
            info.update(groupIdToken={"idToken": "GROUP-1", "type": "Central"},
                        cacheExpiryDateTime="2099-01-01T00:00:00.000Z", language1="en")
        return info

    _answering_started = False

    def on_TransactionEvent(self, record: Any, payload: dict[str, Any]) -> Any:
        self._answering_started = payload.get("eventType") == "Started"
        answer = super().on_TransactionEvent(record, payload)
        self._answering_started = False
        if self.variant == "token_info_on_every_event" and isinstance(answer, dict) and "idTokenInfo" not in answer:
            tx = self.transactions.of(record.identity).get(payload["transactionInfo"]["transactionId"])
            if tx is not None and tx.id_token is not None:
                answer = {"idTokenInfo": self._token_info(tx.id_token)}
        return answer

    def _handler_for(self, identity: str):
        handle = super()._handler_for(identity)
        if self.variant == "asks_status_on_its_own":
            ongoing = [t for t in self.transactions.of(identity).values() if not t.ended]
            if ongoing:  # a station with a running transaction reconnects: ask about it (E14)
                self._spawn(self._ask_status(identity, ongoing[-1].transaction_id, None))

        async def maybe_silent(incoming: IncomingCall) -> Any:
            if self.variant == "silent_on_offline_events" and incoming.action == "TransactionEvent" \
                    and incoming.payload.get("offline"):
                await self.released.wait()  # no answer while the case runs; released when the peer stops
            if self.variant == "asks_status_on_its_own" and incoming.action == "TransactionEvent" \
                    and incoming.payload.get("eventType") == "Ended" and incoming.payload.get("offline"):
                # the Ended event skips seqNos: ask about the transaction once it is answered (Part 2 E14 example)
                self._spawn(self._ask_status(identity, incoming.payload["transactionInfo"]["transactionId"],
                                             incoming))
            return await handle(incoming)
        return maybe_silent

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _ask_status(self, identity: str, transaction_id: str, after: IncomingCall | None) -> None:
        if after is not None:
            await after.answered.wait()
        else:  # the new connection is registered once its handler is made
            while (conn := self.server.connections.get(identity)) is None or not conn.is_open:
                await asyncio.sleep(0.01)
        with contextlib.suppress(Exception):
            await self.send(identity, "GetTransactionStatus", {"transactionId": transaction_id})

    async def start(self) -> "VariantCsms":
        self.released = asyncio.Event()
        return await super().start()  # type: ignore[return-value]

    async def stop(self) -> None:
        self.released.set()
        await super().stop()


@contextlib.asynccontextmanager
async def variant_csms(variant: str) -> AsyncIterator[tuple[str, str]]:
    async with started_with_webhook(peer := VariantCsms(variant)) as hook:
        yield peer.url, hook


async def run(tmp_path: Path, variant: str, *cases: str, extra: str = "", group: str | None = None) -> Any:
    """Run ``cases`` against the variant; ``group``: the valid idToken's configured groupIdToken (the CSMS under
    test is then expected to answer it, E01.FR.12)."""
    async with variant_csms(variant) as (url, hook):
        config = write_peer_config(tmp_path / "sut.toml", "csms", csms_url=url, name=f"E variant {variant}",
                                   pics_file=FULL_PICS, message_timeout=MESSAGE_TIMEOUT, connect_timeout=5,
                                   action_timeout=5, case_time_limit=30, webhook=hook,
                                   timing="reconnect_gap = 0\noperator_think_time = 0\n",
                                   extra="[configured]\nev_connection_timeout = 0.2\n" + extra)
        if group is not None:
            config.write_text(config.read_text().replace('id_token = "VALID001"\n',
                                                         f'id_token = "VALID001"\ngroup_id_token = "{group}"\n'))
        return await run_cases(config, tmp_path / "run", *cases, timeout=120)


@pytest.mark.asyncio
@pytest.mark.parametrize("variant, cases", [
    ("unknown_for_invalid", ("TC_E_16_CSMS",)),
    ("rich_token_info", ("TC_E_10_CSMS", "TC_E_16_CSMS", "TC_E_08_CSMS")),
    ("token_info_on_every_event", ("TC_E_31_CSMS", "TC_E_53_CSMS")),
])
async def test_allowed_csms_variants_pass(tmp_path: Path, variant: str, cases: tuple[str, ...]) -> None:
    result = await run(tmp_path, variant, *cases)
    assert {c: result.results.get(c, {}).get("verdict") for c in cases} == dict.fromkeys(cases, "PASS"), result.output


@pytest.mark.asyncio
async def test_a_csms_silent_on_offline_events_fails(tmp_path: Path) -> None:
    result = await run(tmp_path, "silent_on_offline_events", "TC_E_29_CSMS")
    case = result.results.get("TC_E_29_CSMS", {})
    assert case.get("verdict") == "FAIL", result.output


@pytest.mark.asyncio
async def test_the_offline_period_is_a_reconnect_without_boot(tmp_path: Path) -> None:
    result = await run(tmp_path, "none", "TC_E_29_CSMS", extra="[station_values]\ntransaction_duration = 0.3\n")
    assert result.results["TC_E_29_CSMS"]["verdict"] == "PASS", result.output
    events = [e for e in result.events if e.get("case") == "TC_E_29_CSMS"]
    boots = [e for e in events if e.get("kind") == "frame" and e.get("action") == "BootNotification"
             and e.get("message_type") == "CALL"]
    assert len(boots) <= 1, "the station boots for the case at most once, not again after the offline period"
    assert any(e.get("kind") == "wait" and "offline" in e.get("reason", "") for e in events)
    offline = [e for e in events if e.get("kind") == "frame" and e.get("action") == "TransactionEvent"
               and e.get("direction") == "out" and (e.get("payload") or {}).get("offline")]
    assert offline, "the queued event is sent with offline = true after the reconnect"


@pytest.mark.asyncio
async def test_the_harness_station_answers_get_transaction_status_about_its_own_transactions(tmp_path: Path) -> None:
    """E14.FR.01-03/05/06/08: about a transactionId, ongoingIndicator says whether that transaction of the harness
    station runs; without one, no ongoingIndicator; nothing is ever queued while it answers."""
    from conformance.harness.reusable_states import csms as states
    from test_harness_peer import _boot, harness_against_reference

    async with harness_against_reference(tmp_path) as (csms, reference):
        await _boot(csms)
        tx = await states.energy_transfer_started(csms, 1, 1)

        async def status(payload: dict[str, Any]) -> dict[str, Any]:
            return (await reference.send(csms.identity, "GetTransactionStatus", payload)).payload

        assert await status({"transactionId": tx.transaction_id}) == {"ongoingIndicator": True,
                                                                      "messagesInQueue": False}
        assert await status({}) == {"messagesInQueue": False}
        await states.transaction_ended(csms, tx)
        assert await status({"transactionId": tx.transaction_id}) == {"ongoingIndicator": False,
                                                                      "messagesInQueue": False}
        assert await status({"transactionId": "never-seen"}) == {"ongoingIndicator": False, "messagesInQueue": False}


def _case_events(result: Any, case: str, kind: str) -> list[dict[str, Any]]:
    return [e for e in result.events if e.get("case") == case and e.get("kind") == kind]


@pytest.mark.asyncio
async def test_a_csms_asking_the_transaction_status_on_its_own_passes(tmp_path: Path) -> None:
    """Part 6 TC_E_29/31_CSMS step 3 / 7 have no manual action: a CSMS that asks on its own (on the reconnect, or once
    the Ended event shows skipped seqNos, as Part 2 E14 describes) does the step; no instruction is given and the
    harness station answers its request with the queue it holds (E14.FR.04). In TC_E_33_CSMS its request about the
    transaction is answered and left aside: the step asks without a transactionId, so the CSMS is instructed."""
    cases = ("TC_E_29_CSMS", "TC_E_31_CSMS", "TC_E_33_CSMS")
    result = await run(tmp_path, "asks_status_on_its_own", *cases)
    assert {c: result.results.get(c, {}).get("verdict") for c in cases} == dict.fromkeys(cases, "PASS"), result.output
    for case in ("TC_E_29_CSMS", "TC_E_31_CSMS"):
        instructed = [e for e in _case_events(result, case, "action")
                      if (e.get("params") or {}).get("request") == "GetTransactionStatus"]
        assert not instructed, f"{case}: the CSMS asked on its own, no csms_send is given"
    for case, expected in (("TC_E_29_CSMS", {"ongoingIndicator": True, "messagesInQueue": True}),
                           ("TC_E_31_CSMS", {"ongoingIndicator": False, "messagesInQueue": True})):
        answers = [e["payload"] for e in _case_events(result, case, "frame") if e.get("action") ==
                   "GetTransactionStatus" and e.get("message_type") == "CALLRESULT"]
        assert answers and all(a == expected for a in answers), (case, answers)
    instructed = [e for e in _case_events(result, "TC_E_33_CSMS", "action")
                  if (e.get("params") or {}).get("request") == "GetTransactionStatus" and e.get("status") == "started"]
    assert len(instructed) == 1


@pytest.mark.asyncio
async def test_a_failed_check_inside_the_reusable_state_leaves_no_transaction_open(tmp_path: Path) -> None:
    """A CSMS that answers the Started event of a valid idToken Invalid FAILs TC_E_10_CSMS (Part 6 §3.18 Authorized
    tool validation step 4), and the transaction the harness station started is ended all the same (restore)."""
    result = await run(tmp_path, "started_token_invalid", "TC_E_10_CSMS")
    assert result.results["TC_E_10_CSMS"]["verdict"] == "FAIL", result.output
    sent = [e["payload"] for e in _case_events(result, "TC_E_10_CSMS", "frame") if e.get("action") ==
            "TransactionEvent" and e.get("direction") == "out" and e.get("message_type") == "CALL"]
    assert [p["eventType"] for p in sent] == ["Started", "Ended"], sent
    assert sent[0]["transactionInfo"]["transactionId"] == sent[1]["transactionInfo"]["transactionId"]


@pytest.mark.asyncio
async def test_a_missing_group_still_shows_the_part6_status_check(tmp_path: Path) -> None:
    """The lab configured a groupIdToken the CSMS does not answer: the group check fails (E01.FR.12, C09.FR.12) and
    the case is FAIL, but the Part 6 validation of idTokenInfo.status is recorded as well (it is not hidden)."""
    result = await run(tmp_path, "none", "TC_E_10_CSMS", group="GROUP-1")
    assert result.results["TC_E_10_CSMS"]["verdict"] == "FAIL", result.output
    checks = _case_events(result, "TC_E_10_CSMS", "check")
    assert any(not c["passed"] and "C09.FR.12" in c["requirements"] for c in checks)
    assert any(c["passed"] and "Part 6 §3.18 Authorized tool validation step 4" in c["requirements"] for c in checks)


@pytest.mark.asyncio
async def test_the_harness_station_answers_request_stop_transaction_about_its_own_transactions(
        tmp_path: Path) -> None:
    """F03.FR.07/08: a RequestStopTransaction no case takes over is Accepted for a running transaction of the harness
    station and Rejected for any other id; the restore then ends the accepted one as remotely stopped (F03.FR.03)."""
    from conformance.harness.reusable_states import csms as states
    from test_harness_peer import _boot, harness_against_reference

    async with harness_against_reference(tmp_path) as (csms, reference):
        await _boot(csms)
        async with states.transactions_ended_afterwards(csms) as transactions:
            tx = states.new_transaction(csms, 1, 1)
            transactions.append(tx)
            await states.energy_transfer_started(csms, 1, 1, tx=tx)

            async def stop(transaction_id: str) -> dict[str, Any]:
                return (await reference.send(csms.identity, "RequestStopTransaction",
                                             {"transactionId": transaction_id})).payload

            assert await stop("never-seen") == {"status": "Rejected"}
            assert await stop(tx.transaction_id) == {"status": "Accepted"}
        events = reference.transactions.of(csms.identity)[tx.transaction_id].events
        assert events[-1]["eventType"] == "Ended" and events[-1]["triggerReason"] == "RemoteStop"
        assert events[-1]["transactionInfo"]["stoppedReason"] == "Remote"
        assert tx.transaction_id not in csms.station.ongoing_transactions
