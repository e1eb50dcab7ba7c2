"""The ISO 15118 test PKI (conformance/harness/pki.py): chains, variants, and the OCSPRequestData computed from the
certificates, checked against an independent computation (cryptography's own OCSP request builder, RFC 6960 CertID)."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import ocsp

from conformance.harness import pki


@pytest.fixture(scope="module")
def test_pki() -> pki.Pki:
    return pki.make_pki()


def _cert_id(certificate: x509.Certificate, issuer: x509.Certificate, algorithm: hashes.HashAlgorithm) -> ocsp.OCSPRequest:
    return ocsp.OCSPRequestBuilder().add_certificate(certificate, issuer, algorithm).build()


@pytest.mark.parametrize("name,algorithm", [("SHA256", hashes.SHA256()), ("SHA384", hashes.SHA384()),
                                            ("SHA512", hashes.SHA512())])
def test_ocsp_request_data_matches_an_independent_cert_id(test_pki: pki.Pki, name: str,
                                                          algorithm: hashes.HashAlgorithm) -> None:
    contract = test_pki.contract("NLOCTC000000042")
    data = pki.ocsp_request_data(contract.certificate, contract.chain[1], name)
    request = _cert_id(contract.certificate, contract.chain[1], algorithm)
    assert data == {"hashAlgorithm": name, "issuerNameHash": request.issuer_name_hash.hex(),
                    "issuerKeyHash": request.issuer_key_hash.hex(),
                    "serialNumber": format(request.serial_number, "x"), "responderURL": pki.RESPONDER_URL}
    assert not data["serialNumber"].startswith("0")


def test_chain_hash_data_covers_leaf_and_sub_ca(test_pki: pki.Pki) -> None:
    contract = test_pki.contract()
    entries = contract.hash_data()
    assert len(entries) == 2
    sub = _cert_id(test_pki.mo_sub_ca.certificate, test_pki.mo_root.certificate, hashes.SHA256())
    assert entries[1]["issuerKeyHash"] == sub.issuer_key_hash.hex()
    assert entries[1]["responderURL"] == ""  # the sub-CA names no responder; the field is required
    assert entries[0]["serialNumber"] == format(contract.certificate.serial_number, "x")


def test_contract_carries_the_emaid_and_validates(test_pki: pki.Pki) -> None:
    contract = test_pki.contract("NLOCTC000000007")
    assert pki.emaid_of(contract.certificate) == "NLOCTC000000007"
    assert pki.validate_chain(contract.chain, test_pki.trusted_mo_roots) is None
    assert [c.subject for c in pki.load_chain(contract.chain_pem)] == [c.subject for c in contract.chain]


def test_variants_do_not_validate(test_pki: pki.Pki) -> None:
    expired = test_pki.contract(expired=True)
    assert "not valid at" in (pki.validate_chain(expired.chain, test_pki.trusted_mo_roots) or "")
    untrusted = test_pki.contract(untrusted=True)
    assert "not a trusted root" in (pki.validate_chain(untrusted.chain, test_pki.trusted_mo_roots) or "")
    contract = test_pki.contract()
    assert pki.validate_chain(contract.chain, (test_pki.v2g_root.certificate,)) is not None  # wrong anchor
    assert pki.validate_chain(contract.chain[:1], test_pki.trusted_mo_roots) is not None  # sub-CA missing
    later = test_pki.now + dt.timedelta(days=400)
    assert pki.validate_chain(contract.chain, test_pki.trusted_mo_roots, later) is not None


def test_public_data_only(test_pki: pki.Pki) -> None:
    contract = test_pki.contract()
    assert "PRIVATE KEY" not in contract.chain_pem
    assert "PRIVATE KEY" not in repr(contract)


def test_ocsp_responder_answers_good_revoked_and_unknown() -> None:
    pki_ = pki.make_pki()
    contract = pki_.contract()
    issuer = contract.chain[1]
    request = ocsp.OCSPRequestBuilder().add_certificate(contract.certificate, issuer, hashes.SHA256()).build()
    der = request.public_bytes(Encoding.DER)
    assert pki.ocsp_cert_id(der) == {k: v for k, v in pki.ocsp_request_data(contract.certificate, issuer).items()
                                     if k != "responderURL"}
    response = ocsp.load_der_ocsp_response(pki.ocsp_response(pki_, der))
    assert response.response_status == ocsp.OCSPResponseStatus.SUCCESSFUL
    assert response.certificate_status == ocsp.OCSPCertStatus.GOOD
    pki_.revoked.add(contract.certificate.serial_number)
    assert ocsp.load_der_ocsp_response(pki.ocsp_response(pki_, der)).certificate_status == ocsp.OCSPCertStatus.REVOKED
    # a CertID over the wrong issuer key: not this PKI's certificate
    wrong = ocsp.OCSPRequestBuilder().add_certificate(contract.certificate, contract.certificate,
                                                      hashes.SHA256()).build()
    answer = ocsp.load_der_ocsp_response(pki.ocsp_response(pki_, wrong.public_bytes(Encoding.DER)))
    assert answer.response_status == ocsp.OCSPResponseStatus.UNAUTHORIZED
    assert ocsp.load_der_ocsp_response(pki.ocsp_response(pki_, b"junk")).response_status == \
        ocsp.OCSPResponseStatus.MALFORMED_REQUEST
