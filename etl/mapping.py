"""Records to RDF: one named graph per article, one shared registry graph.

Every IRI is minted from a stable key (a registry slug, a content hash, or a hash of the
fact's defining parts), never from a counter, a timestamp or a blank node, so the same input
gives the same graph and a fact reported in several articles gets one node.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SDO, SKOS, TIME, XSD

from etl.datapack import DataPack, known_entities
from etl.model import (
    Article,
    ArticleRecords,
    Attribution,
    Claim,
    DateValue,
    Entity,
    EntityKind,
    Evidence,
    LinkDecision,
    LinkStatus,
    Meeting,
    Mention,
    Precision,
    Stance,
    stable_hash,
)
from etl.rdfio import index_triples, rdflib_graph, to_ox
from etl.vocab import ATTRIBUTION, ID, MATERIEL, NKG, OA, STANCE, STATUS, WD

REGISTRY_GRAPH = ID["graph/registry"]


class _Terms:
    """A vocabulary namespace's terms as pyoxigraph IRIs, each made on first use and then a plain
    attribute (rdflib's closed namespaces check every attribute lookup, a microsecond each, and
    graphs are made of hundreds of thousands). A term the namespace does not declare fails as
    it would there."""

    def __init__(self, namespace) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> ox.NamedNode:
        if name.startswith("_"):  # copy and pickle protocols ask for dunders; no vocabulary term starts so
            raise AttributeError(name)
        node = ox.NamedNode(str(getattr(self._namespace, name)))
        setattr(self, name, node)
        return node


_NKG, _OA, _RDF, _RDFS, _SDO, _PROV, _OWL, _XSD, _TIME = (_Terms(ns) for ns in (NKG, OA, RDF, RDFS, SDO, PROV, OWL, XSD, TIME))

_CLASS = {
    EntityKind.PERSON: _NKG.Person,
    EntityKind.ORGANIZATION: _NKG.Organization,
    EntityKind.STATE: _NKG.State,
    EntityKind.CITY: _NKG.Place,
    EntityKind.REGION: _NKG.Place,
    EntityKind.FACILITY: _NKG.Place,
}
_UNIT = {Precision.DAY: _TIME.unitDay, Precision.MONTH: _TIME.unitMonth, Precision.YEAR: _TIME.unitYear}
_XSD_OF = {Precision.DAY: _XSD.date, Precision.MONTH: _XSD.gYearMonth, Precision.YEAR: _XSD.gYear}
_TIME_PROPERTY = {Precision.DAY: _TIME.inXSDDate, Precision.MONTH: _TIME.inXSDgYearMonth, Precision.YEAR: _TIME.inXSDgYear}
_CONCEPT_PREDICATES = {RDF.type, RDFS.label, RDFS.comment, SKOS.prefLabel, SKOS.notation, SKOS.inScheme, SKOS.broader, SKOS.topConceptOf}


Triples = list  # of pyoxigraph Triples, in the order they were made (duplicates removed)


@dataclass(frozen=True, eq=False)
class MappedGraphs:
    """The graph of a run: the triples of each article's named graph and of the registry graph,
    by graph IRI."""

    named: dict[str, Triples]

    def graph(self, name: str | URIRef) -> Graph:
        """One named graph as an rdflib graph."""
        return rdflib_graph(self.named[str(name)])

    def union(self) -> Graph:
        return rdflib_graph(t for triples in self.named.values() for t in triples)

    def items(self) -> list[tuple[str, Triples]]:
        return sorted(self.named.items())


# ---------------------------------------------------------------- IRIs


def article_iri(key: str) -> URIRef:
    return ID[f"article/{key}"]


def graph_iri(key: str) -> URIRef:
    return ID[f"graph/{key}"]


def entity_iri(key: str) -> URIRef:
    return ID[f"entity/{key}"]


def time_iri(date: DateValue) -> URIRef:
    return ID[f"time/{date.iso}"]


def evidence_iri(article: Article, evidence: Evidence) -> URIRef:
    return ID[f"evidence/{stable_hash(article.key, evidence.start, evidence.end)}"]


def mention_iri(article: Article, entity: str) -> URIRef:
    return ID[f"mention/{stable_hash(article.key, entity)}"]


def meeting_iri(meeting: Meeting) -> URIRef:
    """A meeting is who met where and when, with what status: the same in every article reporting it."""
    key = stable_hash("meeting", *meeting.participants, "@", meeting.place or "", meeting.date.iso, meeting.status.value)
    return ID[f"meeting/{key}"]


def claim_iri(claim: Claim, article: Article) -> URIRef:
    """A claim is who says what moved from whom to whom, and when they said it. The author's
    own and unnamed sources' claims belong to their article; a named source's claim is one
    node however many articles report it."""
    speaker = claim.claimant if claim.attribution is Attribution.NAMED else f"{claim.attribution.value}:{article.key}"
    date = claim.claim_date.iso if claim.claim_date else ""
    return ID[f"claim/{stable_hash('claim', speaker, claim.stance.value, claim.supplier, claim.recipient, date)}"]


_LOCAL_PREFIXES = tuple(str(ID[f"{kind}/"]) for kind in ("article", "mention", "evidence"))


def is_article_local(node) -> bool:
    """Whether a node belongs to one article (minted from its key: the article, its mentions, its
    evidence and selectors). Only that article's graph describes it; meetings, claims, times
    and entities may be described by several graphs."""
    return isinstance(node, ox.NamedNode) and node.value.startswith(_LOCAL_PREFIXES)


def owner_runs(triples: Iterable[ox.Triple]) -> list[tuple[bool, Triples]]:
    """The triples in runs of one owner, in their order: True for a run about the article's own
    nodes (only its graph holds them), False for one about nodes other graphs may describe too.
    Sorted by subject, an article's graph comes in a few runs."""
    return [(own, list(run)) for own, run in groupby(triples, key=lambda t: is_article_local(t.subject))]


