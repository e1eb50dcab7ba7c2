"""The reference station: the Authorization Cache (C10-C12, AuthCacheCtrlr). It keeps the idTokenInfo the CSMS gave
(Authorization.learned) while the station claims a cache (PICS C-49) and AuthCacheCtrlr.Enabled, where the device
model has it, is not false. Online decisions do not read it yet (:meth:`lookup` answers None: block C); offline, the
idTokens it holds as Accepted are authorized locally (AuthCtrlr.LocalAuthorizeOffline, :mod:`.offline`) and their
groupIdToken decides a stop by another idToken of the group (E07.FR.01, E08.FR.02)."""

from __future__ import annotations

from typing import Any

from .component import Component, Station


class AuthCache(Component):
    def __init__(self, station: Station) -> None:
        super().__init__(station)
        self.entries: dict[str, dict[str, Any]] = {}  # idToken -> the idTokenInfo the CSMS last gave (C12.FR.06)

    def enabled(self) -> bool:
        try:
            return bool(self.model.get("AuthCacheCtrlr", "Enabled"))
        except KeyError:  # the reference device model does not carry AuthCacheCtrlr yet
            return self.station.supports("C-49")

    def lookup(self, token: dict[str, Any]) -> dict[str, Any] | None:
        """The cached idTokenInfo of ``token`` that may decide locally, or None (ask further)."""
        return None

    def store(self, token: dict[str, Any], info: dict[str, Any]) -> None:
        """Keep what the CSMS said about ``token``."""
        if self.enabled():
            self.entries[str(token.get("idToken"))] = dict(info)

    def cached(self, token: dict[str, Any]) -> dict[str, Any] | None:
        """What the cache holds for ``token`` (offline decisions), None when nothing."""
        return self.entries.get(str(token.get("idToken"))) if self.enabled() else None
