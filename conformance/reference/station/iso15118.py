"""The reference station: ISO 15118 Plug & Charge authorization with contract certificates (C07, ISO15118Ctrlr).

The EV presents its contract certificate chain (action ``plug_and_charge``: the PEM chain, leaf first, and the
eMAID). Online (C07.FR.01/02) the station validates the chain against its installed MO / V2G roots
(InstallCertificate, :mod:`.network`) and sends an AuthorizeRequest with the eMAID (idToken type eMAID) and the
iso15118CertificateHashData (OCSPRequestData) of the chain; when no installed root anchors the chain and
ISO15118Ctrlr.CentralContractValidationAllowed is true, it passes the PEM chain in ``certificate`` instead (C07.FR.06).
Only idTokenInfo.status Accepted with certificateStatus Accepted (or absent) authorizes. Offline, without
ContractValidationOffline no charging (C07.FR.07); with it the chain is validated locally (C07.FR.08) and the
offline rules of the Authorization Cache decide (C07.FR.09-12, :mod:`.offline`)."""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives import hashes

from ...actions.port import ActionFailed
from ...transport.tls import chain_hash_data, emaid_of, load_chain, ocsp_request_data, parse_certificate, validate_chain
from .component import Component, Station, Step

ROOT_TYPES = ("MORootCertificate", "V2GRootCertificate")


class Iso15118(Component):
    transactions: Any  # the Transactions area (authorized(evse, connector, token)), set by the core
    authorization: Any  # the Authorization area (accepts, learned), set by the core

    def __init__(self, station: Station) -> None:
        super().__init__(station)

    def steps(self) -> dict[str, Step]:
        return {"plug_and_charge": self._plug_and_charge}

    def _flag(self, variable: str, default: bool) -> bool:
        try:
            return bool(self.model.get("ISO15118Ctrlr", variable))
        except KeyError:
            return default

    def _roots(self) -> list[Any]:
        return [parse_certificate(pem) for kind in ROOT_TYPES
                for pem in self.station.state.certificates.get(kind, [])]

    async def _plug_and_charge(self, evse: int, connector: int, params: dict[str, Any]) -> dict[str, Any]:
        try:
            chain = load_chain(params["certificate"])
        except (KeyError, ValueError) as error:
            raise ActionFailed("plug_and_charge", {"evse": evse}, f"no PEM contract certificate chain: {error}")
        emaid = params.get("emaid") or emaid_of(chain[0]) or ""
        token = {"idToken": emaid, "type": "eMAID"}
        if not self._flag("PnCEnabled", True):
            return {"authorized": False, "status": "PnCEnabled is false"}
        roots = self._roots()
        anchor = next((r for r in roots if validate_chain(chain, (r,)) is None), None)
        if self.station.offline.is_offline():
            if "contract_refused_offline" in self.faults:  # (c15118) Plug & Charge taken as an online-only service
                return {"authorized": False, "status": "offline: contracts are validated online only"}
            if not self._flag("ContractValidationOffline", True) \
                    and "contract_validation_offline_ignored" not in self.faults:
                return {"authorized": False, "status": "offline and ContractValidationOffline is false (C07.FR.07)"}
            if anchor is None:  # C07.FR.08
                return {"authorized": False, "status": "the contract could not be validated offline"}
            if not self._offline_decision(token):  # C07.FR.09-12
                return {"authorized": False, "status": "the eMAID is not authorized offline"}
            await self.transactions.authorized(evse, connector, token)
            return {"authorized": True, "offline": True}
        conn = self.station.connection
        if conn is None or not conn.is_open:
            raise ActionFailed("plug_and_charge", {"evse": evse}, "the reference station is not connected")
        payload: dict[str, Any] = {"idToken": token}
        if anchor is not None:  # C07.FR.02: the eMAID and the OCSP data of the contract certificate chain
            payload["iso15118CertificateHashData"] = self._hash_data([*chain, anchor])
        elif self._flag("CentralContractValidationAllowed", False) and self.station.supports("ISO-5"):  # C07.FR.06
            if "contract_sent_as_hash_data_only" in self.faults:  # (c15118) the chain is never passed on
                payload["iso15118CertificateHashData"] = [ocsp_request_data(chain[0], chain[1])] if len(chain) > 1 \
                    else []
                if not payload["iso15118CertificateHashData"]:
                    del payload["iso15118CertificateHashData"]
            else:
                payload["certificate"] = params["certificate"]
        else:
            return {"authorized": False, "status": "no installed root validates the contract certificate"}
        response = await conn.call("Authorize", payload)
        info = dict(response.payload.get("idTokenInfo") or {"status": "Invalid"})
        self.authorization.learned(token, info)
        certificate_status = response.payload.get("certificateStatus")
        accepted = self.authorization.accepts(info) and certificate_status in (None, "Accepted")
        if "contract_rejection_ignored" in self.faults:  # (c15118) the certificate was fine, so charging starts
            accepted = anchor is not None or "certificate" in payload
        if not accepted:
            return {"authorized": False, "status": info.get("status"), "certificateStatus": certificate_status}
        tx = await self.transactions.authorized(evse, connector, token)
        return {"authorized": True, "transaction": tx.transaction_id if tx is not None else None}

    def _offline_decision(self, token: dict[str, Any]) -> bool:
        """C07.FR.09-12: with LocalAuthorizeOffline the Authorization Cache decides an eMAID it holds (C12, through
        :mod:`.offline`); an eMAID it does not hold is allowed when OfflineTxForUnknownIdEnabled is true (C15)."""
        if self.station.offline.authorize_offline(token):
            return True
        cache = self.station.offline.cache
        known = cache is not None and cache.cached(token) is not None
        try:
            unknown_allowed = bool(self.model.get("AuthCtrlr", "OfflineTxForUnknownIdEnabled"))
        except KeyError:
            unknown_allowed = False
        return not known and unknown_allowed

    def _hash_data(self, chain: list[Any]) -> list[dict[str, str]]:
        data = chain_hash_data(chain)
        if "contract_hash_over_subject" in self.faults:  # (c15118) issuerNameHash over the subject, not the issuer
            for entry, certificate in zip(data, chain):
                entry["issuerNameHash"] = _subject_hash(certificate, entry["hashAlgorithm"])
        return data


def _subject_hash(certificate: Any, algorithm: str) -> str:
    h = hashes.Hash({"SHA256": hashes.SHA256, "SHA384": hashes.SHA384, "SHA512": hashes.SHA512}[algorithm]())
    h.update(certificate.subject.public_bytes())
    return h.finalize().hex()
