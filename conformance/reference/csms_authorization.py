"""The reference CSMS's authorization (C01, C09, C12, C16) and Local Authorization List management (D01, D02, C11).

* One token store: idToken -> AuthorizationStatus and idToken -> the idToken of its groupIdToken, provisioned from
  the configuration's ``[id_tokens]`` and changed through ``csms_configure`` (``token_status``, ``token_group``). Every
  idTokenInfo the CSMS answers (AuthorizeResponse, and TransactionEventResponse through csms_transactions.py) comes
  from :meth:`CsmsAuthorization.token_info`: the status it holds (Unknown for a token it does not know, C01.FR.07) and
  the groupIdToken when the token has one (C01.FR.06, C09.FR.02, C09.FR.12). A master pass is a valid token whose
  group is the MasterPassGroupId: it is answered Accepted with that group (C16: the station, not the CSMS, keeps it
  from starting a transaction, C12.FR.09 / C16.FR.03).
* Local list management on ``csms_send``: SendLocalList as the operator gives it (updateType, the entries) with the
  versionNumber the CSMS chooses: one above both the last version it sent the station and the version the station
  last reported (D01.FR.18: never 0; D01.FR.19: a Differential above the station's). Before a Differential update it
  asks the station for its version (GetLocalListVersion, D02), as Part 6 TC_D_02_CSMS shows. A Full entry the
  operator gives without idTokenInfo is sent with the token store's (Part 6 TC_D_01_CSMS errata 2025-09).
* GetLocalListVersion and ClearCache go out as the operator asks.

The faults of conformance/faults/c.py and d.py ("# cdcsms") break exactly what they name here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..faults import FaultSet


@dataclass
class LocalListRecord:
    """What the CSMS knows of one station's Local Authorization List."""

    sent_version: int = 0  # the versionNumber of the last SendLocalListRequest it sent
    station_version: int = 0  # the version the station last reported (GetLocalListVersionResponse)
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)  # idToken -> AuthorizationData sent
    # The station's LocalAuthListCtrlr.ItemsPerMessage / BytesPerMessage (D01.FR.11) once read; None: not known
    items_per_message: int | None = None
    bytes_per_message: int | None = None
    limits_asked: bool = False


