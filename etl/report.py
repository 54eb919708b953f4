"""The HTML report analysts open: a timeline of meetings and claims, a network of actors, tables
of claims and meetings whose rows open the article with the evidence highlighted, and the actors
with their Wikidata pages.

Everything shown is read from the graph with SPARQL; the article texts come from the run (or from
reading the inputs again), matched by content hash. The file is self-contained: the data as JSON,
plotly.js and the page's own script and style are inlined, so it opens without a network.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import accumulate, combinations
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from plotly.offline import get_plotlyjs
from rdflib.namespace import OWL, PROV, RDF, RDFS, SDO, SKOS, TIME

from etl import rdfio
from etl.mapping import article_iri
from etl.model import Article, DateValue, Precision, SourceMap
from etl.resources import ontology_file
from etl.vocab import NKG, OA, WD

REPORT_HTML = "report.html"
NEARBY = 200  # characters around the mapped offsets where a moved quote is still taken as the same words
WIKIDATA_PAGE = "https://www.wikidata.org/wiki/"
HUB_STEP = 0.05  # layout units between the hubs of meetings of the same participants
ACTOR_CLASSES = {str(NKG.Person): "person", str(NKG.Organization): "organization", str(NKG.State): "state", str(NKG.Place): "place"}
PRECISIONS = {str(TIME.unitDay): Precision.DAY, str(TIME.unitMonth): Precision.MONTH, str(TIME.unitYear): Precision.YEAR}

_DESCRIBE = "SELECT ?class ?s ?p ?o WHERE { ?s a ?class ; ?p ?o }"


@dataclass(frozen=True)
class Report:
    """The page and what it shows."""

    html: str
    events: int  # dated meetings and claims on the timeline
    undated: int
    actors: int  # named by the facts, each with its Wikidata page where linked
    nodes: int  # actors in the network (meeting hubs not counted)
    edges: int
    claims: int
    meetings: int
    warnings: tuple[str, ...]


def write_report(target: Path, graph: Path | Iterable[bytes | rdfio.Chunk], articles: Iterable[Article]) -> Report:
    """`build_report`, written to `target` (atomically)."""
    report = build_report(graph, articles)
    rdfio.write_atomic(target, report.html.encode("utf-8"))
    return report


def build_report(graph: Path | Iterable[bytes | rdfio.Chunk], articles: Iterable[Article]) -> Report:
    """The report of a graph, with the texts of the given articles: a graph file written by
    `newskg run`, or (in the run itself) its named graphs' N-Triples, the ontology's among them."""
    view = _View(_union_store(graph))
    texts = {article.key: article for article in articles}
    warnings: list[str] = []
    evidence = _evidence(view, texts, warnings)
    meetings = sorted((_meeting(iri, props, view, evidence) for iri, props in view.of(NKG.Meeting).items()), key=_chronological)
    claims = sorted((_claim(iri, props, view, evidence) for iri, props in view.of(NKG.ArmsTransferClaim).items()), key=_chronological)
    facts = [*meetings, *claims]
    actors = _actors(view, facts)
    network = _network(meetings, claims)
    state_labels = {a["state"]: _label(view, a["state"]) for a in actors if a["state"]}
    cited = sorted({item["article"] for fact in facts for item in fact["evidence"]})
    data = {
        "events": sorted((event for fact in facts if (event := _event(fact))), key=lambda e: (e["start"], e["id"])),
        "actors": actors,
        "network": network,
        "claims": claims,
        "meetings": meetings,
        "articles": {key: _article(key, view, texts) for key in cited},
        "states": sorted(state_labels, key=lambda key: (state_labels[key], key)),
        "stances": sorted({c["stance"] for c in claims if c["stance"]}),
        "materiel": sorted({m for c in claims for m in c["materiel"]}),
        "labels": view.concept_labels(),
        "state_labels": state_labels,
    }
    html = _render(data)
    undated = len(facts) - len(data["events"])
    nodes = len(network["positions"]) - len(network["hubs"])
    return Report(html, len(data["events"]), undated, len(actors), nodes, len(network["edges"]), len(claims), len(meetings), tuple(warnings))


# ---------------------------------------------------------------- reading the graph


def _union_store(graph: Path | Iterable[bytes | rdfio.Chunk]) -> ox.Store:
    """The graph's statements in one default graph (a union over the named graphs makes every
    query an order slower), with the ontology."""
    store = ox.Store()
    if isinstance(graph, Path):
        store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in rdfio.read_statements(graph))
        store.load(path=str(ontology_file()), format=ox.RdfFormat.TURTLE)
    else:
        store.bulk_load(rdfio.ByteStream(rdfio.bytes_of(data) for data in graph), format=ox.RdfFormat.N_TRIPLES)
    return store


class _View:
    """The graph's nodes of one class with their properties, sorted, plus labels."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self._cache: dict[str, dict[str, dict[str, list]]] = {}

    def of(self, cls) -> dict[str, dict[str, list]]:
        key = str(cls)
        if key not in self._cache:
            nodes: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
            answer = self.store.query(_DESCRIBE, substitutions={ox.Variable("class"): ox.NamedNode(key)})
            for row in answer:
                if isinstance(row["s"], ox.NamedNode):
                    nodes[row["s"].value][row["p"].value].append(row["o"])
            self._cache[key] = {s: {p: sorted(set(v), key=str) for p, v in props.items()} for s, props in sorted(nodes.items())}
        return self._cache[key]

    def concept_labels(self) -> dict[str, str]:
        return {iri: _english(props.get(str(SKOS.prefLabel), [])) or iri.rsplit("/", 1)[-1] for iri, props in self.of(SKOS.Concept).items()}

    def node(self, iri: str) -> dict[str, list]:
        for cls in (*ACTOR_CLASSES, str(NKG.Article)):
            if iri in self.of(cls):
                return self.of(cls)[iri]
        return {}


