"""The reference station: who may charge (blocks C and D). One decision for every idToken the station meets
(presented at the reader, a remote start with AuthorizeRemoteStart, an idToken in a TransactionEvent answer):
:meth:`Authorization.authorize` asks, in the order Part 2 gives, the Local Authorization List (D01/D02, C13/C14,
:mod:`.local_list`), the Authorization Cache (C10-C12, :mod:`.auth_cache`) and then the CSMS (AuthorizeRequest,
C01); every idTokenInfo the CSMS returns (AuthorizeResponse, TransactionEventResponse) goes through
:meth:`Authorization.learned` so the cache can keep it (C10.FR.xx)."""

from __future__ import annotations

from typing import Any

from ...actions.port import ActionFailed
from ...transport.connection import Connection
from .component import AuthorizationSource, Component, LocalAuthorizationList, OngoingTransactions, Station, Step

IdToken = dict[str, Any]
IdTokenInfo = dict[str, Any]


class Authorization(Component):
    """The authorization decision. ``local_list`` and ``cache`` are areas of their own (they answer their CSMS
    requests and keep their state); this one only orders them."""

    def __init__(self, station: Station, local_list: LocalAuthorizationList, cache: AuthorizationSource) -> None:
        super().__init__(station)
        self.local_list = local_list
        self.cache = cache
        # idToken -> the last idTokenInfo that decided about it (its groupIdToken says whom it may stop, C09)
        self.decided: dict[str, IdTokenInfo] = {}
        # C16 with a UI (C-07): the Master Pass idToken whose selection screen is shown, until the user selects
        self.master_pass_shown: IdToken | None = None
        self.master_pass_reader: int | None = None  # the EVSE whose reader it was presented at

    transactions: OngoingTransactions  # set by the core (C16: the Master Pass stops transactions)

    def steps(self) -> dict[str, Step]:
        return {"master_pass_select": lambda evse, connector, params: self._master_pass_select(params.get("evse"))}

    def on_reboot(self) -> None:
        self.decided.clear()
        self.master_pass_shown = None

    async def authorize(self, conn: Connection, token: IdToken, *, evse: int | None = None) -> IdTokenInfo:
        """The idTokenInfo that decides whether ``token`` may charge (at ``evse``, when known)."""
        self.master_pass_shown = None  # cmax: another idToken presented closes the Master Pass screen (C16)
        for source in (self.local_list, self.cache):
            info = source.lookup(token)
            if info is not None:
                if source is self.cache and "cached_group_id_dropped" in self.faults:  # cmax: a fault (faults/c.py)
                    info = {k: v for k, v in info.items() if k != "groupIdToken"}
                self.decided[token.get("idToken", "")] = info
                return info
            if source is self.local_list and self.local_list.holds(token):
                break  # a listed idToken the list leaves to the CSMS: no cache entry decides (C13.FR.01, C14.FR.01)
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
        if "master_pass_starts_transaction" in self.faults:  # (cauth) the group is not looked at
            return status == "Accepted"
        if "unknown_status_accepted" in self.faults:  # (cauth) a 1.6 port: the new 2.0.1 statuses pass
            return status not in self._REFUSED_IN_1_6 and not self.master_pass(info)
        return status == "Accepted" and not self.master_pass(info)

    def master_pass(self, info: IdTokenInfo) -> bool:
        """Whether ``info`` is an Accepted idToken whose groupIdToken is the station's AuthCtrlr.MasterPassGroupId
        (C16)."""
        if info.get("status") != "Accepted" or "master_pass_starts_transaction" in self.faults:
            return False
        group = (info.get("groupIdToken") or {}).get("idToken")
        master = self.model.get("AuthCtrlr", "MasterPassGroupId")
        return bool(group) and bool(master) and group == master

    def ends_authorization(self, started: IdToken, presented: IdToken, info: IdTokenInfo) -> bool:
        """Whether ``presented`` (accepted, ``info``) ends the authorization of a transaction ``started`` by another
        idToken: the same groupIdToken (C01.FR.03 (b), C09.FR.03); C09.FR.11: only an Accepted one."""
        if "different_token_stops_transaction" in self.faults:
            return info.get("status") == "Accepted"  # (cauth) any accepted idToken stops the EVSE's transaction
        if "group_stop_refused" in self.faults:
            return False  # (cauth) only the idToken that started it may stop it
        if info.get("status") != "Accepted" and "group_stop_ignores_status" not in self.faults:
            return False
        group = (info.get("groupIdToken") or {}).get("idToken")
        first = (self.decided.get(started.get("idToken", "")) or {}).get("groupIdToken") or {}
        return bool(group) and group == first.get("idToken")

    # ------------------------------------------------------------------ C16 Master Pass (cauth)
    def _has_ui(self) -> bool:
        """A Master Pass user interface (C-07); a station that declares only C-08 has none."""
        return self.station.supports("C-07")

    async def master_pass_presented(self, evse: int, token: IdToken) -> dict[str, Any]:
        """An Accepted idToken of the MasterPassGroupId was presented at ``evse``: it never starts a transaction
        (C16.FR.03); with a UI the station shows the Master Pass screen (C16.FR.01, the user selects with action
        ``master_pass_select``), without one it stops every ongoing transaction (C16.FR.02)."""
        if self._has_ui():
            self.master_pass_shown = token
            self.master_pass_reader = evse
            return {"master_pass": "the Master Pass screen is shown: select the transactions to stop"}
        return {"master_pass": await self._stop_by_master_pass(token, None)}

    async def _master_pass_select(self, evse: Any) -> dict[str, Any]:
        token = self.master_pass_shown
        if token is None:
            raise ActionFailed("master_pass_select", {"evse": evse}, "no Master Pass screen is shown (present a "
                                                                      "Master Pass idToken first)")
        self.master_pass_shown = None
        if "master_pass_selection_ignored" in self.faults:
            evse = None  # (cauth) every transaction stops, whatever the user selected
        if "master_pass_stops_own_evse" in self.faults and evse is None:
            evse = self.master_pass_reader  # (cauth) "all" taken for the transaction at the reader used
        return {"stopped": await self._stop_by_master_pass(token, None if evse is None else int(evse))}

    async def _stop_by_master_pass(self, token: IdToken, evse: int | None) -> list[str]:
        """End the transactions in scope (all when ``evse`` is None): TransactionEventRequest eventType Ended with
        stoppedReason MasterPass and the Master Pass idToken (C16 scenario 4b / 6a)."""
        reason = "Local" if "master_pass_stopped_reason_local" in self.faults else "MasterPass"
        stopped = []
        for tx in list(self.transactions.in_scope(evse)):
            tx.id_token = token
            await self.transactions.end_transaction(tx, reason, "StopAuthorized", with_token=True)
            stopped.append(tx.transaction_id)
        return stopped