def split_by_owner(runs: list[tuple[bool, Triples]]) -> tuple[Triples, Triples, Triples]:
    """One article's triples (as `owner_runs`) in three: those about its own nodes; those about
    nodes other graphs may describe too; and the classes of its own nodes that the latter point
    to, which is all the union needs to validate those shared nodes."""
    local = [t for own, run in runs if own for t in run]
    shared = [t for own, run in runs if not own for t in run]
    pointed_to = {t.object for t in shared if is_article_local(t.object)}
    return local, shared, [t for t in local if t.subject in pointed_to and t.predicate == _RDF_TYPE]


_RDF_TYPE = ox.NamedNode(str(RDF.type))


# ---------------------------------------------------------------- the graphs


def map_records(
    records: Sequence[ArticleRecords], pack: DataPack, vocabulary: Graph, links: Mapping[str, LinkDecision] | None = None
) -> MappedGraphs:
    """The named graph of each article and the registry graph of every entity they use, with the
    Wikidata link of each linked one (the registry's, or one linking found online)."""
    named: dict[str, Triples] = {}
    used: set[str] = set()
    known = known_entities(pack.registry, records).entities
    for record in records:
        named[str(graph_iri(record.article.key))] = article_triples(record, known)
        used |= record.entity_keys()
    named[str(REGISTRY_GRAPH)] = registry_triples(used, known, vocabulary, links or {})
    return MappedGraphs(named)


_VOCABULARY_NODES: dict = {}


def _n(term: URIRef) -> ox.NamedNode:
    """A vocabulary term as a pyoxigraph IRI (made once: the vocabulary is closed, so this stays small)."""
    node = _VOCABULARY_NODES.get(term)
    if node is None:
        node = _VOCABULARY_NODES[term] = ox.NamedNode(str(term))
    return node


def _node(iri: URIRef) -> ox.NamedNode:
    """A minted IRI (from the functions above, the one place keys are made) as a pyoxigraph IRI."""
    return ox.NamedNode(str(iri))


def _text(value: str) -> ox.Literal:
    return ox.Literal(value)


def _typed(value: object, datatype: ox.NamedNode) -> ox.Literal:
    return ox.Literal(str(value), datatype=datatype)


class Statements:
    """One graph's statements as they are made, each once: the values of each subject's
    predicates, subject by subject in the order first made. Indexed so, they sort in a few small
    sorts and are what the SHACL engine indexes anyway (`shacl.Data`)."""

    __slots__ = ("index",)

    def __init__(self) -> None:
        self.index: dict = {}

    @classmethod
    def of(cls, triples: Iterable[ox.Triple]) -> Statements:
        made = cls()
        for triple in triples:
            made.add(triple.subject, triple.predicate, triple.object)
        return made

    def add(self, subject, predicate: ox.NamedNode, value) -> None:
        by_predicate = self.index.get(subject)
        if by_predicate is None:
            by_predicate = self.index[subject] = {}
        values = by_predicate.get(predicate)
        if values is None:
            by_predicate[predicate] = {value: None}
        else:
            values[value] = None

    def triples(self) -> Triples:
        return index_triples(self.index)


def article_triples(record: ArticleRecords, known: dict[str, Entity]) -> Triples:
    """The triples of one article's named graph."""
    return article_statements(record, known).triples()


