"""The reference station: the Local Authorization List (D01/D02, C13/C14, LocalAuthListCtrlr). Not yet
implemented: the list is empty."""

from __future__ import annotations

from typing import Any

from .component import Component


class LocalList(Component):
    def lookup(self, token: dict[str, Any]) -> dict[str, Any] | None:
        """The list entry's idTokenInfo of ``token`` that may decide locally, or None (ask further)."""
        return None

    def store(self, token: dict[str, Any], info: dict[str, Any]) -> None:
        """The list is changed by SendLocalList only, never by what the CSMS answers."""
