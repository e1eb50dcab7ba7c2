"""Block C Authorization, the SUT is a Charging Station (the harness is its CSMS).

How the block reads Part 6 (helper cauth: C01, C09, C16): the idTokens are the configured ones of ``[id_tokens]``
(valid, invalid, blocked, expired, master_pass, group; <Configured GroupId> / <Configured masterPassGroupId> are
their ``group_id_token``), a "different idToken" is one the harness invents for the run; the harness CSMS answers
AuthorizeRequest and TransactionEventRequest with the idTokenInfo each case names (``_steps.answering_tokens``), every
other token as by default. Part 6 tool validations that name <Configured valid_idtoken> for a step where another
token is presented (TC_C_39/42/45_CS step 6 / step 1) check the token the manual action presents. "The Charging
Station SHALL NOT send a TransactionEventRequest" notes are judged over the message timeout, periodic / clock-aligned
meter values without idToken excepted (J02.FR.11, J01: a station may send them at any time). The Master Pass UI
(C-07) is the action ``master_pass_select``.

Authorization Cache (C10-C12, helper ccache): test_c10_c12_cache.py (TC_C_08..13_CS, TC_C_16/17_CS, TC_C_57_CS:
starting with a cached idToken, online and offline) and test_c10_c11_cache_store_clear.py (TC_C_32..38_CS, TC_C_46_CS:
storing, expiry, ClearCache); their shared steps are in _cache_steps.py, the offline period is block E's
(e_transactions/_steps_offline.py). Part 6's memory state IdTokenCached (errata 2025-09 §6.2.120) and the reusable
state Deauthorized (§6.2.118) live with the other states (conformance/harness/reusable_states/station.py). Part 6
prints some token names inconsistently (TC_C_11_CS validates <Configured valid_idtoken_idtoken> after presenting the
expired one; TC_C_12_CS caches "invalid IdToken fields" and validates the valid one): each case's docstring says how
it reads them.

C07 (helper c15118, test_c07_contract_certificates.py): ISO 15118 Plug & Charge is the action ``plug_and_charge``
with a contract certificate chain from the harness's test PKI (conformance/harness/pki.py); "CertificateInstalled
for V2GRootCertificate / MORootCertificate" is an InstallCertificate of that PKI's roots, "the root must NOT be
installed" a PKI made for the case alone. iso15118CertificateHashData is recomputed from the certificates the harness
gave (issuerNameHash, issuerKeyHash, serialNumber with the entry's hashAlgorithm; responderURL is the station's).
"""
