"""Loading the graph into SPARQL stores: the embedded pyoxigraph store, or any server speaking the
SPARQL 1.1 Graph Store HTTP Protocol (Oxigraph server, Apache Jena Fuseki).

Each named graph (one per article, the registry, the ontology) goes in whole and states its own
content hash (`<graph> nkg:graphHash "sha256"` inside it). The store itself thus records what it
holds: publishing sends only graphs whose hash differs, drops the graphs of removed articles, and
an interrupted publish resumes where it stopped.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pyoxigraph as ox
import requests
from rdflib import Graph

from etl import rdfio
from etl.errors import NewskgError
from etl.http import backoff_delay, client_session, shown
from etl.vocab import ID, NKG
from etl.workers import available_cores

DEFAULT_GRAPH_PREFIX = str(ID["graph/"])
ONTOLOGY_GRAPH = "ontology"  # the ontology's graph name, after the prefix
STATE_QUERY = "PREFIX nkg: <https://w3id.org/newskg/ns#> SELECT ?graph ?hash WHERE { GRAPH ?graph { ?graph nkg:graphHash ?hash } }"


class PublishError(NewskgError):
    """A store could not be reached or refused the graph; says what was and was not published."""


@dataclass(frozen=True)
class Payload:
    """One named graph ready to load: sorted N-Triples, their hash, and the graph's name."""

    key: str  # the part after the graph prefix: an article's hash, "registry", "ontology"
    data: bytes | rdfio.Chunk  # N-Triples, or where in a run's spill file they wait
    digest: str
    triples: int

    def name(self, prefix: str) -> str:
        return prefix + self.key

    def stamp(self, prefix: str) -> ox.Quad:
        """The statement, inside the graph, of the hash of the graph's other triples."""
        graph = ox.NamedNode(self.name(prefix))
        return ox.Quad(graph, ox.NamedNode(str(NKG.graphHash)), ox.Literal(self.digest), graph)

    def body(self, prefix: str) -> bytes:
        """The graph's triples and the one that states their hash."""
        return rdfio.bytes_of(self.data) + rdfio.ntriples_bytes([self.stamp(prefix).triple])


@dataclass
class SyncReport:
    sent: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        return f"{len(self.sent)} graphs loaded, {len(self.unchanged)} unchanged, {len(self.dropped)} dropped"


# ---------------------------------------------------------------- payloads


def payload_of(name: str, data: bytes | rdfio.Chunk, digest: str, triples: int) -> Payload:
    """The payload of a graph named under the default prefix whose N-Triples hash to `digest`."""
    return Payload(name[len(DEFAULT_GRAPH_PREFIX) :], data, digest, triples)


def with_ontology(payloads: list[Payload], ontology: Graph) -> list[Payload]:
    """The payloads and the bundled ontology's graph (which replaces one of that name), in name order."""
    name = DEFAULT_GRAPH_PREFIX + ONTOLOGY_GRAPH
    (entry,) = rdfio.named_graph_ntriples(rdfio.sorted_named_graphs([(name, ontology)]))
    kept = [p for p in payloads if p.key != ONTOLOGY_GRAPH]
    return sorted([*kept, _payload(*entry)], key=lambda p: p.key)


def payloads_from_file(path: Path, ontology: Graph) -> list[Payload]:
    """The payloads of a TriG or N-Quads file whose graphs are named under the default prefix."""
    entries = rdfio.read_named_graph_ntriples(path)
    foreign = [name for name, _, _ in entries if not name.startswith(DEFAULT_GRAPH_PREFIX)]
    if foreign:
        raise PublishError(f"{path}: graph {foreign[0]} is not named under {DEFAULT_GRAPH_PREFIX} (expected newskg's graph.trig)")
    return _with_ontology(entries, ontology)


def _with_ontology(entries: list[tuple[str, bytes, int]], ontology: Graph) -> list[Payload]:
    return with_ontology([_payload(*entry) for entry in entries], ontology)


def _payload(name: str, data: bytes, count: int) -> Payload:
    return payload_of(name, data, hashlib.sha256(data).hexdigest(), count)


def _plan(payloads: list[Payload], held: dict[str, str], prefix: str, full: bool = False) -> tuple[list[Payload], list[Payload], list[str]]:
    """What to send (new or changed; everything if `full`), what is there already, and which of
    our graphs (named under the prefix) to drop."""
    wanted = {p.name(prefix) for p in payloads}
    send = [p for p in payloads if full or held.get(p.name(prefix)) != p.digest]
    same = [p for p in payloads if p not in send]
    drop = sorted(name for name in held if name.startswith(prefix) and name not in wanted)
    return send, same, drop


