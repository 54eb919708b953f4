"""The main job: sources → extract → map → SHACL gate → Turtle and TriG in the output folder."""

from __future__ import annotations

import hashlib
import pickle
import traceback
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox
from rdflib import Graph

from etl import rdfio, resources
from etl.coref import corefer
from etl.datapack import DEFAULT_DATA_DIR, DataPack, Registry, known_entities, load_datapack
from etl.extract import extract
from etl.linking import link_entities
from etl.mapping import (
    REGISTRY_GRAPH,
    article_statements,
    entity_types,
    graph_iri,
    is_article_local,
    owner_runs,
    registry_triples,
    split_by_owner,
)
from etl.model import Article, ArticleRecords, Entity, LinkDecision
from etl.progress import Progress
from etl.publish import Payload, SyncReport, manifest_bytes, payload_of, sync_embedded, with_ontology
from etl.report import REPORT_HTML, Report, write_report
from etl.review import write_links_csv
from etl.shacl import Engine, Result
from etl.sources import DEFAULT_MAX_BYTES, Skipped, read_sources
from etl.validate import ValidationReport, report_of
from etl.wikidata import CACHE_FILE, WIKIDATA_API, AnswerCache, RequestLog, WikidataClient
from etl.workers import Workers

GRAPH_TTL = "graph.ttl"
GRAPH_TRIG = "graph.trig"
VALIDATION_TTL = "validation.ttl"
LINKS_CSV = "links.csv"
MANIFEST_JSON = "manifest.json"
STORE_DIR = "store"


@dataclass(frozen=True)
class RunConfig:
    inputs: tuple[str, ...]
    out_dir: Path
    data_dir: Path = DEFAULT_DATA_DIR
    max_bytes: int = DEFAULT_MAX_BYTES
    local_registry: Path | None = None  # reviewed IDs that override the pack's registry
    cache_dir: Path | None = None  # Wikidata's answers; None: link from the registry only
    online: bool = False  # ask Wikidata for what the cache does not hold
    wikidata_api: str = WIKIDATA_API
    contact: str | None = None  # for the User-Agent sent to Wikidata
    maxlag: int = 5
    load_store: bool = True  # keep the embedded store under out/store/ in step with the graph
    jobs: int = 1  # worker processes for the per-article work; the output is the same for any number
    progress: bool | None = False  # progress bars on stderr: always, never, or (None) on a terminal
    html_report: bool = True  # write report.html beside a conforming graph


@dataclass(frozen=True)
class ArticleSummary:
    source: str
    key: str
    mentions: int
    meetings: int
    claims: int
    triples: int
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Duplicate:
    """An input holding the text of an article read from another input."""

    path: str
    same_as: str

    def __str__(self) -> str:
        return f"{self.path}: same text as {self.same_as} (one article; both sources recorded)"


@dataclass
class RunResult:
    articles: list[ArticleSummary] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    facts: Counter = field(default_factory=Counter)
    triples: int = 0
    named_graphs: int = 0
    report: ValidationReport | None = None
    written: list[Path] = field(default_factory=list)
    links: dict[str, LinkDecision] = field(default_factory=dict)
    entities: Registry | None = None  # the registry with the persons the articles introduce
    requests: RequestLog = field(default_factory=RequestLog)
    store: SyncReport | None = None
    store_dir: Path | None = None
    html_report: Report | None = None

    @property
    def conforms(self) -> bool:
        return self.report is not None and self.report.conforms


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """The ontology and the shapes, read once."""

    ontology: Graph
    shapes: Graph

    @classmethod
    def load(cls) -> Vocabulary:
        return cls(rdfio.read_graph(resources.ontology_file()), rdfio.read_graph(resources.shapes_file()))


def extract_corpus(config: RunConfig) -> tuple[list[ArticleRecords], list[Skipped]]:
    """Read and extract the inputs (no graph): the records, and what was skipped and why."""
    pack = load_datapack(config.data_dir, config.local_registry)
    with Workers(config.jobs, _start_worker, (pack, None, None)) as workers:
        records, skipped, _ = _extract_all(config, pack, workers, Progress(False), None)
    return records, skipped


