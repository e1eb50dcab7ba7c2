"""The reference station: the Authorization Cache (C10-C12, AuthCacheCtrlr), when its PICS declares C-49.

Every idTokenInfo the CSMS returns (AuthorizeResponse, TransactionEventResponse: :meth:`AuthCache.store`, called
through ``Authorization.learned``) is kept, whatever its status (C10.FR.01, C10.FR.04, C10.FR.05, C12.FR.06), in the
station's persistent state (C10.FR.02). An entry lives AuthCacheCtrlr.LifeTime seconds since it was last updated or
used, or until its cacheExpiryDateTime (C10.FR.08, C10.FR.10, C10.FR.13 with errata 2025-09); an expired entry is
removed. When the cache is full the Policy (LRU, LFU, FIFO; CUSTOM: non-Accepted entries first, then LRU) makes room
(C10.FR.07). :meth:`AuthCache.lookup` decides for the authorization (authorization.py asks it after the Local
Authorization List):

- online, with AuthCtrlr.LocalPreAuthorize true: an Accepted entry authorizes without an AuthorizeRequest (C12.FR.02);
  an entry with another status is refused at once only with AuthCacheCtrlr.DisablePostAuthorize true, otherwise the
  CSMS is asked (C10.FR.03, C12.FR.05); with LocalPreAuthorize false the cache does not decide online;
- offline, with AuthCtrlr.LocalAuthorizeOffline true: the entry decides, whatever its status (C15).

ClearCache (C11): Accepted and the cache emptied while AuthCacheCtrlr.Enabled is true (C11.FR.01, C11.FR.03),
Rejected while it is false (C11.FR.04). A disabled cache neither decides nor learns (C10.FR.11)."""

from __future__ import annotations

import json
import time
from datetime import datetime
from typing import Any

from ...device_model.model import DeviceModel
from .component import Component, Handler

STORAGE_LIMIT = 65536  # bytes: AuthCacheCtrlr.Storage maxLimit (device model)


def _key(token: dict[str, Any]) -> tuple[str, str]:
    return (str(token.get("idToken")), str(token.get("type")))


def _expiry(info: dict[str, Any]) -> float | None:
    """cacheExpiryDateTime as a POSIX time, None when absent or unreadable."""
    value = info.get("cacheExpiryDateTime")
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