def article_statements(record: ArticleRecords, known: dict[str, Entity]) -> Statements:
    """The statements of one article's named graph."""
    graph = Statements()
    article = record.article
    node = _node(article_iri(article.key))
    add = graph.add
    add(node, _RDF.type, _NKG.Article)
    add(node, _NKG.sourceName, _text(article.source))
    for copy in record.copies:
        add(node, _NKG.alsoReadFrom, _text(copy))
    add(node, _NKG.sourceFormat, _text(article.fmt.value))
    add(node, _NKG.contentHash, _text(article.key))
    add(node, _NKG.textLength, _typed(len(article.original), _XSD.integer))
    if article.headline:
        add(node, _SDO.headline, _text(article.headline))
    if article.url:
        add(node, _SDO.url, _typed(article.url, _XSD.anyURI))
    if record.published:
        add(node, _SDO.datePublished, _date_literal(record.published))
        add(node, _NKG.publicationTime, _time(graph, record.published))
    _add_mentions(graph, record, node)
    for meeting in record.meetings:
        _add_meeting(graph, meeting, article, node, known)
    for claim in record.claims:
        _add_claim(graph, claim, article, node, known)
    return graph


def _date_literal(date: DateValue) -> ox.Literal:
    return _typed(date.iso, _XSD_OF[date.precision])


def _time(graph: Statements, date: DateValue) -> ox.NamedNode:
    node = _node(time_iri(date))
    graph.add(node, _RDF.type, _TIME.Instant)
    graph.add(node, _TIME_PROPERTY[date.precision], _date_literal(date))
    graph.add(node, _NKG.precision, _UNIT[date.precision])
    return node


def _evidence(graph: Statements, article: Article, evidence: Evidence, article_node: ox.NamedNode) -> ox.NamedNode:
    node = _node(evidence_iri(article, evidence))
    position, quote = ox.NamedNode(f"{node.value}-position"), ox.NamedNode(f"{node.value}-quote")
    add = graph.add
    add(node, _RDF.type, _NKG.Evidence)
    add(node, _OA.hasSource, article_node)
    add(node, _OA.hasSelector, position)
    add(node, _OA.hasSelector, quote)
    add(position, _RDF.type, _OA.TextPositionSelector)
    add(position, _OA.start, _typed(evidence.start, _XSD.nonNegativeInteger))
    add(position, _OA.end, _typed(evidence.end, _XSD.nonNegativeInteger))
    add(quote, _RDF.type, _OA.TextQuoteSelector)
    add(quote, _OA.exact, _text(evidence.quote))
    if evidence.prefix:
        add(quote, _OA.prefix, _text(evidence.prefix))
    if evidence.suffix:
        add(quote, _OA.suffix, _text(evidence.suffix))
    return node


def _entity(key: str) -> ox.NamedNode:
    return _node(entity_iri(key))


def _add_mentions(graph: Statements, record: ArticleRecords, article_node: ox.NamedNode) -> None:
    by_entity: dict[str, list[Mention]] = {}
    for mention in record.mentions:
        by_entity.setdefault(mention.entity, []).append(mention)
    add = graph.add
    for entity, mentions in by_entity.items():
        node = _node(mention_iri(record.article, entity))
        add(article_node, _SDO.mentions, _entity(entity))
        add(article_node, _NKG.hasMention, node)
        add(node, _RDF.type, _NKG.Mention)
        add(node, _NKG.mentionOf, _entity(entity))
        for form in sorted({m.form.value for m in mentions}):
            add(node, _NKG.mentionForm, _text(form))
        for mention in mentions:
            add(node, _NKG.hasEvidence, _evidence(graph, record.article, mention.evidence, article_node))


def _add_meeting(graph: Statements, meeting: Meeting, article: Article, article_node: ox.NamedNode, known: dict[str, Entity]) -> None:
    node = _node(meeting_iri(meeting))
    add = graph.add
    add(node, _RDF.type, _NKG.Meeting)
    for participant in meeting.participants:
        add(node, _NKG.participant, _entity(participant))
    if meeting.place:
        add(node, _NKG.place, _entity(meeting.place))
    add(node, _NKG.hasTime, _time(graph, meeting.date))
    add(node, _NKG.meetingStatus, _n(STATUS[meeting.status.value]))
    add(node, _PROV.wasDerivedFrom, article_node)
    names_en = ", ".join(known[p].name for p in meeting.participants)
    names_de = ", ".join(known[p].label_de for p in meeting.participants)
    add(node, _RDFS.label, ox.Literal(f"Meeting of {names_en} ({meeting.date.iso}, {meeting.status.value})", language="en"))
    add(node, _RDFS.label, ox.Literal(f"Treffen von {names_de} ({meeting.date.iso})", language="de"))
    for evidence in meeting.evidence:
        add(node, _NKG.hasEvidence, _evidence(graph, article, evidence, article_node))


