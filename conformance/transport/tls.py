"""TLS for security profiles 2 and 3: a test PKI made at run time, and the SSL contexts of both sides.

* :func:`make_root` makes a CSMS root certificate (self-signed, or signed by an older root: the shape
  M05.FR.10 asks for when a root is replaced with AdditionalRootCertificateCheck); :func:`issue_server`
  a CSMS server certificate for given host names / IP addresses, signed by a root; :func:`cross_sign` a
  certificate of an existing root's subject and key, signed by another root (to move a station back to it).
* :func:`certificate_hash_data` is the CertificateHashDataType of a certificate (M03 GetInstalledCertificateIds,
  M04 DeleteCertificate): hashes of the issuer's DER name and of the issuer's public key, and the serial number.
* :func:`server_context` is what a CSMS endpoint (the harness server) presents; :func:`client_context`
  is how a Charging Station validates the server certificate against its installed CSMS root
  certificates (host name checked, TLS 1.2 or newer, Part 2 A00.FR.3xx).

Keys are ECDSA P-256, so the suites of Part 2 C-41 (TLS_ECDHE_ECDSA_WITH_AES_128/256_GCM) apply. The
private keys never leave memory except for the moment ``ssl`` needs them as a file.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID

__all__ = ["Credential", "certificate_hash_data", "chain_hash_data", "emaid_of", "load_chain", "ocsp_request_data",
           "responder_url_of", "validate_chain", "client_context", "cross_sign", "issue_server", "make_root", "parse_certificate",
           "server_context"]

ORGANIZATION = "OCPP Conformance test PKI"


@dataclass(frozen=True)
class Credential:
    """A certificate and its private key, PEM encoded."""

    certificate_pem: str
    key_pem: str

    @property
    def certificate(self) -> x509.Certificate:
        return x509.load_pem_x509_certificate(self.certificate_pem.encode())

    def _key(self) -> ec.EllipticCurvePrivateKey:
        key = serialization.load_pem_private_key(self.key_pem.encode(), password=None)
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        return key


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANIZATION),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _pem(certificate: x509.Certificate, key: ec.EllipticCurvePrivateKey) -> Credential:
    return Credential(certificate.public_bytes(serialization.Encoding.PEM).decode("ascii"),
                      key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption()).decode("ascii"))


def _ca_certificate(subject: x509.Name, issuer: x509.Name, key: ec.EllipticCurvePrivateKey,
                    signing_key: ec.EllipticCurvePrivateKey, days: int) -> Credential:
    """A CA certificate for ``key`` with ``subject``, issued by ``issuer`` and signed with ``signing_key``."""
    now = dt.datetime.now(dt.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=days))
               .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                            data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                            crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
    return _pem(builder.sign(signing_key, hashes.SHA256()), key)


def make_root(common_name: str, *, signer: Credential | None = None, days: int = 30) -> Credential:
    """A CA certificate: self-signed, or (``signer``) signed by an older root it is meant to replace."""
    key = ec.generate_private_key(ec.SECP256R1())
    issuer = signer.certificate.subject if signer is not None else _name(common_name)
    return _ca_certificate(_name(common_name), issuer, key, signer._key() if signer is not None else key, days)


def cross_sign(credential: Credential, signer: Credential, *, days: int = 30) -> Credential:
    """A CA certificate with the subject and key of ``credential``, signed by ``signer``: what trusts ``signer``
    can be moved back to ``credential``'s key with it (a CSMS root replaced by one the current root signed,
    M05.FR.10); certificates ``credential`` issued chain to it."""
    return _ca_certificate(credential.certificate.subject, signer.certificate.subject, credential._key(),
                           signer._key(), days)


def issue_server(ca: Credential, hosts: Sequence[str], *, days: int = 30) -> Credential:
    """A CSMS server certificate for ``hosts`` (DNS names or IP addresses), signed by ``ca``."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.timezone.utc)
    names: list[x509.GeneralName] = []
    for host in hosts:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    ca_cert = ca.certificate
    builder = (x509.CertificateBuilder().subject_name(_name(hosts[0] if hosts else "csms"))
               .issuer_name(ca_cert.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=days))
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
               .add_extension(x509.SubjectAlternativeName(names), critical=False)
               .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()),  # type: ignore[arg-type]
                              critical=False))
    return _pem(builder.sign(ca._key(), hashes.SHA256()), key)


def parse_certificate(pem: str) -> x509.Certificate:
    """The certificate of a PEM text; ValueError when it is not one."""
    return x509.load_pem_x509_certificate(pem.encode())


_HASHES = {"SHA256": hashes.SHA256, "SHA384": hashes.SHA384, "SHA512": hashes.SHA512}  # HashAlgorithmEnumType


def _der_value(data: bytes, offset: int = 0) -> tuple[int, bytes, int]:
    """One DER element at ``offset``: (tag, contents, offset after it)."""
    tag, length = data[offset], data[offset + 1]
    offset += 2
    if length & 0x80:
        count = length & 0x7F
        length = int.from_bytes(data[offset:offset + count], "big")
        offset += count
    return tag, data[offset:offset + length], offset + length


def _public_key_bits(certificate: x509.Certificate) -> bytes:
    """The contents of the subjectPublicKey BIT STRING of ``certificate`` (without the unused-bits octet)."""
    spki = certificate.public_key().public_bytes(serialization.Encoding.DER,
                                                 serialization.PublicFormat.SubjectPublicKeyInfo)
    _, body, _ = _der_value(spki)  # SubjectPublicKeyInfo SEQUENCE
    _, _, after_algorithm = _der_value(body)  # AlgorithmIdentifier
    tag, bits, _ = _der_value(body, after_algorithm)
    if tag != 0x03:
        raise ValueError("SubjectPublicKeyInfo without a BIT STRING")
    return bits[1:]


