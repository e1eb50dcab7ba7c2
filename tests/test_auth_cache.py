"""The Authorization Cache (helper ccache): the reference station's cache decides as Part 2 C10-C12 say, and the
station-side cache cases (TC_C_08..13, 32..38, 46, 57) pass against conformant stations doing allowed variants (other
TxStartPoint / TxStopPoint values) and FAIL a station that breaks the rules (the self-test matrix runs the faults of
conformance/faults/c.py; here one misbehaving peer of our own)."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, AsyncIterator

import pytest

from conformance.reference.station import ReferenceStation

from support import FULL_PICS, free_port, reference_station_peer, run_cases, webhook_for, write_peer_config

TOKEN = {"idToken": "A1B2C3D4", "type": "ISO14443"}
MESSAGE_TIMEOUT = 2.0
CACHE_CASES = ("TC_C_08_CS", "TC_C_09_CS", "TC_C_10_CS", "TC_C_11_CS", "TC_C_12_CS", "TC_C_13_CS", "TC_C_57_CS",
               "TC_C_32_CS", "TC_C_33_CS", "TC_C_34_CS", "TC_C_36_CS", "TC_C_37_CS", "TC_C_38_CS", "TC_C_46_CS")


def _station(**kwargs: Any) -> ReferenceStation:
    return ReferenceStation(csms_url="ws://127.0.0.1:1/ocpp", identity="CS001", password=None, evses=[(1, [1])],
                            **kwargs)


def _online(station: ReferenceStation, online: bool = True) -> None:
    station.connection = object() if online else None  # type: ignore[assignment]  # (the cache only asks "online?")


# --------------------------------------------------------------------------- the reference cache (C10-C12)
def test_accepted_entry_decides_online_only_with_local_pre_authorize() -> None:
    station = _station()
    cache, model = station.auth_cache, station.device_model
    _online(station)
    cache.store(TOKEN, {"status": "Accepted"})
    assert cache.lookup(TOKEN) is None, "LocalPreAuthorize false (factory): the CSMS is asked"
    model.set_value("AuthCtrlr", "LocalPreAuthorize", True)
    assert cache.lookup(TOKEN) == {"status": "Accepted"}, "C12.FR.02"
    model.set_value("AuthCacheCtrlr", "Enabled", False)
    assert cache.lookup(TOKEN) is None, "C10.FR.11: a disabled cache does not decide"


def test_non_accepted_entry_is_checked_online_unless_post_authorize_is_disabled() -> None:
    station = _station()
    cache, model = station.auth_cache, station.device_model
    _online(station)
    model.set_value("AuthCtrlr", "LocalPreAuthorize", True)
    cache.store(TOKEN, {"status": "Blocked"})
    assert cache.lookup(TOKEN) is None, "C10.FR.03 / C12.FR.05"
    model.set_value("AuthCacheCtrlr", "DisablePostAuthorize", True)
    assert cache.lookup(TOKEN) == {"status": "Blocked"}, "DisablePostAuthorize: refused from the cache"
    _online(station, False)
    model.set_value("AuthCacheCtrlr", "DisablePostAuthorize", False)
    assert cache.lookup(TOKEN) == {"status": "Blocked"}, "offline with LocalAuthorizeOffline the entry decides"


def test_updates_expiry_and_persistence() -> None:
    station = _station()
    cache, model = station.auth_cache, station.device_model
    _online(station)
    model.set_value("AuthCtrlr", "LocalPreAuthorize", True)
    cache.store(TOKEN, {"status": "Accepted"})
    cache.store(TOKEN, {"status": "Invalid"})  # C10.FR.05 / C12.FR.06: the latest answer counts
    assert station.state.auth_cache[("A1B2C3D4", "ISO14443")]["info"] == {"status": "Invalid"}
    past = (datetime.now(timezone.utc) - timedelta(minutes=1)).isoformat()
    cache.store(TOKEN, {"status": "Accepted", "cacheExpiryDateTime": past})
    assert cache.lookup(TOKEN) is None and not station.state.auth_cache, "C10.FR.10 note: an expired entry goes"
    cache.store(TOKEN, {"status": "Accepted"})
    station.state.auth_cache[("A1B2C3D4", "ISO14443")]["used"] -= 86401  # older than the factory LifeTime
    assert cache.lookup(TOKEN) is None, "C10.FR.08: LifeTime since the last use"
    cache.store(TOKEN, {"status": "Accepted"})
    station.reboot("PowerUp")
    assert cache.lookup(TOKEN) == {"status": "Accepted"}, "C10.FR.02: persistent over a reboot"


def test_clear_cache_and_policy() -> None:
    station = _station()
    cache, model = station.auth_cache, station.device_model
    cache.store(TOKEN, {"status": "Accepted"})
    assert asyncio.run(station.answer("ClearCache", {})) == {"status": "Accepted"} and not station.state.auth_cache
    model.set_value("AuthCacheCtrlr", "Enabled", False)
    assert asyncio.run(station.answer("ClearCache", {})) == {"status": "Rejected"}, "C11.FR.04"
    model.set_value("AuthCacheCtrlr", "Enabled", True)
    model.set_value("AuthCacheCtrlr", "Policy", "CUSTOM")
    for n in range(2000):  # more than the 64 kB Storage holds: older entries make room (C10.FR.07)
        cache.store({"idToken": f"T{n:05d}", "type": "ISO14443"},
                    {"status": "Invalid" if n == 0 else "Accepted", "groupIdToken": {"idToken": "G" * 20,
                                                                                      "type": "Central"}})
    assert cache._storage() <= 65536
    assert ("T00000", "ISO14443") not in station.state.auth_cache, "CUSTOM: a non-Accepted entry goes first"
    assert ("T01999", "ISO14443") in station.state.auth_cache


def test_no_cache_without_c49() -> None:
    station = _station(features=frozenset({"C-30"}))
    with pytest.raises(KeyError):  # the AuthCacheCtrlr group is not in its device model
        station.device_model.get("AuthCacheCtrlr", "Enabled")
    station.auth_cache.store(TOKEN, {"status": "Accepted"})
    assert not station.state.auth_cache


# --------------------------------------------------------------------------- the cases against peers
def _config(tmp_path: Path, port: int, hook: str) -> Path:
    return write_peer_config(tmp_path / "sut.toml", "station", port, name="cache peer", pics_file=FULL_PICS,
                             message_timeout=MESSAGE_TIMEOUT, connect_timeout=5, action_timeout=5, case_time_limit=40,
                             timing="reconnect_gap = 0\noperator_think_time = 0\nmax_time_deviation = 0.5\n",
                             webhook=hook)


@contextlib.asynccontextmanager
async def station_peer(port: int, start: str, stop: str, cls: type[ReferenceStation] = ReferenceStation,
                       ) -> AsyncIterator[ReferenceStation]:
    async with reference_station_peer(port, message_timeout=MESSAGE_TIMEOUT, cls=cls, settings={
            ("TxCtrlr", "TxStartPoint"): start, ("TxCtrlr", "TxStopPoint"): stop}) as station:
        yield station


@pytest.mark.asyncio
@pytest.mark.parametrize("start,stop", [("Authorized", "EVConnected"), ("EVConnected,Authorized", "Authorized")])
async def test_cache_cases_pass_with_other_start_and_stop_points(tmp_path: Path, start: str, stop: str) -> None:
    """A conformant variant: the transaction starts at the authorization (step 1 / step 12 TransactionEventRequests
    are required then) or at the plug-in, and ends at the plug-out or the stop authorization."""
    port = free_port()
    async with station_peer(port, start, stop) as station, webhook_for(station) as hook:
        run = await run_cases(_config(tmp_path, port, hook), tmp_path / "run", *CACHE_CASES, timeout=240)
    verdicts = {c: run.results.get(c, {}).get("verdict") for c in CACHE_CASES}
    expected = {c: "PASS" for c in CACHE_CASES}
    expected.update({"TC_C_10_CS": "INCONCLUSIVE", "TC_C_11_CS": "INCONCLUSIVE"})  # no blocked / expired token given
    assert verdicts == expected, run.output
    assert "configure [id_tokens.blocked]" in run.results["TC_C_10_CS"]["message"], run.output
    assert not station.transactions, "the restore leaves no transaction behind"


class DeauthorizedKeepsTransaction(ReferenceStation):
    """A misbehaving peer: a TransactionEventResponse idTokenInfo Invalid with StopTxOnInvalidId true only suspends the
    energy (Updated Deauthorized) although TxStopPoint contains Authorized (E05.FR.10: the transaction ends)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        area = self.transactions_area

        async def deauthorize(tx: Any) -> None:
            await area._transaction_event(tx, "Updated", "Deauthorized", charging_state="EVConnected")
        area._deauthorize = deauthorize  # type: ignore[method-assign]


