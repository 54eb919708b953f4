"""The Wikidata client: the MediaWiki Action API through `requests`, with an on-disk answer cache.

It asks politely (a descriptive User-Agent, one request at a time, `maxlag`, honouring 429 and
`Retry-After`, timeouts) and remembers every answer in SQLite, so a second run asks nothing and
an offline run sees exactly what the online one saw. Tests point `api` at a local server that
answers in the API's format; nothing else changes.
"""

from __future__ import annotations

import email.utils
import importlib.metadata
import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import requests

from etl.errors import NewskgError
from etl.http import backoff_delay, client_session, shown

WIKIDATA_API = "https://www.wikidata.org/w/api.php"
PROJECT_URL = "https://w3id.org/newskg"
MAX_IDS_PER_REQUEST = 50  # wbgetentities' limit for ordinary clients
CACHE_FILE = "wikidata.sqlite"
_TRANSIENT_ERRORS = frozenset({"maxlag", "ratelimited"})


class WikidataError(NewskgError):
    """Wikidata could not be asked, or answered with an error."""


def user_agent(contact: str | None = None) -> str:
    """Wikimedia's User-Agent policy: the tool, its version and a way to reach whoever runs it."""
    try:
        version = importlib.metadata.version("newskg")
    except importlib.metadata.PackageNotFoundError:
        version = "dev"
    reach = f"{PROJECT_URL}; {contact}" if contact else PROJECT_URL
    return f"newskg/{version} ({reach}) python-requests/{requests.__version__}"


# ---------------------------------------------------------------- the cache


