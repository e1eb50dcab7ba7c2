"""Checks of single values, used as ``check=`` constraints of configuration fields: each returns the reason
a value is wrong, or None. Secret values are never quoted in a reason."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from .schema import show

# Part 4 §3.1.1: the identity is an identifierString (Part 2 §2.1.x) without ':' (it is the
# Basic-auth user name), at most 48 characters.
_IDENTITY_RE = re.compile(r"[A-Za-z0-9*\-_=+|@.]{1,48}")
_IDENTIFIER_CHARS = "a-z A-Z 0-9 * - _ = + | @ ."
_HOSTNAME_RE = re.compile(
    r"(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?)*"
)
_PATH_RE = re.compile(r"(?:/[A-Za-z0-9\-._~!$&'()*+,;=:@%]+)*")
PASSWORD_MIN, PASSWORD_MAX = 16, 40  # Part 2 BasicAuthPassword / Part 4 §3.1.1


def valid_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return bool(_HOSTNAME_RE.fullmatch(host))


def host_problem(host: str) -> str | None:
    return None if valid_host(host) else f"must be a host name or an IP address, got {show(host)}"


def path_problem(path: str) -> str | None:
    if path.endswith("/"):
        return f"must not end with '/': stations connect to <path>/<identity> (use \"\" for the root), got {path!r}"
    if not _PATH_RE.fullmatch(path):
        return f"must be empty or start with '/' and contain only URL path characters, got {show(path)}"
    return None


def identity_problem(identity: str) -> str | None:
    if ":" in identity:
        return "must not contain ':' (the identity is the HTTP Basic auth user name; Part 4 §3.1.1)"
    if len(identity) > 48:
        return f"must be at most 48 characters (Part 4 §3.1.1), got {len(identity)}"
    if not _IDENTITY_RE.fullmatch(identity):
        bad = sorted({ch for ch in identity if not re.fullmatch(r"[A-Za-z0-9*\-_=+|@.]", ch)})
        return (f"may only contain identifierString characters ({_IDENTIFIER_CHARS}; Part 4 §3.1.1), "
                f"found {', '.join(repr(c) for c in bad)}")
    return None


def password_problem(password: str) -> str | None:
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        return (f"must be {PASSWORD_MIN} to {PASSWORD_MAX} characters (BasicAuthPassword), "
                f"got {len(password)} characters")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in password):
        return "must not contain control characters"
    return None


def ws_url_problem(url: str) -> str | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return f"not a valid URL ({exc}): {url!r}"
    if parts.scheme.lower() not in ("ws", "wss"):
        return f"must be a ws:// or wss:// URL, got scheme {parts.scheme + '://' if parts.scheme else 'none'}"
    if parts.username is not None or parts.password is not None:
        return "must not contain credentials: use connection.identity and connection.password"
    if not parts.hostname or not valid_host(parts.hostname):
        return f"must name a host, got {url!r}"
    if port == 0:
        return "port 0 is not a valid port to connect to"
    if parts.query or parts.fragment:
        return "must not have a query or fragment: the identity is appended as <url>/<identity>"
    return None


def http_url_problem(url: str) -> str | None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises for a bad port)
    except ValueError as exc:
        return f"not a valid URL ({exc})"
    if parts.scheme.lower() not in ("http", "https"):
        return f"must be an http:// or https:// URL, got scheme {parts.scheme + '://' if parts.scheme else 'none'}"
    if not parts.hostname or not valid_host(parts.hostname):
        return "must name a host"
    return None
