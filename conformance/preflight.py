"""Pre-flight: before any case runs, check that the run can work at all.

* SUT = Charging Station: the harness can listen on ``connection.listen_host:listen_port``
  (nothing else listens there, the address is one of this machine's).
* SUT = CSMS: ``connection.csms_url`` answers a WebSocket handshake (any HTTP answer counts:
  ``101``, or ``401`` when the CSMS wants credentials the probe does not send); connection
  refused, a name that does not resolve, no answer in time and a non-HTTP answer are said plainly.
* The action backend answers a no-op probe: the webhook answers ``POST <url>/actions/noop``
  (docs/actions.md, "The pre-flight probe"), the shell command is an executable program, the
  prompt backend has a terminal (or runs in CI, where its actions end INCONCLUSIVE at once).

A failure is one :class:`PreflightFailed` with one clear message; the caller exits 2 and
nothing is judged. The built-in reference setups pass trivially (an ephemeral port, the
in-process ``reference`` backend).
"""

from __future__ import annotations

import base64
import errno
import os
import shlex
import shutil
import socket
import ssl
from urllib.parse import urlsplit

from .config import Config

__all__ = ["PreflightFailed", "check_listen", "check_csms_url", "check_actions", "preflight"]

#: The no-op action the webhook pre-flight probe POSTs (docs/actions.md).
PROBE_ACTION = "noop"


class PreflightFailed(Exception):
    """The run cannot work: one message saying what and what to check."""


