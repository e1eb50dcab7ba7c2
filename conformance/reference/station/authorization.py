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

    async def authorize(self, conn: Connection, token: IdToken, *, evse: int | None = None) -> IdTokenInfo:
        """The idTokenInfo that decides whether ``token`` may charge (at ``evse``, when known)."""
        for source in (self.local_list, self.cache):
            info = source.lookup(token)
            if info is not None:
                return info
        response = await conn.call("Authorize", {"idToken": token})
        info = dict(response.payload.get("idTokenInfo") or {"status": "Invalid"})
        self.learned(token, info)
        return info

    def learned(self, token: IdToken, info: IdTokenInfo) -> None:
        """An idTokenInfo the CSMS returned for ``token`` (AuthorizeResponse or TransactionEventResponse)."""
        self.cache.store(token, info)