def _english(labels: list) -> str | None:
    """The English label, else the German one, else any."""
    by_language = {getattr(label, "language", None): label.value for label in labels}
    return by_language.get("en") or by_language.get("de") or next(iter(by_language.values()), None)


def _label(view: _View, iri: str) -> str:
    return _english(view.node(iri).get(str(RDFS.label), [])) or iri.rsplit("/", 1)[-1]


def _values(props: dict[str, list], predicate) -> list[str]:
    return [term.value for term in props.get(str(predicate), [])]


def _value(props: dict[str, list], predicate) -> str | None:
    values = _values(props, predicate)
    return values[0] if values else None


# ---------------------------------------------------------------- evidence and article texts


def _evidence(view: _View, texts: dict[str, Article], warnings: list[str]) -> dict[str, dict]:
    positions = view.of(OA.TextPositionSelector)
    quotes = view.of(OA.TextQuoteSelector)
    found = {}
    for iri, props in view.of(NKG.Evidence).items():
        selectors = _values(props, OA.hasSelector)
        position = next((positions[s] for s in selectors if s in positions), {})
        quote = next((quotes[s] for s in selectors if s in quotes), {})
        article = _value(props, OA.hasSource) or ""
        start, end = int(_value(position, OA.start) or 0), int(_value(position, OA.end) or 0)
        item = {
            "id": iri, "article": _key(article), "start": start, "end": end,
            "exact": _value(quote, OA.exact) or "", "prefix": _value(quote, OA.prefix) or "", "suffix": _value(quote, OA.suffix) or "",
        }
        item["shown"] = _shown_span(item, texts.get(item["article"]))
        found[iri] = item
    _warn_unshown(found, view, texts, warnings)
    return found


def _shown_span(item: dict, article: Article | None) -> list[int] | None:
    """Where the evidence lies in the text the report shows (the reading text): the offsets
    themselves for plain text, the characters read from [start, end) of the HTML for HTML. None
    when the text is missing or no longer holds the quoted words there."""
    if article is None:
        return None
    start, end = item["start"], item["end"]
    if article.source_map is not None:
        start, end = _reading_span(article.source_map, start, end)
    if article.text[start:end] == item["exact"]:
        return [start, end]
    nearby = article.text.find(item["exact"], max(0, start - NEARBY))  # lines found again out of order
    return [nearby, nearby + len(item["exact"])] if nearby >= 0 and abs(nearby - start) <= NEARBY else None


def _reading_span(source_map: SourceMap, start: int, end: int) -> tuple[int, int]:
    """The reading-text characters whose source lies in [start, end) of the HTML: from the first
    that starts there to the first that ends at `end` (a line break between two lines takes no
    room in the HTML, so it must not be taken in after the last word)."""
    first = bisect_left(_reached(source_map), start)
    last = first
    while last < len(source_map.ends) and (last == first or source_map.ends[last - 1] < end):
        last += 1
    return first, last


