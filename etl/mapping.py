"""Records to RDF: one named graph per article, one shared registry graph.

Every IRI is minted from a stable key (a registry slug, a content hash, or a hash of the
fact's defining parts), never from a counter, a timestamp or a blank node, so the same input
gives the same graph and a fact reported in several articles gets one node.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
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
from etl.vocab import ATTRIBUTION, ID, MATERIEL, NKG, OA, STANCE, STATUS, WD

REGISTRY_GRAPH = ID["graph/registry"]

_CLASS = {
    EntityKind.PERSON: NKG.Person,
    EntityKind.ORGANIZATION: NKG.Organization,
    EntityKind.STATE: NKG.State,
    EntityKind.CITY: NKG.Place,
    EntityKind.REGION: NKG.Place,
    EntityKind.FACILITY: NKG.Place,
}
_UNIT = {Precision.DAY: TIME.unitDay, Precision.MONTH: TIME.unitMonth, Precision.YEAR: TIME.unitYear}
_XSD_OF = {Precision.DAY: XSD.date, Precision.MONTH: XSD.gYearMonth, Precision.YEAR: XSD.gYear}
_TIME_PROPERTY = {Precision.DAY: TIME.inXSDDate, Precision.MONTH: TIME.inXSDgYearMonth, Precision.YEAR: TIME.inXSDgYear}
_CONCEPT_PREDICATES = {RDF.type, RDFS.label, RDFS.comment, SKOS.prefLabel, SKOS.notation, SKOS.inScheme, SKOS.broader, SKOS.topConceptOf}


@dataclass(frozen=True, eq=False)
class MappedGraphs:
    """The graph of a run: the named graph of each article and the registry graph."""

    named: dict[URIRef, Graph]

    def union(self) -> Graph:
        union = Graph()
        for graph in self.named.values():
            for triple in graph:
                union.add(triple)
        return union

    def items(self) -> list[tuple[URIRef, Graph]]:
        return sorted(self.named.items(), key=lambda item: str(item[0]))


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


# ---------------------------------------------------------------- the graphs


def map_records(
    records: Sequence[ArticleRecords], pack: DataPack, vocabulary: Graph, links: Mapping[str, LinkDecision] | None = None
) -> MappedGraphs:
    """The named graph of each article and the registry graph of every entity they use, with the
    Wikidata link of each linked one (the registry's, or one linking found online)."""
    named: dict[URIRef, Graph] = {}
    used: set[str] = set()
    known = known_entities(pack.registry, records).entities
    for record in records:
        graph = _article_graph(record, known)
        named[graph_iri(record.article.key)] = graph
        used |= record.entity_keys()
    named[REGISTRY_GRAPH] = _registry_graph(used, known, vocabulary, links or {})
    return MappedGraphs(named)


def _article_graph(record: ArticleRecords, known: dict[str, Entity]) -> Graph:
    graph = Graph()
    article = record.article
    node = article_iri(article.key)
    add = graph.add
    add((node, RDF.type, NKG.Article))
    add((node, NKG.sourceName, Literal(article.source)))
    for copy in record.copies:
        add((node, NKG.alsoReadFrom, Literal(copy)))
    add((node, NKG.sourceFormat, Literal(article.fmt.value)))
    add((node, NKG.contentHash, Literal(article.key)))
    add((node, NKG.textLength, Literal(len(article.original), datatype=XSD.integer)))
    if article.headline:
        add((node, SDO.headline, Literal(article.headline)))
    if article.url:
        add((node, SDO.url, Literal(article.url, datatype=XSD.anyURI)))
    if record.published:
        add((node, SDO.datePublished, _date_literal(record.published)))
        add((node, NKG.publicationTime, _time(graph, record.published)))
    _add_mentions(graph, record, node)
    for meeting in record.meetings:
        _add_meeting(graph, meeting, article, node, known)
    for claim in record.claims:
        _add_claim(graph, claim, article, node, known)
    return graph


def _date_literal(date: DateValue) -> Literal:
    return Literal(date.iso, datatype=_XSD_OF[date.precision])


def _time(graph: Graph, date: DateValue) -> URIRef:
    node = time_iri(date)
    graph.add((node, RDF.type, TIME.Instant))
    graph.add((node, _TIME_PROPERTY[date.precision], _date_literal(date)))
    graph.add((node, NKG.precision, _UNIT[date.precision]))
    return node


def _evidence(graph: Graph, article: Article, evidence: Evidence, article_node: URIRef) -> URIRef:
    node = evidence_iri(article, evidence)
    position = URIRef(f"{node}-position")
    quote = URIRef(f"{node}-quote")
    add = graph.add
    add((node, RDF.type, NKG.Evidence))
    add((node, OA.hasSource, article_node))
    add((node, OA.hasSelector, position))
    add((node, OA.hasSelector, quote))
    add((position, RDF.type, OA.TextPositionSelector))
    add((position, OA.start, Literal(evidence.start, datatype=XSD.nonNegativeInteger)))
    add((position, OA.end, Literal(evidence.end, datatype=XSD.nonNegativeInteger)))
    add((quote, RDF.type, OA.TextQuoteSelector))
    add((quote, OA.exact, Literal(evidence.quote)))
    if evidence.prefix:
        add((quote, OA.prefix, Literal(evidence.prefix)))
    if evidence.suffix:
        add((quote, OA.suffix, Literal(evidence.suffix)))
    return node


def _add_mentions(graph: Graph, record: ArticleRecords, article_node: URIRef) -> None:
    by_entity: dict[str, list[Mention]] = {}
    for mention in record.mentions:
        by_entity.setdefault(mention.entity, []).append(mention)
    for entity, mentions in by_entity.items():
        node = mention_iri(record.article, entity)
        graph.add((article_node, SDO.mentions, entity_iri(entity)))
        graph.add((article_node, NKG.hasMention, node))
        graph.add((node, RDF.type, NKG.Mention))
        graph.add((node, NKG.mentionOf, entity_iri(entity)))
        for form in {m.form.value for m in mentions}:
            graph.add((node, NKG.mentionForm, Literal(form)))
        for mention in mentions:
            graph.add((node, NKG.hasEvidence, _evidence(graph, record.article, mention.evidence, article_node)))


def _add_meeting(graph: Graph, meeting: Meeting, article: Article, article_node: URIRef, known: dict[str, Entity]) -> None:
    node = meeting_iri(meeting)
    add = graph.add
    add((node, RDF.type, NKG.Meeting))
    for participant in meeting.participants:
        add((node, NKG.participant, entity_iri(participant)))
    if meeting.place:
        add((node, NKG.place, entity_iri(meeting.place)))
    add((node, NKG.hasTime, _time(graph, meeting.date)))
    add((node, NKG.meetingStatus, STATUS[meeting.status.value]))
    add((node, PROV.wasDerivedFrom, article_node))
    names_en = ", ".join(known[p].name for p in meeting.participants)
    names_de = ", ".join(known[p].label_de for p in meeting.participants)
    add((node, RDFS.label, Literal(f"Meeting of {names_en} ({meeting.date.iso}, {meeting.status.value})", lang="en")))
    add((node, RDFS.label, Literal(f"Treffen von {names_de} ({meeting.date.iso})", lang="de")))
    for evidence in meeting.evidence:
        add((node, NKG.hasEvidence, _evidence(graph, article, evidence, article_node)))


_SPEAKER_NAMES = {Attribution.AUTHOR: ("the article", "der Artikel"), Attribution.UNNAMED: ("unnamed sources", "ungenannte Quellen")}
_STANCE_DE = {Stance.ASSERTS: "behauptet", Stance.DENIES: "bestreitet", Stance.SPECULATES: "vermutet"}


def _add_claim(graph: Graph, claim: Claim, article: Article, article_node: URIRef, known: dict[str, Entity]) -> None:
    node = claim_iri(claim, article)
    add = graph.add
    add((node, RDF.type, NKG.ArmsTransferClaim))
    add((node, NKG.attribution, ATTRIBUTION[claim.attribution.value]))
    if claim.attribution is Attribution.NAMED:
        add((node, NKG.claimant, entity_iri(claim.claimant)))
    elif claim.attribution is Attribution.AUTHOR:
        add((node, NKG.claimant, article_node))
    add((node, NKG.stance, STANCE[claim.stance.value]))
    add((node, NKG.supplier, entity_iri(claim.supplier)))
    add((node, NKG.recipient, entity_iri(claim.recipient)))
    for code in claim.materiel:
        add((node, NKG.materiel, MATERIEL[code]))
    if claim.quantity:
        add((node, NKG.quantity, Literal(claim.quantity.text)))
        if claim.quantity.value is not None:
            add((node, NKG.quantityValue, Literal(claim.quantity.value, datatype=XSD.integer)))
    if claim.claim_date:
        add((node, NKG.claimTime, _time(graph, claim.claim_date)))
    add((node, PROV.wasDerivedFrom, article_node))
    speaker_en, speaker_de = (
        (known[claim.claimant].name, known[claim.claimant].label_de) if claim.attribution is Attribution.NAMED else _SPEAKER_NAMES[claim.attribution]
    )
    supplier, recipient = known[claim.supplier], known[claim.recipient]
    what = ", ".join(claim.materiel)
    add((node, RDFS.label, Literal(f"{speaker_en} {claim.stance.value}: {supplier.name} → {recipient.name} ({what})", lang="en")))
    add((node, RDFS.label, Literal(f"{speaker_de} {_STANCE_DE[claim.stance]}: {supplier.label_de} → {recipient.label_de} ({what})", lang="de")))
    for evidence in claim.evidence:
        add((node, NKG.hasEvidence, _evidence(graph, article, evidence, article_node)))


# ---------------------------------------------------------------- the registry graph


def _registry_graph(used: Iterable[str], known: dict[str, Entity], vocabulary: Graph, links: Mapping[str, LinkDecision]) -> Graph:
    graph = Graph()
    keys = set(used)
    keys |= {known[k].state for k in list(keys) if known[k].state}
    for key in sorted(keys):
        _describe(graph, known[key], links.get(key))
    for concept in set(vocabulary.subjects(RDF.type, SKOS.Concept)) | set(vocabulary.subjects(RDF.type, SKOS.ConceptScheme)):
        for predicate, value in vocabulary.predicate_objects(concept):
            if predicate in _CONCEPT_PREDICATES:
                graph.add((concept, predicate, value))
    return graph


def _describe(graph: Graph, entity: Entity, link: LinkDecision | None) -> None:
    node = entity_iri(entity.key)
    graph.add((node, RDF.type, _CLASS[entity.kind]))
    graph.add((node, RDFS.label, Literal(entity.name, lang="en")))
    graph.add((node, RDFS.label, Literal(entity.label_de, lang="de")))
    if entity.wikidata:
        graph.add((node, OWL.sameAs, WD[entity.wikidata]))
        graph.add((node, NKG.linkConfidence, Literal(entity.confidence)))
    elif link and link.status is LinkStatus.ONLINE:
        graph.add((node, OWL.sameAs, WD[link.qid]))
        graph.add((node, NKG.linkConfidence, Literal(link.confidence)))
        graph.add((node, NKG.linkScore, Literal(Decimal(f"{link.score:.3f}"), datatype=XSD.decimal)))
        graph.add((node, NKG.linkedOn, Literal(link.date, datatype=XSD.date)))
    if entity.state and entity.state != entity.key:
        graph.add((node, NKG.belongsToState, entity_iri(entity.state)))
    if entity.role:
        graph.add((node, NKG.role, Literal(entity.role, lang="de")))
