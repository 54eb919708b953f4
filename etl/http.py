"""Small helpers shared by the HTTP clients (Wikidata, SPARQL stores)."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import requests


def shown(url: str) -> str:
    """A URL fit for messages and logs: without any user name or password in it."""
    parts = urlsplit(url)
    if not parts.hostname:
        return url
    return urlunsplit(parts._replace(netloc=parts.hostname + (f":{parts.port}" if parts.port else "")))


def backoff_delay(attempt: int, base: float, cap: float) -> float:
    """Exponential backoff: base, 2·base, 4·base, … never more than cap."""
    return min(base * 2**attempt, cap)


def client_session(user_agent: str, *, auth: tuple[str, str] | None = None, accept: str | None = None,
                   session: requests.Session | None = None) -> requests.Session:
    """A session for talking to a service the user named: no ~/.netrc credentials or proxy settings
    from the environment are sent along (trust_env off), only the credentials given here."""
    session = session or requests.Session()
    session.trust_env = False
    session.auth = auth
    session.headers["User-Agent"] = user_agent
    if accept:
        session.headers["Accept"] = accept
    return session
