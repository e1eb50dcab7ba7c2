"""The faults of the block C Authorization: the block of the first case each must FAIL."""

from __future__ import annotations

from .spec import Fault

FAULTS: list[Fault] = [
    # --- ccache: the Authorization Cache of the reference Charging Station (C10-C12) ---------------------------------
    Fault("local_pre_authorize_ignored", "station", ("C12.FR.02", "AuthCtrlr.LocalPreAuthorize"),
          "the station ignores AuthCtrlr.LocalPreAuthorize: online it asks the CSMS (AuthorizeRequest) also for a token "
          "cached as Accepted",
          ("TC_C_08_CS", "TC_C_13_CS", "TC_C_32_CS", "TC_C_33_CS")),
    Fault("auth_cache_non_accepted_final", "station", ("C10.FR.03", "C12.FR.05"),
          "online, a token cached with a status other than Accepted (Invalid, Blocked, Expired) is refused from the "
          "cache without asking the CSMS for its current status",
          ("TC_C_09_CS", "TC_C_10_CS", "TC_C_11_CS", "TC_C_12_CS")),
    Fault("auth_cache_post_authorize_ignored", "station", ("AuthCacheCtrlr.DisablePostAuthorize",),
          "with AuthCacheCtrlr.DisablePostAuthorize true the station still asks the CSMS about a token cached with a "
          "status other than Accepted",
          ("TC_C_57_CS",)),
    Fault("auth_cache_not_persistent", "station", ("C10.FR.02",),
          "the Authorization Cache lives in volatile memory only: a reboot empties it",
          ("TC_C_32_CS",)),
    Fault("auth_cache_not_updated", "station", ("C10.FR.04", "C10.FR.05", "C12.FR.06"),
          "a token already in the cache keeps the idTokenInfo it was first stored with: later answers of the CSMS "
          "(a TransactionEventResponse saying Invalid) do not update the entry",
          ("TC_C_34_CS",)),
    Fault("auth_cache_used_without_pre_authorize", "station", ("C10.FR.11", "AuthCtrlr.LocalPreAuthorize"),
          "online the station authorizes a token cached as Accepted from the cache also when LocalPreAuthorize is "
          "false, without an AuthorizeRequest",
          ("TC_C_36_CS",)),
    Fault("clear_cache_rejected", "station", ("C11.FR.01", "C11.FR.03"),
          "the station answers ClearCache Rejected although its Authorization Cache is enabled and could be cleared",
          ("TC_C_37_CS",)),
    Fault("clear_cache_while_disabled", "station", ("C11.FR.04",),
          "the station answers ClearCache Accepted while AuthCacheCtrlr.Enabled is false",
          ("TC_C_38_CS",)),
    Fault("offline_token_info_ignored", "station", ("E05.FR.01", "E05.FR.02", "E05.FR.09", "C12 error handling"),
          "the station takes the TransactionEventResponse to an event it queued while offline as a mere "
          "acknowledgement: an idTokenInfo Invalid for the token it authorized offline from its cache does not stop "
          "the energy transfer",
          ("TC_C_16_CS", "TC_C_17_CS")),
    Fault("auth_cache_lifetime_ignored", "station", ("C10.FR.08", "C10.FR.10"),
          "cache entries never expire: AuthCacheCtrlr.LifeTime is not applied to an entry without cacheExpiryDateTime",
          ("TC_C_46_CS",)),
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
