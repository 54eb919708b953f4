"""The vocabulary module, the ontology, the data pack and the shapes agree."""

from rdflib import Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from etl.vocab import ATTRIBUTION, MATERIEL, NKG, ONTOLOGY_IRI, STANCE, STATUS

DECLARATIONS = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.ConceptScheme}


def _terms(namespace) -> list[URIRef]:
    names = list(vars(namespace).get("__annotations__", {})) + list(vars(namespace).get("_extras", []))
    return [namespace[name] for name in names]


def test_ontology_has_a_version(vocabulary):
    onto = vocabulary.ontology
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in onto
    assert str(onto.value(ONTOLOGY_IRI, OWL.versionIRI)).startswith(str(ONTOLOGY_IRI) + "/")


def test_every_vocabulary_term_is_declared_in_the_ontology(vocabulary):
    onto = vocabulary.ontology
    for term in _terms(NKG):
        assert set(onto.objects(term, RDF.type)) & DECLARATIONS, f"{term} is not declared in ontology/newskg.ttl"


def test_the_ontology_declares_nothing_the_vocabulary_module_lacks(vocabulary):
    onto = vocabulary.ontology
    declared = {s for kind in DECLARATIONS for s in onto.subjects(RDF.type, kind) if str(s).startswith(str(NKG._NS))}
    assert declared == set(_terms(NKG))


def test_every_class_and_property_has_english_and_german_labels_and_a_comment(vocabulary):
    onto = vocabulary.ontology
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in onto.subjects(RDF.type, kind):
            languages = {label.language for label in onto.objects(term, RDFS.label)}
            assert {"en", "de"} <= languages, f"{term} lacks an English or German label"
            assert onto.value(term, RDFS.comment), f"{term} lacks a comment"


def test_concepts_are_declared_with_their_notation(vocabulary):
    onto = vocabulary.ontology
    for namespace, scheme in ((MATERIEL, NKG.MaterielScheme), (STANCE, NKG.StanceScheme), (STATUS, NKG.MeetingStatusScheme), (ATTRIBUTION, NKG.AttributionScheme)):
        members = set(onto.subjects(SKOS.inScheme, scheme))
        assert members == set(_terms(namespace)), scheme
        for concept in members:
            assert onto.value(concept, SKOS.notation) == Literal(str(concept)[len(str(namespace._NS)) :])
            assert {label.language for label in onto.objects(concept, SKOS.prefLabel)} == {"en", "de"}


def test_materiel_data_pack_matches_the_scheme(pack, vocabulary):
    onto = vocabulary.ontology
    assert {c.code for c in pack.materiel} == {str(onto.value(c, SKOS.notation)) for c in onto.subjects(SKOS.inScheme, NKG.MaterielScheme)}
    for concept in pack.materiel:
        node = MATERIEL[concept.code]
        broader = onto.value(node, SKOS.broader)
        assert (str(onto.value(broader, SKOS.notation)) if broader else None) == concept.parent
        assert Literal(concept.label_en, lang="en") in set(onto.objects(node, SKOS.prefLabel))
        assert Literal(concept.label_de, lang="de") in set(onto.objects(node, SKOS.prefLabel))


def test_shapes_allow_exactly_the_schemes_concepts(vocabulary):
    shapes, onto = vocabulary.shapes, vocabulary.ontology
    allowed = {}
    for prop in shapes.subjects(SH.path, None):
        values = shapes.value(prop, SH["in"])
        if values is not None:
            allowed[shapes.value(prop, SH.path)] = set(Collection(shapes, values))
    assert allowed[NKG.materiel] == set(onto.subjects(SKOS.inScheme, NKG.MaterielScheme))
    assert allowed[NKG.stance] == set(onto.subjects(SKOS.inScheme, NKG.StanceScheme))
    assert allowed[NKG.meetingStatus] == set(onto.subjects(SKOS.inScheme, NKG.MeetingStatusScheme))
    assert allowed[NKG.attribution] == set(onto.subjects(SKOS.inScheme, NKG.AttributionScheme))


def test_closed_namespaces_refuse_unknown_terms():
    import pytest

    with pytest.raises(AttributeError):
        NKG.supplierr  # noqa: B018
    with pytest.raises(AttributeError):
        MATERIEL["tanks"]  # noqa: B018