def run(config: RunConfig) -> RunResult:
    """Read, extract, link, map and validate the inputs; write the graph only if it conforms."""
    pack = load_datapack(config.data_dir, config.local_registry)
    vocabulary = Vocabulary.load()
    engine = Engine(vocabulary.shapes, vocabulary.ontology)
    progress = Progress(config.progress)
    out_was_there = Path(config.out_dir).exists()
    try:
        # the spill is opened before the workers fork, so they read the records it holds themselves
        with rdfio.exclusive_output(config.out_dir), rdfio.Spill(config.out_dir) as spill, \
                Workers(config.jobs, _start_worker, (pack, engine, spill)) as workers:
            return _run_with(config, pack, vocabulary, engine, progress, spill, workers)
    finally:
        if not out_was_there:
            rdfio.remove_if_unused(Path(config.out_dir))  # a run that read nothing leaves no folder behind


def _run_with(config: RunConfig, pack: DataPack, vocabulary: Vocabulary, engine: Engine, progress: Progress, spill: rdfio.Spill,
              workers: Workers) -> RunResult:
    """The run in its locked output folder, with its spill and its workers."""
    held, skipped, duplicates = _extract_all(config, pack, workers, progress, spill)
    result = RunResult(skipped=skipped, duplicates=duplicates)
    if not held:
        return result
    merged = list(zip(held, corefer([h.record for h in held], pack.registry), strict=True))
    result.entities = known_entities(pack.registry, [record for _, record in merged])
    used = _used_entities(merged)
    result.links, result.requests = _link(used, result.entities, pack, config)
    result.facts = _count_facts(held)
    graphs = _article_graphs(merged, result.entities.entities, workers, spill, progress)
    registry = rdfio.sorted_triples(registry_triples(used, result.entities.entities, vocabulary.ontology, result.links))
    graphs.shared.update(dict.fromkeys(map(rdfio.as_statement, registry)))
    result.report = report_of([*graphs.results, *_shared_results(graphs, vocabulary, engine)], vocabulary.shapes)
    triples_of = {entry.name: entry.triples for entry in graphs.entries}
    result.articles = [_summary(h, triples_of[str(graph_iri(h.article.key))]) for h in held]
    result.triples = graphs.local_triples + len(graphs.shared)
    result.named_graphs = len(graphs.entries) + 1
    payloads = _write_outputs(result, graphs, registry, vocabulary, pack, config, progress)
    if result.conforms:
        _finish(result, payloads, held, spill, config, progress)
    return result


def _finish(result: RunResult, payloads: list[Payload], held: list[Held], spill: rdfio.Spill, config: RunConfig, progress: Progress) -> None:
    """Once the files are renamed: load the store (in a thread: the bulk load runs outside the GIL)
    while the HTML report is built (only then are the articles' texts read back from the spill)."""
    out = Path(config.out_dir)
    with ThreadPoolExecutor(1) as pool, progress.stage("store and report", None, unit="step"):
        loading = pool.submit(sync_embedded, out / STORE_DIR, payloads) if config.load_store else None
        if config.html_report:
            articles = [h.full(spill).article for h in held]
            result.html_report = write_report(out / REPORT_HTML, [payload.data for payload in payloads], articles)
            result.written.append(out / REPORT_HTML)
        else:  # an older report would describe another graph
            (out / REPORT_HTML).unlink(missing_ok=True)
        if loading is not None:
            result.store_dir, result.store = out / STORE_DIR, loading.result()


# ---------------------------------------------------------------- the work of a worker process

_WORKER: dict = {}


def _start_worker(pack: DataPack, engine: Engine | None, spill: rdfio.Spill | None) -> None:
    _WORKER.update(pack=pack, engine=engine, spill=spill)


def _extract_task(article: Article) -> ArticleRecords | Held | Skipped:
    """One article's records (held for the spill, when the run has one), or why it could not be
    extracted (one article's failure must not stop the batch)."""
    try:
        records = extract(article, _WORKER["pack"])
    except Exception as err:
        where = traceback.extract_tb(err.__traceback__)[-1]
        return Skipped(article.path, f"extraction failed: {type(err).__name__}: {err} (at {Path(where.filename).name}:{where.lineno})")
    return records if _WORKER["spill"] is None else Held.of(records)