class AuthCache(Component):
    """The Authorization Cache area: its entries live in ``station.state.auth_cache``."""

    @property
    def entries(self) -> dict[tuple[str, str], dict[str, Any]]:
        return self.station.state.auth_cache

    def _flag(self, component: str, variable: str) -> bool:
        value = self.model.get(component, variable)
        return value is True or str(value).lower() == "true"

    @property
    def enabled(self) -> bool:
        """The station has a cache (C-49) and AuthCacheCtrlr.Enabled is true (C10.FR.11)."""
        return self.station.supports("C-49") and self._flag("AuthCacheCtrlr", "Enabled")

    def handlers(self) -> dict[str, Handler]:
        return {"ClearCache": self.on_ClearCache} if self.station.supports("C-49") else {}

    def bind(self, model: DeviceModel) -> None:
        if self.station.supports("C-49"):
            model.bind("AuthCacheCtrlr", "Storage", self._storage)

    def _storage(self) -> int:
        """Bytes the entries take (AuthCacheCtrlr.Storage Actual)."""
        return sum(len(json.dumps([list(k), e["info"]])) for k, e in self.entries.items())

    def on_reboot(self) -> None:
        if "auth_cache_not_persistent" in self.faults:  # fault: the cache lives in volatile memory only
            self.entries.clear()

    # ------------------------------------------------------------------ expiry (C10.FR.08/10/13)
    def _expired(self, entry: dict[str, Any], now: float) -> bool:
        expiry = _expiry(entry["info"])
        if expiry is not None:  # C10.FR.13: cacheExpiryDateTime decides
            return now > expiry
        if "auth_cache_lifetime_ignored" in self.faults:  # fault: entries never expire
            return False
        lifetime = self.model.get("AuthCacheCtrlr", "LifeTime")
        return lifetime is not None and now - entry["used"] > float(lifetime)  # C10.FR.08, C10.FR.10

    def _purge(self) -> None:
        now = time.time()
        for key in [k for k, e in self.entries.items() if self._expired(e, now)]:
            del self.entries[key]

    # ------------------------------------------------------------------ the decision (C10.FR.03, C12)
    def lookup(self, token: dict[str, Any]) -> dict[str, Any] | None:
        """The cached idTokenInfo of ``token`` that may decide locally, or None (ask further)."""
        if not self.enabled:
            return None
        self._purge()
        entry = self.entries.get(_key(token))
        if entry is None:
            return None
        info = entry["info"]
        online = self.station.connection is not None
        if not online:  # C15: offline the cache decides when LocalAuthorizeOffline is true
            if not self._flag("AuthCtrlr", "LocalAuthorizeOffline"):
                return None
        elif not self._flag("AuthCtrlr", "LocalPreAuthorize") \
                and "auth_cache_used_without_pre_authorize" not in self.faults:
            return None  # online the cache is used only with LocalPreAuthorize
        elif "local_pre_authorize_ignored" in self.faults:
            return None  # fault: online the CSMS is always asked
        elif info.get("status") != "Accepted" and "auth_cache_non_accepted_final" not in self.faults:
            # C10.FR.03 / C12.FR.05: ask the CSMS for the current status, unless DisablePostAuthorize is true
            if not self._flag("AuthCacheCtrlr", "DisablePostAuthorize") \
                    or "auth_cache_post_authorize_ignored" in self.faults:
                return None
        entry["used"] = time.time()  # LifeTime counts from the last use (C10.FR.08)
        entry["uses"] = entry.get("uses", 0) + 1
        return dict(info)

    def cached(self, token: dict[str, Any]) -> dict[str, Any] | None:
        """What the cache holds for ``token`` (an unexpired entry of an enabled cache), whatever the station's online
        rules: for the offline decisions (LocalAuthorizeOffline, groupIdToken of a stop, :mod:`.offline`)."""
        if not self.enabled:
            return None
        self._purge()
        entry = self.entries.get(_key(token))
        return dict(entry["info"]) if entry is not None else None

    def store(self, token: dict[str, Any], info: dict[str, Any]) -> None:
        """Keep what the CSMS said about ``token`` (C10.FR.01, C10.FR.04, C10.FR.05, C12.FR.06); a
        cacheExpiryDateTime in the past keeps it out (C10.FR.10 note, errata 2025-09)."""
        if not self.enabled or not token.get("idToken") or token.get("type") == "NoAuthorization":
            return
        key = _key(token)
        expiry = _expiry(info)
        if expiry is not None and expiry <= time.time():
            self.entries.pop(key, None)
            return
        if "auth_cache_not_updated" in self.faults and key in self.entries:
            self.entries[key]["used"] = time.time()  # fault: the first answer stays in the cache
            return
        kept = {k: v for k, v in info.items() if k != "personalMessage"}  # no tariff / personal text (C10.FR.09)
        now = time.time()
        old = self.entries.pop(key, None)
        self.entries[key] = {"info": kept, "stored": old["stored"] if old else now, "used": now,
                             "uses": old.get("uses", 0) if old else 0}
        self._make_room()

    def _make_room(self) -> None:
        """C10.FR.07: a full cache deletes older entries as AuthCacheCtrlr.Policy says."""
        while self._storage() > STORAGE_LIMIT and len(self.entries) > 1:
            policy = str(self.model.get("AuthCacheCtrlr", "Policy") or "LRU")
            candidates = list(self.entries.items())[:-1]  # never the entry just stored
            if policy == "FIFO":
                victim = min(candidates, key=lambda kv: kv[1]["stored"])
            elif policy == "LFU":
                victim = min(candidates, key=lambda kv: (kv[1].get("uses", 0), kv[1]["used"]))
            elif policy == "CUSTOM":  # Part 2 C10.FR.07 note: non-Accepted entries first, then the oldest
                victim = min(candidates, key=lambda kv: (kv[1]["info"].get("status") == "Accepted", kv[1]["used"]))
            else:
                victim = min(candidates, key=lambda kv: kv[1]["used"])
            del self.entries[victim[0]]

    # ------------------------------------------------------------------ ClearCache (C11)
    async def on_ClearCache(self, payload: dict[str, Any]) -> dict[str, Any]:
        if not self._flag("AuthCacheCtrlr", "Enabled") and "clear_cache_while_disabled" not in self.faults:
            return {"status": "Rejected"}  # C11.FR.04
        if "clear_cache_rejected" in self.faults:  # fault: answers Rejected although the cache is enabled
            return {"status": "Rejected"}
        self.entries.clear()  # C11.FR.01
        return {"status": "Accepted"}  # C11.FR.03
