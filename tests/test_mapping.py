from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS

from etl.mapping import REGISTRY_GRAPH, article_iri, claim_iri, entity_iri, graph_iri, map_records, meeting_iri
from etl.model import (
    Article,
    ArticleRecords,
    Attribution,
    Claim,
    DateValue,
    Evidence,
    Meeting,
    MeetingStatus,
    Mention,
    MentionForm,
    Quantity,
    Segment,
    SegmentKind,
    SourceFormat,
    Stance,
    article_key,
)
from etl.vocab import MATERIEL, NKG, OA, STANCE, WD

GOLDEN = Path(__file__).parent / "golden" / "mapping.ttl"
TEXT = " date 2023-09 Gipfel in Wladiwostok\n\nKim Jong Un traf Wladimir Putin in Wladiwostok. Laut den USA liefert Nordkorea 300 Raketen an Russland."


def _span(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def _records(text: str = TEXT, name: str = "golden.txt") -> ArticleRecords:
    article = Article(
        key=article_key(text),
        source=name,
        path=name,
        fmt=SourceFormat.TEXT,
        original=text,
        text=text,
        segments=(Segment(14, 35, SegmentKind.HEADLINE), Segment(37, len(text), SegmentKind.BODY)),
        headline="Gipfel in Wladiwostok",
        published=DateValue(2023, 9),
    )

    def evidence(words: str) -> Evidence:
        return article.evidence(*_span(text, words))

    mentions = (
        Mention("kim-jong-un", MentionForm.NAME, evidence("Kim Jong Un")),
        Mention("vladimir-putin", MentionForm.NAME, evidence("Wladimir Putin")),
        Mention("vladivostok", MentionForm.NAME, evidence("Wladiwostok")),
        Mention("north-korea", MentionForm.NAME, evidence("Nordkorea")),
        Mention("russia", MentionForm.NAME, evidence("Russland")),
        Mention("united-states", MentionForm.NAME, evidence("USA")),
    )
    meeting = Meeting(("kim-jong-un", "vladimir-putin"), "vladivostok", DateValue(2023, 9), MeetingStatus.HELD, (evidence("Kim Jong Un traf Wladimir Putin in Wladiwostok"),))
    claim = Claim(
        attribution=Attribution.NAMED,
        claimant="united-states",
        stance=Stance.ASSERTS,
        supplier="north-korea",
        recipient="russia",
        materiel=("missiles",),
        evidence=(evidence("Laut den USA liefert Nordkorea 300 Raketen an Russland"),),
        quantity=Quantity("300 Raketen", 300),
    )
    return ArticleRecords(article, DateValue(2023, 9), mentions, (meeting,), (claim,))


def test_golden_graph_is_isomorphic(pack, vocabulary):
    mapped = map_records([_records()], pack, vocabulary.ontology)
    graph = mapped.union()
    expected = Graph().parse(GOLDEN)
    if not isomorphic(graph, expected):
        _, only_here, only_expected = graph_diff(to_isomorphic(graph), to_isomorphic(expected))
        raise AssertionError(f"only in output:\n{only_here.serialize(format='nt')}\nonly in golden:\n{only_expected.serialize(format='nt')}")


def test_no_blank_nodes_and_one_named_graph_per_article(pack, vocabulary):
    first = _records()
    second = _records(TEXT + " Noch ein Satz.", "other.txt")
    mapped = map_records([first, second], pack, vocabulary.ontology)
    assert set(mapped.named) == {str(graph_iri(first.article.key)), str(graph_iri(second.article.key)), str(REGISTRY_GRAPH)}
    for name in mapped.named:
        assert not any(isinstance(term, BNode) for triple in mapped.graph(name) for term in triple)
    article_graph = mapped.graph(graph_iri(first.article.key))
    assert (article_iri(first.article.key), RDF.type, NKG.Article) in article_graph
    assert (article_iri(second.article.key), RDF.type, NKG.Article) not in article_graph


def test_iris_come_from_stable_keys(pack, vocabulary):
    one = map_records([_records()], pack, vocabulary.ontology).union()
    renamed = map_records([_records(name="renamed.txt")], pack, vocabulary.ontology).union()
    assert set(one.subjects()) == set(renamed.subjects()), "IRIs come from content, not from the file name"
    record = _records()
    # pinned: IRIs users stored must name the same things in the next run and the next version
    meeting_node = meeting_iri(record.meetings[0])
    assert str(meeting_node) == "https://w3id.org/newskg/id/meeting/23348e13c670e694"
    assert (meeting_node, NKG.participant, entity_iri("kim-jong-un")) in one
    assert str(claim_iri(record.claims[0], record.article)) == "https://w3id.org/newskg/id/claim/5b43b84e765a5704"


def test_a_meeting_and_a_named_claim_reported_twice_are_one_node_each(pack, vocabulary):
    first = _records()
    second = _records(TEXT + " Ein Nachsatz.", "copy.txt")
    graph = map_records([first, second], pack, vocabulary.ontology).union()
    meetings = set(graph.subjects(RDF.type, NKG.Meeting))
    claims = set(graph.subjects(RDF.type, NKG.ArmsTransferClaim))
    assert len(meetings) == 1 and len(claims) == 1
    (meeting,) = meetings
    assert set(graph.objects(meeting, PROV.wasDerivedFrom)) == {article_iri(first.article.key), article_iri(second.article.key)}
    (claim,) = claims
    assert len(set(graph.objects(claim, NKG.hasEvidence))) == 2


def test_registry_graph_links_verified_ids_and_states(pack, vocabulary):
    mapped = map_records([_records()], pack, vocabulary.ontology)
    registry = mapped.graph(REGISTRY_GRAPH)
    putin = entity_iri("vladimir-putin")
    assert (putin, OWL.sameAs, WD.Q7747) in registry
    assert (putin, NKG.belongsToState, entity_iri("russia")) in registry
    assert (putin, RDFS.label, Literal("Wladimir Putin", lang="de")) in registry
    assert (entity_iri("russia"), RDF.type, NKG.State) in registry
    assert (MATERIEL.missiles, SKOS.notation, Literal("missiles")) in registry
    assert (STANCE.asserts, SKOS.notation, Literal("asserts")) in registry
    for entity in registry.subjects(OWL.sameAs, None):
        assert pack.registry.get(str(entity).rsplit("/", 1)[-1]).confidence in ("verified", "corroborated")


def test_unlinked_actors_get_no_sameas(pack, vocabulary):
    record = _records()
    record = ArticleRecords(record.article, record.published, record.mentions + (Mention("victor-cha", MentionForm.NAME, record.mentions[0].evidence),), (), ())
    registry = map_records([record], pack, vocabulary.ontology).graph(REGISTRY_GRAPH)
    cha = entity_iri("victor-cha")
    assert (cha, RDF.type, NKG.Person) in registry
    assert registry.value(cha, OWL.sameAs) is None


def test_evidence_selectors_hold_offsets_and_words(pack, vocabulary):
    record = _records()
    graph = map_records([record], pack, vocabulary.ontology).union()
    claim = next(graph.subjects(RDF.type, NKG.ArmsTransferClaim))
    evidence = graph.value(claim, NKG.hasEvidence)
    selectors = set(graph.objects(evidence, OA.hasSelector))
    position = next(s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in graph)
    quote = next(s for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in graph)
    start, end = int(graph.value(position, OA.start)), int(graph.value(position, OA.end))
    assert record.article.original[start:end] == str(graph.value(quote, OA.exact))
    assert graph.value(evidence, OA.hasSource) == URIRef(article_iri(record.article.key))


def test_statements_sort_by_index_as_triples_sort(pack, vocabulary):
    """The worker sorts a graph subject by subject (`rdfio.sorted_index`); that order must be the
    one `rdfio.sorted_triples` gives over all its triples, which graph.ttl's bytes rest on."""
    import pyoxigraph as ox

    from etl import rdfio
    from etl.datapack import known_entities
    from etl.mapping import Statements, article_statements

    record = _records()
    statements = article_statements(record, known_entities(pack.registry, [record]).entities)
    index = rdfio.sorted_index(statements.index)
    triples = rdfio.index_triples(index)
    assert len(triples) > 40
    assert triples == rdfio.sorted_triples(statements.triples())
    assert list(index) != list(statements.index), "made in another order than sorted: the test sorts for real"
    again = Statements.of(reversed(triples))
    assert rdfio.index_triples(rdfio.sorted_index(again.index)) == triples
    assert all(isinstance(t, ox.Triple) for t in triples)


def test_vocabulary_terms_in_mapping_are_the_closed_namespaces():
    import pytest

    from etl import mapping

    assert mapping._NKG.hasEvidence.value == str(NKG.hasEvidence)
    with pytest.raises(AttributeError):
        getattr(mapping._NKG, "hasEvidenceTypo")  # noqa: B009