@dataclass(frozen=True)
class Held:
    """An article's records as a run keeps them from extraction to mapping: what coreference,
    linking and the summary need. The text and the mentions wait in the spill, pickled with the
    rest, so the corpus itself is never in memory."""

    record: ArticleRecords  # without the article's text and without the mentions
    mentioned: frozenset[str]  # the entities the mentions name
    mentions: int
    pickled: bytes | tuple[int, int]  # the whole record: pickled in the worker, then where in the spill (offset, length)

    @classmethod
    def of(cls, record: ArticleRecords) -> Held:
        article = replace(record.article, original="", text="", segments=(), source_map=None)
        return cls(replace(record, article=article, mentions=()), frozenset(m.entity for m in record.mentions), len(record.mentions),
                   pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))

    @property
    def article(self) -> Article:
        return self.record.article

    def spilled(self, spill: rdfio.Spill) -> Held:
        if not isinstance(self.pickled, bytes):
            return self
        chunk = spill.append(self.pickled)
        return replace(self, pickled=(chunk.offset, chunk.length))

    def full(self, spill: rdfio.Spill, facts: ArticleRecords | None = None) -> ArticleRecords:
        """The whole record from the spill (a worker reads it through the file it inherited),
        with the facts and copies of `facts` (the record after coreference) if given."""
        assert isinstance(self.pickled, tuple), "spilled first"
        record: ArticleRecords = pickle.loads(spill.read(*self.pickled))
        facts = facts or self.record
        return replace(record, meetings=facts.meetings, claims=facts.claims, copies=facts.copies)

    def uses(self, facts: ArticleRecords) -> set[str]:
        """The entities the record uses, with `facts` (after coreference) for its meetings and claims."""
        return facts.entity_keys() | self.mentioned


@dataclass(frozen=True)
class ArticleGraph:
    """One article's named graph, made and checked in a worker: its sorted N-Triples (for the
    store) and their hash, the byte ranges in them of the triples about nodes several graphs may
    describe (meetings, claims, times, entities), the graph as it stands in graph.trig and its own
    nodes' triples as they stand in graph.ttl (blocks without prefix lines), the classes of its
    own nodes the shared triples point to (N-Triples), and the validation results of its own
    nodes. The shared part is validated once all articles are in. Bytes and ranges, not triple
    objects, cross the process boundary: they pickle as fast as a copy, and the main process only
    has to write them out."""

    key: str
    ntriples: bytes
    digest: str
    triples: int
    shared: tuple[tuple[int, int], ...]
    trig: bytes
    turtle: bytes
    context: bytes
    results: tuple[Result, ...]


def _graph_task(task: tuple[Held, ArticleRecords, dict[str, Entity]]) -> ArticleGraph:
    held, facts, entities = task
    record = held.full(_WORKER["spill"], facts)
    engine: Engine = _WORKER["engine"]
    index = rdfio.sorted_index(article_statements(record, entities).index)
    triples = rdfio.index_triples(index)
    results = engine.validate(engine.data(entity_types(entities.values()), index), is_article_local)
    runs = owner_runs(triples)
    ntriples, shared = _encoded_runs(runs)
    turtle = [rdfio.turtle_block(run) for _, run in runs]  # a subject's statements are in one run, so the runs' blocks join
    own = b"".join(block for (is_own, _), block in zip(runs, turtle, strict=True) if is_own)
    context = split_by_owner(runs)[2]
    return ArticleGraph(record.article.key, ntriples, _digest(ntriples), len(triples), shared,
                        rdfio.trig_block(str(graph_iri(record.article.key)), b"".join(turtle)), own,
                        rdfio.ntriples_bytes(context), tuple(results))


def _encoded_runs(runs: list[tuple[bool, list[ox.Triple]]]) -> tuple[bytes, tuple[tuple[int, int], ...]]:
    """A graph's runs (`owner_runs`) as one N-Triples document, and the byte ranges in it of the
    shared runs. N-Triples holds one statement a line, so the runs serialized apart join to
    exactly the graph's bytes."""
    parts: list[bytes] = []
    shared: list[tuple[int, int]] = []
    offset = 0
    for own, run in runs:
        part = rdfio.ntriples_bytes(run)
        if not own:
            shared.append((offset, offset + len(part)))
        parts.append(part)
        offset += len(part)
    return b"".join(parts), tuple(shared)


class _NamedGraph(NamedTuple):
    """A named graph as the run writes it: its N-Triples (the store's payload) and their hash,
    its size, and its block of graph.trig."""

    name: str
    ntriples: bytes | rdfio.Chunk
    digest: str
    triples: int
    trig: bytes | rdfio.Chunk

    @classmethod
    def of(cls, name: str, triples: list[ox.Triple]) -> _NamedGraph:
        """A graph made in the main process (the registry), from its sorted triples."""
        data = rdfio.ntriples_bytes(triples)
        return cls(name, data, _digest(data), len(triples), rdfio.trig_block(name, rdfio.turtle_block(triples)))


