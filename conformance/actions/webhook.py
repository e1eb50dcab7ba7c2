"""The webhook backend: a vendor's HTTP service performs each action.

Calling convention (docs/actions.md): ``POST <base-url>/actions/<action>`` with the params
as a JSON object body, ``Content-Type: application/json``, the header ``X-OCPP-Action-Timeout``
(seconds) and any configured headers (e.g. ``Authorization``). A 2xx reply: done; a JSON
object reply body is the result. Anything else (another status, a redirect, connection
refused, no reply within the timeout): the action failed.

Standard library only: ``urllib.request`` run in a worker thread.
"""

from __future__ import annotations

import asyncio
import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Mapping

from conformance.actions.port import ActionFailed

BODY_SNIPPET_CHARS = 300


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an error: urllib would silently turn the POST into a GET."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001
        return None


_opener = urllib.request.build_opener(_NoRedirect())


def _reason_from_body(body: bytes) -> str:
    text = body.decode("utf-8", errors="replace").strip()
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict):
        for key in ("reason", "error", "message", "detail"):
            if isinstance(data.get(key), str) and data[key]:
                return data[key]
    return text[:BODY_SNIPPET_CHARS]


class WebhookBackend:
    """POST each action to ``<base_url>/actions/<action>``."""

    name = "webhook"

    def __init__(self, base_url: str, headers: Mapping[str, str] | None = None) -> None:
        parts = urllib.parse.urlsplit(base_url or "")
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"the webhook action backend needs an http(s) base URL, got {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.headers = dict(headers or {})

    def url_for(self, action: str) -> str:
        return f"{self.base_url}/actions/{urllib.parse.quote(action, safe='')}"

    def _post(self, url: str, body: bytes, timeout: float) -> tuple[int, bytes]:
        headers = {
            "Accept": "application/json",
            **self.headers,
            "Content-Type": "application/json",
            "X-OCPP-Action-Timeout": f"{timeout:g}",
        }
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with _opener.open(request, timeout=timeout) as reply:
                return reply.status, reply.read()
        except urllib.error.HTTPError as exc:  # 3xx (not followed), 4xx, 5xx
            try:
                data = exc.read()
            except Exception:
                data = b""
            finally:
                exc.close()
            return exc.code, data

    async def perform(self, action: str, params: dict[str, Any], timeout: float) -> dict[str, Any]:
        url = self.url_for(action)
        body = json.dumps(params).encode()
        try:
            async with asyncio.timeout(timeout):
                status, data = await asyncio.to_thread(self._post, url, body, timeout)
        except (TimeoutError, socket.timeout):
            raise ActionFailed(action, params, f"POST {url}: no reply within {timeout:g} s", timed_out=True) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise ActionFailed(
                    action, params, f"POST {url}: no reply within {timeout:g} s", timed_out=True
                ) from None
            raise ActionFailed(action, params, f"POST {url} failed: {reason}") from None
        except (OSError, ValueError) as exc:  # connection reset, bad status line, ...
            raise ActionFailed(action, params, f"POST {url} failed: {type(exc).__name__}: {exc}") from None
        if not 200 <= status < 300:
            why = _reason_from_body(data)
            raise ActionFailed(
                action,
                params,
                f"POST {url} returned HTTP {status}" + (f": {why}" if why else ""),
                details={"status": status},
            )
        text = data.decode("utf-8", errors="replace").strip()
        if not text:
            return {}
        try:
            result = json.loads(text)
        except ValueError:
            return {"body": text[:BODY_SNIPPET_CHARS]}
        return result if isinstance(result, dict) else {"body": text[:BODY_SNIPPET_CHARS]}
