"""The Local Authorization List mechanisms of the harness (reusable_states.station: a list split to respect the
ItemsPerMessage / BytesPerMessage a station declares, D01.FR.11) and the D / C14 cases against conformant variants
Part 2 allows, which must PASS: a station that takes one entry per message with a small byte limit, a station
without LocalAuthListCtrlr.DisablePostAuthorize (optional, "If implemented"). The faults of conformance/faults/d.py
and c.py (run by tests/test_conformance_run.py) are the misbehaving peers."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import AsyncIterator

from conformance.harness.reusable_states.station import _message_size, _split
from conformance.reference.station import ReferenceStation

from support import FULL_PICS, free_port, reference_station_peer, run_cases, webhook_for, write_peer_config

MESSAGE_TIMEOUT = 2.0


def _entries(n: int) -> list[dict]:
    return [{"idToken": {"idToken": f"{i:014X}", "type": "ISO14443"}, "idTokenInfo": {"status": "Accepted"}}
            for i in range(n)]


def test_split_respects_items_per_message() -> None:
    parts = _split(_entries(5), 2, None, 10)
    assert [len(p) for p in parts] == [2, 2, 1]
    assert [e for p in parts for e in p] == _entries(5)


def test_split_respects_bytes_per_message() -> None:
    limit = _message_size("Differential", 12, _entries(2)) + 1
    parts = _split(_entries(7), None, limit, 10)
    assert all(_message_size("Differential", 12, p) <= limit for p in parts)
    assert [e for p in parts for e in p] == _entries(7) and len(parts) == 4


def test_split_keeps_an_empty_list_in_one_message() -> None:
    assert _split([], 1, 10, 10) == [[]]


def write_config(path: Path, port: int, webhook: str) -> Path:
    return write_peer_config(path, "station", port, name="local list peer", pics_file=FULL_PICS,
                             message_timeout=MESSAGE_TIMEOUT, connect_timeout=5, action_timeout=5, case_time_limit=30,
                             timing="reconnect_gap = 0\noperator_think_time = 0\n", webhook=webhook)


@contextlib.asynccontextmanager
async def station_peer(port: int, *, features: frozenset[str] | None = None,
                       **limits: int) -> AsyncIterator[ReferenceStation]:
    """The reference station (with the PICS ``features``) declaring LocalAuthListCtrlr ``limits``."""
    async with reference_station_peer(port, message_timeout=MESSAGE_TIMEOUT, features=features, settings={
            ("LocalAuthListCtrlr", name): value for name, value in limits.items()}) as station:
        yield station


async def verdicts_of(tmp_path: Path, station: ReferenceStation, port: int, *cases: str) -> tuple[dict, str]:
    async with webhook_for(station) as hook:
        config = write_config(tmp_path / "sut.toml", port, hook)
        run = await run_cases(config, tmp_path / "run", *cases, timeout=120)
    return {c: run.results.get(c, {}).get("verdict", "missing") for c in cases}, run.output


async def test_d_cases_pass_against_a_station_with_small_message_limits(tmp_path: Path) -> None:
    port = free_port()
    async with station_peer(port, ItemsPerMessage=1, BytesPerMessage=200) as station:
        verdicts, output = await verdicts_of(tmp_path, station, port, "TC_D_02_CS", "TC_D_03_CS", "TC_D_06_CS")
    assert set(verdicts.values()) == {"PASS"}, output
    limits = [json.loads(line) for line in (tmp_path / "run" / "events.jsonl").read_text().splitlines()]
    assert any("ItemsPerMessage" in json.dumps(e) for e in limits)  # the harness read what the station declares


async def test_c_28_passes_without_disable_post_authorize(tmp_path: Path) -> None:
    port = free_port()
    features = frozenset({"Core", "Local Authorization List Management", "C-30"})  # no LA-3
    async with station_peer(port, features=features) as station:
        assert not station.supports("LA-3")
        verdicts, output = await verdicts_of(tmp_path, station, port, "TC_C_28_CS")
    assert verdicts == {"TC_C_28_CS": "PASS"}, output
    assert "DisablePostAuthorize is not implemented" in (tmp_path / "run" / "events.jsonl").read_text()


# --------------------------------------------------------------------------- the reference station's list (D01/D02, C13/C14)
def _reference() -> ReferenceStation:
    station = ReferenceStation(csms_url="ws://127.0.0.1:9/ocpp", identity="CS001", password=None, evses=[(1, [1])])
    station.device_model.set_value("LocalAuthListCtrlr", "Enabled", True)
    return station


def _token(value: str) -> dict:
    return {"idToken": value, "type": "ISO14443"}


async def test_reference_list_updates_versions_and_refusals() -> None:
    station = _reference()
    lst = station.local_list
    full = [{"idToken": _token("AA"), "idTokenInfo": {"status": "Accepted"}},
            {"idToken": _token("BB"), "idTokenInfo": {"status": "Invalid"}}]
    assert (await lst.on_SendLocalList({"versionNumber": 3, "updateType": "Full",
                                        "localAuthorizationList": full}))["status"] == "Accepted"
    assert (await lst.on_GetLocalListVersion({}))["versionNumber"] == 3
    assert (await lst.on_SendLocalList({"versionNumber": 3, "updateType": "Differential",
                                        "localAuthorizationList": full[:1]}))["status"] == "VersionMismatch"
    duplicate = {"versionNumber": 4, "updateType": "Full", "localAuthorizationList": full + full[:1]}
    assert (await lst.on_SendLocalList(duplicate))["status"] == "Failed"  # D01.FR.06, the list unchanged
    assert (await lst.on_SendLocalList({"versionNumber": 0, "updateType": "Full"}))["status"] == "Failed"
    station.device_model.set_value("LocalAuthListCtrlr", "ItemsPerMessage", 1)
    assert (await lst.on_SendLocalList({"versionNumber": 5, "updateType": "Full",
                                        "localAuthorizationList": full}))["status"] == "Failed"  # D01.FR.11
    assert (await lst.on_GetLocalListVersion({}))["versionNumber"] == 3 and len(lst.entries) == 2
    assert (await lst.on_SendLocalList({"versionNumber": 4, "updateType": "Differential",
                                        "localAuthorizationList": [{"idToken": _token("BB")}]}))["status"] == "Accepted"
    assert set(lst.entries) == {("AA", "ISO14443")} and station.device_model.get("LocalAuthListCtrlr", "Entries") == 1
    station.reboot("test")
    assert (await lst.on_GetLocalListVersion({}))["versionNumber"] == 4 and len(lst.entries) == 1  # D01.FR.10
    station.device_model.set_value("LocalAuthListCtrlr", "Enabled", False)
    assert (await lst.on_GetLocalListVersion({}))["versionNumber"] == 0  # D02.FR.03
    assert lst.lookup(_token("AA")) is None and not lst.holds(_token("AA"))


async def test_reference_list_decides_online_and_offline() -> None:
    station = _reference()
    lst = station.local_list
    await lst.on_SendLocalList({"versionNumber": 1, "updateType": "Full", "localAuthorizationList": [
        {"idToken": _token("AA"), "idTokenInfo": {"status": "Accepted"}},
        {"idToken": _token("BB"), "idTokenInfo": {"status": "Blocked"}}]})
    model = station.device_model
    model.set_value("AuthCtrlr", "LocalPreAuthorize", True)
    assert lst.lookup(_token("AA")) == {"status": "Accepted"}  # C14.FR.02
    assert lst.lookup(_token("BB")) is None and lst.holds(_token("BB"))  # C14.FR.03: ask the CSMS, not the cache
    assert lst.lookup(_token("CC")) is None and not lst.holds(_token("CC"))
    model.set_value("AuthCtrlr", "LocalPreAuthorize", False)
    assert lst.lookup(_token("AA")) is None  # online without LocalPreAuthorize: the CSMS decides
    model.set_value("LocalAuthListCtrlr", "DisablePostAuthorize", True)
    assert lst.lookup(_token("BB")) == {"status": "Blocked"}  # refused locally, no AuthorizeRequest
    lst.offline = type("Offline", (), {"is_offline": staticmethod(lambda: True)})()
    assert lst.lookup(_token("AA")) == {"status": "Accepted"}  # C13.FR.02
    assert lst.lookup(_token("BB")) == {"status": "Blocked"}  # listed, not Accepted: refused offline
    model.set_value("AuthCtrlr", "LocalAuthorizeOffline", False)
    assert lst.lookup(_token("AA")) is None


async def test_reference_offline_decision_asks_the_list_first() -> None:
    station = _reference()
    await station.local_list.on_SendLocalList({"versionNumber": 1, "updateType": "Full", "localAuthorizationList": [
        {"idToken": _token("AA"), "idTokenInfo": {"status": "Accepted"}},
        {"idToken": _token("BB"), "idTokenInfo": {"status": "Invalid"}}]})
    station.local_list.offline = type("Offline", (), {"is_offline": staticmethod(lambda: True)})()
    station.auth_cache.store(_token("BB"), {"status": "Accepted"})  # what the CSMS said once, where cached
    assert station.offline.authorize_offline(_token("AA"))  # C13.FR.02
    assert not station.offline.authorize_offline(_token("BB"))  # the list's Invalid over the cache (C13.FR.01)


async def test_reference_offline_decision_for_unknown_id_tokens() -> None:
    """(coffline) Offline, an idToken in neither the list nor the cache is accepted only with
    OfflineTxForUnknownIdEnabled true (C13.FR.04, C15.FR.08); a cached one is decided by the cache, not as unknown."""
    station = _reference()
    station.local_list.offline = type("Offline", (), {"is_offline": staticmethod(lambda: True)})()
    station.auth_cache.store(_token("CC"), {"status": "Blocked"})
    model = station.device_model
    assert not station.offline.authorize_offline(_token("DD"))  # default false
    model.set_value("AuthCtrlr", "OfflineTxForUnknownIdEnabled", True)
    assert station.offline.authorize_offline(_token("DD"))
    assert not station.offline.authorize_offline(_token("CC"))  # known to the cache: not an unknown id
