"""The harness as CSMS: a WebSocket server Charging Stations connect to (Part 4 §3).

* Stations connect to ``ws://host:port<path>/<identity>``; the identity is percent-decoded.
* Subprotocol ``ocpp2.0.1`` is negotiated. A client that does not offer it gets what Part 4
  §3.2 prescribes: the handshake completes without a Sec-WebSocket-Protocol header and the
  connection is closed at once (not a bare HTTP 400).
* HTTP Basic auth is checked for security profile 1 (username = identity).
* Several stations at once; each accepted connection becomes a :class:`Connection`.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import ssl
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Callable
from urllib.parse import unquote

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.http11 import Request, Response

from ..protocol.errors import PeerTimeout
from ..protocol.transactions import TransactionRecords
from ..recording import Event, EventLog
from .connection import Connection, Handler

SUBPROTOCOL = "ocpp2.0.1"


@dataclass(frozen=True)
class Handshake:
    """What a station presented when it opened the WebSocket."""

    identity: str
    path: str
    offered_subprotocols: tuple[str, ...]
    auth_username: str | None
    auth_ok: bool | None  # None: no auth required
    remote: str
    mono: float


def parse_basic_auth(header: str | None) -> tuple[str, str] | None:
    if not header or not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, sep, password = decoded.partition(":")
    return (username, password) if sep else None


class CsmsServer:
    """Accepts Charging Stations; hands each connection to tests by identity."""

    def __init__(self, *, host: str, port: int, path: str, log: EventLog | None, message_timeout: float,
                 passwords: dict[str, str | None] | None = None, security_profile: int = 1,
                 handled_actions: frozenset[str] | None = None,
                 default_handler_for: Callable[[str], Handler] | None = None, local_role: str = "CSMS",
                 ssl_context: ssl.SSLContext | None = None, max_frame_size: int = 2**22,
                 judge_transactions: bool = False) -> None:
        self.max_frame_size = max_frame_size  # connection.max_frame_size: a bigger message is closed with 1009
        self.ssl_context = ssl_context  # TLS (security profile 2 or 3), see transport/tls.py; None: plain ws://
        self.host, self.port, self.path = host, port, "/" + path.strip("/") if path.strip("/") else ""
        self.log = log
        self.message_timeout = message_timeout
        self.passwords = passwords or {}
        self.security_profile = security_profile
        self.handled_actions = handled_actions
        self.default_handler_for = default_handler_for
        self.local_role = local_role
        self.connections: dict[str, Connection] = {}
        self.handshakes: list[Handshake] = []
        self.history: list[Connection] = []
        self._changed = asyncio.Condition()
        self._server: Server | None = None
        self.on_connect: Callable[[Connection], None] | None = None
        # Identities whose connection attempts are refused (HTTP 503): a CSMS that does not accept a reconnect
        # (Part 6 TC_B_57_CS). Every handshake sets ``handshake_seen`` so a test can await attempts.
        self.refusing: set[str] = set()
        # Fault hook for the reference CSMS: select the first offered subprotocol, supported or not.
        self.echo_first_subprotocol = False
        self.handshake_seen = asyncio.Event()
        # The transaction invariants (protocol/transactions.py) over the stations' TransactionEvents of the whole run:
        # the harness as CSMS of a Charging Station SUT judges them, from the log, as `validate` does.
        self.judge_transactions = judge_transactions
        self._unwatch: Callable[[], None] | None = None

    @property
    def url(self) -> str:
        return f"{'wss' if self.ssl_context is not None else 'ws'}://{self.host}:{self.port}{self.path}"

    def _emit(self, kind: str, **data: Any) -> None:
        if self.log is not None:
            self.log.emit(kind, **data)

    async def start(self) -> "CsmsServer":
        self._server = await serve(self._handle, self.host, self.port, process_request=self._process_request,
                                   select_subprotocol=self._select_subprotocol, ping_interval=None,
                                   compression="deflate", max_size=self.max_frame_size,
                                   ssl=self.ssl_context)
        sock = next(iter(self._server.sockets))
        self.port = sock.getsockname()[1]
        self._emit("note", level="info", message=f"harness CSMS listening on {self.url}/<identity>")
        if self.judge_transactions and self.log is not None and self._unwatch is None:
            self._unwatch = self.log.subscribe(self._transaction_listener(self.log))
        return self

    @staticmethod
    def _transaction_listener(log: EventLog) -> Callable[[Event], None]:
        """Each breach of a transaction invariant becomes a failed generic check of the case during which the
        offending TransactionEvent arrived (or, between cases, of the case that ended last), as the transport's own
        findings do (EventLog.finding)."""
        records = TransactionRecords()
        lock = threading.Lock()

        def listener(event: Event) -> None:
            if event.kind not in ("frame", "connection", "session_start"):
                return
            with lock:
                findings = records.observe(event.to_json())
            for finding in findings:
                log.finding(connection=event.data.get("connection"), local_role="CSMS", **finding.as_event())

        return listener

    async def stop(self) -> None:
        for conn in list(self.connections.values()):
            await conn.close(1001, "harness shutting down")
        if self._unwatch is not None:
            self._unwatch()
            self._unwatch = None
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                async with asyncio.timeout(5):
                    await self._server.wait_closed()

    # ------------------------------------------------------------------ handshake
    def _identity_from(self, path: str) -> str | None:
        raw = path.split("?", 1)[0]
        prefix = self.path + "/"
        if not raw.startswith(prefix):
            return None
        identity = unquote(raw[len(prefix):])
        return identity if identity and "/" not in identity else None

    def _process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        identity = self._identity_from(request.path)
        offered = tuple(p.strip() for h in request.headers.get_all("Sec-WebSocket-Protocol") for p in h.split(","))
        credentials = parse_basic_auth(request.headers.get("Authorization"))
        remote = Connection._peer(connection)
        auth_ok: bool | None = None
        if self.security_profile in (1, 2) and identity is not None:
            expected = self.passwords.get(identity)
            auth_ok = credentials is not None and credentials[0] == identity and (
                expected is None or credentials[1] == expected)
        self.handshakes.append(Handshake(identity or "", request.path, offered,
                                         credentials[0] if credentials else None, auth_ok, remote, time.monotonic()))
        self._emit("connection", event="handshake", connection=identity, path=request.path,
                   offered_subprotocols=list(offered), auth_username=credentials[0] if credentials else None,
                   auth_ok=auth_ok, remote=remote)
        self.handshake_seen.set()
        if identity is not None and identity in self.refusing:
            self._emit("connection", event="refused", connection=identity, reason="the harness does not accept it")
            return connection.respond(HTTPStatus.SERVICE_UNAVAILABLE, "connection not accepted now\n")
        if identity is None:
            return connection.respond(HTTPStatus.NOT_FOUND, f"no station identity in path {request.path}\n")
        if auth_ok is False:
            response = connection.respond(HTTPStatus.UNAUTHORIZED, "invalid Basic authentication\n")
            response.headers["WWW-Authenticate"] = 'Basic realm="OCPP"'
            return response
        return None

    def _select_subprotocol(self, connection: ServerConnection, offered: Any) -> str | None:
        if self.echo_first_subprotocol and offered:  # a fault of the reference CSMS (conformance/faults/)
            return str(offered[0])
        return SUBPROTOCOL if SUBPROTOCOL in offered else None

    async def _handle(self, ws: ServerConnection) -> None:
        identity = self._identity_from(ws.request.path) or "?"
        if ws.subprotocol != SUBPROTOCOL:
            # Part 4 §3.2: complete the handshake without the header, then close immediately.
            self._emit("connection", event="rejected", connection=identity,
                       reason="station did not offer subprotocol ocpp2.0.1")
            await ws.close(1002, "subprotocol ocpp2.0.1 required")
            return
        handler = self.default_handler_for(identity) if self.default_handler_for else None
        conn = Connection(ws, identity=identity, local_role=self.local_role, log=self.log,
                          message_timeout=self.message_timeout, handled_actions=self.handled_actions,
                          default_handler=handler)
        previous = self.connections.get(identity)
        self.connections[identity] = conn
        self.history.append(conn)
        self._emit("connection", event="opened", connection=identity, remote=conn.remote_address,
                   peer_timeout=conn.judge.peer_timeout)
        conn.start()
        if self.on_connect is not None:
            self.on_connect(conn)
        async with self._changed:
            self._changed.notify_all()
        if previous is not None and previous.is_open:
            await previous.close(1000, "replaced by a new connection")
        await conn.run_until_closed()
        async with self._changed:
            self._changed.notify_all()

    # ------------------------------------------------------------------ for tests
    def connection_count(self, identity: str) -> int:
        return sum(1 for c in self.history if c.identity == identity)

    async def wait_for_connection(self, identity: str, *, timeout: float, after: int = 0) -> Connection:
        """Wait until ``identity`` has an open connection that is newer than its ``after``-th one."""
        deadline = time.monotonic() + timeout
        async with self._changed:
            while True:
                mine = [c for c in self.history if c.identity == identity]
                if len(mine) > after and mine[-1].is_open:
                    return mine[-1]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    rejected = [h for h in self.handshakes if h.identity == identity and h.auth_ok is False]
                    detail = f"; {len(rejected)} attempt(s) refused for bad Basic auth" if rejected else ""
                    others = sorted({h.identity or h.path for h in self.handshakes if h.identity != identity})
                    if others:
                        detail += ("; " + ", ".join(f"a station connected as {o!r}" for o in others)
                                   + f", the configuration expects {identity!r} (connection.identity)")
                    raise PeerTimeout(f"the station {identity!r} connects to {self.url}/{identity} within {timeout:g}s",
                                      expected="a WebSocket connection", actual=f"no connection{detail}")
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(remaining):
                        await self._changed.wait()

    async def wait_for_disconnect(self, conn: Connection, *, timeout: float) -> None:
        if not await conn.wait_closed(timeout):
            raise PeerTimeout(f"the station {conn.identity!r} closes its connection within {timeout:g}s",
                              expected="connection closed", actual="still open")


__all__ = ["CsmsServer", "Handshake", "SUBPROTOCOL", "parse_basic_auth"]
