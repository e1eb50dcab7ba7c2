"""The reference station: remote control (F01-F03, F05): RequestStartTransaction with and without
AuthCtrlr.AuthorizeRemoteStart and its remoteStartId, RequestStopTransaction, UnlockConnector. The transactions
themselves are the Transactions area's (:mod:`.transactions`): this area decides what to answer and hands the
authorization / the stop to it after the response."""

from __future__ import annotations

import contextlib
from typing import Any

from ...actions.port import ActionFailed
from ...protocol.errors import PeerError
from .component import Component, Connectors, Handler, Station


class RemoteControl(Component):
    """Owns nothing that survives a reboot; the remoteStartIds waiting for their TransactionEvent live in the
    Transactions area (``remote_start_ids``), the connector locks' state too (``lock_failing``), the reservations in
    ``station.state`` (a remote start for the reservation's idToken or group is not refused; ending the reservation
    with it, F02.FR.06, is the Reservation area's to add)."""

    def __init__(self, station: Station, availability: "Connectors", transactions: Any) -> None:
        super().__init__(station)
        self.availability = availability
        self.transactions = transactions  # transactions.Transactions

    def handlers(self) -> dict[str, Handler]:
        return {"RequestStartTransaction": self.on_RequestStartTransaction,
                "RequestStopTransaction": self.on_RequestStopTransaction,
                "UnlockConnector": self.on_UnlockConnector}

    # ------------------------------------------------------------------ F01 / F02 remote start
    def _free_evse(self) -> int | None:
        """F01.FR.20: the EVSE the station chooses when the CSMS names none: the first one that is operative, has no
        authorized transaction and no authorization waiting for a cable."""
        for evse, _ in self.station.evses:
            if self._refusal(evse) is None:
                return evse
        return None

    def _refusal(self, evse: int, payload: dict[str, Any] | None = None) -> str | None:
        """Why a remote start (``payload``; None: any) on ``evse`` is Rejected (None: it is not)."""
        connectors = self.availability.connectors((evse,))
        if not connectors:
            return "UnknownEvse"
        if all(self.availability.connector_status(*k) in ("Unavailable", "Faulted") for k in connectors) \
                and "remote_start_ignores_availability" not in self.faults:
            return "Unavailable"  # F01.FR.23, F02.FR.25
        tx = self.transactions.ongoing.get(evse)
        if (evse in self.transactions.authorizations or (tx is not None and tx.id_token is not None)) \
                and "remote_start_on_busy_evse_accepted" not in self.faults:
            return "OngoingTransaction"  # F01.FR.24, F02.FR.26
        reservations = [r for r in self.station.state.reservations.values() if r.get("evseId") == evse]
        if reservations and not any(self._holds(r, payload) for r in reservations):
            return "Reserved"  # F01.FR.21/22, F02.FR.23/24: reserved for another idToken / group
        return None

    @staticmethod
    def _holds(reservation: dict[str, Any], payload: dict[str, Any] | None) -> bool:
        """Whether the remote start's idToken or groupIdToken is the reservation's (H01)."""
        if payload is None:
            return False
        token, group = payload.get("idToken", {}), payload.get("groupIdToken")
        if reservation.get("idToken", {}).get("idToken") == token.get("idToken"):
            return True
        return group is not None and reservation.get("groupIdToken", {}).get("idToken") == group.get("idToken")

    async def on_RequestStartTransaction(self, payload: dict[str, Any]) -> dict[str, Any]:
        evse = payload.get("evseId")
        if evse is None:
            evse = self._free_evse()
            if evse is None:
                return {"status": "Rejected", "statusInfo": {"reasonCode": "NoFreeEvse"}}
        refusal = self._refusal(evse, payload)
        if refusal is not None:
            return {"status": "Rejected", "statusInfo": {"reasonCode": refusal}}
        token = payload["idToken"]
        tx = self.transactions.ongoing.get(evse)
        self.transactions.remote_start_ids[evse] = payload["remoteStartId"]
        self.station.spawn(self._start(evse, token))  # after this response (F01.FR.01: respond, then authorize)
        answer: dict[str, Any] = {"status": "Accepted"}
        if tx is not None:  # a transaction started without authorization (EVConnected): F01.FR.13
            answer["transactionId"] = tx.transaction_id
        return answer

    async def _start(self, evse: int, token: dict[str, Any]) -> None:
        """Authorize the idToken when AuthCtrlr.AuthorizeRemoteStart is true (F01.FR.01, F02.FR.09), else not
        (F01.FR.02, F02.FR.10), then start as a local authorization would (F01.FR.05, F02.FR.13)."""
        conn = self.station.connection
        with contextlib.suppress(ActionFailed, PeerError):
            remote_authorize = bool(self.model.get("AuthCtrlr", "AuthorizeRemoteStart"))
            if "remote_start_authorize_ignored" in self.faults:
                remote_authorize = not remote_authorize
            if remote_authorize and token.get("type") != "NoAuthorization" and conn is not None:
                info = await self.transactions.authorization.authorize(conn, token, evse=evse)
                if info.get("status") != "Accepted":
                    self.transactions.remote_start_ids.pop(evse, None)
                    return
            connector = next((c for e, c in sorted(self.station.state.plugged) if e == evse),
                             self.availability.connectors((evse,))[0][1])
            await self.transactions.authorized(
                evse, connector, token, connection_timeout="remote_start_without_connection_timeout" not in self.faults)

    # ------------------------------------------------------------------ F03 remote stop
    async def on_RequestStopTransaction(self, payload: dict[str, Any]) -> dict[str, Any]:
        wanted = payload["transactionId"]
        tx = next((t for t in self.transactions.ongoing.values() if t.transaction_id == wanted), None)
        if "remote_stop_any_transaction" in self.faults and tx is None and self.transactions.ongoing:
            tx = next(iter(self.transactions.ongoing.values()))  # matches the EVSE, not the transactionId
        if tx is None:
            return {"status": "Rejected"}  # F03.FR.08
        if "remote_stop_accepted_not_stopped" not in self.faults:
            self.station.spawn(self._stop(tx))
        return {"status": "Accepted"}  # F03.FR.07

    async def _stop(self, tx: Any) -> None:
        with contextlib.suppress(ActionFailed, PeerError):
            await self.transactions.remote_stop(tx)

    # ------------------------------------------------------------------ F05 unlock connector
    async def on_UnlockConnector(self, payload: dict[str, Any]) -> dict[str, Any]:
        evse, connector = payload["evseId"], payload["connectorId"]
        if not self.availability.connectors((evse, connector)) \
                and "unlock_unknown_connector_unlocked" not in self.faults:
            return {"status": "UnknownConnector"}  # F05.FR.03
        tx = self.transactions.ongoing.get(evse)
        if tx is not None and tx.connector == connector and tx.id_token is not None and not tx.stop_authorized \
                and "unlock_during_transaction" not in self.faults:
            return {"status": "OngoingAuthorizedTransaction"}  # F05.FR.02
        # F05.FR.06: the lock is tried even without a cable, and the result returned (F05.FR.04/05)
        if (evse, connector) in self.transactions.lock_failing or (
                "unlock_without_cable_fails" in self.faults and (evse, connector) not in self.station.state.plugged):
            return {"status": "UnlockFailed"}
        return {"status": "Unlocked"}
