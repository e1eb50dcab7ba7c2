"""Block C Authorization, the SUT is a CSMS: C07 authorization with ISO 15118 contract certificates.

The harness brings the test PKI (conformance/harness/pki.py) and an OCSP responder (conformance/harness/ocsp_responder.py)
for the run. Prerequisites of Part 6 as operator steps through ``csms_configure``: the CSMS trusts the PKI's MO root
(``iso15118_root_certificate``) and knows the eMAID as valid (``token_status`` Accepted; errata 2025-09 §6.3.7: an
eMAID idToken, the CN of the contract certificate). The contract certificate names the harness responder (Authority
Information Access); the hash data the harness station sends names it as responderURL. A fresh contract per case
means the CSMS cannot hold a cached OCSP response for it."""

from __future__ import annotations

from typing import Any

from conformance.harness import CsmsUnderTest, case
from conformance.harness import pki as test_pki
from conformance.harness.ocsp_responder import OcspResponder, ocsp_responder
from conformance.harness.reusable_states import csms as states


def _run_pki(csms: CsmsUnderTest) -> test_pki.Pki:
    if csms.ctx.iso15118_pki is None:
        csms.ctx.iso15118_pki = test_pki.make_pki()
    return csms.ctx.iso15118_pki


def _queried_for(csms: CsmsUnderTest, case_id: str, responder: OcspResponder, contract: test_pki.Contract) -> None:
    """Steps 2 and 3: the CSMS sent the harness responder an OCSP request (C07.FR.05; no cached response can exist
    for the fresh contract) before its AuthorizeResponse, and that request's CertID is the contract certificate's
    (hash over its issuer's DER name and public key, its serial number; any hash algorithm of RFC 6960)."""
    csms.check.that(f"step 2: the CSMS sends an OCSP request to the responder URL before answering (Part 6 {case_id}, "
                    "C07.FR.05)", bool(responder.queries), expected=f"an OCSP request to {responder.url}",
                    actual="none", requirements=(f"Part 6 {case_id} step 2", "C07.FR.05"), soft=True)
    if not responder.queries:
        return
    issuer = contract.chain[1]
    expected = {}
    for query in responder.queries:
        algorithm = (query.cert_id or {}).get("hashAlgorithm", "SHA256")
        if algorithm in ("SHA256", "SHA384", "SHA512"):
            want = test_pki.ocsp_request_data(contract.certificate, issuer, algorithm)
            want.pop("responderURL")
        else:  # SHA1 (RFC 6960's default) is not a HashAlgorithmEnumType but a valid CertID
            want = {"hashAlgorithm": algorithm}
        expected = want
        if query.cert_id is not None and all(query.cert_id.get(k) == v for k, v in want.items()):
            return
    csms.check.that(f"step 3: the OCSP request is for the contract certificate (Part 6 {case_id})", False,
                    expected=f"CertID {expected}", actual=[q.cert_id or q.error for q in responder.queries],
                    requirements=(f"Part 6 {case_id} step 3", "C07.FR.05"), soft=True)


async def _contract_authorized(csms: CsmsUnderTest, case_id: str, *, central: bool, revoked: bool) -> None:
    pki = _run_pki(csms)
    evse, connector = csms.connectors[0]
    async with ocsp_responder(pki, csms.config.connection.listen_host) as responder:
        contract = pki.contract(test_pki.new_emaid(csms.ctx.ids), responder_url=responder.url)
        if revoked:
            pki.revoked.add(contract.certificate.serial_number)
        token = {"idToken": contract.emaid, "type": "eMAID"}
        await csms.actions.do("csms_configure", setting="iso15118_root_certificate",
                              value=test_pki.pem(pki.mo_root.certificate))
        await csms.actions.do("csms_configure", setting="token_status", value="Accepted", id_token=contract.emaid,
                              type="eMAID")
        await states.booted(csms, precondition=True)
        async with states.transactions_ended_afterwards(csms):
            tx = await states.ev_connected_pre_session(csms, evse, connector)
            payload: dict[str, Any] = {"idToken": token}
            if central:  # iso15118CertificateHashData absent: the CSMS computes the CertID itself
                payload["certificate"] = contract.chain_pem
            else:
                payload["iso15118CertificateHashData"] = [dict(entry, responderURL=responder.url)
                                                          for entry in contract.hash_data()]
            response = await csms.call("Authorize", payload)
            csms.check.that("the CSMS answers AuthorizeRequest with a CALLRESULT", response.ok, expected="CALLRESULT",
                            actual=response.describe(), requirements=("C07.FR.04", "OCPP-J Part 4 §4.2.2"))
            _queried_for(csms, case_id, responder, contract)
            if revoked:  # Part 6 TC_C_51_CSMS lists no validation: C07.FR.16 (its requirement) decides
                csms.check.fields(f"AuthorizeResponse for a revoked contract certificate (C07.FR.16, Part 6 {case_id})",
                                  response.payload, {"idTokenInfo.status": "Invalid",
                                                     "certificateStatus": "CertificateRevoked"},
                                  requirements=("C07.FR.16", f"Part 6 {case_id} step 4"))
                return
            csms.check.fields(f"AuthorizeResponse (Part 6 {case_id} step 4)", response.payload,
                              {"idTokenInfo.status": "Accepted", "certificateStatus": "Accepted"},
                              requirements=(f"Part 6 {case_id} step 4", "C07.FR.04", "C07.FR.14"))
            event = await states.transaction_event(csms, tx, "Updated", "Authorized", "EVConnected", idToken=token,
                                                   requirements=(f"Part 6 {case_id} step 6",))
            csms.check.fields(f"TransactionEventResponse (Part 6 {case_id} step 6)", event.payload,
                              {"idTokenInfo.status": "Accepted"}, requirements=(f"Part 6 {case_id} step 6",))
            tx.authorized = True
            await states.energy_transfer_started(csms, evse, connector, tx=tx)


@case
async def test_tc_c_50_csms(csms: CsmsUnderTest) -> None:
    """Contract authorization with iso15118CertificateHashData (errata 2025-09 §6.3.7: idToken the eMAID, type
    eMAID): the CSMS asks the harness OCSP responder about the contract certificate (steps 2-3, C07.FR.05) and answers
    idTokenInfo.status Accepted, certificateStatus Accepted (step 4); TransactionEventResponse Accepted (step 6),
    EnergyTransferStarted."""
    await _contract_authorized(csms, "TC_C_50_CSMS", central=False, revoked=False)


@case
async def test_tc_c_51_csms(csms: CsmsUnderTest) -> None:
    """A revoked contract certificate (the harness responder reports it revoked, Part 6 prerequisite): after its OCSP
    request (steps 2-3) the CSMS answers idTokenInfo.status Invalid, certificateStatus CertificateRevoked (C07.FR.16;
    Part 6 lists no tool validation for this case)."""
    await _contract_authorized(csms, "TC_C_51_CSMS", central=False, revoked=True)


@case
async def test_tc_c_52_csms(csms: CsmsUnderTest) -> None:
    """Central contract validation: the AuthorizeRequest carries the PEM chain (contract certificate and MO sub-CA,
    errata 2025-09 §6.3.9) in certificate and no hash data; the CSMS validates it, asks the responder of the
    certificate's Authority Information Access (steps 2-3, C07.FR.05) and answers Accepted / Accepted (step 4);
    TransactionEventResponse Accepted (step 6), EnergyTransferStarted."""
    await _contract_authorized(csms, "TC_C_52_CSMS", central=True, revoked=False)
