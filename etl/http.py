"""Small helpers shared by the HTTP clients (Wikidata, SPARQL stores)."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit


def shown(url: str) -> str:
    """A URL fit for messages and logs: without any user name or password in it."""
    parts = urlsplit(url)
    if not parts.hostname:
        return url
    return urlunsplit(parts._replace(netloc=parts.hostname + (f":{parts.port}" if parts.port else "")))


def backoff_delay(attempt: int, base: float, cap: float) -> float:
    """Exponential backoff: base, 2·base, 4·base, … never more than cap."""
    return min(base * 2**attempt, cap)
