"""A minimal HTTP file server of the harness for the cases that need a transfer in progress (TC_F_16_CS: a log upload
while the trigger is sent, TC_F_19_CS: a firmware download): an upload endpoint (PUT / POST) and a firmware endpoint
(GET) that hold the transfer open until the case releases it, so that the station reports Uploading / Downloading
for as long as the case needs. Every hold is bounded (``hold``): nothing hangs. What arrived is recorded (path,
method, size, whether complete). Issue 15 brings the full file servers (HTTPS, FTP, failures); this is the HTTP
part the F cases need."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from dataclasses import dataclass, field
from typing import AsyncIterator


@dataclass
class Transfer:
    """One request the server received."""

    method: str
    path: str
    size: int = 0  # bytes received (upload) or sent (download)
    complete: bool = False


@dataclass
class FileServer:
    """The running server: its base URL, the firmware image it serves, the transfers it saw."""

    base_url: str
    firmware: bytes
    transfers: list[Transfer] = field(default_factory=list)
    started: asyncio.Event = field(default_factory=asyncio.Event)  # a transfer has begun
    released: asyncio.Event = field(default_factory=asyncio.Event)  # the case lets the transfers finish

    def url(self, name: str) -> str:
        return f"{self.base_url}/{name}"

    def release(self) -> None:
        self.released.set()


def public_host(listen_host: str) -> str:
    """The host a station uses to reach a harness server listening on ``listen_host`` (a wildcard is replaced by this
    host's name)."""
    host = listen_host if listen_host not in ("", "0.0.0.0", "::") else socket.getfqdn()
    return f"[{host}]" if ":" in host else host


async def _read_head(reader: asyncio.StreamReader) -> tuple[str, str, dict[str, str]]:
    request = (await reader.readline()).decode("latin-1").split()
    headers: dict[str, str] = {}
    while (line := (await reader.readline()).decode("latin-1").strip()):
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    method, path = (request + ["", ""])[:2]
    return method.upper(), path, headers


@contextlib.asynccontextmanager
async def file_server(listen_host: str, *, hold: float, firmware: bytes = b"OCPP-CONFORMANCE-FIRMWARE" * 64,
                      ) -> AsyncIterator[FileServer]:
    """Serve on ``listen_host`` (a free port) for the block. An upload's response, and the second half of a firmware
    download, wait until :meth:`FileServer.release` or ``hold`` seconds. Leaving the block releases and closes."""
    state: FileServer | None = None

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        assert state is not None
        try:
            method, path, headers = await _read_head(reader)
            transfer = Transfer(method, path)
            state.transfers.append(transfer)
            state.started.set()
            if method in ("PUT", "POST"):
                length = int(headers.get("content-length", "0") or 0)
                body = await reader.readexactly(length) if length else b""
                transfer.size = len(body)
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(hold):
                        await state.released.wait()
                transfer.complete = True
                writer.write(b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            elif method == "GET":
                data = state.firmware
                half = len(data) // 2
                writer.write(f"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                             f"{len(data)}\r\nConnection: close\r\n\r\n".encode() + data[:half])
                await writer.drain()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(hold):
                        await state.released.wait()
                writer.write(data[half:])
                transfer.size, transfer.complete = len(data), True
            elif method == "HEAD":  # a downloader probing the file first: the GET's headers, no body
                writer.write(f"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                             f"{len(state.firmware)}\r\nConnection: close\r\n\r\n".encode())
                transfer.complete = True
            else:
                writer.write(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, ValueError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(serve, listen_host or None, 0)
    port = server.sockets[0].getsockname()[1]
    state = FileServer(f"http://{public_host(listen_host)}:{port}", firmware)
    try:
        yield state
    finally:
        state.release()
        server.close()
        with contextlib.suppress(Exception):
            async with asyncio.timeout(1.0):
                await server.wait_closed()


__all__ = ["FileServer", "Transfer", "file_server", "public_host"]