def certificate_hash_data(certificate: x509.Certificate, issuer: x509.Certificate | None = None,
                          algorithm: str = "SHA256") -> dict[str, str]:
    """CertificateHashDataType of ``certificate`` (Part 2): the hash of the DER encoded issuer name, the hash of
    the issuer's public key (the BIT STRING value, as in OCSP, RFC 6960) and the serial number in hexadecimal
    without leading zeroes. ``issuer``: the certificate that signed it (itself when None: a self-signed root)."""
    def digest(data: bytes) -> str:
        h = hashes.Hash(_HASHES[algorithm]())
        h.update(data)
        return h.finalize().hex()

    return {"hashAlgorithm": algorithm, "issuerNameHash": digest(certificate.issuer.public_bytes()),
            "issuerKeyHash": digest(_public_key_bits(issuer if issuer is not None else certificate)),
            "serialNumber": format(certificate.serial_number, "x")}


# ---- ISO 15118 contract certificates (c15118: C07; generation in conformance/harness/pki.py)
def responder_url_of(certificate: x509.Certificate) -> str | None:
    """The OCSP responder of the certificate's Authority Information Access, or None."""
    try:
        access = certificate.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    except x509.ExtensionNotFound:
        return None
    for description in access:
        if description.access_method == AuthorityInformationAccessOID.OCSP:
            return str(description.access_location.value)
    return None


def ocsp_request_data(certificate: x509.Certificate, issuer: x509.Certificate,
                      algorithm: str = "SHA256") -> dict[str, str]:
    """OCSPRequestDataType (Part 2): CertificateHashDataType of ``certificate`` signed by ``issuer`` plus the
    responderURL (an empty string when the certificate names no OCSP responder: the field is required)."""
    data = certificate_hash_data(certificate, issuer, algorithm)
    data["responderURL"] = responder_url_of(certificate) or ""
    return data


def chain_hash_data(chain: Sequence[x509.Certificate], algorithm: str = "SHA256") -> list[dict[str, str]]:
    """OCSPRequestData of every certificate in ``chain`` (leaf first, each issued by the next) but its last (the
    root): at most 4 entries, as AuthorizeRequest allows."""
    return [ocsp_request_data(c, chain[i + 1], algorithm) for i, c in enumerate(chain[:-1])][:4]


def load_chain(chain_pem: str) -> list[x509.Certificate]:
    """The certificates of a PEM chain (ValueError when there is none)."""
    return x509.load_pem_x509_certificates(chain_pem.encode())


def emaid_of(certificate: x509.Certificate) -> str | None:
    """The eMAID a contract certificate carries (its subject commonName)."""
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else None


def validate_chain(chain: Sequence[x509.Certificate], anchors: Sequence[x509.Certificate],
                   now: dt.datetime | None = None) -> str | None:
    """Why ``chain`` (leaf first, sub-CAs after) does not chain to one of ``anchors`` at ``now``: None when it is
    valid. Checked: each certificate within its validity period, signed by the next one (the last by an anchor),
    every issuer a CA."""
    now = now or dt.datetime.now(dt.timezone.utc)
    if not chain:
        return "no certificate"
    path = list(chain)
    for certificate in path:
        if not certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc:
            return f"{certificate.subject.rfc4514_string()} is not valid at {now.isoformat()} " \
                   f"({certificate.not_valid_before_utc.isoformat()} .. {certificate.not_valid_after_utc.isoformat()})"
    for child, parent in zip(path, path[1:]):
        if (reason := _issued_by(child, parent)) is not None:
            return reason
    last = path[-1]
    for anchor in anchors:
        if anchor.subject == last.issuer and _issued_by(last, anchor) is None:
            return None
        if anchor == last:
            return None
    return f"{last.issuer.rfc4514_string()} is not a trusted root"


def _issued_by(child: x509.Certificate, parent: x509.Certificate) -> str | None:
    try:
        constraints = parent.extensions.get_extension_for_class(x509.BasicConstraints).value
        if not constraints.ca:
            return f"{parent.subject.rfc4514_string()} is not a CA"
        child.verify_directly_issued_by(parent)
    except (ValueError, TypeError, x509.ExtensionNotFound) as error:
        return f"{child.subject.rfc4514_string()} is not issued by {parent.subject.rfc4514_string()}: {error}"
    except Exception as error:  # InvalidSignature
        return f"{child.subject.rfc4514_string()}: signature of {parent.subject.rfc4514_string()} does not verify " \
               f"({type(error).__name__})"
    return None


def server_context(credential: Credential) -> ssl.SSLContext:
    """The TLS side of a CSMS endpoint presenting ``credential`` (TLS 1.2 or newer)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    with tempfile.TemporaryDirectory(prefix="ocpp-tls-") as folder:
        cert, key = Path(folder) / "server.pem", Path(folder) / "server.key"
        cert.write_text(credential.certificate_pem)
        key.write_text(credential.key_pem)
        key.chmod(0o600)
        context.load_cert_chain(cert, key)
    return context


def client_context(roots_pem: Iterable[str]) -> ssl.SSLContext:
    """How a Charging Station checks the CSMS: the server certificate must chain to one of ``roots_pem``
    and name the host it connects to."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.verify_mode = ssl.CERT_REQUIRED
    context.check_hostname = True
    # An installed root is a trust anchor even when an older root signed it (M05.FR.10/12).
    context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN
    roots = "".join(roots_pem)
    if roots:
        context.load_verify_locations(cadata=roots)
    return context

