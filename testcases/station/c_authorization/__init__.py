"""Block C Authorization, the SUT is a Charging Station (the harness is its CSMS).

Authorization Cache (C10-C12, helper ccache): test_c10_c12_cache.py (TC_C_08..13_CS, TC_C_16/17_CS, TC_C_57_CS:
starting with a cached idToken, online and offline) and test_c10_c11_cache_store_clear.py (TC_C_32..38_CS, TC_C_46_CS:
storing, expiry, ClearCache); their shared steps are in _cache_steps.py, the offline period is block E's
(e_transactions/_steps_offline.py). Part 6's memory state IdTokenCached (errata 2025-09 §6.2.120) and the reusable
state Deauthorized (§6.2.118) live with the other states (conformance/harness/reusable_states/station.py). Part 6
prints some token names inconsistently (TC_C_11_CS validates <Configured valid_idtoken_idtoken> after presenting the
expired one; TC_C_12_CS caches "invalid IdToken fields" and validates the valid one): each case's docstring says how
it reads them.
"""
