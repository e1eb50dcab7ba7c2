"""Block C Authorization, the SUT is a CSMS: C01 local start, the CSMS's authorization status of a token that may
not charge (Invalid / Unknown, Blocked, Expired)."""

from __future__ import annotations

from conformance.harness import CsmsUnderTest, OneOf, case
from conformance.harness.reusable_states import csms as states

from ._steps import authorize, configured_token


@case
async def test_tc_c_02_csms(csms: CsmsUnderTest) -> None:
    """An invalid idToken is not authorized.

    Part 6 steps / validations implemented:
    - steps 1-2: AuthorizeRequest with <Configured invalid_idtoken> (``[id_tokens.invalid]``); AuthorizeResponse
      idTokenInfo.status Invalid or Unknown (C01.FR.07)."""
    token = configured_token(csms, "invalid")
    await states.booted(csms, precondition=True)
    await authorize(csms, token, {"idTokenInfo.status": OneOf("Invalid", "Unknown")},
                    requirements=("Part 6 TC_C_02_CSMS tool validation step 2", "C01.FR.07"))


@case
async def test_tc_c_06_csms(csms: CsmsUnderTest) -> None:
    """A blocked idToken is not authorized.

    Part 6 steps / validations implemented:
    - Before: the token configured Blocked (``[id_tokens.blocked]``) is Blocked at the CSMS (its configuration);
    - steps 1-2: AuthorizeRequest with it; AuthorizeResponse idTokenInfo.status Blocked or Invalid (C01.FR.07)."""
    token = configured_token(csms, "blocked")
    await states.booted(csms, precondition=True)
    await authorize(csms, token, {"idTokenInfo.status": OneOf("Blocked", "Invalid")},
                    requirements=("Part 6 TC_C_06_CSMS tool validation step 2", "C01.FR.07"))


@case
async def test_tc_c_07_csms(csms: CsmsUnderTest) -> None:
    """An expired idToken is not authorized.

    Part 6 steps / validations implemented:
    - Before: the token configured Expired (``[id_tokens.expired]``) is Expired at the CSMS (its configuration);
    - steps 1-2: AuthorizeRequest with it; AuthorizeResponse idTokenInfo.status Expired or Invalid (C01.FR.07)."""
    token = configured_token(csms, "expired")
    await states.booted(csms, precondition=True)
    await authorize(csms, token, {"idTokenInfo.status": OneOf("Expired", "Invalid")},
                    requirements=("Part 6 TC_C_07_CSMS tool validation step 2", "C01.FR.07"))