# ---------------------------------------------------------------- the embedded store


BULK_BATCH = 900_000  # quads; below Oxigraph's bulk-load batch (1,000,000), which it ingests into every index at once


def sync_embedded(folder: Path, payloads: list[Payload], prefix: str = DEFAULT_GRAPH_PREFIX) -> SyncReport:
    """Bring the on-disk pyoxigraph store in `folder` to exactly these graphs: unchanged ones are
    left alone, changed ones and those of removed articles are dropped, and the new content goes in
    by bulk loads (several times faster than a transaction per graph). Each load holds whole
    graphs and less than one batch of Oxigraph's loader, so it lands at once or not at all; loads
    run side by side, one per core. Only then does each loaded graph get its hash stamp, all in one
    transaction: a graph a killed run loaded has no stamp, so the next sync replaces it instead of
    trusting it."""
    started = time.perf_counter()
    try:
        store = ox.Store(str(folder))
    except OSError as err:
        raise PublishError(f"{folder}: the embedded store cannot be opened ({err}); is another newskg using it?") from None
    held = {str(row["graph"].value): str(row["hash"].value) for row in store.query(STATE_QUERY)}
    send, same, drop = _plan(payloads, held, prefix)
    report = SyncReport(unchanged=[p.key for p in same])
    kept = {p.name(prefix) for p in same}
    for graph in list(store.named_graphs()):  # changed, removed, and any left unstamped by an interrupted load
        name = getattr(graph, "value", "")
        if name.startswith(prefix) and name not in kept:
            store.remove_graph(graph)
    report.dropped = [name[len(prefix) :] for name in drop]
    cores = available_cores()
    with ThreadPoolExecutor(cores) as pool:  # the loader runs outside the GIL
        loads = [pool.submit(_bulk_load, store, group, prefix) for group in _batches(send, cores)]
        for load in loads:
            load.result()
    store.extend(p.stamp(prefix) for p in send)
    report.sent = [p.key for p in send]
    store.flush()
    del store  # release the database lock before anyone else opens it
    report.seconds = time.perf_counter() - started
    return report


