"""The reference station: the file transfers of a log upload (GetLog, N01) and a firmware update (UpdateFirmware, L01),
over plain HTTP, reported by LogStatusNotification / FirmwareStatusNotification; the running job's status is what a
TriggerMessage reports (:mod:`.triggers`, F06.FR.14 / L01.FR.26). Minimal: one job of each kind at a time (a new
GetLog cancels the running upload: AcceptedCanceled, N01.FR.12), no FTP / HTTPS (issue 15 completes L and N)."""

from __future__ import annotations

import asyncio
import base64
import contextlib
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from ...protocol.errors import PeerError
from ...protocol.frames import utc_now
from .component import Component, Handler, Station


async def _http(url: str, method: str, body: bytes | None, timeout: float) -> bytes | None:
    """One HTTP/1.1 request; the response body when the status is 2xx, None otherwise (or on any failure)."""
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        return None
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection(parts.hostname, parts.port or 80)
            try:
                head = f"{method} {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nConnection: close\r\n"
                if body is not None:
                    head += f"Content-Type: text/plain\r\nContent-Length: {len(body)}\r\n"
                writer.write((head + "\r\n").encode() + (body or b""))
                await writer.drain()
                status = (await reader.readline()).decode("latin-1").split()
                length = None
                while (line := (await reader.readline()).decode("latin-1").strip()):
                    name, _, value = line.partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value.strip())
                data = await (reader.readexactly(length) if length is not None else reader.read())
            finally:
                writer.close()
    except (OSError, TimeoutError, ValueError, asyncio.IncompleteReadError):
        return None
    return data if len(status) > 1 and status[1].startswith("2") else None


def _signature_valid(data: bytes, certificate_pem: str | None, signature: str | None) -> bool:
    """L01.FR.03: the firmware's signature (base64) verifies with the signing certificate's key (SHA-256)."""
    if not certificate_pem or not signature:
        return False
    try:
        key = x509.load_pem_x509_certificate(certificate_pem.encode()).public_key()
        raw = base64.b64decode(signature, validate=True)
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(raw, data, padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(raw, data, ec.ECDSA(hashes.SHA256()))
        else:
            return False
    except Exception:  # any malformed input is an invalid signature
        return False
    return True


class FileTransfers(Component):
    """Runs the upload / firmware jobs; their status lives in the Triggers area (``log_job`` / ``firmware_job``)."""

    def __init__(self, station: Station, triggers: Any) -> None:
        super().__init__(station)
        self.triggers = triggers  # triggers.Triggers
        self._upload: asyncio.Task[None] | None = None

    def handlers(self) -> dict[str, Handler]:
        return {"GetLog": self.on_GetLog, "UpdateFirmware": self.on_UpdateFirmware}

    def on_reboot(self) -> None:
        if self._upload is not None:
            self._upload.cancel()

    async def _notify(self, action: str, payload: dict[str, Any]) -> None:
        conn = self.station.connection
        if conn is not None:
            with contextlib.suppress(PeerError):
                await conn.call(action, payload)

    # ------------------------------------------------------------------ N01 log upload
    async def on_GetLog(self, payload: dict[str, Any]) -> dict[str, Any]:
        location = payload["log"]["remoteLocation"]
        if urlsplit(location).scheme != "http":
            return {"status": "Rejected", "statusInfo": {"reasonCode": "UnsupportedProtocol"}}
        status = "Accepted"
        if self._upload is not None and not self._upload.done():
            self._upload.cancel()  # N01.FR.12: the running upload is canceled
            status = "AcceptedCanceled"
        self._upload = asyncio.get_running_loop().create_task(self._upload_log(payload["requestId"], location))
        return {"status": status, "filename": "diagnostics.log"}

    async def _upload_log(self, request_id: int, location: str) -> None:
        await asyncio.sleep(0)  # after the GetLogResponse
        self.triggers.log_job = (request_id, "Uploading")
        try:
            await self._notify("LogStatusNotification", {"status": "Uploading", "requestId": request_id})
            body = f"{utc_now()} reference station diagnostics log\n".encode()
            ok = await _http(location, "PUT", body, self.station.connect_timeout + self.station.message_timeout)
        finally:
            self.triggers.log_job = None
        await self._notify("LogStatusNotification", {"status": "Uploaded" if ok is not None else "UploadFailure",
                                                     "requestId": request_id})

    # ------------------------------------------------------------------ L01 firmware update
    async def on_UpdateFirmware(self, payload: dict[str, Any]) -> dict[str, Any]:
        firmware = payload["firmware"]
        if urlsplit(firmware["location"]).scheme != "http" or self.triggers.firmware_job is not None:
            return {"status": "Rejected"}
        self.station.spawn(self._update(payload["requestId"], firmware))
        return {"status": "Accepted"}

    async def _update(self, request_id: int, firmware: dict[str, Any]) -> None:
        async def status(value: str) -> None:
            self.triggers.firmware_job = (request_id, value)
            await self._notify("FirmwareStatusNotification", {"status": value, "requestId": request_id})

        await asyncio.sleep(0)  # after the UpdateFirmwareResponse
        try:
            await status("Downloading")
            data = await _http(firmware["location"], "GET", None,
                               self.station.connect_timeout + self.station.message_timeout)
            if data is None:
                await status("DownloadFailed")
                return
            await status("Downloaded")
            if not _signature_valid(data, firmware.get("signingCertificate"), firmware.get("signature")):
                await status("InvalidSignature")  # L01.FR.03, then the security event (L01.FR.04)
                await self._notify("SecurityEventNotification", {"type": "InvalidFirmwareSignature",
                                                                 "timestamp": utc_now()})
                return
            await status("SignatureVerified")
            await status("Installing")
            await status("Installed")
        finally:
            self.triggers.firmware_job = None
