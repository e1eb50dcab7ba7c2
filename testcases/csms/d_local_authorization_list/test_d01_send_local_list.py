"""Block D Local Authorization List Management, the SUT is a CSMS: D01 the CSMS sends the Local Authorization List
(Full, Differential update, Differential removal, Full without entries)."""

from __future__ import annotations

from conformance.harness import ABSENT, CsmsUnderTest, OneOf, Satisfies, case
from conformance.harness.reusable_states import csms as states

from ._steps import list_tokens, send_local_list


def _keys(entries: list[dict]) -> set[tuple[str, str]]:
    return {(e["idToken"]["idToken"], e["idToken"]["type"]) for e in entries}


_NOT_EMPTY = Satisfies(lambda v: isinstance(v, list) and len(v) > 0, "not empty")


def _each_with_info(present: bool) -> Satisfies:
    return Satisfies(lambda v: isinstance(v, list) and len(v) > 0
                     and all(("idTokenInfo" in e) == present for e in v),
                     "not empty, every entry " + ("with" if present else "without") + " idTokenInfo")


@case
async def test_tc_d_01_csms(csms: CsmsUnderTest) -> None:
    """A full list with the configured valid tokens.

    Part 6 steps / validations implemented:
    - steps 1-2 (optional): a GetLocalListVersionRequest is answered from the harness station's list;
    - steps 3-4 (``csms_send`` SendLocalList Full with ``[id_tokens.valid]`` and ``[id_tokens.group]``): updateType
      Full, versionNumber bigger than 0 (D01.FR.18), localAuthorizationList not empty, every entry with idTokenInfo
      (errata 2025-09), unique idTokens (D01.FR.06); answered Accepted by the harness station's list; a list split
      over several messages is awaited and judged part by part."""
    await states.booted(csms, precondition=True)
    entries = [{"idToken": e["idToken"]} for e in list_tokens(csms, with_info=True)]
    wanted = _keys(entries)
    await send_local_list(csms, "TC_D_01_CSMS", {"updateType": "Full", "localAuthorizationList": entries},
                          {"updateType": "Full", "localAuthorizationList": _each_with_info(True)},
                          delivered=lambda: wanted <= set(csms.station.local_list),
                          follow_up={"updateType": "Differential", "localAuthorizationList": _each_with_info(True)})


@case
async def test_tc_d_02_csms(csms: CsmsUnderTest) -> None:
    """A differential update adding / updating the configured valid tokens.

    Part 6 steps / validations implemented:
    - Manual action (``csms_send`` SendLocalList Differential with the tokens and their idTokenInfo);
    - steps 1-2: a GetLocalListVersionRequest is answered with the harness station's list version;
    - steps 3-4: SendLocalListRequest updateType Differential, versionNumber bigger than the harness station's list
      version (D01.FR.19), localAuthorizationList not empty, unique idTokens; answered from the station's list."""
    await states.booted(csms, precondition=True)
    entries = list_tokens(csms, with_info=True)
    wanted = _keys(entries)
    await send_local_list(csms, "TC_D_02_CSMS", {"updateType": "Differential", "localAuthorizationList": entries},
                          {"updateType": "Differential", "localAuthorizationList": _NOT_EMPTY},
                          delivered=lambda: wanted <= set(csms.station.local_list),
                          follow_up={"updateType": "Differential", "localAuthorizationList": _NOT_EMPTY})


@case
async def test_tc_d_03_csms(csms: CsmsUnderTest) -> None:
    """A differential update removing the configured valid tokens (entries without idTokenInfo, D01.FR.17).

    Part 6 steps / validations implemented:
    - Manual action (``csms_send`` SendLocalList Differential with the tokens, without idTokenInfo);
    - steps 1-2: SendLocalListRequest updateType Differential, versionNumber bigger than the harness station's list
      version (D01.FR.19), localAuthorizationList: AuthorizationData elements without idTokenInfo; answered from the
      station's list."""
    await states.booted(csms, precondition=True)
    entries = list_tokens(csms, with_info=False)
    wanted = _keys(entries)
    await send_local_list(csms, "TC_D_03_CSMS", {"updateType": "Differential", "localAuthorizationList": entries},
                          {"updateType": "Differential", "localAuthorizationList": _each_with_info(False)},
                          delivered=lambda: not (wanted & set(csms.station.local_list)),
                          follow_up={"updateType": "Differential", "localAuthorizationList": _each_with_info(False)})


@case
async def test_tc_d_04_csms(csms: CsmsUnderTest) -> None:
    """A full list without entries: the station's list is emptied (D01.FR.04).

    Part 6 steps / validations implemented:
    - Manual action (``csms_send`` SendLocalList Full without AuthorizationData);
    - steps 1-2: SendLocalListRequest updateType Full, localAuthorizationList empty (absent or []), versionNumber
      bigger than 0 (D01.FR.18); answered Accepted."""
    await states.booted(csms, precondition=True)
    await send_local_list(csms, "TC_D_04_CSMS", {"updateType": "Full"},
                          {"updateType": "Full", "localAuthorizationList": OneOf(ABSENT, [])},
                          delivered=lambda: True)