@lru_cache(maxsize=64)
def _reached(source_map: SourceMap) -> list[int]:
    """For each reading-text character, the furthest HTML offset read up to it: the first
    character whose source lies at or after an offset is the first where this reaches it (one
    search per span instead of a scan; lines found again out of order keep it exact)."""
    return list(accumulate(source_map.starts, max))


def _warn_unshown(evidence: dict[str, dict], view: _View, texts: dict[str, Article], warnings: list[str]) -> None:
    missing = sorted({e["article"] for e in evidence.values() if e["article"] not in texts})
    for key in missing:
        name = _value(view.of(NKG.Article).get(str(article_iri(key)), {}), NKG.sourceName) or key
        warnings.append(f"{name}: article text not given (content hash {key}); its evidence is shown as quotes only")
    moved = sum(1 for e in evidence.values() if e["article"] in texts and e["shown"] is None)
    if moved:
        warnings.append(f"{moved} evidence spans do not match their article's text at their offsets; shown as quotes only")


def _key(article_iri: str) -> str:
    return article_iri.rsplit("/", 1)[-1]


def _article(key: str, view: _View, texts: dict[str, Article]) -> dict:
    props = view.of(NKG.Article).get(str(article_iri(key)), {})
    article = texts.get(key)
    return {
        "source": _value(props, NKG.sourceName) or key,
        "headline": _value(props, SDO.headline) or "",
        "text": article.text if article is not None else None,
    }


# ---------------------------------------------------------------- facts


def _time(view: _View, instant: str | None) -> dict | None:
    """A time:Instant as the span it stands for: a month-precise date is the whole month."""
    props = view.of(TIME.Instant).get(instant or "")
    if not props:
        return None
    text = _value(props, TIME.inXSDDate) or _value(props, TIME.inXSDgYearMonth) or _value(props, TIME.inXSDgYear)
    if not text:
        return None
    value = DateValue.from_iso(text)
    precision = PRECISIONS.get(_value(props, NKG.precision) or "", value.precision)  # else what the value itself can say
    start = value.coarsen(precision).first_day()
    if precision is Precision.YEAR:
        end = date(start.year + 1, 1, 1)
    elif precision is Precision.MONTH:
        end = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    else:
        end = date.fromordinal(start.toordinal() + 1)
    return {"text": text, "precision": precision.value, "start": start.isoformat(), "end": end.isoformat()}


def _fact_evidence(props: dict[str, list], evidence: dict[str, dict]) -> list[dict]:
    found = [evidence[e] for e in _values(props, NKG.hasEvidence) if e in evidence]
    return sorted(found, key=lambda e: (e["article"], e["start"], e["end"]))


def _meeting(iri: str, props: dict[str, list], view: _View, evidence: dict[str, dict]) -> dict:
    participants = _values(props, NKG.participant)
    return {
        "id": iri, "kind": "meeting",
        "label": " – ".join(_label(view, p) for p in participants),
        "participants": participants,
        "place": _value(props, NKG.place),
        "status": _value(props, NKG.meetingStatus),
        "time": _time(view, _value(props, NKG.hasTime)),
        "evidence": _fact_evidence(props, evidence),
        "articles": [_key(a) for a in _values(props, PROV.wasDerivedFrom)],
    }


def _claim(iri: str, props: dict[str, list], view: _View, evidence: dict[str, dict]) -> dict:
    articles = _values(props, PROV.wasDerivedFrom)
    time = _time(view, _value(props, NKG.claimTime))
    dated_by = "claim"
    if time is None:  # the article's date stands in for a claim without its own
        times = [t for a in articles if (t := _time(view, _value(view.node(a), NKG.publicationTime)))]
        time, dated_by = (min(times, key=lambda t: t["start"]), "publication") if times else (None, None)
    supplier, recipient, claimant = _value(props, NKG.supplier), _value(props, NKG.recipient), _value(props, NKG.claimant)
    return {
        "id": iri, "kind": "claim",
        "label": f"{_label(view, supplier) if supplier else '?'} → {_label(view, recipient) if recipient else '?'}",
        "claimant": claimant, "attribution": _value(props, NKG.attribution),
        "stance": _value(props, NKG.stance),
        "supplier": supplier, "recipient": recipient,
        "materiel": _values(props, NKG.materiel),
        "quantity": _value(props, NKG.quantity),
        "time": time, "dated_by": dated_by,
        "evidence": _fact_evidence(props, evidence),
        "articles": [_key(a) for a in articles],
    }


