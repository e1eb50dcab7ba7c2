"""The reference CSMS: ISO 15118 contract certificates in AuthorizeRequest (C07, CSMS side).

The CSMS trusts the V2G / MO roots its operator installs (``csms_configure(setting="iso15118_root_certificate")``).
An AuthorizeRequest with ``certificate`` (a PEM chain, leaf first) is validated against them (C07.FR.05/06: chain,
validity); its OCSP request is built from the certificates (CertID over the issuer's name and key). One with
iso15118CertificateHashData is checked with an OCSP request built from the hash data of its first entry (the contract
certificate). Either goes, in real time (no cache), to the responder URL (the hash data's responderURL, or the
certificate's Authority Information Access). The answer (C07.FR.13-17): certificateStatus CertificateExpired with
Expired, CertChainError / CertificateRevoked with Invalid, otherwise the token store's status of the eMAID with
certificateStatus Accepted, or ContractCancelled when that status is Blocked, Expired, Invalid or Unknown."""

from __future__ import annotations

import asyncio
import datetime as dt
import urllib.parse
from typing import Any, Callable

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp

from ..faults import FaultSet
from ..transport.tls import load_chain, responder_url_of, validate_chain

_HASHES = {"SHA256": hashes.SHA256, "SHA384": hashes.SHA384, "SHA512": hashes.SHA512}
NOT_ACCEPTED = ("Blocked", "Expired", "Invalid", "Unknown")


class CsmsContracts:
    def __init__(self, faults: FaultSet, token_info: Callable[[dict[str, Any]], dict[str, Any]], *,
                 timeout: float = 10.0) -> None:
        self.faults = faults
        self.token_info = token_info  # the one token store (csms_authorization.py)
        self.roots: list[x509.Certificate] = []
        self.timeout = timeout

    def trust(self, pem: str) -> None:
        """``csms_configure(setting="iso15118_root_certificate")``: a V2G or MO root the CSMS trusts."""
        for certificate in load_chain(pem):
            if certificate not in self.roots:
                self.roots.append(certificate)

    @staticmethod
    def concerns(payload: dict[str, Any]) -> bool:
        return "certificate" in payload or "iso15118CertificateHashData" in payload

    async def on_authorize(self, payload: dict[str, Any]) -> dict[str, Any]:
        """AuthorizeResponse for an AuthorizeRequest with contract certificate data."""
        info = dict(self.token_info(payload["idToken"]))
        status = await self._certificate_status(payload)
        if status == "Accepted" and info.get("status") in NOT_ACCEPTED:
            status = "ContractCancelled"  # C07.FR.13
        elif status == "CertificateExpired":
            info["status"] = "Expired"  # C07.FR.15
        elif status in ("CertificateRevoked", "CertChainError"):
            info["status"] = "Invalid"  # C07.FR.16, C07.FR.17
        answer: dict[str, Any] = {"idTokenInfo": info, "certificateStatus": status}
        if "csms_certificate_status_missing" in self.faults:  # (c15118) only the idTokenInfo is answered
            del answer["certificateStatus"]
        return answer

    async def _certificate_status(self, payload: dict[str, Any]) -> str:
        if "certificate" in payload:
            try:
                chain = load_chain(payload["certificate"])
            except ValueError:
                return "CertChainError"
            now = dt.datetime.now(dt.timezone.utc)
            if any(not c.not_valid_before_utc <= now <= c.not_valid_after_utc for c in chain):
                return "CertificateExpired"  # C07.FR.15
            if validate_chain(chain, self.roots) is not None:
                return "CertChainError"  # C07.FR.17
            issuer = chain[1] if len(chain) > 1 else next(r for r in self.roots if r.subject == chain[0].issuer)
            if "csms_ocsp_cert_id_over_leaf" in self.faults:  # (c15118) CertID over the leaf's own name and key
                issuer = chain[0]
            request = ocsp.OCSPRequestBuilder().add_certificate(chain[0], issuer, hashes.SHA256()).build()
            url = responder_url_of(chain[0])
        else:
            entries = payload["iso15118CertificateHashData"]
            first = entries[0]
            try:
                request = ocsp.OCSPRequestBuilder().add_certificate_by_hash(
                    bytes.fromhex(first["issuerNameHash"]), bytes.fromhex(first["issuerKeyHash"]),
                    int(first["serialNumber"], 16), _HASHES[first["hashAlgorithm"]]()).build()
            except (KeyError, ValueError):
                return "CertChainError"
            url = first.get("responderURL") or None
        if "csms_ocsp_not_queried" in self.faults:  # (c15118) the chain's own validity is taken as enough
            return "Accepted"
        if not url:
            return "CertChainError"  # nothing to ask: the validity cannot be verified (C07.FR.05, C07.FR.17)
        try:
            answer = await self._query(url, request.public_bytes(serialization.Encoding.DER))
            response = ocsp.load_der_ocsp_response(answer)
        except (OSError, ValueError, TimeoutError):
            return "CertChainError"
        if response.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL:
            return "CertChainError"
        if response.certificate_status == ocsp.OCSPCertStatus.REVOKED:
            return "CertificateRevoked"
        return "Accepted" if response.certificate_status == ocsp.OCSPCertStatus.GOOD else "CertChainError"

    async def _query(self, url: str, body: bytes) -> bytes:
        """POST ``body`` (application/ocsp-request) to ``url``; the response body."""
        parts = urllib.parse.urlsplit(url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"unsupported OCSP responder URL {url!r}")
        async with asyncio.timeout(self.timeout):
            reader, writer = await asyncio.open_connection(parts.hostname, parts.port or 80)
            try:
                writer.write(f"POST {parts.path or '/'} HTTP/1.1\r\nHost: {parts.netloc}\r\nContent-Type: "
                             f"application/ocsp-request\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
                             .encode() + body)
                await writer.drain()
                data = await reader.read()
            finally:
                writer.close()
        head, _, content = data.partition(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.") or b" 200 " not in head.split(b"\r\n", 1)[0] + b" ":
            raise ValueError(f"OCSP responder answered {head[:40]!r}")
        return content
