"""The table of variable names the OCA documents spell more than one way (conformance/protocol/variable_names.py)."""

from conformance.protocol.variable_names import VARIABLE_ALIASES, canonical, same_variable, sources_of, spellings


def test_both_spellings_name_the_same_variable() -> None:
    assert spellings("AuthCtrlr", "LocalAuthorizeOffline") == ("LocalAuthorizeOffline", "LocalAuthorizationOffline")
    assert spellings("AuthCtrlr", "LocalAuthorizationOffline")[0] == "LocalAuthorizationOffline"
    assert set(spellings("AuthCtrlr", "LocalPreAuthorize")) == {"LocalPreAuthorize", "LocalPreauthorize",
                                                                "LocalPreAuthorization"}
    assert same_variable("SampledDataCtrlr", "TxEndedInterval", "TxEndInterval")
    assert same_variable("AlignedDataCtrlr", "TxEndInterval", "TxEndedInterval")
    assert same_variable("AuthCtrlr", "AuthorizeRemoteStart", "AuthorizationRemoteStart")


def test_names_the_documents_agree_on_have_one_spelling() -> None:
    assert spellings("OCPPCommCtrlr", "OfflineThreshold") == ("OfflineThreshold",)
    assert not same_variable("TxCtrlr", "TxEndedInterval", "TxEndInterval")  # only the two data controllers
    assert canonical("OCPPCommCtrlr", "OfflineThreshold") == "OfflineThreshold"


def test_canonical_is_the_first_spelling_and_every_spelling_has_sources() -> None:
    assert canonical("AuthCtrlr", "localpreauthorization") == "LocalPreAuthorize"
    for entry in VARIABLE_ALIASES:
        for spelling in entry.spellings:
            assert spelling.sources and sources_of(entry.component, spelling.name) == spelling.sources
