"""Blocks C and D, SUT = CSMS: the cases are exactly as strict as Part 2 / Part 6. Each test runs cases as a user runs
them (``ocpp-conformance run --config``) against the reference CSMS with one variant, through the webhook action
backend (the tests/test_e_csms_variants.py way):

* conformant variants the documents allow PASS: an invalid idToken answered Unknown, a blocked one Invalid (Part 6
  "Invalid or Unknown", "Blocked or Invalid"); a Full list split over two messages (a Full part, then a Differential
  part, D01.FR.15 note; Part 6 "step 1 and 2 will be repeated") and a GetLocalListVersionRequest before a Full list
  (Part 6 TC_D_01_CSMS steps 1-2 are optional);
* misbehaving CSMSs FAIL for the reason they break: a list with one idToken twice (D01.FR.06), the later part of a split
  list numbered no higher than the first (D01.FR.19), a differential update not above the version the station reports
  (D01.FR.19).
The faults of conformance/faults/c.py and d.py ("# cdcsms") are the misbehaving CSMSs the matrix runs."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, AsyncIterator

import pytest

from conformance.reference.csms import ReferenceCsms
from conformance.transport.connection import IncomingCall

from support import FULL_PICS, run_cases, started_with_webhook, write_peer_config

MESSAGE_TIMEOUT = 2.0

_TOKENS = """
[id_tokens.blocked]
id_token = "BLOCKED001"
[id_tokens.group]
id_token = "GROUP002"
group_id_token = "GROUP-1"
"""


class VariantCsms(ReferenceCsms):
    """The reference CSMS (tokens of write_peer_config and _TOKENS) with one variant."""

    def __init__(self, variant: str) -> None:
        tokens = {"VALID001": "Accepted", "GROUP002": "Accepted", "BLOCKED001": "Blocked"}
        if variant != "unknown_for_invalid":
            tokens["INVALID001"] = "Invalid"
        if variant == "invalid_for_blocked":
            tokens["BLOCKED001"] = "Invalid"
        super().__init__(passwords={"CS001": None}, security_profile=0, message_timeout=MESSAGE_TIMEOUT,
                         heartbeat_interval=300, tokens=tokens, groups={"VALID001": "GROUP-1", "GROUP002": "GROUP-1"})
        self.variant = variant

    async def _send_local_list(self, identity: str, payload: dict[str, Any]) -> None:
        entries = payload.get("localAuthorizationList") or []
        if self.variant == "version_asked_first":
            await self._send_logged(identity, "GetLocalListVersion", {})
        if self.variant == "duplicate_entry" and entries:
            payload = dict(payload, localAuthorizationList=[*entries, entries[0]])
        if self.variant == "differential_version_equal" and payload.get("updateType") == "Differential":
            await self._send_logged(identity, "GetLocalListVersion", {})
            record = self.authorization.list_of(identity)
            await self._send_logged(identity, "SendLocalList", dict(payload, versionNumber=record.station_version))
            return
        if self.variant in ("split_full", "split_full_same_version") and payload.get("updateType") == "Full" \
                and len(entries) > 1:
            first = dict(payload, localAuthorizationList=entries[:1])
            await self._send_logged(identity, "SendLocalList", first)
            version = first["versionNumber"] + (1 if self.variant == "split_full" else 0)
            await self._send_logged(identity, "SendLocalList", {"updateType": "Differential", "versionNumber": version,
                                                                "localAuthorizationList": entries[1:]})
            return
        await super()._send_local_list(identity, payload)


@contextlib.asynccontextmanager
async def variant_csms(variant: str) -> AsyncIterator[tuple[str, str]]:
    async with started_with_webhook(peer := VariantCsms(variant)) as hook:
        yield peer.url, hook


async def run(tmp_path: Path, variant: str, *cases: str) -> Any:
    async with variant_csms(variant) as (url, hook):
        config = write_peer_config(tmp_path / "sut.toml", "csms", csms_url=url, name=f"C/D variant {variant}",
                                   pics_file=FULL_PICS, message_timeout=MESSAGE_TIMEOUT, connect_timeout=5,
                                   action_timeout=5, case_time_limit=30, webhook=hook,
                                   timing="reconnect_gap = 0\noperator_think_time = 0\n", extra=_TOKENS)
        config.write_text(config.read_text().replace('id_token = "VALID001"\n',
                                                     'id_token = "VALID001"\ngroup_id_token = "GROUP-1"\n'))
        return await run_cases(config, tmp_path / "run", *cases, timeout=120)


def _verdicts(result: Any, cases: tuple[str, ...]) -> dict[str, Any]:
    return {c: result.results.get(c, {}).get("verdict") for c in cases}


def _failed_requirements(result: Any, case: str) -> set[str]:
    return {r for e in result.events if e.get("case") == case and e.get("kind") == "check" and not e.get("passed")
            for r in e.get("requirements", [])}


@pytest.mark.asyncio
@pytest.mark.parametrize("variant, cases", [
    ("unknown_for_invalid", ("TC_C_02_CSMS", "TC_C_20_CSMS")),
    ("invalid_for_blocked", ("TC_C_06_CSMS",)),
    ("split_full", ("TC_D_01_CSMS", "TC_C_39_CSMS")),
    ("version_asked_first", ("TC_D_01_CSMS", "TC_D_04_CSMS")),
])
async def test_allowed_csms_variants_pass(tmp_path: Path, variant: str, cases: tuple[str, ...]) -> None:
    result = await run(tmp_path, variant, *cases)
    assert _verdicts(result, cases) == dict.fromkeys(cases, "PASS"), result.output
    if variant == "split_full":  # both parts were judged, and both arrived at the harness station
        parts = [e for e in result.events if e.get("case") == "TC_D_01_CSMS" and e.get("kind") == "frame"
                 and e.get("action") == "SendLocalList" and e.get("message_type") == "CALL"]
        assert len(parts) == 2, parts


@pytest.mark.asyncio
@pytest.mark.parametrize("variant, case, requirement", [
    ("duplicate_entry", "TC_D_01_CSMS", "D01.FR.06"),
    ("split_full_same_version", "TC_D_01_CSMS", "D01.FR.19"),
    ("differential_version_equal", "TC_D_02_CSMS", "D01.FR.19"),
])
async def test_misbehaving_csms_fails(tmp_path: Path, variant: str, case: str, requirement: str) -> None:
    result = await run(tmp_path, variant, case)
    assert _verdicts(result, (case,)) == {case: "FAIL"}, result.output
    assert requirement in _failed_requirements(result, case), result.output


def _entry(token: str) -> dict[str, Any]:
    return {"idToken": {"idToken": token, "type": "ISO14443"}, "idTokenInfo": {"status": "Accepted"}}


def test_the_reference_csms_splits_a_list_by_the_station_limits() -> None:
    """D01.FR.11 / D01.FR.15 note: a list above the station's ItemsPerMessage (or BytesPerMessage) goes out as a Full
    part and Differential parts, each numbered one higher; within the limits (or unknown) as one request."""
    from conformance.faults import FaultSet
    from conformance.reference.csms_authorization import CsmsAuthorization
    auth = CsmsAuthorization(FaultSet(sut="csms"), {}, {})
    payload = {"updateType": "Full", "versionNumber": 5, "localAuthorizationList": [_entry(f"T{i}") for i in range(5)]}
    assert auth.parts("CS001", payload) == [payload]  # limits not known
    auth.learn_limits("CS001", [{"attributeStatus": "Accepted", "attributeValue": "2",
                                 "variable": {"name": "ItemsPerMessage"}},
                                {"attributeStatus": "UnknownComponent", "variable": {"name": "BytesPerMessage"}}])
    parts = auth.parts("CS001", payload)
    assert [(p["updateType"], p["versionNumber"], len(p["localAuthorizationList"])) for p in parts] == [
        ("Full", 5, 2), ("Differential", 6, 2), ("Differential", 7, 1)]
    auth.list_of("CS001").items_per_message = None
    auth.list_of("CS001").bytes_per_message = 200  # about two entries per request
    sizes = [len(p["localAuthorizationList"]) for p in auth.parts("CS001", payload)]
    assert sum(sizes) == 5 and len(sizes) > 1 and all(s >= 1 for s in sizes)


def test_the_harness_station_keeps_its_list_as_part2_says() -> None:
    """The harness station's Local Authorization List: Full replaces (D01.FR.15, an empty one empties, D01.FR.04),
    Differential adds / updates (D01.FR.16) and removes entries without idTokenInfo (D01.FR.17), a Differential
    not above its version is VersionMismatch and changes nothing (D01.FR.19); GetLocalListVersion answers the
    version (D02.FR.01/02)."""
    from types import SimpleNamespace

    from conformance.config import default_config
    from conformance.harness.sides import HarnessStation
    from conformance.protocol.frames import Call

    cfg = default_config("csms")
    station = HarnessStation(SimpleNamespace(config=cfg), "CS001", None)  # type: ignore[arg-type]

    def send(action: str, payload: dict[str, Any]) -> dict[str, Any]:
        incoming = IncomingCall(None, Call(f"m{len(station.local_list_version_before)}-{action}", action, payload),
                                0.0, 0.0)  # type: ignore[arg-type]
        return station.handle(incoming)  # type: ignore[return-value]

    assert send("GetLocalListVersion", {}) == {"versionNumber": 0}
    assert send("SendLocalList", {"updateType": "Full", "versionNumber": 3,
                                  "localAuthorizationList": [_entry("A"), _entry("B")]}) == {"status": "Accepted"}
    assert send("SendLocalList", {"updateType": "Differential", "versionNumber": 3,
                                  "localAuthorizationList": [_entry("C")]}) == {"status": "VersionMismatch"}
    assert send("SendLocalList", {"updateType": "Differential", "versionNumber": 4, "localAuthorizationList": [
        _entry("C"), {"idToken": {"idToken": "A", "type": "ISO14443"}}]}) == {"status": "Accepted"}
    assert sorted(t for t, _ in station.local_list) == ["B", "C"]
    assert send("GetLocalListVersion", {}) == {"versionNumber": 4}
    assert send("SendLocalList", {"updateType": "Full", "versionNumber": 5}) == {"status": "Accepted"}
    assert station.local_list == {} and station.local_list_version == 5
