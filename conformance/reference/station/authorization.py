"""The reference station: who may charge (blocks C and D). One decision for every idToken the station meets
(presented at the reader, a remote start with AuthorizeRemoteStart, an idToken in a TransactionEvent answer):
:meth:`Authorization.authorize` asks, in the order Part 2 gives, the Local Authorization List (D01/D02, C13/C14,
:mod:`.local_list`), the Authorization Cache (C10-C12, :mod:`.auth_cache`) and then the CSMS (AuthorizeRequest,
C01); every idTokenInfo the CSMS returns (AuthorizeResponse, TransactionEventResponse) goes through
:meth:`Authorization.learned` so the cache can keep it (C10.FR.xx)."""

from __future__ import annotations

from typing import Any

from ...transport.connection import Connection
from .component import AuthorizationSource, Component, Station

IdToken = dict[str, Any]
IdTokenInfo = dict[str, Any]


class Authorization(Component):
    """The authorization decision. ``local_list`` and ``cache`` are areas of their own (they answer their CSMS
    requests and keep their state); this one only orders them."""

    def __init__(self, station: Station, local_list: AuthorizationSource, cache: AuthorizationSource) -> None:
        super().__init__(station)
        self.local_list = local_list
        self.cache = cache
        # idToken -> the last idTokenInfo that decided about it (its groupIdToken says whom it may stop, C09)
        self.decided: dict[str, IdTokenInfo] = {}

    def on_reboot(self) -> None:
        self.decided.clear()

    async def authorize(self, conn: Connection, token: IdToken, *, evse: int | None = None) -> IdTokenInfo:
        """The idTokenInfo that decides whether ``token`` may charge (at ``evse``, when known)."""
        for source in (self.local_list, self.cache):
            info = source.lookup(token)
            if info is not None:
                self.decided[token.get("idToken", "")] = info
                return info
        response = await conn.call("Authorize", {"idToken": token})
        info = dict(response.payload.get("idTokenInfo") or {"status": "Invalid"})
        self.learned(token, info)
        return info

    def learned(self, token: IdToken, info: IdTokenInfo) -> None:
        """An idTokenInfo the CSMS returned for ``token`` (AuthorizeResponse or TransactionEventResponse)."""
        self.decided[token.get("idToken", "")] = info
        self.cache.store(token, info)

    # ------------------------------------------------------------------ what a decision means (cauth)
    # Only status Accepted lets a driver charge (C01.FR.01; AuthorizationStatusEnumType: every other value is a
    # reason for rejection, C01.FR.07). The statuses OCPP 1.6 already had, for the fault below.
    _REFUSED_IN_1_6 = ("Blocked", "Expired", "Invalid", "ConcurrentTx")

    def accepts(self, info: IdTokenInfo) -> bool:
        """Whether ``info`` lets its idToken charge: status Accepted and, for the Master Pass, never (C16.FR.03)."""
        status = info.get("status")
        if "unknown_status_accepted" in self.faults:  # (cauth) a 1.6 port: the new 2.0.1 statuses pass
            return status not in self._REFUSED_IN_1_6 and not self.master_pass(info)
        return status == "Accepted" and not self.master_pass(info)

    def master_pass(self, info: IdTokenInfo) -> bool:
        """Whether ``info``'s groupIdToken is the station's AuthCtrlr.MasterPassGroupId (C16)."""
        group = (info.get("groupIdToken") or {}).get("idToken")
        master = self.model.get("AuthCtrlr", "MasterPassGroupId")
        return bool(group) and bool(master) and group == master

    def ends_authorization(self, started: IdToken, presented: IdToken, info: IdTokenInfo) -> bool:
        """Whether ``presented`` (accepted, ``info``) ends the authorization of a transaction ``started`` by another
        idToken: the same groupIdToken (C01.FR.03 (b), C09.FR.03); C09.FR.11: only an Accepted one."""
        if "different_token_stops_transaction" in self.faults:
            return True  # (cauth) any accepted idToken stops the EVSE's transaction
        if info.get("status") != "Accepted":
            return False
        group = (info.get("groupIdToken") or {}).get("idToken")
        first = (self.decided.get(started.get("idToken", "")) or {}).get("groupIdToken") or {}
        return bool(group) and group == first.get("idToken")