def check_listen(host: str, port: int) -> None:
    """The harness can listen on ``host:port`` (port 0: any free port, always fine)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise PreflightFailed(f"connection.listen_host {host!r} does not resolve: {exc.strerror}") from None
    family, _, _, _, address = infos[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the harness's server does
        sock.bind(address)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise PreflightFailed(
                f"cannot listen on {host}:{port}: port {port} is in use, something else listens there "
                f"(another harness run, an `ocpp-conformance serve csms`, a CSMS?); stop it or choose another "
                f"connection.listen_port (and configure the station to connect there)") from None
        if exc.errno == errno.EADDRNOTAVAIL:
            raise PreflightFailed(
                f"cannot listen on {host}:{port}: {host} is not an address of this machine "
                f"(connection.listen_host; 0.0.0.0 listens on every interface)") from None
        if exc.errno == errno.EACCES:
            raise PreflightFailed(
                f"cannot listen on {host}:{port}: permission denied (ports below 1024 need privileges; "
                f"choose another connection.listen_port)") from None
        raise PreflightFailed(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    finally:
        sock.close()


def _handshake_request(host: str, port: int, path: str) -> bytes:
    key = base64.b64encode(os.urandom(16)).decode()
    return (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ocpp2.0.1\r\n"
            f"User-Agent: ocpp-conformance-preflight\r\n\r\n").encode()


_CLOSE_FRAME = bytes([0x88, 0x82]) + b"\x00\x00\x00\x00" + (1000).to_bytes(2, "big")  # masked, key 0: code 1000


def check_csms_url(url: str, identity: str, timeout: float) -> str:
    """``url`` (+ ``/identity``) answers a WebSocket handshake; returns its HTTP status line.

    The probe sends no credentials: a CSMS asking for them answers 401, which is an answer. When
    it accepts (101), the probe closes the WebSocket at once with code 1000."""
    parts = urlsplit(url)
    if parts.scheme not in ("ws", "wss") or not parts.hostname:
        raise PreflightFailed(f"connection.csms_url {url!r} is not a ws:// or wss:// URL")
    host = parts.hostname
    port = parts.port or (443 if parts.scheme == "wss" else 80)
    path = (parts.path.rstrip("/") or "") + "/" + identity
    where = f"{host}:{port}"
    try:
        raw = socket.create_connection((host, port), timeout=timeout)
    except socket.gaierror as exc:
        raise PreflightFailed(f"cannot reach the CSMS at {url}: the host name {host!r} does not resolve (DNS: "
                              f"{exc.strerror}); check connection.csms_url") from None
    except ConnectionRefusedError:
        raise PreflightFailed(f"cannot reach the CSMS at {url}: connection refused, nothing listens on {where}; "
                              f"is the CSMS running, is connection.csms_url right?") from None
    except (TimeoutError, socket.timeout):
        raise PreflightFailed(f"cannot reach the CSMS at {url}: no answer from {where} within {timeout:g} s "
                              f"(timing.connect_timeout); a wrong address, or a firewall?") from None
    except OSError as exc:
        raise PreflightFailed(f"cannot reach the CSMS at {url}: {exc.strerror or exc}") from None
    sock: socket.socket = raw
    try:
        sock.settimeout(timeout)
        if parts.scheme == "wss":
            try:
                sock = ssl.create_default_context().wrap_socket(raw, server_hostname=host)
            except ssl.SSLCertVerificationError as exc:
                raise PreflightFailed(f"the TLS handshake with the CSMS at {where} failed: its certificate is not "
                                      f"trusted ({exc.verify_message})") from None
            except ssl.SSLError as exc:
                raise PreflightFailed(f"the TLS handshake with the CSMS at {where} failed: {exc.reason or exc}") from None
        sock.sendall(_handshake_request(host, port, path))
        reply = b""
        while b"\r\n" not in reply and len(reply) < 4096:
            chunk = sock.recv(4096)
            if not chunk:
                break
            reply += chunk
    except PreflightFailed:
        raise
    except (TimeoutError, socket.timeout):
        raise PreflightFailed(f"the CSMS at {url} accepted the TCP connection but did not answer the WebSocket "
                              f"handshake within {timeout:g} s (timing.connect_timeout)") from None
    except OSError as exc:
        raise PreflightFailed(f"the CSMS at {url} dropped the WebSocket handshake: {exc.strerror or exc}") from None
    else:
        status = reply.split(b"\r\n", 1)[0].decode("latin-1", errors="replace")
        if not status.startswith("HTTP/"):
            raise PreflightFailed(f"{where} answered, but not with HTTP ({status[:60]!r}): is connection.csms_url "
                                  f"the CSMS's OCPP-J (WebSocket) endpoint?" if status else
                                  f"{where} closed the connection without answering the WebSocket handshake: is "
                                  f"connection.csms_url the CSMS's OCPP-J endpoint?")
        if status.split(" ")[1:2] == ["101"]:
            try:
                sock.sendall(_CLOSE_FRAME)
            except OSError:
                pass
        return status
    finally:
        sock.close()


def check_actions(cfg: Config, timeout: float) -> None:
    """The action backend answers a no-op probe (see the module docstring)."""
    backend = cfg.actions.backend
    if backend == "webhook":
        from .actions.webhook import WebhookBackend

        hook = WebhookBackend(cfg.actions.url or "", headers=dict(cfg.actions.headers))
        url = hook.url_for(PROBE_ACTION)
        try:
            status, _ = hook._post(url, b"{}", timeout)
        except (TimeoutError, socket.timeout):
            raise PreflightFailed(f"the webhook action backend did not answer the pre-flight probe POST {url} within "
                                  f"{timeout:g} s (timing.action_timeout)") from None
        except OSError as exc:  # URLError included
            reason = getattr(exc, "reason", exc)
            if isinstance(reason, ConnectionRefusedError):
                reason = "connection refused, nothing listens there"
            elif isinstance(reason, socket.gaierror):
                reason = f"the host name does not resolve ({reason.strerror})"
            elif isinstance(reason, (TimeoutError, socket.timeout)):
                reason = f"no answer within {timeout:g} s (timing.action_timeout)"
            raise PreflightFailed(f"the webhook action backend is not reachable: POST {url} failed: {reason}; "
                                  f"is your action service running, is actions.url right?") from None
        if status in (401, 403):
            raise PreflightFailed(f"the webhook action backend refused the harness: POST {url} returned HTTP "
                                  f"{status}; check [actions.headers] (e.g. Authorization)")
        return  # any other HTTP answer: the service is there (2xx is the polite answer, 404/501 are fine)
    if backend == "shell":
        argv = shlex.split(cfg.actions.command or "")
        program = argv[0] if argv else ""
        found = shutil.which(program) if os.sep not in program else (
            program if os.path.isfile(program) and os.access(program, os.X_OK) else None)
        if not found:
            why = ("not found on PATH" if os.sep not in program else
                   "does not exist" if not os.path.exists(program) else "is not an executable file")
            raise PreflightFailed(f"the shell action backend cannot run {program!r}: it {why} "
                                  f"(actions.command = {cfg.actions.command!r}; relative to {os.getcwd()})")
        return
    if backend == "prompt":
        from .actions.prompt import _open_terminal

        terminal = _open_terminal()
        if terminal is not None:
            os.close(terminal[0])
            terminal[1].close()
            return
        if os.environ.get("CI"):
            return  # documented: without a terminal every action fails at once, the cases are INCONCLUSIVE
        raise PreflightFailed("the prompt action backend needs a terminal for the operator, and this run has none "
                              "(no /dev/tty); run it in a terminal, or use actions.backend = \"shell\" or "
                              "\"webhook\" (in CI, where CI is set, the run goes on and cases needing actions "
                              "are INCONCLUSIVE)")


def preflight(cfg: Config) -> None:
    """All the checks of the module docstring for ``cfg``; PreflightFailed on the first problem."""
    conn, timing = cfg.connection, cfg.timing
    if not cfg.reference:
        if cfg.role == "station":
            check_listen(conn.listen_host, conn.listen_port)
        elif conn.csms_url:
            check_csms_url(conn.csms_url, conn.identity, timing.scaled(timing.connect_timeout))
    if cfg.actions.backend != "reference":
        check_actions(cfg, timing.scaled(timing.action_timeout))
