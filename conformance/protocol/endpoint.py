"""Part 4 §3.1.1: the URL a Charging Station connects to (sans-I/O)."""

from __future__ import annotations

from urllib.parse import quote


def connection_url(endpoint: str, identity: str) -> str:
    """The CSMS endpoint URL, '/', and the station identity percent-encoded (an identity may hold
    characters a URL path cannot, e.g. '|' or ' ')."""
    return endpoint.rstrip("/") + "/" + quote(identity, safe="")