def _chronological(fact: dict) -> tuple[str, str, str]:
    """Dated facts first, earliest first; then by what they say."""
    return (fact["time"]["start"] if fact["time"] else "9999", fact["label"], fact["id"])


def _event(fact: dict) -> dict | None:
    time = fact["time"]
    if time is None:
        return None
    return {
        "id": fact["id"], "kind": fact["kind"], "label": fact["label"],
        "start": time["start"], "end": time["end"], "precision": time["precision"], "text": time["text"],
        "group": fact.get("stance") or fact.get("status") or fact["kind"], "dated_by": fact.get("dated_by"),
    }


# ---------------------------------------------------------------- the network


def _actors(view: _View, facts: list[dict]) -> list[dict]:
    """Every actor the facts name (claimants and places too), with its state and Wikidata page."""
    keys = {iri for fact in facts for iri in (*fact.get("participants", ()), fact.get("place"), fact.get("supplier"),
                                               fact.get("recipient"), fact.get("claimant")) if iri}
    actors = []
    for iri in sorted(keys):
        props = view.node(iri)
        kind = next((ACTOR_CLASSES[c] for c in _values(props, RDF.type) if c in ACTOR_CLASSES), None)
        if kind is None:
            continue  # a claim made by the article's author names the article, not an actor
        qid = next((v[len(str(WD)):] for v in _values(props, OWL.sameAs) if v.startswith(str(WD))), None)
        actors.append({
            "id": iri, "label": _label(view, iri), "kind": kind,
            "state": iri if kind == "state" else _value(props, NKG.belongsToState),
            "qid": qid, "wikidata": WIKIDATA_PAGE + qid if qid else None,
        })
    return actors


def _network(meetings: list[dict], claims: list[dict]) -> dict:
    """Actors joined by meetings (each meeting a hub with a spoke to every participant) and by
    claimed transfers (supplier to recipient), with fixed positions: the same graph draws the
    same picture. Only the actors are laid out (a meeting ties its participants together there);
    each hub then sits amid its participants, so the layout's cost grows with the actors, not
    with the meetings reported."""
    hubs = [m for m in meetings if len(m["participants"]) > 1]
    edges = [{"fact": m["id"], "kind": "meeting", "source": m["id"], "target": p, "stance": None, "materiel": []}
             for m in hubs for p in m["participants"]]
    edges += [{"fact": c["id"], "kind": "claim", "source": c["supplier"], "target": c["recipient"], "stance": c["stance"],
               "materiel": c["materiel"]} for c in claims if c["supplier"] and c["recipient"]]
    ties = {tuple(sorted(pair)) for m in hubs for pair in combinations(set(m["participants"]), 2)}
    ties |= {tuple(sorted((e["source"], e["target"]))) for e in edges if e["kind"] == "claim"}
    graph = nx.Graph()
    graph.add_nodes_from(sorted({e["target"] for e in edges} | {e["source"] for e in edges if e["kind"] == "claim"}))
    graph.add_edges_from(sorted(ties))
    layout = nx.forceatlas2_layout(graph, seed=7, max_iter=500, strong_gravity=True, scaling_ratio=8) if len(graph) > 1 else {n: (0.0, 0.0) for n in graph}
    positions = {node: [round(float(x), 4), round(float(y), 4)] for node, (x, y) in layout.items()}
    same_group: dict[tuple[str, ...], int] = defaultdict(int)
    for hub in hubs:  # meetings of the same participants step apart, so each hub can be clicked
        group = tuple(sorted(set(hub["participants"])))
        xs, ys = zip(*(positions[p] for p in group), strict=True)
        step = same_group[group]
        same_group[group] += 1
        positions[hub["id"]] = [round(sum(xs) / len(xs), 4), round(sum(ys) / len(ys) + HUB_STEP * step, 4)]
    return {"edges": edges, "positions": dict(sorted(positions.items())), "hubs": sorted(m["id"] for m in hubs)}


# ---------------------------------------------------------------- the page


def _render(data: dict) -> str:
    environment = Environment(loader=PackageLoader("etl", "templates"), autoescape=select_autoescape(["html", "j2"]),
                              undefined=StrictUndefined, keep_trailing_newline=True)
    template = environment.get_template("report.html.j2")
    assets = Path(__file__).resolve().parent / "templates"
    return template.render(
        data=data,
        actor={actor["id"]: actor for actor in data["actors"]},
        script=(assets / "report.js").read_text(encoding="utf-8"),
        style=(assets / "report.css").read_text(encoding="utf-8"),
        plotly=get_plotlyjs(),
    )
