"""Ontology documentation: the ontology rendered to one HTML page by pyLODE."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rdflib import OWL, RDF
from rdflib.namespace import SKOS

from etl import rdfio

DOCS_PAGE = "index.html"


@dataclass(frozen=True)
class Docs:
    page: Path
    classes: int
    properties: int


@contextmanager
def _pylode() -> Iterator[type]:
    """pyLODE's OntPub, with the root logger as it was before: importing pyLODE sets it to DEBUG
    for every module, and pyLODE reports its progress there."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        from pylode import OntPub

        root.setLevel(logging.WARNING)
        yield OntPub
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


def write_docs(ontology: Path, out_dir: Path) -> Docs:
    """Render the ontology into out_dir/index.html (written whole or not at all)."""
    graph = rdfio.read_graph(ontology)
    # pyLODE takes every skos:ConceptScheme in the file for the ontology itself and fills the page's
    # metadata from whichever it meets last (a different one from run to run); it documents no
    # concepts either way, so the schemes are left out of what it is given.
    graph.remove((None, RDF.type, SKOS.ConceptScheme))
    with _pylode() as ontology_page:
        html = ontology_page(ontology=graph, sort_subjects=True).make_html()
    page = Path(out_dir) / DOCS_PAGE
    rdfio.write_atomic(page, html.encode("utf-8"))
    classes = set(graph.subjects(RDF.type, OWL.Class))
    properties = {s for kind in (OWL.ObjectProperty, OWL.DatatypeProperty) for s in graph.subjects(RDF.type, kind)}
    return Docs(page, len(classes), len(properties))