_SPEAKER_NAMES = {Attribution.AUTHOR: ("the article", "der Artikel"), Attribution.UNNAMED: ("unnamed sources", "ungenannte Quellen")}
_STANCE_DE = {Stance.ASSERTS: "behauptet", Stance.DENIES: "bestreitet", Stance.SPECULATES: "vermutet"}


def _add_claim(graph: Statements, claim: Claim, article: Article, article_node: ox.NamedNode, known: dict[str, Entity]) -> None:
    node = _node(claim_iri(claim, article))
    add = graph.add
    add(node, _RDF.type, _NKG.ArmsTransferClaim)
    add(node, _NKG.attribution, _n(ATTRIBUTION[claim.attribution.value]))
    if claim.attribution is Attribution.NAMED:
        add(node, _NKG.claimant, _entity(claim.claimant))
    elif claim.attribution is Attribution.AUTHOR:
        add(node, _NKG.claimant, article_node)
    add(node, _NKG.stance, _n(STANCE[claim.stance.value]))
    add(node, _NKG.supplier, _entity(claim.supplier))
    add(node, _NKG.recipient, _entity(claim.recipient))
    for code in claim.materiel:
        add(node, _NKG.materiel, _n(MATERIEL[code]))
    if claim.quantity:
        add(node, _NKG.quantity, _text(claim.quantity.text))
        if claim.quantity.value is not None:
            add(node, _NKG.quantityValue, _typed(claim.quantity.value, _XSD.integer))
    if claim.claim_date:
        add(node, _NKG.claimTime, _time(graph, claim.claim_date))
    add(node, _PROV.wasDerivedFrom, article_node)
    speaker_en, speaker_de = (
        (known[claim.claimant].name, known[claim.claimant].label_de) if claim.attribution is Attribution.NAMED else _SPEAKER_NAMES[claim.attribution]
    )
    supplier, recipient = known[claim.supplier], known[claim.recipient]
    what = ", ".join(claim.materiel)
    add(node, _RDFS.label, ox.Literal(f"{speaker_en} {claim.stance.value}: {supplier.name} → {recipient.name} ({what})", language="en"))
    add(node, _RDFS.label, ox.Literal(f"{speaker_de} {_STANCE_DE[claim.stance]}: {supplier.label_de} → {recipient.label_de} ({what})", language="de"))
    for evidence in claim.evidence:
        add(node, _NKG.hasEvidence, _evidence(graph, article, evidence, article_node))


# ---------------------------------------------------------------- the registry graph


def registry_triples(used: Iterable[str], known: dict[str, Entity], vocabulary: Graph, links: Mapping[str, LinkDecision]) -> Triples:
    """The registry graph: every entity used (and its state) and the concept schemes."""
    graph = Statements()
    keys = set(used)
    keys |= {known[k].state for k in list(keys) if known[k].state}
    for key in sorted(keys):
        _describe(graph, known[key], links.get(key))
    for concept in sorted(set(vocabulary.subjects(RDF.type, SKOS.Concept)) | set(vocabulary.subjects(RDF.type, SKOS.ConceptScheme))):
        for predicate, value in sorted(vocabulary.predicate_objects(concept)):
            if predicate in _CONCEPT_PREDICATES:
                graph.add(_n(concept), _n(predicate), to_ox(value))
    return graph.triples()


def entity_types(entities: Iterable[Entity]) -> Triples:
    """The class of each entity, as the registry graph states it."""
    return [ox.Triple(_entity(e.key), _RDF.type, _CLASS[e.kind]) for e in entities if e.kind in _CLASS]


def _describe(graph: Statements, entity: Entity, link: LinkDecision | None) -> None:
    node = _entity(entity.key)
    graph.add(node, _RDF.type, _CLASS[entity.kind])
    graph.add(node, _RDFS.label, ox.Literal(entity.name, language="en"))
    graph.add(node, _RDFS.label, ox.Literal(entity.label_de, language="de"))
    if entity.wikidata:
        graph.add(node, _OWL.sameAs, _node(WD[entity.wikidata]))
        graph.add(node, _NKG.linkConfidence, _text(entity.confidence))
    elif link and link.status is LinkStatus.ONLINE:
        graph.add(node, _OWL.sameAs, _node(WD[link.qid]))
        graph.add(node, _NKG.linkConfidence, _text(link.confidence))
        graph.add(node, _NKG.linkScore, _typed(Decimal(f"{link.score:.3f}"), _XSD.decimal))
        graph.add(node, _NKG.linkedOn, _typed(link.date, _XSD.date))
    if entity.state and entity.state != entity.key:
        graph.add(node, _NKG.belongsToState, _entity(entity.state))
    if entity.role:
        graph.add(node, _NKG.role, ox.Literal(entity.role, language="de"))
