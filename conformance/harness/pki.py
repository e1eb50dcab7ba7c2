"""The test PKI of ISO 15118 Plug & Charge (block C07 now; blocks A and M, issue 14, grow it): sans-I/O, made with
``cryptography`` at run time.

* :func:`make_pki` makes a :class:`Pki`: a V2G root, an MO (Mobility Operator) root and its sub-CA, and contract
  certificates whose subject commonName is an eMAID (ISO 15118-2 contract ID), issued by the MO sub-CA; variants
  :meth:`Pki.contract` ``expired=True`` and ``untrusted=True`` (an MO root nobody installed issued it).
* re-exported from :mod:`conformance.transport.tls` (the reference SUTs use them too, below this layer):
  :func:`ocsp_request_data` is OCSPRequestDataType of a certificate (Part 2 C07, AuthorizeRequest
  iso15118CertificateHashData): CertificateHashDataType (:func:`conformance.transport.tls.certificate_hash_data`,
  the one place those hashes are computed) plus the responderURL of the certificate's Authority Information Access.
  :func:`validate_chain` is a plain X.509 path check (signatures, validity, CA flags) against trust anchors: what a
  station validating a contract certificate locally (C07.FR.02 / ISO 15118) and a CSMS validating it centrally
  (C07.FR.06) do.

Private keys stay in :class:`~conformance.transport.tls.Credential` objects: only certificates (PEM) and hash data
ever go to an action, a frame or the event log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Sequence

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID

from ..transport.tls import (Credential, _pem, certificate_hash_data, chain_hash_data, emaid_of, load_chain,  # noqa: F401
                             ocsp_request_data, responder_url_of, validate_chain)

__all__ = ["Contract", "Pki", "make_pki", "new_emaid", "ocsp_cert_id", "ocsp_response", "load_chain", "responder_url_of", "ocsp_request_data", "chain_hash_data", "validate_chain", "emaid_of", "pem"]

ORGANIZATION = "OCPP Conformance test PKI"
DEFAULT_EMAID = "NLOCTC000000001"  # ISO 15118-2 contract ID without separators: country, provider, instance
RESPONDER_URL = "http://ocsp.invalid/"  # the OCSP responder named in the AIA (issue 14 runs a real one on loopback)


def _name(common_name: str, *, domain: str | None = None) -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANIZATION),
                  x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if domain is not None:  # ISO 15118-2: V2G PKI certificates carry the domain component (V2G, MO, CPO, ...)
        attributes.append(x509.NameAttribute(NameOID.DOMAIN_COMPONENT, domain))
    return x509.Name(attributes)


def pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")


def _issue(subject: x509.Name, key: ec.EllipticCurvePrivateKey, issuer: Credential | None, *, ca: bool,
           now: dt.datetime, not_before: dt.timedelta, not_after: dt.timedelta,
           responder_url: str | None) -> Credential:
    """A certificate for ``key`` with ``subject``, signed by ``issuer`` (self-signed when None)."""
    issuer_cert = issuer.certificate if issuer is not None else None
    signing_key = issuer._key() if issuer is not None else key
    builder = (x509.CertificateBuilder().subject_name(subject)
               .issuer_name(issuer_cert.subject if issuer_cert is not None else subject)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now + not_before).not_valid_after(now + not_after)
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                            data_encipherment=False, key_agreement=not ca, key_cert_sign=ca,
                                            crl_sign=ca, encipher_only=False, decipher_only=False), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
    if issuer_cert is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_cert.public_key()),  # type: ignore[arg-type]
            critical=False)
    if responder_url is not None:
        builder = builder.add_extension(x509.AuthorityInformationAccess([x509.AccessDescription(
            AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(responder_url))]), critical=False)
    return _pem(builder.sign(signing_key, hashes.SHA256()), key)


@dataclass
class Pki:
    """One run's ISO 15118 test PKI. ``v2g_root`` and ``mo_root`` are what a station installs (V2GRootCertificate,
    MORootCertificate) and a CSMS trusts; ``mo_sub_ca`` issues the contract certificates; ``other_mo_root`` is an
    MO root nobody installs (the untrusted variant)."""

    v2g_root: Credential
    mo_root: Credential
    mo_sub_ca: Credential
    other_mo_root: Credential
    now: dt.datetime
    # every certificate this PKI issued below a root, by serial number: (certificate, its issuer's Credential); what
    # its OCSP responder (:func:`ocsp_response`) answers for
    issued: dict[int, tuple[x509.Certificate, Credential]] = field(default_factory=dict)
    revoked: set[int] = field(default_factory=set)  # serial numbers the OCSP responder reports revoked

    def contract(self, emaid: str = DEFAULT_EMAID, *, expired: bool = False, untrusted: bool = False,
                 responder_url: str | None = RESPONDER_URL) -> "Contract":
        """A contract certificate for ``emaid`` and the chain above it (leaf first, without the root)."""
        issuer = self.other_mo_root if untrusted else self.mo_sub_ca
        key = ec.generate_private_key(ec.SECP256R1())
        span = (dt.timedelta(days=-60), dt.timedelta(days=-30)) if expired else (dt.timedelta(minutes=-5),
                                                                                   dt.timedelta(days=30))
        leaf = _issue(_name(emaid), key, issuer, ca=False, now=self.now, not_before=span[0], not_after=span[1],
                      responder_url=responder_url)
        self.issued[leaf.certificate.serial_number] = (leaf.certificate, issuer)
        chain = (leaf,) if untrusted else (leaf, self.mo_sub_ca)
        root = self.other_mo_root if untrusted else self.mo_root
        return Contract(emaid, tuple(c.certificate for c in chain), root.certificate)

    @property
    def trusted_mo_roots(self) -> tuple[x509.Certificate, ...]:
        return (self.mo_root.certificate,)


@dataclass(frozen=True)
class Contract:
    """A contract certificate (``chain[0]``) with its sub-CAs (``chain[1:]``) and the root that anchors it. Public
    data only."""

    emaid: str
    chain: tuple[x509.Certificate, ...]
    root: x509.Certificate

    @property
    def certificate(self) -> x509.Certificate:
        return self.chain[0]

    @property
    def chain_pem(self) -> str:
        """The PEM chain an EV sends (leaf first): what AuthorizeRequest.certificate carries (C07.FR.06)."""
        return "".join(pem(c) for c in self.chain)

    def hash_data(self, algorithm: str = "SHA256") -> list[dict[str, str]]:
        """iso15118CertificateHashData for this chain: leaf first, one entry per certificate under the root."""
        return chain_hash_data((*self.chain, self.root), algorithm)


def new_emaid(ids: Any) -> str:
    """An eMAID unique in the run (``ids``: the run's IdSource, harness/ids.py): a contract the SUT has never seen,
    so no Authorization Cache entry or cached OCSP answer of an earlier case decides about it."""
    return ids.text("emaid", "NLOCTC").replace("-", "")[:36]


def make_pki(now: dt.datetime | None = None) -> Pki:
    """A fresh test PKI (ECDSA P-256, as ISO 15118-2 uses)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    span = dict(now=now, not_before=dt.timedelta(minutes=-5), not_after=dt.timedelta(days=365), responder_url=None)
    v2g_key, mo_key, sub_key, other_key = (ec.generate_private_key(ec.SECP256R1()) for _ in range(4))
    v2g_root = _issue(_name("V2G Root CA", domain="V2G"), v2g_key, None, ca=True, **span)  # type: ignore[arg-type]
    mo_root = _issue(_name("MO Root CA", domain="MO"), mo_key, None, ca=True, **span)  # type: ignore[arg-type]
    mo_sub_ca = _issue(_name("MO Sub-CA 1", domain="MO"), sub_key, mo_root, ca=True, **span)  # type: ignore[arg-type]
    other = _issue(_name("Untrusted MO Root CA", domain="MO"), other_key, None, ca=True, **span)  # type: ignore[arg-type]
    pki = Pki(v2g_root, mo_root, mo_sub_ca, other, now)
    pki.issued[mo_sub_ca.certificate.serial_number] = (mo_sub_ca.certificate, mo_root)
    return pki


_OCSP_HASHES = {"SHA256": hashes.SHA256, "SHA384": hashes.SHA384, "SHA512": hashes.SHA512, "SHA1": hashes.SHA1}


def ocsp_cert_id(request_der: bytes) -> dict[str, str]:
    """The CertID of a DER OCSP request (RFC 6960) as OCSPRequestData fields (hashAlgorithm, issuerNameHash,
    issuerKeyHash, serialNumber in hexadecimal); ValueError when it is no OCSP request."""
    request = ocsp.load_der_ocsp_request(request_der)
    return {"hashAlgorithm": request.hash_algorithm.name.upper().replace("-", ""),
            "issuerNameHash": request.issuer_name_hash.hex(), "issuerKeyHash": request.issuer_key_hash.hex(),
            "serialNumber": format(request.serial_number, "x")}


def ocsp_response(pki: Pki, request_der: bytes, now: dt.datetime | None = None) -> bytes:
    """The DER OCSP response of ``pki``'s responder to ``request_der``: signed by the certificate's issuer (a
    CA-designated response), status good, or revoked for the serial numbers in ``pki.revoked``; unauthorized for a
    certificate the PKI did not issue or a CertID that does not match it; malformedRequest for other bytes."""
    now = now or dt.datetime.now(dt.timezone.utc)
    try:
        request = ocsp.load_der_ocsp_request(request_der)
    except ValueError:
        return ocsp.OCSPResponseBuilder.build_unsuccessful(ocsp.OCSPResponseStatus.MALFORMED_REQUEST) \
            .public_bytes(serialization.Encoding.DER)
    found = pki.issued.get(request.serial_number)
    if found is not None:
        certificate, issuer = found
        expected = ocsp_request_data(certificate, issuer.certificate,
                                     request.hash_algorithm.name.upper().replace("-", "")) \
            if request.hash_algorithm.name.upper().replace("-", "") in ("SHA256", "SHA384", "SHA512") else None
        if expected is None or expected["issuerNameHash"] != request.issuer_name_hash.hex() \
                or expected["issuerKeyHash"] != request.issuer_key_hash.hex():
            found = None
    if found is None:
        return ocsp.OCSPResponseBuilder.build_unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED) \
            .public_bytes(serialization.Encoding.DER)
    certificate, issuer = found
    revoked = certificate.serial_number in pki.revoked
    builder = ocsp.OCSPResponseBuilder().add_response(
        cert=certificate, issuer=issuer.certificate, algorithm=request.hash_algorithm,
        cert_status=ocsp.OCSPCertStatus.REVOKED if revoked else ocsp.OCSPCertStatus.GOOD,
        this_update=now - dt.timedelta(minutes=1), next_update=now + dt.timedelta(hours=1),
        revocation_time=now - dt.timedelta(days=1) if revoked else None, revocation_reason=None,
    ).responder_id(ocsp.OCSPResponderEncoding.HASH, issuer.certificate)
    return builder.sign(issuer._key(), hashes.SHA256()).public_bytes(serialization.Encoding.DER)
