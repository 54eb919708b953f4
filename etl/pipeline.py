"""The main job: sources → extract → map → SHACL gate → Turtle and TriG in the output folder."""

from __future__ import annotations

import traceback
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from rdflib import Graph

from etl import rdfio, resources
from etl.coref import corefer
from etl.datapack import DEFAULT_DATA_DIR, DataPack, Registry, known_entities, load_datapack
from etl.extract import extract
from etl.linking import link_entities
from etl.mapping import MappedGraphs, graph_iri, map_records
from etl.model import Article, ArticleRecords, LinkDecision
from etl.publish import SyncReport, manifest_bytes, payloads_of, sync_embedded
from etl.review import write_links_csv
from etl.sources import DEFAULT_MAX_BYTES, Skipped, read_sources
from etl.validate import ValidationReport, validate_graph
from etl.wikidata import CACHE_FILE, WIKIDATA_API, AnswerCache, RequestLog, WikidataClient

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
    records, skipped, _ = _extract_all(config, load_datapack(config.data_dir, config.local_registry))
    return records, skipped


def run(config: RunConfig) -> RunResult:
    """Read, extract, link, map and validate the inputs; write the graph only if it conforms."""
    pack = load_datapack(config.data_dir, config.local_registry)
    vocabulary = Vocabulary.load()
    records, skipped, duplicates = _extract_all(config, pack)
    result = RunResult(skipped=skipped, duplicates=duplicates)
    if not records:
        return result
    merged = corefer(records, pack.registry)
    result.entities = known_entities(pack.registry, merged)
    result.links, result.requests = _link(merged, result.entities, pack, config)
    mapped = map_records(merged, pack, vocabulary.ontology, result.links)
    union = mapped.union()
    result.triples = len(union)
    result.named_graphs = len(mapped.named)
    result.facts = _count_facts(records)
    result.articles = [_summary(r, mapped) for r in records]
    result.report = validate_graph(union, vocabulary.shapes, vocabulary.ontology)
    with rdfio.exclusive_output(config.out_dir):
        _write_outputs(result, mapped, union, vocabulary, pack, config)
    return result


def _write_outputs(result: RunResult, mapped: MappedGraphs, union: Graph, vocabulary: Vocabulary, pack: DataPack, config: RunConfig) -> None:
    """The report always; the graph files and the store only for a conforming graph."""
    out = Path(config.out_dir)
    report = rdfio.canonical_turtle_bytes(result.report.graph)
    if not result.report.conforms:
        rdfio.write_atomic(out / VALIDATION_TTL, report)
        result.written.append(out / VALIDATION_TTL)
        return
    named = rdfio.sorted_named_graphs(mapped.items())
    trig = rdfio.trig_bytes(named)
    payloads = payloads_of(named, vocabulary.ontology)
    files = {
        out / VALIDATION_TTL: report,
        out / GRAPH_TRIG: trig,
        out / GRAPH_TTL: rdfio.turtle_bytes(union),
        out / LINKS_CSV: write_links_csv(result.links.values(), result.entities, pack.linking),
    }
    files[out / MANIFEST_JSON] = manifest_bytes(trig, payloads, {path.name: data for path, data in files.items()})
    rdfio.write_all_atomic(files)  # the manifest, which vouches for the others, is renamed last
    result.written += list(files)
    if config.load_store:
        result.store_dir = out / STORE_DIR
        result.store = sync_embedded(result.store_dir, payloads)


def _link(records: list[ArticleRecords], known: Registry, pack: DataPack, config: RunConfig) -> tuple[dict[str, LinkDecision], RequestLog]:
    """Link every entity the graph uses: from the registry, then the answer cache, then (online) Wikidata."""
    keys = set().union(*(r.entity_keys() for r in records))
    keys |= {known.get(key).state for key in keys if known.get(key).state}  # the graph describes their states too
    used = [known.get(key) for key in sorted(keys)]
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


def _extract_all(config: RunConfig, pack: DataPack) -> tuple[list[ArticleRecords], list[Skipped], list[Duplicate]]:
    """Extract every readable article once. Of several inputs with the same text, the one whose
    name sorts first is read (its offsets are the evidence's, whatever order the files came in)
    and the others are recorded as its copies."""
    records: dict[str, ArticleRecords] = {}
    copies: dict[str, list[Article]] = {}
    skipped: list[Skipped] = []
    for item in read_sources(config.inputs, pack, max_bytes=config.max_bytes):
        if isinstance(item, Skipped):
            skipped.append(item)
            continue
        first = records.get(item.key)
        if first is not None and _reading_order(first.article) <= _reading_order(item):
            copies.setdefault(item.key, []).append(item)
            continue
        extracted = _extract_one(item, pack, skipped)
        if extracted is None:
            continue
        if first is not None:
            copies.setdefault(item.key, []).append(first.article)
        records[item.key] = extracted
    duplicates = [Duplicate(copy.path, records[key].article.path) for key, found in copies.items() for copy in found]
    result = [_with_copies(record, copies.get(key, ())) for key, record in records.items()]
    result.sort(key=lambda r: (r.article.source, r.article.key))
    return result, skipped, sorted(duplicates, key=lambda d: (d.path, d.same_as))


def _reading_order(article: Article) -> tuple[str, str]:
    return article.source, article.path


def _extract_one(article: Article, pack: DataPack, skipped: list[Skipped]) -> ArticleRecords | None:
    try:
        return extract(article, pack)
    except Exception as err:  # one article's failure must not stop the batch
        where = traceback.extract_tb(err.__traceback__)[-1]
        skipped.append(Skipped(article.path, f"extraction failed: {type(err).__name__}: {err} (at {Path(where.filename).name}:{where.lineno})"))
        return None


def _with_copies(record: ArticleRecords, copies: Iterable[Article]) -> ArticleRecords:
    names = sorted({copy.source for copy in copies} - {record.article.source})
    return replace(record, copies=tuple(names)) if names else record


def _count_facts(records: list[ArticleRecords]) -> Counter:
    facts: Counter = Counter()
    for record in records:
        facts["mentions"] += len(record.mentions)
        facts["meetings"] += len(record.meetings)
        facts["claims"] += len(record.claims)
        facts["evidence"] += len(record.mentions) + sum(len(m.evidence) for m in record.meetings) + sum(len(c.evidence) for c in record.claims)
    facts["entities"] = len({m.entity for r in records for m in r.mentions})
    return facts


def _summary(record: ArticleRecords, mapped: MappedGraphs) -> ArticleSummary:
    article = record.article
    return ArticleSummary(
        source=article.source,
        key=article.key,
        mentions=len(record.mentions),
        meetings=len(record.meetings),
        claims=len(record.claims),
        triples=len(mapped.named[graph_iri(article.key)]),
        warnings=article.warnings,
    )
