"""The faults of the block C Authorization: the block of the first case each must FAIL."""

from __future__ import annotations

from .spec import Fault

FAULTS: list[Fault] = [
    # cdcsms: reference CSMS, authorization (reference/csms_authorization.py) -----------------------------------------
    Fault("csms_invalid_token_blocked", "csms", ("C01.FR.07", "Part 6 TC_C_02_CSMS tool validation step 2"),
          "the CSMS has one 'not allowed' status: an invalid or unknown idToken is answered Blocked, not Invalid or "
          "Unknown",
          ("TC_C_02_CSMS", "TC_C_20_CSMS")),
    Fault("csms_token_status_ignored", "csms", ("C01.FR.07", "Part 6 TC_C_06_CSMS tool validation step 2",
                                               "Part 6 TC_C_07_CSMS tool validation step 2"),
          "the CSMS only checks that an idToken exists: a Blocked or Expired token it knows is answered Accepted",
          ("TC_C_06_CSMS", "TC_C_07_CSMS")),
    Fault("csms_transaction_token_needs_authorize", "csms", ("C12.FR.03", "Part 6 TC_C_08_CSMS tool validation step 2"),
          "the CSMS accepts the idToken of a TransactionEventRequest only after an AuthorizeRequest for it: a token "
          "the station authorized from its Authorization Cache or Local Authorization List is answered Invalid",
          ("TC_C_08_CSMS", "TC_C_40_CSMS")),
    Fault("csms_group_id_token_on_transaction_only", "csms", ("C01.FR.06", "C09.FR.02"),
          "the CSMS sends the groupIdToken in TransactionEventResponses only: an AuthorizeResponse never carries it",
          ("TC_C_39_CSMS", "TC_C_43_CSMS", "TC_C_47_CSMS", "TC_C_48_CSMS", "TC_C_49_CSMS")),
    Fault("csms_group_id_token_on_authorize_only", "csms", ("C09.FR.12", "Part 6 TC_C_40_CSMS tool validation step 2"),
          "the CSMS sends the groupIdToken in AuthorizeResponses only: a TransactionEventResponse's idTokenInfo never "
          "carries it",
          ("TC_C_39_CSMS", "TC_C_40_CSMS", "TC_C_43_CSMS", "TC_C_48_CSMS")),
    Fault("csms_master_pass_rejected", "csms", ("C16.FR.01", "C16.FR.02", "Part 6 TC_C_48_CSMS tool validation step 2"),
          "the CSMS enforces 'a master pass never starts a transaction' itself: a token of the MasterPassGroupId group "
          "is answered Blocked, so no station can recognise it to stop transactions",
          ("TC_C_47_CSMS", "TC_C_48_CSMS", "TC_C_49_CSMS")),
    Fault("csms_clear_cache_not_sent", "csms", ("C11", "Part 6 TC_C_37_CSMS step 1"),
          "the CSMS marks the station's Authorization Cache cleared in its own records but never sends the "
          "ClearCacheRequest",
          ("TC_C_37_CSMS", "TC_C_38_CSMS")),
]
