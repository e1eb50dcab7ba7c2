"""Steps the block D cases share (csms side): private to this block."""

from __future__ import annotations

import contextlib
import json
from typing import Any, Callable

from conformance.harness import CsmsUnderTest, Satisfies
from conformance.protocol.errors import PeerTimeout
from conformance.transport.connection import IncomingCall


def list_tokens(csms: CsmsUnderTest, *, with_info: bool) -> list[dict[str, Any]]:
    """AuthorizationData of the configured valid tokens (``[id_tokens.valid]``, ``[id_tokens.group]``) for the
    operator's instruction: with idTokenInfo Accepted (an update, D01.FR.16) or without (a removal, D01.FR.17)."""
    specs = [s for s in (csms.config.id_tokens.valid, csms.config.id_tokens.group) if s is not None]
    return [{"idToken": s.to_ocpp(), **({"idTokenInfo": {"status": "Accepted"}} if with_info else {})} for s in specs]


def declared_limits(csms: CsmsUnderTest) -> tuple[int | None, int | None]:
    """The LocalAuthListCtrlr.ItemsPerMessage and BytesPerMessage the harness station declares in its device model
    (what a CSMS reads with GetVariables, D01.FR.11); None for one it does not declare."""
    limits: list[int | None] = []
    for name in ("ItemsPerMessage", "BytesPerMessage"):
        try:
            limits.append(int(csms.station.device_model.get("LocalAuthListCtrlr", name)))
        except Exception:  # not declared (no such variable in the harness station's device model)
            limits.append(None)
    return limits[0], limits[1]


def _unique(entries: list[dict[str, Any]]) -> bool:
    keys = [(e.get("idToken", {}).get("idToken"), e.get("idToken", {}).get("type")) for e in entries]
    return len(keys) == len(set(keys))


def check_request(csms: CsmsUnderTest, case_id: str, request: IncomingCall, expected: dict[str, Any],
                  *, part: int) -> None:
    """The Part 6 tool validations of ``case_id`` step 1 (``expected``) and the list-management rules Part 2 sets
    for every SendLocalListRequest: versionNumber above 0 (D01.FR.18), unique idTokens (D01.FR.06); a Differential
    above the version the station's list had (D01.FR.19, Part 6 "Bigger than currently configured in OCTT")."""
    payload = request.payload
    what = f"SendLocalListRequest{'' if part == 1 else f' (part {part})'}"
    before = csms.station.local_list_version_before.get(request.message_id, 0)
    entries = payload.get("localAuthorizationList") or []
    with csms.check.collecting():
        csms.check.fields(what, payload, expected, requirements=(f"Part 6 {case_id} tool validation step 1",))
        csms.check.fields(what, payload, {"versionNumber": Satisfies(lambda v: isinstance(v, int) and v > 0,
                                                                     "bigger than 0")},
                          requirements=("D01.FR.18",))
        if payload.get("updateType") == "Differential":
            csms.check.fields(what, payload, {"versionNumber": Satisfies(
                lambda v: isinstance(v, int) and v > before, f"bigger than {before}, the version of the harness "
                "station's list")}, requirements=(f"Part 6 {case_id} tool validation step 1", "D01.FR.19"))
        csms.check.that(f"{what}: every idToken of localAuthorizationList once", _unique(entries),
                        expected="unique idTokens", actual=[e.get("idToken") for e in entries],
                        requirements=("D01.FR.06",))
        items, size = declared_limits(csms)
        if items is not None:
            csms.check.that(f"{what}: at most LocalAuthListCtrlr.ItemsPerMessage entries", len(entries) <= items,
                            expected=f"<= {items}", actual=len(entries), requirements=("D01.FR.11",))
        if size is not None:  # the payload alone (the frame adds its envelope): never stricter than the limit
            length = len(json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode())
            csms.check.that(f"{what}: at most LocalAuthListCtrlr.BytesPerMessage bytes", length <= size,
                            expected=f"<= {size}", actual=length, requirements=("D01.FR.11",))


async def send_local_list(csms: CsmsUnderTest, case_id: str, instruction: dict[str, Any], expected: dict[str, Any],
                          *, delivered: Callable[[], bool], follow_up: dict[str, Any] | None = None) -> IncomingCall:
    """The operator asks the CSMS for the list update ``instruction`` (``csms_send`` SendLocalList; the CSMS chooses
    the versionNumber); its SendLocalListRequest (a GetLocalListVersionRequest before it is answered from the harness
    station's list, Part 6 steps 1-2) is judged by ``expected`` and :func:`check_request`, and answered by the harness
    station's list. While ``delivered()`` is false (a list split over several messages, D01.FR.11) further
    SendLocalListRequests are awaited within the message timeout and judged by ``follow_up`` (the later parts of a
    split list are Differential updates, D01.FR.15 note) and the same rules."""
    await csms.actions.do("csms_send", station=csms.identity, request="SendLocalList", payload=instruction)
    first = await csms.expect_call("SendLocalList", requirements=(f"Part 6 {case_id} step 1: the CSMS sends a "
                                                                   "SendLocalListRequest",))
    check_request(csms, case_id, first, expected, part=1)
    part = 1
    while not delivered():
        request = None
        with contextlib.suppress(PeerTimeout):
            request = await csms.expect_call("SendLocalList")  # the first one is claimed already
        if request is None:
            csms.note(f"{case_id}: no further SendLocalListRequest within the message timeout; the harness station's "
                      "list does not hold every entry asked for")
            break
        part += 1
        check_request(csms, case_id, request, follow_up or {}, part=part)
    return first