def _digest(ntriples: bytes) -> str:
    """The SHA-256 of a graph's sorted N-Triples: the graph's hash in the store and the manifest."""
    return hashlib.sha256(ntriples).hexdigest()


# ---------------------------------------------------------------- the graphs of a run


@dataclass
class _Graphs:
    entries: list[_NamedGraph] = field(default_factory=list)  # the articles' graphs, waiting in the spill
    local: list[rdfio.Chunk] = field(default_factory=list)  # Turtle blocks of what only one graph can hold, graph by graph
    results: list[Result] = field(default_factory=list)
    shared: dict[ox.Quad, None] = field(default_factory=dict)  # statements several graphs may hold (and the registry's)
    context: dict[ox.Quad, None] = field(default_factory=dict)
    local_triples: int = 0


def _article_graphs(merged: list[tuple[Held, ArticleRecords]], known: dict[str, Entity], workers: Workers, spill: rdfio.Spill,
                    progress: Progress) -> _Graphs:
    """Each article's graph, made in the workers in graph-name order and spilled to disk."""
    graphs = _Graphs()
    ordered = sorted(merged, key=lambda pair: pair[0].article.key)
    tasks = ((held, facts, {k: known[k] for k in _with_states(held.uses(facts), known)}) for held, facts in ordered)
    with progress.stage("graphs", len(ordered)) as bar:
        for made in workers.map(_graph_task, tasks):
            chunk = spill.append(made.ntriples)
            graphs.entries.append(_NamedGraph(str(graph_iri(made.key)), chunk, made.digest, made.triples, spill.append(made.trig)))
            graphs.local.append(spill.append(made.turtle))
            graphs.shared.update(dict.fromkeys(chain.from_iterable(rdfio.statements(made.ntriples[start:end]) for start, end in made.shared)))
            graphs.context.update(dict.fromkeys(rdfio.statements(made.context)))
            graphs.results.extend(made.results)
            graphs.local_triples += made.triples - sum(made.ntriples.count(b"\n", start, end) for start, end in made.shared)
            bar.update()
    return graphs


def _with_states(keys: set[str], known: dict[str, Entity]) -> list[str]:
    return sorted(keys | {known[k].state for k in keys if known[k].state})


def _used_entities(merged: list[tuple[Held, ArticleRecords]]) -> set[str]:
    return set().union(*(held.uses(facts) for held, facts in merged))


def _shared_results(graphs: _Graphs, vocabulary: Vocabulary, engine: Engine) -> list[Result]:
    """The validation of what several graphs may describe (meetings, claims, times, the registry's
    entities and the ontology mixed in), over the union of their triples."""
    data = engine.data([*graphs.shared, *graphs.context, *rdfio.ox_triples(vocabulary.ontology)])
    return engine.validate(data, lambda node: not is_article_local(node))


def _write_outputs(result: RunResult, graphs: _Graphs, registry: list[ox.Triple], vocabulary: Vocabulary, pack: DataPack,
                   config: RunConfig, progress: Progress) -> list[Payload]:
    """The validation report always; the graph files only for a conforming graph (then the
    payloads for the store, else none)."""
    out = Path(config.out_dir)
    report = rdfio.canonical_turtle_bytes(result.report.graph)
    if not result.report.conforms:
        rdfio.write_atomic(out / VALIDATION_TTL, report)
        result.written.append(out / VALIDATION_TTL)
        return []
    named = sorted([*graphs.entries, _NamedGraph.of(str(REGISTRY_GRAPH), registry)], key=lambda graph: graph.name)
    payloads = with_ontology([payload_of(graph.name, graph.ntriples, graph.digest, graph.triples) for graph in named], vocabulary.ontology)
    digests: dict[Path, str] = {}
    shared = rdfio.turtle_block(rdfio.sorted_triples(graphs.shared))  # each once, in the fixed order: a shared node's statements stand together
    files = {
        out / VALIDATION_TTL: report,
        out / GRAPH_TRIG: rdfio.blocks_writer(ox.RdfFormat.TRIG, [graph.trig for graph in named]),
        out / GRAPH_TTL: rdfio.blocks_writer(ox.RdfFormat.TURTLE, [*graphs.local, shared]),
        out / LINKS_CSV: write_links_csv(result.links.values(), result.entities, pack.linking),
    }
    files[out / MANIFEST_JSON] = lambda stream: stream.write(
        manifest_bytes(digests[out / GRAPH_TRIG], payloads, {path.name: digest for path, digest in digests.items()})
    )
    with progress.stage("writing", None, unit="file"):
        rdfio.write_all_atomic(files, digests)  # the manifest, which vouches for the others, is renamed last
    result.written += list(files)
    return payloads


