"""The faults of the block C Authorization: the block of the first case each must FAIL."""

from __future__ import annotations

from .spec import Fault

FAULTS: list[Fault] = [
    # dlist: the Local Authorization List in the authorization decision (C13 / C14) --------------------------------
    Fault("local_list_accepted_authorized_online", "station", ("C14.FR.02",),
          "an idToken listed Accepted in the Local Authorization List is still sent in an AuthorizeRequest while "
          "online (LocalPreAuthorize true) before charging starts",
          ("TC_C_27_CS",)),
    Fault("local_list_no_post_authorize", "station", ("C14.FR.03",),
          "an idToken listed with a status other than Accepted is refused locally while online, without the "
          "AuthorizeRequest that asks the CSMS for its current status (LocalAuthListCtrlr.DisablePostAuthorize "
          "false)",
          ("TC_C_28_CS", "TC_C_29_CS", "TC_C_30_CS", "TC_C_31_CS")),
    Fault("local_list_disable_post_authorize_ignored", "station", ("C14.FR.03",),
          "LocalAuthListCtrlr.DisablePostAuthorize true is ignored: an idToken listed Invalid is still sent in an "
          "AuthorizeRequest",
          ("TC_C_58_CS",)),
    # coffline: offline authorization through the Local Authorization List (C13) and unknown idTokens (C15) ---------
    Fault("offline_local_list_entry_ignored", "station", ("C13.FR.02",),
          "offline, the Local Authorization List is not consulted: an idToken listed Accepted is refused unless the "
          "Authorization Cache holds it",
          ("TC_C_21_CS",)),
    Fault("offline_local_list_status_ignored", "station", ("C13.FR.02",),
          "offline, any idToken in the Local Authorization List authorizes, whatever its status (Invalid, Blocked, "
          "Expired)",
          ("TC_C_22_CS", "TC_C_23_CS", "TC_C_24_CS")),
    Fault("offline_cache_before_local_list", "station", ("C13.FR.01", "C14.FR.01"),
          "offline, the Authorization Cache is asked before the Local Authorization List: a cached Accepted idToken "
          "listed Invalid authorizes",
          ("TC_C_25_CS",)),
    Fault("offline_unknown_id_refused", "station", ("C13.FR.04", "C15.FR.08", "C15.FR.02"),
          "AuthCtrlr.OfflineTxForUnknownIdEnabled true is ignored: offline, an idToken in neither the list nor the "
          "cache is refused",
          ("TC_C_26_CS",)),
    Fault("local_list_group_id_dropped", "station", ("C09.FR.03", "C09.FR.07"),
          "the Local Authorization List keeps its entries without their groupIdToken: another idToken of the same "
          "group, authorized from the list, does not stop the transaction",
          ("TC_C_40_CS",)),
    Fault("auth_cache_group_id_dropped", "station", ("C09.FR.03", "C09.FR.07"),
          "the Authorization Cache keeps its entries without their groupIdToken: another idToken of the same group, "
          "authorized from the cache, does not stop the transaction",
          ("TC_C_41_CS",)),
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
    # cmax: MaxEnergyOnInvalidId (reference/station/transactions.py) ---------------------------------------------------
    Fault("max_energy_on_invalid_id_ignored", "station", ("E05.FR.03", "Part 6 TC_C_15_CS step 3"),
          "the station does not implement E05.FR.03 although it reports MaxEnergyOnInvalidId: an idTokenInfo Invalid "
          "with StopTxOnInvalidId false suspends the energy at once (SuspendedEVSE)",
          ("TC_C_15_CS",)),
    Fault("max_energy_overrides_stop_tx_on_invalid_id", "station", ("E05.FR.09", "E05.FR.10",
                                                                    "Part 6 TC_C_18_CS step 5"),
          "the station applies MaxEnergyOnInvalidId also with StopTxOnInvalidId true: it keeps charging after an "
          "idTokenInfo Invalid instead of deauthorizing the transaction",
          ("TC_C_18_CS",)),
    Fault("cached_group_id_dropped", "station", ("C12.FR.09", "C16.FR.03", "Part 6 TC_C_14_CS step 2"),
          "an idTokenInfo the Authorization Cache decides loses its groupIdToken: a cached Master Pass idToken is "
          "taken for an ordinary Accepted idToken and does not stop the transaction",
          ("TC_C_14_CS",)),
    # cdcsms: reference CSMS, authorization (reference/csms_authorization.py) -----------------------------------------
    Fault("csms_invalid_token_blocked", "csms", ("C01.FR.07", "Part 6 TC_C_02_CSMS tool validation step 2",
                                                 "Part 6 TC_C_20_CSMS tool validation step 2"),
          "the CSMS has one 'not allowed' status: an invalid or unknown idToken is answered Blocked, not Invalid or "
          "Unknown",
          ("TC_C_02_CSMS", "TC_C_20_CSMS")),
    Fault("csms_token_status_ignored", "csms", ("C01.FR.07", "Part 6 TC_C_06_CSMS tool validation step 2",
                                               "Part 6 TC_C_07_CSMS tool validation step 2"),
          "the CSMS only checks that an idToken exists: a Blocked or Expired token it knows is answered Accepted",
          ("TC_C_06_CSMS", "TC_C_07_CSMS")),
    Fault("csms_transaction_token_needs_authorize", "csms", ("C12.FR.03", "Part 6 TC_C_08_CSMS tool validation step 2",
                                                             "Part 6 TC_C_40_CSMS tool validation step 2"),
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
    # --- cauth: C01 statuses, C09 GroupId, C16 Master Pass (reference Charging Station, authorization.py) --------
    Fault("transaction_started_before_authorization", "station", ("C01.FR.01", "E01.FR.03"),
          "the station does not wait for the CSMS's answer: it starts (or authorizes) the transaction as soon as the "
          "idToken is presented and only deauthorizes it when the AuthorizeResponse / TransactionEventResponse "
          "refuses the token",
          ("TC_C_02_CS", "TC_C_06_CS", "TC_C_07_CS", "TC_C_56_CS")),
    Fault("start_point_authorized_on_any_answer", "station", ("E01.FR.03", "C01.FR.01"),
          "with TxStartPoint Authorized the station takes any AuthorizeResponse for the authorization: it sends "
          "TransactionEventRequest Started (triggerReason Authorized) whatever idTokenInfo.status says, and ends it "
          "when the CSMS answers that event with the same refusal",
          ("TC_C_05_CS",), settings=("pics.answers.AQ-2=true",)),
    Fault("unknown_status_accepted", "station", ("C01.FR.01", "C01.FR.07"),
          "a port from OCPP 1.6: the station refuses only the rejection statuses 1.6 had (Blocked, Expired, Invalid, "
          "ConcurrentTx) and lets a driver charge with a status new in 2.0.1 (Unknown, NoCredit, NotAllowedTypeEVSE, "
          "NotAtThisLocation, NotAtThisTime)",
          ("TC_C_56_CS",)),
    Fault("different_token_stops_transaction", "station", ("C01.FR.03", "C09.FR.03"),
          "any idToken the CSMS accepts ends the authorization of the EVSE's running transaction, not only the one "
          "that started it or one with the same groupIdToken",
          ("TC_C_04_CS",)),
    Fault("master_pass_starts_transaction", "station", ("C16.FR.03", "C12.FR.09"),
          "the station does not compare the groupIdToken with AuthCtrlr.MasterPassGroupId: an Accepted Master Pass "
          "idToken authorizes charging like any other",
          ("TC_C_45_CS",)),
    Fault("master_pass_stops_own_evse", "station", ("C16.FR.01", "C16.FR.02"),
          "the Master Pass screen's \"all transactions\" ends only the transaction of the EVSE whose reader the "
          "Master Pass was presented at: the other transactions go on",
          ("TC_C_47_CS",)),
    Fault("master_pass_selection_ignored", "station", ("C16.FR.01",),
          "the Master Pass screen stops every transaction, whatever transaction the user selected",
          ("TC_C_48_CS",)),
    Fault("master_pass_stopped_reason_local", "station", ("C16.FR.02", "E06.FR.15"),
          "transactions stopped by the Master Pass end with stoppedReason Local (as if the driver had stopped them) "
          "instead of MasterPass",
          ("TC_C_49_CS",), without=("C-07",)),
    Fault("group_stop_refused", "station", ("C09.FR.03", "C01.FR.03"),
          "only the idToken that started a transaction can stop it: another valid idToken with the same "
          "groupIdToken is taken for a second driver and the transaction goes on",
          ("TC_C_39_CS", "TC_C_40_CS", "TC_C_41_CS")),  # TC_C_40/41_CS: coffline
    Fault("group_stop_ignores_status", "station", ("C09.FR.11",),
          "the station compares only the groupIdToken when another idToken is presented during a transaction: an "
          "idToken of the same group whose status is not Accepted stops the transaction too",
          ("TC_C_42_CS", "TC_C_43_CS", "TC_C_44_CS")),
    # --- c15118: C07 contract certificates (reference Charging Station, reference/station/iso15118.py) ---------
    Fault("contract_hash_over_subject", "station", ("C07.FR.02", "Part 6 TC_C_50_CS step 1"),
          "the station hashes the certificate's own subject instead of its issuer's name: the issuerNameHash of "
          "every iso15118CertificateHashData entry is computed over the wrong bytes",
          ("TC_C_50_CS", "TC_C_51_CS")),
    Fault("contract_rejection_ignored", "station", ("C07.FR.14", "C01.FR.01", "Part 6 TC_C_51_CS post scenario"),
          "the station takes a contract certificate it (or the CSMS) could validate as authorization: charging starts "
          "whatever idTokenInfo.status / certificateStatus the AuthorizeResponse carries",
          ("TC_C_51_CS", "TC_C_53_CS")),
    Fault("contract_sent_as_hash_data_only", "station", ("C07.FR.06", "Part 6 TC_C_52_CS step 1"),
          "without the root to validate the contract the station still sends only OCSP hash data: the PEM chain is "
          "never passed to the CSMS in certificate",
          ("TC_C_52_CS", "TC_C_53_CS")),
    Fault("contract_refused_offline", "station", ("C07.FR.08", "C07.FR.12", "Part 6 TC_C_54_CS step 7"),
          "the station treats Plug & Charge as online-only: while offline every contract is refused, whatever "
          "ContractValidationOffline says",
          ("TC_C_54_CS",)),
    Fault("contract_validation_offline_ignored", "station", ("C07.FR.07", "Part 6 TC_C_55_CS step 7"),
          "the station validates a contract offline and lets the EV charge even with ContractValidationOffline false",
          ("TC_C_55_CS",)),
    # --- c15118: C07 contract certificates (reference CSMS, reference/csms_contracts.py) ----------------------------
    Fault("csms_ocsp_not_queried", "csms", ("C07.FR.05", "Part 6 TC_C_50_CSMS step 2", "Part 6 TC_C_51_CSMS step 2"),
          "the CSMS checks the contract certificate chain (or takes the hash data) but never asks the OCSP responder: a "
          "revoked contract is accepted",
          ("TC_C_50_CSMS", "TC_C_51_CSMS", "TC_C_52_CSMS")),
    Fault("csms_ocsp_cert_id_over_leaf", "csms", ("C07.FR.05", "Part 6 TC_C_52_CSMS step 3"),
          "the CSMS builds the OCSP CertID of a contract certificate it received from the certificate's own name and "
          "key instead of its issuer's: the responder cannot identify it and the CSMS refuses the contract",
          ("TC_C_52_CSMS",)),
    Fault("csms_certificate_status_missing", "csms", ("C07.FR.14", "C07.FR.16", "Part 6 TC_C_50_CSMS step 4"),
          "the CSMS answers a contract AuthorizeRequest like any other: idTokenInfo only, no certificateStatus",
          ("TC_C_50_CSMS", "TC_C_51_CSMS", "TC_C_52_CSMS")),
]
