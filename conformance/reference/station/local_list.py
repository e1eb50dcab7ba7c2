"""The reference station: the Local Authorization List (D01 Send Local Authorization List, D02 Get Local List
Version, C13 / C14 authorization through the list, LocalAuthListCtrlr).

The list lives in ``station.state`` (D01.FR.10: it survives a reboot) as (idToken, type) -> AuthorizationData with
its version (0: no list installed). Only SendLocalList changes it (D01.FR.09). A request is applied whole or not at
all: a broken update (an entry twice, D01.FR.06; versionNumber 0, D01.FR.18; more entries or bytes than
ItemsPerMessage / BytesPerMessage, D01.FR.11; a list larger than Entries' maxLimit; a Full list entry without
idTokenInfo) is answered Failed and the list stays as it was (D01 failure postcondition); a Differential update
whose version is not higher is answered VersionMismatch (D01.FR.19).

:meth:`lookup` is asked first by the authorization decision (authorization.py): a listed idToken decides locally
when the station is offline and LocalAuthorizeOffline is true (C13.FR.02: only Accepted entries authorize), when it
is Accepted and LocalPreAuthorize is true (C14.FR.02), or when it is not Accepted and
LocalAuthListCtrlr.DisablePostAuthorize is true (C14.FR.03 disabled). Otherwise the CSMS is asked, and
:meth:`holds` tells the decision not to let an Authorization Cache entry of the same idToken decide instead
(C13.FR.01, C14.FR.01). A station without the Local Authorization List Management profile has none of this: its
handlers are not registered (NotImplemented) and :meth:`lookup` finds nothing.
"""

from __future__ import annotations

import json
from typing import Any

from .component import Component, Handler, OfflinePeriod, Station

_CTRLR = "LocalAuthListCtrlr"


def _key(token: dict[str, Any]) -> tuple[str, str]:
    return str(token.get("idToken", "")), str(token.get("type", ""))


def _size(entries: list[dict[str, Any]]) -> int:
    """The bytes the entries take (their JSON), for BytesPerMessage / Storage."""
    return len(json.dumps(entries, separators=(",", ":")).encode())


