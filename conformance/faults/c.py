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
    Fault("auth_cache_lifetime_ignored", "station", ("C10.FR.08", "C10.FR.10"),
          "cache entries never expire: AuthCacheCtrlr.LifeTime is not applied to an entry without cacheExpiryDateTime",
          ("TC_C_46_CS",)),
]