@pytest.mark.asyncio
async def test_c34_fails_a_station_that_does_not_end_a_deauthorized_transaction(tmp_path: Path) -> None:
    port = free_port()
    async with station_peer(port, "PowerPathClosed", "EVConnected,Authorized", cls=DeauthorizedKeepsTransaction) \
            as station, webhook_for(station) as hook:
        run = await run_cases(_config(tmp_path, port, hook), tmp_path / "run", "TC_C_34_CS", timeout=120)
    result = run.results.get("TC_C_34_CS", {})
    assert result.get("verdict") == "FAIL", run.output
    assert "E05.FR.10" in run.output and "Deauthorized step 3" in run.output, run.output


def test_cached_answers_for_offline_decisions() -> None:
    """``cached`` (used by the offline area) gives the entry whatever LocalPreAuthorize says, nothing once expired."""
    station = _station()
    station.auth_cache.store(TOKEN, {"status": "Accepted", "groupIdToken": {"idToken": "G", "type": "Central"}})
    assert station.auth_cache.cached(TOKEN) == {"status": "Accepted", "groupIdToken": {"idToken": "G",
                                                                                      "type": "Central"}}
    station.state.auth_cache[("A1B2C3D4", "ISO14443")]["used"] -= 86401
    assert station.auth_cache.cached(TOKEN) is None