class AnswerCache:
    """Every API answer, keyed by its request parameters, with the day it was fetched."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / CACHE_FILE
        try:
            self._db = sqlite3.connect(self.path)
            self._db.execute("CREATE TABLE IF NOT EXISTS answers (request TEXT PRIMARY KEY, body TEXT NOT NULL, fetched TEXT NOT NULL)")
            self._db.commit()
        except sqlite3.DatabaseError as err:
            raise WikidataError(f"{self.path}: not a usable answer cache ({err}); delete it to start a new one") from None

    def get(self, request: str) -> tuple[dict, str] | None:
        row = self._db.execute("SELECT body, fetched FROM answers WHERE request = ?", (request,)).fetchone()
        return (json.loads(row[0]), row[1]) if row else None

    def put(self, request: str, body: dict, fetched: str) -> None:
        with self._db:  # one transaction per answer: an interrupted run keeps what it had
            self._db.execute("INSERT OR REPLACE INTO answers VALUES (?, ?, ?)", (request, json.dumps(body, sort_keys=True), fetched))

    def __len__(self) -> int:
        return self._db.execute("SELECT count(*) FROM answers").fetchone()[0]

    def close(self) -> None:
        self._db.close()


def request_key(api: str, params: Mapping[str, str]) -> str:
    """The cache key of a request: the API it went to and its parameters in order, less the ones
    that do not change the answer (a test server's answers never pass for Wikidata's)."""
    kept = sorted((k, v) for k, v in params.items() if k not in ("maxlag", "format", "formatversion"))
    return f"{api}?{urlencode(kept)}"


# ---------------------------------------------------------------- answers


@dataclass(frozen=True)
class SearchHit:
    qid: str
    label: str
    description: str
    matched: str  # the label or alias the search matched
    match_type: str  # label, alias, …


@dataclass(frozen=True)
class Item:
    """The parts of a Wikidata item the linker reads."""

    qid: str
    labels: dict[str, str]
    descriptions: dict[str, str]
    aliases: dict[str, tuple[str, ...]]
    claims: dict[str, tuple[str, ...]]  # property → the item IDs of its best-ranked values

    def names(self, languages: Iterable[str]) -> list[str]:
        out = []
        for language in languages:
            if language in self.labels:
                out.append(self.labels[language])
            out.extend(self.aliases.get(language, ()))
        return out

    def values(self, prop: str) -> tuple[str, ...]:
        return self.claims.get(prop, ())


@dataclass(frozen=True)
class Answer:
    body: dict
    fetched: str  # ISO day


@dataclass
class RequestLog:
    """What the client did: for the run summary and for tests."""

    sent: int = 0
    from_cache: int = 0
    missing: int = 0  # offline and not in the cache
    waits: list[float] = field(default_factory=list)


# ---------------------------------------------------------------- the client


class WikidataClient:
    """Serial, cached, polite requests to the MediaWiki Action API of Wikidata.

    Offline, only the cache answers; a request it has not seen returns None.
    """

    def __init__(
        self,
        cache: AnswerCache,
        *,
        online: bool,
        api: str = WIKIDATA_API,
        contact: str | None = None,
        timeout: tuple[float, float] = (5.0, 30.0),
        maxlag: int = 5,  # 0: do not send maxlag (Wikidata folds query-service lag in, which can hold reads back)
        attempts: int = 6,
        backoff: float = 1.0,
        max_wait: float = 120.0,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        today: Callable[[], str] = lambda: datetime.now(UTC).date().isoformat(),
    ) -> None:
        self.cache = cache
        self.online = online
        self.api = api
        self.timeout = timeout
        self.maxlag = maxlag
        self.attempts = attempts
        self.backoff = backoff
        self.max_wait = max_wait
        self.session = client_session(user_agent(contact), accept="application/json", session=session)
        self._sleep = sleep
        self._today = today
        self.log = RequestLog()

    # -- the two API modules the linker uses

    def search(self, text: str, language: str, limit: int) -> tuple[list[SearchHit], str] | None:
        """`wbsearchentities`: items whose label or alias matches `text` in `language`."""
        params = {"action": "wbsearchentities", "search": text, "language": language, "uselang": language, "type": "item", "limit": str(limit)}
        answer = self._ask(params)
        if answer is None:
            return None
        hits = [
            SearchHit(
                qid=hit["id"],
                label=hit.get("label", ""),
                description=hit.get("description", ""),
                matched=hit.get("match", {}).get("text", hit.get("label", "")),
                match_type=hit.get("match", {}).get("type", "label"),
            )
            for hit in answer.body.get("search", [])
        ]
        return hits, answer.fetched

    def items(self, qids: Iterable[str], languages: tuple[str, ...] = ()) -> tuple[dict[str, Item], str] | None:
        """`wbgetentities`, 50 items per request: claims, and labels, descriptions and aliases in
        `languages` (none asked: claims only, as for the classes a type check climbs)."""
        wanted = sorted(set(qids))
        found: dict[str, Item] = {}
        fetched = ""
        for start in range(0, len(wanted), MAX_IDS_PER_REQUEST):
            chunk = wanted[start : start + MAX_IDS_PER_REQUEST]
            params = {"action": "wbgetentities", "ids": "|".join(chunk), "props": "labels|descriptions|aliases|claims" if languages else "claims"}
            if languages:
                params["languages"] = "|".join(languages)
            answer = self._ask(params)
            if answer is None:
                return None
            fetched = max(fetched, answer.fetched)
            for requested, body in answer.body.get("entities", {}).items():
                if "missing" not in body:
                    found[requested] = _item(body.get("id", requested), body)  # a redirect answers with its target
        return found, fetched

    # -- one request, from the cache or the API

    def _ask(self, params: dict[str, str]) -> Answer | None:
        key = request_key(self.api, params)
        cached = self.cache.get(key)
        if cached is not None:
            self.log.from_cache += 1
            return Answer(*cached)
        if not self.online:
            self.log.missing += 1
            return None
        sent = {**params, "format": "json"}
        if self.maxlag:
            sent["maxlag"] = str(self.maxlag)
        body = self._fetch(sent)
        fetched = self._today()
        self.cache.put(key, body, fetched)
        return Answer(body, fetched)

    def _fetch(self, params: dict[str, str]) -> dict:
        api = shown(self.api)
        what = f"{params['action']} ({params.get('search') or params.get('ids', '')})"
        last, delay = "", 0.0
        for attempt in range(self.attempts):
            if attempt:
                self._wait(delay)
            self.log.sent += 1
            try:
                response = self.session.get(self.api, params=params, timeout=self.timeout)
            except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError) as err:
                last, delay = type(err).__name__, self._backoff(attempt)
                continue
            except requests.RequestException as err:
                raise WikidataError(f"{api}: {what}: {type(err).__name__}") from None
            if response.status_code == 429 or response.status_code >= 500:
                last, delay = f"HTTP {response.status_code}", self._delay(response, attempt, api)
                continue
            if response.status_code >= 400:
                raise WikidataError(f"{api}: {what}: HTTP {response.status_code}: {response.text[:300]}")
            body = _json(response, api, what)
            error = body.get("error")
            if error and error.get("code") in _TRANSIENT_ERRORS:  # sent with HTTP 200: replicas lag, or we ask too fast
                last, delay = f"{error['code']}: {error.get('info', '')}", self._delay(response, attempt, api)
                continue
            if error:
                raise WikidataError(f"{api}: {what}: API error {error.get('code')}: {error.get('info', '')}")
            return body
        raise WikidataError(f"{api}: {what}: gave up after {self.attempts} attempts (last: {last}); answers so far are cached, so a rerun resumes")

    def _delay(self, response: requests.Response, attempt: int, api: str) -> float:
        """What the server asks for (Retry-After), else exponential backoff; a wait longer than
        `max_wait` is not cut short but refused, since retrying early is what gets clients blocked."""
        asked = self._retry_after(response)
        if asked is not None and asked > self.max_wait:
            raise WikidataError(f"{api}: asked to wait {asked:.0f} s (more than {self.max_wait:.0f} s); answers so far are cached, rerun later to resume")
        return self._backoff(attempt) if asked is None else asked

    def _backoff(self, attempt: int) -> float:
        return backoff_delay(attempt, self.backoff, self.max_wait)

    def _retry_after(self, response: requests.Response) -> float | None:
        """Retry-After in seconds or as an HTTP date (RFC 9110), capped at `max_wait`."""
        value = (response.headers.get("Retry-After") or "").strip()
        if value.isdigit():
            return float(value)
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return max((when - datetime.now(UTC)).total_seconds(), 0.0)

    def close(self) -> None:
        self.session.close()

    def _wait(self, seconds: float) -> None:
        self.log.waits.append(seconds)
        self._sleep(seconds)


def _json(response: requests.Response, api: str, what: str) -> dict:
    try:
        body = response.json()
    except ValueError:
        raise WikidataError(f"{api}: {what}: expected JSON, got {response.headers.get('Content-Type', 'no content type')}: {response.text[:200]!r}") from None
    if not isinstance(body, dict):
        raise WikidataError(f"{api}: {what}: expected a JSON object, got {type(body).__name__}")
    return body


def _item(qid: str, body: dict) -> Item:
    return Item(
        qid=qid,
        labels={lang: v["value"] for lang, v in body.get("labels", {}).items()},
        descriptions={lang: v["value"] for lang, v in body.get("descriptions", {}).items()},
        aliases={lang: tuple(a["value"] for a in values) for lang, values in body.get("aliases", {}).items()},
        claims={prop: _item_values(statements) for prop, statements in body.get("claims", {}).items()},
    )


def _item_values(statements: list[dict]) -> tuple[str, ...]:
    """The item values of a property's statements, less deprecated ones (a former citizenship still counts)."""
    values = []
    for statement in statements:
        if statement.get("rank") == "deprecated":
            continue
        value = statement.get("mainsnak", {}).get("datavalue", {}).get("value")
        if isinstance(value, dict) and "id" in value:
            values.append(value["id"])
    return tuple(values)
