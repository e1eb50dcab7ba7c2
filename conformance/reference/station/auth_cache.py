"""The reference station: the Authorization Cache (C10-C12, AuthCacheCtrlr). Not yet implemented: it remembers
nothing (a station without a cache, C-?? not declared)."""

from __future__ import annotations

from typing import Any

from .component import Component


class AuthCache(Component):
    def lookup(self, token: dict[str, Any]) -> dict[str, Any] | None:
        """The cached idTokenInfo of ``token`` that may decide locally, or None (ask further)."""
        return None

    def store(self, token: dict[str, Any], info: dict[str, Any]) -> None:
        """Keep what the CSMS said about ``token``."""
