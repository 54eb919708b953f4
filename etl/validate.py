"""The SHACL gate: does a graph conform to shapes/newskg-shapes.ttl?

The decision is the report's sh:conforms, never an exit code. A graph that cannot be read is
an error (`GraphInputError`, raised by rdfio); a graph that can be read but does not conform
is a report.

Two engines give the same results: newskg's own (`etl.shacl`, the default, fast enough to run
per article) and pyshacl (`engine="pyshacl"`, the reference the tests compare it with).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from etl.rdfio import ox_triples, to_rdflib
from etl.shacl import Engine, Result

ENGINES = ("newskg", "pyshacl")


@dataclass(frozen=True, eq=False)
class ValidationReport:
    conforms: bool
    graph: Graph
    text: str

    @property
    def violations(self) -> int:
        return sum(1 for _ in self.graph.subjects(SH.resultSeverity, SH.Violation))

    def summary(self, limit: int = 10) -> list[str]:
        """One line per violation: the focus node, the path and the message."""
        lines = []
        for result in self.graph.subjects(SH.resultSeverity, SH.Violation):
            focus = self.graph.value(result, SH.focusNode)
            path = self.graph.value(result, SH.resultPath)
            message = self.graph.value(result, SH.resultMessage)
            lines.append(f"{focus} {path or ''}: {message}".replace("  ", " "))
        lines.sort()
        return lines[:limit] + ([f"... and {len(lines) - limit} more"] if len(lines) > limit else [])


def validate_graph(data: Graph, shapes: Graph, ontology: Graph, engine: str = "newskg") -> ValidationReport:
    """Validate data against the shapes, with the ontology mixed in (its class hierarchy makes
    sh:class nkg:Actor accept a nkg:Person)."""
    if engine == "pyshacl":
        conforms, report_graph, report_text = shacl_validate(
            data, shacl_graph=shapes, ont_graph=ontology, inference="none", advanced=True, allow_warnings=True
        )
        return ValidationReport(bool(conforms), report_graph, report_text)
    checker = Engine(shapes, ontology)
    return report_of(checker.validate(checker.data([*ox_triples(data), *ox_triples(ontology)])), shapes)


def report_of(results: Iterable[Result], shapes: Graph) -> ValidationReport:
    """The SHACL validation report of the engine's results, in the vocabulary pyshacl writes."""
    results = sorted(set(results), key=_result_order)
    conforms = not any(r.severity == SH.Violation for r in results)
    graph = Graph()
    report = BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(conforms)))
    lines = [f"Validation Report\nConforms: {conforms}\nResults ({len(results)}):"]
    for result in results:
        node = BNode()
        graph.add((report, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.focusNode, to_rdflib(result.focus)))
        graph.add((node, SH.resultSeverity, result.severity))
        graph.add((node, SH.sourceConstraintComponent, result.component))
        graph.add((node, SH.sourceShape, result.shape))
        _copy_description(shapes, result.shape, graph)
        if result.path is not None:
            graph.add((node, SH.resultPath, result.path))
            _copy_description(shapes, result.path, graph)
        if result.value is not None:
            graph.add((node, SH.value, to_rdflib(result.value)))
        for message in result.messages or (Literal(_default_message(result)),):
            graph.add((node, SH.resultMessage, message))
        lines.append(_text(result))
    return ValidationReport(conforms, graph, "\n".join(lines) + "\n")


def _result_order(result: Result) -> tuple:
    return (str(result.focus), str(result.shape), str(result.component), str(result.path), str(result.value))


def _copy_description(shapes: Graph, node, graph: Graph) -> None:
    """A blank node's triples, and those of the blank nodes they lead to (its bounded description)."""
    todo, seen = [node], set()
    while todo:
        current = todo.pop()
        if not isinstance(current, BNode) or current in seen:
            continue
        seen.add(current)
        for predicate, value in shapes.predicate_objects(current):
            graph.add((current, predicate, value))
            todo.append(value)


def _default_message(result: Result) -> str:
    component = str(result.component).rsplit("#", 1)[-1].removesuffix("ConstraintComponent")
    value = f" on value {result.value}" if result.value is not None else ""
    return f"{component} constraint not met by {result.focus}{value}"


def _text(result: Result) -> str:
    path = f" path {result.path.n3()}" if isinstance(result.path, URIRef) else ""
    shape = result.shape.n3() if isinstance(result.shape, URIRef) else "a property shape"
    message = "; ".join(str(m) for m in result.messages) or _default_message(result)
    return f"{result.severity.n3().rsplit('#', 1)[-1]}: {result.focus}{path} ({shape}, {result.component.n3().rsplit('#', 1)[-1]}): {message}"