def _link(entities: set[str], known: Registry, pack: DataPack, config: RunConfig) -> tuple[dict[str, LinkDecision], RequestLog]:
    """Link every entity the graph uses: from the registry, then the answer cache, then (online) Wikidata."""
    used = [known.get(key) for key in _with_states(entities, known.entities)]  # the graph describes their states too
    if config.cache_dir is None or not (config.online or (Path(config.cache_dir) / CACHE_FILE).exists()):
        return link_entities(used, known, pack.linking, None), RequestLog()  # nothing to ask, nothing cached
    cache = AnswerCache(Path(config.cache_dir))
    try:
        client = WikidataClient(cache, online=config.online, api=config.wikidata_api, contact=config.contact, maxlag=config.maxlag)
        try:
            return link_entities(used, known, pack.linking, client), client.log
        finally:
            client.close()
    finally:
        cache.close()


def _extract_all(config: RunConfig, pack: DataPack, workers: Workers, progress: Progress, spill: rdfio.Spill | None) -> tuple[list, list[Skipped], list[Duplicate]]:
    """Extract every readable article once: the records (`Held` in the spill, given one). Of
    several inputs with the same text, the one whose name sorts first is read (its offsets are the
    evidence's, whatever order the files came in) and the others are recorded as its copies."""
    skipped: list[Skipped] = []
    chosen: dict[str, tuple[str, str]] = {}  # by text: where the input read so far that sorts first comes in the order
    copies: dict[str, list[Article]] = {}

    def to_extract():
        for item in read_sources(config.inputs, pack, max_bytes=config.max_bytes):
            if isinstance(item, Skipped):
                skipped.append(item)
                continue
            first = chosen.get(item.key)
            if first is not None and first <= _reading_order(item):
                copies.setdefault(item.key, []).append(item)
                continue
            chosen[item.key] = _reading_order(item)
            yield item

    records: dict[str, ArticleRecords | Held] = {}
    with progress.stage("articles", None) as bar:
        for outcome in workers.map(_extract_task, to_extract()):
            bar.update()
            if isinstance(outcome, Skipped):
                skipped.append(outcome)
                continue
            if spill is not None:
                outcome = outcome.spilled(spill)
            key = outcome.article.key
            current = records.get(key)
            if current is not None and _reading_order(current.article) <= _reading_order(outcome.article):
                copies.setdefault(key, []).append(outcome.article)
                continue
            if current is not None:
                copies.setdefault(key, []).append(current.article)
            records[key] = outcome
    duplicates = [Duplicate(copy.path, records[key].article.path) for key, found in copies.items() if key in records for copy in found]
    result = [_with_copies(record, copies.get(key, ())) for key, record in records.items()]
    result.sort(key=lambda r: (r.article.source, r.article.key))
    return result, skipped, sorted(duplicates, key=lambda d: (d.path, d.same_as))


def _reading_order(article: Article) -> tuple[str, str]:
    return article.source, article.path


def _with_copies(record: ArticleRecords | Held, copies: Iterable[Article]) -> ArticleRecords | Held:
    if isinstance(record, Held):
        return replace(record, record=_with_copies(record.record, copies))
    names = sorted({copy.source for copy in copies} - {record.article.source})
    return replace(record, copies=tuple(names)) if names else record


def _count_facts(held: list[Held]) -> Counter:
    facts: Counter = Counter()
    for each in held:
        record = each.record
        facts["mentions"] += each.mentions
        facts["meetings"] += len(record.meetings)
        facts["claims"] += len(record.claims)
        facts["evidence"] += each.mentions + sum(len(m.evidence) for m in record.meetings) + sum(len(c.evidence) for c in record.claims)
    facts["entities"] = len(frozenset().union(*(each.mentioned for each in held)))
    return facts


def _summary(held: Held, triples: int) -> ArticleSummary:
    record, article = held.record, held.article
    return ArticleSummary(
        source=article.source,
        key=article.key,
        mentions=held.mentions,
        meetings=len(record.meetings),
        claims=len(record.claims),
        triples=triples,
        warnings=article.warnings,
    )