def _batches(payloads: list[Payload], parts: int) -> list[list[Payload]]:
    """The payloads in their order, cut into runs of about equal size (`parts` of them, or more
    where that size would pass BULK_BATCH quads; a graph above it alone is a run of its own)."""
    size = min(BULK_BATCH, max(1, -(-sum(p.triples for p in payloads) // parts)))
    batches: list[list[Payload]] = [[]]
    filled = 0
    for payload in payloads:
        if batches[-1] and filled + payload.triples > size:
            batches.append([])
            filled = 0
        batches[-1].append(payload)
        filled += payload.triples
    return [batch for batch in batches if batch]


def _bulk_load(store: ox.Store, payloads: list[Payload], prefix: str) -> None:
    store.bulk_load(rdfio.ByteStream(rdfio.as_nquads(p.name(prefix), p.data) for p in payloads), format=ox.RdfFormat.N_QUADS)


# ---------------------------------------------------------------- a Graph Store Protocol server


def query_endpoint_for(endpoint: str) -> str:
    """The SPARQL query endpoint beside a Graph Store endpoint: Oxigraph's /store → /query,
    Fuseki's /ds/data → /ds/query."""
    parts = urlsplit(endpoint)
    path = parts.path.rstrip("/")
    head, _, _ = path.rpartition("/")
    return urlunsplit(parts._replace(path=f"{head}/query", query=""))


class GraphStore:
    """A SPARQL 1.1 Graph Store HTTP Protocol endpoint, with a query endpoint to read what it holds."""

    def __init__(
        self,
        endpoint: str,
        *,
        query_endpoint: str | None = None,
        auth: tuple[str, str] | None = None,
        timeout: tuple[float, float] = (5.0, 120.0),
        attempts: int = 6,
        backoff: float = 1.0,
        max_wait: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        session: requests.Session | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.query_endpoint = query_endpoint or query_endpoint_for(endpoint)
        self.timeout = timeout
        self.attempts = attempts
        self.backoff = backoff
        self.max_wait = max_wait
        self._sleep = sleep
        self.session = client_session("newskg-publish", auth=auth, session=session)
        self.requests = 0
        self.waits: list[float] = []

    def held(self) -> dict[str, str]:
        """The graphs the store holds that state their hash, by name."""
        response = self._send("POST", self.query_endpoint, "reading what the store holds", data=STATE_QUERY.encode("utf-8"),
                              headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
        try:
            bindings = response.json()["results"]["bindings"]
        except (ValueError, KeyError, TypeError):
            raise PublishError(f"{shown(self.query_endpoint)}: expected SPARQL JSON results, got {response.text[:200]!r}") from None
        return {b["graph"]["value"]: b["hash"]["value"] for b in bindings if "graph" in b and "hash" in b}

    def put(self, name: str, body: bytes) -> None:
        self._send("PUT", self.endpoint, f"loading graph {name}", params={"graph": name}, data=body,
                   headers={"Content-Type": "application/n-triples"})

    def delete(self, name: str) -> None:
        self._send("DELETE", self.endpoint, f"dropping graph {name}", params={"graph": name}, missing_ok=True)

    def close(self) -> None:
        self.session.close()

    def _send(self, method: str, url: str, what: str, *, missing_ok: bool = False, **kwargs) -> requests.Response:
        last, delay = "", 0.0
        for attempt in range(self.attempts):
            if attempt:
                self.waits.append(delay)
                self._sleep(delay)
            self.requests += 1
            try:
                response = self.session.request(method, url, timeout=self.timeout, **kwargs)
            except (requests.ConnectionError, requests.Timeout) as err:
                last, delay = type(err).__name__, backoff_delay(attempt, self.backoff, self.max_wait)
                continue
            if response.status_code >= 500:
                last, delay = f"HTTP {response.status_code}", backoff_delay(attempt, self.backoff, self.max_wait)
                continue
            if response.status_code == 404 and missing_ok:
                return response
            if response.status_code >= 400:
                raise PublishError(f"{shown(url)}: {what}: HTTP {response.status_code}: {response.text.strip()[:500]}")
            return response
        raise PublishError(f"{shown(url)}: {what}: no answer after {self.attempts} attempts (last: {last})")


def publish(payloads: list[Payload], store: GraphStore, *, prefix: str = DEFAULT_GRAPH_PREFIX, full: bool = False) -> SyncReport:
    """Send each new or changed graph with PUT (the store replaces exactly that graph), drop our
    graphs the payloads no longer have; `full` sends every graph whatever the store holds."""
    started = time.perf_counter()
    send, same, drop = _plan(payloads, store.held(), prefix, full)
    report = SyncReport(unchanged=[p.key for p in same])
    try:
        for payload in send:
            store.put(payload.name(prefix), payload.body(prefix))
            report.sent.append(payload.key)
        for name in drop:
            store.delete(name)
            report.dropped.append(name[len(prefix) :])
    except PublishError as err:
        pending = [p.key for p in send if p.key not in report.sent]
        raise PublishError(
            f"{err}. Published {len(report.sent)} of {len(send)} graphs to send"
            + (f" ({', '.join(report.sent[:5])}{', …' if len(report.sent) > 5 else ''})" if report.sent else "")
            + f"; not published: {len(pending)}" + (f" ({', '.join(pending[:5])}{', …' if len(pending) > 5 else ''})" if pending else "")
            + f"; {len(same)} were there already. Run publish again to send only what is missing."
        ) from None
    report.seconds = time.perf_counter() - started
    return report


def manifest_bytes(trig_digest: str, payloads: list[Payload], files: dict[str, str] | None = None) -> bytes:
    """What a run wrote and validated: the SHA-256 of graph.trig (publish trusts that validation
    when the file still has it), each graph's hash, and the hash of every file written with it
    (so a reader can tell that the files in a folder belong to one run)."""
    doc = {
        "graph.trig": trig_digest,
        "conforms": True,
        "graphs": {p.key: p.digest for p in payloads},
        "files": dict(sorted((files or {}).items())),
    }
    return (json.dumps(doc, indent=1, sort_keys=True) + "\n").encode("utf-8")


def validated_before(trig: Path, manifest: Path) -> bool:
    """Whether the run that wrote `manifest` validated exactly the bytes now in `trig`."""
    try:
        doc = json.loads(manifest.read_text(encoding="utf-8"))
        return doc.get("conforms") is True and doc.get("graph.trig") == hashlib.sha256(trig.read_bytes()).hexdigest()
    except (OSError, ValueError):
        return False

