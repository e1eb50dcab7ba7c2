"""``ocpp-conformance serve``: a reference SUT standalone, as a stand-in for a real one.

Besides OCPP it exposes the action contract of docs/actions.md over HTTP, so the harness's
``webhook`` action backend (or a vendor's adapter) drives it as it would drive a real SUT:

* ``POST <base>/actions/<action>`` (any base path: the one of ``actions.url``) with the params as a JSON object: the SUT performs the action;
  ``200`` with the result object, or an error status with ``{"reason": ...}`` (``404`` unknown
  path, ``400`` a body that is not a JSON object, ``422`` an action or params outside the
  vocabulary, ``409`` the SUT cannot do it, ``504`` not done within ``X-OCPP-Action-Timeout``).
* ``POST /actions/noop``: the pre-flight probe, answered ``200 {}``.

Standard library only (``asyncio.start_server`` and a minimal HTTP/1.1 reader: one request per
connection, ``Connection: close``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from http import HTTPStatus
from typing import Any
from urllib.parse import unquote, urlsplit

from ..actions.port import ActionFailed, validate
from ..config import Config

PROBE_ACTION = "noop"
HEADER_TIMEOUT = 10.0  # seconds to send the request head and body
DEFAULT_ACTION_TIMEOUT = 60.0  # when the request has no X-OCPP-Action-Timeout


class ActionEndpoint:
    """The HTTP action endpoint of a served reference SUT (``target.perform_action``)."""

    def __init__(self, target: Any, *, role: str, host: str = "127.0.0.1", port: int = 0) -> None:
        self.target = target
        self.role = role
        self.host = host
        self.port = port
        self._server: asyncio.Server | None = None

    async def start(self) -> "ActionEndpoint":
        self._server = await asyncio.start_server(self._handle, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                async with asyncio.timeout(2):
                    await self._server.wait_closed()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            try:
                async with asyncio.timeout(HEADER_TIMEOUT):
                    method, path, headers, body = await _read_request(reader)
            except (TimeoutError, ValueError, asyncio.IncompleteReadError, ConnectionError):
                return  # not an HTTP request we can answer: drop the connection
            status, reply = await self._dispatch(method, path, headers, body)
            data = json.dumps(reply).encode()
            writer.write(f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\nContent-Type: application/json\r\n"
                         f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n".encode() + data)
            with contextlib.suppress(ConnectionError):
                await writer.drain()
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _dispatch(self, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict]:
        route = urlsplit(path).path  # <any base path>/actions/<action>: the base is actions.url's path
        base, found, action = route.rpartition("/actions/")
        if method != "POST" or not found or not action or "/" in action:
            return 404, {"reason": f"{method} {route}: the action endpoint is POST <base>/actions/<action>"}
        action = unquote(action)
        if action == PROBE_ACTION:
            return 200, {}
        try:
            params = json.loads(body or b"{}")
        except ValueError:
            return 400, {"reason": "the body is not JSON"}
        if not isinstance(params, dict):
            return 400, {"reason": "the body is not a JSON object"}
        try:
            validate(action, params, role=self.role)
        except ValueError as exc:
            return 422, {"reason": str(exc)}
        try:
            timeout = float(headers.get("x-ocpp-action-timeout", DEFAULT_ACTION_TIMEOUT))
        except ValueError:
            timeout = DEFAULT_ACTION_TIMEOUT
        try:
            async with asyncio.timeout(timeout):
                result = await self.target.perform_action(action, params)
        except ActionFailed as exc:
            return 409, {"reason": exc.reason}
        except TimeoutError:
            return 504, {"reason": f"{action} not done within {timeout:g} s"}
        except Exception as exc:  # the stand-in's own bug: say it, keep serving
            return 500, {"reason": f"{type(exc).__name__}: {exc}"}
        return 200, result if isinstance(result, dict) else {}


async def _read_request(reader: asyncio.StreamReader) -> tuple[str, str, dict[str, str], bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/"):
        raise ValueError("not an HTTP request line")
    headers = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0") or 0)
    body = await reader.readexactly(length) if length > 0 else b""
    return parts[0].upper(), parts[1], headers, body


def station_from_config(cfg: Config, faults: Any) -> Any:
    """The reference Charging Station a station configuration describes, connecting to the
    harness-as-CSMS at ``connection.listen_host:listen_port`` (0.0.0.0: this machine)."""
    from .station import ReferenceStation

    conn = cfg.connection
    if conn.listen_port == 0:
        raise ValueError("connection.listen_port is 0 (any free port): `serve station` needs the fixed port the "
                         "harness listens on")
    host = "127.0.0.1" if conn.listen_host in ("0.0.0.0", "::", "") else conn.listen_host
    return ReferenceStation(csms_url=f"ws://{host}:{conn.listen_port}{conn.path}", identity=conn.identity,
                            password=conn.password, evses=[(e.id, e.connectors) for e in cfg.evses], faults=faults,
                            features=cfg.pics.supported(),
                            message_timeout=cfg.timing.scaled(cfg.timing.message_timeout),
                            connect_timeout=cfg.timing.scaled(cfg.timing.connect_timeout))


def csms_from_config(cfg: Config, faults: Any) -> Any:
    """The reference CSMS a CSMS configuration describes: listening at ``connection.csms_url``,
    knowing its stations (identities, passwords) and its id tokens with their statuses."""
    from .csms import ReferenceCsms, master_pass_group, token_groups, tokens_of

    conn = cfg.connection
    if not conn.csms_url:
        raise ValueError("connection.csms_url is not set: `serve csms` listens where the harness will connect")
    url = urlsplit(conn.csms_url)
    if url.scheme != "ws" or not url.hostname or not url.port:
        raise ValueError(f"connection.csms_url {conn.csms_url!r}: `serve csms` needs a ws://host:port/path URL")
    return ReferenceCsms(host=url.hostname, port=url.port, path=url.path.rstrip("/") or "/",
                         passwords={s.identity: s.password for s in conn.stations.all},
                         security_profile=conn.security_profile, faults=faults, tokens=tokens_of(cfg.id_tokens),
                         groups=token_groups(cfg.id_tokens), master_pass_group=master_pass_group(cfg.id_tokens),
                         features=cfg.pics.supported(), heartbeat_interval=cfg.timing.heartbeat_interval,
                         boot_retry_interval=cfg.timing.boot_retry_interval,
                         message_timeout=cfg.timing.scaled(cfg.timing.message_timeout))