class CsmsAuthorization:
    def __init__(self, faults: FaultSet, tokens: dict[str, str], groups: dict[str, str],
                 master_pass_group: str | None = None) -> None:
        self.faults = faults
        self.master_pass_group = master_pass_group  # the MasterPassGroupId it configures on its stations (C16)
        self.tokens = tokens  # idToken -> AuthorizationStatus (shared with ReferenceCsms.tokens)
        self.groups = groups  # idToken -> the idToken of its groupIdToken (shared with ReferenceCsms.groups)
        self.lists: dict[str, LocalListRecord] = {}
        self.authorized_before: dict[str, set[str]] = {}  # identity -> idTokens it answered an AuthorizeRequest for

    def list_of(self, identity: str) -> LocalListRecord:
        return self.lists.setdefault(identity, LocalListRecord())

    # ------------------------------------------------------------------ authorization (C01, C09, C12, C16)
    def token_info(self, id_token: dict[str, Any]) -> dict[str, Any]:
        """The IdTokenInfo the CSMS answers for ``id_token``."""
        if id_token.get("type") == "NoAuthorization":
            return {"status": "Accepted"}
        token = id_token.get("idToken", "")
        status = self.tokens.get(token, "Unknown")
        if status in ("Blocked", "Expired") and "csms_token_status_ignored" in self.faults:
            status = "Accepted"  # it only checks that the token exists
        if status in ("Unknown", "Invalid") and "csms_invalid_token_blocked" in self.faults:
            status = "Blocked"  # one "not allowed" status for every token it does not accept
        group = self.groups.get(token)
        if group is not None and status == "Accepted" and "csms_master_pass_rejected" in self.faults \
                and group == self.master_pass_group:
            status = "Blocked"  # it enforces "never starts a transaction" itself, on every authorization
        info: dict[str, Any] = {"status": status}
        if group is not None and "csms_omits_group_id_token" not in self.faults:  # C09.FR.09/12, E01.FR.12
            info["groupIdToken"] = {"idToken": group, "type": "Central"}
        return info

    def on_authorize(self, identity: str, id_token: dict[str, Any]) -> dict[str, Any]:
        """AuthorizeResponse.idTokenInfo (C01.FR.06, C01.FR.07)."""
        self.authorized_before.setdefault(identity, set()).add(id_token.get("idToken", ""))
        info = self.token_info(id_token)
        if "csms_group_id_token_on_transaction_only" in self.faults:
            info.pop("groupIdToken", None)
        return info

    def transaction_token_info(self, identity: str, id_token: dict[str, Any], info: dict[str, Any]
                               ) -> dict[str, Any]:
        """TransactionEventResponse.idTokenInfo: ``info`` (:meth:`token_info`, answered by csms_transactions.py) as
        the CSMS sends it (C12.FR.03: the status is checked, also for a token the station authorized from its cache or
        list without an AuthorizeRequest; C09.FR.12: with the groupIdToken); only a fault changes it."""
        info = dict(info)
        if "csms_transaction_token_needs_authorize" in self.faults and info.get("status") == "Accepted" \
                and id_token.get("idToken", "") not in self.authorized_before.get(identity, set()):
            info["status"] = "Invalid"
        if "csms_group_id_token_on_authorize_only" in self.faults:
            info.pop("groupIdToken", None)
        return info

    # ------------------------------------------------------------------ local list management (D01, D02, C11)
    def prepare(self, identity: str, action: str, payload: dict[str, Any]) -> dict[str, Any]:
        """The request the operator asks for, as the CSMS sends it (before schema validation): SendLocalList with
        the CSMS's versionNumber and the idTokenInfo of the Full entries."""
        if action != "SendLocalList":
            return payload
        record = self.list_of(identity)
        payload = dict(payload)
        update = payload.get("updateType", "Full")
        entries = [dict(e) for e in payload.get("localAuthorizationList") or []]
        if update == "Full" and "csms_full_entries_without_token_info" not in self.faults:
            for entry in entries:
                if "idTokenInfo" not in entry:
                    entry["idTokenInfo"] = self.token_info(entry.get("idToken", {}))
        if "csms_differential_sent_as_full" in self.faults:
            update = "Full"
        if update == "Full" and not entries and "csms_empty_full_list_as_differential" in self.faults:
            update = "Differential"  # "no entries" sent as an update without entries (no effect: D01.FR.05)
        latest = max(record.sent_version, record.station_version)
        version = latest + 1
        if "csms_local_list_version_not_increased" in self.faults:
            version = latest  # it numbers an update with the version of the list it updates
        if "csms_local_list_version_from_zero" in self.faults and record.sent_version == 0:
            version = 0
        payload["updateType"] = update
        payload["versionNumber"] = payload.get("versionNumber", version)
        if entries or "localAuthorizationList" in payload:
            payload["localAuthorizationList"] = entries
        if not entries:
            payload.pop("localAuthorizationList", None)
        return payload

    def needs_version_first(self, identity: str, action: str, payload: dict[str, Any]) -> bool:
        """Before a Differential update the CSMS asks the station for its list's version (Part 6 TC_D_02_CSMS steps
        1-2; D01.FR.19: the update's version must be above it)."""
        return action == "SendLocalList" and payload.get("updateType") == "Differential"

    def parts(self, identity: str, payload: dict[str, Any]) -> list[dict[str, Any]]:
        """``payload`` (a prepared SendLocalListRequest) as the requests the station's limits allow (D01.FR.11): a list
        too large for one message goes out as a Full part with the first entries, then Differential parts adding the
        rest (D01.FR.15 note), each numbered one higher. Within the limits, or with none known: ``payload`` itself."""
        record = self.list_of(identity)
        entries = payload.get("localAuthorizationList") or []
        items = record.items_per_message
        size = record.bytes_per_message
        chunks: list[list[dict[str, Any]]] = [[]]
        for entry in entries:
            candidate = [*chunks[-1], entry]
            too_many = items is not None and len(candidate) > items
            too_big = size is not None and len(_encoded(dict(payload, localAuthorizationList=candidate))) > size
            if chunks[-1] and (too_many or too_big):
                chunks.append([entry])
            else:
                chunks[-1] = candidate
        if len(chunks) == 1:
            return [payload]
        version = payload["versionNumber"]
        return [dict(payload, localAuthorizationList=chunk, versionNumber=version + i,
                     updateType=payload["updateType"] if i == 0 else "Differential")
                for i, chunk in enumerate(chunks)]

    def learn_limits(self, identity: str, results: list[dict[str, Any]]) -> None:
        """LocalAuthListCtrlr.ItemsPerMessage / BytesPerMessage from a GetVariablesResponse."""
        record = self.list_of(identity)
        record.limits_asked = True
        for result in results:
            value = result.get("attributeValue")
            if result.get("attributeStatus") != "Accepted" or not (isinstance(value, str) and value.isdigit()):
                continue
            if result.get("variable", {}).get("name") == "ItemsPerMessage":
                record.items_per_message = int(value) or None
            elif result.get("variable", {}).get("name") == "BytesPerMessage":
                record.bytes_per_message = int(value) or None

    def answered(self, identity: str, action: str, payload: dict[str, Any], response_payload: dict[str, Any] | None
                 ) -> None:
        """What the CSMS learns from the station's answer."""
        record = self.list_of(identity)
        if response_payload is None:
            return
        if action == "GetLocalListVersion" and isinstance(response_payload.get("versionNumber"), int):
            record.station_version = response_payload["versionNumber"]
        elif action == "SendLocalList":
            record.sent_version = max(record.sent_version, payload.get("versionNumber", 0))
            if response_payload.get("status") == "Accepted":
                record.station_version = payload.get("versionNumber", 0)
                if payload.get("updateType") == "Full":
                    record.entries = {}
                for entry in payload.get("localAuthorizationList") or []:
                    token = entry.get("idToken", {}).get("idToken", "")
                    if "idTokenInfo" in entry:
                        record.entries[token] = entry
                    else:
                        record.entries.pop(token, None)

    def skips(self, identity: str, action: str) -> bool:
        """A request the operator asked for that the CSMS does not send (a fault): it answers from what it knows."""
        if action == "ClearCache" and "csms_clear_cache_not_sent" in self.faults:
            return True
        return action == "GetLocalListVersion" and "csms_local_list_version_from_memory" in self.faults


#: The GetVariablesRequest.getVariableData the CSMS reads a station's list limits with (D01.FR.11).
LIST_LIMITS = [{"component": {"name": "LocalAuthListCtrlr"}, "variable": {"name": name}}
               for name in ("ItemsPerMessage", "BytesPerMessage")]


def _encoded(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode()
