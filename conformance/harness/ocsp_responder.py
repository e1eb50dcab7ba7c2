"""The harness's OCSP responder (RFC 6960 over HTTP, on the harness's listen host) for the CSMS cases of C07: the
contract certificates of the run's test PKI name it in their Authority Information Access, and the
iso15118CertificateHashData the harness station sends names it as responderURL. It answers from the PKI
(:func:`conformance.harness.pki.ocsp_response`: good, or revoked for the serials the case revokes) and records every
query (its CertID) so a case can check the CSMS asked (C07.FR.05) and asked for the right certificate. Requests by
POST (application/ocsp-request) and by GET (base64 in the path) are both accepted, as RFC 6960 Appendix A allows."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import urllib.parse
from dataclasses import dataclass, field
from typing import AsyncIterator

from .file_transfer import _read_head, public_host
from .pki import Pki, ocsp_cert_id, ocsp_response


@dataclass
class OcspQuery:
    method: str
    cert_id: dict[str, str] | None  # None: the body was no OCSP request
    error: str | None = None


@dataclass
class OcspResponder:
    url: str
    queries: list[OcspQuery] = field(default_factory=list)
    queried: asyncio.Event = field(default_factory=asyncio.Event)


@contextlib.asynccontextmanager
async def ocsp_responder(pki: Pki, listen_host: str) -> AsyncIterator[OcspResponder]:
    """Serve ``pki``'s OCSP responder on ``listen_host`` (a free port) for the block."""
    state: OcspResponder | None = None

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        assert state is not None
        try:
            method, path, headers = await _read_head(reader)
            if method == "POST":
                length = int(headers.get("content-length", "0") or 0)
                body = await reader.readexactly(length) if length else b""
            else:
                body = base64.b64decode(urllib.parse.unquote(path.rsplit("/", 1)[-1]) + "==")
            try:
                query = OcspQuery(method, ocsp_cert_id(body))
            except ValueError as error:
                query = OcspQuery(method, None, f"not an OCSP request: {error}")
            state.queries.append(query)
            state.queried.set()
            answer = ocsp_response(pki, body)
            writer.write(f"HTTP/1.1 200 OK\r\nContent-Type: application/ocsp-response\r\nContent-Length: "
                         f"{len(answer)}\r\nConnection: close\r\n\r\n".encode() + answer)
            await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, ValueError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(serve, listen_host or None, 0)
    port = server.sockets[0].getsockname()[1]
    state = OcspResponder(f"http://{public_host(listen_host)}:{port}/ocsp")
    try:
        yield state
    finally:
        server.close()
        with contextlib.suppress(Exception):
            async with asyncio.timeout(1.0):
                await server.wait_closed()


__all__ = ["OcspQuery", "OcspResponder", "ocsp_responder"]
