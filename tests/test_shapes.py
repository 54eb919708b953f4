"""Each SHACL shape has a fixture that conforms and one that violates exactly that shape."""

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from etl import resources
from etl.validate import validate_graph

FIXTURES = Path(__file__).parent / "shapes"
SHAPES_NS = "https://w3id.org/newskg/shapes#"
SHAPES = Graph().parse(resources.shapes_file())
NAMES = sorted(str(s)[len(SHAPES_NS) :] for s in SHAPES.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef))


def _owner(shapes, shape):
    """The named node shape a result comes from (a property shape belongs to its node shape)."""
    if isinstance(shape, URIRef):
        return shape
    return next(shapes.subjects(SH.property, shape), None)


def test_every_named_shape_has_both_fixtures():
    assert len(NAMES) >= 12
    for name in NAMES:
        assert (FIXTURES / f"{name}.valid.ttl").is_file(), name
        assert (FIXTURES / f"{name}.invalid.ttl").is_file(), name


@pytest.mark.parametrize("name", NAMES)
def test_valid_fixture_conforms_to_all_shapes(name, vocabulary):
    data = Graph().parse(FIXTURES / f"{name}.valid.ttl")
    report = validate_graph(data, vocabulary.shapes, vocabulary.ontology)
    assert report.conforms, report.text
    shape = URIRef(SHAPES_NS + name)
    focus = set()
    for target_class in SHAPES.objects(shape, SH.targetClass):
        classes = set(vocabulary.ontology.transitive_subjects(URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf"), target_class)) | {target_class}
        focus |= {s for c in classes for s in data.subjects(RDF.type, c)}
    for predicate in SHAPES.objects(shape, SH.targetSubjectsOf):
        focus |= set(data.subjects(predicate, None))
    assert focus, f"{name}.valid.ttl has no focus node of the shape's targets"


@pytest.mark.parametrize("name", NAMES)
def test_invalid_fixture_violates_that_shape(name, vocabulary):
    data = Graph().parse(FIXTURES / f"{name}.invalid.ttl")
    report = validate_graph(data, vocabulary.shapes, vocabulary.ontology)
    assert not report.conforms
    sources = {_owner(vocabulary.shapes, report.graph.value(r, SH.sourceShape)) for r in report.graph.subjects(SH.resultSeverity, SH.Violation)}
    assert URIRef(SHAPES_NS + name) in sources, sources
