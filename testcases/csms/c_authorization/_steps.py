"""Steps the block C cases share (csms side): private to this block."""

from __future__ import annotations

from typing import Any

from conformance.harness import CsmsUnderTest
from conformance.outcomes import Inconclusive
from conformance.transport.connection import Response


def configured_token(csms: CsmsUnderTest, role: str, *, group: bool = False) -> Any:
    """The ``[id_tokens.<role>]`` token (an IdTokenSpec) Part 6 names (<Configured blocked_idtoken_idtoken> ...); a
    case cannot judge the CSMS without it (INCONCLUSIVE). ``group``: its ``group_id_token`` is needed too
    (<Configured groupIdToken>, <Configured masterPassGroupId>)."""
    spec = getattr(csms.config.id_tokens, role, None)
    if spec is None:
        raise Inconclusive(f"[id_tokens.{role}] is not configured: the token this case presents to the CSMS")
    if group and not spec.group_id_token:
        raise Inconclusive(f"[id_tokens.{role}] has no group_id_token: the groupIdToken this case expects")
    return spec


async def authorize(csms: CsmsUnderTest, token: Any, expected: dict[str, Any], *,
                    requirements: tuple[str, ...]) -> Response:
    """The harness station sends AuthorizeRequest with ``token``; the CSMS must answer it (C01.FR.07) and its
    AuthorizeResponse must match ``expected`` (paths into the payload)."""
    response = await csms.call("Authorize", {"idToken": token.to_ocpp()})
    csms.check.that("the CSMS answers AuthorizeRequest with a CALLRESULT", response.ok, expected="CALLRESULT",
                    actual=response.describe(), requirements=("C01.FR.07", "OCPP-J Part 4 §4.2.2"))
    csms.check.fields("AuthorizeResponse", response.payload, expected, requirements=requirements)
    return response


def group_of(token: Any) -> dict[str, Any]:
    """The expected idTokenInfo.groupIdToken.idToken of ``token`` (its configured group)."""
    return {"idTokenInfo.groupIdToken.idToken": token.group_id_token}
