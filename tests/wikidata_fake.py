"""A local stand-in for Wikidata's MediaWiki Action API, answering in its real response format.

It serves `GET /w/api.php?action=wbsearchentities|wbgetentities&format=json` from hand-written items
(tests/data/wikidata/items.json), records every request (parameters, User-Agent, concurrency) and
can be told to fail first: a 429 with Retry-After and an HTML body as Wikimedia's edge sends it, a
`maxlag` error (HTTP 200, Retry-After, JSON error), a 5xx, or any other status.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ITEMS = Path(__file__).parent / "data" / "wikidata" / "items.json"
DOCREF = (
    "See https://www.wikidata.org/w/api.php for API usage. Subscribe to the mediawiki-api-announce mailing list at "
    "&lt;https://lists.wikimedia.org/postorius/lists/mediawiki-api-announce.lists.wikimedia.org/&gt; for notice of API "
    "deprecations and breaking changes."
)
TOO_MANY_REQUESTS_HTML = (
    "<!DOCTYPE html>\n<html lang=\"en\"><meta charset=\"utf-8\"><title>Wikimedia Error</title>\n<p>Too many requests. "
    "Please comply with the User-Agent policy to get a higher rate limit: https://meta.wikimedia.org/wiki/User-Agent_policy</p></html>\n"
)


@dataclass
class Fault:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""
    content_type: str = "application/json; charset=utf-8"


def too_many_requests(retry_after: str = "1") -> Fault:
    return Fault(429, {"Retry-After": retry_after}, TOO_MANY_REQUESTS_HTML, "text/html; charset=utf-8")


def maxlag(retry_after: str = "1") -> Fault:
    body = {
        "error": {"code": "maxlag", "info": "Waiting for all: 7.5 seconds lagged.", "host": "all", "lag": 7.5,
                  "type": "wikibase-queryservice", "queryserviceLag": 450, "*": DOCREF},
        "servedby": "mw-api-ext.eqiad.main-7f9c4d5b8-x2k4q",
    }
    return Fault(200, {"Retry-After": retry_after, "X-Database-Lag": "7", "MediaWiki-API-Error": "maxlag"}, json.dumps(body))


class FakeWikidata:
    def __init__(self, items_file: Path = ITEMS) -> None:
        self.entities: dict[str, dict] = json.loads(items_file.read_text(encoding="utf-8"))["entities"]
        self.requests: list[dict[str, str]] = []
        self.user_agents: list[str] = []
        self.faults: list[Fault] = []
        self.max_in_flight = 0
        self._in_flight = 0
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/w/api.php"

    def __enter__(self) -> FakeWikidata:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- the API

    def answer(self, params: dict[str, str]) -> Fault:
        action = params.get("action")
        if params.get("format") != "json":
            return Fault(200, body=json.dumps({"error": {"code": "badformat", "info": "expected format=json in this fake", "*": DOCREF}}))
        if action == "wbsearchentities":
            return Fault(200, body=json.dumps(self._search(params), ensure_ascii=False))
        if action == "wbgetentities":
            return Fault(200, body=json.dumps(self._get(params), ensure_ascii=False))
        error = {"code": "badvalue", "info": f"Unrecognized value for parameter \"action\": {action}.", "*": DOCREF}
        return Fault(200, {"MediaWiki-API-Error": "badvalue"}, json.dumps({"error": error, "servedby": "mw-api-ext"}))

    def _search(self, params: dict[str, str]) -> dict:
        text, language = params["search"], params["language"]
        limit = int(params.get("limit", 7))
        hits = []
        for qid, entity in self.entities.items():
            label = entity["labels"].get(language, {}).get("value")
            names = ([("label", label)] if label else []) + [("alias", a["value"]) for a in entity["aliases"].get(language, [])]
            for kind, name in names:
                if name.casefold().startswith(text.casefold()):
                    hits.append(self._hit(qid, entity, language, kind, name))
                    break
        hits.sort(key=lambda hit: (hit["match"]["text"].casefold() != text.casefold(), int(hit["id"][1:])))
        body = {"searchinfo": {"search": text}, "search": hits[:limit], "success": 1}
        if len(hits) > limit:
            body["search-continue"] = limit
        return body

    def _hit(self, qid: str, entity: dict, language: str, kind: str, matched: str) -> dict:
        label = entity["labels"].get(language) or entity["labels"].get("en")
        description = entity["descriptions"].get(language) or entity["descriptions"].get("en")
        hit = {"id": qid, "title": qid, "pageid": entity["pageid"], "display": {}, "repository": "wikidata",
               "url": f"//www.wikidata.org/wiki/{qid}", "concepturi": f"http://www.wikidata.org/entity/{qid}"}
        if label:
            hit["display"]["label"] = {"value": label["value"], "language": label["language"]}
            hit["label"] = label["value"]
        if description:
            hit["display"]["description"] = {"value": description["value"], "language": description["language"]}
            hit["description"] = description["value"]
        hit["match"] = {"type": kind, "language": language, "text": matched}
        if label is None or matched != label["value"]:
            hit["aliases"] = [matched]
        return hit

    def _get(self, params: dict[str, str]) -> dict:
        ids = params["ids"].split("|")
        if len(ids) > 50:
            error = {"code": "toomanyvalues", "info": 'Too many values supplied for parameter "ids". The limit is 50.',
                     "parameter": "ids", "limit": 50, "lowlimit": 50, "highlimit": 500, "*": DOCREF}
            return {"error": error, "servedby": "mw-api-ext"}
        props = params.get("props", "info|sitelinks|aliases|labels|descriptions|claims|datatype").split("|")
        languages = params["languages"].split("|") if params.get("languages") else None
        entities = {}
        for qid in ids:
            entity = self.entities.get(qid)
            if entity is None:
                entities[qid] = {"id": qid, "missing": ""}
                continue
            out = {"type": entity["type"], "id": qid}
            if "info" in props:
                out = {k: entity[k] for k in ("pageid", "ns", "title", "lastrevid", "modified")} | out
            for prop in ("labels", "descriptions", "aliases"):
                if prop in props:
                    out[prop] = {lang: v for lang, v in entity[prop].items() if languages is None or lang in languages}
            if "claims" in props:
                out["claims"] = entity["claims"]
            entities[qid] = out
        return {"entities": entities, "success": 1}

    # -- the HTTP side

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the http.server API
                with fake._lock:
                    fake._in_flight += 1
                    fake.max_in_flight = max(fake.max_in_flight, fake._in_flight)
                try:
                    url = urlsplit(self.path)
                    params = {k: v[-1] for k, v in parse_qs(url.query).items()}
                    with fake._lock:
                        fake.requests.append(params)
                        fake.user_agents.append(self.headers.get("User-Agent", ""))
                        fault = fake.faults.pop(0) if fake.faults else None
                    reply = fault or (fake.answer(params) if url.path == "/w/api.php" else Fault(404, body="not found", content_type="text/plain"))
                    data = reply.body.encode("utf-8")
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.content_type)
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                finally:
                    with fake._lock:
                        fake._in_flight -= 1

            def log_message(self, *args):  # keep test output quiet
                pass

        return Handler
