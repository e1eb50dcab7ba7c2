"""The harness's minimal HTTP file server (harness/file_transfer.py): an upload and a download stay in progress
until the case releases them, never longer than the hold; what arrived is recorded. The client is the reference
station's (reference/station/file_transfers.py)."""

from __future__ import annotations

import asyncio
import time

import pytest

from conformance.harness.file_transfer import file_server, public_host
from conformance.reference.station.file_transfers import _http


@pytest.mark.asyncio
async def test_an_upload_stays_in_progress_until_released() -> None:
    async with file_server("127.0.0.1", hold=10) as server:
        upload = asyncio.ensure_future(_http(server.url("upload/log.txt"), "PUT", b"hello", timeout=10))
        await asyncio.wait_for(server.started.wait(), 5)
        done, _ = await asyncio.wait({upload}, timeout=0.2)  # the client waits for the response meanwhile
        assert not done
        server.release()
        assert await asyncio.wait_for(upload, 5) == b""
    assert [(t.method, t.path, t.size, t.complete) for t in server.transfers] == [("PUT", "/upload/log.txt", 5, True)]


@pytest.mark.asyncio
async def test_a_download_is_complete_after_release_and_a_hold_is_bounded() -> None:
    async with file_server("127.0.0.1", hold=0.5, firmware=b"0123456789") as server:
        started = time.monotonic()
        data = await _http(server.url("firmware.bin"), "GET", None, timeout=10)  # never released: the hold ends it
        assert data == b"0123456789"
        assert 0.4 < time.monotonic() - started < 5
        assert server.transfers[0].complete


def test_a_wildcard_listen_host_is_replaced_by_a_name() -> None:
    assert public_host("0.0.0.0") not in ("", "0.0.0.0")
    assert public_host("::1") == "[::1]"


@pytest.mark.asyncio
async def test_a_head_probe_gets_the_download_headers() -> None:
    """A downloader that probes with HEAD first (review L13) gets the GET's status and length, no body."""
    async with file_server("127.0.0.1", hold=1, firmware=b"0123456789") as server:
        reader, writer = await asyncio.open_connection("127.0.0.1", int(server.base_url.rsplit(":", 1)[1]))
        writer.write(b"HEAD /firmware.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = await asyncio.wait_for(reader.read(), 5)
        writer.close()
    assert answer.startswith(b"HTTP/1.1 200 OK") and b"Content-Length: 10" in answer and answer.endswith(b"\r\n\r\n")
