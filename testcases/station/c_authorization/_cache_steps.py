"""Steps the Authorization Cache cases share (station side, helper ccache): private to this block."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from typing import Any, AsyncIterator

from conformance.harness import ChargingStationUnderTest
from conformance.harness.reusable_states import station as states
from conformance.outcomes import Inconclusive, NotApplicable
from conformance.protocol.errors import PeerTimeout
from conformance.protocol.variables import (AUTH_CACHE_AVAILABLE, AUTH_CACHE_DISABLE_POST_AUTHORIZE,
                                            AUTH_CACHE_ENABLED, LOCAL_PRE_AUTHORIZE)
from conformance.transport.connection import Connection, IncomingCall

# Where Part 2 says what LocalPreAuthorize true means for a token cached as Accepted.
PRE_AUTHORIZED = ("C12.FR.02", "AuthCtrlr.LocalPreAuthorize (Part 2 §2.3.6: without waiting for or requesting an "
                                "AuthorizeResponse)")
# Where Part 2 says a token cached with another status is checked with the CSMS while online.
POST_AUTHORIZE = ("C10.FR.03", "C12.FR.05")


def configured_connector(station: ChargingStationUnderTest) -> tuple[int, int]:
    """<Configured evseId> and <Configured connectorId>: the first configured connector."""
    return station.connectors[0]


def configured_token(station: ChargingStationUnderTest, name: str) -> Any:
    """``[id_tokens.<name>]``; a case that needs one the configuration lacks is INCONCLUSIVE."""
    spec = getattr(station.config.id_tokens, name)
    if spec is None:
        raise Inconclusive(f"<Configured {name}_idtoken_idtoken> is missing: configure [id_tokens.{name}]")
    return spec


async def cache_available(station: ChargingStationUnderTest) -> None:
    """Part 6 prerequisite "AuthCacheCtrlr.Available is implemented with value true" (errata 2025-09 §6.2.22-27):
    NOT APPLICABLE when the station reports it false; noted when it cannot be read (Part 5 C-49 declared the cache)."""
    value = await station.read_variable(AUTH_CACHE_AVAILABLE, note_unreadable=True)
    if value is not None and value.strip().lower() != "true":
        raise NotApplicable(f"Part 6 prerequisite not met: AuthCacheCtrlr.Available is {value!r}, not true")


async def ensure(stack: contextlib.AsyncExitStack, station: ChargingStationUnderTest, variable: dict[str, Any],
                 value: str, *, required: str | None = None) -> str | None:
    """Part 6 "<variable> is <value> (If implemented)": set for the case and restored afterwards when the station
    has it with another value (a refusal is INCONCLUSIVE: the configuration state is not reached); nothing (noted)
    when it is not implemented, or NOT APPLICABLE with ``required`` (the case's prerequisite) then. Returns the value
    in effect, None when not implemented."""
    name = f"{variable['component']['name']}.{variable['variable']['name']}"
    current = await station.read_variable(variable)
    if current is None:
        if required is not None:
            raise NotApplicable(f"Part 6 prerequisite not met: {required} ({name} could not be read)")
        station.note(f"{name} is not implemented: the configuration state '{name} is {value}' is skipped")
        return None
    if current.strip().lower() != value.lower():
        await stack.enter_async_context(station.configured(variable, value))
    return value


@dataclass
class CacheSettings:
    """The AuthCacheCtrlr / AuthCtrlr values in effect for the case (None: not implemented)."""

    enabled: str | None
    local_pre_authorize: str | None
    disable_post_authorize: str | None

    @property
    def pre_authorizes(self) -> bool:
        """LocalPreAuthorize is true: a token cached as Accepted is used without asking the CSMS."""
        return (self.local_pre_authorize or "").lower() == "true"


@contextlib.asynccontextmanager
async def cache_configuration(station: ChargingStationUnderTest, *, enabled: str = "true",
                              local_pre_authorize: str | None = "true", disable_post_authorize: str | None = None,
                              post_authorize_required: str | None = None) -> AsyncIterator[CacheSettings]:
    """The configuration state of the cache cases: AuthCacheCtrlr.Enabled ``enabled`` (if implemented),
    AuthCtrlr.LocalPreAuthorize ``local_pre_authorize`` (if implemented; None: left alone), and, when given,
    AuthCacheCtrlr.DisablePostAuthorize (if implemented, or NOT APPLICABLE with ``post_authorize_required``); all
    restored afterwards."""
    async with contextlib.AsyncExitStack() as stack:
        in_effect = CacheSettings(await ensure(stack, station, AUTH_CACHE_ENABLED, enabled), None, None)
        if local_pre_authorize is not None:
            in_effect.local_pre_authorize = await ensure(stack, station, LOCAL_PRE_AUTHORIZE, local_pre_authorize)
        if disable_post_authorize is not None:
            in_effect.disable_post_authorize = await ensure(stack, station, AUTH_CACHE_DISABLE_POST_AUTHORIZE,
                                                            disable_post_authorize,
                                                            required=post_authorize_required)
        yield in_effect


async def present(station: ChargingStationUnderTest, token: Any, evse: int) -> tuple[Connection, int]:
    """Manual action: present ``token`` at ``evse``; returns the connection and its mark at the instruction."""
    conn = station.connection
    mark = conn.mark()
    await station.actions.do("present_id_token", id_token=token.id_token, type=token.type, evse=evse)
    return conn, mark


async def expect_authorize(station: ChargingStationUnderTest, conn: Connection, mark: int, token: Any, *, step: str,
                           requirements: tuple[str, ...]) -> IncomingCall | None:
    """The AuthorizeRequest a step requires after ``token`` was presented (from ``mark``): its idToken is the
    presented one. None (the check failed softly, every other check still runs) when none arrives in time."""
    try:
        request = await conn.expect_call("Authorize", since=mark, idToken={"idToken": token.id_token})
    except PeerTimeout as exc:
        station.check.that(f"the station sends an AuthorizeRequest ({step})", False,
                           expected=f"AuthorizeRequest for {token.id_token} within the message timeout",
                           actual=exc.actual if getattr(exc, "actual", None) else conn.summary_since(mark),
                           requirements=requirements, soft=True)
        return None
    station.check.fields(f"AuthorizeRequest ({step})", request.payload,
                         {"idToken.idToken": token.id_token, "idToken.type": token.type}, requirements=requirements)
    return request


def authorize_found(station: ChargingStationUnderTest, conn: Connection, mark: int, token: Any, *, step: str,
                    requirements: tuple[str, ...]) -> None:
    """An AuthorizeRequest for ``token`` was sent after ``mark`` (a reusable state took it; this says it is
    required here)."""
    asked = states.authorize_requests(conn, mark, token.id_token)
    station.check.that(f"the station sends an AuthorizeRequest ({step})", bool(asked),
                       expected=f"an AuthorizeRequest for {token.id_token}", actual=conn.summary_since(mark),
                       requirements=requirements, soft=True)


def no_authorize(station: ChargingStationUnderTest, settings: CacheSettings, conn: Connection, mark: int,
                 token: Any, *, step: str, requirements: tuple[str, ...] = PRE_AUTHORIZED) -> None:
    """With LocalPreAuthorize true, a token cached as Accepted is authorized from the cache: no AuthorizeRequest for
    it after ``mark`` (C12.FR.02, LocalPreAuthorize). Noted, not judged, when LocalPreAuthorize is not implemented."""
    if not settings.pre_authorizes:
        station.note(f"LocalPreAuthorize is not implemented: whether the cached token is used without an "
                     f"AuthorizeRequest ({step}) is not judged")
        return
    asked = states.authorize_requests(conn, mark, token.id_token)
    station.check.that(f"the station authorizes the token cached as Accepted without an AuthorizeRequest ({step})",
                       not asked, expected="no AuthorizeRequest (LocalPreAuthorize true, token cached as Accepted)",
                       actual=[a.payload for a in asked], requirements=requirements, soft=True)


async def wait_out(station: ChargingStationUnderTest, seconds: float, reason: str) -> None:
    """A station timer no message marks (AuthCacheCtrlr.LifeTime): recorded as a protocol wait; a lost connection
    ends it early."""
    station.protocol_wait(seconds, reason)
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(station.ctx.scaled(seconds)):
            await station.connection.closed.wait()
