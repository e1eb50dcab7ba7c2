"""Block C Authorization, the SUT is a CSMS (the harness plays the Charging Station).

The harness station presents the tokens of ``[id_tokens]`` (valid, group = Part 6 valid_idtoken2, invalid, blocked,
expired, master_pass) in AuthorizeRequests and TransactionEventRequests and judges the idTokenInfo the CSMS answers:
the status Part 6 names (its alternatives accepted: "Invalid or Unknown", "Blocked or Invalid", ...) and the
groupIdToken of a token that has one (C01.FR.06, C09.FR.12). Requests the CSMS sends on the operator's instruction
(``csms_send``: ClearCache) are answered as Part 6 says. A token role the configuration lacks makes the case
INCONCLUSIVE (the CSMS cannot be judged without it). Split by use case like the station side: C01 local start,
C09 group id, C10/C12 cache, C11 clear cache, C16 master pass.
"""