class LocalList(Component):
    def __init__(self, station: Station, offline: OfflinePeriod) -> None:
        super().__init__(station)
        self.offline = offline

    @property
    def supported(self) -> bool:
        return self.station.supports("Local Authorization List Management")

    @property
    def entries(self) -> dict[tuple[str, str], dict[str, Any]]:
        return self.station.state.local_list

    def handlers(self) -> dict[str, Handler]:
        if not self.supported:
            return {}
        return {"SendLocalList": self.on_SendLocalList, "GetLocalListVersion": self.on_GetLocalListVersion}

    def bind(self, model: Any) -> None:
        if self.supported:
            model.bind(_CTRLR, "Entries", lambda: len(self.entries))
            model.bind(_CTRLR, "Storage", lambda: _size(list(self.entries.values())))

    def on_reboot(self) -> None:
        if "local_list_lost_on_reboot" in self.faults:  # fault: kept in RAM only
            self.entries.clear()
            self.station.state.local_list_version = 0

    # ------------------------------------------------------------------ settings
    def _setting(self, variable: str, default: Any = None) -> Any:
        try:
            value = self.model.get(_CTRLR, variable)
        except KeyError:
            return default
        return default if value is None else value

    def enabled(self) -> bool:
        return self.supported and bool(self._setting("Enabled", True))

    def _limit(self, variable: str) -> int | None:
        try:
            spec = self.model.spec(f"{_CTRLR}.{variable}")
        except KeyError:
            return None
        return int(spec.max_limit) if spec.max_limit is not None else None

    # ------------------------------------------------------------------ D01 / D02
    async def on_SendLocalList(self, payload: dict[str, Any]) -> dict[str, Any]:
        version = payload["versionNumber"]
        update = payload["updateType"]
        items = list(payload.get("localAuthorizationList") or [])
        state = self.station.state
        if not self.enabled():
            return {"status": "Failed", "statusInfo": {"reasonCode": "Disabled",
                                                       "additionalInfo": "LocalAuthListCtrlr.Enabled is false"}}
        if update == "Differential" and version <= state.local_list_version \
                and "local_list_version_mismatch_not_detected" not in self.faults:
            return {"status": "VersionMismatch"}  # D01.FR.19
        problem = self._broken(update, version, items)
        if problem is not None:
            return {"status": "Failed", "statusInfo": {"reasonCode": "InvalidValue", "additionalInfo": problem}}
        if update == "Full":
            if "local_list_full_merged" not in self.faults:  # D01.FR.15 / D01.FR.04: the list is replaced
                self.entries.clear()
            for item in items:
                self.entries[_key(item["idToken"])] = item
            state.local_list_version = self._new_version(version)
            return {"status": "Accepted"}
        for item in items:  # Differential: D01.FR.16 (add / update), D01.FR.17 (remove), D01.FR.05 (empty)
            if "idTokenInfo" in item:
                self.entries[_key(item["idToken"])] = item
            else:
                self.entries.pop(_key(item["idToken"]), None)
        if "local_list_differential_version_kept" not in self.faults:
            state.local_list_version = self._new_version(version)
        return {"status": "Accepted"}

    def _new_version(self, version: int) -> int:
        """The list's version after an accepted update: the request's (D01.FR.01)."""
        if "local_list_version_counted_locally" in self.faults:
            return self.station.state.local_list_version + 1
        return version

    def _broken(self, update: str, version: int, items: list[dict[str, Any]]) -> str | None:
        """Why the update cannot be applied (answered Failed, the list unchanged), or None."""
        if version <= 0:
            return "versionNumber must be greater than 0 (D01.FR.18)"
        keys = [_key(item["idToken"]) for item in items]
        if len(set(keys)) != len(keys):
            return "an idToken is listed twice (D01.FR.06)"
        per_message = self._setting("ItemsPerMessage")
        if per_message is not None and len(items) > per_message:
            return f"more than ItemsPerMessage = {per_message} entries (D01.FR.11)"
        max_bytes = self._setting("BytesPerMessage")
        if max_bytes is not None and _size(items) > max_bytes:
            return f"more than BytesPerMessage = {max_bytes} bytes (D01.FR.11)"
        if update == "Full" and any("idTokenInfo" not in item for item in items):
            return "a Full list entry without idTokenInfo"
        after = {} if update == "Full" else dict(self.entries)
        for key, item in zip(keys, items):
            if "idTokenInfo" in item:
                after[key] = item
            else:
                after.pop(key, None)
        capacity = self._limit("Entries")
        if capacity is not None and len(after) > capacity:
            return f"more than {capacity} entries in the list (LocalAuthListCtrlr.Entries maxLimit)"
        storage = self._limit("Storage")
        if storage is not None and _size(list(after.values())) > storage:
            return f"more than {storage} bytes in the list (LocalAuthListCtrlr.Storage maxLimit)"
        return None

    async def on_GetLocalListVersion(self, payload: dict[str, Any]) -> dict[str, Any]:
        if not self.enabled() and "local_list_version_when_disabled" not in self.faults:
            return {"versionNumber": 0}  # D02.FR.03
        return {"versionNumber": self.station.state.local_list_version}  # D02.FR.01, 0 when none (D02.FR.02)

    # ------------------------------------------------------------------ C13 / C14
    def holds(self, token: dict[str, Any]) -> bool:
        """Whether ``token`` has an entry in the (enabled) list: then no Authorization Cache entry of the same idToken
        decides (C13.FR.01, C14.FR.01)."""
        return self.enabled() and _key(token) in self.entries

    def lookup(self, token: dict[str, Any]) -> dict[str, Any] | None:
        """The list entry's idTokenInfo of ``token`` that decides locally, or None (ask further)."""
        if not self.holds(token):
            return None
        info = dict(self.entries[_key(token)]["idTokenInfo"])
        accepted = info.get("status") == "Accepted"
        if self.offline.is_offline():
            # C13.FR.02: offline, only Accepted entries authorize (the entry decides either way)
            return info if self._auth("LocalAuthorizeOffline", True) else None
        if accepted:
            # C14.FR.02: online, an Accepted entry starts charging without an AuthorizeRequest (LocalPreAuthorize)
            if "local_list_accepted_authorized_online" in self.faults:
                return None
            return info if self._auth("LocalPreAuthorize", False) else None
        # C14.FR.03: online, an entry not Accepted is checked with the CSMS unless DisablePostAuthorize is true
        post_disabled = bool(self._setting("DisablePostAuthorize", False))
        if "local_list_disable_post_authorize_ignored" in self.faults:
            post_disabled = False
        if "local_list_no_post_authorize" in self.faults:
            post_disabled = True
        return info if post_disabled else None

    def _auth(self, variable: str, default: bool) -> bool:
        try:
            value = self.model.get("AuthCtrlr", variable)
        except KeyError:
            return default
        return default if value is None else bool(value)

    def store(self, token: dict[str, Any], info: dict[str, Any]) -> None:
        """The list is changed by SendLocalList only, never by what the CSMS answers (D01.FR.09)."""
